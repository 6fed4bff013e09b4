package meta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/optim"
	"github.com/plasticnb/plasticnb/plasticlib/store"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// TaskSpec names a built-in task and its config, so that a training
// config is JSON-serialisable. Exactly one field is set.
type TaskSpec struct {
	DNMS     *task.DNMSConfig     `json:"dnms,omitempty"`
	Context  *task.ContextConfig  `json:"context,omitempty"`
	Evidence *task.EvidenceConfig `json:"evidence,omitempty"`
}

// Build returns the task.
func (s TaskSpec) Build() (task.Task, error) {
	switch {
	case s.DNMS != nil:
		return task.NewDNMS(*s.DNMS)
	case s.Context != nil:
		return task.NewContext(*s.Context)
	case s.Evidence != nil:
		return task.NewEvidence(*s.Evidence)
	}
	return nil, errors.New("meta.TaskSpec: no task set")
}

// Optimizer names the outer optimiser.
type Optimizer string

const (
	Adam Optimizer = "adam" // the default
	SGD  Optimizer = "sgd"
)

// Precondition names how the outer step is scaled per meta-parameter.
type Precondition string

const (
	// NoPrecondition gives every meta-parameter the same step size LR
	// (Adam's per-coordinate normalisation).
	NoPrecondition Precondition = ""
	// BasisScale (DefaultConfig's) divides the step of each theta_kl by
	// the size of its basis term: the Frobenius norm b_kl of the trace of
	// r^k dx^l alone over the first trial of the first training seed
	// (which does not depend on the rule: the weights change only at trial
	// end), relative to the geometric mean of the b_kl. The step in
	// theta_kl is then LR s_kl with s_kl = geomean(b) / b_kl, so that every
	// coefficient's step changes the trace by about the same amount. The
	// basis terms' sizes differ by orders of magnitude (at N = 50, dt = 5
	// ms, context integration: 23 for r^3 dx to 6900 for r^0 dx^0), and
	// equal steps on all of them drive the rule, after a step or two, into
	// the weight-change clip, where the meta-gradient vanishes.
	// Equivalent to running the optimiser on theta_kl / s_kl; log tau_e,
	// log tau_w and log eta keep s = 1.
	BasisScale Precondition = "basis"
)

