package goeval

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

func TestComplete(t *testing.T) {
	ip := newInterp(t)
	setup := "import \"fmt\"\nimport \"gonum.org/v1/gonum/mat\"\nmyVariable := 3\n// Twice doubles n.\nfunc twice(n int) int { return 2 * n }\ntype Point struct{ X, Y float64 }"
	if res := ip.Execute(context.Background(), cell.Request{Code: setup}, &recorder{}); res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, tc := range []struct {
		code       string
		cursor     int // -1: end of code
		want       string
		start, end int
	}{
		{"myV", -1, "myVariable", 0, 3},
		{"x := tw", -1, "twice", 5, 7},
		{"Poi", -1, "Point", 0, 3},
		{"fmt.Prin", -1, "Println", 4, 8},
		{"m := mat.NewDe", -1, "NewDense", 9, 14},
		{"fo", -1, "for", 0, 2},
		{"é := 1; fmt.Spr", -1, "Sprintf", 13, 16}, // é is 2 bytes
		{"fmt.Println(myV)", 15, "myVariable", 12, 15},
	} {
		cursor := tc.cursor
		if cursor < 0 {
			cursor = len(tc.code)
		}
		c := ip.Complete(tc.code, cursor)
		if !slices.Contains(c.Matches, tc.want) || c.Start != tc.start || c.End != tc.end {
			t.Errorf("Complete(%q, %d) = %v [%d,%d); want %q in [%d,%d)", tc.code, cursor, c.Matches, c.Start, c.End, tc.want, tc.start, tc.end)
		}
	}
}

func TestInspect(t *testing.T) {
	ip := newInterp(t)
	setup := "import \"strings\"\nimport \"gonum.org/v1/gonum/mat\"\nfrac := 0.5\n// Twice doubles n.\nfunc twice(n int) int { return 2 * n }"
	if res := ip.Execute(context.Background(), cell.Request{Code: setup}, &recorder{}); res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, tc := range []struct {
		code string
		want []string
	}{
		{"twice", []string{"func twice(n int) int", "Twice doubles n."}},
		{"frac", []string{"var frac float64 = 0.5"}},
		{"strings.ToUpper", []string{"func ToUpper(s string) string", "ToUpper returns"}},
		{"mat.NewDense", []string{"func NewDense(r, c int, data []float64) *Dense", "NewDense creates"}},
		{"x := strings.ToUpper(", []string{"func ToUpper(s string) string"}},
		{"mat", []string{`package mat // import "gonum.org/v1/gonum/mat"`, "Package mat provides"}},
	} {
		in := ip.Inspect(tc.code, len(tc.code), 0)
		text, _ := in.Data.Data["text/plain"].(string)
		for _, w := range tc.want {
			if !in.Found || !strings.Contains(text, w) {
				t.Errorf("Inspect(%q) = %v %q; want it to contain %q", tc.code, in.Found, text, w)
			}
		}
	}
	if in := ip.Inspect("nosuchname", 3, 0); in.Found {
		t.Errorf("Inspect(nosuchname) found %v", in.Data)
	}
}

func TestIsComplete(t *testing.T) {
	ip := newInterp(t)
	for _, tc := range []struct {
		code   string
		status cell.Completeness
		indent string
	}{
		{"x := 1", cell.Complete, ""},
		{"import \"fmt\"\nfmt.Println(1)", cell.Complete, ""},
		{"func f() {", cell.Incomplete, "    "},
		{"for i := 0; i < 3; i++ {\n  if i > 1 {", cell.Incomplete, "        "},
		{"fmt.Println(1,", cell.Incomplete, "    "},
		{"x := 1 +", cell.Incomplete, ""},
		{"s := `raw", cell.Incomplete, ""},
		{"x := 1)", cell.Invalid, ""},
		{"func f() { ]", cell.Invalid, ""},
		{"x := := 2", cell.Invalid, ""},
		{"1 +* 2", cell.Invalid, ""},
		{"func func", cell.Invalid, ""},
		{"p := &x\n*p", cell.Complete, ""},
		{"", cell.Complete, ""},
	} {
		status, indent := ip.IsComplete(tc.code)
		if status != tc.status || indent != tc.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tc.code, status, indent, tc.status, tc.indent)
		}
	}
}
