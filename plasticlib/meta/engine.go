package meta

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Smooth makes the inner loop differentiable.
type Smooth struct {
	// AbsEps > 0 replaces |u| in the trial error by sqrt(AbsEps + u^2).
	// Default 0 (exact |.|, the learner's).
	AbsEps float64 `json:"abs_eps"`
	// Clip replaces the weight-change clip to [-MaxDW, MaxDW] by
	// MaxDW tanh(u / MaxDW). Default false (the learner's hard clip).
	Clip bool `json:"clip"`
}

// Problem is one meta-learning problem: a learning run (network, task,
// rule, learning config) and the meta-parameters. Its learning run is the
// one learn.Run(ctx, Net, Task, Rule, Learn) performs.
type Problem struct {
	Net network.Config `json:"net"`
	// Task is not serialised: a Config names it (see TaskSpec).
	Task  task.Task    `json:"-"`
	Rule  rule.Rule    `json:"rule"`
	Learn learn.Config `json:"learn"`
	// Params selects the meta-parameters.
	Params Params `json:"params"`
	Smooth Smooth `json:"smooth"`
	// LastM > 0 averages the reward over the last LastM episodes only.
	// Default 0 (all episodes).
	LastM int `json:"last_m"`
	// L1 is beta of the penalty -beta sum |theta_kl| (over the theta
	// meta-parameters). Default 0.
	L1 float64 `json:"l1"`
	// Horizon > 0 truncates the state tangents: dx, dxbar, dr are reset to
	// zero after every Horizon steps of a trial (counted from trial start;
	// dJ, the trace tangents and the baselines' tangents are kept), so that
	// no state tangent is carried over more than Horizon steps. A remedy
	// for tangents that explode in the chaotic regime, biased (its bias
	// against finite differences is measured by TestHorizonBias).
	// Default 0 (exact).
	Horizon int `json:"horizon"`
	// ClipTangent > 0 rescales each meta-parameter's dJ/dphi_p at trial
	// end so that its Frobenius norm is at most ClipTangent. Biased.
	// Default 0 (none).
	ClipTangent float64 `json:"clip_tangent"`
	// FreshNet draws a new network for every learning seed: SetSeed sets
	// Net.Seed as well as Learn.Seed, so that each training and held-out
	// run learns on its own J and W_in (the paper's "random initial J")
	// instead of the one network of Net.Seed. Default false.
	FreshNet bool `json:"fresh_net,omitempty"`
}

// Validate reports what the engine does not support, naming the field.
func (p *Problem) Validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("meta.Problem.%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if err := p.Net.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := p.Rule.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := p.Learn.Validate(); err != nil {
		errs = append(errs, err)
	}
	if p.Task == nil {
		add("Task", "nil")
	} else if err := task.Validate(p.Task); err != nil {
		errs = append(errs, err)
	} else {
		// As learn.New checks: a network stepped at another dt than the
		// task's would run its trials on the wrong clock.
		if d, ok := p.Task.(task.Dter); ok && d.Dt() != p.Net.Dt {
			add("Net.Dt", "is %g ms, but the task's Dt is %g ms", p.Net.Dt, d.Dt())
		}
		if p.Task.NumInputs() != p.Net.NumInputs {
			add("Net.NumInputs", "is %d, but the task has %d input channels", p.Net.NumInputs, p.Task.NumInputs())
		}
	}
	if p.Rule.Kind != rule.Polynomial {
		add("Rule.Kind", "must be polynomial, got %s", p.Rule.Kind)
	}
	if p.Net.Nonlinearity != network.Tanh {
		add("Net.Nonlinearity", "must be tanh")
	}
	if p.Net.Readout != network.NeuronReadout {
		add("Net.Readout", "must be the neuron readout")
	}
	if p.Net.ConnProb != 1 || p.Net.Dale {
		add("Net.ConnProb", "sparse or Dale networks are not supported")
	}
	if p.Params.LogTauE && !(p.Rule.TauE > 0) {
		add("Rule.TauE", "must be finite and > 0 to meta-learn log tau_e, got %g", p.Rule.TauE)
	}
	if p.Params.LogTauW && !(p.Rule.TauW > 0) {
		add("Rule.TauW", "must be finite and > 0 to meta-learn log tau_w, got %g", p.Rule.TauW)
	}
	if p.Params.LogEta && !(p.Rule.Eta > 0) {
		add("Rule.Eta", "must be > 0 to meta-learn log eta, got %g", p.Rule.Eta)
	}
	if p.LastM < 0 || p.LastM > p.Learn.Episodes {
		add("LastM", "must be in [0, Learn.Episodes], got %d", p.LastM)
	}
	if p.Learn.Episodes < 1 {
		add("Learn.Episodes", "must be >= 1")
	}
	if !(p.Smooth.AbsEps >= 0) || !(p.L1 >= 0) || p.Horizon < 0 || !(p.ClipTangent >= 0) {
		add("Smooth.AbsEps, L1, Horizon, ClipTangent", "must be >= 0")
	}
	return errors.Join(errs...)
}