// Config configures meta-training (Train). It is JSON-serialisable (but
// for the callbacks): saved with the results, it reproduces them bit for
// bit. Start from DefaultConfig.
type Config struct {
	// Problem is the learning run and the meta-parameters; its Task is
	// built from Task when nil (a user-defined task cannot be checkpointed
	// by name: it is then not part of the config).
	Problem Problem  `json:"problem"`
	Task    TaskSpec `json:"task"`
	// Estimator selects the meta-gradient. Default exact.
	Estimator EstimatorConfig `json:"estimator"`
	// Iterations is the number of meta-iterations. Default 10.
	Iterations int `json:"iterations"`
	// Optimizer is Adam (default) or SGD; LR its step size (default 1e-2);
	// Beta1, Beta2, Eps Adam's (defaults 0.9, 0.999, 1e-8).
	Optimizer         Optimizer `json:"optimizer"`
	LR                float64   `json:"lr"`
	Beta1, Beta2, Eps float64
	// ClipNorm > 0 rescales the (preconditioned) gradient to norm at most
	// ClipNorm before the step. Default 1.
	ClipNorm float64 `json:"clip_norm"`
	// Precondition scales the step per meta-parameter. DefaultConfig's is
	// BasisScale; the zero value is NoPrecondition.
	Precondition Precondition `json:"precondition,omitempty"`
	// Seeds is the number of learning runs (training seeds) per
	// meta-iteration, run in parallel, their gradients averaged. Default 2.
	Seeds int `json:"seeds"`
	// SeedNormalize scales each seed's preconditioned gradient (s_q g_q)
	// to unit norm before the seeds are averaged for the step. In the
	// chaotic regime the gradients are heavy-tailed (at the paper setting
	// one iteration's 4-seed mean was 10 to 100 times the others'), and a
	// plain average then follows the largest seed, in direction and,
	// through Adam's second moment, in the size of the later steps.
	// Record.Grad stays the plain mean; Record.SeedNorms shows the norms.
	SeedNormalize bool `json:"seed_normalize,omitempty"`
	// Backtrack rejects a step whose rule scores lower on the held-out
	// seeds than the best rule so far, or makes a learning run diverge (a
	// *NonFiniteError): the rejected iteration's gradient is not used, the
	// next rule tried is halfway between the best and the rejected one,
	// and every later step is taken at half the rate (History.LRScale).
	// The held-out seeds then select the steps, so judge the result on
	// other seeds. History.Rule returns the best rule. Needs EvalSeeds.
	Backtrack bool `json:"backtrack,omitempty"`
	// Seed derives the training seeds: run b of iteration it uses seed
	// Seed*1000003 + it*Seeds + b (common random numbers within an
	// iteration, fresh ones across). Default 0.
	Seed uint64 `json:"seed"`
	// Threshold: a trial is correct when its error is below it (Record.Final).
	// Default (0) 1, Miconi's.
	Threshold float64 `json:"threshold,omitempty"`
	// EvalSeeds are the held-out learning seeds, evaluated at every
	// iteration. Default {1000000001, ..., 1000000004}.
	EvalSeeds []uint64 `json:"eval_seeds"`
	// Checkpoint, when not empty, is a JSON file written after every
	// iteration (atomically); Train resumes from it when it exists.
	Checkpoint string `json:"-"`
	// Progress is called after every iteration; EpisodeProgress after
	// every episode of every learning run of the first training seed's
	// estimator (from its goroutine; ES and finite differences run
	// several learning runs per gradient).
	Progress        func(Record)                 `json:"-"`
	EpisodeProgress func(episode int, e float64) `json:"-"`
}

// DefaultConfig returns Adam at lr 1e-2 with basis-scaled steps, clip 1,
// 10 iterations, 2 seeds per iteration, for the given problem and task.
func DefaultConfig(p Problem, ts TaskSpec) Config {
	return Config{Problem: p, Task: ts, Iterations: 10, Optimizer: Adam, LR: 1e-2, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8,
		ClipNorm: 1, Precondition: BasisScale, Seeds: 2, EvalSeeds: []uint64{1000000001, 1000000002, 1000000003, 1000000004}}
}

func (c *Config) threshold() float64 {
	if c.Threshold > 0 {
		return c.Threshold
	}
	return DefaultThreshold
}

// Record is one meta-iteration.
type Record struct {
	Iteration int `json:"iteration"`
	// Phi are the meta-parameters at which the iteration was evaluated
	// (before its step), Grad the averaged (unclipped) gradient.
	Phi  []float64 `json:"phi"`
	Grad []float64 `json:"grad"`
	// SeedNorms are the norms of the training seeds' preconditioned
	// gradients (s_q g_q), seed by seed.
	SeedNorms []float64 `json:"seed_norms,omitempty"`
	// Objective is the mean training objective; HeldOut the mean objective
	// over EvalSeeds; Final the held-out runs' final performance: the
	// fraction of correct trials (error below Config.Threshold) over the
	// last quarter of their episodes.
	Objective float64 `json:"objective"`
	HeldOut   float64 `json:"held_out"`
	Final     float64 `json:"final"`
	// Rejected (under Config.Backtrack): the rule scored below the best
	// so far on the held-out seeds, or Diverged names the non-finite
	// value a learning run reached (its objectives and gradient are then
	// zero, its seed norms absent); no step was taken from it.
	Rejected bool   `json:"rejected,omitempty"`
	Diverged string `json:"diverged,omitempty"`
	// Seconds is the iteration's wall time (its learning runs side by side).
	Seconds float64 `json:"seconds"`
}

