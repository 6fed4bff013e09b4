package goeval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/plasticnb/plasticnb/kernel/display"
)

// event is one thing a cell published, in a compact form for comparison.
type event struct {
	Kind string // "stdout", "stderr", "display", "update", "clear", "input"
	Text string // stream text, or the bundle's media types and text/plain
	ID   string
}

// recorder is a cell.Output that records what a cell publishes.
type recorder struct {
	mu     sync.Mutex
	events []event
	inputs []string // answers to input requests, in order
	asked  []string // prompts of input requests
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.events); n > 0 && r.events[n-1].Kind == name {
		r.events[n-1].Text += text
		return
	}
	r.events = append(r.events, event{Kind: name, Text: text})
}

func (r *recorder) Publish(b display.Bundle, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	kind := "display"
	if update {
		kind = "update"
	}
	r.events = append(r.events, event{Kind: kind, Text: bundleSummary(b), ID: id})
}

func (r *recorder) Clear(wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, event{Kind: "clear", Text: fmt.Sprint(wait)})
}

func (r *recorder) Input(ctx context.Context, prompt string, password bool) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked = append(r.asked, prompt)
	if len(r.inputs) == 0 {
		return "", errors.New("no more input")
	}
	s := r.inputs[0]
	r.inputs = r.inputs[1:]
	return s, nil
}

func (r *recorder) snapshot() []event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]event(nil), r.events...)
}

// bundleSummary is "mime1,mime2|plain text" with the media types sorted.
func bundleSummary(b display.Bundle) string {
	var mimes []string
	for _, m := range []display.MIME{display.MIMEHTML, display.MIMELaTeX, display.MIMEMarkdown, display.MIMEPNG, display.MIMESVG, display.MIMEJSON, display.MIMEPlain} {
		if _, ok := b.Data[m]; ok {
			mimes = append(mimes, string(m))
		}
	}
	plain, _ := b.Data[display.MIMEPlain].(string)
	return strings.Join(mimes, ",") + "|" + plain
}
