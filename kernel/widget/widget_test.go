package widget_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/comm"
	"github.com/plasticnb/plasticnb/kernel/widget"
)

// recorder is a comm.Sender that keeps what is sent.
type recorder struct {
	mu   sync.Mutex
	sent []string // kind + " " + JSON content
}

func (r *recorder) SendComm(kind comm.Kind, content any) error {
	b, err := json.Marshal(content)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, string(kind)+" "+string(b))
	return nil
}

func (r *recorder) ParentID() string { return "parent-1" }

func (r *recorder) Context() context.Context { return context.Background() }

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sent
	r.sent = nil
	return s
}

func session() (*widget.UI, *comm.Manager, *recorder) {
	r := &recorder{}
	m := comm.NewManager(r)
	for name, t := range widget.Targets() {
		m.Register(name, t)
	}
	return widget.New(comm.NewContext(context.Background(), m)), m, r
}

func deliver(t *testing.T, m *comm.Manager, id string, data string) error {
	t.Helper()
	return m.Deliver(comm.Message, json.RawMessage(fmt.Sprintf(`{"comm_id":%q,"data":%s}`, id, data)))
}

func sync_(v string) string { return `{"method":"backbone","sync_data":{"value":` + v + `}}` }

func TestFrontendChanges(t *testing.T) {
	ui, m, r := session()
	var got []string
	is := ui.IntSlider("n", 0, 10, 1, 3)
	is.OnChange(func(v int) { got = append(got, fmt.Sprint("int ", v)) })
	fs := ui.FloatSlider("eta", 0, 1, 0.01, 0.5)
	fs.OnChange(func(v float64) { got = append(got, fmt.Sprint("float ", v)) })
	dd := ui.Dropdown("task", []string{"dnms", "ci"}, "dnms")
	dd.OnChange(func(v string) { got = append(got, "drop "+v) })
	cb := ui.Checkbox("on", false)
	cb.OnChange(func(v bool) { got = append(got, fmt.Sprint("check ", v)) })
	bt := ui.Button("go")
	bt.OnClick(func() { got = append(got, "click") })
	lb := ui.Label("hi")
	r.take()

	for _, tc := range []struct {
		name, id, data string
		err            string // "" for success
		want           string // callback record
	}{
		{"int", is.ModelID(), sync_("7"), "", "int 7"},
		{"int as float", is.ModelID(), sync_("8.0"), "", "int 8"},
		{"int out of range", is.ModelID(), sync_("11"), "out of range", ""},
		{"int fractional", is.ModelID(), sync_("2.5"), "not an integer", ""},
		{"int string", is.ModelID(), sync_(`"3"`), "not a number", ""},
		{"float", fs.ModelID(), sync_("0.25"), "", "float 0.25"},
		{"float rounding past max", fs.ModelID(), sync_("1.0000000000001"), "", "float 1"},
		{"float out of range", fs.ModelID(), sync_("-0.5"), "out of range", ""},
		{"dropdown", dd.ModelID(), sync_(`"ci"`), "", "drop ci"},
		{"dropdown not an option", dd.ModelID(), sync_(`"xor"`), "not one of the options", ""},
		{"checkbox", cb.ModelID(), sync_("true"), "", "check true"},
		{"checkbox number", cb.ModelID(), sync_("1"), "not a boolean", ""},
		{"button", bt.ModelID(), `{"method":"custom","content":{"event":"click"}}`, "", "click"},
		{"button other event", bt.ModelID(), `{"method":"custom","content":{"event":"hover"}}`, "not a click", ""},
		{"label is read-only", lb.ModelID(), `{"method":"backbone","sync_data":{"value":"x"}}`, "cannot be set", ""},
		{"other key", is.ModelID(), `{"method":"backbone","sync_data":{"min":-5}}`, "cannot be set", ""},
		{"no method", is.ModelID(), `{}`, "unknown method", ""},
		{"not an object", is.ModelID(), `[1]`, "malformed", ""},
	} {
		got = nil
		err := deliver(t, m, tc.id, tc.data)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: Deliver(%s) = %v; want no error", tc.name, tc.data, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: Deliver(%s) = %v; want an error containing %q", tc.name, tc.data, err, tc.err)
		}
		if g := strings.Join(got, ","); g != tc.want {
			t.Errorf("%s: callbacks %q; want %q", tc.name, g, tc.want)
		}
		sent := r.take()
		if tc.err != "" && strings.Contains(tc.data, "sync_data") && (len(sent) != 1 || !strings.Contains(sent[0], `"method":"update"`)) {
			t.Errorf("%s: refused value answered with %q; want one update restoring the state", tc.name, sent)
		}
	}
	if is.Value() != 8 || fs.Value() != 1 || dd.Value() != "ci" || dd.Index() != 1 || !cb.Value() || lb.Value() != "hi" {
		t.Errorf("values %d %g %q %v %q; want 8 1 ci true hi", is.Value(), fs.Value(), dd.Value(), cb.Value(), lb.Value())
	}
}

