package display

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// Display publishes rendered values to a Sink. It is safe for concurrent
// use.
type Display struct {
	sink   Sink
	config Config
	prefix string       // makes display IDs unique across Displays
	next   atomic.Int64 // counter for display IDs
}

// New returns a Display publishing to sink with the default Config.
func New(sink Sink) *Display { return NewWithConfig(sink, Config{}) }

// NewWithConfig returns a Display publishing to sink and rendering with c.
func NewWithConfig(sink Sink, c Config) *Display {
	var b [6]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return &Display{sink: sink, config: c, prefix: hex.EncodeToString(b[:])}
}

// Render renders v under the Display's Config.
func (d *Display) Render(v any) Bundle { return d.config.Render(v) }

func (d *Display) newID() string {
	return fmt.Sprintf("plasticnb-%s-%d", d.prefix, d.next.Add(1))
}

// Show publishes v now (display_data) and returns a Handle to replace it
// later.
func (d *Display) Show(v any) *Handle {
	h := &Handle{d: d, id: d.newID()}
	d.sink.Publish(d.Render(v), h.id, false)
	return h
}

// Clear clears the cell's output; with wait set, the clearing happens when
// the next output arrives, which avoids flicker in animations.
func (d *Display) Clear(wait bool) { d.sink.Clear(wait) }

// Handle names a value shown by Show so that it can be replaced in place.
type Handle struct {
	d  *Display
	id string
}

// ID returns the display_id of the output.
func (h *Handle) ID() string { return h.id }

// Update replaces the shown value by v (update_display_data).
func (h *Handle) Update(v any) { h.d.sink.Publish(h.d.Render(v), h.id, true) }

// TextSink is a Sink for compiled programs: it writes streams and the
// text/plain part of published bundles to W, and ignores Clear. Updates are
// written as new lines.
type TextSink struct {
	W  io.Writer
	mu sync.Mutex
}

// Stream writes text to W whatever the stream's name.
func (s *TextSink) Stream(name, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = io.WriteString(s.W, text)
}

// Publish writes the text/plain part of b, followed by a newline, to W.
func (s *TextSink) Publish(b Bundle, displayID string, update bool) {
	t, _ := b.Data[MIMEPlain].(string)
	if !strings.HasSuffix(t, "\n") {
		t += "\n"
	}
	s.Stream("stdout", t)
}

// Clear does nothing: text cannot be taken back.
func (s *TextSink) Clear(wait bool) {}

// stdoutDisplay returns a Display writing text to os.Stdout. The
// package-level functions make a new one on each call, so the package keeps
// no state.
func stdoutDisplay() *Display { return New(&TextSink{W: os.Stdout}) }

// Show publishes v. In a cell it shows v in the notebook (the interpreter
// binds it to its own Display); in compiled Go it prints the text/plain
// rendering of v to standard output.
func Show(v any) *Handle { return stdoutDisplay().Show(v) }

// Clear clears the cell's output. In compiled Go it does nothing.
func Clear(wait bool) {}

// Progress returns a progress bar counting to total. In a cell it is a live
// HTML bar in the notebook; in compiled Go it prints text lines to standard
// output, throttled as the Display's are.
func Progress(total int, label string) *ProgressBar {
	return stdoutDisplay().Progress(total, label)
}

// CellContext returns the context of the running cell, cancelled when the
// user interrupts it: pass it to long computations (plasticlib's long calls
// take a context) so that an interrupt stops them. In a cell the
// interpreter binds it to the running cell; in compiled Go it returns
// context.Background().
func CellContext() context.Context { return context.Background() }