// NonFiniteError reports a non-finite objective, state or gradient.
type NonFiniteError struct {
	Iteration int    // meta-iteration (-1 outside Train)
	Episode   int    // episode of the learning run (-1: the objective)
	Param     string // meta-parameter whose tangent is not finite ("" for the primal)
}

func (e *NonFiniteError) Error() string {
	what := "state"
	if e.Param != "" {
		what = "tangent of " + e.Param
	}
	return fmt.Sprintf("meta: non-finite %s at iteration %d, episode %d", what, e.Iteration, e.Episode)
}

// Engine computes a problem's objective and its exact meta-gradient. It
// owns its workspace.
type Engine struct {
	prob   Problem
	params []param
	names  []string
	// Frozen drops the activity tangents (dx, dxbar, dr and dJ's effect on
	// activity): the trace tangents keep the basis terms alone. The
	// truncated estimator's engine.
	frozen bool
	// onEpisode, if not nil, is called after every episode.
	onEpisode func(ep int, e float64)

	n, np, steps, nk, rows int
	traced                 int // steps at which the trace accumulates
	net                    *network.Net
	trial                  task.Trial
	pert                   network.Perturbations
	// The trial's primal record, written by the primal pass and read by
	// the tangent passes.
	rp, rr        []float64 // steps x n: r_prev and r of each step
	dxs           []float64 // traced x n: dx of each traced step
	scale, dscale []float64 // traced: lambda^(T-1-t) and its d/d log tau_e
	pre, post     []float64 // rows x n (row k*traced + it)
	dpk           []float64 // rows x n: scale P_k'(dx)
	pkd           []float64 // rows x n: dscale P_k(dx) (if log tau_e is a meta-parameter)
	kpost         []float64 // (nk-1) traced x n: row (k-1)*traced + it is k post_k
	xl            []float64 // nl traced x n: row l*traced + it is scale dx^l
	nl            int       // number of post-synaptic powers (L + 1)
	logTauE       bool
	ds            []float64 // steps: d|u|/du of the trial error (0 outside the window)
	// Tangents.
	dd, dr1      []float64 // traced x n x np: ddx_p and dr_prev,p of each traced step ([it][i][p])
	deT          []float64 // np x n x n: the V part of de_p, transposed
	wbuf         []float64 // per half: an ib x tc x n block of W_t or Q_t^T ([i][t][j])
	tc, ib       int       // traced steps, rows per block of wbuf
	elig         []float64 // n x n
	de           []float64 // np x n x n
	dj           []float64 // np x n x n
	hv           []float64 // np x steps x n: block [lo,hi) is steps x (hi-lo) n, row t = dJ_p r_prev(t)
	xt, xbt, dxt []float64 // np x n
	rtA, rtB     []float64 // np x n: dr of the step and of the previous one (alternating)
	g            []float64 // np x n
	dz, dc       []float64 // np: tangent of the trial error; of c
	slope, dw    []float64 // n x n: the update's clip slope and weight change
	bias         []int
	dBase        []float64 // types x np
	errs         []float64 // per-episode errors
	dErrs        []float64 // per-episode error tangents (episodes x np)
	// The worker goroutine of a run (see parallel).
	jobs, done chan struct{}
	job        struct {
		span   func(lo, hi int)
		lo, hi int
	}
	tangentSpan, updateSpan func(lo, hi int) // parallel's spans, made once
	traceSpan, tposeSpan    func(lo, hi int)
	eligFn                  func()
	ta                      trialArgs
	upd                     updateArgs
}

// NewEngine validates p and allocates the engine's workspace.
func NewEngine(p Problem) (*Engine, error) {
	return newEngine(p, false)
}

