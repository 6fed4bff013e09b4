// Package capture redirects the process's standard output and standard
// error (file descriptors 1 and 2) into pipes and forwards what arrives to
// the running cell's cell.Sink as stream output, so that output of
// compiled code (plasticlib, gonum, fmt in compiled packages, the Go
// runtime) reaches the notebook and not the terminal that started the
// kernel.
//
// It belongs to the interpreter layer: it knows cell.Sink and nothing of
// the transport. Output that arrives while no cell runs goes to the sink of
// the last cell that ran, or, before the first cell, to the original
// standard error. The kernel's own logs must go to Stdio.Stderr, the
// original standard error, or they would end up in a notebook.
//
// Capture works on Linux (it uses dup3); elsewhere Start returns an error.
package capture

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"sync"
	"unicode/utf8"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// Stdio is a running redirection of file descriptors 1 and 2. Its methods
// are safe for concurrent use.
type Stdio struct {
	origOut, origErr *os.File // duplicates of the original fds 1 and 2
	outW, errW       *os.File // write ends of the pipes, now fds 1 and 2 too
	streams          [2]*stream

	mu      sync.Mutex
	sink    cell.Sink // the running cell's sink, or nil
	last    cell.Sink // the last cell's sink, or nil
	flushes int       // counter for flush markers
	closed  bool
	relay   *exec.Cmd // the stderr relay (relay.go), or nil
}

// stream forwards one pipe to the current sink.
type stream struct {
	s    *Stdio
	name string // "stdout" or "stderr"
	r    *os.File
	done chan struct{} // closed when the reader has stopped

	mu      sync.Mutex
	waiters map[string]chan struct{} // flush markers awaited, by marker
}

// markerPrefix starts the marker Flush writes into a pipe to know when
// everything written before it has been forwarded. It holds NUL bytes so
// that no text a program prints can be taken for one.
const markerPrefix = "\x00plasticnb-flush-"

// Start redirects file descriptors 1 and 2 into pipes and starts
// forwarding them. os.Stdout and os.Stderr keep working: they now write
// into the pipes. The Go runtime's crash output (a fatal error, an
// unrecovered panic in a compiled goroutine) is also copied to the original
// standard error, so that it is not lost with the process.
func Start() (*Stdio, error) {
	s := &Stdio{}
	var err error
	if s.origOut, err = dupFile(1, "stdout"); err != nil {
		return nil, err
	}
	if s.origErr, err = dupFile(2, "stderr"); err != nil {
		s.origOut.Close()
		return nil, err
	}
	for i, name := range []string{"stdout", "stderr"} {
		r, w, err := os.Pipe()
		if err != nil {
			s.restore()
			return nil, fmt.Errorf("capture: pipe for %s: %w", name, err)
		}
		if err := dup2(int(w.Fd()), i+1); err != nil {
			r.Close()
			w.Close()
			s.restore()
			return nil, fmt.Errorf("capture: redirecting %s: %w", name, err)
		}
		if i == 0 {
			s.outW = w
		} else {
			s.errW = w
		}
		st := &stream{s: s, name: name, r: r, done: make(chan struct{}), waiters: map[string]chan struct{}{}}
		s.streams[i] = st
		go st.run()
	}
	_ = debug.SetCrashOutput(s.origErr, debug.CrashOptions{})
	return s, nil
}

func dupFile(fd int, name string) (*os.File, error) {
	nfd, err := dup(fd)
	if err != nil {
		return nil, fmt.Errorf("capture: duplicating %s: %w", name, err)
	}
	return os.NewFile(uintptr(nfd), "original "+name), nil
}

// Stderr returns the original standard error, for the kernel's own logs.
func (s *Stdio) Stderr() io.Writer { return s.origErr }

// Stdout returns the original standard output.
func (s *Stdio) Stdout() io.Writer { return s.origOut }

// Attach makes sink the destination of captured output until the returned
// function is called; that function flushes what was written before it
// (see Flush) and detaches the sink, which stays the destination of output
// that arrives while no cell runs.
func (s *Stdio) Attach(sink cell.Sink) (detach func()) {
	s.mu.Lock()
	s.sink, s.last = sink, sink
	s.mu.Unlock()
	return func() {
		s.Flush()
		s.mu.Lock()
		if s.sink == sink {
			s.sink = nil
		}
		s.mu.Unlock()
	}
}

