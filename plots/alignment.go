package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/plasticnb/plasticnb/plasticlib/credit"
)

// Alignment draws how well each rule's trial-end update follows the
// descent direction of the expected error (credit.Align): per rule, its
// alignment rho as a dot with a bar of two standard errors either side,
// and a dashed line at 0 (no alignment). The title gives rho for exact
// per-trial gradients (credit.Gradient.Oracle: what SGD would have,
// usually far above every three-factor rule) when oracle > 0. Each
// alignment needs a rule name and finite Rho and RhoSE >= 0.
func Alignment(oracle float64, as ...credit.Alignment) (*Figure, error) {
	const fn = "Alignment"
	if len(as) == 0 {
		return nil, fmt.Errorf("plots: %s: as is empty", fn)
	}
	if math.IsNaN(oracle) || math.IsInf(oracle, 0) {
		return nil, fmt.Errorf("plots: %s: oracle = %v; want a finite value", fn, oracle)
	}
	title := "alignment of the update with the descent direction −g"
	if oracle > 0 {
		title += fmt.Sprintf("\n(exact per-trial gradients: ρ = %.3g)", oracle)
	}
	p := newPlot(title, "", "ρ = E[−g·u] / (|g| rms u)")
	names := make([]string, len(as))
	lo, hi := 0.0, 0.0
	for k, a := range as {
		if a.Rule == "" {
			return nil, fmt.Errorf("plots: %s: as[%d].Rule is empty", fn, k)
		}
		if math.IsNaN(a.Rho) || math.IsInf(a.Rho, 0) || !(a.RhoSE >= 0) || math.IsInf(a.RhoSE, 0) {
			return nil, fmt.Errorf("plots: %s: as[%d] (%s): Rho = %v, RhoSE = %v; want finite values, RhoSE >= 0", fn, k, a.Rule, a.Rho, a.RhoSE)
		}
		names[k] = wrapName(a.Rule)
		c := RuleColor(a.Rule)
		pt := struct {
			plotter.XYs
			plotter.YErrors
		}{plotter.XYs{{X: float64(k), Y: a.Rho}}, plotter.YErrors{{Low: 2 * a.RhoSE, High: 2 * a.RhoSE}}}
		bars, err := plotter.NewYErrorBars(pt)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", fn, err)
		}
		bars.LineStyle = draw.LineStyle{Color: c, Width: lineWidth}
		s, err := scatter(pt.XYs, dot(c))
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", fn, err)
		}
		p.Add(bars, s)
		lo, hi = min(lo, a.Rho-2*a.RhoSE), max(hi, a.Rho+2*a.RhoSE)
	}
	if lo == hi {
		hi = 1
	}
	pad := 0.1 * (hi - lo)
	zero, err := plotter.NewLine(plotter.XYs{{X: -0.6, Y: 0}, {X: float64(len(as)) - 0.4, Y: 0}})
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	zero.LineStyle = draw.LineStyle{Color: grey, Width: thinWidth, Dashes: []vg.Length{4, 3}}
	p.Add(zero)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(as))-0.4
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	f := newFigure(title, p)
	f.Width, f.Height = vg.Length(6+3*len(as))*vg.Centimeter, 10*vg.Centimeter
	return f, nil
}