// History is a meta-training run: its config, parameter names, records,
// and the current meta-parameters.
type History struct {
	Config  Config    `json:"config"`
	Names   []string  `json:"names"`
	Records []Record  `json:"records"`
	Phi     []float64 `json:"phi"`
	// Scale is the per-meta-parameter step scale s (all 1 without
	// preconditioning; see BasisScale).
	Scale []float64 `json:"scale,omitempty"`
	// Adam state.
	M []float64 `json:"adam_m,omitempty"`
	V []float64 `json:"adam_v,omitempty"`
	// Under Config.Backtrack: Best, the meta-parameters of the best
	// accepted iteration, its held-out objective BestHeldOut, and LRScale,
	// the factor on Config.LR left by the rejections (0 means 1).
	Best        []float64 `json:"best,omitempty"`
	BestHeldOut float64   `json:"best_held_out,omitempty"`
	LRScale     float64   `json:"lr_scale,omitempty"`
}

// IterationError wraps an error of meta-iteration Iteration.
type IterationError struct {
	Iteration int
	Err       error
}

func (e *IterationError) Error() string {
	return fmt.Sprintf("meta: iteration %d: %v", e.Iteration, e.Err)
}
func (e *IterationError) Unwrap() error { return e.Err }

func (c *Config) validate() error {
	var errs []error
	add := func(f, format string, a ...any) {
		errs = append(errs, field.Errorf("meta.Config."+f, format, a...))
	}
	if c.Iterations < 0 {
		add("Iterations", "must be >= 0, got %d", c.Iterations)
	}
	if c.Optimizer != Adam && c.Optimizer != SGD {
		add("Optimizer", "must be adam or sgd, got %q", c.Optimizer)
	}
	if !(c.LR > 0) {
		add("LR", "must be > 0, got %g", c.LR)
	}
	if c.Optimizer == Adam && !(c.Beta1 >= 0 && c.Beta1 < 1 && c.Beta2 >= 0 && c.Beta2 < 1 && c.Eps > 0) {
		add("Beta1, Beta2, Eps", "need 0 <= beta < 1 and eps > 0")
	}
	if !(c.ClipNorm >= 0) {
		add("ClipNorm", "must be >= 0")
	}
	if c.Precondition != NoPrecondition && c.Precondition != BasisScale {
		add("Precondition", "must be \"\" or basis, got %q", c.Precondition)
	}
	if c.Seeds < 1 {
		add("Seeds", "must be >= 1, got %d", c.Seeds)
	}
	if c.Backtrack && len(c.EvalSeeds) == 0 {
		add("Backtrack", "needs held-out seeds (EvalSeeds) to judge the steps")
	}
	if err := c.Estimator.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Train meta-trains the rule of cfg.Problem. It returns the history; on
// ctx cancellation, the history so far and an error wrapping ctx.Err(); on
// a non-finite gradient or objective, the history so far and an
// *IterationError wrapping a *NonFiniteError (the checkpoint keeps the
// last good iteration).
func Train(ctx context.Context, cfg Config) (*History, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	p, err := cfg.problem()
	if err != nil {
		return nil, err
	}
	h := &History{Config: cfg, Names: p.Params.Names(p.Rule), Phi: p.Params.Get(p.Rule)}
	np := len(h.Phi)
	h.M, h.V = make([]float64, np), make([]float64, np)
	if h.Scale, err = stepScales(p, cfg); err != nil {
		return nil, err
	}
	if cfg.Checkpoint != "" {
		if err := h.resume(cfg); err != nil {
			return nil, err
		}
	}
	ests := make([]Estimator, cfg.Seeds)
	for b := range ests {
		var err error
		if ests[b], err = NewEstimator(p, cfg.Estimator); err != nil {
			return nil, err
		}
	}
	for _, est := range ests {
		if es, ok := est.(*esEstimator); ok {
			es.scale = h.Scale
		}
	}
	if cfg.EpisodeProgress != nil {
		if e := engineOf(ests[0]); e != nil {
			e.onEpisode = cfg.EpisodeProgress
		}
	}
	evals := make([]*Engine, len(cfg.EvalSeeds))
	for k, s := range cfg.EvalSeeds {
		var err error
		if evals[k], err = NewEngine(p); err != nil {
			return nil, err
		}
		evals[k].SetSeed(s) // with FreshNet, its own network too
	}
	// Runs in flight: each engine splits its trials between two
	// goroutines, so GOMAXPROCS/2 runs fill the machine; at least 2 (the
	// earlier fixed value), so that on 2 cores one run's serial parts
	// overlap the other's.
	sem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)/2))
	for it := len(h.Records); it < cfg.Iterations; it++ {
		if err := ctx.Err(); err != nil {
			return h, fmt.Errorf("meta: training cancelled after %d of %d iterations: %w", it, cfg.Iterations, err)
		}
		began := time.Now()
		rec := Record{Iteration: it, Phi: append([]float64(nil), h.Phi...), Grad: make([]float64, np)}
		objs := make([]float64, cfg.Seeds)
		grads := make([][]float64, cfg.Seeds)
		errs := make([]error, cfg.Seeds+len(evals))
		heldOut := make([]float64, len(evals))
		final := make([]float64, len(evals))
		var wg sync.WaitGroup
		for b, est := range ests {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				est.SetSeed(cfg.Seed*1000003 + uint64(it*cfg.Seeds+b))
				objs[b], grads[b], errs[b] = est.Gradient(ctx, rec.Phi)
			}()
		}
		for k, e := range evals {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				heldOut[k], errs[cfg.Seeds+k] = e.Objective(rec.Phi)
				er := e.Errors()
				q := max(len(er)/4, 1)
				for _, v := range er[len(er)-q:] {
					if v < cfg.threshold() {
						final[k] += 1 / float64(q)
					}
				}
			}()
		}
		wg.Wait()
		canBacktrack := cfg.Backtrack && h.Best != nil
		for _, err := range errs {
			if err != nil {
				var nf *NonFiniteError
				if errors.As(err, &nf) {
					nf.Iteration = it
				}
				if ctx.Err() != nil {
					return h, fmt.Errorf("meta: training cancelled after %d of %d iterations: %w", it, cfg.Iterations, ctx.Err())
				}
				if nf == nil || !canBacktrack {
					return h, &IterationError{Iteration: it, Err: err}
				}
				if rec.Diverged == "" {
					rec.Diverged = nf.Error()
				}
			}
		}
		var g []float64
		if rec.Diverged == "" {
			for b := range ests {
				rec.Objective += objs[b] / float64(cfg.Seeds)
				for q, g := range grads[b] {
					rec.Grad[q] += g / float64(cfg.Seeds)
				}
			}
			for k := range evals {
				rec.HeldOut += heldOut[k] / float64(len(evals))
				rec.Final += final[k] / float64(len(evals))
			}
			for q, g := range rec.Grad {
				if math.IsNaN(g) || math.IsInf(g, 0) {
					nf := &NonFiniteError{Iteration: it, Episode: -1, Param: h.Names[q]}
					if !canBacktrack {
						return h, &IterationError{Iteration: it, Err: nf}
					}
					rec.Diverged = nf.Error()
					rec.Objective, rec.HeldOut, rec.Final = 0, 0, 0
					clear(rec.Grad)
					break
				}
			}
		}
		if rec.Diverged == "" {
			rec.SeedNorms, g = h.seedMean(grads, rec.Grad)
		}
		if rec.Diverged != "" || canBacktrack && rec.HeldOut < h.BestHeldOut {
			h.reject(&rec)
		} else {
			if cfg.Backtrack {
				h.Best, h.BestHeldOut = append([]float64(nil), rec.Phi...), rec.HeldOut
			}
			h.step(g, h.steps()+1)
		}
		rec.Seconds = time.Since(began).Seconds()
		h.Records = append(h.Records, rec)
		if cfg.Checkpoint != "" {
			if err := h.save(cfg.Checkpoint); err != nil {
				return h, &IterationError{Iteration: it, Err: err}
			}
		}
		if cfg.Progress != nil {
			cfg.Progress(rec)
		}
	}
	return h, nil
}

