package meta

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
)

func cosine(a, b []float64) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
		bb += b[i] * b[i]
	}
	return ab / math.Sqrt(aa*bb)
}

// TestTruncatedTraces checks that with the activity tangents frozen the
// trace tangent of theta_kl is the trace of the basis term r^k dx^l alone,
// accumulated step by step on a replay of the same trial.
func TestTruncatedTraces(t *testing.T) {
	p := tiny(t, "dnms")
	p.Learn.Episodes = 1
	p.Params = Params{}
	e, err := newEngine(p, true)
	if err != nil {
		t.Fatal(err)
	}
	e.fullTraces = true
	phi := e.Phi()
	if _, err := e.Gradient(phi, make([]float64, len(phi))); err != nil {
		t.Fatal(err)
	}
	net, err := network.New(p.Net)
	if err != nil {
		t.Fatal(err)
	}
	n := p.Net.N
	lam := p.Rule.LambdaE(p.Net.Dt)
	want := make([]float64, len(phi)*n*n)
	s := learn.NewStreams(p.Learn.Seed)
	var trial = e.trial
	var pert network.Perturbations
	if _, err := s.Next(&trial, &pert, net, p.Task, p.Learn.Order, 0); err != nil {
		t.Fatal(err)
	}
	for st := 0; st < p.Task.Steps(); st++ {
		units, xi := pert.At(st)
		net.Step(trial.Input(st), units, xi)
		for q, pr := range e.params {
			w := want[q*n*n : (q+1)*n*n]
			for i := range n {
				for j := range n {
					w[i*n+j] *= lam
					if st > p.Learn.TraceAfter {
						w[i*n+j] += ipow(net.RPrev[j], pr.k) * ipow(net.DX[i], pr.l)
					}
				}
			}
		}
	}
	for k, v := range want {
		if math.Abs(e.de[k]-v) > 1e-9*(1+math.Abs(v)) {
			t.Fatalf("%s: de[%d] = %g; basis trace %g", e.names[k/(n*n)], k%(n*n), e.de[k], v)
		}
	}
}

// TestBasisSums checks the truncated estimator's shortcut: the sums
// sum_ij de_ij,p it forms from row sums (basisSums) equal the sums of the
// trace tangents formed in full, and so does its whole gradient, for
// theta_kl and log tau_e, on both tasks and in both precisions.
func TestBasisSums(t *testing.T) {
	for _, tc := range []struct {
		task string
		prec linalg.Precision
		tol  float64
	}{
		{"dnms", linalg.Float64, 1e-12},
		{"context", linalg.Float64, 1e-12},
		{"dnms", linalg.Float32, 1e-5},
	} {
		t.Run(tc.task+"/"+tc.prec.String(), func(t *testing.T) {
			p := tiny(t, tc.task)
			p.Learn.Precision = tc.prec
			var grads [2][]float64
			var sums [2][]float64
			for k, full := range []bool{true, false} {
				e, err := newEngine(p, true)
				if err != nil {
					t.Fatal(err)
				}
				e.fullTraces = full
				phi := e.Phi()
				grads[k] = make([]float64, len(phi))
				if _, err := e.Gradient(phi, grads[k]); err != nil {
					t.Fatal(err)
				}
				for q := range phi {
					sums[k] = append(sums[k], e.w.deSum(q))
				}
			}
			nonzero := 0
			for q, want := range sums[0] {
				if got := sums[1][q]; math.Abs(got-want) > tc.tol*(1+math.Abs(want)) {
					t.Errorf("param %d: sum of de from row sums %g; formed in full %g", q, got, want)
				}
				if want != 0 {
					nonzero++
				}
			}
			if nonzero == 0 {
				t.Fatal("every trace sum is zero")
			}
			for q, want := range grads[0] {
				if got := grads[1][q]; math.Abs(got-want) > tc.tol*(1+math.Abs(want)) {
					t.Errorf("gradient %d: %g from row sums; %g from full traces", q, got, want)
				}
			}
		})
	}
}

// TestEstimators compares each estimator with the exact gradient, under
// the neuron readout and the fixed and plastic linear ones: finite
// differences agree closely, ES points the same way, the truncated
// estimator (activity tangents dropped) differs.
func TestEstimators(t *testing.T) {
	for _, readout := range []string{"neuron", "linear", "plastic"} {
		t.Run(readout, func(t *testing.T) { testEstimators(t, readout) })
	}
}

