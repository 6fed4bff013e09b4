// Package comm implements Jupyter comms, the protocol's channels of custom
// messages between an object in the kernel and one in the frontend
// (comm_open, comm_msg, comm_close; comm_info_request lists them). Widgets
// (package kernel/widget) are built on it.
//
// It is part of the kernel's contract layer and imports only the standard
// library: the dispatcher (package kernel) implements Sender, publishing
// what a Manager sends on iopub, and passes it what arrives on shell
// through Deliver. Objects in cells open comms with Manager.Open; a
// frontend opens comms on a Target registered under its name.
//
// # Concurrency
//
// A Manager is safe for concurrent use. The dispatcher calls Deliver on its
// shell worker, one message at a time and never while a cell runs, so
// handlers run in order with the cells and need no locking against them;
// a running cell may call Poll between its statements to have the comm
// messages that arrived meanwhile handled there, on its own goroutine.
// A handler that panics is recovered: Deliver returns a *PanicError, the
// comm stays open and the kernel keeps its state.
package comm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"sync"
)

// Kind is the type of a comm message.
type Kind string

// The comm message types.
const (
	Open    Kind = "comm_open"
	Message Kind = "comm_msg"
	Close   Kind = "comm_close"
)

// OpenContent is the content of comm_open.
type OpenContent struct {
	CommID     string          `json:"comm_id"`
	TargetName string          `json:"target_name"`
	Data       json.RawMessage `json:"data"`
	Metadata   json.RawMessage `json:"metadata,omitempty"`
}

// Content is the content of comm_msg and comm_close.
type Content struct {
	CommID string          `json:"comm_id"`
	Data   json.RawMessage `json:"data"`
}

// Sender publishes a comm message to the frontend; the kernel implements it
// (content is an OpenContent or a Content).
type Sender interface {
	SendComm(kind Kind, content any) error
	// ParentID returns the msg_id of the request being handled (the
	// running cell's execute_request, or the comm message whose handler
	// runs): the parent of what is published now, which an output widget
	// captures.
	ParentID() string
	// Context returns the context of what runs now (the running cell, or
	// the comm message whose handler runs), cancelled when the user
	// interrupts it.
	Context() context.Context
}

// Handler receives what the frontend sends on one comm.
type Handler interface {
	// Message handles the data of a comm_msg. An error means the data was
	// bad; the comm stays open.
	Message(data json.RawMessage) error
	// Closed is called once when the frontend closes the comm.
	Closed(data json.RawMessage)
}

// Target accepts comms the frontend opens with its name.
type Target interface {
	// Opened returns the handler of the new comm c, or an error to refuse
	// it (the kernel then closes it).
	Opened(c *Comm, data json.RawMessage) (Handler, error)
}

// Manager keeps the open comms of a kernel session.
type Manager struct {
	send Sender

	mu      sync.Mutex
	comms   map[string]*Comm
	targets map[string]Target
}

// NewManager returns a Manager sending through s.
func NewManager(s Sender) *Manager {
	return &Manager{send: s, comms: map[string]*Comm{}, targets: map[string]Target{}}
}

// Comm is one open comm.
type Comm struct {
	m      *Manager
	id     string
	target string

	mu      sync.Mutex
	handler Handler
	closed  bool
}

// ID returns the comm_id.
func (c *Comm) ID() string { return c.id }

// TargetName returns the target the comm was opened with.
func (c *Comm) TargetName() string { return c.target }

// Manager returns the Manager the comm belongs to.
func (c *Comm) Manager() *Manager { return c.m }

// Register makes t accept the comms the frontend opens with target name;
// it replaces a target registered under the same name.
func (m *Manager) Register(name string, t Target) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.targets[name] = t
}

// Target returns the target registered under name, or nil.
func (m *Manager) Target(name string) Target {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.targets[name]
}

