package plots

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Spectrum draws the eigenvalues of the recurrent weights J before and
// after learning in the complex plane (before: grey rings, after: filled
// dots), with the unit circle, the edge of stability of the linearised
// dynamics, dashed. before and after must be square, finite and of one
// size. It computes both eigendecompositions (O(N^3)).
func Spectrum(before, after mat.Matrix) (*Figure, error) {
	const fn = "Spectrum"
	for _, m := range []struct {
		name string
		m    mat.Matrix
	}{{"before", before}, {"after", after}} {
		if err := checkMatrix(fn, m.name, m.m); err != nil {
			return nil, err
		}
		if r, c := m.m.Dims(); r != c {
			return nil, fmt.Errorf("plots: %s: %s is %d x %d; want a square matrix", fn, m.name, r, c)
		}
	}
	rb, _ := before.Dims()
	if ra, _ := after.Dims(); ra != rb {
		return nil, fmt.Errorf("plots: %s: after is %d x %d; want %d x %d, as before", fn, ra, ra, rb, rb)
	}
	ev0, err := eigenvalues(before)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: before: %w", fn, err)
	}
	ev1, err := eigenvalues(after)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: after: %w", fn, err)
	}
	p := newPlot("eigenvalues of J before and after learning", "Re λ", "Im λ")
	circle := make(plotter.XYs, 129)
	for i := range circle {
		a := 2 * math.Pi * float64(i) / float64(len(circle)-1)
		circle[i] = plotter.XY{X: math.Cos(a), Y: math.Sin(a)}
	}
	unit, err := plotter.NewLine(circle)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	unit.LineStyle = draw.LineStyle{Color: grey, Width: thinWidth, Dashes: []vg.Length{4, 3}}
	p.Add(unit)
	p.Legend.Add("|λ| = 1", unit)
	radius := 1.0
	for i, ev := range [][]complex128{ev0, ev1} {
		xys := make(plotter.XYs, len(ev))
		for j, z := range ev {
			xys[j] = plotter.XY{X: real(z), Y: imag(z)}
			radius = max(radius, cmplx.Abs(z))
		}
		sty := ring(grey)
		name := "before"
		if i == 1 {
			sty = dot(withAlpha(okabeVermillion, 0.8))
			sty.Radius = dotRadius * 0.8
			name = "after"
		}
		s, err := scatter(xys, sty)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", fn, err)
		}
		p.Add(s)
		p.Legend.Add(name, s)
	}
	radius *= 1.08
	// Room above the spectrum for the legend.
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -radius, radius, -radius, 1.45*radius
	p.Legend.Left = true
	f := newFigure(p.Title.Text, p)
	f.Width, f.Height = 14*vg.Centimeter, 13*vg.Centimeter
	return f, nil
}

// eigenvalues returns the eigenvalues of the square matrix m.
func eigenvalues(m mat.Matrix) ([]complex128, error) {
	var e mat.Eigen
	if !e.Factorize(m, mat.EigenNone) {
		return nil, fmt.Errorf("eigendecomposition did not converge")
	}
	return e.Values(nil), nil
}

// SingularValues draws the singular values of a weight change dW (for
// example the J accumulated over learning minus the initial J), largest
// first, on a log axis, with the fraction of the squared Frobenius norm the
// leading ones capture in the title: a rule whose updates share a few
// directions shows a fast drop. dW must be finite and not all zero. It
// computes an SVD (O(N^3)).
func SingularValues(dW mat.Matrix) (*Figure, error) {
	const fn = "SingularValues"
	if err := checkMatrix(fn, "dW", dW); err != nil {
		return nil, err
	}
	var svd mat.SVD
	if !svd.Factorize(dW, mat.SVDNone) {
		return nil, fmt.Errorf("plots: %s: dW: SVD did not converge", fn)
	}
	s := svd.Values(nil)
	total := 0.0
	for _, v := range s {
		total += v * v
	}
	if total == 0 {
		return nil, fmt.Errorf("plots: %s: dW is all zeros; nothing to decompose", fn)
	}
	top := min(3, len(s))
	lead := 0.0
	for _, v := range s[:top] {
		lead += v * v
	}
	floor := s[0] * 1e-12 // drop values at rounding level: log axis
	xys := make(plotter.XYs, 0, len(s))
	for i, v := range s {
		if v > floor {
			xys = append(xys, plotter.XY{X: float64(i + 1), Y: v})
		}
	}
	title := fmt.Sprintf("singular values of ΔJ\ntop %d: %.1f%% of ‖ΔJ‖²", top, 100*lead/total)
	p := newPlot(title, "index i", "singular value σᵢ")
	p.X.Tick.Marker = niceTicks{integer: true}
	p.Y.Scale = logScale()
	p.Y.Tick.Marker = logTicks()
	l, pts, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	l.LineStyle = draw.LineStyle{Color: okabeBlue, Width: thinWidth}
	pts.GlyphStyle = dot(okabeBlue)
	pts.GlyphStyle.Radius = dotRadius * 0.7
	p.Add(l, pts)
	logRange(&p.Y, xys[len(xys)-1].Y, xys[0].Y)
	f := newFigure(title, p)
	f.Width, f.Height = 16*vg.Centimeter, 11*vg.Centimeter
	return f, nil
}