func newEngine(p Problem, frozen bool) (*Engine, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{prob: p, frozen: frozen}
	e.prob.Rule = p.Rule.Clone()
	e.params = p.Params.list(p.Rule)
	for _, q := range e.params {
		e.names = append(e.names, q.String())
	}
	n, np := p.Net.N, len(e.params)
	e.n, e.np = n, np
	e.steps = p.Task.Steps()
	e.nk = p.Rule.K() + 1
	e.traced = max(e.steps-(p.Learn.TraceAfter+1), 0)
	e.rows = e.traced * e.nk
	for _, s := range []*[]float64{&e.pre, &e.post, &e.dpk} {
		*s = make([]float64, e.rows*n)
	}
	e.nl = len(p.Rule.Theta[0])
	e.kpost = make([]float64, (e.nk-1)*e.traced*n)
	e.xl = make([]float64, e.nl*e.traced*n)
	for _, q := range e.params {
		if q.kind == kindLogTauE {
			e.logTauE = true
			e.pkd = make([]float64, e.rows*n)
		}
	}
	e.rp = make([]float64, e.steps*n)
	e.dxs = make([]float64, e.traced*n)
	e.scale = make([]float64, e.traced)
	e.dscale = make([]float64, e.traced)
	e.rr = make([]float64, e.steps*n)
	e.ds = make([]float64, e.steps)
	e.dd = make([]float64, e.traced*n*np)
	e.dr1 = make([]float64, e.traced*n*np)
	e.deT = make([]float64, np*n*n)
	e.tc = max(1, min(e.traced, traceBlock))
	e.ib = max(1, min(n-n/2, rowBlock/(e.tc*n)))
	e.wbuf = make([]float64, 2*e.ib*e.tc*n)
	e.elig = make([]float64, n*n)
	e.slope = make([]float64, n*n)
	e.dw = make([]float64, n*n)
	e.de = make([]float64, np*n*n)
	e.dj = make([]float64, np*n*n)
	e.hv = make([]float64, np*e.steps*n)
	for _, s := range []*[]float64{&e.xt, &e.xbt, &e.dxt, &e.rtA, &e.rtB, &e.g} {
		*s = make([]float64, n*np)
	}
	e.dz = make([]float64, np)
	e.dc = make([]float64, np)
	e.bias = p.Net.BiasUnits
	e.dBase = make([]float64, p.Task.NumTypes()*np)
	e.errs = make([]float64, p.Learn.Episodes)
	e.dErrs = make([]float64, p.Learn.Episodes*np)
	e.trial.Reset(e.steps, p.Task.NumInputs())
	e.tangentSpan = func(lo, hi int) { e.tangentRange(&e.ta, lo, hi) }
	e.updateSpan = e.updateRange
	e.eligFn = e.eligibility
	e.traceSpan = e.traceRows
	e.tposeSpan = e.addTransposed
	return e, nil
}

// Names returns the meta-parameters' names, in phi's order.
func (e *Engine) Names() []string { return e.names }

// Phi returns the problem rule's meta-parameters.
func (e *Engine) Phi() []float64 { return e.prob.Params.Get(e.prob.Rule) }

// Errors returns the per-episode errors of the last run (a view).
func (e *Engine) Errors() []float64 { return e.errs }

// Objective runs the learning run under phi and returns the objective,
// without tangents.
func (e *Engine) Objective(phi []float64) (float64, error) {
	return e.run(phi, nil, false)
}

// Gradient runs the learning run under phi carrying the tangents; it
// writes d objective / d phi into grad (len(phi)) and returns the
// objective.
func (e *Engine) Gradient(phi, grad []float64) (float64, error) {
	if len(grad) != e.np {
		return 0, fmt.Errorf("meta: grad has %d values, want %d", len(grad), e.np)
	}
	return e.run(phi, grad, true)
}

// SetSeed sets the learning run's seed (Learn.Seed: trials, initial
// states, perturbations; with FreshNet, also Net.Seed: the network).
func (e *Engine) SetSeed(seed uint64) {
	e.prob.Learn.Seed = seed
	if e.prob.FreshNet {
		e.prob.Net.Seed = seed
	}
}

// Problem returns the engine's problem.
func (e *Engine) Problem() Problem { return e.prob }

