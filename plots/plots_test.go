package plots_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"rsc.io/pdf"

	"github.com/plasticnb/plasticnb/plasticlib/credit"
	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
	"github.com/plasticnb/plasticnb/plots"
)

// The golden images are regenerated with
//
//	go test ./plots -run Golden -regen
//
// (the -regen flag is cmpimg.GenerateTestData, which gonum/plot's cmpimg
// package registers; defining our own would clash with it).

// goldenCase is one figure drawn on small fixed-seed data.
type goldenCase struct {
	name  string
	build func() (*plots.Figure, error)
	w, h  vg.Length // zero: 12 x 9 cm
}

// goldenCases lists every figure of the package on its test data.
func goldenCases() []goldenCase {
	return []goldenCase{
		{name: "theta", build: func() (*plots.Figure, error) { return plots.Theta(testRule(3, 3, 1)) }},
		{name: "theta_k5", build: func() (*plots.Figure, error) { return plots.Theta(testRule(5, 5, 2)) }},
		{name: "hsurface", build: func() (*plots.Figure, error) { return plots.HSurface(testRule(3, 3, 1)) }},
		{name: "task_context", build: func() (*plots.Figure, error) { return plots.TaskSchematic(testContext(), 1) }, w: 20 * vg.Centimeter},
		{name: "task_dnms", build: func() (*plots.Figure, error) { return plots.TaskSchematic(testDNMS(), 1) }, w: 20 * vg.Centimeter},
		{name: "basis", build: func() (*plots.Figure, error) { return plots.BasisGrid(2, 2) }, w: 12 * vg.Centimeter, h: 12 * vg.Centimeter},
		{name: "gradcheck", build: func() (*plots.Figure, error) { t, f := testGradients(12, 3); return plots.GradientCheck(t, f) }},
		{name: "cost", build: func() (*plots.Figure, error) { return plots.Cost(testCost()) }, w: 16 * vg.Centimeter},
		{name: "spectrum", build: func() (*plots.Figure, error) { a, b := testJ(30, 4); return plots.Spectrum(a, b) }},
		{name: "curves", build: func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{}, testRuns("miconi-cubic", 800, 5, 1), testRuns("learned", 450, 5, 2))
		}},
		{name: "curves_error", build: func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{Error: true}, testRuns("eh", 600, 3, 3))
		}},
		{name: "criterion", build: func() (*plots.Figure, error) { return plots.EpisodesToCriterion(testOutcomes()...) }},
		{name: "alignment", build: func() (*plots.Figure, error) { return plots.Alignment(0.33, testAlignments()...) }},
		{name: "traces", build: func() (*plots.Figure, error) {
			h := testHistory()
			return plots.EligibilityTraces(testDNMS(), h.Traces...)
		}, h: 12 * vg.Centimeter},
		{name: "activity", build: func() (*plots.Figure, error) { return plots.Activity(testDNMS(), testHistory().Activity[0]) }},
		{name: "meta", build: func() (*plots.Figure, error) { return plots.MetaTraining(testMeta()) }, w: 16 * vg.Centimeter},
		{name: "trajectories", build: func() (*plots.Figure, error) { return plots.CoefficientTrajectories(testTrajectories()) }},
		{name: "figure1", build: testFigure1, w: 20 * vg.Centimeter, h: 15 * vg.Centimeter},
		{name: "generalisation", build: func() (*plots.Figure, error) { return plots.Generalisation(testTable()) }, w: 16 * vg.Centimeter},
		{name: "singular", build: func() (*plots.Figure, error) {
			a, b := testJ(30, 4)
			var d mat.Dense
			d.Sub(b, a)
			return plots.SingularValues(&d)
		}},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			w, h := tc.w, tc.h
			if w == 0 {
				w = 12 * vg.Centimeter
			}
			if h == 0 {
				h = 9 * vg.Centimeter
			}
			file := tc.name + ".png"
			out := filepath.Join("testdata", file)
			t.Cleanup(func() {
				if !t.Failed() {
					os.Remove(out) // keep the image of a failing test to look at
				}
			})
			cmpimg.CheckPlot(func() {
				f, err := tc.build()
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if err := f.Save(out, w, h); err != nil {
					t.Fatalf("%s: Save: %v", tc.name, err)
				}
			}, t, file)
		})
	}
}

