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

// tiny returns a small network and a context-integration task at dt = 10
// ms (70 steps), with perturbations frequent enough to matter.
func tiny(t testing.TB, mod func(*network.Config)) (*network.Net, task.Task) {
	t.Helper()
	tc := task.DefaultContext()
	tc.Dt = 10
	tk, err := task.NewContext(tc)
	if err != nil {
		t.Fatal(err)
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.NumInputs = 16, 10, tk.NumInputs()
	nc.PerturbProb, nc.PerturbAmp = 0.05, 3
	nc.Seed = 3
	if mod != nil {
		mod(&nc)
	}
	net, err := network.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return net, tk
}

// trialError runs the trial from the state that rng's seed gives and
// returns its error, J as it is.
func trialError(net *network.Net, tr *task.Trial, pert *network.Perturbations, seed uint64) float64 {
	net.StartTrial(rand.New(rand.NewPCG(seed, 1)))
	z := make([]float64, tr.Steps())
	for t := range z {
		units, xi := pert.At(t)
		net.Step(tr.Input(t), units, xi)
		z[t] = net.Z
	}
	return tr.Error(z)
}

// TestBackpropMatchesFiniteDifferences checks dE/dJ on every synapse
// against central differences of the same trial (same initial state,
// inputs and perturbations), for each readout, a sparse network, the
// rectified nonlinearity and no clamped units.
func TestBackpropMatchesFiniteDifferences(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*network.Config)
	}{
		{"neuron readout", nil},
		{"linear readout", func(c *network.Config) { c.Readout = network.LinearReadout }},
		{"sparse", func(c *network.Config) { c.ConnProb = 0.5 }},
		{"rect tanh, no bias units", func(c *network.Config) {
			c.Nonlinearity = network.RectTanh
			c.BiasUnits, c.BiasValues = nil, nil
		}},
		{"no perturbations", func(c *network.Config) { c.PerturbProb = 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			net, tk := tiny(t, tc.mod)
			n := net.Config.N
			var tr task.Trial
			if err := task.Generate(tk, &tr, 1, rand.New(rand.NewPCG(5, 5))); err != nil {
				t.Fatal(err)
			}
			var pert network.Perturbations
			net.Config.SamplePerturbations(&pert, tr.Steps(), rand.New(rand.NewPCG(6, 6)))
			g := make([]float64, n*n)
			bp := credit.NewBackprop(n, tr.Steps())
			net.StartTrial(rand.New(rand.NewPCG(7, 1)))
			e, err := bp.Trial(net, &tr, &pert, g)
			if err != nil {
				t.Fatal(err)
			}
			if e0 := trialError(net, &tr, &pert, 7); e0 != e {
				t.Fatalf("Trial's error %v, the forward run's %v", e, e0)
			}
			jd := net.J.RawMatrix().Data
			const h = 1e-6
			var num, den, worst float64
			for k := range jd {
				if net.Mask != nil && !net.Mask[k] {
					if g[k] != 0 {
						t.Fatalf("absent synapse %d has gradient %v", k, g[k])
					}
					continue
				}
				v := jd[k]
				jd[k] = v + h
				ep := trialError(net, &tr, &pert, 7)
				jd[k] = v - h
				em := trialError(net, &tr, &pert, 7)
				jd[k] = v
				fd := (ep - em) / (2 * h)
				num += (g[k] - fd) * (g[k] - fd)
				den += fd * fd
				worst = max(worst, math.Abs(g[k]-fd))
			}
			if den == 0 {
				t.Fatal("the finite-difference gradient is zero")
			}
			if rel := math.Sqrt(num / den); rel > 1e-6 {
				t.Errorf("||backprop - fd|| / ||fd|| = %.3g (largest difference %.3g, ||fd|| = %.3g)", rel, worst, math.Sqrt(den))
			}
		})
	}
}