// run is the learning run with its tangents. Each trial: the primal pass
// (the learner's steps, recorded); then, on the calling goroutine and the
// engine's worker, each taking half of the meta-parameters, the tangents
// through the recorded trial (dJ_p r_prev of all steps as one product,
// then step by step the state tangents), the primal eligibility beside
// them; the trace tangents (rows split between the two); the weight
// update, and dJ's with the trace tangents' transposed part
// (meta-parameters split). A trial hands three stages to the worker and
// allocates nothing.
func (e *Engine) run(phi, grad []float64, tangents bool) (float64, error) {
	p := &e.prob
	r, err := p.Params.Apply(p.Rule, phi)
	if err != nil {
		return 0, err
	}
	net, err := network.New(p.Net)
	if err != nil {
		return 0, err
	}
	e.net = net
	e.startWorker()
	defer e.stopWorker()
	n, np, steps := e.n, e.np, e.steps
	if !tangents {
		np = 0
	}
	clear(e.dj)
	clear(e.xbt)
	clear(e.dBase)
	base := make([]float64, p.Task.NumTypes())
	streams := learn.NewStreams(p.Learn.Seed)
	dt := p.Net.Dt
	lambda := r.LambdaE(dt)
	dLogLam := 0.0 // d log lambda / d log tau_e = dt / tau_e
	if r.TauE > 0 {
		dLogLam = dt / r.TauE
	}
	alpha := dt / p.Net.Tau
	ax := p.Net.FilterAlpha
	out := p.Net.OutputNeuron
	invTauW := 0.0
	if r.TauW != 0 {
		invTauW = 1 / r.TauW
	}
	eps := p.Smooth.AbsEps
	jd := net.J.RawMatrix().Data
	for ep := 0; ep < p.Learn.Episodes; ep++ {
		typ, err := streams.Next(&e.trial, &e.pert, net, p.Task, p.Learn.Order, ep)
		if err != nil {
			return 0, err
		}
		// Primal pass: the learner's trial, recorded for the tangent passes.
		errSum := 0.0
		for t := 0; t < steps; t++ {
			units, xi := e.pert.At(t)
			net.Step(e.trial.Input(t), units, xi)
			if ok, _ := net.Finite(); !ok {
				return math.NaN(), &NonFiniteError{Iteration: -1, Episode: ep}
			}
			if np > 0 {
				copy(e.rp[t*n:(t+1)*n], net.RPrev)
				copy(e.rr[t*n:(t+1)*n], net.R)
			}
			if t > p.Learn.TraceAfter {
				m := steps - 1 - t
				scale := 1.0
				if lambda != 1 {
					scale = math.Pow(lambda, float64(m))
				}
				it := t - p.Learn.TraceAfter - 1
				dscale := float64(m) * scale * dLogLam
				e.factorsPrimal(r.Theta, it, scale, dscale, np > 0)
			}
			e.ds[t] = 0
			if t >= e.trial.EvalStart && t < e.trial.EvalEnd {
				d := net.Z - e.trial.Target[t]
				var s, ds float64
				if eps > 0 {
					s = math.Sqrt(eps + d*d)
					ds = d / s
				} else {
					s = math.Abs(d)
					ds = 1
					if d < 0 {
						ds = -1
					} else if d == 0 {
						ds = 0
					}
				}
				errSum += s
				e.ds[t] = ds
			}
		}
		win := float64(e.trial.EvalEnd - e.trial.EvalStart)
		E := errSum / win
		if math.IsNaN(E) || math.IsInf(E, 0) {
			return math.NaN(), &NonFiniteError{Iteration: -1, Episode: ep}
		}
		e.errs[ep] = E
		if e.onEpisode != nil {
			e.onEpisode(ep, E)
		}
		// Tangent passes, the meta-parameters split between two goroutines,
		// and the primal eligibility.
		e.ta = trialArgs{jd: jd, alpha: alpha, ax: ax, out: out, theta: r.Theta}
		e.parallel(np, e.eligFn, e.tangentSpan)
		if np > 0 {
			e.parallel(n, nil, e.traceSpan)
			if !e.frozen && e.nk > 1 && ep < p.Learn.WarmUp {
				// No update: de's transposed part is added on its own (else
				// by updateRange).
				e.parallel(np, nil, e.tposeSpan)
			}
		}
		dE := e.dErrs[ep*e.np : ep*e.np+np]
		for q := range np {
			dE[q] = e.dz[q] / win
		}
		if e.frozen {
			// Truncated estimator: dR_n sum_ij de_ij,p with dR_n the
			// reward's advantage over its baseline, R_n - Rbar_c = Ebar_c - E.
			adv := base[typ] - E
			for q := range np {
				s := 0.0
				for _, v := range e.de[q*n*n : (q+1)*n*n] {
					s += v
				}
				dE[q] = -adv * s // stored as an error tangent: grad = -mean
			}
		}
		if ep >= p.Learn.WarmUp {
			npu := np
			if e.frozen {
				npu = 0
			}
			e.update(r, E, base[typ], e.dBase[typ*e.np:typ*e.np+npu], dE[:npu], invTauW, jd, npu)
		}
		a := p.Learn.BaselineDecay
		base[typ] = a*base[typ] + (1-a)*E
		db := e.dBase[typ*e.np : typ*e.np+np]
		for q := range np {
			if e.frozen {
				break
			}
			db[q] = a*db[q] + (1-a)*dE[q]
			if math.IsNaN(db[q]) || math.IsInf(db[q], 0) {
				return math.NaN(), &NonFiniteError{Iteration: -1, Episode: ep, Param: e.names[q]}
			}
		}
	}
	// Objective: mean reward over the counted episodes, minus the L1 penalty.
	first := 0
	if p.LastM > 0 {
		first = p.Learn.Episodes - p.LastM
	}
	cnt := float64(p.Learn.Episodes - first)
	obj := 0.0
	for _, E := range e.errs[first:] {
		obj -= E
	}
	obj /= cnt
	if tangents {
		clear(grad)
		for ep := first; ep < p.Learn.Episodes; ep++ {
			for q := range np {
				grad[q] -= e.dErrs[ep*e.np+q] / cnt
			}
		}
	}
	if p.L1 > 0 {
		for q, pr := range e.params {
			if pr.kind != kindTheta {
				continue
			}
			th := r.Theta[pr.k][pr.l]
			obj -= p.L1 * math.Abs(th)
			if tangents {
				s := 0.0
				if th > 0 {
					s = 1
				} else if th < 0 {
					s = -1
				}
				grad[q] -= p.L1 * s
			}
		}
	}
	if math.IsNaN(obj) || math.IsInf(obj, 0) {
		return obj, &NonFiniteError{Iteration: -1, Episode: -1}
	}
	for q := range np {
		if math.IsNaN(grad[q]) || math.IsInf(grad[q], 0) {
			return obj, &NonFiniteError{Iteration: -1, Episode: -1, Param: e.names[q]}
		}
	}
	return obj, nil
}

