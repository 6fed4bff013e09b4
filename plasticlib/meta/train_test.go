package meta

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

func tinyConfig(t *testing.T) Config {
	p := tiny(t, "dnms")
	p.Task = nil
	p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
	dc := task.DefaultDNMS()
	dc.Dt = 10
	cfg := DefaultConfig(p, TaskSpec{DNMS: &dc})
	cfg.Iterations = 4
	cfg.EvalSeeds = cfg.EvalSeeds[:2]
	return cfg
}

// results returns h's records without their wall times, which differ from
// run to run.
func results(t *testing.T, h *History) []Record {
	t.Helper()
	out := append([]Record(nil), h.Records...)
	for i := range out {
		if !(out[i].Seconds > 0) {
			t.Fatalf("record %d has no wall time", i)
		}
		out[i].Seconds = 0
	}
	return out
}

func TestTrainReproducibleAndResume(t *testing.T) {
	ctx := context.Background()
	cfg := tinyConfig(t)
	h1, err := Train(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(h1.Records) != 4 {
		t.Fatalf("%d records, want 4", len(h1.Records))
	}
	// The config, saved as JSON and loaded back, reproduces the run bit for bit.
	b, err := json.Marshal(h1.Config)
	if err != nil {
		t.Fatal(err)
	}
	var cfg2 Config
	if err := json.Unmarshal(b, &cfg2); err != nil {
		t.Fatal(err)
	}
	h2, err := Train(ctx, cfg2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(results(t, h1), results(t, h2)) || !reflect.DeepEqual(h1.Phi, h2.Phi) {
		t.Fatalf("rerun from the saved config differs:\n%v\n%v", h1.Records, h2.Records)
	}
	// Resume: 2 iterations with a checkpoint, then 4, equals 4 straight.
	path := filepath.Join(t.TempDir(), "ckpt.json")
	c := cfg
	c.Checkpoint, c.Iterations = path, 2
	if _, err := Train(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.Iterations = 4
	h3, err := Train(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(results(t, h1), results(t, h3)) || !reflect.DeepEqual(h1.Phi, h3.Phi) {
		t.Fatalf("resumed run differs")
	}
	// A checkpoint from another config is refused, naming the field.
	c.LR = 0.02
	if _, err := Train(ctx, c); err == nil || !strings.Contains(err.Error(), "lr") {
		t.Fatalf("other config: err = %v, want a refusal naming lr", err)
	}
}

func TestTrainCancel(t *testing.T) {
	cfg := tinyConfig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	episodes := 0
	cfg.EpisodeProgress = func(int, float64) { episodes++ }
	cfg.Progress = func(r Record) {
		if r.Iteration == 1 {
			cancel()
		}
	}
	h, err := Train(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(h.Records) != 2 {
		t.Fatalf("%d records after cancel at iteration 1, want 2", len(h.Records))
	}
	if episodes != 2*cfg.Problem.Learn.Episodes {
		t.Errorf("%d episode callbacks, want %d", episodes, 2*cfg.Problem.Learn.Episodes)
	}
}

func TestTrainNonFinite(t *testing.T) {
	cfg := tinyConfig(t)
	// A task whose target turns NaN from the 5th trial on.
	n := 0
	cfg.Problem.Task = task.Func{Name: "nan", Types: 2, Inputs: 2, Length: 50,
		Fill: func(dst *task.Trial, typ int, rng *rand.Rand) {
			v := 1.0
			if n++; n > 4 {
				v = math.NaN()
			}
			dst.SetTarget(40, 50, v)
			dst.EvalStart, dst.EvalEnd = 40, 50
		}}
	// The task counts its trials: no basis-scale trial before training.
	cfg.Seeds, cfg.EvalSeeds, cfg.Precondition = 1, nil, NoPrecondition
	_, err := Train(context.Background(), cfg)
	var nf *NonFiniteError
	if !errors.As(err, &nf) || nf.Iteration != 0 || nf.Episode != 4 {
		t.Fatalf("err = %v, want a NonFiniteError at iteration 0, episode 4", err)
	}
}

// TestBasisScale checks the basis-scaled steps: each theta_kl's scale is
// the geometric mean of the basis traces' norms over its own (so their
// geometric mean is 1), log parameters keep 1, and Adam's first step
// moves meta-parameter q by LR s_q; without preconditioning by LR.
func TestBasisScale(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Iterations = 1
	p := cfg.Problem
	p.Task, _ = cfg.Task.Build()
	p1 := p
	p1.Learn.Episodes, p1.Learn.Seed = 1, cfg.Seed*1000003
	e1, err := newEngine(p1, true)
	if err != nil {
		t.Fatal(err)
	}
	e1.fullTraces = true
	phi := e1.Phi()
	if _, err := e1.Gradient(phi, make([]float64, len(phi))); err != nil {
		t.Fatal(err)
	}
	for _, pre := range []Precondition{BasisScale, NoPrecondition} {
		c := cfg
		c.Precondition = pre
		h, err := Train(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		// Adam's first step is LR s_q g'_q / (|g'_q| + Eps), g' the
		// scaled gradient s g clipped to norm ClipNorm.
		gs := make([]float64, len(h.Phi))
		for q, g := range h.Records[0].Grad {
			gs[q] = g * h.Scale[q]
		}
		clip := min(1, c.ClipNorm/sqrtDot(gs))
		logSum, nTheta := 0.0, 0
		minS, maxS := math.Inf(1), 0.0
		nn := p.Net.N * p.Net.N
		for q, name := range h.Names {
			s := h.Scale[q]
			if strings.HasPrefix(name, "theta") && pre == BasisScale {
				logSum += math.Log(s)
				nTheta++
				minS, maxS = min(minS, s), max(maxS, s)
				// s_q b_q is the same for every theta_kl.
				b := sqrtDot(e1.de[q*nn : (q+1)*nn])
				b0 := sqrtDot(e1.de[:nn])
				if math.Abs(s*b-h.Scale[0]*b0) > 1e-9*s*b {
					t.Errorf("%s: s b = %g; theta[0][0]'s %g", name, s*b, h.Scale[0]*b0)
				}
			} else if s != 1 {
				t.Errorf("%s %q: scale %g; want 1", pre, name, s)
			}
			step := math.Abs(h.Phi[q] - h.Records[0].Phi[q])
			a := math.Abs(gs[q] * clip)
			if want := c.LR * s * a / (a + c.Eps); math.Abs(step-want) > 1e-9*c.LR*s {
				t.Errorf("%s %q: first Adam step %g; want LR s = %g", pre, name, step, want)
			}
		}
		if pre == BasisScale {
			if math.Abs(logSum) > 1e-9 || !(maxS > 2*minS) {
				t.Errorf("theta scales: geometric mean exp(%g), range [%g, %g]; want 1 and a spread", logSum/float64(nTheta), minS, maxS)
			}
		}
	}
}

// TestTrainFreshNetHeldOut: with FreshNet, the held-out objective is the
// mean over the held-out seeds of runs on each seed's own network.
func TestTrainFreshNetHeldOut(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		cfg := tinyConfig(t)
		cfg.Problem.Smooth = Smooth{} // objective = -mean error, the learner's
		cfg.Problem.FreshNet = fresh
		cfg.Iterations = 1
		h, err := Train(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := cfg.Problem
		tk, err := cfg.Task.Build()
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		for _, s := range cfg.EvalSeeds {
			nc, lc := p.Net, p.Learn
			lc.Seed = s
			if fresh {
				nc.Seed = s
			}
			run, err := learn.Run(context.Background(), nc, tk, p.Rule, lc)
			if err != nil {
				t.Fatal(err)
			}
			m := 0.0
			for _, e := range run.Errors {
				m += e
			}
			want -= m / float64(run.Len()) / float64(len(cfg.EvalSeeds))
		}
		if got := h.Records[0].HeldOut; math.Abs(got-want) > 1e-12 {
			t.Errorf("FreshNet %v: held-out %.15g; want %.15g (runs on the seeds' networks)", fresh, got, want)
		}
	}
}

// TestSeedMean: the plain mean is kept without SeedNormalize; with it,
// each seed's gradient is divided by its preconditioned norm before the
// average, so a seed 100 times larger than the other no longer sets the
// direction, and a zero one adds nothing. The norms are reported either way.
func TestSeedMean(t *testing.T) {
	h := &History{Scale: []float64{2, 1}}
	grads := [][]float64{{0.5, 0}, {0, 100}, {0, 0}} // preconditioned norms 1, 100, 0
	mean := []float64{0.5 / 3, 100.0 / 3}
	for _, tc := range []struct {
		normalize bool
		want      []float64
	}{
		{false, mean},
		{true, []float64{0.5 / 3, 1.0 / 3}},
	} {
		h.Config.SeedNormalize = tc.normalize
		norms, g := h.seedMean(grads, mean)
		if !reflect.DeepEqual(norms, []float64{1, 100, 0}) {
			t.Errorf("normalize %v: norms %v; want [1 100 0]", tc.normalize, norms)
		}
		for q := range g {
			if math.Abs(g[q]-tc.want[q]) > 1e-15 {
				t.Errorf("normalize %v: step gradient %v; want %v", tc.normalize, g, tc.want)
				break
			}
		}
	}
	// In Train: the records carry one norm per seed, and the normalized
	// run steps elsewhere than the plain one from the same seeds.
	cfg := tinyConfig(t)
	cfg.Iterations, cfg.EvalSeeds = 2, nil
	plain, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.SeedNormalize = true
	norm, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := norm.Records[0]; len(r.SeedNorms) != cfg.Seeds || !reflect.DeepEqual(r.SeedNorms, plain.Records[0].SeedNorms) {
		t.Errorf("seed norms %v (plain run's %v); want %d equal ones", r.SeedNorms, plain.Records[0].SeedNorms, cfg.Seeds)
	}
	if reflect.DeepEqual(plain.Phi, norm.Phi) {
		t.Errorf("SeedNormalize did not change the steps")
	}
}

// TestTrainBacktrack checks Config.Backtrack: at a rate large enough that
// steps overshoot, every accepted rule scores at least the best before it
// on the held-out seeds, every rejected one is followed by the point
// halfway back to the best at half the rate, and Rule is the best rule.
func TestTrainBacktrack(t *testing.T) {
	cfg := tinyConfig(t)
	cfg.Backtrack, cfg.LR, cfg.Iterations = true, 1, 6
	h, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	best, bestPhi, rejected := math.Inf(-1), []float64(nil), 0
	for i, r := range h.Records {
		if r.Rejected {
			rejected++
			if r.HeldOut >= best {
				t.Errorf("record %d rejected at held-out %g, the best so far %g", i, r.HeldOut, best)
			}
			if i+1 < len(h.Records) {
				for q, v := range h.Records[i+1].Phi {
					if want := bestPhi[q] + (r.Phi[q]-bestPhi[q])/2; v != want {
						t.Errorf("record %d: phi[%d] = %g after the rejection, want halfway %g", i+1, q, v, want)
					}
				}
			}
			continue
		}
		if r.HeldOut < best {
			t.Errorf("record %d accepted at held-out %g below the best %g", i, r.HeldOut, best)
		}
		best, bestPhi = r.HeldOut, r.Phi
	}
	if rejected == 0 {
		t.Fatalf("no step rejected at lr %g: the test does not exercise backtracking (held-out %v)", cfg.LR, heldOuts(h))
	}
	t.Logf("held-out %v, %d rejected", heldOuts(h), rejected)
	if want := math.Pow(0.5, float64(rejected)); h.LRScale != want {
		t.Errorf("LRScale %g after %d rejections, want %g", h.LRScale, rejected, want)
	}
	if !reflect.DeepEqual(h.Best, bestPhi) || h.BestHeldOut != best {
		t.Errorf("Best %v (%g), want %v (%g)", h.Best, h.BestHeldOut, bestPhi, best)
	}
	got, err := h.Rule()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := cfg.Problem.Params.Apply(cfg.Problem.Rule, bestPhi)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Rule() is not the best rule:\n%v\nwant\n%v", got, want)
	}

	// Without held-out seeds there is nothing to judge a step by.
	c := tinyConfig(t)
	c.Backtrack, c.EvalSeeds = true, nil
	if _, err := Train(context.Background(), c); err == nil || !strings.Contains(err.Error(), "Backtrack") {
		t.Errorf("Backtrack without EvalSeeds: err = %v, want one naming Backtrack", err)
	}
}

func heldOuts(h *History) []float64 {
	var out []float64
	for _, r := range h.Records {
		out = append(out, r.HeldOut)
	}
	return out
}

// TestTrainBacktrackDiverged checks that under Config.Backtrack a
// learning run that turns non-finite rejects the step instead of ending
// the training, and that without a best rule to return to it still ends
// it.
func TestTrainBacktrackDiverged(t *testing.T) {
	var poison atomic.Bool
	cfg := tinyConfig(t)
	base, err := cfg.Task.Build()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Problem.Task = task.Func{Name: "poisoned", Types: base.NumTypes(), Inputs: base.NumInputs(), Length: base.Steps(),
		Fill: func(dst *task.Trial, typ int, rng *rand.Rand) {
			base.Trial(dst, typ, rng)
			if poison.Load() {
				dst.SetTarget(dst.EvalStart, dst.EvalEnd, math.NaN())
			}
		}}
	cfg.Backtrack, cfg.Iterations = true, 3
	cfg.Progress = func(Record) { poison.Store(true) }
	h, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatalf("err = %v, want the diverged steps rejected", err)
	}
	for i, r := range h.Records[1:] {
		if !r.Rejected || !strings.Contains(r.Diverged, "non-finite") {
			t.Errorf("record %d: rejected %v, diverged %q; want a rejection naming the non-finite value", i+1, r.Rejected, r.Diverged)
		}
	}
	if !reflect.DeepEqual(h.Best, h.Records[0].Phi) || h.LRScale != 0.25 {
		t.Errorf("best %v, LR scale %g; want the first rule and 0.25", h.Best, h.LRScale)
	}
	// Poisoned from the start there is no best rule: the error ends it.
	poison.Store(true)
	cfg.Progress = nil
	if _, err := Train(context.Background(), cfg); err == nil {
		t.Error("a run non-finite at iteration 0 trained on")
	}
}