// TestNotBlank checks that every figure draws something besides its
// background: many distinct colours.
func TestNotBlank(t *testing.T) {
	for _, tc := range goldenCases() {
		f, err := tc.build()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var buf bytes.Buffer
		if err := f.Encode(&buf, plots.PNG, 8*vg.Centimeter, 6*vg.Centimeter); err != nil {
			t.Fatalf("%s: Encode: %v", tc.name, err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%s: decode: %v", tc.name, err)
		}
		colours := map[[4]uint32]bool{}
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				r, g, bl, a := img.At(x, y).RGBA()
				colours[[4]uint32{r, g, bl, a}] = true
			}
		}
		if len(colours) < 8 {
			t.Errorf("%s: the image has %d colours; want a drawing, not a blank page", tc.name, len(colours))
		}
	}
}

func TestFormats(t *testing.T) {
	f, err := plots.Theta(testRule(2, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	magic := map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".pdf": "%PDF"}
	for ext, want := range magic {
		path := filepath.Join(dir, "theta"+ext)
		if err := f.Save(path, 10*vg.Centimeter, 3*vg.Inch); err != nil {
			t.Fatalf("Save(%q) = %v", path, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), want) {
			t.Errorf("Save(%q) wrote %q...; want a file starting %q", path, b[:min(len(b), 8)], want)
		}
	}
	for _, path := range []string{filepath.Join(dir, "x.gif"), filepath.Join(dir, "noext")} {
		if err := f.Save(path, 0, 0); err == nil {
			t.Errorf("Save(%q) = nil; want an error about the extension", path)
		}
	}
	if err := f.Save(filepath.Join(dir, "neg.png"), -1, 0); err == nil {
		t.Errorf("Save with width -1 = nil; want an error")
	}
}

func TestPNGSize(t *testing.T) {
	f, err := plots.GradientCheck([]float64{1, 2}, []float64{1, 2.1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Encode(&buf, plots.PNG, 600, 450); err != nil { // 600 x 450 pt = 800 x 600 px at 96 dpi
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got.X != 800 || got.Y != 600 {
		t.Errorf("PNG size = %v; want 800 x 600", got)
	}
	f.DPI = 192
	if err := f.Encode(&buf, plots.PNG, 600, 450); err != nil {
		t.Fatal(err)
	}
}

func TestMIMEBundle(t *testing.T) {
	f, err := plots.HSurface(testRule(1, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	b := f.MIMEBundle()
	s, ok := b["image/png"].(string)
	if !ok {
		t.Fatalf("MIMEBundle()[image/png] is %T; want a base64 string", b["image/png"])
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("image/png is not base64: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Fatalf("image/png is not a PNG: %v", err)
	}
	if txt, _ := b["text/plain"].(string); !strings.Contains(txt, f.Title()) {
		t.Errorf("MIMEBundle()[text/plain] = %q; want it to hold the title %q", txt, f.Title())
	}
}

// testRule is a rule with (k+1) x (l+1) coefficients: supralinear in dx
// like the paper's learned one, plus seeded noise.
func testRule(k, l int, seed uint64) rule.Rule {
	r, err := rule.New("learned", k, l)
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range r.Theta {
		for j := range r.Theta[i] {
			r.Theta[i][j] = 0.1 * rng.NormFloat64()
		}
	}
	r.Theta[0][l] += 0.3
	r.Theta[k][l] = 0.35
	return r
}

// testContext is the paper's task with shortened timings (ms).
func testContext() task.Task {
	c := task.DefaultContext()
	c.Dt = 5
	tk, err := task.NewContext(c)
	if err != nil {
		panic(err)
	}
	return tk
}

// testDNMS is Miconi's DNMS task at a coarse time step.
func testDNMS() task.Task {
	c := task.DefaultDNMS()
	c.Dt = 5
	tk, err := task.NewDNMS(c)
	if err != nil {
		panic(err)
	}
	return tk
}

// testGradients is a tangent gradient and a finite-difference one that
// agrees with it to about 1e-3.
func testGradients(n int, seed uint64) (tangent, fd []float64) {
	rng := rand.New(rand.NewPCG(seed, 2))
	tangent = make([]float64, n)
	fd = make([]float64, n)
	for i := range tangent {
		tangent[i] = rng.NormFloat64()
		fd[i] = tangent[i] * (1 + 1e-3*rng.NormFloat64())
	}
	return tangent, fd
}

// testRuns is a set of synthetic learning runs: errors that fall from
// about 1 to about 0.2 around episode mid, different per seed.
func testRuns(name string, mid float64, seeds int, seed uint64) plots.Runs {
	rng := rand.New(rand.NewPCG(seed, 4))
	r := plots.Runs{Name: name}
	for s := 0; s < seeds; s++ {
		m := mid * (0.8 + 0.4*rng.Float64())
		n := int(2 * mid)
		h := &learn.History{Errors: make([]float64, n)}
		for k := range h.Errors {
			p := 1 / (1 + math.Exp(-(float64(k)-m)/(mid/8)))
			h.Errors[k] = math.Abs(1.1 - 0.9*p + 0.25*rng.NormFloat64())
		}
		r.Histories = append(r.Histories, h)
	}
	return r
}

// testOutcomes is episodes to criterion of three conditions, like the
// paper's figure 1h, with censored runs.
// testAlignments are made-up alignments of the size credit measures.
func testAlignments() []credit.Alignment {
	return []credit.Alignment{
		{Rule: "miconi-cubic", Rho: 0.0034, RhoSE: 0.0014},
		{Rule: "node-perturbation", Rho: 0.0021, RhoSE: 0.0012},
		{Rule: "learned", Rho: -0.0008, RhoSE: 0.0011},
	}
}

func testOutcomes() []plots.Outcomes {
	rng := rand.New(rand.NewPCG(5, 5))
	groups := []plots.Outcomes{{Name: "miconi-cubic"}, {Name: "learned, random J"}, {Name: "learned, random x0", Color: plots.Categorical(2)}}
	for g := range groups {
		for k := 0; k < 10; k++ {
			e := int(1050 - 400*float64(min(g, 1)) + 150*rng.NormFloat64())
			o := eval.Outcome{Episodes: e}
			if k == 9 && g > 0 {
				o = eval.Outcome{Episodes: 1500, Censored: true}
			}
			groups[g].Runs = append(groups[g].Runs, o)
		}
	}
	return groups
}

// testHistory is a short real learning run of a small network on DNMS
// that records eligibility traces and activity.
func testHistory() *learn.History {
	nc := network.DefaultConfig()
	nc.N = 20
	nc.Dt = 5
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.WarmUp, cfg.Seed = 4, 0, 1
	cfg.Record = learn.Record{Activity: []int{3}, Traces: []int{1, 3}, Synapses: [][2]int{{3, 5}, {4, 6}, {7, 2}}}
	h, err := learn.Run(context.Background(), nc, testDNMS(), rule.MiconiCubic(), cfg)
	if err != nil {
		panic(err)
	}
	return h
}

// testTable is a generalisation table of three rules under four
// conditions, with censored runs.
func testTable() plots.GeneralisationTable {
	rng := rand.New(rand.NewPCG(8, 8))
	t := plots.GeneralisationTable{
		Rules:      []string{"miconi-cubic", "learned", "eh"},
		Conditions: []string{"context", "DNMS", "N = 100", "sparse J"},
	}
	speed := []float64{1, 0.6, 1.4}
	for i := range t.Rules {
		row := make([][]eval.Outcome, len(t.Conditions))
		for j := range row {
			for k := 0; k < 10; k++ {
				e := int(speed[i] * (900 + 100*float64(j)) * math.Exp(0.15*rng.NormFloat64()))
				o := eval.Outcome{Episodes: e}
				if e > 1500 {
					o = eval.Outcome{Episodes: 1500, Censored: true}
				}
				row[j] = append(row[j], o)
			}
		}
		t.Outcomes = append(t.Outcomes, row)
	}
	return t
}

// testMeta is a meta-training history shaped like the paper's figure 1e.
func testMeta() plots.MetaCurves {
	m := plots.MetaCurves{}
	rng := rand.New(rand.NewPCG(6, 6))
	for n := 0; n <= 6; n++ {
		up := 1 - math.Exp(-1.5*float64(n))
		m.TrainObjective = append(m.TrainObjective, 1000+16*up+rng.NormFloat64())
		m.EvalObjective = append(m.EvalObjective, 1000+15*up+rng.NormFloat64())
		// Fractions of correct trials: chance (0.5) before meta-training.
		m.TrainPerformance = append(m.TrainPerformance, min(1, 0.5+0.42*up+0.02*rng.NormFloat64()))
		m.EvalPerformance = append(m.EvalPerformance, min(1, 0.5+0.4*up+0.02*rng.NormFloat64()))
	}
	return m
}

// testTrajectories is 8 meta-iterations of a 4 x 4 Theta drifting from
// Miconi's rule.
func testTrajectories() [][][]float64 {
	rng := rand.New(rand.NewPCG(7, 7))
	th := rule.MiconiCubic().Theta
	var out [][][]float64
	for n := 0; n < 8; n++ {
		cp := make([][]float64, len(th))
		for k := range th {
			cp[k] = append([]float64(nil), th[k]...)
			for l := range th[k] {
				th[k][l] += 0.05 * rng.NormFloat64()
			}
		}
		out = append(out, cp)
	}
	return out
}

// testCost is a synthetic O(P N^2) cost table.
func testCost() []plots.CostPoint {
	var pts []plots.CostPoint
	for _, p := range []int{4, 9, 16} {
		for _, n := range []int{50, 100, 200, 400} {
			pts = append(pts, plots.CostPoint{N: n, P: p, Seconds: 1e-9 * float64(p) * math.Pow(float64(n), 2) * (1 + 0.1*math.Sin(float64(n+p)))})
		}
	}
	return pts
}

// testJ is a random J and J plus a low-rank learned change.
func testJ(n int, seed uint64) (before, after *mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, 3))
	before = mat.NewDense(n, n, nil)
	g := 1.5 / math.Sqrt(float64(n))
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			before.Set(i, j, g*rng.NormFloat64())
		}
	}
	u := mat.NewDense(n, 2, nil)
	v := mat.NewDense(2, n, nil)
	for i := 0; i < n; i++ {
		u.Set(i, 0, rng.NormFloat64()/math.Sqrt(float64(n)))
		u.Set(i, 1, rng.NormFloat64()/math.Sqrt(float64(n)))
		v.Set(0, i, rng.NormFloat64())
		v.Set(1, i, 0.4*rng.NormFloat64())
	}
	var d mat.Dense
	d.Mul(u, v)
	for i := 0; i < n; i++ { // a little full-rank noise under the low-rank change
		for j := 0; j < n; j++ {
			d.Set(i, j, d.At(i, j)+0.01*rng.NormFloat64())
		}
	}
	after = mat.NewDense(n, n, nil)
	after.Add(before, &d)
	return before, after
}

// TestPDFText checks that PDF output carries legible text: gonum's PDF
// backend writes the Windows-1252 code page, so Greek letters and
// superscripts are spelled out rather than garbled.
func TestPDFText(t *testing.T) {
	f, err := plots.Theta(testRule(2, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "theta.pdf")
	if err := f.Save(path, 0, 0); err != nil {
		t.Fatal(err)
	}
	r, err := pdf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, tx := range r.Page(1).Content().Text {
		got.WriteString(tx.S)
	}
	for _, want := range []string{"coefficientsthetaoflearned", "(dx^l)", "(r^k)"} {
		if !strings.Contains(got.String(), want) {
			t.Errorf("PDF text = %q; want it to contain %q", got.String(), want)
		}
	}
	if strings.ContainsAny(got.String(), "Îθ") {
		t.Errorf("PDF text = %q; want no raw UTF-8 or Greek", got.String())
	}
}

// panicker is a plotter that panics, as a gonum plotter given data it
// cannot draw does.
type panicker struct{}

func (panicker) Plot(draw.Canvas, *plot.Plot) { panic("cannot draw") }

func TestDrawPanicIsError(t *testing.T) {
	f, err := plots.GradientCheck([]float64{1}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	f.Plot().Add(panicker{})
	if _, err := f.PNG(); err == nil || !strings.Contains(err.Error(), "cannot draw") {
		t.Errorf("PNG() error = %v; want the panic as an error", err)
	}
	b := f.MIMEBundle()
	if _, ok := b["image/png"]; ok {
		t.Errorf("MIMEBundle() has an image of a figure that cannot be drawn")
	}
	if txt, _ := b["text/plain"].(string); !strings.Contains(txt, "cannot draw") {
		t.Errorf("MIMEBundle()[text/plain] = %q; want the error", txt)
	}
}