// traceBlock is the number of traced steps whose factor matrices W_t, Q_t
// are formed at once (see traceRows): 16 to 64 measured best at N = 100,
// all 197 steps 10% slower.
const traceBlock = 32

// rowBlock is the size (in float64s) of a block of W_t or Q_t^T rows
// formed at once, ib x traceBlock x N: 512 KB, so that it stays in a
// core's 1 MB L2 cache between its formation and its contraction.
const rowBlock = 1 << 16

// trialArgs are a trial's arguments of tangentRange.
type trialArgs struct {
	jd        []float64 // J (fixed during the trial)
	alpha, ax float64
	out       int
	theta     [][]float64
}

// parallel runs first and then span(0, np/2) on the calling goroutine and
// span(np/2, np) on the engine's worker goroutine (started by run), and
// waits for both. Without a worker (N < 32 or fewer than 2
// meta-parameters) it runs everything on the calling goroutine. The split
// is fixed, so results do not depend on scheduling; handing a stage to the
// worker allocates nothing.
func (e *Engine) parallel(np int, first func(), span func(lo, hi int)) {
	half := np / 2
	if e.jobs == nil || half == 0 {
		if first != nil {
			first()
		}
		span(0, np)
		return
	}
	e.job.span, e.job.lo, e.job.hi = span, half, np
	e.jobs <- struct{}{}
	if first != nil {
		first()
	}
	span(0, half)
	<-e.done
}

// startWorker starts the goroutine that runs the second half of every
// parallel stage of a run; stopWorker ends it.
func (e *Engine) startWorker() {
	if e.n < 32 || e.np < 2 {
		return
	}
	e.jobs, e.done = make(chan struct{}), make(chan struct{})
	go func(jobs <-chan struct{}, done chan<- struct{}) {
		for range jobs {
			e.job.span(e.job.lo, e.job.hi)
			done <- struct{}{}
		}
	}(e.jobs, e.done)
}

func (e *Engine) stopWorker() {
	if e.jobs != nil {
		close(e.jobs)
		e.jobs, e.done = nil, nil
	}
}

// tangentRange carries the tangents of meta-parameters [lo, hi) through
// the trial the primal pass recorded: the products dJ_p r_prev(t) of all
// steps as one matrix product, then step by step the state tangents,
// storing ddx_p and dr_prev,p of the traced steps for traceRows.
func (e *Engine) tangentRange(a *trialArgs, lo, hi int) {
	if lo >= hi {
		return
	}
	n, steps, m := e.n, e.steps, hi-lo
	e.factorTangents(a.theta, lo*e.traced/e.np, hi*e.traced/e.np)
	clear(e.dz[lo:hi])
	ta := e.prob.Learn.TraceAfter
	if !e.frozen {
		// hv (steps x m n) = R_prev (steps x n) times the stacked dJ_p^T.
		gemm(blas.NoTrans, blas.Trans, steps, m*n, n, 1, e.rp, n, e.dj[lo*n*n:hi*n*n], n, 0, e.hv[lo*steps*n:hi*steps*n], m*n)
		clear(e.xt[lo*n : hi*n])
		clear(e.rtA[lo*n : hi*n])
	}
	out := a.out
	h := e.prob.Horizon
	cur, prev := e.rtA, e.rtB // swapped at t = 0: dr_prev is rtA, cleared above
	for t := range steps {
		cur, prev = prev, cur
		if !e.frozen {
			e.stepTangents(a, t, lo, hi, cur, prev)
			if ds := e.ds[t]; ds != 0 {
				for q := lo; q < hi; q++ {
					e.dz[q] += ds * cur[q*n+out]
				}
			}
		}
		if t > ta && !e.frozen {
			// The trace tangents' per-step factors ddx_p, dr_prev,p ([it][i][p]).
			it := t - ta - 1
			np := e.np
			st := np
			dd, dr1 := e.dd[it*n*np:], e.dr1[it*n*np:]
			for q := lo; q < hi; q++ {
				dxt, rp := e.dxt[q*n:(q+1)*n], prev[q*n:(q+1)*n]
				for i := range n {
					dd[i*st+q] = dxt[i]
					dr1[i*st+q] = rp[i]
				}
			}
		}
		if h > 0 && t%h == h-1 && !e.frozen {
			// Truncation horizon: the state tangents restart from 0.
			clear(e.xt[lo*n : hi*n])
			clear(cur[lo*n : hi*n])
			clear(e.xbt[lo*n : hi*n])
		}
	}
}