func testEstimators(t *testing.T, readout string) {
	p := tiny(t, "dnms")
	setReadout(&p, readout)
	p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
	// The truncated estimator has no term for log eta or log tau_w (it
	// refuses them); TestGradientCheck checks their exact gradient.
	p.Params.LogEta, p.Params.LogTauW = false, false
	ctx := context.Background()
	ex, err := NewEstimator(p, EstimatorConfig{})
	if err != nil {
		t.Fatal(err)
	}
	phi := p.Params.Get(p.Rule)
	obj, exact, err := ex.Gradient(ctx, phi)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg    EstimatorConfig
		minCos float64
		maxCos float64
	}{
		{EstimatorConfig{Method: FiniteDiff, FDStep: 1e-6}, 0.999999, 1.1},
		{EstimatorConfig{Method: ES, ESSigma: 1e-4, ESPairs: 400, ESSeed: 1}, 0.8, 1.1},
		{EstimatorConfig{Method: Truncated}, -1.1, 0.99},
	} {
		t.Run(tc.cfg.Method.String(), func(t *testing.T) {
			est, err := NewEstimator(p, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			o, g, err := est.Gradient(ctx, phi)
			if err != nil {
				t.Fatal(err)
			}
			if o != obj {
				t.Errorf("objective %g; exact estimator's %g", o, obj)
			}
			c := cosine(g, exact)
			t.Logf("cosine with exact %.6f, |g| %.3g, |exact| %.3g", c, math.Sqrt(dot(g, g)), math.Sqrt(dot(exact, exact)))
			if !(c >= tc.minCos && c <= tc.maxCos) {
				t.Errorf("cosine with the exact gradient %g, want in [%g, %g]", c, tc.minCos, tc.maxCos)
			}
		})
	}
}

// TestHorizonBias measures the bias of the truncation remedies against
// finite differences of the exact objective: a horizon longer than the
// trial is exact, shorter ones and tangent clipping are biased.
func TestHorizonBias(t *testing.T) {
	p := tiny(t, "dnms")
	p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
	e, err := NewEngine(p)
	if err != nil {
		t.Fatal(err)
	}
	phi := e.Phi()
	exact := make([]float64, len(phi))
	if _, err := e.Gradient(phi, exact); err != nil {
		t.Fatal(err)
	}
	fd, err := fdLadder(e, phi)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		horizon int
		clip    float64
		biased  bool
	}{
		{horizon: 0, biased: false},
		{horizon: 1000, biased: false},
		{horizon: 50, biased: true},
		{horizon: 10, biased: true},
		{horizon: 1, biased: true},
		{clip: 1e-3, biased: true},
	} {
		q := p
		q.Horizon, q.ClipTangent = tc.horizon, tc.clip
		eq, err := NewEngine(q)
		if err != nil {
			t.Fatal(err)
		}
		g := make([]float64, len(phi))
		if _, err := eq.Gradient(phi, g); err != nil {
			t.Fatal(err)
		}
		var num, den float64
		for i := range g {
			num += (g[i] - fd[i]) * (g[i] - fd[i])
			den += fd[i] * fd[i]
		}
		bias := math.Sqrt(num / den)
		t.Logf("horizon %4d clip %g: |g - fd| / |fd| = %.3g, cosine %.6f", tc.horizon, tc.clip, bias, cosine(g, fd))
		if tc.biased != (bias > 1e-5) {
			t.Errorf("horizon %d clip %g: relative bias %.3g, biased = %v expected", tc.horizon, tc.clip, bias, tc.biased)
		}
	}
}