// problem is the config's problem with its Task built from Task when
// nil.
func (c *Config) problem() (Problem, error) {
	p := c.Problem
	if p.Task == nil {
		tk, err := c.Task.Build()
		if err != nil {
			return p, err
		}
		p.Task = tk
	}
	return p, nil
}

// reject records that rec's rule was not accepted (Config.Backtrack) and
// backtracks: the next rule is halfway between the best and rec's, and the
// rate is halved.
func (h *History) reject(rec *Record) {
	rec.Rejected = true
	for q := range h.Phi {
		h.Phi[q] = h.Best[q] + (rec.Phi[q]-h.Best[q])/2
	}
	h.LRScale = h.lrScale() / 2
}

// steps is the number of steps taken: the accepted iterations.
func (h *History) steps() int {
	n := 0
	for _, r := range h.Records {
		if !r.Rejected {
			n++
		}
	}
	return n
}

func (h *History) lrScale() float64 {
	if h.LRScale > 0 {
		return h.LRScale
	}
	return 1
}

func engineOf(est Estimator) *Engine {
	switch e := est.(type) {
	case tangentEstimator:
		return e.e
	case *fdEstimator:
		return e.e
	case *esEstimator:
		return e.e
	}
	return nil
}

// stepScales returns the per-meta-parameter step scales of cfg's
// Precondition (see BasisScale), from p's initial rule and the first
// training seed, so that a resumed run gets the same ones.
func stepScales(p Problem, cfg Config) ([]float64, error) {
	list := p.Params.list(p.Rule)
	s := make([]float64, len(list))
	for q := range s {
		s[q] = 1
	}
	if cfg.Precondition != BasisScale {
		return s, nil
	}
	// The scales are read from the trace tangents of one episode, in
	// float64 whatever the problem's precision (e.de is float64 only).
	p.Learn.Episodes, p.LastM, p.Learn.Seed = 1, 0, cfg.Seed*1000003
	p.Learn.Precision = linalg.Float64
	e, err := newEngine(p, true)
	if err != nil {
		return nil, err
	}
	e.fullTraces = true // the scales are the traces' norms, not their sums
	phi := e.Phi()
	if _, err := e.Gradient(phi, make([]float64, len(phi))); err != nil {
		return nil, err
	}
	nn := e.n * e.n
	b := make([]float64, len(list))
	logSum, cnt := 0.0, 0
	for q, pr := range list {
		if pr.kind != kindTheta {
			continue
		}
		b[q] = sqrtDot(e.de[q*nn : (q+1)*nn])
		if b[q] > 0 && !math.IsInf(b[q], 0) {
			logSum += math.Log(b[q])
			cnt++
		}
	}
	if cnt == 0 {
		return s, nil
	}
	ref := math.Exp(logSum / float64(cnt))
	for q, pr := range list {
		if pr.kind == kindTheta && b[q] > 0 && !math.IsInf(b[q], 0) {
			s[q] = ref / b[q]
		}
	}
	return s, nil
}