// Open opens a comm to the frontend's target (comm_open) with data, which
// must encode as a JSON object, and returns it; h receives what the
// frontend sends on it.
func (m *Manager) Open(target string, data any, h Handler) (*Comm, error) {
	if target == "" {
		return nil, errors.New("comm: Open: empty target name")
	}
	if h == nil {
		return nil, errors.New("comm: Open: nil Handler")
	}
	raw, err := object(data)
	if err != nil {
		return nil, fmt.Errorf("comm: Open %s: data: %w", target, err)
	}
	c := &Comm{m: m, id: NewID(), target: target, handler: h}
	m.mu.Lock()
	m.comms[c.id] = c
	m.mu.Unlock()
	if err := m.send.SendComm(Open, OpenContent{CommID: c.id, TargetName: target, Data: raw}); err != nil {
		m.drop(c.id)
		return nil, err
	}
	return c, nil
}

// Send sends data, which must encode as a JSON object, on the comm
// (comm_msg). Sending on a closed comm is an error.
func (c *Comm) Send(data any) error {
	raw, err := object(data)
	if err != nil {
		return fmt.Errorf("comm %s: Send: %w", c.id, err)
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return fmt.Errorf("comm %s: Send on a closed comm", c.id)
	}
	return c.m.send.SendComm(Message, Content{CommID: c.id, Data: raw})
}

// Close closes the comm (comm_close with data, nil for none). Closing a
// closed comm does nothing.
func (c *Comm) Close(data any) error {
	raw, err := object(data)
	if err != nil {
		return fmt.Errorf("comm %s: Close: %w", c.id, err)
	}
	if !c.markClosed() {
		return nil
	}
	c.m.drop(c.id)
	return c.m.send.SendComm(Close, Content{CommID: c.id, Data: raw})
}

// Closed reports whether the comm has been closed by either side.
func (c *Comm) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

func (c *Comm) markClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false
	}
	c.closed = true
	return true
}

func (m *Manager) drop(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.comms, id)
}

// Poller is implemented by a Sender that can deliver, while a cell runs,
// the comm messages that have arrived (the kernel does).
type Poller interface {
	// Poll delivers the comm messages that have arrived and returns how
	// many; it does nothing when no cell runs.
	Poll() int
}

// Poll lets the comm messages that arrived while the running cell runs be
// handled now, on the caller's goroutine, between two of the cell's
// statements; it returns how many were. Without a cell running, or with a
// Sender that cannot poll, it does nothing: the messages are handled after
// the cell, in order.
func (m *Manager) Poll() int {
	if p, ok := m.send.(Poller); ok {
		return p.Poll()
	}
	return 0
}

// Context returns the context of what runs now: pass it to long
// computations in a handler so that the notebook's interrupt stops them
// (see Sender).
func (m *Manager) Context() context.Context { return m.send.Context() }

// ParentID returns the msg_id of the request being handled (see Sender).
func (m *Manager) ParentID() string { return m.send.ParentID() }

// Lookup returns the open comm with the id, or nil.
func (m *Manager) Lookup(id string) *Comm {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.comms[id]
}

// Info returns the open comms whose target is target (all of them if
// target is empty): comm_id -> target name, as comm_info_reply lists them.
func (m *Manager) Info(target string) map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for id, c := range m.comms {
		if target == "" || c.target == target {
			out[id] = c.target
		}
	}
	return out
}

