package kernel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/plasticnb/plasticnb/kernel"
	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/comm"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

// commInterp is an interpreter whose cell "open" opens a comm to target
// "test" from the cell, as a widget does, and whose cell "block" waits for
// release. The comm's handler acts on the "op" of what it receives.
type commInterp struct {
	mockInterp
	release chan struct{}

	mu     sync.Mutex
	comms  *comm.Manager
	out    cell.Output // the output of the cell that opened the comm
	closed []string    // data of the comm_close messages received
}

func (ip *commInterp) Execute(ctx context.Context, req cell.Request, out cell.Output) cell.Result {
	switch req.Code {
	case "open":
		ip.mu.Lock()
		ip.out = out
		ip.mu.Unlock()
		m := comm.FromContext(ctx)
		if m == nil {
			return cell.Result{Err: &cell.Error{Name: "NoComms", Value: "the cell's context carries no comm manager"}}
		}
		if _, err := m.Open("test", map[string]int{"x": 1}, &testHandler{ip: ip}); err != nil {
			return cell.Result{Err: &cell.Error{Name: "OpenError", Value: err.Error()}}
		}
		return cell.Result{}
	case "poll":
		// Waits until the test has queued its requests, then lets the
		// comm messages in.
		ip.started <- req.Code
		<-ip.release
		n := comm.FromContext(ctx).Poll()
		out.Stream("stdout", fmt.Sprintf("polled %d\n", n))
		return cell.Result{}
	case "block":
		ip.started <- req.Code
		<-ip.release
		out.Stream("stdout", "cell done\n")
		return cell.Result{}
	}
	return ip.mockInterp.Execute(ctx, req, out)
}

// testHandler is the handler of a comm: on {"op": "echo"} it sends the data
// back, "print" prints through the cell's output, "panic" panics, "bad"
// returns an error.
type testHandler struct {
	ip *commInterp
	c  *comm.Comm // set for comms the frontend opens
}

func (h *testHandler) Message(data json.RawMessage) error {
	var d struct{ Op string }
	if err := json.Unmarshal(data, &d); err != nil {
		return err
	}
	switch d.Op {
	case "echo":
		c := h.c
		if c == nil {
			m := h.ip.comms
			for _, id := range m.IDs() {
				if m.Lookup(id).TargetName() == "test" {
					c = m.Lookup(id)
				}
			}
		}
		return c.Send(map[string]json.RawMessage{"echo": data})
	case "print":
		h.ip.mu.Lock()
		out := h.ip.out
		h.ip.mu.Unlock()
		out.Stream("stdout", "from the handler\n")
	case "wait":
		// A long handler: runs until interrupted.
		ctx := h.ip.comms.Context()
		h.ip.started <- "wait"
		<-ctx.Done()
		return fmt.Errorf("handler stopped: %v", ctx.Err())
	case "panic":
		panic("handler boom")
	case "bad":
		return errors.New("value 200 out of range [0, 100]")
	}
	return nil
}

func (h *testHandler) Closed(data json.RawMessage) {
	h.ip.mu.Lock()
	defer h.ip.mu.Unlock()
	h.ip.closed = append(h.ip.closed, string(data))
}

// Opened accepts comms the frontend opens on target "front".
func (ip *commInterp) Opened(c *comm.Comm, data json.RawMessage) (comm.Handler, error) {
	if string(data) == `{"refuse":true}` {
		return nil, errors.New("refused")
	}
	return &testHandler{ip: ip, c: c}, nil
}

func startComms(t *testing.T) (*client, *commInterp, *kernel.Kernel) {
	ip := &commInterp{mockInterp: *newMock(), release: make(chan struct{})}
	c := startWith(t, kernel.Config{Interpreter: ip, CommTargets: map[string]comm.Target{"front": ip}})
	return c, ip, c.k
}

// commID returns the comm_id of the comm_open in gs.
func commID(t *testing.T, gs []got) string {
	t.Helper()
	id, _ := content(t, gs, wire.CommOpen)["comm_id"].(string)
	if id == "" {
		t.Fatalf("comm_open without comm_id in %s", kinds(gs))
	}
	return id
}