func TestDisplayAfterHandshake(t *testing.T) {
	ui, m, r := session()
	s := ui.Checkbox("on", true)
	if b := s.RenderBundle(); b.Data["text/plain"] != `Checkbox(description="on", value=true)` {
		t.Errorf("before the handshake: %v; want the text form", b.Data)
	}
	if err := m.Deliver(comm.Open, json.RawMessage(`{"comm_id":"v1","target_name":"jupyter.widget.version","data":{}}`)); err != nil {
		t.Fatal(err)
	}
	if err := deliver(t, m, "v1", `{"validated":true,"frontend_version":"2.1.4"}`); err != nil {
		t.Fatal(err)
	}
	r.take()
	b := s.RenderBundle()
	if _, ok := b.Data["text/plain"]; ok || len(b.Data) != 1 {
		t.Errorf("after the handshake: %v; want only the view", b.Data)
	}
	if sent := r.take(); len(sent) != 1 || !strings.Contains(sent[0], `"method":"display"`) {
		t.Errorf("display sent %q; want one display message", sent)
	}
	if err := deliver(t, m, "v1", `{"nonsense":1}`); err == nil {
		t.Error("a malformed version answer was accepted")
	}
}

func TestSetAndBoxes(t *testing.T) {
	ui, _, r := session()
	is := ui.IntSlider("n", 0, 10, 2, 99)
	if is.Value() != 10 {
		t.Errorf("IntSlider clamps 99 to %d; want 10", is.Value())
	}
	if err := is.Set(11); err == nil {
		t.Error("IntSlider.Set(11) out of [0, 10]: no error")
	}
	lb := ui.Label("a")
	box := ui.VBox(ui.HBox(is, lb))
	opens := r.take()
	if len(opens) != 4 || !strings.Contains(opens[3], `"children":["IPY_MODEL_`) || !strings.Contains(opens[3], `"_model_name":"VBoxModel"`) {
		t.Fatalf("opens %q; want 4 comm_opens ending with the VBox and its child", opens)
	}
	lb.Set("b")
	if sent := r.take(); len(sent) != 1 || !strings.Contains(sent[0], `"state":{"value":"b"}`) {
		t.Errorf("Label.Set sent %q; want one update", sent)
	}
	if want := `VBox(HBox(IntSlider(description="n", value=10, min=0, max=10, step=2), Label(value="b")))`; box.String() != want {
		t.Errorf("box text %q; want %q", box.String(), want)
	}
	out := ui.Output()
	r.take()
	out.Capture(func() {})
	if sent := r.take(); len(sent) != 2 || !strings.Contains(sent[0], `"msg_id":"parent-1"`) || !strings.Contains(sent[1], `"msg_id":""`) {
		t.Errorf("Capture sent %q; want msg_id set to the parent, then cleared", sent)
	}
}

func TestBadConstruction(t *testing.T) {
	ui := widget.New(context.Background())
	for name, f := range map[string]func(){
		"int min > max":      func() { ui.IntSlider("x", 2, 1, 1, 1) },
		"int step 0":         func() { ui.IntSlider("x", 0, 1, 0, 1) },
		"float NaN min":      func() { ui.FloatSlider("x", nan(), 1, 0.1, 0) },
		"dropdown bad value": func() { ui.Dropdown("x", []string{"a"}, "b") },
		"dropdown empty":     func() { ui.Dropdown("x", nil, "") },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), `"x"`) {
					t.Errorf("%s: recovered %v; want a panic naming the widget", name, r)
				}
			}()
			f()
		}()
	}
}

func nan() float64 { var z float64; return z / z }

// Without a kernel (compiled Go), widgets work offline: Set calls the
// callbacks and the text form shows the value.
func ExampleUI_IntSlider() {
	ui := widget.New(context.Background())
	n := ui.IntSlider("trials", 100, 500, 100, 200)
	n.OnChange(func(v int) { fmt.Println("trials now", v) })
	_ = n.Set(300)
	fmt.Println(n)
	// Output:
	// trials now 300
	// IntSlider(description="trials", value=300, min=100, max=500, step=100)
}

func ExampleUI_Dropdown() {
	ui := widget.New(context.Background())
	task := ui.Dropdown("task", []string{"dnms", "context"}, "dnms")
	task.OnChange(func(v string) { fmt.Println("task", v, task.Index()) })
	_ = task.Set("context")
	// Output: task context 1
}

func ExampleUI_Button() {
	ui := widget.New(context.Background())
	step := ui.Button("meta-train one step")
	step.OnClick(func() { fmt.Println("step") })
	step.Click()
	fmt.Println(ui.HBox(step, ui.Label("theta")))
	// Output:
	// step
	// HBox(Button(description="meta-train one step"), Label(value="theta"))
}
