package credit_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/credit"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// meanError is the mean error of trials trials drawn as
// DirectionalCurvature draws them (learn.NewStreams(seed), types in
// turn), at net's weights.
func meanError(t *testing.T, net *network.Net, tk task.Task, trials int, seed uint64) float64 {
	t.Helper()
	streams := learn.NewStreams(seed)
	var tr task.Trial
	var pert network.Perturbations
	sum := 0.0
	for m := range trials {
		if _, err := streams.Next(&tr, &pert, net, tk, task.Cycle, m); err != nil {
			t.Fatal(err)
		}
		z := make([]float64, tr.Steps())
		for s := range z {
			units, xi := pert.At(s)
			net.Step(tr.Input(s), units, xi)
			z[s] = net.Z
		}
		sum += tr.Error(z)
	}
	return sum / float64(trials)
}

// TestDirectionalCurvatureMatchesSecondDifference checks v^T H v, from
// central differences of the exact gradients, against the second
// difference of the mean error itself on the same trials, for random
// directions on each readout and a sparse network. (Under RectTanh the
// error has kinks wherever a unit crosses 0, and the two differences
// measure different smoothings of it: no such test there.)
func TestDirectionalCurvatureMatchesSecondDifference(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*network.Config)
	}{
		{"neuron readout", nil},
		{"linear readout", func(c *network.Config) { c.Readout = network.LinearReadout }},
		{"sparse", func(c *network.Config) { c.ConnProb = 0.5 }},
	}
	ctx := context.Background()
	for ci, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			net, tk := tiny(t, tc.mod)
			n := net.Config.N
			rng := rand.New(rand.NewPCG(uint64(ci), 9))
			for trial := range 3 {
				v := make([]float64, n*n)
				for k := range v {
					if net.Mask == nil || net.Mask[k] {
						v[k] = rng.NormFloat64()
					}
				}
				const trials, seed = 12, 31
				got, err := credit.DirectionalCurvature(ctx, net, tk, v, trials, seed, 1e-3)
				if err != nil {
					t.Fatal(err)
				}
				// The second difference of the mean error, step h along v.
				jd := net.J.RawMatrix().Data
				j0 := append([]float64(nil), jd...)
				vn := 0.0
				for _, x := range v {
					vn += x * x
				}
				jn := 0.0
				for _, x := range j0 {
					jn += x * x
				}
				h := 1e-3 * math.Sqrt(jn/vn)
				at := func(s float64) float64 {
					for k := range jd {
						jd[k] = j0[k] + s*v[k]
					}
					return meanError(t, net, tk, trials, seed)
				}
				want := (at(h) - 2*at(0) + at(-h)) / (h * h)
				copy(jd, j0)
				t.Logf("direction %d: %.6g, second difference %.6g", trial, got, want)
				if math.Abs(got-want) > 1e-3*math.Abs(want) {
					t.Errorf("direction %d: v^T H v %.6g from gradients, %.6g from the error's second difference", trial, got, want)
				}
			}
		})
	}
}

// TestAlongUpdates checks the relations that hold for any rule: the
// curvature along updates scales with eta^2 and its normalised value does
// not, the samples' values average to UHU, the zero rule gives zeros, and
// bad input is refused.
func TestAlongUpdates(t *testing.T) {
	ctx := context.Background()
	net, tk := tiny(t, nil)
	r := rule.MiconiCubic()
	r.MaxDW = 0
	lc := learn.DefaultConfig()
	base := []float64{0.5, 0.5, 0.5, 0.5}
	a, err := credit.AlongUpdates(ctx, net, base, tk, r, lc, 24, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.UU <= 0 || math.IsNaN(a.UHU) || !(a.UHUSE > 0) || len(a.Values) != 24 {
		t.Fatalf("implausible curvature %+v", a)
	}
	sum := 0.0
	for _, v := range a.Values {
		sum += v
	}
	if d := sum/24 - a.UHU; math.Abs(d) > 1e-12*math.Abs(a.UHU) {
		t.Errorf("values average %v, UHU %v", sum/24, a.UHU)
	}
	r3 := r
	r3.Eta *= 3
	b, err := credit.AlongUpdates(ctx, net, base, tk, r3, lc, 24, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if q := b.UHU / a.UHU; math.Abs(q-9) > 1e-6*9 {
		t.Errorf("UHU ratio %v at 3 eta, want 9", q)
	}
	if d := math.Abs(b.PerNorm - a.PerNorm); d > 1e-6*math.Abs(a.PerNorm) {
		t.Errorf("normalised curvature %v at 3 eta, %v at eta", b.PerNorm, a.PerNorm)
	}
	z, _ := rule.Zero(3, 3)
	c, err := credit.AlongUpdates(ctx, net, base, tk, z, lc, 4, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.UHU != 0 || c.UU != 0 || c.PerNorm != 0 {
		t.Errorf("zero rule: %+v", c)
	}
	if _, err := credit.AlongUpdates(ctx, net, base[:1], tk, r, lc, 4, 5, 0); err == nil {
		t.Error("one baseline for four trial types accepted")
	}
	if _, err := credit.AlongUpdates(ctx, net, base, tk, r, lc, 1, 5, 0); err == nil {
		t.Error("one sample accepted")
	}
	if _, err := credit.DirectionalCurvature(ctx, net, tk, make([]float64, 3), 4, 1, 0); err == nil {
		t.Error("a direction of the wrong length accepted")
	}
}

// TestIsotropicIsTheMeanCurvature checks Isotropic against the exact
// trace: the mean of e_k^T H e_k over every synapse k, on the same
// trials.
func TestIsotropicIsTheMeanCurvature(t *testing.T) {
	ctx := context.Background()
	net, tk := tiny(t, nil)
	n := net.Config.N
	const samples, seed = 60, 41
	iso, se, err := credit.Isotropic(ctx, net, tk, samples, seed, 0)
	if err != nil {
		t.Fatal(err)
	}
	exact := 0.0
	e := make([]float64, n*n)
	for k := range e {
		e[k] = 1
		c, err := credit.DirectionalCurvature(ctx, net, tk, e, samples, seed, 0)
		if err != nil {
			t.Fatal(err)
		}
		exact += c / float64(n*n)
		e[k] = 0
	}
	t.Logf("isotropic %.5g ± %.2g, exact trace / synapses %.5g", iso, se, exact)
	if !(se > 0) || math.Abs(iso-exact) > 4*se {
		t.Errorf("isotropic %.5g ± %.2g, exact trace / synapses %.5g", iso, se, exact)
	}
	if _, _, err := credit.Isotropic(ctx, net, tk, 1, seed, 0); err == nil {
		t.Error("one sample accepted")
	}
}
