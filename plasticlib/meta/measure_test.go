package meta

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

var measure = flag.String("meta.measure", "", "run the estimator measurements (several minutes) and write their numbers to this JSON file")

// estimatorVariant is one estimator measured: a method, and for the
// exact one an optional state-tangent horizon (the remedy).
type estimatorVariant struct {
	Name    string
	Method  Method
	Horizon int
}

var measuredEstimators = []estimatorVariant{
	{"exact", Exact, 0},
	{"exact-h20", Exact, 20},
	{"truncated", Truncated, 0},
	{"es", ES, 0},
}

// measuredEstimator returns v's estimator for p, ES perturbing in the
// basis-scaled coordinates of scale with sigma 0.05 and P pairs.
func measuredEstimator(t *testing.T, p Problem, v estimatorVariant, scale []float64) Estimator {
	t.Helper()
	p.Horizon = v.Horizon
	est, err := NewEstimator(p, EstimatorConfig{Method: v.Method, ESSigma: 0.05, ESSeed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if es, ok := est.(*esEstimator); ok {
		es.scale = scale
	}
	return est
}

// ScalingRow is one line of TestGradientScaling's table.
type ScalingRow struct {
	Estimator string  `json:"estimator"`
	TrialMS   float64 `json:"trial_ms"`
	Steps     int     `json:"steps"`
	Episodes  int     `json:"episodes"`
	// Norms of the per-seed gradients (in the basis-scaled coordinates
	// phi_q / s_q in which the optimiser steps): their mean and maximum,
	// and the norm of their mean.
	MeanNorm   float64 `json:"mean_norm"`
	MaxNorm    float64 `json:"max_norm"`
	NormOfMean float64 `json:"norm_of_mean"`
	// Spread is the mean distance of the per-seed gradients from their
	// mean over the mean's norm; PairCos the mean cosine between two
	// seeds' gradients (1: all agree, 0: unrelated directions).
	Spread  float64 `json:"spread"`
	PairCos float64 `json:"pair_cos"`
	Seconds float64 `json:"seconds_per_gradient"`
}

// ProgressRow is one meta-training run of TestEstimatorProgress.
type ProgressRow struct {
	Estimator string    `json:"estimator"`
	Rule      string    `json:"rule"`
	Seconds   []float64 `json:"seconds"`  // wall-clock time at the end of each iteration
	HeldOut   []float64 `json:"held_out"` // held-out objective of each iteration's phi (before its step)
	// After is the held-out objective of the last phi (after the last
	// step), Best the best of HeldOut and After.
	After float64 `json:"after"`
	Best  float64 `json:"best"`
}

// measurements are what the two measurement tests write to *measure.
var measurements struct {
	Scaling  []ScalingRow  `json:"scaling"`
	Progress []ProgressRow `json:"progress"`
}

// writeMeasurements writes measurements to *measure, keeping the other
// test's numbers already in the file.
func writeMeasurements(t *testing.T) {
	t.Helper()
	if b, err := os.ReadFile(*measure); err == nil {
		old := measurements
		if err := json.Unmarshal(b, &old); err == nil {
			if measurements.Scaling == nil {
				measurements.Scaling = old.Scaling
			}
			if measurements.Progress == nil {
				measurements.Progress = old.Progress
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(*measure), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(measurements, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*measure, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// contextOfLength is quickConfig's context-integration task stretched to
// a trial of ms milliseconds (stimulus over the first 5/7, scored over
// the rest, as in the 700 ms default).
func contextOfLength(ms float64) TaskSpec {
	cc := task.DefaultContext()
	cc.Dt = 5
	cc.Duration, cc.StimEnd, cc.EvalStart, cc.EvalEnd = ms, ms*5/7, ms*5/7, ms
	return TaskSpec{Context: &cc}
}

// TestGradientScaling measures (go test -tags openblas -run
// GradientScaling -v -meta.measure ../../build/meta-estimators.json) the
// meta-gradient's norm and its spread across 4 learning seeds against the
// trial length (350, 700, 1400 ms: 70, 140, 280 steps) and the number of
// episodes (25, 100, 400), for the exact estimator, the exact one with a
// 20-step state-tangent horizon, the truncated one and ES, at
// quickConfig's scale from Miconi's cubic rule. It checks only that every
// estimate is finite and non-zero.
func TestGradientScaling(t *testing.T) {
	if *measure == "" {
		t.Skip("measurement: run with -meta.measure FILE")
	}
	ctx := context.Background()
	const seeds = 4
	t.Logf("%-10s %8s %6s %8s %10s %10s %10s %8s %8s %8s", "estimator", "trial_ms", "steps", "episodes", "mean|g|", "max|g|", "|mean g|", "spread", "pair_cos", "s/grad")
	measurements.Scaling = nil
	for _, ms := range []float64{350, 700, 1400} {
		for _, eps := range []int{25, 100, 400} {
			cfg := quickConfig(rule.MiconiCubic(), 0)
			cfg.Task = contextOfLength(ms)
			p := cfg.Problem
			var err error
			if p.Task, err = cfg.Task.Build(); err != nil {
				t.Fatal(err)
			}
			p.Learn.Episodes = eps
			scale, err := stepScales(p, cfg)
			if err != nil {
				t.Fatal(err)
			}
			phi := p.Params.Get(p.Rule)
			for _, v := range measuredEstimators {
				est := measuredEstimator(t, p, v, scale)
				var gs [][]float64
				start := time.Now()
				for s := range seeds {
					est.SetSeed(uint64(100 + s))
					_, g, err := est.Gradient(ctx, phi)
					if err != nil {
						t.Fatalf("%s, %g ms, %d episodes: %v", v.Name, ms, eps, err)
					}
					for q := range g {
						g[q] *= scale[q]
					}
					gs = append(gs, g)
				}
				row := ScalingRow{Estimator: v.Name, TrialMS: ms, Steps: p.Task.Steps(), Episodes: eps,
					Seconds: time.Since(start).Seconds() / seeds}
				mean := make([]float64, len(phi))
				for _, g := range gs {
					n := sqrtDot(g)
					row.MeanNorm += n / seeds
					row.MaxNorm = max(row.MaxNorm, n)
					for q, x := range g {
						mean[q] += x / seeds
					}
				}
				row.NormOfMean = sqrtDot(mean)
				pairs := 0
				for a, g := range gs {
					d := 0.0
					for q, x := range g {
						d += (x - mean[q]) * (x - mean[q])
					}
					row.Spread += math.Sqrt(d) / seeds / row.NormOfMean
					for _, h := range gs[a+1:] {
						row.PairCos += cosine(g, h)
						pairs++
					}
				}
				row.PairCos /= float64(pairs)
				if math.IsNaN(row.Spread) || math.IsInf(row.MaxNorm, 0) || !(row.MeanNorm > 0) {
					t.Errorf("%s, %g ms, %d episodes: mean |g| %g, max |g| %g, spread %g; want finite, non-zero", v.Name, ms, eps, row.MeanNorm, row.MaxNorm, row.Spread)
				}
				t.Logf("%-10s %8g %6d %8d %10.3g %10.3g %10.3g %8.3g %8.3f %8.2f", row.Estimator, ms, row.Steps, eps,
					row.MeanNorm, row.MaxNorm, row.NormOfMean, row.Spread, row.PairCos, row.Seconds)
				measurements.Scaling = append(measurements.Scaling, row)
			}
		}
	}
	writeMeasurements(t)
}

// TestEstimatorProgress measures (go test -tags openblas -run
// EstimatorProgress -v -meta.measure ../../build/meta-estimators.json)
// which estimator makes meta-training progress fastest per second: at
// quickConfig's scale, from Miconi's cubic rule and from the zero rule,
// each estimator meta-trains (training seed 0) until its wall-clock time
// passes a budget of 40 s (the iteration in progress finishes), and the
// held-out objective it reached is logged against time. Wall-clock times
// on the shared 2-core machine; the held-out evaluation (8 seeds) is part
// of every iteration's time. It checks only that the runs are finite.
func TestEstimatorProgress(t *testing.T) {
	if *measure == "" {
		t.Skip("measurement: run with -meta.measure FILE")
	}
	const budget = 40 * time.Second
	measurements.Progress = nil
	for _, r := range []struct {
		name string
		rule func() rule.Rule
	}{
		{"miconi-cubic", rule.MiconiCubic},
		{"zero", func() rule.Rule { r, _ := rule.Zero(3, 3); return r }},
	} {
		for _, v := range measuredEstimators {
			cfg := quickConfig(r.rule(), 0)
			cfg.Iterations = 100
			cfg.Estimator = EstimatorConfig{Method: v.Method, ESSigma: 0.05, ESSeed: 5}
			cfg.Problem.Horizon = v.Horizon
			ctx, cancel := context.WithCancel(context.Background())
			row := ProgressRow{Estimator: v.Name, Rule: r.name}
			start := time.Now()
			cfg.Progress = func(rec Record) {
				row.Seconds = append(row.Seconds, time.Since(start).Seconds())
				row.HeldOut = append(row.HeldOut, rec.HeldOut)
				if time.Since(start) > budget {
					cancel()
				}
			}
			h, err := Train(ctx, cfg)
			cancel()
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("%s from %s: %v", v.Name, r.name, err)
			}
			// The held-out objective after the last step.
			pe := cfg.Problem
			if pe.Task, err = cfg.Task.Build(); err != nil {
				t.Fatal(err)
			}
			for _, s := range cfg.EvalSeeds {
				pe.Learn.Seed = s
				e, err := NewEngine(pe)
				if err != nil {
					t.Fatal(err)
				}
				o, err := e.Objective(h.Phi)
				if err != nil {
					t.Fatal(err)
				}
				row.After += o / float64(len(cfg.EvalSeeds))
			}
			row.Best = row.After
			for _, x := range row.HeldOut {
				row.Best = max(row.Best, x)
			}
			if len(row.HeldOut) == 0 || math.IsNaN(row.Best) {
				t.Errorf("%s from %s: no finite record", v.Name, r.name)
				continue
			}
			t.Logf("%-10s from %-12s: %2d iterations in %5.1f s, held-out %.4f -> %.4f after the last step (best %.4f), %.2f s per iteration",
				v.Name, r.name, len(row.HeldOut), row.Seconds[len(row.Seconds)-1], row.HeldOut[0], row.After, row.Best,
				row.Seconds[len(row.Seconds)-1]/float64(len(row.Seconds)))
			measurements.Progress = append(measurements.Progress, row)
		}
	}
	writeMeasurements(t)
}
