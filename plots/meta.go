package plots

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// MetaCurves is a meta-training history as MetaTraining draws it, one
// value per meta-iteration (index 0 is before the first update). It is a
// plain struct because plasticlib/meta did not exist when this package was
// written; fill it from the meta-training result.
type MetaCurves struct {
	// TrainObjective and EvalObjective are the meta-objective on the
	// training seeds and on held-out seeds. EvalObjective may be nil.
	TrainObjective, EvalObjective []float64
	// TrainPerformance and EvalPerformance are the final inner-loop
	// performance, the fraction of correct trials in the last episodes
	// (the paper's "final performance"), on training and held-out seeds,
	// each in [0, 1]. Both may be nil; then only the objective is drawn.
	TrainPerformance, EvalPerformance []float64
}

// MetaTraining draws meta-training curves (the paper's figure 1e): the
// meta-objective (on its own scale) and, if given, the final inner-loop
// performance (on an axis from 0 to 1) against meta-iteration, train and
// held-out seeds as two lines of each panel, named by one legend.
// TrainObjective must be non-empty; every other series must be empty or of
// its length; all values finite, performances in [0, 1].
func MetaTraining(m MetaCurves) (*Figure, error) {
	const fn = "MetaTraining"
	if err := checkValues(fn, "MetaCurves.TrainObjective", m.TrainObjective); err != nil {
		return nil, err
	}
	n := len(m.TrainObjective)
	for _, s := range []struct {
		name string
		v    []float64
	}{{"MetaCurves.EvalObjective", m.EvalObjective}, {"MetaCurves.TrainPerformance", m.TrainPerformance}, {"MetaCurves.EvalPerformance", m.EvalPerformance}} {
		if len(s.v) == 0 {
			continue
		}
		if err := checkSameLen(fn, s.name, len(s.v), "MetaCurves.TrainObjective", n); err != nil {
			return nil, err
		}
		if err := checkFinite(fn, s.name, s.v); err != nil {
			return nil, err
		}
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"MetaCurves.TrainPerformance", m.TrainPerformance}, {"MetaCurves.EvalPerformance", m.EvalPerformance}} {
		for i, v := range s.v {
			if v < 0 || v > 1 {
				return nil, fmt.Errorf("plots: %s: %s[%d] = %g; want a fraction of correct trials in [0, 1]", fn, s.name, i, v)
			}
		}
	}
	obj, err := trainEvalPlot("objective", m.TrainObjective, m.EvalObjective)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	f := &Figure{Width: 16 * vg.Centimeter, Height: 9 * vg.Centimeter, title: "meta-training"}
	if len(m.TrainPerformance) == 0 && len(m.EvalPerformance) == 0 {
		f.add(obj, 0, 0, 1, 1)
		f.Width = 10 * vg.Centimeter
		return f, nil
	}
	perf, err := trainEvalPlot("final performance", m.TrainPerformance, m.EvalPerformance)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	perf.Y.Min, perf.Y.Max = 0, 1
	// One legend names the series of both panels: the performance
	// panel's, where the bottom right (below chance) is usually empty,
	// unless the objective panel has more series.
	objN, perfN := 1+nonEmpty(m.EvalObjective), nonEmpty(m.TrainPerformance)+nonEmpty(m.EvalPerformance)
	drop := obj
	if objN > perfN {
		drop = perf
	}
	sty := drop.Legend.TextStyle
	drop.Legend = plot.NewLegend()
	drop.Legend.TextStyle = sty
	f.add(obj, 0, 0, 0.5, 1)
	f.add(perf, 0.5, 0, 1, 1)
	return f, nil
}

// nonEmpty is 1 for a series with values, else 0.
func nonEmpty(v []float64) int {
	if len(v) > 0 {
		return 1
	}
	return 0
}

