package goeval

import (
	"github.com/plasticnb/plasticnb/kernel/symbols"

	"context"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// BenchmarkNew measures interpreter creation, part of the kernel's
// start-up.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Options{Symbols: symbols.Symbols}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrivialCell measures the interpreter's share of a trivial
// cell's round trip.
func BenchmarkTrivialCell(b *testing.B) {
	ip := newInterp(b)
	b.ReportAllocs()
	for b.Loop() {
		if res := ip.Execute(context.Background(), cell.Request{Code: "x := 1"}, &recorder{}); res.Err != nil {
			b.Fatal(res.Err)
		}
	}
}

// BenchmarkPlotCell measures a cell whose value is an 800x600 plot,
// rendered to PNG.
func BenchmarkPlotCell(b *testing.B) {
	ip := newInterp(b)
	setup := "import \"gonum.org/v1/plot\"\nimport \"gonum.org/v1/plot/plotter\"\nimport \"math\""
	if res := ip.Execute(context.Background(), cell.Request{Code: setup}, &recorder{}); res.Err != nil {
		b.Fatal(res.Err)
	}
	code := "p := plot.New()\np.Title.Text = \"sine\"\nf := plotter.NewFunction(math.Sin)\nf.Samples = 200\np.Add(f)\np.X.Max = 10\np"
	b.ReportAllocs()
	for b.Loop() {
		res := ip.Execute(context.Background(), cell.Request{Code: code}, &recorder{})
		if res.Err != nil || res.Value == nil {
			b.Fatal(res.Err)
		}
	}
}

// BenchmarkRecursiveCell measures a call-heavy cell, fib(20): 21891
// interpreted calls, each through the depth guard (guardBody).
func BenchmarkRecursiveCell(b *testing.B) {
	ip := newInterp(b)
	if res := ip.Execute(context.Background(), cell.Request{Code: "func fib(n int) int {\n  if n < 2 {\n    return n\n  }\n  return fib(n-1) + fib(n-2)\n}"}, &recorder{}); res.Err != nil {
		b.Fatal(res.Err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res := ip.Execute(context.Background(), cell.Request{Code: "fib(20)"}, &recorder{})
		if res.Err != nil || res.Value == nil || res.Value.Data["text/plain"] != "6765" {
			b.Fatalf("fib(20): %v %v; want 6765", res.Value, res.Err)
		}
	}
}
