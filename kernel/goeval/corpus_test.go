package goeval

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/display"
)

// step is one cell of a scenario and what it must produce.
type step struct {
	code   string
	value  string // Result.Value summary: "mimes|text/plain"; "" for none
	err    string // prefix of "Name: Value" of Result.Err; "" for none
	trace  string // a line the traceback must contain
	stdout string // all stdout text
	stderr string // all stderr text
	events string // if set: the kinds of all events, space separated
	stdin  bool   // AllowStdin
	inputs []string
}

// corpus is the cell corpus: scenarios run in order on one interpreter
// each, state carrying over from cell to cell.
var corpus = []struct {
	name  string
	steps []step
}{
	{"state across cells", []step{
		{code: "x := 41", value: ""},
		{code: "x + 1", value: "text/plain|42"},
		{code: "x++\nx", value: "text/plain|42"},
		{code: `s := "hi"` + "\ns", value: "text/plain|hi"},
	}},
	{"redefinition", []step{
		{code: "func f() int { return 1 }\nf()", value: "text/plain|1"},
		{code: `func f() string { return "two" }` + "\nf()", value: "text/plain|two"},
		{code: "v := 1", value: ""},
		{code: `v := "now a string"` + "\nv", value: "text/plain|now a string"},
		{code: "type P struct{ X int }\nP{1}", value: "text/plain|{X:1}"},
		// yaegi keeps the first definition of a type (see doc.go).
		{code: "type P struct{ X, Y int }\nP{1, 2}", err: "CompileError: cell:2:6: too many values"},
	}},
	{"imports, declarations and statements mixed", []step{
		{code: "a := 2\nimport \"fmt\"\nfunc double(x int) int { return 2 * x }\nb := double(a)\nimport \"strings\"\nfmt.Println(strings.Repeat(\"ab\", b))\ntype T struct{ N int }\nfunc (t T) Twice() int { return double(t.N) }\nT{b}.Twice()",
			stdout: "abababab\n", value: "text/plain|8"},
		{code: "fmt.Println(a, b)", stdout: "2 4\n", value: ""},
		{code: "func Max[T int | float64](a, b T) T {\n  if a > b {\n    return a\n  }\n  return b\n}\nMax(1.5, 2.5)", value: "text/plain|2.5"},
	}},
	{"empty and comment-only cells", []step{
		{code: ""},
		{code: "// just a comment\n\n/* and another */"},
		{code: "x := 1 // trailing comment\n// more\nx", value: "text/plain|1"},
	}},
	{"worker goroutines in a loop", []step{
		{code: "import \"sync\"\nresults := make([]int, 4)\nvar wg sync.WaitGroup\nfor i := 0; i < 4; i++ {\n  wg.Add(1)\n  go func() {\n    defer wg.Done()\n    results[i] = i * i\n  }()\n}\nwg.Wait()\nresults", value: "text/plain|[0 1 4 9]"},
		{code: "func square(i int, out []int, wg *sync.WaitGroup) { defer wg.Done(); out[i] = i * i }\nres2 := make([]int, 3)\nfor i := range 3 {\n  wg.Add(1)\n  go square(i, res2, &wg)\n}\nwg.Wait()\nres2", value: "text/plain|[0 1 4]"},
	}},
	{"range over integers (Go 1.22), which yaegi cannot compile, is rewritten", []step{
		{code: "s := 0\nfor i := range 4 { s += i }\ns", value: "text/plain|6"},
		{code: "n := 3\nt := 0\nfor i := range n {\n  t += i\n  i += 10\n}\nt", value: "text/plain|3"},
		{code: "var fs []func() int\nfor i := range n { fs = append(fs, func() int { return i }) }\n[]int{fs[0](), fs[2]()}", value: "text/plain|[0 2]"},
		{code: "c := 0\nfor range len([]int{1, 2}) { c++ }\nfor i := range []string{\"a\", \"b\", \"c\"} { c += i }\nc", value: "text/plain|5"},
	}},
	{"index of a compiled value in a declaration outside functions", []step{
		{code: "import \"github.com/plasticnb/plasticnb/plasticlib/learn\"\nimport \"gonum.org/v1/gonum/mat\"\nh := learn.History{Errors: []float64{0.5, 0.25}}\nm := mat.NewDense(2, 2, []float64{1, 2, 3, 4})"},
		{code: "v := h.Errors[1]\nv", value: "text/plain|0.25"},
		{code: "w := h.Errors\nlast := w[len(w)-1]\nlast", value: "text/plain|0.25"},
		{code: "a, b := h.Errors[0], h.Errors[1]\ntwice := h.Errors[0] * 2\na + b + twice", value: "text/plain|1.75"},
		{code: "d := m.RawMatrix().Data[1]\nd", value: "text/plain|2"},
		{code: "import \"gonum.org/v1/plot/plotter\"\nxys := make(plotter.XYs, 2)\nxys[1].Y = 7\npt := xys[1]\npt", value: "text/plain|{X:0 Y:7}"},
		{code: "byName := map[string]plotter.XY{\"a\": {X: 5}}\nx := byName[\"a\"].X\nx", value: "text/plain|5"},
		{code: "type Q struct{ V []float64 }\nqs := []Q{{V: h.Errors}}\nq := qs[0].V[1]\nq", value: "text/plain|0.25"},
		// The statements run one at a time: those before a failing one
		// have run.
		{code: "import \"fmt\"\nfmt.Println(\"before\")\nbad := h.Errors[5]\nfmt.Println(\"after\")", stdout: "before\n", err: "panic: runtime error: index out of range", trace: "cell:3:"},
		{code: "z := h.Errors[0]\nundefinedName + 1", err: "CompileError: cell:2:1: undefined: undefinedName"},
		{code: "z + plotter.XY{X: 3}.X", value: "text/plain|3.5"},
	}},
	{"several variables from one call in a nested block outside functions", []step{
		{code: "import (\n\t\"fmt\"\n\t\"strconv\"\n)\ndims := func() (int, int) { return 2, 3 }"},
		{code: "for i := 0; i < 2; i++ {\n  n, err := strconv.Atoi(\"1\" + fmt.Sprint(i))\n  fmt.Println(n, err)\n}", stdout: "10 <nil>\n11 <nil>\n"},
		{code: "x := 0\nif x == 0 {\n  x, y := dims()\n  fmt.Println(x, y)\n}\nx", stdout: "2 3\n", value: "text/plain|0"},
		{code: "total := 0\nfor _, s := range []string{\"4\", \"x\"} {\n  switch n, err := strconv.Atoi(s); {\n  case err != nil:\n    fmt.Println(\"not a number:\", s)\n  default:\n    total += n\n  }\n}\ntotal", stdout: "not a number: x\n", value: "text/plain|4"},
		{code: "{\n  p, q := dims()\n  fmt.Println(p * q)\n}", stdout: "6\n"},
	}},
	{"parallel assignments with calls (yaegi assigned only the calls' values)", []step{
		{code: "import \"github.com/plasticnb/plasticnb/plasticlib/network\"\nf := func() int { return 5 }\nn := network.DefaultConfig()\nn.N, n.NumInputs = 50, f()\n[]int{n.N, n.NumInputs}", value: "text/plain|[50 5]"},
		{code: "x, y := 0, 0\nx, y = 3, f()\nx, y = y, x\n[]int{x, y}", value: "text/plain|[5 3]"},
		{code: "a := []int{0, 0}\ni := 0\ni, a[i] = 1, f()\n[]any{i, a}", value: "text/plain|[1 [5 0]]"},
		{code: "func g() (int, int) {\n  var p, q int\n  p, q = 3, f()\n  return p, q\n}\np, q := g()\np * q", value: "text/plain|15"},
	}},
	{"generics", []step{
		{code: "import \"fmt\"\nfunc Map[T, U any](xs []T, f func(T) U) []U {\n  var out []U\n  for _, x := range xs {\n    out = append(out, f(x))\n  }\n  return out\n}"},
		// yaegi v0.16.1 cannot infer two type parameters from a function
		// literal (see doc.go); explicit type arguments work.
		{code: "Map([]int{1, 2}, func(x int) string { return fmt.Sprint(x * 10) })", err: "CompileError: cell:1:18: cannot use type func(int) string as type func(int) int"},
		{code: "Map[int, string]([]int{1, 2}, func(x int) string { return fmt.Sprint(x * 10) })", value: "text/plain|[10 20]"},
		{code: "type Stack[T any] struct{ items []T }\nfunc (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }\nst := &Stack[int]{}\nst.Push(3)\nst.items", value: "text/plain|[3]"},
		// Declarations outside functions from calls of generic functions,
		// which yaegi v0.16.1 cannot type, run through a hidden any.
		{code: "func Id[T any](x T) T { return x }\ny := Id(4) + 1\nw := Id[string](\"w\")\nfmt.Sprint(y, w)", value: "text/plain|5w"},
		{code: "y = 7\nm := Map[int, string]([]int{y}, func(x int) string { return fmt.Sprint(x) })\nm[0] + \"!\"", value: "text/plain|7!"},
	}},
	{"imports again in later cells (re-run cells)", []step{
		{code: "import \"fmt\"\nfmt.Println(1)", stdout: "1\n"},
		{code: "import \"fmt\"\nfmt.Println(2)", stdout: "2\n"},
		{code: "import (\n\t\"fmt\"\n\t\"strings\"\n)\nfmt.Println(strings.ToUpper(\"a\"))", stdout: "A\n"},
		{code: "import m \"math\"\nm.Floor(1.5)", value: "text/plain|1"},
		{code: "import m \"math/rand\"", err: `CompileError: cell:1:8: m is already the name of package "math"`},
		{code: "import \"nosuch.example/pkg\"", err: "CompileError:"},
		{code: "display.Markdown(\"display is imported for every cell\")", value: "text/markdown,text/plain|display is imported for every cell"},
		{code: "import \"github.com/plasticnb/plasticnb/kernel/display\"\ndisplay.LaTeX(\"$x$\")", value: "text/latex,text/plain|$x$"},
	}},
	{"a whole program pasted into a cell runs", []step{
		{code: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello from main\")\n}\n", stdout: "hello from main\n"},
		{code: "package main\n\nfunc helper() int { return 4 }", value: ""},
		{code: "helper()", value: "text/plain|4"},
		{code: "main()", stdout: "hello from main\n"},
	}},
	{"comma-ok declarations in cells (yaegi fails on them outside functions)", []step{
		{code: "m := map[string]int{\"a\": 1}\nv, ok := m[\"a\"]\n[]any{v, ok}", value: "text/plain|[1 true]"},
		{code: "_, found := m[\"b\"]\nfound", value: "text/plain|false"},
		{code: "var x any = 2.5\nf, isFloat := x.(float64)\ns, isString := x.(string)\n[]any{f, isFloat, s, isString}", value: "text/plain|[2.5 true  false]"},
		{code: "n := 0\nfor _, k := range []string{\"a\", \"b\"} {\n  if c, ok := m[k]; ok {\n    n += c\n  }\n  w, ok := m[k]\n  if ok { n += 10 * w }\n}\nn", value: "text/plain|11"},
		{code: "import \"fmt\"\nvar y any = \"s\"\nr := \"\"\nif _, ok := y.(int); ok {\n  r = \"int\"\n} else if s, ok := y.(string); ok {\n  r = s + \"!\"\n}\nswitch q, ok := m[\"a\"]; {\ncase ok: r += fmt.Sprint(q)\n}\nr", value: "text/plain|s!1"},
	}},
	{"defer and type switches in cells (yaegi gets them wrong outside functions)", []step{
		{code: "import \"fmt\"\ndefer fmt.Println(\"deferred\")\nfor i := 0; i < 2; i++ { defer fmt.Println(\"loop\", i) }\nfmt.Println(\"body\")", stdout: "body\nloop 1\nloop 0\ndeferred\n"},
		{code: "1", value: "text/plain|1"},
		{code: "defer func() { panic(\"in defer\") }()", err: "panic: in defer"},
		{code: "var x any = 3\nkind := \"\"\nswitch v := x.(type) {\ncase int:\n  kind = fmt.Sprint(\"int \", v)\ndefault:\n  kind = \"other\"\n}\nkind", value: "text/plain|int 3"},
	}},
	{"values with a String method", []step{
		{code: "import \"fmt\"\ntype Celsius float64\nfunc (c Celsius) String() string { return fmt.Sprintf(\"%.1f°C\", float64(c)) }\nfmt.Println(Celsius(21.5))\nCelsius(3)", stdout: "21.5°C\n", value: "text/plain|3.0°C"},
	}},
	{"printing calls show no value", []step{
		{code: "import \"fmt\"\nfunc hello() { fmt.Println(\"hi\") }\nhello()", stdout: "hi\n", value: ""},
		{code: "type G struct{}\nfunc (G) Say() { fmt.Println(\"say\") }\nG{}.Say()", stdout: "say\n", value: ""},
		{code: `import "fmt"` + "\n" + `fmt.Println("a")` + "\n" + `fmt.Printf("%d\n", 2)`, stdout: "a\n2\n", value: ""},
		{code: `import "log"` + "\nlog.SetFlags(0)\nlog.Print(\"to stderr\")", stderr: "to stderr\n", value: ""},
	}},
	{"compile errors name the cell line and column", []step{
		{code: "x := 1\ny := x +\n", err: "CompileError: cell:3:1: unexpected end of the cell"},
		{code: "a := 1\n\n   b := a + undefinedName", err: "CompileError: cell:3:"},
		{code: "func f() {\n  return 1\n}", err: "CompileError: cell:2:"},
		{code: "y := undefinedName + 1", err: "CompileError: cell:1:6: undefined: undefinedName"},
		{code: "q := 5\nq", value: "text/plain|5"},
	}},
	{"panics are errors with a traceback; state survives", []step{
		{code: "keep := 7\nfunc boom() { panic(\"boom\") }\nfunc outer() { boom() }", value: ""},
		{code: "outer()", err: "panic: boom", trace: "in boom"},
		{code: "var m map[string]int\nm[\"a\"] = 1", err: "panic: assignment to entry in nil map"},
		{code: "s := []int{1}\ni := 3\ns[i]", err: "panic: runtime error: index out of range", trace: "in cell"},
		{code: "type N struct{ v int }\nvar np *N\nnp.v", err: "panic: runtime error: invalid memory address or nil pointer dereference"},
		{code: "func inner() int { var p *N; return p.v }\nfunc middle() int { return inner() }\nmiddle()", err: "panic: runtime error: invalid memory address", trace: "    cell:1:26 in inner\n    cell:2:21 in middle\n    cell:3:1 in cell"},
		{code: "keep", value: "text/plain|7"},
	}},
	{"goroutine arguments are evaluated at the go statement", []step{
		{code: "func work(ch chan int, n int) { if n == 2 { panic(\"two\") }; ch <- n }\nch := make(chan int)\ngo work(ch, 1)\n<-ch", value: "text/plain|1"},
		{code: "import \"fmt\"\nres := make(chan int, 3)\nfunc put(n int) { res <- n }\nfor i := 0; i < 3; i++ { go put(i * 10) }\nsum := 0\nfor k := 0; k < 3; k++ { sum += <-res }\nfmt.Println(sum)", stdout: "30\n"},
	}},
	{"closures made in loops see their own iteration (Go 1.22)", []step{
		{code: "var fs []func() int\nfor i := 0; i < 3; i++ { fs = append(fs, func() int { return i }) }\n[]int{fs[0](), fs[1](), fs[2]()}", value: "text/plain|[0 1 2]"},
		{code: "var gs []func() int\nfor _, v := range []int{1, 2, 3} {\n  x := v*100 + v\n  gs = append(gs, func() int { return x })\n}\n[]int{gs[0](), gs[1](), gs[2]()}", value: "text/plain|[101 202 303]"},
		{code: "count := 0\nfor i := 0; i < 3; i++ { inc := func() { count += i }; inc() }\ncount", value: "text/plain|3"},
	}},
	{"closures passed to compiled code (yaegi issue 1634)", []step{
		{code: "import \"sort\"\nvar out []int\nfor _, k := range []int{3, 1, 2} {\n  xs := []int{k, k - 10}\n  sort.Slice(xs, func(a, b int) bool { return xs[a] < xs[b] })\n  out = append(out, xs[0])\n}\nout", value: "text/plain|[-7 -9 -8]"},
		{code: "import \"gonum.org/v1/plot/plotter\"\nvar fns []*plotter.Function\nfor i := 1; i <= 3; i++ { fns = append(fns, plotter.NewFunction(func(x float64) float64 { return float64(i) * x })) }\n[]float64{fns[0].F(1), fns[1].F(1), fns[2].F(1)}", value: "text/plain|[1 2 3]"},
	}},
	{"short variable redeclaration", []step{
		{code: "import \"errors\"\nfunc sv() (i int, err error) {\n  r, err := 1, errors.New(\"test\")\n  i = r\n  return\n}\n_, e := sv()\ne != nil", value: "text/plain|true"},
		{code: "import \"strconv\"\nn, err := strconv.Atoi(\"12\")\nm, err := strconv.Atoi(\"x\")\n[]any{n, m, err != nil}", value: "text/plain|[12 0 true]"},
	}},
	// yaegi v0.16.1 loses "pkg.V = x" for a compiled package's variable;
	// the kernel rewrites it to "*&pkg.V = x".
	{"assigning exported variables of compiled packages", []step{
		{code: "import \"gonum.org/v1/plot/plotter\"\nimport \"gonum.org/v1/plot/vg\"\nplotter.DefaultLineStyle.Width = vg.Points(7)\nl, _ := plotter.NewLine(plotter.XYs{{0, 0}, {1, 1}})\nl.LineStyle.Width", value: "text/plain|7"},
		{code: "import \"gonum.org/v1/plot/vg/draw\"\nplotter.DefaultLineStyle = draw.LineStyle{Width: vg.Points(3)}\nl2, _ := plotter.NewLine(plotter.XYs{{0, 0}, {1, 1}})\nl2.LineStyle.Width", value: "text/plain|3"},
		{code: "plotter.DefaultFontSize = 20\nplotter.DefaultFontSize", value: "text/plain|20"},
		{code: "import \"math\"\nmath.Pi = 3", err: "CompileError: cell:2:1: cannot assign"},
	}},
	{"standard output streams in order", []step{
		{code: "import \"fmt\"\nimport \"log\"\nlog.SetFlags(0)\nfmt.Println(\"one\")\nlog.Print(\"two\")\nfmt.Println(\"three\")", events: "stdout stderr stdout"},
	}},
	{"stdin", []step{
		{code: "import \"fmt\"\nvar name string\nfmt.Scanln(&name)\nname", stdin: true, inputs: []string{"Ada"}, value: "text/plain|Ada"},
		{code: "var word string\n_, err := fmt.Scanln(&word)\nerr", value: "text/plain|standard input is not available: the frontend does not allow input requests (allow_stdin is false)"},
		{code: "import \"bufio\"\nimport \"os\"\nsc := bufio.NewScanner(os.Stdin)\nsc.Scan()", value: "text/plain|false"},
	}},
	{"rich values", []step{
		{code: "import \"github.com/plasticnb/plasticnb/kernel/display\"\ndisplay.Markdown(\"# Title\")", value: "text/markdown,text/plain|# Title"},
		{code: "display.HTML(\"<b>b</b>\")", value: "text/html,text/plain|<b>b</b>"},
		{code: "import \"gonum.org/v1/plot\"\nimport \"gonum.org/v1/plot/plotter\"\np := plot.New()\np.Title.Text = \"sine\"\nf := plotter.NewFunction(func(x float64) float64 { return x * x })\np.Add(f)\np", value: "image/png,text/plain|<sine, 800x600 PNG>"},
		{code: "import \"image\"\nimage.NewRGBA(image.Rect(0, 0, 4, 3))", value: "image/png,text/plain|<image 4x3>"},
		{code: "type Card struct{ Name string }\nfunc (c Card) MIMEBundle() map[string]any { return map[string]any{\"text/html\": \"<i>\" + c.Name + \"</i>\"} }\ndisplay.Show(Card{\"ace\"})", events: "display"},
		{code: "Card{\"king\"}", value: "text/html,text/plain|{Name:king}"},
		{code: "func NewCard(n string) Card { return Card{n} }\nNewCard(\"queen\")", value: "text/html,text/plain|{Name:queen}"},
		{code: "c := Card{\"jack\"}\nc.Name", value: "text/plain|jack"},
	}},
	{"project packages: a plots figure is the cell's value", []step{
		{code: "import \"github.com/plasticnb/plasticnb/plots\"\nvar pts []plots.CostPoint\nfor _, p := range []int{4, 16} {\n  for _, n := range []int{100, 200, 400} {\n    pts = append(pts, plots.CostPoint{N: n, P: p, Seconds: 2e-9 * float64(p*n*n)})\n  }\n}\nfig, err := plots.Cost(pts)\nerr", value: "text/plain|<nil>"},
		{code: "fig.Title()", value: "text/plain|cost of tangent propagation vs N and P"},
		{code: "m := fig.MIMEBundle()\n_, ok := m[\"image/png\"]\nok", value: "text/plain|true"},
		{code: "fig", value: "image/png,text/plain|plots.Figure: cost of tangent propagation vs N and P"},
	}},
	{"a package used without its import names the import to add", []step{
		{code: "net, err := network.New(network.DefaultConfig())", err: `CompileError: cell:1:13: undefined: network (add import "github.com/plasticnb/plasticnb/plasticlib/network")`},
		{code: "s := strings.Repeat(\"x\", 10)", err: `CompileError: cell:1:6: undefined: strings (add import "strings")`},
		{code: "func g() int {\n  return undefinedHelper(2)\n}", err: "CompileError: cell:2:10: undefined: undefinedHelper"},
		{code: "import \"strings\"\ns := strings.Repeat(\"x\", 3)\ns", value: "text/plain|xxx"},
		{code: "import \"github.com/google/uuid\"", err: `CompileError: cell:1:8: cannot import "github.com/google/uuid": only the packages compiled into the kernel`},
	}},
	{"runaway recursion is an error, and the state survives", []step{
		{code: "keep := 7"},
		{code: "func rec(n int) int {\n  return rec(n+1) + 1\n}\nrec(0)", err: "panic: runtime error: recursion too deep: 100001 nested calls, in rec at cell:1:1"},
		{code: "keep", value: "text/plain|7"},
		{code: "func down(n int) int {\n  if n == 0 {\n    return 0\n  }\n  return down(n-1) + 1\n}\ndown(50000)", value: "text/plain|50000"},
		{code: "type T struct{}\nfunc (T) Loop(n int) (r int) { return T{}.Loop(n + 1) }\nT{}.Loop(0)", err: "panic: runtime error: recursion too deep: 100001 nested calls, in T.Loop at cell:2:1"},
		{code: "f := func() {}\nvar lit func(int) int\nlit = func(n int) int { return lit(n) }\nlit(1)", err: "panic: runtime error: recursion too deep: 100001 nested calls, in a function literal at cell:3:7"},
		{code: "keep + down(3)", value: "text/plain|10"},
	}},
	{"allocations that cannot fit are refused, and the state survives", []step{
		{code: "keep := []float64{1, 2}"},
		{code: "big := make([]float64, 1<<40)", err: "panic: out of memory: make([]float64, 1099511627776) asks for 8192.0 GiB, and "},
		{code: "type Big struct{ A [1 << 20]float64 }\nn := 1 << 20\nbs := make([]Big, 10, n)", err: "panic: out of memory: make([]struct { A [1048576]float64 }, 1048576) asks for 8192.0 GiB"},
		{code: "m := make(map[int]float64, 1<<40)", err: "panic: out of memory: make(map[int]float64, 1099511627776) asks for 16384.0 GiB"},
		{code: "a := new([1 << 40]float64)", err: "panic: out of memory: new([1099511627776]float64) asks for 8192.0 GiB"},
		{code: "small := make([]int, 3, 10)\nsmall = append(small, 4)\nsmall = append(small, small...)\nlen(small) + len(keep)", value: "text/plain|10"},
		{code: "a2 := new([4]int)\na2[1] = 5\n*a2", value: "text/plain|[0 5 0 0]"},
	}},
	{"checked make and append keep their meaning", []step{
		{code: "func Zeros[T any](n int) []T { return make([]T, n) }\nlen(Zeros[float64](3))", value: "text/plain|3"},
		{code: "func Grow[T any](s []T, v T) []T { return append(s, v) }\nlen(Grow([]int{1}, 2))", value: "text/plain|2"},
		{code: "type V []float64\nv := make(V, 2)\nv = append(v, 1)\nlen(v)", value: "text/plain|3"},
		{code: "var n64 int64 = 5\nw := make([]byte, n64)\nlen(w)", value: "text/plain|5"},
		{code: "type S struct{ xs []int }\nst := S{}\nst.xs = append(st.xs, 1, 2)\nst.xs = append(st.xs, st.xs...)\nlen(st.xs)", value: "text/plain|4"},
		{code: "b := []byte(\"ab\")\nb = append(b, \"cd\"...)\nstring(b)", value: "text/plain|abcd"},
	}},
	{"the standard library's generic functions", []step{
		{code: "import \"slices\"\nx := []int{3, 1, 2}\nslices.Sort(x)\nx", value: "text/plain|[1 2 3]"},
		{code: "f := []float64{2.5, -1, 3}\nslices.Sort(f)\ns := []string{\"b\", \"a\"}\nslices.Sort(s)\n[]any{f, s}", value: "text/plain|[[-1 2.5 3] [a b]]"},
		{code: "type Ages []int\na := Ages{5, 2, 9, 1}\nslices.Sort(a)\na", value: "text/plain|[1 2 5 9]"},
		{code: "[]any{slices.Contains(s, \"a\"), slices.Index(s, \"b\"), slices.Max(x), slices.Min(f), slices.IsSorted(x)}", value: "text/plain|[true 1 3 -1 true]"},
		{code: "import \"maps\"\nm := map[string]int{\"b\": 1, \"a\": 2}\nslices.Sorted(maps.Keys(m))", value: "text/plain|[a b]"},
		{code: "st := []float64{3, 1, 2, 1}\nslices.SortStableFunc(st, func(a, b float64) int { return int(a - b) })\nst", value: "text/plain|[1 1 2 3]"},
		{code: "i, ok := slices.BinarySearch(x, 2)\n[]any{i, ok}", value: "text/plain|[1 true]"},
		{code: "func top(v []float64) float64 { return slices.Max(v) }\ntop(f)", value: "text/plain|3"},
		{code: "u := []string{\"d\", \"c\", \"a\", \"b\", \"e\"}\nslices.SortFunc(u, func(a, b string) int { return len(a) - len(b) + int(a[0]) - int(b[0]) })\nu", value: "text/plain|[a b c d e]"},
	}},
	{"display Show, Update, Clear and Progress", []step{
		{code: "import \"github.com/plasticnb/plasticnb/kernel/display\"\nh := display.Show(\"first\")\nh.Update(\"second\")\ndisplay.Clear(true)", events: "display update clear"},
		{code: "bar := display.Progress(10, \"train\")\nfor i := 0; i < 10; i++ { bar.Add(1) }\nbar.Done()\nbar.Count()", value: "text/plain|10"},
	}},
}

