package meta

import (
	"context"
	"math"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
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

// TestEstimators compares each estimator with the exact gradient: finite
// differences agree closely, ES points the same way, the truncated
// estimator (activity tangents dropped) differs.
func TestEstimators(t *testing.T) {
	p := tiny(t, "dnms")
	p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
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
