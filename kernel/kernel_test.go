package kernel_test

import (
	"errors"
	"testing"

	"github.com/plasticnb/plasticnb/kernel"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

type obj = map[string]any

// TestChoreography runs requests one after another on one kernel and checks
// the messages each produces, in order, and the fields of the reply.
func TestChoreography(t *testing.T) {
	c := start(t, newMock())
	for _, tc := range []struct {
		name    string
		ch      wire.Channel
		typ     wire.MsgType
		content any
		want    string         // the messages, in order
		reply   map[string]any // fields of the reply (JSON-encoded comparison)
	}{
		{"kernel_info on shell", wire.Shell, wire.KernelInfoRequest, obj{},
			"iopub:status:busy shell:kernel_info_reply iopub:status:idle",
			obj{"status": "ok", "protocol_version": "5.3", "implementation": "plasticnb", "banner": "mock",
				"language_info": obj{"name": "go", "version": kernel.DefaultLanguage().Version, "mimetype": "text/x-go",
					"file_extension": ".go", "codemirror_mode": "go", "pygments_lexer": "go", "nbconvert_exporter": "script"}}},
		{"kernel_info on control", wire.Control, wire.KernelInfoRequest, obj{},
			"iopub:status:busy control:kernel_info_reply iopub:status:idle", obj{"status": "ok"}},
		{"stream output", wire.Shell, wire.ExecuteRequest, obj{"code": "print"},
			"iopub:status:busy iopub:execute_input iopub:stream iopub:stream shell:execute_reply iopub:status:idle",
			obj{"status": "ok", "execution_count": 1, "user_expressions": obj{}, "payload": []any{}}},
		{"execute_result", wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"},
			"iopub:status:busy iopub:execute_input iopub:execute_result shell:execute_reply iopub:status:idle",
			obj{"status": "ok", "execution_count": 2}},
		{"silent", wire.Shell, wire.ExecuteRequest, obj{"code": "1+1", "silent": true},
			"iopub:status:busy shell:execute_reply iopub:status:idle",
			obj{"status": "ok", "execution_count": 2}},
		{"no store_history", wire.Shell, wire.ExecuteRequest, obj{"code": "1+1", "store_history": false},
			"iopub:status:busy iopub:execute_input iopub:execute_result shell:execute_reply iopub:status:idle",
			obj{"status": "ok", "execution_count": 2}},
		{"user_expressions", wire.Shell, wire.ExecuteRequest,
			obj{"code": "", "user_expressions": obj{"a": "x", "b": "bad"}},
			"iopub:status:busy iopub:execute_input shell:execute_reply iopub:status:idle",
			obj{"status": "ok", "execution_count": 3, "user_expressions": obj{
				"a": obj{"status": "ok", "data": obj{"text/plain": "x"}, "metadata": obj{}},
				"b": obj{"status": "error", "ename": "CompileError", "evalue": "bad", "traceback": []any{}}}}},
		{"error", wire.Shell, wire.ExecuteRequest, obj{"code": "fail"},
			"iopub:status:busy iopub:execute_input iopub:error shell:execute_reply iopub:status:idle",
			obj{"status": "error", "execution_count": 4, "ename": "panic", "evalue": "boom",
				"traceback": []any{"panic: boom", "cell:1:1"}}},
		{"display", wire.Shell, wire.ExecuteRequest, obj{"code": "display"},
			"iopub:status:busy iopub:execute_input iopub:display_data iopub:display_data iopub:update_display_data iopub:clear_output shell:execute_reply iopub:status:idle",
			obj{"status": "ok", "execution_count": 5}},
		{"stdin not allowed", wire.Shell, wire.ExecuteRequest, obj{"code": "input", "allow_stdin": false},
			"iopub:status:busy iopub:execute_input iopub:error shell:execute_reply iopub:status:idle",
			obj{"status": "error", "ename": "InputError", "evalue": kernel.ErrStdinNotAllowed.Error()}},
		{"complete, non-ASCII", wire.Shell, wire.CompleteRequest, obj{"code": "é := 1; fmt.Pr", "cursor_pos": 14},
			"iopub:status:busy shell:complete_reply iopub:status:idle",
			obj{"status": "ok", "matches": []any{"Printf", "Println"}, "cursor_start": 12, "cursor_end": 14, "metadata": obj{}}},
		{"complete, no cursor", wire.Shell, wire.CompleteRequest, obj{"code": "fmt.Pr"},
			"iopub:status:busy shell:complete_reply iopub:status:idle",
			obj{"cursor_start": 4, "cursor_end": 6}},
		{"complete, UTF-16 cursor", wire.Shell, wire.CompleteRequest, obj{"code": "s := \"😀\"; fmt.Pr", "cursor_pos": 17},
			"iopub:status:busy shell:complete_reply iopub:status:idle",
			obj{"cursor_start": 15, "cursor_end": 17}},
		{"inspect", wire.Shell, wire.InspectRequest, obj{"code": "é fmt", "cursor_pos": 2, "detail_level": 0},
			"iopub:status:busy shell:inspect_reply iopub:status:idle",
			obj{"status": "ok", "found": true, "data": obj{"text/plain": "é "}, "metadata": obj{}}},
		{"is_complete", wire.Shell, wire.IsCompleteRequest, obj{"code": "x := 1"},
			"iopub:status:busy shell:is_complete_reply iopub:status:idle", obj{"status": "complete"}},
		{"is_complete incomplete", wire.Shell, wire.IsCompleteRequest, obj{"code": "func f() {"},
			"iopub:status:busy shell:is_complete_reply iopub:status:idle", obj{"status": "incomplete", "indent": "\t"}},
		{"is_complete invalid", wire.Shell, wire.IsCompleteRequest, obj{"code": "}"},
			"iopub:status:busy shell:is_complete_reply iopub:status:idle", obj{"status": "invalid"}},
		{"history tail", wire.Shell, wire.HistoryRequest, obj{"hist_access_type": "tail", "n": 2, "output": false, "raw": true},
			"iopub:status:busy shell:history_reply iopub:status:idle",
			obj{"status": "ok", "history": []any{[]any{1, 5, "display"}, []any{1, 6, "input"}}}},
		{"history tail with output", wire.Shell, wire.HistoryRequest, obj{"hist_access_type": "tail", "n": 1, "output": true},
			"iopub:status:busy shell:history_reply iopub:status:idle",
			obj{"history": []any{[]any{1, 6, []any{"input", nil}}}}},
		{"history range", wire.Shell, wire.HistoryRequest, obj{"hist_access_type": "range", "session": 1, "start": 2, "stop": 3},
			"iopub:status:busy shell:history_reply iopub:status:idle",
			obj{"history": []any{[]any{1, 2, "1+1"}}}},
		{"history search", wire.Shell, wire.HistoryRequest, obj{"hist_access_type": "search", "pattern": "*i*"},
			"iopub:status:busy shell:history_reply iopub:status:idle",
			obj{"history": []any{[]any{1, 1, "print"}, []any{1, 4, "fail"}, []any{1, 5, "display"}, []any{1, 6, "input"}}}},
		{"comm_info", wire.Shell, wire.CommInfoRequest, obj{},
			"iopub:status:busy shell:comm_info_reply iopub:status:idle", obj{"status": "ok", "comms": obj{}}},
		{"comm_open closes", wire.Shell, wire.CommOpen, obj{"comm_id": "c1", "target_name": "jupyter.widget", "data": obj{}},
			"iopub:status:busy iopub:comm_close iopub:status:idle", nil},
		{"comm_msg to an unknown comm is answered by its close", wire.Shell, wire.CommMsg, obj{"comm_id": "c1", "data": obj{}},
			"iopub:status:busy iopub:comm_close iopub:status:idle", nil},
		{"comm_msg without comm_id", wire.Shell, wire.CommMsg, obj{"data": obj{}},
			"iopub:status:busy iopub:status:idle", nil},
		{"unknown request", wire.Shell, "frobnicate_request", obj{},
			"iopub:status:busy shell:frobnicate_reply iopub:status:idle", obj{"status": "error", "ename": "UnknownMessageType"}},
		{"unknown message", wire.Shell, "frobnicate", obj{}, "iopub:status:busy iopub:status:idle", nil},
		{"unknown on control", wire.Control, "debug_request", obj{},
			"iopub:status:busy control:debug_reply iopub:status:idle", obj{"status": "error"}},
		{"interrupt with nothing running", wire.Control, wire.InterruptRequest, obj{},
			"iopub:status:busy control:interrupt_reply iopub:status:idle", obj{"status": "ok"}},
		{"state kept", wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"},
			"iopub:status:busy iopub:execute_input iopub:execute_result shell:execute_reply iopub:status:idle",
			obj{"status": "ok", "execution_count": 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := c.send(tc.ch, tc.typ, tc.content)
			gs := c.until(req)
			if got := kinds(gs); got != tc.want {
				t.Fatalf("messages\n%s\nwant\n%s", got, tc.want)
			}
			if tc.reply == nil {
				return
			}
			rt, _ := tc.typ.ReplyType()
			r := content(t, gs, rt)
			for k, want := range tc.reply {
				if jsonString(r[k]) != jsonString(want) {
					t.Errorf("reply[%q] = %s; want %s", k, jsonString(r[k]), jsonString(want))
				}
			}
		})
	}
}

func TestOutputsCarryParentAndCount(t *testing.T) {
	c := start(t, newMock())
	req := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"})
	gs := c.until(req)
	if got := jsonString(content(t, gs, wire.ExecuteInput)); got != `{"code":"1+1","execution_count":1}` {
		t.Errorf("execute_input = %s", got)
	}
	if got := jsonString(content(t, gs, wire.ExecuteResult)); got != `{"data":{"text/plain":"2"},"execution_count":1,"metadata":{}}` {
		t.Errorf("execute_result = %s", got)
	}
	req = c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "display"})
	gs = c.until(req)
	var dd []string
	for _, g := range gs {
		if g.Header.MsgType == wire.DisplayData || g.Header.MsgType == wire.UpdateDisplayData || g.Header.MsgType == wire.ClearOutput {
			dd = append(dd, string(g.Content))
		}
	}
	want := []string{
		`{"data":{"text/markdown":"*a*"},"metadata":{}}`,
		`{"data":{"text/markdown":"*a*"},"metadata":{},"transient":{"display_id":"d1"}}`,
		`{"data":{"text/markdown":"*a*"},"metadata":{},"transient":{"display_id":"d1"}}`,
		`{"wait":true}`,
	}
	if jsonString(dd) != jsonString(want) {
		t.Errorf("display messages\n%s\nwant\n%s", dd, want)
	}
}