func TestCorpus(t *testing.T) {
	for _, sc := range corpus {
		t.Run(sc.name, func(t *testing.T) {
			ip := newInterp(t)
			for i, st := range sc.steps {
				rec := &recorder{inputs: st.inputs}
				res := ip.Execute(context.Background(), cell.Request{Code: st.code, AllowStdin: st.stdin, ExecutionCount: i + 1}, rec)
				checkStep(t, i, st, res, rec.snapshot())
			}
		})
	}
}

func checkStep(t *testing.T, i int, st step, res cell.Result, events []event) {
	t.Helper()
	got := ""
	if res.Value != nil {
		got = bundleSummary(*res.Value)
	}
	if got != st.value && !(st.value == "" && st.err != "") {
		t.Errorf("cell %d %q: value %q; want %q (err %v)", i+1, st.code, got, st.value, res.Err)
	}
	errText := ""
	if res.Err != nil {
		errText = res.Err.Name + ": " + res.Err.Value
	}
	if (st.err == "") != (res.Err == nil) || !strings.HasPrefix(errText, st.err) {
		t.Errorf("cell %d %q: error %q; want prefix %q", i+1, st.code, errText, st.err)
	}
	if st.trace != "" && (res.Err == nil || !strings.Contains(strings.Join(res.Err.Traceback, "\n"), st.trace)) {
		tb := ""
		if res.Err != nil {
			tb = strings.Join(res.Err.Traceback, "\n")
		}
		t.Errorf("cell %d %q: traceback %q lacks %q", i+1, st.code, tb, st.trace)
	}
	var stdout, stderr strings.Builder
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		switch e.Kind {
		case "stdout":
			stdout.WriteString(e.Text)
		case "stderr":
			stderr.WriteString(e.Text)
		}
	}
	if stdout.String() != st.stdout && !(st.stdout == "" && st.events != "") {
		t.Errorf("cell %d %q: stdout %q; want %q", i+1, st.code, stdout.String(), st.stdout)
	}
	if stderr.String() != st.stderr && st.events == "" {
		t.Errorf("cell %d %q: stderr %q; want %q", i+1, st.code, stderr.String(), st.stderr)
	}
	if st.events != "" && strings.Join(kinds, " ") != st.events {
		t.Errorf("cell %d %q: events %v; want %s", i+1, st.code, events, st.events)
	}
}