// stepTangents advances the state tangents (P x N, one row per
// meta-parameter) of meta-parameters [lo, hi) by step t:
// dx <- (1 - a) dx + a (dJ_p r_prev + J dr_prev), bias units 0;
// dr = (1 - r^2) dx; ddx = dx - dxbar; dxbar <- a_x dxbar + (1 - a_x) dx.
// dr is written to cur, dr_prev read from prev.
func (e *Engine) stepTangents(a *trialArgs, t, lo, hi int, cur, prev []float64) {
	n, m := e.n, hi-lo
	// g = dr_prev J^T (P x N): row p is J dr_prev,p.
	gemm(blas.NoTrans, blas.Trans, m, n, n, 1, prev[lo*n:hi*n], n, a.jd, n, 0, e.g[lo*n:hi*n], n)
	hvt := e.hv[lo*e.steps*n+t*m*n : lo*e.steps*n+(t+1)*m*n]
	r := e.rr[t*n : (t+1)*n]
	alpha, ax := a.alpha, a.ax
	for q := lo; q < hi; q++ {
		x := e.xt[q*n : (q+1)*n]
		g := e.g[q*n : (q+1)*n]
		hv := hvt[(q-lo)*n : (q-lo+1)*n]
		for i := range x {
			x[i] += alpha * (g[i] + hv[i] - x[i])
		}
		for _, b := range e.bias {
			x[b] = 0
		}
		rt := cur[q*n : (q+1)*n]
		dxt := e.dxt[q*n : (q+1)*n]
		xbt := e.xbt[q*n : (q+1)*n]
		for i, ri := range r {
			xi := x[i]
			rt[i] = (1 - ri*ri) * xi
			dxt[i] = xi - xbt[i]
			xbt[i] = ax*xbt[i] + (1-ax)*xi
		}
	}
}

// factorsPrimal stores traced step it's factor rows k*traced + it
// (k-major, so that the rows of one power are contiguous): pre_k =
// r_prev^k and post_k = scale P_k(dx); with tangents also dx, scale and
// dscale for factorTangents.
func (e *Engine) factorsPrimal(theta [][]float64, it int, scale, dscale float64, tangents bool) {
	n, tr := e.n, e.traced
	dx, rp := e.net.DX, e.net.RPrev
	for k := 0; k < e.nk; k++ {
		row := k*tr + it
		rule.PreTo(e.pre[row*n:(row+1)*n], rp, k)
		post := e.post[row*n : (row+1)*n]
		th := theta[k]
		for i, x := range dx {
			s := 0.0
			for l := len(th) - 1; l >= 0; l-- {
				s = s*x + th[l]
			}
			post[i] = scale * s
		}
	}
	if tangents {
		copy(e.dxs[it*n:(it+1)*n], dx)
		e.scale[it], e.dscale[it] = scale, dscale
	}
}

// factorTangents stores, for traced steps [lo, hi), the factor rows the
// trace tangents need: scale P_k'(dx), dscale P_k(dx) (log tau_e), k post_k
// (k >= 1) and scale dx^l. (Run by the tangent passes, off the primal
// pass's serial path.)
func (e *Engine) factorTangents(theta [][]float64, lo, hi int) {
	n, tr := e.n, e.traced
	for it := lo; it < hi; it++ {
		dx := e.dxs[it*n : (it+1)*n]
		scale, dscale := e.scale[it], e.dscale[it]
		for k := 0; k < e.nk; k++ {
			row := k*tr + it
			th := theta[k]
			dpk := e.dpk[row*n : (row+1)*n]
			for i, x := range dx {
				s, ds := 0.0, 0.0
				for l := len(th) - 1; l >= 0; l-- {
					ds = ds*x + s
					s = s*x + th[l]
				}
				dpk[i] = scale * ds
				if e.logTauE {
					e.pkd[row*n+i] = dscale * s
				}
			}
			if k > 0 {
				kp := e.kpost[((k-1)*tr+it)*n : ((k-1)*tr+it+1)*n]
				fk := float64(k)
				for i, v := range e.post[row*n : (row+1)*n] {
					kp[i] = fk * v
				}
			}
		}
		for l := range e.nl {
			xl := e.xl[(l*tr+it)*n : (l*tr+it+1)*n]
			for i, x := range dx {
				xl[i] = scale * ipow(x, l)
			}
		}
	}
}