// seedMean returns the norms of the seeds' preconditioned gradients and
// the gradient the step takes: mean, the plain average, or under
// SeedNormalize the average of the seeds' gradients each divided by its
// norm (a seed with a zero gradient adds nothing).
func (h *History) seedMean(grads [][]float64, mean []float64) ([]float64, []float64) {
	norms := make([]float64, len(grads))
	for b, g := range grads {
		for q, v := range g {
			v *= h.scale(q)
			norms[b] += v * v
		}
		norms[b] = math.Sqrt(norms[b])
	}
	if !h.Config.SeedNormalize {
		return norms, mean
	}
	out := make([]float64, len(mean))
	for b, g := range grads {
		if norms[b] == 0 {
			continue
		}
		for q, v := range g {
			out[q] += v / norms[b] / float64(len(grads))
		}
	}
	return norms, out
}

// step takes one ascent step on the objective from gradient g; t is
// Adam's step count (1-based). The optimiser runs on phi_q / s_q (s =
// h.Scale): its gradient s_q g_q is clipped to ClipNorm, and its step is
// scaled back by s_q.
func (h *History) step(g []float64, t int) {
	c := &h.Config
	gs := make([]float64, len(g))
	for q, gq := range g {
		gs[q] = gq * h.scale(q)
	}
	clip := 1.0
	if c.ClipNorm > 0 {
		if n := math.Sqrt(dot(gs, gs)); n > c.ClipNorm {
			clip = c.ClipNorm / n
		}
	}
	for q := range gs {
		gs[q] *= clip
	}
	lr := c.LR * h.lrScale()
	var m optim.Method = optim.SGD{LR: lr}
	if c.Optimizer != SGD {
		m = &optim.Adam{LR: lr, Beta1: c.Beta1, Beta2: c.Beta2, Eps: c.Eps, M: h.M, V: h.V}
	}
	d := make([]float64, len(gs))
	m.Step(d, gs, t)
	for q, v := range d {
		h.Phi[q] += h.scale(q) * v
	}
}

