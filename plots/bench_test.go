package plots_test

import (
	"io"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/plasticnb/plasticnb/plots"
)

// px800, px600 are 800 x 600 pixels at the default 96 dpi.
const px800, px600 = 600 * vg.Length(1), 450 * vg.Length(1)

// BenchmarkRender renders every single-panel figure (the golden cases) to
// an 800 x 600 PNG. The figure is built once; the loop measures drawing
// and encoding, what a notebook pays to show or save it.
func BenchmarkRender(b *testing.B) {
	for _, tc := range goldenCases() {
		b.Run(tc.name, func(b *testing.B) {
			f, err := tc.build()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				if err := f.Encode(io.Discard, plots.PNG, px800, px600); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkFigure1 builds and renders the paper's figure 1 as one grid
// (task schematic, basis grid, theta, meta-training, learning curves,
// episodes to criterion, H surface) at 1600 x 1200 pixels.
func BenchmarkFigure1(b *testing.B) {
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		f, err := testFigure1()
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Encode(io.Discard, plots.PNG, 2*px800, 2*px600); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// cpuTime is the CPU time the process has used (user + system, all
// threads). The machine these benchmarks run on is shared, so wall time
// per op varies with the load; CPU time per op much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU milliseconds per op since start.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 && start > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// figure1Panels builds the eight panels of the paper's figure 1 from test
// data: a, c, d, e, f (theta and H), g, h, with K = L = 3 in panels c and
// d. gTitle is panel g's title ("" for the default).
func figure1Panels(gTitle string) (a, c, d, e, f1, f2, g, h *plots.Figure) {
	return figure1PanelsK(gTitle, 3)
}

// figure1PanelsK is figure1Panels with K = L = k in panels c and d.
func figure1PanelsK(gTitle string, k int) (a, c, d, e, f1, f2, g, h *plots.Figure) {
	learned := testRule(5, 5, 2)
	must := func(f *plots.Figure, err error) *plots.Figure {
		if err != nil {
			panic(err)
		}
		return f
	}
	a = must(plots.TaskSchematic(testContext(), 1))
	c = must(plots.BasisGrid(k, k))
	d = must(plots.Theta(testRule(k, k, 1)))
	e = must(plots.MetaTraining(testMeta()))
	f1 = must(plots.Theta(learned))
	f2 = must(plots.HSurface(learned))
	g = must(plots.LearningCurves(plots.CurveConfig{Title: gTitle}, testRuns("miconi-cubic", 800, 5, 1), testRuns("learned", 450, 5, 2)))
	h = must(plots.EpisodesToCriterion(testOutcomes()...))
	return a, c, d, e, f1, f2, g, h
}

// testFigure1 rebuilds the layout of the paper's figure 1 from test data.
func testFigure1() (*plots.Figure, error) {
	a, c, d, e, f, f2, g, h := figure1Panels("")
	row1, err := plots.Grid(plots.GridConfig{Cols: 3, Widths: []float64{1, 1, 1}, Letters: []string{"a", "c", "d"}}, a, c, d)
	if err != nil {
		return nil, err
	}
	row2, err := plots.Grid(plots.GridConfig{Cols: 3, Letters: []string{"e", "f", ""}}, e, f, f2)
	if err != nil {
		return nil, err
	}
	row3, err := plots.Grid(plots.GridConfig{Cols: 2, Widths: []float64{2, 1}, Letters: []string{"g", "h"}}, g, h)
	if err != nil {
		return nil, err
	}
	return plots.Grid(plots.GridConfig{Cols: 1, NoLetters: true, Title: "figure 1"}, row1, row2, row3)
}
