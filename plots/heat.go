package plots

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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

// heatMap returns a heat map of g under the colour map cm: cell by cell
// (plotter.HeatMap) for coarse grids, or, when rasterized is set, as one
// image (rasterHeat), much faster for fine grids.
func heatMap(g plotter.GridXYZ, cm palette.ColorMap, rasterized bool) plot.Plotter {
	if rasterized {
		return newRasterHeat(g, cm)
	}
	h := plotter.NewHeatMap(g, cm.Palette(255))
	h.Min, h.Max = cm.Min(), cm.Max()
	h.NaN = color.Transparent
	return h
}

// rasterHeat draws a regular grid as one image, one pixel per cell, which
// the canvas scales to the data area. Unlike plotter.HeatMap with
// Rasterized set it builds an *image.RGBA (the scaler's fast path), maps
// values through a 256-colour table, and reports no glyph boxes (a box per
// cell makes every layout pass slow).
type rasterHeat struct {
	img                    *plotter.Image
	xmin, xmax, ymin, ymax float64
}

// newRasterHeat renders g under cm. g must be regular (evenly spaced X
// and Y), with at least one cell; values outside cm's range are clamped.
func newRasterHeat(g plotter.GridXYZ, cm palette.ColorMap) rasterHeat {
	cols, rows := g.Dims()
	const levels = 256
	table := make([]color.RGBA, levels)
	lo, hi := cm.Min(), cm.Max()
	for i := range table {
		c, err := cm.At(lo + (hi-lo)*float64(i)/(levels-1))
		if err == nil {
			r, gg, b, a := c.RGBA()
			table[i] = color.RGBA{uint8(r >> 8), uint8(gg >> 8), uint8(b >> 8), uint8(a >> 8)}
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, cols, rows))
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			z := g.Z(c, r)
			if math.IsNaN(z) {
				continue // transparent
			}
			i := int(math.Round((z - lo) / (hi - lo) * (levels - 1)))
			i = min(max(i, 0), levels-1)
			img.SetRGBA(c, rows-1-r, table[i])
		}
	}
	half := func(n int, at func(int) float64) (float64, float64) {
		if n == 1 {
			return at(0) - 0.5, at(0) + 0.5
		}
		d := (at(n-1) - at(0)) / float64(n-1) / 2
		return at(0) - d, at(n-1) + d
	}
	h := rasterHeat{}
	h.xmin, h.xmax = half(cols, g.X)
	h.ymin, h.ymax = half(rows, g.Y)
	h.img = plotter.NewImage(img, h.xmin, h.ymin, h.xmax, h.ymax)
	return h
}

// Plot implements plot.Plotter.
func (h rasterHeat) Plot(c draw.Canvas, p *plot.Plot) { h.img.Plot(c, p) }

// DataRange implements plot.DataRanger.
func (h rasterHeat) DataRange() (xmin, xmax, ymin, ymax float64) {
	return h.xmin, h.xmax, h.ymin, h.ymax
}

// colourBar returns a plot holding only a vertical colour bar for cm.
func colourBar(cm palette.ColorMap, label string) *plot.Plot {
	p := newPlot("", "", label)
	p.HideX()
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.Y.Min, p.Y.Max = cm.Min(), cm.Max()
	return p
}

// cellLabels writes label(r, c) at the centre of each cell of the heat map
// of m under cm (row r at y = r, column c at x = c, as matGrid places
// them), in dark text, or light text on dark cells.
func cellLabels(m mat.Matrix, cm palette.ColorMap, size vg.Length, label func(r, c int) string) (*plotter.Labels, error) {
	rows, cols := m.Dims()
	xys := make(plotter.XYs, 0, rows*cols)
	labels := make([]string, 0, rows*cols)
	styles := make([]text.Style, 0, rows*cols)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			xys = append(xys, plotter.XY{X: float64(c), Y: float64(r)})
			labels = append(labels, label(r, c))
			s := textStyle(size)
			if col, err := cm.At(m.At(r, c)); err == nil && luminance(col) < 0.45 {
				s.Color = lightGrey
			}
			styles = append(styles, s)
		}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, err
	}
	lab.TextStyle = styles
	return lab, nil
}

// fitLabels draws cell labels only as large as fits a cell: when the
// widest label is wider than a cell, the labels take their short form
// (short, if set), then shrink, down to minShrink of their size, and below
// that they are left out (the colours and the colour bar still tell the
// values) rather than written over each other.
type fitLabels struct {
	*plotter.Labels
	short []string // the labels' short forms, or nil
}

// minShrink is the least factor by which fitLabels shrinks its text.
const minShrink = 0.85

// Plot implements plot.Plotter.
func (l fitLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	cell := (trX(1) - trX(0)) * 0.9
	widest := func(labels []string) vg.Length {
		w := vg.Length(0)
		for i, txt := range labels {
			w = max(w, l.TextStyle[i].Width(txt))
		}
		return w
	}
	w := widest(l.Labels.Labels)
	if w <= cell {
		l.Labels.Plot(c, p)
		return
	}
	shrunk := *l.Labels
	if l.short != nil {
		shrunk.Labels = l.short
		w = widest(l.short)
	}
	f := min(1, cell/w)
	if f < minShrink {
		return
	}
	shrunk.TextStyle = append([]text.Style(nil), l.TextStyle...)
	for i := range shrunk.TextStyle {
		shrunk.TextStyle[i].Font.Size *= f
	}
	shrunk.Plot(c, p)
}

// luminance is the relative luminance of c in [0, 1].
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}
