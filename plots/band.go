package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// band shades the vertical strip x in [x0, x1] over the whole height of the
// data area. It has no data range: it never widens an axis.
type band struct {
	x0, x1 float64
	fill   color.Color
}

// Plot implements plot.Plotter.
func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	lo, hi := max(b.x0, p.X.Min), min(b.x1, p.X.Max)
	if !(hi > lo) {
		return
	}
	tx, _ := p.Transforms(&c)
	x0, x1 := tx(lo), tx(hi)
	c.FillPolygon(b.fill, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
}

// Thumbnail implements plot.Thumbnailer, for legend entries.
func (b band) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(b.fill, []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
}

// The shades of the time-course figures.
const (
	stimShade rgb = 0xf2e6c4 // stimulus epochs: pale sand
	evalShade rgb = 0xd6e6f2 // evaluation window: pale blue
)