// gemm is blas64's Dgemm (C = alpha op(A) op(B) + beta C, row-major). On
// gonum's pure-Go backend it calls it on tiles of C of at most 64 x 192,
// which gonum computes serially: on larger ones gonum's Dgemm starts
// goroutines and allocates at every call (measured 112k allocations per
// episode at N = 200, P = 16 before the tiling).
func gemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	impl := blas64.Implementation()
	if !pureGo {
		impl.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	const mb, nb = 64, 192
	for i0 := 0; i0 < m; i0 += mb {
		ao := i0 * lda
		if tA == blas.Trans {
			ao = i0
		}
		for j0 := 0; j0 < n; j0 += nb {
			bo := j0
			if tB == blas.Trans {
				bo = j0 * ldb
			}
			impl.Dgemm(tA, tB, min(mb, m-i0), min(nb, n-j0), k, alpha, a[ao:], lda, b[bo:], ldb, beta, c[i0*ldc+j0:], ldc)
		}
	}
}

// pureGo reports whether blas64 runs on gonum's pure-Go BLAS.
var pureGo = linalg.Backend() == "gonum"

func ipow(x float64, l int) float64 {
	p := 1.0
	for range l {
		p *= x
	}
	return p
}

// eligibility forms the trial's eligibility e = Post^T Pre.
func (e *Engine) eligibility() {
	n, rows := e.n, e.rows
	if rows == 0 {
		clear(e.elig)
		return
	}
	gemm(blas.Trans, blas.NoTrans, n, n, rows, 1, e.post, n, e.pre, n, 0, e.elig, n)
}

// traceRows forms rows [lo, hi) of the trace tangents of all
// meta-parameters: de_p = sum_t ddx_p(t) . W_t + basis_p + sum_t dr_prev,p(t) . Q_t,
// with W_t = sum_k scale P_k'(dx) (r_prev^k)^T and Q_t = sum_k k post_k
// (r_prev^(k-1))^T the step's factor matrices, shared by all P, and
// . scaling rows (W) or columns (Q). Rows [lo, hi) of de get the basis, log
// tau_e and W parts; rows [lo, hi) of deT, the transposed Q part (added to de
// by addTransposed). W_t and Q_t^T are formed for blocks of tc steps by
// rank-K products, then contracted over the steps by one product per row:
// 2 P N^2 T flops per part, against 2 P N^2 T (K+1) for U_p^T Pre.
func (e *Engine) traceRows(lo, hi int) {
	n, np, nt, tr, nk := e.n, e.np, hi-lo, e.traced, e.nk
	nn := n * n
	for q := range np {
		clear(e.de[q*nn+lo*n : q*nn+hi*n])
		clear(e.deT[q*nn+lo*n : q*nn+hi*n])
	}
	if tr == 0 || nt == 0 {
		return
	}
	for q, pr := range e.params {
		switch pr.kind {
		case kindTheta:
			gemm(blas.Trans, blas.NoTrans, nt, n, tr, 1, e.xl[pr.l*tr*n+lo:], n, e.pre[pr.k*tr*n:], n, 1, e.de[q*nn+lo*n:], n)
		case kindLogTauE:
			gemm(blas.Trans, blas.NoTrans, nt, n, e.rows, 1, e.pkd[lo:], n, e.pre, n, 1, e.de[q*nn+lo*n:], n)
		}
	}
	if e.frozen {
		return
	}
	tc, ib := e.tc, e.ib
	off := 0
	if lo > 0 {
		off = ib * tc * n
	}
	w := e.wbuf[off : off+ib*tc*n]
	for t0 := 0; t0 < tr; t0 += tc {
		t1 := min(t0+tc, tr)
		m := t1 - t0
		for i0 := lo; i0 < hi; i0 += ib {
			i1 := min(i0+ib, hi)
			nb := i1 - i0
			for it := t0; it < t1; it++ {
				gemm(blas.Trans, blas.NoTrans, nb, n, nk, 1, e.dpk[it*n+i0:], tr*n, e.pre[it*n:], tr*n, 0, w[(it-t0)*n:], tc*n)
			}
			for i := i0; i < i1; i++ {
				gemm(blas.Trans, blas.NoTrans, np, n, m, 1, e.dd[(t0*n+i)*np:], n*np, w[(i-i0)*tc*n:], n, 1, e.de[i*n:], nn)
			}
			if nk == 1 {
				continue
			}
			for it := t0; it < t1; it++ {
				gemm(blas.Trans, blas.NoTrans, nb, n, nk-1, 1, e.pre[it*n+i0:], tr*n, e.kpost[it*n:], tr*n, 0, w[(it-t0)*n:], tc*n)
			}
			for i := i0; i < i1; i++ {
				gemm(blas.Trans, blas.NoTrans, np, n, m, 1, e.dr1[(t0*n+i)*np:], n*np, w[(i-i0)*tc*n:], n, 1, e.deT[i*n:], nn)
			}
		}
	}
}

