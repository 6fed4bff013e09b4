package plots

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"git.sr.ht/~sbinet/gg"
	xdraw "golang.org/x/image/draw"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default sizes of figures, used by MIMEBundle and by Save and Encode when
// given a zero size. At 96 dpi a single panel is about 680 x 450 pixels: it
// fills most of a notebook's width and its text stays readable.
const (
	DefaultWidth  = 18 * vg.Centimeter
	DefaultHeight = 12 * vg.Centimeter
	// DefaultDPI is the resolution of PNG output when Figure.DPI is zero.
	DefaultDPI = 96
)

// A drawer draws itself into a canvas: *plot.Plot, *Figure and the panel
// letters of Grid are drawers.
type drawer interface {
	Draw(c draw.Canvas)
}

// panel places a drawer in the rectangle [x0, x1] x [y0, y1] of its
// figure, in fractions of the figure's width and height (y upwards).
type panel struct {
	d              drawer
	x0, y0, x1, y1 float64
	// minScale is the smallest factor by which a Figure panel is scaled
	// to fit its rectangle (zero: no floor; see drawScaled).
	minScale float64
	// left, top are insets of a Figure panel from the rectangle's left
	// and top edges, in the page's lengths (room for a panel letter and
	// a gap to the row above).
	left, top vg.Length
}

// Figure is a finished figure: one or more gonum/plot plots laid out on a
// page. It is built by the figure functions of this package and by Grid.
//
// A Figure is displayed inline by the plasticnb kernel (MIMEBundle) and is
// saved to .png, .svg or .pdf (Save). Its plots can be edited before drawing
// (Plot, Plots): a Figure is drawn each time it is saved or displayed.
// Drawing updates the plots' axes (gonum/plot settles their ranges), so a
// Figure must not be drawn from several goroutines at once.
type Figure struct {
	// Width and Height are the size used by MIMEBundle, and by Save and
	// Encode when they are given a zero size. The figure functions set
	// them to a size that suits the figure.
	Width, Height vg.Length
	// DPI is the resolution of PNG output; zero means DefaultDPI.
	DPI int

	title  string
	plots  []*plot.Plot // every plot drawn directly by this figure, main first
	panels []panel
	// grid marks a Figure made by Grid: drawn as a panel, it fills its
	// rectangle unscaled and lets each of its own panels find its scale.
	grid bool
}

// newFigure returns a figure of default size showing p over the whole page.
func newFigure(title string, p *plot.Plot) *Figure {
	f := &Figure{Width: DefaultWidth, Height: DefaultHeight, title: title}
	if p != nil {
		f.add(p, 0, 0, 1, 1)
	}
	return f
}

// add places d in the given fraction of the page.
func (f *Figure) add(d drawer, x0, y0, x1, y1 float64) {
	f.addPanel(panel{d: d, x0: x0, y0: y0, x1: x1, y1: y1})
}

// addPanel adds p to the page.
func (f *Figure) addPanel(p panel) {
	d := p.d
	switch d := d.(type) {
	case *plot.Plot:
		f.plots = append(f.plots, d)
	case interface{ plotsOf() []*plot.Plot }:
		f.plots = append(f.plots, d.plotsOf()...)
	}
	f.panels = append(f.panels, p)
}

// Title returns the figure's title (also its text/plain representation).
func (f *Figure) Title() string { return f.title }

// Plot returns the figure's main plot, to change its labels, ranges or
// style before the figure is drawn; nil for a Grid. Its BackgroundColor
// is nil: the figure paints the page white once.
func (f *Figure) Plot() *plot.Plot {
	if len(f.plots) == 0 {
		return nil
	}
	return f.plots[0]
}

// Plots returns every plot the figure draws directly, the main plot first
// (for example a heat map and its colour bar). A Grid has none of its own:
// its panels are Figures.
func (f *Figure) Plots() []*plot.Plot { return append([]*plot.Plot(nil), f.plots...) }

// Draw draws the figure into c, filling c with white first.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	f.drawPanels(c)
}

// drawPanels draws the panels into c without filling the background (the
// plots of this package have none: one fill per figure, not per plot).
func (f *Figure) drawPanels(c draw.Canvas) {
	w := c.Max.X - c.Min.X
	h := c.Max.Y - c.Min.Y
	for _, p := range f.panels {
		sub := c
		sub.Min = vg.Point{X: c.Min.X + vg.Length(p.x0)*w, Y: c.Min.Y + vg.Length(p.y0)*h}
		sub.Max = vg.Point{X: c.Min.X + vg.Length(p.x1)*w, Y: c.Min.Y + vg.Length(p.y1)*h}
		if fig, ok := p.d.(*Figure); ok {
			sub.Min.X += p.left
			sub.Max.Y -= p.top
			if fig.grid {
				fig.drawPanels(sub)
				continue
			}
			fig.drawScaled(sub, p.minScale)
			continue
		}
		p.d.Draw(sub)
	}
}