// TestBadMessagesDropped sends messages that must be dropped unread, then
// checks that the kernel still answers and its state is intact.
func TestBadMessagesDropped(t *testing.T) {
	m := newMock()
	c := start(t, m)
	c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"}))

	good, _ := c.sess.New(wire.ExecuteRequest, nil, obj{"code": "print"})
	good.Identities = [][]byte{[]byte("frontend")}
	frames, _ := c.codec.Encode(good)
	tampered := append([][]byte{}, frames...)
	tampered[6] = []byte(`{"code":"fail"}`)
	unsigned := append([][]byte{}, frames...)
	unsigned[2] = nil
	for _, bad := range [][][]byte{
		tampered,
		unsigned,
		{[]byte("frontend"), []byte("garbage")},
		{},
		frames[:5],
	} {
		c.f.in[wire.Shell] <- bad
		c.f.in[wire.Control] <- bad
	}
	req := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"})
	gs := c.until(req) // fails on any message answering a dropped one
	if r := content(t, gs, wire.ExecuteReply); r["execution_count"] != 2.0 {
		t.Errorf("execution_count = %v; want 2", r["execution_count"])
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.requests) != 2 {
		t.Errorf("interpreter ran %d cells; want 2", len(m.requests))
	}
}

// TestInterrupt interrupts a cell that runs until its context ends, from
// the control channel, while the shell is busy with it.
func TestInterrupt(t *testing.T) {
	m := newMock()
	c := start(t, m)
	exec := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "loop"})
	<-m.started
	intr := c.send(wire.Control, wire.InterruptRequest, obj{})
	byReq := c.untilAll(exec, intr)
	if got, want := kinds(byReq[intr.MsgID]), "iopub:status:busy control:interrupt_reply iopub:status:idle"; got != want {
		t.Errorf("interrupt: %s; want %s", got, want)
	}
	if got, want := kinds(byReq[exec.MsgID]), "iopub:status:busy iopub:execute_input iopub:error shell:execute_reply iopub:status:idle"; got != want {
		t.Errorf("execute: %s; want %s", got, want)
	}
	if r := content(t, byReq[exec.MsgID], wire.ExecuteReply); r["ename"] != "Interrupted" {
		t.Errorf("execute_reply %v; want ename Interrupted", r)
	}
	// The kernel is still usable.
	if r := content(t, c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"})), wire.ExecuteReply); r["status"] != "ok" {
		t.Errorf("after interrupt: %v", r)
	}
}

