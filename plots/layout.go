package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// withBar draws a main plot with a colour bar to its right, the bar
// spanning exactly the main plot's data area and keeping a fixed width
// whatever the figure's size.
type withBar struct {
	main, bar *plot.Plot
}

// Draw implements drawer.
func (w withBar) Draw(c draw.Canvas) {
	const barWidth, gap, margin = vg.Length(14), vg.Length(10), vg.Length(4)
	axisWidth := w.bar.DataCanvas(c).Min.X - c.Min.X // the bar's axis and label
	mc := c
	mc.Max.X = c.Max.X - margin - barWidth - axisWidth - gap
	w.main.Draw(mc)
	dc := w.main.DataCanvas(mc)

	bc := c
	bc.Min.X = mc.Max.X + gap
	bc.Max.X = c.Max.X - margin
	bc.Min.Y, bc.Max.Y = dc.Min.Y, dc.Max.Y
	bdc := w.bar.DataCanvas(bc)
	bc.Min.Y -= bdc.Min.Y - dc.Min.Y
	bc.Max.Y += dc.Max.Y - bdc.Max.Y
	w.bar.Draw(bc)
}

func (w withBar) plotsOf() []*plot.Plot { return []*plot.Plot{w.main, w.bar} }

// stack draws plots one above the other, the first on top, with relative
// heights, their data areas aligned on the left so that a shared x axis
// lines up.
type stack struct {
	plots   []*plot.Plot
	heights []float64 // relative; nil: equal
}

// Draw implements drawer.
func (s stack) Draw(c draw.Canvas) {
	total := 0.0
	for i := range s.plots {
		total += s.height(i)
	}
	canvases := make([]draw.Canvas, len(s.plots))
	y := c.Max.Y
	left := vg.Length(0)
	for i, p := range s.plots {
		h := vg.Length(s.height(i)/total) * (c.Max.Y - c.Min.Y)
		ci := c
		ci.Max.Y, ci.Min.Y = y, y-h
		y -= h
		canvases[i] = ci
		left = max(left, p.DataCanvas(ci).Min.X-ci.Min.X)
	}
	for i, p := range s.plots {
		ci := canvases[i]
		ci.Min.X += left - (p.DataCanvas(ci).Min.X - ci.Min.X)
		p.Draw(ci)
	}
}

func (s stack) height(i int) float64 {
	if s.heights == nil {
		return 1
	}
	return s.heights[i]
}

func (s stack) plotsOf() []*plot.Plot { return s.plots }
