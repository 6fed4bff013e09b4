package goeval

import (
	"github.com/plasticnb/plasticnb/kernel/symbols"

	"context"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/capture"
	"github.com/plasticnb/plasticnb/kernel/cell"
)

// TestWithCapture runs cells with the process's stdout and stderr
// captured: compiled code's output reaches the cell, in order with the
// interpreter's, and yaegi's panic lines do not.
func TestWithCapture(t *testing.T) {
	stdio, err := capture.Start()
	if err != nil {
		t.Skip("capture unavailable:", err)
	}
	ip, err := New(Options{Symbols: symbols.Symbols, Stdio: stdio})
	if err != nil {
		stdio.Close()
		t.Fatal(err)
	}
	rec := &recorder{}
	res := ip.Execute(context.Background(), cell.Request{Code: "import \"fmt\"\nimport \"os\"\nfmt.Println(\"interpreted 1\")\nos.Stdout.WriteString(\"compiled\\n\")\nfmt.Println(\"interpreted 2\")"}, rec)
	out1 := rec.snapshot()
	rec2 := &recorder{}
	res2 := ip.Execute(context.Background(), cell.Request{Code: "func deep() { panic(\"deep\") }\ndeep()"}, rec2)
	out2 := rec2.snapshot()
	if err := stdio.Close(); err != nil {
		t.Fatal(err)
	}
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if len(out1) != 1 || out1[0].Kind != "stdout" || out1[0].Text != "interpreted 1\ncompiled\ninterpreted 2\n" {
		t.Errorf("captured output %+v; want one stdout stream in order", out1)
	}
	if res2.Err == nil || res2.Err.Name != "panic" || !strings.Contains(strings.Join(res2.Err.Traceback, "\n"), "in deep") {
		t.Errorf("panic cell: %+v", res2.Err)
	}
	if len(out2) != 0 {
		t.Errorf("panic cell streamed %+v; want nothing (the error only)", out2)
	}
}
