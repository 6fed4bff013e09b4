// Command metameasure measures the meta-gradient estimators of
// plasticlib/meta on context-dependent integration at the quick
// meta-learning scale (N = 50, dt = 5 ms, from Miconi's cubic rule with eta
// 0.1 and weight changes clipped to 2e-3, 8 held-out seeds), and writes the
// numbers as JSON (what notebook 03 reads from notebooks/data/meta-estimators.json):
//
//   - scaling: for the exact estimator, the exact one with a 20-step
//     state-tangent horizon, the truncated one and evolution strategies (ES),
//     the meta-gradient's norm and its agreement across -seeds learning seeds
//     against the trial length (-lengths, ms) and the number of trials per
//     learning run (-episodes), with the seconds per gradient;
//   - progress: which estimator makes meta-training progress fastest per
//     second: from Miconi's cubic rule and from the zero rule, each
//     meta-trains (training seed 0) until its wall-clock time passes -budget
//     (the iteration in progress finishes), and the held-out objective of
//     each iteration is recorded against time, with the objective after the
//     last step.
//
// Norms are taken in the basis-scaled coordinates phi_q / s_q in which the
// optimiser steps (meta.BasisScale), and ES perturbs in them. Times are
// wall-clock: on a shared machine they vary with the load. -scaling=false or
// -progress=false skips a part and keeps that part of an existing -out file.
//
//	go run -tags openblas ./plasticlib/cmd/metameasure -out notebooks/data/meta-estimators.json
//
// Main only: flags, the measurement loops and their statistics; the
// estimators are plasticlib/meta's.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// options are the command's flags.
type options struct {
	N                 int
	Dt                float64
	Seeds             int       // learning seeds per scaling point
	Lengths           []float64 // trial lengths (ms) of the scaling part
	Episodes          []int     // trials per learning run of the scaling part
	ProgressEpisodes  int       // trials per learning run of the progress part
	Budget            time.Duration
	Scaling, Progress bool
	Out               string
	ESPairs           int // 0: one pair per meta-parameter
	HeldOut           int // held-out seeds of the progress part
	MaxIterations     int // at most this many meta-iterations per progress run
}

func defaultOptions() options {
	return options{N: 50, Dt: 5, Seeds: 4, Lengths: []float64{350, 700, 1400}, Episodes: []int{25, 100, 400},
		ProgressEpisodes: 200, Budget: 40 * time.Second, Scaling: true, Progress: true, HeldOut: 8, MaxIterations: 100}
}

func main() {
	o := defaultOptions()
	lengths, episodes := joinFloats(o.Lengths), joinInts(o.Episodes)
	flag.IntVar(&o.N, "n", o.N, "network size N")
	flag.Float64Var(&o.Dt, "dt", o.Dt, "time step (ms), network and task")
	flag.IntVar(&o.Seeds, "seeds", o.Seeds, "learning seeds per scaling point")
	flag.StringVar(&lengths, "lengths", lengths, "trial lengths (ms) of the scaling part, comma-separated")
	flag.StringVar(&episodes, "episodes", episodes, "trials per learning run of the scaling part, comma-separated")
	flag.IntVar(&o.ProgressEpisodes, "progress-episodes", o.ProgressEpisodes, "trials per learning run of the progress part")
	flag.DurationVar(&o.Budget, "budget", o.Budget, "wall-clock budget of each progress run")
	flag.BoolVar(&o.Scaling, "scaling", o.Scaling, "measure the gradients' norms and agreement")
	flag.BoolVar(&o.Progress, "progress", o.Progress, "measure meta-training progress per second")
	flag.StringVar(&o.Out, "out", "", "write the measurements here (JSON)")
	flag.Parse()
	var err error
	if o.Lengths, err = parseFloats(lengths); err != nil {
		err = fmt.Errorf("-lengths: %w", err)
	} else if o.Episodes, err = parseInts(episodes); err != nil {
		err = fmt.Errorf("-episodes: %w", err)
	}
	if err == nil {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		err = run(ctx, o, os.Stdout)
		stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "metameasure:", err)
		os.Exit(1)
	}
}

// estimator is one estimator measured: a method, and for the exact one an
// optional state-tangent horizon (the remedy for growing tangents).
type estimator struct {
	Name    string
	Method  meta.Method
	Horizon int
}

var estimators = []estimator{
	{"exact", meta.Exact, 0},
	{"exact-h20", meta.Exact, 20},
	{"truncated", meta.Truncated, 0},
	{"es", meta.ES, 0},
}