func TestComms(t *testing.T) {
	c, ip, k := startComms(t)
	ip.comms = k.Comms()

	gs := c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "open"}))
	if got, want := kinds(gs), "iopub:status:busy iopub:execute_input iopub:comm_open shell:execute_reply iopub:status:idle"; got != want {
		t.Fatalf("open: messages\n%s\nwant\n%s", got, want)
	}
	id := commID(t, gs)
	if o := content(t, gs, wire.CommOpen); jsonString(o["data"]) != `{"x":1}` || o["target_name"] != "test" {
		t.Errorf("comm_open content %s; want target test and data {\"x\":1}", jsonString(o))
	}
	front := "f0123456789abcdef0123456789abcde"

	for _, tc := range []struct {
		name    string
		typ     wire.MsgType
		content any
		want    string
		check   func(t *testing.T, gs []got)
	}{
		{"comm_info lists the comm", wire.CommInfoRequest, obj{},
			"iopub:status:busy shell:comm_info_reply iopub:status:idle", func(t *testing.T, gs []got) {
				if got := jsonString(content(t, gs, wire.CommInfoReply)["comms"]); got != jsonString(obj{id: obj{"target_name": "test"}}) {
					t.Errorf("comms %s; want only %s", got, id)
				}
			}},
		{"comm_info of another target", wire.CommInfoRequest, obj{"target_name": "jupyter.widget"},
			"iopub:status:busy shell:comm_info_reply iopub:status:idle", func(t *testing.T, gs []got) {
				if got := jsonString(content(t, gs, wire.CommInfoReply)["comms"]); got != "{}" {
					t.Errorf("comms of target jupyter.widget %s; want {}", got)
				}
			}},
		{"echo", wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "echo"}},
			"iopub:status:busy iopub:comm_msg iopub:status:idle", func(t *testing.T, gs []got) {
				if got := jsonString(content(t, gs, wire.CommMsg)); got != jsonString(obj{"comm_id": id, "data": obj{"echo": obj{"op": "echo"}}}) {
					t.Errorf("echo %s", got)
				}
			}},
		{"a handler's output goes to the comm message", wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "print"}},
			"iopub:status:busy iopub:stream iopub:status:idle", nil},
		{"a panic is reported", wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "panic"}},
			"iopub:status:busy iopub:error iopub:status:idle", func(t *testing.T, gs []got) {
				if e := content(t, gs, wire.Error); e["ename"] != "panic" || e["evalue"] != "handler boom" {
					t.Errorf("error %s; want ename panic, evalue handler boom", jsonString(e))
				}
			}},
		{"the comm survives its panic", wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "echo"}},
			"iopub:status:busy iopub:comm_msg iopub:status:idle", nil},
		{"bad data is answered on stderr", wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "bad"}},
			"iopub:status:busy iopub:stream iopub:status:idle", func(t *testing.T, gs []got) {
				if s := content(t, gs, wire.Stream); s["name"] != "stderr" {
					t.Errorf("stream %s; want stderr", jsonString(s))
				}
			}},
		{"malformed data", wire.CommMsg, obj{"comm_id": id, "data": "not an object"},
			"iopub:status:busy iopub:stream iopub:status:idle", nil},
		{"malformed content", wire.CommMsg, obj{"comm_id": 7},
			"iopub:status:busy iopub:status:idle", nil},
		{"unknown comm id is closed", wire.CommMsg, obj{"comm_id": "nope", "data": obj{}},
			"iopub:status:busy iopub:comm_close iopub:status:idle", func(t *testing.T, gs []got) {
				if got := content(t, gs, wire.CommClose)["comm_id"]; got != "nope" {
					t.Errorf("comm_close of %v; want nope", got)
				}
			}},
		{"the frontend opens a comm", wire.CommOpen, obj{"comm_id": front, "target_name": "front", "data": obj{}},
			"iopub:status:busy iopub:status:idle", nil},
		{"a frontend comm answers", wire.CommMsg, obj{"comm_id": front, "data": obj{"op": "echo"}},
			"iopub:status:busy iopub:comm_msg iopub:status:idle", nil},
		{"a refused open is closed", wire.CommOpen, obj{"comm_id": "r1", "target_name": "front", "data": obj{"refuse": true}},
			"iopub:status:busy iopub:comm_close iopub:status:idle", nil},
		{"an unknown target is closed", wire.CommOpen, obj{"comm_id": "u1", "target_name": "nobody", "data": obj{}},
			"iopub:status:busy iopub:comm_close iopub:status:idle", nil},
		{"the frontend closes a comm", wire.CommClose, obj{"comm_id": id, "data": obj{"bye": 1}},
			"iopub:status:busy iopub:status:idle", nil},
		{"a closed comm is unknown", wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "echo"}},
			"iopub:status:busy iopub:comm_close iopub:status:idle", nil},
		{"comm_info after the close", wire.CommInfoRequest, obj{},
			"iopub:status:busy shell:comm_info_reply iopub:status:idle", func(t *testing.T, gs []got) {
				if got := jsonString(content(t, gs, wire.CommInfoReply)["comms"]); got != jsonString(obj{front: obj{"target_name": "front"}}) {
					t.Errorf("comms %s; want only %s", got, front)
				}
			}},
		{"cells still run", wire.ExecuteRequest, obj{"code": "1+1"},
			"iopub:status:busy iopub:execute_input iopub:execute_result shell:execute_reply iopub:status:idle", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gs := c.until(c.send(wire.Shell, tc.typ, tc.content))
			if got := kinds(gs); got != tc.want {
				t.Fatalf("messages\n%s\nwant\n%s", got, tc.want)
			}
			if tc.check != nil {
				tc.check(t, gs)
			}
		})
	}
	ip.mu.Lock()
	defer ip.mu.Unlock()
	if len(ip.closed) != 1 || ip.closed[0] != `{"bye":1}` {
		t.Errorf("Closed received %q; want one close with data {\"bye\":1}", ip.closed)
	}
}

