package kernel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plasticnb/plasticnb/kernel"
	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

// fakeTransport is an in-memory Transport: the test pushes frames into in
// and reads what the kernel sends from out.
type fakeTransport struct {
	in     [3]chan [][]byte // shell, control, stdin
	out    chan sentMsg     // everything the kernel sent, in order
	closed chan struct{}
	once   sync.Once

	mu    sync.Mutex
	cond  *sync.Cond
	calls [3]int // Recv calls per channel
}

// waitRecv waits until Recv(ch) has been called n times: the kernel has
// taken the first n-1 messages and handed them on.
func (f *fakeTransport) waitRecv(ch wire.Channel, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.calls[ch] < n {
		f.cond.Wait()
	}
}

type sentMsg struct {
	ch     wire.Channel
	frames [][]byte
}

var errFakeClosed = errors.New("fake transport closed")

func newFake() *fakeTransport {
	f := &fakeTransport{out: make(chan sentMsg, 4096), closed: make(chan struct{})}
	f.cond = sync.NewCond(&f.mu)
	for i := range f.in {
		f.in[i] = make(chan [][]byte, 64)
	}
	return f
}

func (f *fakeTransport) Recv(ch wire.Channel) ([][]byte, error) {
	f.mu.Lock()
	f.calls[ch]++
	f.cond.Broadcast()
	f.mu.Unlock()
	select {
	case fr := <-f.in[ch]:
		return fr, nil
	case <-f.closed:
		return nil, errFakeClosed
	}
}

func (f *fakeTransport) Send(ch wire.Channel, frames [][]byte) error {
	select {
	case <-f.closed:
		return errFakeClosed
	default:
	}
	f.out <- sentMsg{ch, frames}
	return nil
}

func (f *fakeTransport) Close() { f.once.Do(func() { close(f.closed) }) }

// mockInterp is a cell.Interpreter whose behaviour depends on the code.
type mockInterp struct {
	started chan string   // receives the code of cells that block
	release chan struct{} // lets a "block-fail" cell end

	mu       sync.Mutex
	requests []cell.Request
	cursors  []int
}

func newMock() *mockInterp {
	return &mockInterp{started: make(chan string, 8), release: make(chan struct{})}
}

func (m *mockInterp) Execute(ctx context.Context, req cell.Request, out cell.Output) cell.Result {
	m.mu.Lock()
	m.requests = append(m.requests, req)
	m.mu.Unlock()
	var res cell.Result
	if len(req.UserExpressions) > 0 {
		res.UserExpressions = map[string]any{}
		for name, expr := range req.UserExpressions {
			if expr == "bad" {
				res.UserExpressions[name] = &cell.Error{Name: "CompileError", Value: "bad"}
			} else {
				res.UserExpressions[name] = cell.Bundle{Data: map[cell.MIME]any{cell.MIMEPlain: expr}}
			}
		}
	}
	switch req.Code {
	case "print":
		out.Stream("stdout", "hello\n")
		out.Stream("stderr", "oops\n")
	case "1+1":
		res.Value = &cell.Bundle{Data: map[cell.MIME]any{cell.MIMEPlain: "2"}}
	case "fail":
		res.Err = &cell.Error{Name: "panic", Value: "boom", Traceback: []string{"panic: boom", "cell:1:1"}}
	case "loop":
		m.started <- req.Code
		<-ctx.Done()
		res.Err = &cell.Error{Name: "Interrupted", Value: "interrupted"}
	case "block-fail":
		m.started <- req.Code
		<-m.release
		res.Err = &cell.Error{Name: "panic", Value: "late"}
	case "input":
		v, err := out.Input(ctx, "name? ", false)
		if err != nil {
			res.Err = &cell.Error{Name: "InputError", Value: err.Error()}
		} else {
			out.Stream("stdout", "hi "+v)
		}
	case "display":
		b := cell.Bundle{Data: map[cell.MIME]any{cell.MIMEMarkdown: "*a*"}}
		out.Publish(b, "", false)
		out.Publish(b, "d1", false)
		out.Publish(b, "d1", true)
		out.Clear(true)
	}
	return res
}

func (m *mockInterp) Complete(code string, cursor int) cell.Completion {
	m.mu.Lock()
	m.cursors = append(m.cursors, cursor)
	m.mu.Unlock()
	return cell.Completion{Matches: []string{"Printf", "Println"}, Start: cursor - 2, End: cursor}
}

func (m *mockInterp) Inspect(code string, cursor, detail int) cell.Inspection {
	return cell.Inspection{Found: true, Data: cell.Bundle{Data: map[cell.MIME]any{cell.MIMEPlain: code[:cursor]}}}
}

func (m *mockInterp) IsComplete(code string) (cell.Completeness, string) {
	switch code {
	case "func f() {":
		return cell.Incomplete, "\t"
	case "}":
		return cell.Invalid, ""
	}
	return cell.Complete, ""
}

func (m *mockInterp) Language() cell.LanguageInfo { return cell.LanguageInfo{Banner: "mock"} }