// TestTruncatedMatchesExactWhenFrozen shows where the truncated estimator
// is the exact one and where not. The two share the eligibility-trace
// tangents de/dphi; the truncated estimator computes them with the
// activity tangents (dx, dxbar, dr) dropped. Where the activity does not
// depend on phi, the exact engine's trace tangents must equal the
// truncated ones to rounding: in the first episode (J has not changed
// yet, so dJ/dphi = 0 and no activity tangent arises), and over a whole
// run when eta is so small (1e-12) that the weight changes, and so the
// activity tangents, are negligible (no weight decay: it changes J
// whatever eta). In a normal run (eta 0.1) the
// activity depends on phi from the second episode on and the last trial's
// trace tangents differ by a measured amount. (The gradients themselves
// cannot agree where the activity is frozen: the exact gradient is then
// zero, or of order eta, since the rewards do not depend on phi; the
// truncated estimator's g_p = mean_n (R_n - Rbar_c) sum_ij de_ij,p is a
// heuristic, not the gradient.)
func TestTruncatedMatchesExactWhenFrozen(t *testing.T) {
	for _, tc := range []struct {
		name     string
		episodes int
		eta      float64
		frozen   bool
	}{
		{"first episode", 1, 0.1, true},
		{"eta 1e-12", 8, 1e-12, true},
		{"normal run", 8, 0.1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tiny(t, "dnms")
			p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
			p.Learn.Episodes, p.Rule.Eta = tc.episodes, tc.eta
			// No weight decay: it changes J, and the activity, whatever eta.
			p.Rule.TauW, p.Params.LogTauW = 0, false
			var des [2][]float64
			var grads [2][]float64
			for k, frozen := range []bool{false, true} {
				e, err := newEngine(p, frozen)
				if err != nil {
					t.Fatal(err)
				}
				e.fullTraces = true
				phi := e.Phi()
				grads[k] = make([]float64, len(phi))
				if _, err := e.Gradient(phi, grads[k]); err != nil {
					t.Fatal(err)
				}
				des[k] = e.de
			}
			var num, den float64
			for i, v := range des[1] {
				num += (des[0][i] - v) * (des[0][i] - v)
				den += v * v
			}
			rel := math.Sqrt(num / den)
			t.Logf("last trial's trace tangents: |de_exact - de_truncated| / |de_truncated| = %.3g (|de_truncated| %.3g); |grad exact| %.3g, |grad truncated| %.3g",
				rel, math.Sqrt(den), sqrtDot(grads[0]), sqrtDot(grads[1]))
			if !(den > 0) {
				t.Fatalf("the truncated trace tangents are zero")
			}
			if tc.frozen && !(rel < 1e-9) {
				t.Errorf("activity frozen: relative difference %.3g; want < 1e-9", rel)
			}
			if !tc.frozen && !(rel > 1e-3) {
				t.Errorf("normal run: relative difference %.3g; want > 1e-3", rel)
			}
		})
	}
}

// TestTruncatedRefusesPower: the truncated estimator has no term for the
// modulation's exponent, so it refuses it rather than return 0.
func TestTruncatedRefusesPower(t *testing.T) {
	p := tiny(t, "dnms")
	p.Params.Power = true
	p.Params.LogEta, p.Params.LogTauW = false, false
	if _, err := NewEstimator(p, EstimatorConfig{Method: Truncated}); err == nil || !strings.Contains(err.Error(), "Params.Power") {
		t.Errorf("truncated with the exponent: err = %v; want one naming Params.Power", err)
	}
	if _, err := NewEstimator(p, EstimatorConfig{Method: Exact}); err != nil {
		t.Errorf("exact with the exponent: %v", err)
	}
}

// TestTruncatedRefusesSoftCorrect: the truncated estimator scores the mean
// reward only, so it refuses another objective rather than estimate the
// wrong one.
func TestTruncatedRefusesSoftCorrect(t *testing.T) {
	p := tiny(t, "dnms")
	p.Objective = SoftCorrect
	p.Params.LogEta, p.Params.LogTauW = false, false
	if _, err := NewEstimator(p, EstimatorConfig{Method: Truncated}); err == nil || !strings.Contains(err.Error(), "Objective") {
		t.Errorf("truncated with soft-correct: err = %v; want one naming Objective", err)
	}
	for _, m := range []Method{Exact, ES, FiniteDiff} {
		if _, err := NewEstimator(p, EstimatorConfig{Method: m}); err != nil {
			t.Errorf("%s with soft-correct: %v", m, err)
		}
	}
}

// TestTruncatedRefusesLogEta: nor has it a term for log eta, log tau_w or
// logit a_R (no trace of their own): it refuses them, and keeps log tau_e.
func TestTruncatedRefusesLogEta(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		logEta, logTau, baseline bool
		ok                       bool
	}{
		{"log eta", true, false, false, false},
		{"log tau_w", false, true, false, false},
		{"logit a_R", false, false, true, false},
		{"none", false, false, false, true},
	} {
		p := tiny(t, "dnms")
		p.Params.LogEta, p.Params.LogTauW, p.Params.Baseline = tc.logEta, tc.logTau, tc.baseline
		p.Rule.BaselineDecay = 0.75
		_, err := NewEstimator(p, EstimatorConfig{Method: Truncated})
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "LogEta, LogTauW")) {
			t.Errorf("%s: err = %v; want one naming LogEta, LogTauW", tc.name, err)
		}
	}
}
