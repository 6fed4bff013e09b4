package capture

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

type streamSink struct {
	mu  sync.Mutex
	out map[string]*strings.Builder
}

func newStreamSink() *streamSink {
	return &streamSink{out: map[string]*strings.Builder{"stdout": {}, "stderr": {}}}
}

func (s *streamSink) Stream(name, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out[name].WriteString(text)
}
func (s *streamSink) Publish(cell.Bundle, string, bool) {}
func (s *streamSink) Clear(bool)                        {}

func (s *streamSink) get(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out[name].String()
}

func TestCapture(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Skip("capture unavailable:", err)
	}
	first := newStreamSink()
	detach := s.Attach(first)
	fmt.Println("to stdout")
	fmt.Fprint(os.Stderr, "to stderr\n")
	syscall.Write(1, []byte("raw fd 1, é\n"))
	detach()
	// Nothing runs: output goes to the last cell's sink.
	fmt.Println("after the cell")
	s.Flush()
	second := newStreamSink()
	detach = s.Attach(second)
	fmt.Print("second cell")
	detach()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := first.get("stdout"), "to stdout\nraw fd 1, é\nafter the cell\n"; got != want {
		t.Errorf("first cell stdout %q; want %q", got, want)
	}
	if got, want := first.get("stderr"), "to stderr\n"; got != want {
		t.Errorf("first cell stderr %q; want %q", got, want)
	}
	if got, want := second.get("stdout"), "second cell"; got != want {
		t.Errorf("second cell stdout %q; want %q", got, want)
	}
	if s.Stderr() == nil || s.Stdout() == nil {
		t.Error("original streams missing")
	}
}

// TestForward feeds a stream chunk by chunk, with markers and UTF-8
// sequences split across reads.
func TestForward(t *testing.T) {
	for _, tc := range []struct {
		chunks []string
		want   string
	}{
		{[]string{"ab", "cd"}, "abcd"},
		{[]string{"a" + markerPrefix + "7\x00" + "b"}, "ab"},
		{[]string{"a\x00plastic", "nb-flush-7\x00b"}, "ab"},
		{[]string{"x\x00y"}, "x\x00y"},
		{[]string{"caf\xc3", "\xa9!"}, "café!"},
		{[]string{"end\x00plas"}, "end\x00plas"}, // final: kept text is emitted
	} {
		sink := newStreamSink()
		s := &Stdio{sink: sink}
		st := &stream{s: s, name: "stdout", waiters: map[string]chan struct{}{}}
		ch := make(chan struct{})
		st.waiters[markerPrefix+"7\x00"] = ch
		var pending []byte
		for i, c := range tc.chunks {
			pending = st.forward(append(pending, c...), i == len(tc.chunks)-1)
		}
		if got := sink.get("stdout"); got != tc.want {
			t.Errorf("forward(%q) = %q; want %q", tc.chunks, got, tc.want)
		}
		if strings.Contains(strings.Join(tc.chunks, ""), markerPrefix+"7") {
			select {
			case <-ch:
			default:
				t.Errorf("forward(%q): marker not answered", tc.chunks)
			}
		}
	}
}
