package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
)

// GeneralisationTable holds episodes to criterion of rules (rows) under
// conditions (columns: the meta-training task, held-out tasks, other N, g,
// sparse or Dale's-law J, random initial J or state), over seeds.
type GeneralisationTable struct {
	// Rules and Conditions name the rows and columns. The first rule is
	// the reference the others are compared with (Miconi's rule, say).
	Rules, Conditions []string
	// Outcomes[i][j] holds the runs (one per seed) of rule i under
	// condition j, as eval computes them.
	Outcomes [][][]eval.Outcome
}

// Generalisation draws a generalisation table as a heat map: each cell
// shows the median episodes to criterion of a rule under a condition
// (with "+nc" when n runs were censored), coloured by log2 of its ratio
// to the first rule's median under the same condition on the diverging
// map: blue learns faster than the reference, red slower. Every cell needs
// at least one run with Episodes > 0.
func Generalisation(t GeneralisationTable) (*Figure, error) {
	const fn = "Generalisation"
	nr, nc := len(t.Rules), len(t.Conditions)
	if nr == 0 {
		return nil, fmt.Errorf("plots: %s: GeneralisationTable.Rules is empty", fn)
	}
	if nc == 0 {
		return nil, fmt.Errorf("plots: %s: GeneralisationTable.Conditions is empty", fn)
	}
	if len(t.Outcomes) != nr {
		return nil, fmt.Errorf("plots: %s: GeneralisationTable.Outcomes has %d rows; want %d, one per rule", fn, len(t.Outcomes), nr)
	}
	medians := mat.NewDense(nr, nc, nil)
	censored := make([][]int, nr)
	for i, row := range t.Outcomes {
		if len(row) != nc {
			return nil, fmt.Errorf("plots: %s: GeneralisationTable.Outcomes[%d] (%s) has %d cells; want %d, one per condition", fn, i, t.Rules[i], len(row), nc)
		}
		censored[i] = make([]int, nc)
		for j, runs := range row {
			if len(runs) == 0 {
				return nil, fmt.Errorf("plots: %s: GeneralisationTable.Outcomes[%d][%d] (%s, %s) is empty", fn, i, j, t.Rules[i], t.Conditions[j])
			}
			for k, o := range runs {
				if o.Episodes <= 0 {
					return nil, fmt.Errorf("plots: %s: GeneralisationTable.Outcomes[%d][%d][%d].Episodes = %d; want > 0", fn, i, j, k, o.Episodes)
				}
			}
			s := eval.SummarizeOutcomes(runs)
			medians.Set(i, j, s.Median)
			censored[i][j] = s.Censored
		}
	}
	// Colour: log2 of the ratio to the reference rule; rows upwards from
	// the last rule so that the first rule is on top.
	ratio := mat.NewDense(nr, nc, nil)
	absMax := 0.0
	for i := 0; i < nr; i++ {
		for j := 0; j < nc; j++ {
			v := math.Log2(medians.At(i, j) / medians.At(0, j))
			ratio.Set(nr-1-i, j, v)
			absMax = math.Max(absMax, math.Abs(v))
		}
	}
	cm := diverging(math.Max(absMax, 0.25))
	p := newPlot("episodes to criterion: median over seeds", "", "")
	p.Add(heatMap(matGrid{ratio}, cm, false))
	lab, err := cellLabels(ratio, cm, cellSize, func(r, j int) string {
		i := nr - 1 - r // ratio's rows are upside down
		l := fmt.Sprintf("%.0f", medians.At(i, j))
		if c := censored[i][j]; c > 0 {
			l += fmt.Sprintf(" +%dc", c)
		}
		return l
	})
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	p.Add(lab)
	p.NominalX(t.Conditions...)
	rules := make([]string, nr)
	for i, r := range t.Rules {
		rules[nr-1-i] = r
	}
	p.NominalY(rules...)
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Label.Rotation = 0
	f := &Figure{
		Width:  vg.Length(8+3*nc) * vg.Centimeter,
		Height: vg.Length(4+1.5*float64(nr)) * vg.Centimeter,
		title:  "generalisation: episodes to criterion",
	}
	f.add(withBar{main: p, bar: colourBar(cm, "log2 ratio to "+t.Rules[0])}, 0, 0, 1, 1)
	return f, nil
}
