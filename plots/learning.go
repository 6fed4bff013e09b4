package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
)

// Runs is a set of learning runs of one rule or condition, one per seed.
type Runs struct {
	// Name labels the set in legends.
	Name string
	// Color is the set's colour; nil means RuleColor(Name), the rule's
	// colour in every figure.
	Color color.Color
	// Histories holds one run per seed, as learn.Run returns them.
	Histories []*learn.History
}

// CurveConfig configures LearningCurves. The zero value plots performance
// under eval.DefaultCriterion.
type CurveConfig struct {
	// Criterion defines performance: the fraction of the last
	// Criterion.Window episodes (fewer at the start) whose error was below
	// Criterion.Threshold; a dashed line marks Criterion.Fraction, the
	// level at which a run has learned. The zero value means
	// eval.DefaultCriterion().
	Criterion eval.Criterion
	// Error plots the running mean of the error over Criterion.Window
	// episodes instead of performance, with the dashed line at
	// Criterion.Threshold.
	Error bool
	// MaxPoints caps the points per curve (curves are drawn at every
	// k-th episode); zero means 400.
	MaxPoints int
	// Title is the figure's title; empty means a default.
	Title string
}

// LearningCurves draws inner-loop learning curves of several rules on one
// axis (the paper's figure 1g): for each set of runs, the median over seeds
// as a line in the rule's colour and the interquartile range as a band,
// with a legend. At each episode the statistics are over the seeds whose
// run reached that episode. Each Runs needs a name and at least one
// non-empty history of finite errors.
func LearningCurves(cfg CurveConfig, runs ...Runs) (*Figure, error) {
	const fn = "LearningCurves"
	if len(runs) == 0 {
		return nil, fmt.Errorf("plots: %s: runs is empty", fn)
	}
	crit := cfg.Criterion
	if crit == (eval.Criterion{}) {
		crit = eval.DefaultCriterion()
	}
	if err := crit.Validate(); err != nil {
		return nil, fmt.Errorf("plots: %s: CurveConfig.Criterion: %w", fn, err)
	}
	maxPoints := cfg.MaxPoints
	if maxPoints < 0 {
		return nil, fmt.Errorf("plots: %s: CurveConfig.MaxPoints = %d; want >= 0", fn, maxPoints)
	}
	if maxPoints == 0 {
		maxPoints = 400
	}
	for i, r := range runs {
		if err := checkRuns(fn, i, r); err != nil {
			return nil, err
		}
	}
	title, yLabel, level := cfg.Title, "performance", crit.Fraction
	if cfg.Error {
		yLabel, level = fmt.Sprintf("error (mean of last %d)", crit.Window), crit.Threshold
	}
	if title == "" {
		title = "learning curves: median and IQR over seeds"
	}
	p := newPlot(title, "episode", yLabel)
	p.X.Tick.Marker = niceTicks{integer: true}
	for i, r := range runs {
		curves := make([][]float64, len(r.Histories))
		first := math.MaxInt
		last := 0
		for s, h := range r.Histories {
			curves[s] = smoothCurve(h.Errors, crit, cfg.Error)
			first = min(first, h.First)
			last = max(last, h.First+len(h.Errors))
		}
		step := max(1, (last-first+maxPoints-1)/maxPoints)
		var med, lo, hi plotter.XYs
		vals := make([]float64, 0, len(curves))
		for ep := first; ep < last; ep += step {
			vals = vals[:0]
			for s, h := range r.Histories {
				if k := ep - h.First; k >= 0 && k < len(curves[s]) {
					vals = append(vals, curves[s][k])
				}
			}
			if len(vals) == 0 {
				continue
			}
			sm := eval.Summarize(vals)
			x := float64(ep + 1) // episodes finished
			med = append(med, plotter.XY{X: x, Y: sm.Median})
			lo = append(lo, plotter.XY{X: x, Y: sm.Q1})
			hi = append(hi, plotter.XY{X: x, Y: sm.Q3})
		}
		c := colourOf(r.Color, r.Name)
		if len(med) > 1 {
			poly := append(plotter.XYs{}, lo...)
			for k := len(hi) - 1; k >= 0; k-- {
				poly = append(poly, hi[k])
			}
			band, err := plotter.NewPolygon(poly)
			if err != nil {
				return nil, fmt.Errorf("plots: %s: runs[%d]: %w", fn, i, err)
			}
			band.Color = withAlpha(c, 0.25)
			band.LineStyle.Width = 0
			p.Add(band)
		}
		l, err := plotter.NewLine(med)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: runs[%d]: %w", fn, i, err)
		}
		l.LineStyle = lineStyle(c)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (%s)", r.Name, plural(len(r.Histories), "seed")), l)
	}
	ref := hLine(level, draw.LineStyle{Color: grey, Width: thinWidth, Dashes: []vg.Length{4, 3}})
	p.Add(ref)
	if cfg.Error {
		p.Y.Min = 0
		p.Legend.Top = true
	} else {
		p.Y.Min, p.Y.Max = 0, 1.02
		p.Legend.Top, p.Legend.Left = false, false
	}
	f := newFigure(title, p)
	f.Width, f.Height = 16*vg.Centimeter, 10*vg.Centimeter
	return f, nil
}