// TestInterrupt checks that cancelling the context stops a running cell
// within a second, whatever it is doing, and that the interpreter stays
// usable.
func TestInterrupt(t *testing.T) {
	for _, code := range []string{
		"n := 0\nfor { n++ }",
		"import \"time\"\ntime.Sleep(time.Hour)",
		"ch := make(chan int)\n<-ch",
		"import \"github.com/plasticnb/plasticnb/kernel/display\"\n<-display.CellContext().Done()\nfmt.Println(\"not reached\")",
		"func spin() int { s := 0; for i := 0; ; i++ { s += i }; return s }\nspin()",
	} {
		ip := newInterp(t)
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan struct{})
		rec := &startRecorder{started: started}
		done := make(chan cell.Result)
		go func() {
			done <- ip.Execute(ctx, cell.Request{Code: "import \"fmt\"\nfmt.Println(\"start\")\n" + code}, rec)
		}()
		<-started
		// Completion and inspection do not wait for the running cell.
		if c := ip.Complete("fm", 2); len(c.Matches) == 0 {
			t.Errorf("Complete during %q: no matches", code)
		}
		cancel()
		select {
		case res := <-done:
			if res.Err == nil || res.Err.Name != "Interrupted" {
				t.Errorf("interrupted %q: err %v; want Interrupted", code, res.Err)
			}
		case <-time.After(time.Second):
			t.Fatalf("%q not interrupted within 1 s", code)
		}
		res := ip.Execute(context.Background(), cell.Request{Code: "40 + 2"}, &recorder{})
		if res.Err != nil || res.Value == nil || res.Value.Data["text/plain"] != "42" {
			t.Errorf("after interrupting %q: %+v", code, res)
		}
	}
}