// TestStopOnError checks that the execute requests queued behind a failing
// cell are aborted, other requests answered, and later ones run again.
func TestStopOnError(t *testing.T) {
	for _, tc := range []struct {
		stopOnError bool
		want        string // statuses of the two queued executes
	}{
		{true, "aborted aborted"},
		{false, "ok ok"},
	} {
		m := newMock()
		c := start(t, m)
		fail := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "block-fail", "stop_on_error": tc.stopOnError})
		<-m.started
		q1 := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"})
		info := c.send(wire.Shell, wire.KernelInfoRequest, obj{})
		q2 := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "print"})
		c.f.waitRecv(wire.Shell, 5) // the 4 requests are queued in the kernel
		close(m.release)
		byReq := c.untilAll(fail, q1, info, q2)
		got := content(t, byReq[q1.MsgID], wire.ExecuteReply)["status"].(string) + " " +
			content(t, byReq[q2.MsgID], wire.ExecuteReply)["status"].(string)
		if got != tc.want {
			t.Errorf("stop_on_error %v: queued executes %s; want %s", tc.stopOnError, got, tc.want)
		}
		if tc.stopOnError {
			if k := kinds(byReq[q1.MsgID]); k != "iopub:status:busy shell:execute_reply iopub:status:idle" {
				t.Errorf("aborted execute: %s", k)
			}
		}
		if r := content(t, byReq[info.MsgID], wire.KernelInfoReply); r["status"] != "ok" {
			t.Errorf("kernel_info queued behind the error: %v", r)
		}
		if r := content(t, c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"})), wire.ExecuteReply); r["status"] != "ok" {
			t.Errorf("execute after the aborts: %v", r)
		}
	}
}