func TestBackpropRejectsWrongShapes(t *testing.T) {
	net, tk := tiny(t, nil)
	var tr task.Trial
	if err := task.Generate(tk, &tr, 0, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	var pert network.Perturbations
	net.Config.SamplePerturbations(&pert, tr.Steps(), rand.New(rand.NewPCG(1, 2)))
	n := net.Config.N
	for _, c := range []struct {
		name        string
		units, step int
		glen        int
	}{
		{"units", n + 1, tr.Steps(), n * n},
		{"steps", n, tr.Steps() - 1, n * n},
		{"gradient", n, tr.Steps(), n*n - 1},
	} {
		if _, err := credit.NewBackprop(c.units, c.step).Trial(net, &tr, &pert, make([]float64, c.glen)); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// TestAlignStatistics checks the relations that hold for any rule: |g|
// at most the per-trial rms, rho and the cosine in [-1, 1], rho and the
// cosine independent of eta for an unclipped rule while the update's rms
// scales with it, the network unchanged, and the zero rule at rho 0.
func TestAlignStatistics(t *testing.T) {
	ctx := context.Background()
	net, tk := tiny(t, nil)
	g, err := credit.ExpectedGradient(ctx, net, tk, 16, 11)
	if err != nil {
		t.Fatal(err)
	}
	if !(g.Norm > 0 && g.Norm <= g.PerTrialRMS*1.0000001) {
		t.Fatalf("|g| = %v, per-trial rms %v: want 0 < |g| <= rms", g.Norm, g.PerTrialRMS)
	}
	if o := g.Oracle(); !(o > 0 && o <= 1) {
		t.Errorf("oracle rho %v not in (0, 1]", o)
	}
	r := rule.MiconiCubic()
	r.MaxDW = 0
	lc := learn.DefaultConfig()
	base := []float64{0.5, 0.5, 0.5, 0.5}
	a, err := credit.Align(ctx, net, base, tk, r, lc, g, 40, 12)
	if err != nil {
		t.Fatal(err)
	}
	if !(a.UpdateRMS > 0) || math.IsNaN(a.Rho) || math.Abs(a.Rho) > 1 || !(a.RhoSE > 0) {
		t.Fatalf("implausible alignment %+v", a)
	}
	if math.Abs(a.MeanCos) > 1 {
		t.Errorf("mean cosine %v", a.MeanCos)
	}
	// The update is linear in eta (no clip): rho and the cosine do not
	// depend on it; the descent and rms scale with it.
	r2 := r
	r2.Eta *= 3
	b, err := credit.Align(ctx, net, base, tk, r2, lc, g, 40, 12)
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(b.Rho - a.Rho); d > 1e-9 {
		t.Errorf("rho at 3 eta %v, at eta %v", b.Rho, a.Rho)
	}
	if d := b.UpdateRMS / a.UpdateRMS; math.Abs(d-3) > 1e-9 {
		t.Errorf("update rms ratio %v at 3 eta, want 3", d)
	}
	// The net is not changed.
	net2, _ := tiny(t, nil)
	for k, v := range net2.J.RawMatrix().Data {
		if net.J.RawMatrix().Data[k] != v {
			t.Fatal("Align or ExpectedGradient changed the network's weights")
		}
	}
	// The zero rule makes no update: rho 0, no NaN.
	z, _ := rule.Zero(3, 3)
	c, err := credit.Align(ctx, net, base, tk, z, lc, g, 4, 12)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rho != 0 || c.UpdateRMS != 0 {
		t.Errorf("zero rule: %+v", c)
	}
}

func TestAlignErrors(t *testing.T) {
	ctx := context.Background()
	net, tk := tiny(t, nil)
	if _, err := credit.ExpectedGradient(ctx, net, tk, 3, 1); err == nil {
		t.Error("odd number of gradient trials accepted")
	}
	if _, err := credit.ExpectedGradient(ctx, net, tk, 4, 1); err == nil {
		t.Error("4 trials of 4 types (one half empty) accepted")
	}
	g, err := credit.ExpectedGradient(ctx, net, tk, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	lc := learn.DefaultConfig()
	if _, err := credit.Align(ctx, net, []float64{0}, tk, rule.MiconiCubic(), lc, g, 4, 2); err == nil {
		t.Error("one baseline for four trial types accepted")
	}
	if _, err := credit.Align(ctx, net, make([]float64, 4), tk, rule.MiconiCubic(), lc, &credit.Gradient{}, 4, 2); err == nil {
		t.Error("empty gradient accepted")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := credit.ExpectedGradient(cctx, net, tk, 8, 1); err == nil {
		t.Error("cancelled context: no error")
	}
}

// TestFamilyAgreesWithAlign checks Family against Align on the same
// trials: the base rule's alignment from p and Q is Align's rho, the
// fitted theta run through Align has the in-sample optimum rho*, and rho*
// is at least the base's and every single term's.
func TestFamilyAgreesWithAlign(t *testing.T) {
	ctx := context.Background()
	net, tk := tiny(t, nil)
	g, err := credit.ExpectedGradient(ctx, net, tk, 16, 21)
	if err != nil {
		t.Fatal(err)
	}
	base := rule.MiconiCubic()
	base.MaxDW = 0
	lc := learn.DefaultConfig()
	bl := []float64{0.9, 1.1, 1.0, 0.8}
	const trials, seed = 48, 22
	fit, err := credit.Family(ctx, net, bl, tk, base, lc, g, trials, seed)
	if err != nil {
		t.Fatal(err)
	}
	a, err := credit.Align(ctx, net, bl, tk, base, lc, g, trials, seed)
	if err != nil {
		t.Fatal(err)
	}
	close := func(x, y float64) bool { return math.Abs(x-y) <= 1e-6*math.Max(math.Abs(x), math.Abs(y)) }
	if !close(fit.Base, a.Rho) {
		t.Errorf("Family's base rho %v, Align's %v", fit.Base, a.Rho)
	}
	best := base.Clone()
	best.Theta = fit.Theta
	b, err := credit.Align(ctx, net, bl, tk, best, lc, g, trials, seed)
	if err != nil {
		t.Fatal(err)
	}
	if !close(b.Rho, fit.Best) {
		t.Errorf("the fitted rule's rho through Align %v, Family's rho* %v", b.Rho, fit.Best)
	}
	if !close(b.UpdateRMS, a.UpdateRMS) {
		t.Errorf("the fitted rule's update rms %v, the base's %v: Theta is not scaled to the base", b.UpdateRMS, a.UpdateRMS)
	}
	if fit.Best < fit.Base-1e-12 {
		t.Errorf("rho* %v below the base's %v", fit.Best, fit.Base)
	}
	for i, v := range fit.Terms {
		if v > fit.Best+1e-12 {
			t.Errorf("term %d: rho %v above rho* %v", i, v, fit.Best)
		}
	}
	if math.IsNaN(fit.HeldOut) || math.Abs(fit.HeldOut) > 1 {
		t.Errorf("held-out rho %v", fit.HeldOut)
	}
	if _, err := credit.Family(ctx, net, bl, tk, rule.NodePert(), lc, g, trials, seed); err == nil {
		t.Error("node perturbation accepted as the family's base")
	}
}