// TestUserExpressionsAndSilent checks user_expressions and silent
// execution.
func TestUserExpressionsAndSilent(t *testing.T) {
	ip := newInterp(t)
	res := ip.Execute(context.Background(), cell.Request{
		Code:            "x := 6\nx * 7",
		Silent:          true,
		UserExpressions: map[string]string{"double": "x * 2", "bad": "x +", "undef": "nope"},
	}, &recorder{})
	if res.Err != nil || res.Value != nil {
		t.Errorf("silent cell: value %v, err %v; want neither", res.Value, res.Err)
	}
	if b, ok := res.UserExpressions["double"].(display.Bundle); !ok || b.Data["text/plain"] != "12" {
		t.Errorf("user expression double = %#v; want 12", res.UserExpressions["double"])
	}
	for _, name := range []string{"bad", "undef"} {
		if _, ok := res.UserExpressions[name].(*cell.Error); !ok {
			t.Errorf("user expression %s = %#v; want an error", name, res.UserExpressions[name])
		}
	}
}

// TestGoroutinePanic checks that a panic in a goroutine a cell started is
// recovered and reported, and that the interpreter goes on. The goroutine's
// own deferred calls (wg.Done) run before the kernel's recover, so the
// cell may end first: the panic is then reported on the stderr of the
// last cell, just after. Either way it is not lost.
func TestGoroutinePanic(t *testing.T) {
	ip := newInterp(t)
	for _, tc := range []struct{ code, text string }{
		{"import \"sync\"\nvar wg sync.WaitGroup\nwg.Add(1)\ngo func() {\n  defer wg.Done()\n  panic(\"in goroutine\")\n}()\nwg.Wait()", "in goroutine"},
		{"done := make(chan bool)\nfunc w2(n int) { defer func() { done <- true }(); if n == 2 { panic(\"two\") } }\ngo w2(2)\n<-done", "two"},
		{"func boom() { var m map[int]int; m[1] = 1 }\ngo boom()", "assignment to entry in nil map"},
		{"release := make(chan bool)\nreported := make(chan bool)\ngo func() {\n  <-release\n  defer func() { reported <- true }()\n  panic(\"late\")\n}()", "late"},
		{"release <- true\n<-reported", "late"},
	} {
		rec := &recorder{}
		res := ip.Execute(context.Background(), cell.Request{Code: tc.code}, rec)
		if res.Err != nil && (res.Err.Name != "panic" || !strings.Contains(res.Err.Value, "in a goroutine: "+tc.text)) {
			t.Fatalf("%q: error %v", tc.code, res.Err)
		}
		if tc.text == "late" && strings.Contains(tc.code, "go func") {
			continue // the goroutine waits for the next cell
		}
		found := res.Err != nil
		for wait := 0; !found && wait < 500; wait++ { // bounded wait for a report after the cell
			for _, e := range rec.snapshot() {
				found = found || e.Kind == "stderr" && strings.Contains(e.Text, tc.text)
			}
			if !found {
				time.Sleep(10 * time.Millisecond)
			}
		}
		if !found {
			t.Errorf("%q: panic %q not reported: %+v", tc.code, tc.text, rec.snapshot())
		}
	}
	if res := ip.Execute(context.Background(), cell.Request{Code: "1 + 1"}, &recorder{}); res.Err != nil || res.Value == nil {
		t.Errorf("after goroutine panics: %+v", res)
	}
}

// startRecorder closes started at the first stream output.
type startRecorder struct {
	recorder
	started chan struct{}
	once    bool
}

func (r *startRecorder) Stream(name, text string) {
	r.recorder.Stream(name, text)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.once {
		r.once = true
		close(r.started)
	}
}
