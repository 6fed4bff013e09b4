package plots

import (
	"image/color"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
)

// matGrid shows a matrix as a plotter.GridXYZ: column c at x = c, row r at
// y = r (row 0 at the bottom).
type matGrid struct{ m mat.Matrix }

func (g matGrid) Dims() (c, r int)   { r, c = g.m.Dims(); return c, r }
func (g matGrid) Z(c, r int) float64 { return g.m.At(r, c) }
func (g matGrid) X(c int) float64    { return float64(c) }
func (g matGrid) Y(r int) float64    { return float64(r) }

// sampledGrid holds z(x, y) sampled on a regular grid, z row-major with y
// varying slowest.
type sampledGrid struct {
	xs, ys []float64
	z      []float64
}

func (g sampledGrid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g sampledGrid) Z(c, r int) float64 { return g.z[r*len(g.xs)+c] }
func (g sampledGrid) X(c int) float64    { return g.xs[c] }
func (g sampledGrid) Y(r int) float64    { return g.ys[r] }

// linspace returns n points evenly spaced from a to b inclusive.
func linspace(a, b float64, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return xs
}

// sample evaluates f on the grid xs x ys, returning the grid and max |f|.
func sample(xs, ys []float64, f func(x, y float64) float64) (sampledGrid, float64) {
	g := sampledGrid{xs: xs, ys: ys, z: make([]float64, len(xs)*len(ys))}
	absMax := 0.0
	for r, y := range ys {
		for c, x := range xs {
			v := f(x, y)
			g.z[r*len(xs)+c] = v
			absMax = max(absMax, v, -v)
		}
	}
	return g, absMax
}

// heatMap returns a heat map of g under the colour map cm, rasterized when
// the grid is fine (many cells are much faster drawn as one image).
func heatMap(g plotter.GridXYZ, cm palette.ColorMap, rasterized bool) *plotter.HeatMap {
	h := plotter.NewHeatMap(g, cm.Palette(255))
	h.Min, h.Max = cm.Min(), cm.Max()
	h.Rasterized = rasterized
	h.NaN = color.Transparent
	return h
}

// colourBar returns a plot holding only a vertical colour bar for cm.
func colourBar(cm palette.ColorMap, label string) *plot.Plot {
	p := newPlot("", "", label)
	p.HideX()
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.Y.Min, p.Y.Max = cm.Min(), cm.Max()
	return p
}

// luminance is the relative luminance of c in [0, 1].
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}
