package plots_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"

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