// trainEvalPlot draws train (reddish purple) and held-out (bluish green)
// series against meta-iteration, as the paper does.
func trainEvalPlot(yLabel string, train, held []float64) (*plot.Plot, error) {
	p := newPlot("", "meta-iteration", yLabel)
	p.X.Tick.Marker = niceTicks{integer: true}
	for i, s := range []struct {
		name string
		v    []float64
	}{{"train", train}, {"held-out", held}} {
		if len(s.v) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(s.v))
		for k, v := range s.v {
			xys[k] = plotter.XY{X: float64(k), Y: v}
		}
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, err
		}
		c := okabeReddishPurple
		if i == 1 {
			c = okabeBluishGreen
		}
		l.LineStyle = lineStyle(c)
		pts.GlyphStyle = dot(c)
		p.Add(l, pts)
		p.Legend.Add(s.name, l, pts)
	}
	p.Legend.Top = false
	return p, nil
}

// CoefficientTrajectories draws how each coefficient Theta[k][l] of a rule
// moves during meta-training: thetas[n] is the (K+1) x (L+1) coefficient
// matrix after meta-iteration n (n = 0: the initial rule). Each coefficient
// is a line; the legend names the (at most six) that end largest in
// magnitude. All matrices must have one shape and finite values.
func CoefficientTrajectories(thetas [][][]float64) (*Figure, error) {
	const fn = "CoefficientTrajectories"
	if len(thetas) == 0 {
		return nil, fmt.Errorf("plots: %s: thetas is empty", fn)
	}
	if len(thetas[0]) == 0 || len(thetas[0][0]) == 0 {
		return nil, fmt.Errorf("plots: %s: thetas[0] is empty", fn)
	}
	nk, nl := len(thetas[0]), len(thetas[0][0])
	for n, th := range thetas {
		if len(th) != nk {
			return nil, fmt.Errorf("plots: %s: thetas[%d] has %d rows; want %d, as thetas[0]", fn, n, len(th), nk)
		}
		for k, row := range th {
			if len(row) != nl {
				return nil, fmt.Errorf("plots: %s: thetas[%d][%d] has %d values; want %d, as thetas[0][0]", fn, n, k, len(row), nl)
			}
			if err := checkFinite(fn, fmt.Sprintf("thetas[%d][%d]", n, k), row); err != nil {
				return nil, err
			}
		}
	}
	type coef struct{ k, l int }
	var order []coef
	for k := 0; k < nk; k++ {
		for l := 0; l < nl; l++ {
			order = append(order, coef{k, l})
		}
	}
	final := thetas[len(thetas)-1]
	sort.SliceStable(order, func(a, b int) bool {
		return math.Abs(final[order[a].k][order[a].l]) > math.Abs(final[order[b].k][order[b].l])
	})
	p := newPlot("coefficient trajectories", "meta-iteration", "θ_kl")
	p.X.Tick.Marker = niceTicks{integer: true}
	// Draw the small ones first, in grey, so the named ones lie on top.
	named := make([]*plotter.Line, min(6, len(order)))
	for i := len(order) - 1; i >= 0; i-- {
		c := order[i]
		xys := make(plotter.XYs, len(thetas))
		for n, th := range thetas {
			xys[n] = plotter.XY{X: float64(n), Y: th[c.k][c.l]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", fn, err)
		}
		if i < 6 {
			l.LineStyle = lineStyle(Categorical(i))
			p.Add(l)
			named[i] = l
		} else {
			l.LineStyle = lineStyle(lightGrey)
			l.LineStyle.Width = thinWidth
			p.Add(l)
		}
	}
	for i, l := range named {
		p.Legend.Add(fmt.Sprintf("θ %d,%d (%s)", order[i].k, order[i].l, basisName(order[i].k, order[i].l)), l)
	}
	p.Legend.Left = true
	f := newFigure(p.Title.Text, p)
	f.Width, f.Height = 16*vg.Centimeter, 10*vg.Centimeter
	return f, nil
}
