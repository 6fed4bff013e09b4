package goeval

import (
	"errors"
	"os"
	"sync"

	"github.com/plasticnb/plasticnb/kernel/display"
)

// cellSink is the display.Sink of the interpreter's Display: it forwards to
// the running cell's output, or to the last cell's when none runs (output
// of goroutines that outlive their cell).
type cellSink struct{ ip *Interp }

var _ display.Sink = cellSink{}

func (s cellSink) Stream(name, text string) {
	if out := s.ip.output(); out != nil {
		out.Stream(name, text)
	}
}

func (s cellSink) Publish(b display.Bundle, id string, update bool) {
	if out := s.ip.output(); out != nil {
		out.Publish(b, id, update)
	}
}

func (s cellSink) Clear(wait bool) {
	if out := s.ip.output(); out != nil {
		out.Clear(wait)
	}
}

// streamWriter is the interpreter's standard output or error. With a
// capture it writes to the process's file descriptor (captured, so the
// order with compiled code's output is kept); otherwise to the cell's
// output. On standard error it diverts the lines yaegi prints while a panic
// unwinds into the running cell's traceback.
type streamWriter struct {
	ip   *Interp
	name string
}

func (w *streamWriter) Write(p []byte) (int, error) {
	if w.name == "stderr" && panicLine.Match(p) {
		if r := w.ip.current(); r != nil {
			r.mu.Lock()
			r.trace = append(r.trace, string(p))
			r.mu.Unlock()
		}
		return len(p), nil
	}
	if w.ip.opts.Stdio != nil {
		f := os.Stdout
		if w.name == "stderr" {
			f = os.Stderr
		}
		return f.Write(p)
	}
	cellSink{w.ip}.Stream(w.name, string(p))
	return len(p), nil
}

// errNoStdin is what reading standard input returns when the frontend does
// not answer input requests.
var errNoStdin = errors.New("standard input is not available: the frontend does not allow input requests (allow_stdin is false)")

// stdinReader is the interpreter's standard input: each time its buffer is
// empty, it asks the running cell's frontend for a line.
type stdinReader struct {
	ip  *Interp
	mu  sync.Mutex
	buf []byte
}

// reset drops input left over from the previous cell.
func (s *stdinReader) reset() {
	s.mu.Lock()
	s.buf = nil
	s.mu.Unlock()
}

func (s *stdinReader) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) == 0 {
		r := s.ip.current()
		if r == nil || !r.allowStdin {
			return 0, errNoStdin
		}
		line, err := r.out.Input(r.ctx, "", false)
		if err != nil {
			return 0, err
		}
		s.buf = append([]byte(line), '\n')
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}