// Flush returns when all that was written to file descriptors 1 and 2
// before the call has been forwarded.
func (s *Stdio) Flush() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.flushes++
	marker := fmt.Sprintf("%s%d\x00", markerPrefix, s.flushes)
	s.mu.Unlock()
	var waits []chan struct{}
	for i, st := range s.streams {
		ch := make(chan struct{})
		st.mu.Lock()
		st.waiters[marker] = ch
		st.mu.Unlock()
		w := s.outW
		if i == 1 {
			w = s.errW
		}
		if _, err := w.WriteString(marker); err != nil {
			continue
		}
		waits = append(waits, ch)
	}
	for _, ch := range waits {
		<-ch
	}
}

// Close restores file descriptors 1 and 2 and stops forwarding, after
// forwarding what was written before.
func (s *Stdio) Close() error {
	s.Flush()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	_ = debug.SetCrashOutput(nil, debug.CrashOptions{})
	err := s.restore()
	s.outW.Close()
	s.errW.Close()
	for _, st := range s.streams {
		<-st.done
	}
	if s.relay != nil {
		_ = s.relay.Wait()
	}
	return err
}

// restore puts the original fds 1 and 2 back.
func (s *Stdio) restore() error {
	var first error
	if s.origOut != nil {
		if err := dup2(int(s.origOut.Fd()), 1); err != nil && first == nil {
			first = err
		}
	}
	if s.origErr != nil {
		if err := dup2(int(s.origErr.Fd()), 2); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// deliver sends text to the current sink, the last one, or the original
// standard error.
func (s *Stdio) deliver(name, text string) {
	s.mu.Lock()
	sink := s.sink
	if sink == nil {
		sink = s.last
	}
	s.mu.Unlock()
	if sink != nil {
		sink.Stream(name, text)
		return
	}
	fmt.Fprintf(s.origErr, "plasticnb: %s outside a cell: %s", name, text)
}

// run reads the pipe until it is closed, forwarding text and answering
// flush markers.
func (st *stream) run() {
	defer close(st.done)
	buf := make([]byte, 32<<10)
	var pending []byte
	for {
		n, err := st.r.Read(buf)
		pending = append(pending, buf[:n]...)
		pending = st.forward(pending, err != nil)
		if err != nil {
			st.r.Close()
			return
		}
	}
}

// forward delivers the complete text in p and answers the markers in it;
// it returns what must wait for more input: a possible start of a marker
// or of a UTF-8 sequence at the end. With final set it keeps nothing.
func (st *stream) forward(p []byte, final bool) []byte {
	for len(p) > 0 {
		i := bytes.IndexByte(p, 0)
		if i < 0 {
			text, rest := splitUTF8(p, final)
			st.emit(text)
			return append(p[:0:0], rest...)
		}
		st.emit(p[:i])
		p = p[i:]
		// p starts with NUL: a marker, a partial marker, or a stray NUL.
		if !bytes.HasPrefix(p, []byte(markerPrefix)) {
			if !final && bytes.HasPrefix([]byte(markerPrefix), p) {
				return append(p[:0:0], p...) // partial marker prefix
			}
			st.emit(p[:1])
			p = p[1:]
			continue
		}
		end := bytes.IndexByte(p[1:], 0)
		if end < 0 {
			if final {
				st.emit(p)
				return nil
			}
			return append(p[:0:0], p...)
		}
		marker := string(p[:end+2])
		p = p[end+2:]
		st.mu.Lock()
		ch, ok := st.waiters[marker]
		delete(st.waiters, marker)
		st.mu.Unlock()
		if ok {
			close(ch)
		}
	}
	return nil
}

func (st *stream) emit(p []byte) {
	if len(p) > 0 {
		st.s.deliver(st.name, string(p))
	}
}

// splitUTF8 splits p before an incomplete UTF-8 sequence at its end.
func splitUTF8(p []byte, final bool) (text, rest []byte) {
	if final {
		return p, nil
	}
	for i := 1; i <= utf8.UTFMax-1 && i <= len(p); i++ {
		c := p[len(p)-i]
		if c < 0x80 {
			break
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(p[len(p)-i:]) {
				return p[:len(p)-i], p[len(p)-i:]
			}
			break
		}
	}
	return p, nil
}
