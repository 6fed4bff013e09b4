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
	mc := c
	mc.Max.X = c.Max.X - barSpace(w.bar, c)
	w.main.Draw(mc)
	drawBar(w.bar, c, mc.Max.X, w.main.DataCanvas(mc))
}

func (w withBar) plotsOf() []*plot.Plot { return []*plot.Plot{w.main, w.bar} }

// The colour bar's geometry.
const barWidth, barGap, barMargin = vg.Length(14), vg.Length(10), vg.Length(4)

// barSpace is the width a colour bar plot takes at the right of c: the
// bar, its axis and label, and the gaps around it.
func barSpace(bar *plot.Plot, c draw.Canvas) vg.Length {
	axisWidth := bar.DataCanvas(c).Min.X - c.Min.X
	return barMargin + barWidth + axisWidth + barGap
}

// drawBar draws a colour bar plot right of x (to the right edge of c), its
// bar spanning the data area dc of the plot it belongs to.
func drawBar(bar *plot.Plot, c draw.Canvas, x vg.Length, dc draw.Canvas) {
	bc := c
	bc.Min.X = x + barGap
	bc.Max.X = c.Max.X - barMargin
	bc.Min.Y, bc.Max.Y = dc.Min.Y, dc.Max.Y
	bdc := bar.DataCanvas(bc)
	bc.Min.Y -= bdc.Min.Y - dc.Min.Y
	bc.Max.Y += dc.Max.Y - bdc.Max.Y
	bar.Draw(bc)
}

// stack draws plots one above the other, the first on top, with relative
// heights, their data areas aligned on the left so that a shared x axis
// lines up. With a bar, the plot at index barRow has that colour bar at
// its right, and every row leaves the bar's width free so that the x axes
// still line up.
type stack struct {
	plots   []*plot.Plot
	heights []float64 // relative; nil: equal
	bar     *plot.Plot
	barRow  int
}

// Draw implements drawer.
func (s stack) Draw(c draw.Canvas) {
	sc := c
	if s.bar != nil {
		sc.Max.X -= barSpace(s.bar, c)
	}
	canvases := s.layout(sc)
	for i, p := range s.plots {
		p.Draw(canvases[i])
	}
	if s.bar != nil {
		drawBar(s.bar, c, sc.Max.X, s.plots[s.barRow].DataCanvas(canvases[s.barRow]))
	}
}

// layout returns the canvas of each plot in c, left and right edges of
// the data areas aligned (a tick label at the end of one plot's x axis
// takes room at the right that the others must leave too).
func (s stack) layout(c draw.Canvas) []draw.Canvas {
	total := 0.0
	for i := range s.plots {
		total += s.height(i)
	}
	canvases := make([]draw.Canvas, len(s.plots))
	y := c.Max.Y
	left, right := vg.Length(0), vg.Length(0)
	for i, p := range s.plots {
		h := vg.Length(s.height(i)/total) * (c.Max.Y - c.Min.Y)
		ci := c
		ci.Max.Y, ci.Min.Y = y, y-h
		y -= h
		canvases[i] = ci
		dc := p.DataCanvas(ci)
		left = max(left, dc.Min.X-ci.Min.X)
		right = max(right, ci.Max.X-dc.Max.X)
	}
	for i, p := range s.plots {
		dc := p.DataCanvas(canvases[i])
		canvases[i].Min.X += left - (dc.Min.X - canvases[i].Min.X)
		canvases[i].Max.X -= right - (canvases[i].Max.X - dc.Max.X)
	}
	return canvases
}

// axisWidth is the widest room the stack's plots take left of their data
// areas in c.
func (s stack) axisWidth(c draw.Canvas) vg.Length {
	w := vg.Length(0)
	for _, p := range s.plots {
		w = max(w, p.DataCanvas(c).Min.X-c.Min.X)
	}
	return w
}

func (s stack) height(i int) float64 {
	if s.heights == nil {
		return 1
	}
	return s.heights[i]
}

func (s stack) plotsOf() []*plot.Plot {
	if s.bar != nil {
		return append(append([]*plot.Plot(nil), s.plots...), s.bar)
	}
	return s.plots
}

// within is c restricted to the rectangle [x0, x1] x [y0, y1].
func within(c draw.Canvas, x0, y0, x1, y1 vg.Length) draw.Canvas {
	c.Rectangle = vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
	return c
}
