package goeval

import (
	"context"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/plugins"
)

// TestMagicsWithoutPlugins: with plugins unavailable both magics fail with
// the reason, a wrong magic names the ones the kernel knows, and the
// session goes on (plugins themselves are tested through the kernel in
// test/protocol/test_plugins.py).
func TestMagicsWithoutPlugins(t *testing.T) {
	ip, err := New(Options{Plugins: plugins.New(plugins.Config{Disabled: "plugins are disabled in this kernel (PLASTICNB_PLUGINS=off)"})})
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range []struct {
		code, errName, errText string
	}{
		{code: "x := 1"},
		{code: "%go get github.com/google/uuid@v1.6.0\ny := 2", errName: "MagicError", errText: "plugins are disabled in this kernel (PLASTICNB_PLUGINS=off)"},
		{code: "%%compile\nfunc f() int { return 1 }", errName: "MagicError", errText: "plugins are disabled in this kernel (PLASTICNB_PLUGINS=off)"},
		{code: "%%compile\nz := 1", errName: "CompileError", errText: "cell:2:1: expected declaration"},
		{code: "%%compile extra", errName: "MagicError", errText: "%%compile takes no arguments"},
		{code: "%timeit f()", errName: "MagicError", errText: "cell:1:1: unknown magic %timeit: the kernel knows %go get MODULE[@VERSION] and %%compile"},
		{code: "%%time\nx", errName: "MagicError", errText: "unknown cell magic %%time"},
		{code: "%go get", errName: "MagicError", errText: "give a module"},
		{code: "x", errName: ""},
	} {
		res := ip.Execute(context.Background(), cell.Request{Code: tt.code}, &recorder{})
		switch {
		case res.Err == nil && tt.errName != "":
			t.Errorf("cell %d %q: no error; want %s containing %q", i+1, tt.code, tt.errName, tt.errText)
		case res.Err != nil && (res.Err.Name != tt.errName || !strings.Contains(res.Err.Value, tt.errText)):
			t.Errorf("cell %d %q: error %s: %s; want %q containing %q", i+1, tt.code, res.Err.Name, res.Err.Value, tt.errName, tt.errText)
		}
	}
	if ip.Execute(context.Background(), cell.Request{Code: "y"}, &recorder{}).Err == nil {
		t.Error("the code after a failed magic ran")
	}
}

// TestMagicLinesKeepPositions: the code after "%go get" lines (here a nil
// builder: each fails) keeps its line numbers; a cell of only Go code is
// left as it is.
func TestMagicLinesKeepPositions(t *testing.T) {
	ip, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rest, done, cerr := ip.magics(context.Background(), nil, "// fetch\n\nx := 1\n%go get a.b/c")
	if rest != "// fetch\n\nx := 1\n%go get a.b/c" || done || cerr != nil {
		t.Errorf("magics of plain code = %q, %v, %v", rest, done, cerr)
	}
	res := ip.Execute(context.Background(), cell.Request{Code: "%go get a.b/c\nx := 1"}, &recorder{})
	if res.Err == nil || !strings.Contains(res.Err.Value, "this interpreter has no plugin builder") {
		t.Errorf("%%go get without a builder: %v", res.Err)
	}
}