// TestCommWaitsForCell: a comm message that arrives while a cell runs is
// handled after the cell, in order, as ipykernel's shell does, so that a
// handler never changes a cell's state under it.
func TestCommWaitsForCell(t *testing.T) {
	c, ip, k := startComms(t)
	ip.comms = k.Comms()
	id := commID(t, c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "open"})))

	run := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "block"})
	<-ip.started
	msg := c.send(wire.Shell, wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "echo"}})
	c.f.waitRecv(wire.Shell, 4) // the comm_msg is queued
	close(ip.release)
	var order []string
	for _, g := range append(c.until(run), c.until(msg)...) {
		order = append(order, g.String())
	}
	want := "iopub:status:busy iopub:execute_input iopub:stream shell:execute_reply iopub:status:idle iopub:status:busy iopub:comm_msg iopub:status:idle"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("messages\n%s\nwant\n%s", got, want)
	}
}

// TestPollBetweenStatements: a running cell that polls has the comm
// messages that arrived meanwhile handled then, before its reply, while an
// execute_request queued between them keeps its place after the cell.
func TestPollBetweenStatements(t *testing.T) {
	c, ip, k := startComms(t)
	ip.comms = k.Comms()
	id := commID(t, c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "open"})))
	if n := k.Comms().Poll(); n != 0 {
		t.Errorf("Poll with no cell running handled %d messages; want 0", n)
	}

	run := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "poll"})
	<-ip.started
	first := c.send(wire.Shell, wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "echo"}})
	next := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"})
	second := c.send(wire.Shell, wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "echo"}})
	c.f.waitRecv(wire.Shell, 6) // all three are queued
	close(ip.release)

	var order []string
	names := map[string]string{run.MsgID: "cell", first.MsgID: "comm1", next.MsgID: "next", second.MsgID: "comm2"}
	idle := 0
	for idle < 4 {
		g := c.next()
		order = append(order, names[g.Parent.MsgID]+":"+g.String())
		if g.String() == "iopub:status:idle" {
			idle++
		}
		if g.Header.MsgType == wire.Stream && names[g.Parent.MsgID] == "cell" {
			var s struct{ Text string }
			json.Unmarshal(g.Content, &s)
			if s.Text != "polled 2\n" {
				t.Errorf("the cell printed %q; want polled 2", s.Text)
			}
		}
	}
	want := "cell:iopub:status:busy cell:iopub:execute_input " +
		"comm1:iopub:status:busy comm1:iopub:comm_msg comm1:iopub:status:idle " +
		"comm2:iopub:status:busy comm2:iopub:comm_msg comm2:iopub:status:idle " +
		"cell:iopub:stream cell:shell:execute_reply cell:iopub:status:idle " +
		"next:iopub:status:busy next:iopub:execute_input next:iopub:execute_result next:shell:execute_reply next:iopub:status:idle"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("messages\n%s\nwant\n%s", got, want)
	}
}

// TestInterruptHandler: an interrupt cancels the context of the comm
// handler that runs, as it does a cell's.
func TestInterruptHandler(t *testing.T) {
	c, ip, k := startComms(t)
	ip.comms = k.Comms()
	id := commID(t, c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "open"})))
	if err := k.Comms().Context().Err(); err != nil {
		t.Fatalf("Context() between requests is done: %v", err)
	}
	msg := c.send(wire.Shell, wire.CommMsg, obj{"comm_id": id, "data": obj{"op": "wait"}})
	<-ip.started
	intr := c.send(wire.Control, wire.InterruptRequest, obj{})
	byParent := c.untilAll(msg, intr)
	if got, want := kinds(byParent[msg.MsgID]), "iopub:status:busy iopub:stream iopub:status:idle"; got != want {
		t.Errorf("the interrupted handler's messages\n%s\nwant\n%s", got, want)
	}
	if s := content(t, byParent[msg.MsgID], wire.Stream); !strings.Contains(fmt.Sprint(s["text"]), "context canceled") {
		t.Errorf("stream %v; want the handler's error naming the cancelled context", s["text"])
	}
	if got := jsonString(content(t, byParent[intr.MsgID], wire.InterruptReply)); got != `{"status":"ok"}` {
		t.Errorf("interrupt_reply %s", got)
	}
	c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"}))
}
