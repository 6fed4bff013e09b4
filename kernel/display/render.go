package display

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"reflect"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Markdown is text rendered as Markdown (text/markdown).
type Markdown string

// HTML is an HTML fragment (text/html).
type HTML string

// LaTeX is a LaTeX math expression, e.g. `$e^{i\pi} = -1$` (text/latex).
type LaTeX string

// SVG is an SVG document (image/svg+xml).
type SVG string

// PNG is an encoded PNG image (image/png).
type PNG []byte

// MIMEBundler is implemented by values that render themselves: the map's
// keys are media types and its values the data (a string, or []byte for
// binary types, which Render base64-encodes).
type MIMEBundler interface {
	MIMEBundle() map[string]any
}

// Config sets how values are rendered. The zero value is ready to use.
type Config struct {
	// PlotWidth and PlotHeight are the size of a rendered *plot.Plot in
	// pixels at 96 dpi. Zero means 800 and 600.
	PlotWidth, PlotHeight int
}

func (c Config) plotSize() (w, h int) {
	w, h = c.PlotWidth, c.PlotHeight
	if w <= 0 {
		w = 800
	}
	if h <= 0 {
		h = 600
	}
	return w, h
}

// plotDPI is the resolution plots are rendered at: the one browsers assume
// for CSS pixels, so a plot shows at its nominal size.
const plotDPI = 96

// Render returns the bundle for v under the default Config; see the package
// documentation for the rules.
func Render(v any) Bundle { return Config{}.Render(v) }

// Render returns the bundle for v; see the package documentation for the
// rules. A value that fails to render (a plot whose Draw panics, an image
// that cannot be encoded) renders as text/plain naming the error.
func (c Config) Render(v any) Bundle {
	switch v := v.(type) {
	case Bundle:
		return v
	case *Bundle:
		if v != nil {
			return *v
		}
	case Markdown:
		return textBundle(MIMEMarkdown, string(v))
	case HTML:
		return textBundle(MIMEHTML, string(v))
	case LaTeX:
		return textBundle(MIMELaTeX, string(v))
	case SVG:
		return Bundle{Data: map[MIME]any{MIMESVG: string(v), MIMEPlain: "<SVG image>"}}
	case PNG:
		return pngBundle(v, "<PNG image>")
	case *plot.Plot:
		if v != nil {
			return c.plotBundle(v)
		}
	case image.Image:
		if v != nil && !isNilPointer(v) {
			b := v.Bounds()
			buf, err := EncodePNG(v)
			if err != nil {
				return plain(fmt.Sprintf("<image %dx%d: %v>", b.Dx(), b.Dy(), err))
			}
			return pngBundle(buf, fmt.Sprintf("<image %dx%d>", b.Dx(), b.Dy()))
		}
	case BundleRenderer:
		if !isNilPointer(v) {
			return rendererBundle(v)
		}
	case MIMEBundler:
		if !isNilPointer(v) {
			return bundlerBundle(v)
		}
	}
	return plain(Text(v))
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// Text is the text/plain rendering of an ordinary value: fmt's %+v (struct
// field names shown), except that strings are shown as they are, without
// quotes, and nil as "<nil>".
func Text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprintf("%+v", v)
}

func plain(s string) Bundle { return Bundle{Data: map[MIME]any{MIMEPlain: s}} }

func textBundle(m MIME, s string) Bundle {
	return Bundle{Data: map[MIME]any{m: s, MIMEPlain: s}}
}

func pngBundle(data []byte, alt string) Bundle {
	return Bundle{Data: map[MIME]any{
		MIMEPNG:   base64.StdEncoding.EncodeToString(data),
		MIMEPlain: alt,
	}}
}

func rendererBundle(v BundleRenderer) (b Bundle) {
	defer func() {
		if r := recover(); r != nil {
			b = plain(fmt.Sprintf("<RenderBundle of %T panicked: %v>", v, r))
		}
	}()
	return v.RenderBundle()
}

func bundlerBundle(v MIMEBundler) (b Bundle) {
	defer func() {
		if r := recover(); r != nil {
			b = plain(fmt.Sprintf("<MIMEBundle of %T panicked: %v>", v, r))
		}
	}()
	m := v.MIMEBundle()
	b.Data = make(map[MIME]any, len(m))
	for k, x := range m {
		if raw, ok := x.([]byte); ok {
			x = base64.StdEncoding.EncodeToString(raw)
		}
		b.Data[MIME(k)] = x
	}
	if _, ok := b.Data[MIMEPlain]; !ok {
		b.Data[MIMEPlain] = fmt.Sprintf("<%T>", v)
	}
	return b
}

func (c Config) plotBundle(p *plot.Plot) (b Bundle) {
	w, h := c.plotSize()
	data, err := PlotPNG(p, w, h)
	title := p.Title.Text
	if title == "" {
		title = "plot"
	}
	if err != nil {
		return plain(fmt.Sprintf("<%s: %v>", title, err))
	}
	b = pngBundle(data, fmt.Sprintf("<%s, %dx%d PNG>", title, w, h))
	b.Metadata = map[MIME]any{MIMEPNG: map[string]any{"width": w, "height": h}}
	return b
}

// PlotPNG draws p on a canvas of w x h pixels at 96 dpi and returns it
// encoded as PNG. A panic while drawing (gonum/plot panics on some invalid
// data) is returned as an error.
func PlotPNG(p *plot.Plot, w, h int) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing the plot: %v", r)
		}
	}()
	px := vg.Inch / plotDPI
	cv := vgimg.NewWith(vgimg.UseWH(vg.Length(w)*px, vg.Length(h)*px), vgimg.UseDPI(plotDPI))
	p.Draw(draw.New(cv))
	return EncodePNG(cv.Image())
}

// EncodePNG encodes img as PNG with the fastest compression: notebook
// images are sent once, so speed matters more than size.
func EncodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
