package meta

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// TestGradientScaling measures (go test -run GradientScaling -v) the
// meta-gradient's norm and its spread across learning seeds against the
// trial length and the number of episodes, for the exact, truncated and
// ES estimators (N = 50, DNMS at dt = 5 ms, K = L = 2). Spread is the
// mean distance of the per-seed gradients from their mean, over the
// mean's norm. It checks only that every estimate is finite.
func TestGradientScaling(t *testing.T) {
	if testing.Short() {
		t.Skip("long: measurement")
	}
	ctx := context.Background()
	t.Logf("%-10s %8s %8s %12s %12s %10s", "estimator", "trial_ms", "episodes", "mean|g|", "|mean g|", "spread")
	for _, dur := range []float64{250, 1000} {
		for _, eps := range []int{10, 40, 160} {
			nc := network.DefaultConfig()
			nc.N, nc.Dt = 50, 5
			dc := task.DefaultDNMS()
			dc.Dt = 5
			if dur < dc.Duration {
				// Shortened DNMS: stimuli of 50 ms at 0 and 100 ms, scored over the last 50 ms.
				dc.Duration, dc.Stim1Start, dc.Stim1Len, dc.Stim2Start, dc.Stim2Len, dc.EvalLen = dur, 1, 50, 100, 50, 50
			}
			tk, err := task.NewDNMS(dc)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rule.Random(2, 2, 0.1, 3)
			lc := learn.DefaultConfig()
			lc.Episodes, lc.WarmUp = eps, 0
			p := Problem{Net: nc, Task: tk, Rule: r, Learn: lc, Smooth: Smooth{AbsEps: 1e-4, Clip: true}}
			phi := p.Params.Get(p.Rule)
			for _, m := range []Method{Exact, Truncated, ES} {
				est, err := NewEstimator(p, EstimatorConfig{Method: m, ESSeed: 5})
				if err != nil {
					t.Fatal(err)
				}
				const seeds = 4
				var gs [][]float64
				start := time.Now()
				for s := range seeds {
					est.SetSeed(uint64(100 + s))
					_, g, err := est.Gradient(ctx, phi)
					if err != nil {
						t.Fatal(err)
					}
					for _, v := range g {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							t.Fatalf("%s: non-finite gradient", m)
						}
					}
					gs = append(gs, g)
				}
				mean := make([]float64, len(phi))
				norms := 0.0
				for _, g := range gs {
					norms += sqrtDot(g) / seeds
					for i, v := range g {
						mean[i] += v / seeds
					}
				}
				spread := 0.0
				for _, g := range gs {
					d := 0.0
					for i, v := range g {
						d += (v - mean[i]) * (v - mean[i])
					}
					spread += math.Sqrt(d) / seeds
				}
				t.Logf("%-10s %8g %8d %12.4g %12.4g %10.3g  (%.2f s per gradient)", m, dur, eps, norms, sqrtDot(mean), spread/sqrtDot(mean),
					time.Since(start).Seconds()/seeds)
			}
		}
	}
}