// client plays the frontend.
type client struct {
	t     testing.TB
	k     *kernel.Kernel
	f     *fakeTransport
	codec *wire.Codec
	sess  *wire.Session
	seen  map[string]bool // msg_ids received
	done  chan struct{}   // closed when Serve returns
	// Serve's results, valid after done.
	restart bool
	err     error
}

const testKey = "test-key"

// start runs a kernel on ip with a fake transport.
func start(t testing.TB, ip cell.Interpreter) *client {
	t.Helper()
	return startWith(t, kernel.Config{Interpreter: ip})
}

// startWith runs a kernel configured by cfg (its key and version set here)
// with a fake transport.
func startWith(t testing.TB, cfg kernel.Config) *client {
	t.Helper()
	cfg.Key, cfg.Version = []byte(testKey), "test"
	k, err := kernel.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := wire.NewCodec(wire.Config{Key: []byte(testKey)})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, k: k, f: newFake(), codec: codec, sess: wire.NewSession("user"), seen: map[string]bool{}, done: make(chan struct{})}
	go func() {
		c.restart, c.err = k.Serve(context.Background(), c.f)
		close(c.done)
	}()
	t.Cleanup(func() {
		c.f.Close()
		<-c.done
	})
	// The starting status has no parent.
	if m := c.next(); m.Header.MsgType != wire.Status || m.Parent != nil {
		t.Fatalf("first message %s parent %v; want status starting without parent", m.Header.MsgType, m.Parent)
	}
	return c
}

// send sends a request on ch and returns its header.
func (c *client) send(ch wire.Channel, t wire.MsgType, content any) *wire.Header {
	c.t.Helper()
	msg, err := c.sess.New(t, nil, content)
	if err != nil {
		c.t.Fatal(err)
	}
	msg.Identities = [][]byte{[]byte("frontend")}
	frames, err := c.codec.Encode(msg)
	if err != nil {
		c.t.Fatal(err)
	}
	c.f.in[ch] <- frames
	return &msg.Header
}

// got is a message the kernel sent, with its channel.
type got struct {
	ch wire.Channel
	*wire.Message
}

func (g got) String() string {
	s := g.ch.String() + ":" + string(g.Header.MsgType)
	if g.Header.MsgType == wire.Status {
		var st struct {
			State string `json:"execution_state"`
		}
		json.Unmarshal(g.Content, &st)
		s += ":" + st.State
	}
	return s
}

// next returns the next message the kernel sends, checking what every
// message must satisfy. The timeout only turns a hang into a failure.
func (c *client) next() got {
	c.t.Helper()
	select {
	case s := <-c.f.out:
		m, err := c.codec.Decode(s.frames)
		if err != nil {
			c.t.Fatalf("kernel sent an undecodable message on %v: %v", s.ch, err)
		}
		h := m.Header
		if h.Version != "5.3" || h.Date == "" || h.Session == "" || h.Username == "" {
			c.t.Fatalf("header %+v: want version 5.3, a date, a session and a username", h)
		}
		if c.seen[h.MsgID] {
			c.t.Fatalf("msg_id %q sent twice", h.MsgID)
		}
		c.seen[h.MsgID] = true
		if s.ch == wire.IOPub && !strings.HasPrefix(string(m.Identities[0]), "kernel.") {
			c.t.Fatalf("iopub topic %q; want kernel.<session>.<type>", m.Identities[0])
		}
		if s.ch != wire.IOPub && (len(m.Identities) != 1 || string(m.Identities[0]) != "frontend") {
			c.t.Fatalf("%v: identities %q; want [frontend]", s.ch, m.Identities)
		}
		return got{s.ch, m}
	case <-time.After(10 * time.Second):
		c.t.Fatal("no message from the kernel in 10 s")
		return got{}
	}
}

// until returns the messages answering req, up to and including its idle
// status, and fails on messages with another parent.
func (c *client) until(req *wire.Header) []got {
	c.t.Helper()
	var out []got
	for {
		g := c.next()
		if g.Parent == nil || g.Parent.MsgID != req.MsgID {
			c.t.Fatalf("got %v with parent %+v while waiting for the answer to %s", g, g.Parent, req.MsgType)
		}
		out = append(out, g)
		if g.String() == "iopub:status:idle" {
			return out
		}
	}
}

// untilAll collects messages until each of reqs has seen its idle status,
// grouped by request.
func (c *client) untilAll(reqs ...*wire.Header) map[string][]got {
	c.t.Helper()
	out := map[string][]got{}
	idle := 0
	for idle < len(reqs) {
		g := c.next()
		if g.Parent == nil {
			c.t.Fatalf("got %v without parent", g)
		}
		out[g.Parent.MsgID] = append(out[g.Parent.MsgID], g)
		if g.String() == "iopub:status:idle" {
			idle++
		}
	}
	return out
}

func kinds(gs []got) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = g.String()
	}
	return strings.Join(s, " ")
}

// content returns the content of the message of type t in gs.
func content(t *testing.T, gs []got, typ wire.MsgType) map[string]any {
	t.Helper()
	for _, g := range gs {
		if g.Header.MsgType == typ {
			var m map[string]any
			if err := json.Unmarshal(g.Content, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no %s in %s", typ, kinds(gs))
	return nil
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