// checkRuns validates runs[i].
func checkRuns(fn string, i int, r Runs) error {
	if r.Name == "" {
		return fmt.Errorf("plots: %s: runs[%d].Name is empty", fn, i)
	}
	if len(r.Histories) == 0 {
		return fmt.Errorf("plots: %s: runs[%d] (%s): Histories is empty", fn, i, r.Name)
	}
	for s, h := range r.Histories {
		if h == nil {
			return fmt.Errorf("plots: %s: runs[%d] (%s): Histories[%d] is nil", fn, i, r.Name, s)
		}
		if err := checkValues(fn, fmt.Sprintf("runs[%d] (%s): Histories[%d].Errors", i, r.Name, s), h.Errors); err != nil {
			return err
		}
		if h.First < 0 {
			return fmt.Errorf("plots: %s: runs[%d] (%s): Histories[%d].First = %d; want >= 0", fn, i, r.Name, s, h.First)
		}
	}
	return nil
}

// smoothCurve returns, for each episode, the fraction of the last
// c.Window errors below c.Threshold (or, with mean set, their mean).
func smoothCurve(errors []float64, c eval.Criterion, mean bool) []float64 {
	if !mean {
		return c.PerformanceCurve(errors)
	}
	out := make([]float64, len(errors))
	sum := 0.0
	for k, e := range errors {
		sum += e
		if k >= c.Window {
			sum -= errors[k-c.Window]
		}
		out[k] = sum / float64(min(k+1, c.Window))
	}
	return out
}

// Outcomes is the episodes to criterion of the runs (seeds) of one rule or
// condition, as eval computes them.
type Outcomes struct {
	// Name labels the group on the axis.
	Name string
	// Color is the group's colour; nil means RuleColor(Name). Set it to
	// tell apart conditions of one rule.
	Color color.Color
	Runs  []eval.Outcome
}

