package comm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/comm"
)

// printer is a Sender that prints what it sends, with random comm ids
// replaced by "ID".
type printer struct{}

var randomID = regexp.MustCompile(`"[0-9a-f]{32}"`)

func (p printer) SendComm(kind comm.Kind, content any) error {
	b, err := json.Marshal(content)
	if err != nil {
		return err
	}
	fmt.Println(kind, randomID.ReplaceAllString(string(b), `"ID"`))
	return nil
}

func (p printer) ParentID() string { return "parent" }

func (p printer) Context() context.Context { return context.Background() }

// counter counts clicks and refuses bad data.
type counter struct{ n int }

func (c *counter) Message(data json.RawMessage) error {
	var d struct{ Clicks int }
	if err := json.Unmarshal(data, &d); err != nil || d.Clicks <= 0 {
		return fmt.Errorf("want {\"clicks\": n > 0}, got %s", data)
	}
	c.n += d.Clicks
	return nil
}

func (c *counter) Closed(json.RawMessage) { fmt.Println("closed after", c.n, "clicks") }

func Example() {
	m := comm.NewManager(printer{})
	h := &counter{}
	c, _ := m.Open("clicks", map[string]string{"label": "go"}, h)
	_ = c.Send(map[string]int{"shown": 1})

	// The kernel passes what the frontend sends to Deliver.
	msg := fmt.Sprintf(`{"comm_id": %q, "data": {"clicks": 2}}`, c.ID())
	fmt.Println(m.Deliver(comm.Message, json.RawMessage(msg)))
	fmt.Println(m.Deliver(comm.Message, json.RawMessage(`{"comm_id": "nope", "data": {}}`)))
	fmt.Println(m.Deliver(comm.Close, json.RawMessage(fmt.Sprintf(`{"comm_id": %q, "data": {}}`, c.ID()))))
	fmt.Println(len(m.Info("")), "open")
	// Output:
	// comm_open {"comm_id":"ID","target_name":"clicks","data":{"label":"go"}}
	// comm_msg {"comm_id":"ID","data":{"shown":1}}
	// <nil>
	// comm_msg for comm "nope": no open comm has this comm_id
	// closed after 2 clicks
	// <nil>
	// 0 open
}

type panicky struct{}

func (panicky) Message(json.RawMessage) error { panic("boom") }
func (panicky) Closed(json.RawMessage)        { panic("boom on close") }

type target struct{ err error }

func (t target) Opened(c *comm.Comm, data json.RawMessage) (comm.Handler, error) {
	if t.err != nil {
		return nil, t.err
	}
	return panicky{}, nil
}

func TestDeliver(t *testing.T) {
	m := comm.NewManager(printer{})
	m.Register("ok", target{})
	m.Register("refuses", target{err: errors.New("no thanks")})
	for _, tc := range []struct {
		name    string
		kind    comm.Kind
		content string
		want    string // "" for no error; else a part of the error, or "panic"
	}{
		{"open", comm.Open, `{"comm_id": "a", "target_name": "ok", "data": {}}`, ""},
		{"reopen keeps the comm", comm.Open, `{"comm_id": "a", "target_name": "ok", "data": {}}`, ""},
		{"refused", comm.Open, `{"comm_id": "b", "target_name": "refuses", "data": {}}`, "no thanks"},
		{"unknown target", comm.Open, `{"comm_id": "c", "target_name": "nobody", "data": {}}`, "no comm target"},
		{"no comm_id", comm.Open, `{"target_name": "ok", "data": {}}`, "no comm_id"},
		{"malformed", comm.Message, `{"comm_id": 3}`, "malformed content"},
		{"not JSON", comm.Message, `{`, "malformed content"},
		{"panic", comm.Message, `{"comm_id": "a", "data": {}}`, "panic: boom"},
		{"unknown kind", "comm_frob", `{}`, "unknown comm message type"},
		{"panic on close", comm.Close, `{"comm_id": "a", "data": {}}`, "panic: boom on close"},
		{"closed", comm.Message, `{"comm_id": "a", "data": {}}`, "no open comm"},
	} {
		err := m.Deliver(tc.kind, json.RawMessage(tc.content))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: Deliver(%s) = %v; want nil", tc.name, tc.content, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: Deliver(%s) = %v; want an error containing %q", tc.name, tc.content, err, tc.want)
		}
		var pe *comm.PanicError
		if strings.HasPrefix(tc.want, "panic") && (!errors.As(err, &pe) || len(pe.Stack) == 0) {
			t.Errorf("%s: error %v is not a *PanicError with a stack", tc.name, err)
		}
	}
	if ids := m.IDs(); len(ids) != 0 {
		t.Errorf("open comms %v after the close; want none", ids)
	}
}

func TestOpenValidates(t *testing.T) {
	m := comm.NewManager(printer{})
	for name, f := range map[string]func() error{
		"no target":  func() error { _, err := m.Open("", nil, &counter{}); return err },
		"no handler": func() error { _, err := m.Open("t", nil, nil); return err },
		"not object": func() error { _, err := m.Open("t", []int{1}, &counter{}); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("Open with %s: no error", name)
		}
	}
	c, err := m.Open("t", nil, &counter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(nil); err != nil || !c.Closed() {
		t.Fatalf("Close = %v, Closed() = %v", err, c.Closed())
	}
	if err := c.Send(nil); err == nil {
		t.Error("Send on a closed comm: no error")
	}
}
