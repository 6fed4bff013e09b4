package goeval

import (
	"github.com/plasticnb/plasticnb/kernel/symbols"

	"context"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

func newInterp(t testing.TB) *Interp {
	t.Helper()
	ip, err := New(Options{Symbols: symbols.Symbols})
	if err != nil {
		t.Fatal(err)
	}
	return ip
}

// TestSmoke runs a session of cells through one interpreter: state carries
// over, errors of every kind come back as cell errors, and the session goes
// on after them.
func TestSmoke(t *testing.T) {
	ip := newInterp(t)
	tests := []struct {
		code    string
		value   string // the trailing expression's text/plain, "" for none
		errName string // the error's name, "" for none
		errText string // text the error's value must contain
		events  string // the streamed and displayed output, summarised
	}{
		{code: "import \"fmt\"\nx := 41\nfmt.Println(\"hi\", x)\nfunc f() int { return x + 1 }\nf()", value: "42", events: "stdout:hi 41\n"},
		{code: "type T struct{ A int }\nfunc (t T) Get() int { return t.A }\nT{3}.Get()", value: "3"},
		{code: "var m map[string]int\nm[\"a\"] = 1", errName: "panic", errText: "nil map"},
		{code: "func g() { panic(\"boom\") }\n\ng()", errName: "panic", errText: "boom"},
		{code: "y := undefined + 1", errName: "CompileError", errText: "cell:1:"},
		{code: "x = ", errName: "CompileError", errText: "cell:1:"},
		{code: "import \"gonum.org/v1/plot\"\np := plot.New()\np", value: "<plot, 800x600 PNG>"},
		{code: "import \"github.com/plasticnb/plasticnb/kernel/display\"\ndisplay.Show(display.Markdown(\"# hi\"))", events: "display:text/markdown,text/plain|# hi"},
		{code: "fmt.Println(x)", events: "stdout:41\n"},
	}
	for i, tt := range tests {
		rec := &recorder{}
		res := ip.Execute(context.Background(), cell.Request{Code: tt.code, ExecutionCount: i + 1}, rec)
		value := ""
		if res.Value != nil {
			value, _ = res.Value.Data["text/plain"].(string)
		}
		if value != tt.value {
			t.Errorf("cell %d %q: value %q; want %q", i+1, tt.code, value, tt.value)
		}
		switch {
		case res.Err == nil && tt.errName != "":
			t.Errorf("cell %d %q: no error; want %s containing %q", i+1, tt.code, tt.errName, tt.errText)
		case res.Err != nil && (res.Err.Name != tt.errName || !strings.Contains(res.Err.Value, tt.errText)):
			t.Errorf("cell %d %q: error %s: %s; want %q containing %q", i+1, tt.code, res.Err.Name, res.Err.Value, tt.errName, tt.errText)
		}
		var events []string
		for _, e := range rec.snapshot() {
			events = append(events, e.Kind+":"+e.Text)
		}
		if got := strings.Join(events, ";"); got != tt.events {
			t.Errorf("cell %d %q: output %q; want %q", i+1, tt.code, got, tt.events)
		}
	}
}