// drawScaled draws f as a panel of a larger figure: scaled as a whole, text
// included, by the factor that fits its own Width x Height into c, and
// filling c (the panel keeps its proportions of text to data and grows in
// the direction where c has room). The factor is at least minScale: a
// panel that would shrink further keeps its text at minScale and is laid
// out anew in the room it has (its plots get smaller, its text does not).
func (f *Figure) drawScaled(c draw.Canvas, minScale float64) {
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	fw, fh, err := f.size(0, 0)
	if err != nil || w <= 0 || h <= 0 {
		return
	}
	s := max(min(w/fw, h/fh), vg.Length(minScale))
	c.Push()
	defer c.Pop()
	c.Translate(c.Min)
	c.Scale(float64(s), float64(s))
	f.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Max: vg.Point{X: w / s, Y: h / s}}})
}

// Format is an output format of Encode, named by its file extension.
type Format string

// The output formats.
const (
	PNG Format = "png"
	SVG Format = "svg"
	PDF Format = "pdf"
)

// size replaces zero lengths by the figure's size.
func (f *Figure) size(w, h vg.Length) (vg.Length, vg.Length, error) {
	if w == 0 {
		w = f.Width
	}
	if h == 0 {
		h = f.Height
	}
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	if w < 0 || h < 0 {
		return 0, 0, fmt.Errorf("plots: figure size %v x %v: width and height must be positive", w, h)
	}
	return w, h, nil
}

// Encode draws the figure at size w x h (zero: the figure's Width and
// Height) and writes it to dst in the given format. PNGs are compressed
// for speed (what inline display wants); Save compresses them harder.
func (f *Figure) Encode(dst io.Writer, format Format, w, h vg.Length) error {
	return f.encode(dst, format, w, h, png.BestSpeed)
}

// encode is Encode with the PNG compression level. A panic while drawing
// (a gonum/plot plotter given data it cannot draw) becomes an error.
func (f *Figure) encode(dst io.Writer, format Format, w, h vg.Length, level png.CompressionLevel) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: drawing %q failed: %v", f.title, r)
		}
	}()
	w, h, err = f.size(w, h)
	if err != nil {
		return err
	}
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch Format(strings.ToLower(string(format))) {
	case PNG:
		dpi := f.DPI
		if dpi <= 0 {
			dpi = DefaultDPI
		}
		// Our own gg context, as vgimg.NewWith would make it, but scaling
		// images (raster heat maps) with the approximate bilinear
		// interpolator: gg's default, the exact kernel, takes most of the
		// time of a figure with a heat map.
		img := image.NewRGBA(image.Rect(0, 0, int(w/vg.Inch*vg.Length(dpi)+0.5), int(h/vg.Inch*vg.Length(dpi)+0.5)))
		ctx := gg.NewContextForRGBA(img)
		ctx.SetLineCapButt()
		ctx.InvertY()
		ctx.SetInterpolator(xdraw.ApproxBiLinear)
		ic := vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(dpi))
		f.drawPanels(draw.New(ic)) // vgimg has filled the image white
		// For display, the fastest deflate: default compression spends most
		// of the time of a figure with a smooth heat map.
		enc := png.Encoder{CompressionLevel: level}
		return enc.Encode(dst, ic.Image())
	case SVG:
		c = vgsvg.New(w, h)
	case PDF:
		c = vgpdf.New(w, h)
	default:
		return fmt.Errorf("plots: format %q: want png, svg or pdf", format)
	}
	f.Draw(draw.New(c))
	_, err = c.WriteTo(dst)
	return err
}

// Save draws the figure at size w x h and writes it to the file path, in
// the format its extension names: .png, .svg or .pdf. Sizes are
// gonum.org/v1/plot/vg lengths: 17*vg.Centimeter, 4*vg.Inch; zero means the
// figure's Width or Height.
func (f *Figure) Save(path string, w, h vg.Length) (err error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	if ext == "" {
		return fmt.Errorf("plots: save %q: the file name needs an extension (.png, .svg or .pdf)", path)
	}
	var buf bytes.Buffer
	if err := f.encode(&buf, Format(ext), w, h, png.DefaultCompression); err != nil {
		return fmt.Errorf("plots: save %q: %w", path, err)
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// PNG returns the figure drawn as a PNG image of its Width, Height and DPI.
func (f *Figure) PNG() ([]byte, error) {
	var buf bytes.Buffer
	err := f.Encode(&buf, PNG, 0, 0)
	return buf.Bytes(), err
}

// MIMEBundle implements the plasticnb kernel's display contract: the
// figure as a base64-encoded PNG under "image/png" and its title under
// "text/plain". If drawing fails, the bundle holds only the error text.
func (f *Figure) MIMEBundle() map[string]any {
	b, err := f.PNG()
	if err != nil {
		return map[string]any{"text/plain": err.Error()}
	}
	return map[string]any{
		"image/png":  base64.StdEncoding.EncodeToString(b),
		"text/plain": f.String(),
	}
}

// String describes the figure by its title.
func (f *Figure) String() string {
	if f.title == "" {
		return "plots.Figure"
	}
	return "plots.Figure: " + f.title
}
