package widget

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/comm"
)

// The protocol of the widget JavaScript this package speaks.
const (
	// Target is the comm target of widget models.
	Target = "jupyter.widget"
	// VersionTarget is the comm the frontend opens to compare versions.
	VersionTarget = "jupyter.widget.version"
	// Module is the JavaScript module of the models and views.
	Module = "jupyter-js-widgets"
	// ModuleVersion is the semver range of Module the models ask for.
	ModuleVersion = "~2.1.4"
	// ViewMIME is the media type of a widget's view in a display_data.
	ViewMIME cell.MIME = "application/vnd.jupyter.widget-view+json"
)

// Targets returns the comm targets the kernel registers for widgets (its
// Config.CommTargets): the version handshake, and the widget target, on
// which a reloaded page reopens the widgets comm_info listed.
func Targets() map[string]comm.Target {
	fe := &frontend{}
	return map[string]comm.Target{VersionTarget: fe, Target: reopen{}}
}

// frontend records the frontend's answer to the version handshake.
type frontend struct {
	mu        sync.Mutex
	validated bool
	version   string
}

// Opened answers the frontend's version comm with the version range the
// models need; the frontend replies whether it satisfies it.
func (f *frontend) Opened(c *comm.Comm, data json.RawMessage) (comm.Handler, error) {
	if err := c.Send(map[string]string{"version": ModuleVersion}); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *frontend) Message(data json.RawMessage) error {
	var d struct {
		Validated       *bool  `json:"validated"`
		FrontendVersion string `json:"frontend_version"`
	}
	if err := json.Unmarshal(data, &d); err != nil || d.Validated == nil {
		return fmt.Errorf("widget version comm: want {validated, frontend_version}, got %s", data)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.validated, f.version = *d.Validated, d.FrontendVersion
	return nil
}

func (f *frontend) Closed(json.RawMessage) {}

// live reports whether a frontend with matching widget JavaScript is
// connected.
func (f *frontend) live() bool {
	if f == nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.validated
}

// reopen refuses a comm_open on the widget target for a model the kernel
// does not have (the Manager keeps the comms it has: a reload reopening
// them changes nothing).
type reopen struct{}

func (reopen) Opened(c *comm.Comm, data json.RawMessage) (comm.Handler, error) {
	return nil, fmt.Errorf("no widget model %s in this kernel (widgets are made by cells)", c.ID())
}

// UI makes the widgets of one kernel session.
type UI struct {
	m  *comm.Manager // nil: offline
	fe *frontend
}

// New returns the UI of the session whose cell context is ctx (pass
// display.CellContext()). Without a comm manager in ctx (compiled Go) the
// widgets work offline.
func New(ctx context.Context) *UI {
	ui := &UI{m: comm.FromContext(ctx)}
	if ui.m != nil {
		ui.fe, _ = ui.m.Target(VersionTarget).(*frontend)
	}
	return ui
}

// Poll, called by a running cell between its statements, handles the
// changes the frontend has sent since the cell started (their callbacks
// run now, on the cell's goroutine) and returns how many messages it
// handled; without it they wait for the cell to end. Offline it returns 0.
//
//	for !stop.Value() { // stop := ui.Checkbox("stop", false)
//		step()
//		ui.Poll()
//	}
func (ui *UI) Poll() int {
	if ui.m == nil {
		return 0
	}
	return ui.m.Poll()
}

// Context returns the context of what runs now: the running cell's, or,
// in a callback, the context of the change being handled, which the
// notebook's interrupt (the stop button) cancels. Pass it to long calls in
// callbacks, where display.CellContext() is not cancelled by anything.
// Offline it returns context.Background().
func (ui *UI) Context() context.Context {
	if ui.m == nil {
		return context.Background()
	}
	return ui.m.Context()
}

// Widget is what boxes hold: any widget of this package.
type Widget interface {
	// ModelID returns the widget's model id (its comm id).
	ModelID() string
	// String is the widget's text/plain form.
	String() string
}

// base is the part every widget shares: its comm, its synchronised state
// and what to do with a change from the frontend.
type base struct {
	ui   *UI
	id   string
	name string // e.g. "IntSlider", for the text form
	c    *comm.Comm

	mu    sync.Mutex
	state map[string]any // keys as the JavaScript model has them
	// accept checks and applies a key the frontend sets; nil refuses all.
	accept func(key string, raw json.RawMessage) error
	// custom handles a custom message (a button's click).
	custom func(content json.RawMessage) error
	// text is the widget's text/plain form.
	text func() string

	cbMu sync.Mutex
	cbs  []func() // called after each change, in order
}

// on adds f to the functions called after each change.
func (w *base) on(f func()) {
	w.cbMu.Lock()
	defer w.cbMu.Unlock()
	w.cbs = append(w.cbs, f)
}

// fire calls the change callbacks (outside every lock: they may set the
// widget again).
func (w *base) fire() {
	w.cbMu.Lock()
	cbs := append([]func(){}, w.cbs...)
	w.cbMu.Unlock()
	for _, f := range cbs {
		f()
	}
}

// open sets the model's state and opens its comm (offline: gives it an id).
func (ui *UI) open(w *base, name string, state map[string]any) {
	w.ui, w.name = ui, name
	full := map[string]any{
		"_model_module": Module, "_model_module_version": ModuleVersion,
		"_view_module": Module, "_view_module_version": ModuleVersion,
		"_model_name": name + "Model", "_view_name": name + "View",
		"msg_throttle": 1, "_dom_classes": []string{},
	}
	for k, v := range state {
		full[k] = v
	}
	w.state = full
	if ui.m == nil {
		w.id = comm.NewID()
		return
	}
	data := full
	if !ui.fe.live() {
		// nbclient 0.7 (nbconvert's executor) reads a comm_open's state
		// where ipywidgets 7 puts it, under "state", and fails without
		// it: until a frontend with the ipywidgets 6 JavaScript has shaken
		// hands, send both forms.
		data = make(map[string]any, len(full)+2)
		for k, v := range full {
			data[k] = v
		}
		data["state"], data["buffer_paths"] = full, []string{}
	}
	c, err := ui.m.Open(Target, data, (*handler)(w))
	if err != nil {
		// Only a failing transport gets here: the widget stays offline.
		w.id = comm.NewID()
		return
	}
	w.c, w.id = c, c.ID()
}

// ModelID returns the widget's model id.
func (w *base) ModelID() string { return w.id }

// get returns a state value under the lock.
func (w *base) get(key string) any {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state[key]
}

// set changes state keys and sends them to the frontend.
func (w *base) set(kv map[string]any) {
	w.mu.Lock()
	for k, v := range kv {
		w.state[k] = v
	}
	w.mu.Unlock()
	w.send(kv)
}

// send sends an update of kv to the frontend.
func (w *base) send(kv map[string]any) {
	if w.c == nil || w.c.Closed() {
		return
	}
	_ = w.c.Send(map[string]any{"method": "update", "state": kv, "buffers": []string{}})
}

// Close closes the widget's comm: its views disappear from the frontend.
func (w *base) Close() {
	if w.c != nil {
		_ = w.c.Close(nil)
	}
}

// RenderBundle is the widget's display: its view for a frontend with the
// widget JavaScript (which ipywidgets 6 shows on a "display" message, not
// from the bundle), its text/plain form otherwise.
func (w *base) RenderBundle() cell.Bundle {
	view := map[string]any{"model_id": w.id}
	if w.c != nil && w.ui.fe.live() {
		_ = w.c.Send(map[string]string{"method": "display"})
		return cell.Bundle{Data: map[cell.MIME]any{ViewMIME: view}}
	}
	return cell.Bundle{Data: map[cell.MIME]any{ViewMIME: view, cell.MIMEPlain: w.text()}}
}

// String is the widget's text/plain form.
func (w *base) String() string { return w.text() }

// handler is a model's side of its comm.
type handler base

func (h *handler) Message(data json.RawMessage) error {
	w := (*base)(h)
	var d struct {
		Method   string                     `json:"method"`
		SyncData map[string]json.RawMessage `json:"sync_data"`
		Content  json.RawMessage            `json:"content"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return fmt.Errorf("%s %s: malformed message %s", w.name, w.id, data)
	}
	switch d.Method {
	case "backbone":
		return w.sync(d.SyncData)
	case "request_state":
		w.mu.Lock()
		all := make(map[string]any, len(w.state))
		for k, v := range w.state {
			all[k] = v
		}
		w.mu.Unlock()
		w.send(all)
		return nil
	case "custom":
		if w.custom == nil {
			return fmt.Errorf("%s %s: no custom messages", w.name, w.id)
		}
		return w.custom(d.Content)
	}
	return fmt.Errorf("%s %s: unknown method %q", w.name, w.id, d.Method)
}

// sync applies the keys the frontend set, all or none: a refused key sends
// the widget's state of the keys back, so that the view shows it again.
func (w *base) sync(kv map[string]json.RawMessage) error {
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w.mu.Lock()
	saved := make(map[string]any, len(keys))
	for _, k := range keys {
		saved[k] = w.state[k]
	}
	var err error
	for _, k := range keys {
		if w.accept == nil {
			err = fmt.Errorf("key %q cannot be set", k)
		} else {
			err = w.accept(k, kv[k])
		}
		if err != nil {
			break
		}
	}
	if err != nil {
		for k, v := range saved {
			w.state[k] = v
		}
	}
	w.mu.Unlock()
	if err != nil {
		w.send(saved)
		return fmt.Errorf("%s %s: %v", w.name, w.id, err)
	}
	w.fire()
	return nil
}

func (h *handler) Closed(json.RawMessage) {}

// quote formats s as the text forms show strings.
func quote(s string) string { return fmt.Sprintf("%q", s) }

// textForm formats name(k=v, ...) for the text/plain forms.
func textForm(name string, fields ...string) string {
	return name + "(" + strings.Join(fields, ", ") + ")"
}