func (h *History) scale(q int) float64 {
	if q < len(h.Scale) {
		return h.Scale[q]
	}
	return 1
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// save writes h to path atomically (a temporary file renamed).
func (h *History) save(path string) error { return store.SaveCheckpoint(path, h) }

// resume loads the checkpoint at cfg.Checkpoint, if any, into h, after
// checking that it was written under the same config (Iterations may
// differ).
func (h *History) resume(cfg Config) error {
	var old History
	if ok, err := store.LoadCheckpoint(cfg.Checkpoint, &old); !ok || err != nil {
		return err
	}
	a, c := cfg, old.Config
	a.Iterations, c.Iterations = 0, 0
	if diff := configDiff(a, c); len(diff) > 0 {
		return fmt.Errorf("meta: checkpoint %s was written under another config: %v differ", cfg.Checkpoint, diff)
	}
	if len(old.Phi) != len(h.Phi) {
		return fmt.Errorf("meta: checkpoint %s has %d meta-parameters, want %d", cfg.Checkpoint, len(old.Phi), len(h.Phi))
	}
	old.Config = cfg
	old.Scale = h.Scale
	*h = old
	return nil
}

// configDiff lists the JSON paths at which a and b differ.
func configDiff(a, b Config) []string {
	var ma, mb any
	for _, x := range []struct {
		c Config
		m *any
	}{{a, &ma}, {b, &mb}} {
		j, _ := json.Marshal(x.c)
		d := json.NewDecoder(bytes.NewReader(j))
		d.UseNumber()
		_ = d.Decode(x.m)
	}
	var out []string
	var walk func(path string, x, y any)
	walk = func(path string, x, y any) {
		mx, okx := x.(map[string]any)
		my, oky := y.(map[string]any)
		if okx && oky {
			keys := map[string]bool{}
			for k := range mx {
				keys[k] = true
			}
			for k := range my {
				keys[k] = true
			}
			ks := make([]string, 0, len(keys))
			for k := range keys {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				walk(path+"."+k, mx[k], my[k])
			}
			return
		}
		jx, _ := json.Marshal(x)
		jy, _ := json.Marshal(y)
		if !bytes.Equal(jx, jy) {
			out = append(out, fmt.Sprintf("%s (%s vs checkpoint's %s)", path[1:], jx, jy))
		}
	}
	walk("", ma, mb)
	return out
}

func sqrtDot(a []float64) float64 { return math.Sqrt(dot(a, a)) }