// IDs returns the ids of the open comms, sorted.
func (m *Manager) IDs() []string {
	info := m.Info("")
	ids := make([]string, 0, len(info))
	for id := range info {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Errors Deliver returns for messages it cannot deliver.
var (
	// ErrUnknownComm: a comm_msg or comm_close names no open comm (the
	// dispatcher answers with a comm_close, so that the frontend drops
	// its side).
	ErrUnknownComm = errors.New("no open comm has this comm_id")
	// ErrUnknownTarget: a comm_open names no registered target (the
	// dispatcher answers with a comm_close, as the protocol asks).
	ErrUnknownTarget = errors.New("no comm target of this name")
)

// DeliveryError is an error of Deliver about one comm.
type DeliveryError struct {
	Kind   Kind
	CommID string
	Err    error
}

func (e *DeliveryError) Error() string {
	return fmt.Sprintf("%s for comm %q: %v", e.Kind, e.CommID, e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// PanicError is a handler's panic, recovered by Deliver.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Deliver hands a comm message from the frontend (kind and its JSON
// content) to its comm or target. A comm_open for an id that is already
// open is taken as the frontend reconnecting to it (a reloaded page) and
// changes nothing. The error is a *DeliveryError wrapping ErrUnknownComm,
// ErrUnknownTarget, the handler's error, a *PanicError, or the content's
// decoding error; it is never fatal to the Manager.
func (m *Manager) Deliver(kind Kind, content json.RawMessage) error {
	switch kind {
	case Open:
		var c OpenContent
		if err := decode(content, &c); err != nil {
			return &DeliveryError{Kind: kind, CommID: c.CommID, Err: err}
		}
		return m.opened(c)
	case Message, Close:
		var c Content
		if err := decode(content, &c); err != nil {
			return &DeliveryError{Kind: kind, CommID: c.CommID, Err: err}
		}
		cm := m.Lookup(c.CommID)
		if cm == nil {
			return &DeliveryError{Kind: kind, CommID: c.CommID, Err: ErrUnknownComm}
		}
		var err error
		if kind == Message {
			err = call(func() error { return cm.handler.Message(c.Data) })
		} else if cm.markClosed() {
			m.drop(cm.id)
			err = call(func() error { cm.handler.Closed(c.Data); return nil })
		}
		if err != nil {
			return &DeliveryError{Kind: kind, CommID: c.CommID, Err: err}
		}
		return nil
	}
	return &DeliveryError{Kind: kind, Err: fmt.Errorf("unknown comm message type %q", kind)}
}

func (m *Manager) opened(oc OpenContent) error {
	fail := func(err error) error { return &DeliveryError{Kind: Open, CommID: oc.CommID, Err: err} }
	if m.Lookup(oc.CommID) != nil {
		return nil
	}
	t := m.Target(oc.TargetName)
	if t == nil {
		return fail(fmt.Errorf("%w: %q", ErrUnknownTarget, oc.TargetName))
	}
	c := &Comm{m: m, id: oc.CommID, target: oc.TargetName}
	var h Handler
	err := call(func() (err error) { h, err = t.Opened(c, oc.Data); return err })
	if err == nil && h == nil {
		err = fmt.Errorf("target %q returned no handler", oc.TargetName)
	}
	if err != nil {
		return fail(err)
	}
	c.handler = h
	m.mu.Lock()
	m.comms[c.id] = c
	m.mu.Unlock()
	return nil
}

// call runs f, turning a panic into a *PanicError.
func call(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return f()
}

func decode(content json.RawMessage, v any) error {
	if err := json.Unmarshal(content, v); err != nil {
		return fmt.Errorf("malformed content: %w", err)
	}
	var id string
	switch c := v.(type) {
	case *OpenContent:
		id = c.CommID
	case *Content:
		id = c.CommID
	}
	if id == "" {
		return errors.New("content has no comm_id")
	}
	return nil
}

// object encodes data as a JSON object; nil is {}.
func object(data any) (json.RawMessage, error) {
	if data == nil {
		return json.RawMessage("{}"), nil
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("data must encode as a JSON object, not %s", raw)
	}
	return raw, nil
}

// NewID returns a new random comm id: 32 hexadecimal digits, as the uuid4
// hex of ipykernel.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b[:])
}

type contextKey struct{}

// NewContext returns a copy of ctx that carries m; the kernel gives it to
// each cell, and cells pass display.CellContext() to packages that open
// comms (widget.New).
func NewContext(ctx context.Context, m *Manager) context.Context {
	return context.WithValue(ctx, contextKey{}, m)
}

// FromContext returns the Manager ctx carries, or nil (compiled code, or a
// frontend session without comms).
func FromContext(ctx context.Context) *Manager {
	m, _ := ctx.Value(contextKey{}).(*Manager)
	return m
}
