package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// refLine is a horizontal or vertical reference line across the whole data
// area at a data coordinate. It has no data range: it never widens an axis.
type refLine struct {
	at       float64
	vertical bool
	sty      draw.LineStyle
}

// hLine is a horizontal reference line at y.
func hLine(y float64, sty draw.LineStyle) plot.Plotter { return refLine{at: y, sty: sty} }

// vLine is a vertical reference line at x.
func vLine(x float64, sty draw.LineStyle) plot.Plotter {
	return refLine{at: x, vertical: true, sty: sty}
}

// Plot implements plot.Plotter.
func (l refLine) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	var a, b vg.Point
	if l.vertical {
		if l.at < p.X.Min || l.at > p.X.Max {
			return
		}
		x := tx(l.at)
		a, b = vg.Point{X: x, Y: c.Min.Y}, vg.Point{X: x, Y: c.Max.Y}
	} else {
		if l.at < p.Y.Min || l.at > p.Y.Max {
			return
		}
		y := ty(l.at)
		a, b = vg.Point{X: c.Min.X, Y: y}, vg.Point{X: c.Max.X, Y: y}
	}
	c.StrokeLine2(l.sty, a.X, a.Y, b.X, b.Y)
}