// EpisodesToCriterion draws episodes to criterion per rule or condition as
// a strip plot (the paper's figure 1h): one dot per run, spread sideways by
// a fixed jitter, a black bar at each group's median, and runs that never
// met the criterion (censored at the episode count they ran) drawn as
// hollow triangles (draw.TriangleGlyph is an outline), named "not reached"
// in the legend. A long name is written on two lines. Each group needs a
// name and at least one run, with Episodes >= 0.
func EpisodesToCriterion(groups ...Outcomes) (*Figure, error) {
	const fn = "EpisodesToCriterion"
	if len(groups) == 0 {
		return nil, fmt.Errorf("plots: %s: groups is empty", fn)
	}
	p := newPlot("episodes to criterion", "", "episodes")
	names := make([]string, len(groups))
	anyCensored := false
	var censoredThumb plot.Thumbnailer
	for g, grp := range groups {
		if grp.Name == "" {
			return nil, fmt.Errorf("plots: %s: groups[%d].Name is empty", fn, g)
		}
		if len(grp.Runs) == 0 {
			return nil, fmt.Errorf("plots: %s: groups[%d] (%s): Runs is empty", fn, g, grp.Name)
		}
		names[g] = wrapName(grp.Name)
		var reached, censored plotter.XYs
		for k, o := range grp.Runs {
			if o.Episodes < 0 {
				return nil, fmt.Errorf("plots: %s: groups[%d] (%s): Runs[%d].Episodes = %d; want >= 0", fn, g, grp.Name, k, o.Episodes)
			}
			xy := plotter.XY{X: float64(g) + jitter(k), Y: float64(o.Episodes)}
			if o.Censored {
				censored = append(censored, xy)
			} else {
				reached = append(reached, xy)
			}
		}
		c := colourOf(grp.Color, grp.Name)
		if len(reached) > 0 {
			s, err := scatter(reached, dot(c))
			if err != nil {
				return nil, fmt.Errorf("plots: %s: %w", fn, err)
			}
			p.Add(s)
		}
		if len(censored) > 0 {
			s, err := scatter(censored, draw.GlyphStyle{Color: c, Radius: dotRadius * 1.3, Shape: draw.TriangleGlyph{}})
			if err != nil {
				return nil, fmt.Errorf("plots: %s: %w", fn, err)
			}
			p.Add(s)
			anyCensored = true
			censoredThumb = s
		}
		med := eval.SummarizeOutcomes(grp.Runs).Median
		bar, err := plotter.NewLine(plotter.XYs{{X: float64(g) - 0.3, Y: med}, {X: float64(g) + 0.3, Y: med}})
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", fn, err)
		}
		bar.LineStyle = draw.LineStyle{Color: okabeBlack, Width: lineWidth}
		p.Add(bar)
		if g == 0 {
			p.Legend.Add("median", bar)
		}
	}
	if anyCensored {
		p.Legend.Add("not reached", censoredThumb)
	}
	p.NominalX(names...)
	top := 0
	for _, grp := range groups {
		for _, o := range grp.Runs {
			top = max(top, o.Episodes)
		}
	}
	p.Y.Max = 1.4 * float64(max(top, 1)) // headroom for the legend
	p.X.Min, p.X.Max = -0.6, float64(len(groups))-0.4
	p.Y.Min = 0
	p.Legend.Top, p.Legend.Left = true, false
	f := newFigure(p.Title.Text, p)
	f.Width, f.Height = vg.Length(6+3*len(groups))*vg.Centimeter, 10*vg.Centimeter
	return f, nil
}

// wrapName breaks a long group name onto two lines at the space nearest
// its middle, so that the names under a strip plot's groups do not run
// into each other in a narrow panel.
func wrapName(name string) string {
	const long = 12
	if len([]rune(name)) <= long || strings.Contains(name, "\n") {
		return name
	}
	best := -1
	for i, r := range name {
		if r == ' ' && (best < 0 || abs(i-len(name)/2) < abs(best-len(name)/2)) {
			best = i
		}
	}
	if best < 0 {
		return name
	}
	return name[:best] + "\n" + name[best+1:]
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// colourOf is c, or the rule colour of name when c is nil.
func colourOf(c color.Color, name string) color.Color {
	if c != nil {
		return c
	}
	return RuleColor(name)
}

// jitter is the sideways offset of the k-th dot of a strip: a fixed
// low-discrepancy sequence in [-0.2, 0.2], so that figures are reproducible.
func jitter(k int) float64 {
	const golden = 0.6180339887498949
	v := math.Mod(float64(k)*golden, 1)
	return 0.4 * (v - 0.5)
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
