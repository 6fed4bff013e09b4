package display_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/plasticnb/plasticnb/kernel/display"
)

// published is one call of a recording sink.
type published struct {
	kind   string // "stream", "publish", "update", "clear"
	text   string // stream text, or the bundle's text/plain
	id     string
	bundle display.Bundle
}

type recordSink struct {
	mu  sync.Mutex
	got []published
}

func (s *recordSink) Stream(name, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, published{kind: "stream", text: text})
}

func (s *recordSink) Publish(b display.Bundle, id string, update bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kind := "publish"
	if update {
		kind = "update"
	}
	plain, _ := b.Data[display.MIMEPlain].(string)
	s.got = append(s.got, published{kind: kind, text: plain, id: id, bundle: b})
}

func (s *recordSink) Clear(wait bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, published{kind: "clear", text: fmt.Sprint(wait)})
}

type card struct{ name string }

// selfRendered renders itself to a complete bundle, as widgets do.
type selfRendered struct{}

func (selfRendered) RenderBundle() display.Bundle {
	return display.Bundle{Data: map[display.MIME]any{display.MIMEHTML: "<i>w</i>"}}
}

func (c card) MIMEBundle() map[string]any {
	return map[string]any{"text/html": "<b>" + c.name + "</b>", "image/png": []byte{1, 2}}
}

func mimes(b display.Bundle) string {
	var ms []string
	for _, m := range []display.MIME{display.MIMEHTML, display.MIMELaTeX, display.MIMEMarkdown, display.MIMEPNG, display.MIMESVG, display.MIMEPlain} {
		if _, ok := b.Data[m]; ok {
			ms = append(ms, string(m))
		}
	}
	return strings.Join(ms, ",")
}

func TestRender(t *testing.T) {
	p := plot.New()
	p.Title.Text = "parabola"
	p.Add(plotter.NewFunction(func(x float64) float64 { return x * x }))
	var nilPlot *plot.Plot
	for _, tc := range []struct {
		name  string
		v     any
		mimes string
		plain any
	}{
		{"markdown", display.Markdown("# T"), "text/markdown,text/plain", "# T"},
		{"html", display.HTML("<i>x</i>"), "text/html,text/plain", "<i>x</i>"},
		{"latex", display.LaTeX(`$x^2$`), "text/latex,text/plain", `$x^2$`},
		{"svg", display.SVG("<svg/>"), "image/svg+xml,text/plain", "<SVG image>"},
		{"png", display.PNG{0x89}, "image/png,text/plain", "<PNG image>"},
		{"image", image.NewGray(image.Rect(0, 0, 5, 2)), "image/png,text/plain", "<image 5x2>"},
		{"plot", p, "image/png,text/plain", "<parabola, 800x600 PNG>"},
		{"nil plot", nilPlot, "text/plain", "<nil>"},
		{"bundler", card{"ace"}, "text/html,image/png,text/plain", "<display_test.card>"},
		{"renderer, used as it is", selfRendered{}, "text/html", nil},
		{"bundle", display.Bundle{Data: map[display.MIME]any{display.MIMEPlain: "b"}}, "text/plain", "b"},
		{"string", "no quotes", "text/plain", "no quotes"},
		{"int", 42, "text/plain", "42"},
		{"struct", struct{ A, B int }{1, 2}, "text/plain", "{A:1 B:2}"},
		{"nil", nil, "text/plain", "<nil>"},
	} {
		b := display.Render(tc.v)
		if got := mimes(b); got != tc.mimes {
			t.Errorf("Render(%s) media types %q; want %q", tc.name, got, tc.mimes)
		}
		if got := b.Data[display.MIMEPlain]; got != tc.plain {
			t.Errorf("Render(%s) text/plain %q; want %q", tc.name, got, tc.plain)
		}
	}
}

func TestRenderPlotIsPNG(t *testing.T) {
	p := plot.New()
	p.Add(plotter.NewFunction(func(x float64) float64 { return x }))
	b := display.Config{PlotWidth: 320, PlotHeight: 200}.Render(p)
	data, err := base64.StdEncoding.DecodeString(b.Data[display.MIMEPNG].(string))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(320, 200) {
		t.Errorf("plot PNG size %v; want 320x200", got)
	}
	bb := display.Render(card{"x"})
	if got := bb.Data[display.MIMEPNG]; got != base64.StdEncoding.EncodeToString([]byte{1, 2}) {
		t.Errorf("MIMEBundle []byte not base64-encoded: %q", got)
	}
}

func TestShowUpdateClear(t *testing.T) {
	s := &recordSink{}
	d := display.New(s)
	h := d.Show(display.Markdown("one"))
	h.Update(display.Markdown("two"))
	d.Clear(true)
	h2 := d.Show("three")
	want := []published{
		{kind: "publish", text: "one", id: h.ID()},
		{kind: "update", text: "two", id: h.ID()},
		{kind: "clear", text: "true"},
		{kind: "publish", text: "three", id: h2.ID()},
	}
	if len(s.got) != len(want) {
		t.Fatalf("published %v; want %v", s.got, want)
	}
	for i, w := range want {
		g := s.got[i]
		if g.kind != w.kind || g.text != w.text || g.id != w.id {
			t.Errorf("output %d = %s %q %q; want %s %q %q", i, g.kind, g.text, g.id, w.kind, w.text, w.id)
		}
	}
	if h.ID() == h2.ID() || h.ID() == "" {
		t.Errorf("display IDs %q and %q must differ", h.ID(), h2.ID())
	}
	if other := display.New(s).Show(1); other.ID() == h.ID() {
		t.Errorf("two Displays made the same display ID %q", h.ID())
	}
}

func TestProgress(t *testing.T) {
	s := &recordSink{}
	bar := display.New(s).Progress(1000, "train")
	for range 1000 {
		bar.Add(1)
	}
	bar.Done()
	bar.Add(5) // after Done: ignored
	bar.Done()
	if n := len(s.got); n < 2 || n > 102 {
		t.Fatalf("%d outputs for 1000 steps; want between 2 and 102 (throttled)", n)
	}
	first, last := s.got[0], s.got[len(s.got)-1]
	if first.kind != "publish" || !strings.Contains(first.text, "0/1000 (0%)") {
		t.Errorf("first output %s %q; want a publish at 0/1000", first.kind, first.text)
	}
	if last.kind != "update" || last.id != first.id || !strings.Contains(last.text, "1000/1000 (100%) done") {
		t.Errorf("last output %s %q (id %q); want an update of %q at 1000/1000 done", last.kind, last.text, last.id, first.id)
	}
	if _, ok := last.bundle.Data[display.MIMEHTML].(string); !ok {
		t.Errorf("progress bar has no HTML: %v", last.bundle.Data)
	}
	if bar.Count() != 1000 {
		t.Errorf("Count() = %d; want 1000", bar.Count())
	}
}

func BenchmarkPlotPNG800x600(b *testing.B) {
	p := plot.New()
	p.Title.Text = "sine"
	f := plotter.NewFunction(func(x float64) float64 { return x * x })
	f.Samples = 200
	p.Add(f, plotter.NewGrid())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := display.PlotPNG(p, 800, 600); err != nil {
			b.Fatal(err)
		}
	}
}