// ScalingRow is one estimator at one trial length and run length.
type ScalingRow struct {
	Estimator string  `json:"estimator"`
	TrialMS   float64 `json:"trial_ms"`
	Steps     int     `json:"steps"`
	Episodes  int     `json:"episodes"`
	// Norms of the per-seed gradients (basis-scaled coordinates): their
	// mean and maximum, and the norm of their mean.
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

// ProgressRow is one meta-training run against the clock.
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

// Measurements is the JSON file's content.
type Measurements struct {
	Scaling  []ScalingRow  `json:"scaling"`
	Progress []ProgressRow `json:"progress"`
}

func run(ctx context.Context, o options, w io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	var m Measurements
	if b, err := os.ReadFile(o.Out); err == nil {
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %v (not a measurements file? pick another -out)", o.Out, err)
		}
	}
	if o.Scaling {
		rows, err := scaling(ctx, o, w)
		if err != nil {
			return err
		}
		m.Scaling = rows
	}
	if o.Progress {
		rows, err := progress(ctx, o, w)
		if err != nil {
			return err
		}
		m.Progress = rows
	}
	if o.Out == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(o.Out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", o.Out)
	return nil
}

func (o options) validate() error {
	var errs []error
	if len(o.Lengths) == 0 || len(o.Episodes) == 0 {
		errs = append(errs, errors.New("-lengths and -episodes need at least one value each"))
	}
	for _, ms := range o.Lengths {
		if !(ms >= 7*o.Dt) {
			errs = append(errs, fmt.Errorf("-lengths: %g ms is shorter than 7 steps of %g ms", ms, o.Dt))
		}
	}
	if o.Seeds < 2 {
		errs = append(errs, fmt.Errorf("-seeds must be >= 2 (agreement compares seeds), got %d", o.Seeds))
	}
	if o.Budget < 0 {
		errs = append(errs, fmt.Errorf("-budget must be >= 0, got %v", o.Budget))
	}
	return errors.Join(errs...)
}

// config is the quick meta-learning scale: context integration at o.N and
// o.Dt, the trial stretched to ms (stimulus over its first 5/7, scored over
// the rest, as in the 700 ms default), episodes trials per learning run with
// no warm-up, eta 0.1 and weight changes clipped to 2e-3 (ten times
// Miconi's context-integration values), Adam at lr 0.05 with basis-scaled
// steps, 2 training seeds per iteration, o.HeldOut held-out seeds.
func config(o options, r rule.Rule, ms float64, episodes int) (meta.Config, error) {
	tc := task.DefaultContext()
	tc.Dt = o.Dt
	tc.Duration, tc.StimEnd, tc.EvalStart, tc.EvalEnd = ms, ms*5/7, ms*5/7, ms
	nc := network.DefaultConfig()
	nc.N, nc.Dt = o.N, o.Dt
	nc.NumInputs, nc.PerturbAmp = 4, 30
	r.Eta, r.MaxDW = 0.1, 2e-3
	lc := learn.DefaultConfig()
	lc.Episodes, lc.WarmUp = episodes, 0
	p := meta.Problem{Net: nc, Rule: r, Learn: lc, Smooth: meta.Smooth{AbsEps: 1e-4, Clip: true}}
	cfg := meta.DefaultConfig(p, meta.TaskSpec{Context: &tc})
	cfg.LR = 0.05
	cfg.EvalSeeds = nil
	for k := range o.HeldOut {
		cfg.EvalSeeds = append(cfg.EvalSeeds, 1000000001+uint64(k))
	}
	tk, err := cfg.Task.Build()
	if err != nil {
		return cfg, err
	}
	cfg.Problem.Task = tk
	return cfg, nil
}

// stepScales returns the basis-scaled step sizes s_q Train would use for cfg.
func stepScales(ctx context.Context, cfg meta.Config) ([]float64, error) {
	cfg.Iterations, cfg.EvalSeeds = 0, nil
	h, err := meta.Train(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return h.Scale, nil
}

func scaling(ctx context.Context, o options, w io.Writer) ([]ScalingRow, error) {
	fmt.Fprintf(w, "%-10s %8s %6s %8s %10s %10s %10s %8s %8s %8s\n", "estimator", "trial_ms", "steps", "episodes",
		"mean|g|", "max|g|", "|mean g|", "spread", "pair_cos", "s/grad")
	var rows []ScalingRow
	for _, ms := range o.Lengths {
		for _, eps := range o.Episodes {
			cfg, err := config(o, rule.MiconiCubic(), ms, eps)
			if err != nil {
				return nil, err
			}
			scale, err := stepScales(ctx, cfg)
			if err != nil {
				return nil, err
			}
			p := cfg.Problem
			phi := p.Params.Get(p.Rule)
			for _, v := range estimators {
				p.Horizon = v.Horizon
				est, err := meta.NewEstimator(p, meta.EstimatorConfig{Method: v.Method, ESSigma: 0.05, ESSeed: 5, ESScale: scale, ESPairs: o.ESPairs})
				if err != nil {
					return nil, err
				}
				var gs [][]float64
				start := time.Now()
				for s := range o.Seeds {
					est.SetSeed(uint64(100 + s))
					_, g, err := est.Gradient(ctx, phi)
					if err != nil {
						return nil, fmt.Errorf("%s, %g ms, %d episodes: %w", v.Name, ms, eps, err)
					}
					for q := range g {
						g[q] *= scale[q]
					}
					gs = append(gs, g)
				}
				row := summarize(gs)
				row.Estimator, row.TrialMS, row.Steps, row.Episodes = v.Name, ms, p.Task.Steps(), eps
				row.Seconds = time.Since(start).Seconds() / float64(o.Seeds)
				if math.IsNaN(row.Spread) || math.IsInf(row.MaxNorm, 0) || !(row.MeanNorm > 0) {
					return nil, fmt.Errorf("%s, %g ms, %d episodes: mean |g| %g, max |g| %g, spread %g: not finite and non-zero",
						v.Name, ms, eps, row.MeanNorm, row.MaxNorm, row.Spread)
				}
				fmt.Fprintf(w, "%-10s %8g %6d %8d %10.3g %10.3g %10.3g %8.3g %8.3f %8.2f\n", row.Estimator, ms, row.Steps, eps,
					row.MeanNorm, row.MaxNorm, row.NormOfMean, row.Spread, row.PairCos, row.Seconds)
				rows = append(rows, row)
			}
		}
	}
	return rows, nil
}

// summarize returns the norms and agreement of per-seed gradients gs (at
// least two).
func summarize(gs [][]float64) ScalingRow {
	var row ScalingRow
	n := float64(len(gs))
	mean := make([]float64, len(gs[0]))
	for _, g := range gs {
		norm := math.Sqrt(dot(g, g))
		row.MeanNorm += norm / n
		row.MaxNorm = max(row.MaxNorm, norm)
		for q, x := range g {
			mean[q] += x / n
		}
	}
	row.NormOfMean = math.Sqrt(dot(mean, mean))
	pairs := 0
	for a, g := range gs {
		d := 0.0
		for q, x := range g {
			d += (x - mean[q]) * (x - mean[q])
		}
		row.Spread += math.Sqrt(d) / n / row.NormOfMean
		for _, h := range gs[a+1:] {
			row.PairCos += dot(g, h) / math.Sqrt(dot(g, g)*dot(h, h))
			pairs++
		}
	}
	row.PairCos /= float64(pairs)
	return row
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func progress(ctx context.Context, o options, w io.Writer) ([]ProgressRow, error) {
	var rows []ProgressRow
	for _, r := range []struct {
		name string
		rule func() rule.Rule
	}{
		{"miconi-cubic", rule.MiconiCubic},
		{"zero", func() rule.Rule { r, _ := rule.Zero(3, 3); return r }},
	} {
		for _, v := range estimators {
			cfg, err := config(o, r.rule(), 700, o.ProgressEpisodes)
			if err != nil {
				return nil, err
			}
			cfg.Iterations = o.MaxIterations
			cfg.Estimator = meta.EstimatorConfig{Method: v.Method, ESSigma: 0.05, ESSeed: 5, ESPairs: o.ESPairs}
			cfg.Problem.Horizon = v.Horizon
			runCtx, cancel := context.WithCancel(ctx)
			row := ProgressRow{Estimator: v.Name, Rule: r.name}
			start := time.Now()
			cfg.Progress = func(rec meta.Record) {
				row.Seconds = append(row.Seconds, time.Since(start).Seconds())
				row.HeldOut = append(row.HeldOut, rec.HeldOut)
				if time.Since(start) > o.Budget {
					cancel()
				}
			}
			h, err := meta.Train(runCtx, cfg)
			cancel()
			if err != nil && (ctx.Err() != nil || !errors.Is(err, context.Canceled)) {
				return nil, fmt.Errorf("%s from %s: %w", v.Name, r.name, err)
			}
			if len(row.HeldOut) == 0 {
				return nil, fmt.Errorf("%s from %s: no iteration finished", v.Name, r.name)
			}
			if row.After, err = heldOut(cfg, h.Phi); err != nil {
				return nil, err
			}
			row.Best = row.After
			for _, x := range row.HeldOut {
				row.Best = max(row.Best, x)
			}
			if math.IsNaN(row.Best) {
				return nil, fmt.Errorf("%s from %s: no finite held-out objective", v.Name, r.name)
			}
			last := row.Seconds[len(row.Seconds)-1]
			fmt.Fprintf(w, "%-10s from %-12s: %2d iterations in %5.1f s, held-out %.4f -> %.4f after the last step (best %.4f), %.2f s per iteration\n",
				v.Name, r.name, len(row.HeldOut), last, row.HeldOut[0], row.After, row.Best, last/float64(len(row.Seconds)))
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// heldOut is the mean objective at phi over cfg's held-out seeds.
func heldOut(cfg meta.Config, phi []float64) (float64, error) {
	sum := 0.0
	for _, s := range cfg.EvalSeeds {
		e, err := meta.NewEngine(cfg.Problem)
		if err != nil {
			return 0, err
		}
		e.SetSeed(s)
		o, err := e.Objective(phi)
		if err != nil {
			return 0, err
		}
		sum += o
	}
	return sum / float64(len(cfg.EvalSeeds)), nil
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func joinFloats(xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, strconv.FormatFloat(x, 'g', -1, 64))
	}
	return strings.Join(s, ",")
}

func joinInts(xs []int) string {
	var s []string
	for _, x := range xs {
		s = append(s, strconv.Itoa(x))
	}
	return strings.Join(s, ",")
}