func TestInput(t *testing.T) {
	c := start(t, newMock())
	req := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "input"})
	var gs []got
	for {
		g := c.next()
		gs = append(gs, g)
		if g.Header.MsgType == wire.InputRequest {
			break
		}
	}
	ir := content(t, gs, wire.InputRequest)
	if ir["prompt"] != "name? " || ir["password"] != false || gs[len(gs)-1].ch != wire.Stdin {
		t.Fatalf("input_request %v on %v", ir, gs[len(gs)-1].ch)
	}
	c.send(wire.Stdin, wire.InputReply, obj{"value": "Ada"})
	gs = append(gs, c.until(req)...)
	if got := content(t, gs, wire.Stream)["text"]; got != "hi Ada" {
		t.Errorf("stream after input = %v; want hi Ada", got)
	}
}

func TestShutdown(t *testing.T) {
	for _, ch := range []wire.Channel{wire.Control, wire.Shell} {
		for _, restart := range []bool{false, true} {
			c := start(t, newMock())
			req := c.send(ch, wire.ShutdownRequest, obj{"restart": restart})
			gs := c.until(req)
			want := "iopub:status:busy " + ch.String() + ":shutdown_reply iopub:status:idle"
			if kinds(gs) != want {
				t.Errorf("%v: %s; want %s", ch, kinds(gs), want)
			}
			if r := content(t, gs, wire.ShutdownReply); r["restart"] != restart || r["status"] != "ok" {
				t.Errorf("%v: shutdown_reply %v", ch, r)
			}
			<-c.done
			if c.err != nil || c.restart != restart {
				t.Errorf("%v: Serve = %v, %v; want %v, nil", ch, c.restart, c.err, restart)
			}
		}
	}
}

func TestTransportFailureEndsServe(t *testing.T) {
	c := start(t, newMock())
	c.f.Close()
	<-c.done
	if !errors.Is(c.err, errFakeClosed) {
		t.Errorf("Serve after the transport closed = %v; want %v", c.err, errFakeClosed)
	}
}

func TestNewErrors(t *testing.T) {
	for _, cfg := range []kernel.Config{
		{},
		{Interpreter: newMock(), QueueSize: -1},
		{Interpreter: newMock(), MaxMessageSize: -1},
	} {
		if _, err := kernel.New(cfg); err == nil {
			t.Errorf("New(%+v) = nil error; want one", cfg)
		}
	}
}

// TestInterruptInput interrupts a cell waiting for an input_reply.
func TestInterruptInput(t *testing.T) {
	c := start(t, newMock())
	exec := c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "input"})
	var before []got
	for {
		g := c.next()
		before = append(before, g)
		if g.Header.MsgType == wire.InputRequest {
			break
		}
	}
	intr := c.send(wire.Control, wire.InterruptRequest, obj{})
	byReq := c.untilAll(exec, intr)
	r := content(t, byReq[exec.MsgID], wire.ExecuteReply)
	if r["status"] != "error" || r["ename"] != "InputError" {
		t.Errorf("execute_reply after interrupting input: %v; want an InputError", r)
	}
	// A late input_reply is ignored and the kernel goes on.
	c.send(wire.Stdin, wire.InputReply, obj{"value": "late"})
	if r := content(t, c.until(c.send(wire.Shell, wire.ExecuteRequest, obj{"code": "1+1"})), wire.ExecuteReply); r["status"] != "ok" {
		t.Errorf("after the interrupted input: %v", r)
	}
}