// addTransposed adds deT_p^T to de_p for meta-parameters [lo, hi), in
// 32 x 32 blocks.
func (e *Engine) addTransposed(lo, hi int) {
	n := e.n
	nn := n * n
	const bs = 32
	for q := lo; q < hi; q++ {
		d, t := e.de[q*nn:(q+1)*nn], e.deT[q*nn:(q+1)*nn]
		for i0 := 0; i0 < n; i0 += bs {
			for j0 := 0; j0 < n; j0 += bs {
				for i := i0; i < min(i0+bs, n); i++ {
					row := d[i*n : i*n+n]
					for j := j0; j < min(j0+bs, n); j++ {
						row[j] += t[j*n+i]
					}
				}
			}
		}
	}
}

// update applies the trial-end weight change and its tangent:
// u = c e - J/tau_w, c = -eta m(Ebar) (E - Ebar); J += clip(u);
// dJ_p += clip'(u) (dc_p e + c de_p - dJ_p/tau_w [+ J/tau_w for log tau_w]),
// the tangents split between two goroutines.
func (e *Engine) update(r rule.Rule, E, ebar float64, dBar, dE []float64, invTauW float64, jd []float64, np int) {
	p := &e.prob
	m, dm := ebar, 1.0
	if r.Modulation == rule.Unit {
		m, dm = 1, 0
	}
	c := -r.Eta * m * (E - ebar)
	dc := e.dc[:np]
	logTauW := -1
	for q, pr := range e.params[:np] {
		dc[q] = -r.Eta * (dm*dBar[q]*(E-ebar) + m*(dE[q]-dBar[q]))
		if pr.kind == kindLogEta {
			dc[q] += c
		}
		if pr.kind == kindLogTauW {
			logTauW = q
		}
	}
	maxdw := r.MaxDW
	for k, ev := range e.elig {
		u := c*ev - invTauW*jd[k]
		var d, slope float64
		switch {
		case maxdw == 0:
			d, slope = u, 1
		case p.Smooth.Clip:
			th := math.Tanh(u / maxdw)
			d, slope = maxdw*th, 1-th*th
		default:
			d, slope = min(max(u, -maxdw), maxdw), 1
			if u > maxdw || u < -maxdw {
				slope = 0
			}
		}
		e.dw[k], e.slope[k] = d, slope
	}
	e.upd = updateArgs{c: c, invTauW: invTauW, logTauW: logTauW, jd: jd}
	if np > 0 {
		e.parallel(np, nil, e.updateSpan)
	}
	for k, d := range e.dw {
		jd[k] += d
	}
	nn := e.n * e.n
	if ct := p.ClipTangent; ct > 0 {
		for q := range np {
			s := blas64.Nrm2(blas64.Vector{N: nn, Inc: 1, Data: e.dj[q*nn : (q+1)*nn]})
			if s > ct {
				blas64.Scal(ct/s, blas64.Vector{N: nn, Inc: 1, Data: e.dj[q*nn : (q+1)*nn]})
			}
		}
	}
}

// updateArgs are a trial-end update's arguments of updateRange.
type updateArgs struct {
	c, invTauW float64
	logTauW    int
	jd         []float64
}

// updateRange completes the trace tangents of meta-parameters [lo, hi)
// (adds their transposed part) and applies the update's tangent part to
// their dJ_p (e.slope and e.dc set by update, J not yet changed).
func (e *Engine) updateRange(lo, hi int) {
	if !e.frozen && e.nk > 1 {
		e.addTransposed(lo, hi)
	}
	a := &e.upd
	nn := e.n * e.n
	c, invTauW := a.c, a.invTauW
	for q := lo; q < hi; q++ {
		dj := e.dj[q*nn : (q+1)*nn]
		de := e.de[q*nn : (q+1)*nn]
		dcq := e.dc[q]
		for k, slope := range e.slope {
			if slope == 0 {
				continue
			}
			du := dcq*e.elig[k] + c*de[k] - invTauW*dj[k]
			if q == a.logTauW {
				du += invTauW * a.jd[k]
			}
			dj[k] += slope * du
		}
	}
}
