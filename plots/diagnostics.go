package plots

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// scatter returns a scatter plotter of xys in colour c with filled circles.
func scatter(xys plotter.XYs, c draw.GlyphStyle) (*plotter.Scatter, error) {
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = c
	return s, nil
}

// dot is the house glyph: a filled circle.
func dot(c interface{ RGBA() (r, g, b, a uint32) }) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: dotRadius, Shape: draw.CircleGlyph{}}
}

// ring is a hollow circle.
func ring(c interface{ RGBA() (r, g, b, a uint32) }) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: dotRadius, Shape: draw.RingGlyph{}}
}

// GradientCheck draws the gradient check of a meta-gradient: each
// component of the tangent-propagation gradient against the same component
// by central finite differences, with the line y = x. The title gives the
// relative error ||tangent - fd|| / ||fd|| and the largest per-component
// relative error |t_i - f_i| / max(|t_i|, |f_i|). tangent and fd must have
// the same, non-zero length and finite values.
func GradientCheck(tangent, fd []float64) (*Figure, error) {
	const fn = "GradientCheck"
	if err := checkValues(fn, "tangent", tangent); err != nil {
		return nil, err
	}
	if err := checkValues(fn, "fd", fd); err != nil {
		return nil, err
	}
	if err := checkSameLen(fn, "fd", len(fd), "tangent", len(tangent)); err != nil {
		return nil, err
	}
	xys := make(plotter.XYs, len(fd))
	worst := 0.0
	for i := range fd {
		xys[i] = plotter.XY{X: fd[i], Y: tangent[i]}
		if den := max(math.Abs(tangent[i]), math.Abs(fd[i])); den > 0 {
			worst = max(worst, math.Abs(tangent[i]-fd[i])/den)
		}
	}
	rel := 0.0
	if n := floats.Norm(fd, 2); n > 0 {
		rel = floats.Distance(tangent, fd, 2) / n
	}
	title := fmt.Sprintf("gradient check\nrelative error %.1e, worst component %.1e", rel, worst)
	p := newPlot(title, "finite differences ∂R/∂φ", "tangent propagation ∂R/∂φ")
	lo := min(floats.Min(fd), floats.Min(tangent))
	hi := max(floats.Max(fd), floats.Max(tangent))
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	pad := 0.05 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	diag, err := plotter.NewLine(plotter.XYs{{X: lo, Y: lo}, {X: hi, Y: hi}})
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	diag.LineStyle = draw.LineStyle{Color: grey, Width: thinWidth, Dashes: []vg.Length{4, 3}}
	pts, err := scatter(xys, dot(okabeBlue))
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	p.Add(diag, pts)
	p.Legend.Add("y = x", diag)
	p.Legend.Top, p.Legend.Left = true, true
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
	f := newFigure(title, p)
	f.Width, f.Height = 14*vg.Centimeter, 12*vg.Centimeter
	return f, nil
}

// CostPoint is one measurement of the cost of tangent propagation: the
// time per unit of work (a step, a trial, an episode: say which in the
// figure's labels) for a network of N units carrying P meta-parameters.
type CostPoint struct {
	N, P    int
	Seconds float64
}

// Cost draws measured cost against N (one line per P) and against P (one
// line per N), both on log–log axes, each with a dashed reference of the
// expected scaling O(P N^2) (slope 2 in N, 1 in P) through the first line's
// first point. Every point needs N > 0, P > 0 and Seconds > 0 and finite.
func Cost(points []CostPoint) (*Figure, error) {
	const fn = "Cost"
	if len(points) == 0 {
		return nil, fmt.Errorf("plots: %s: points is empty", fn)
	}
	for i, pt := range points {
		switch {
		case pt.N <= 0:
			return nil, fmt.Errorf("plots: %s: points[%d].N = %d; want > 0", fn, i, pt.N)
		case pt.P <= 0:
			return nil, fmt.Errorf("plots: %s: points[%d].P = %d; want > 0", fn, i, pt.P)
		case !(pt.Seconds > 0) || math.IsInf(pt.Seconds, 0):
			return nil, fmt.Errorf("plots: %s: points[%d].Seconds = %v; want > 0 and finite", fn, i, pt.Seconds)
		}
	}
	byN, err := costPanel(points, "network size N", "cost vs N, one line per P", "P",
		func(c CostPoint) (int, int) { return c.P, c.N }, 2)
	if err != nil {
		return nil, err
	}
	byP, err := costPanel(points, "meta-parameters P", "cost vs P, one line per N", "N",
		func(c CostPoint) (int, int) { return c.N, c.P }, 1)
	if err != nil {
		return nil, err
	}
	f := &Figure{Width: 22 * vg.Centimeter, Height: 10 * vg.Centimeter, title: "cost of tangent propagation vs N and P"}
	f.add(byN, 0, 0, 0.5, 1)
	f.add(byP, 0.5, 0, 1, 1)
	return f, nil
}

// costPanel draws cost against the variable key returns second, one line
// per value of the one it returns first, with a reference slope.
func costPanel(points []CostPoint, xLabel, title, series string, key func(CostPoint) (int, int), slope float64) (*plot.Plot, error) {
	groups := map[int]plotter.XYs{}
	for _, pt := range points {
		g, x := key(pt)
		groups[g] = append(groups[g], plotter.XY{X: float64(x), Y: pt.Seconds})
	}
	keys := make([]int, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	p := newPlot(title, xLabel, "seconds")
	p.X.Scale, p.Y.Scale = logScale(), logScale()
	p.X.Tick.Marker, p.Y.Tick.Marker = logTicks(), logTicks()
	p.Legend.Top = false // the lines rise to the top right: the legend goes bottom right
	var first plotter.XY
	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for i, k := range keys {
		xys := groups[k]
		slices.SortFunc(xys, func(a, b plotter.XY) int { return cmpFloat(a.X, b.X) })
		if i == 0 {
			first = xys[0]
		}
		for _, xy := range xys {
			xmin, xmax = min(xmin, xy.X), max(xmax, xy.X)
			ymin, ymax = min(ymin, xy.Y), max(ymax, xy.Y)
		}
		l, s, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: Cost: %w", err)
		}
		c := Categorical(i)
		l.LineStyle = lineStyle(c)
		s.GlyphStyle = dot(c)
		p.Add(l, s)
		p.Legend.Add(fmt.Sprintf("%s = %d", series, k), l, s)
	}
	if xmax > xmin {
		ref := plotter.XYs{
			{X: xmin, Y: first.Y * math.Pow(xmin/first.X, slope)},
			{X: xmax, Y: first.Y * math.Pow(xmax/first.X, slope)},
		}
		l, err := plotter.NewLine(ref)
		if err != nil {
			return nil, fmt.Errorf("plots: Cost: %w", err)
		}
		l.LineStyle = draw.LineStyle{Color: grey, Width: thinWidth, Dashes: []vg.Length{4, 3}}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("slope %g", slope), l)
	}
	logRange(&p.X, xmin, xmax)
	logRange(&p.Y, ymin, ymax)
	return p, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
