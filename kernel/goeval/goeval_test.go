package goeval

import (
	"context"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

func newInterp(t testing.TB) *Interp {
	t.Helper()
	ip, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ip
}

func TestSmoke(t *testing.T) {
	ip := newInterp(t)
	for i, code := range []string{
		"import \"fmt\"\nx := 41\nfmt.Println(\"hi\", x)\nfunc f() int { return x + 1 }\nf()",
		"type T struct{ A int }\nfunc (t T) Get() int { return t.A }\nT{3}.Get()",
		"var m map[string]int\nm[\"a\"] = 1",
		"func g() { panic(\"boom\") }\n\ng()",
		"y := undefined + 1",
		"x = ",
		"import \"gonum.org/v1/plot\"\np := plot.New()\np",
		"import \"github.com/plasticnb/plasticnb/kernel/display\"\ndisplay.Show(display.Markdown(\"# hi\"))",
		"fmt.Println(x)",
	} {
		rec := &recorder{}
		res := ip.Execute(context.Background(), cell.Request{Code: code, ExecutionCount: i + 1}, rec)
		t.Logf("cell %d: value=%v err=%+v events=%+v", i+1, res.Value != nil, res.Err, rec.snapshot())
		if res.Value != nil {
			t.Logf("  %v", res.Value.Data["text/plain"])
		}
	}
}
