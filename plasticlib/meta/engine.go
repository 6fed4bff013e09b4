package meta

import (
	"fmt"
	"math"
	"slices"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

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
	// fullTraces has a frozen engine form its trace tangents de_p in full
	// (N x N each) instead of their sums alone (tests compare them).
	fullTraces bool
	// eligK lists the pre-synaptic powers k whose row theta_k can be
	// non-zero: a coefficient that is a meta-parameter or non-zero in the
	// problem's rule. The others are zero under every phi, and the
	// eligibility skips their rows (a plan fixed per engine, so that the
	// arithmetic does not change with phi).
	eligK []int
	// onEpisode, if not nil, is called after every episode.
	onEpisode func(ep int, e float64)

	n, np, steps, nk, rows int
	traced                 int // steps at which the trace accumulates
	net                    *network.Net
	trial                  task.Trial
	pert                   network.Perturbations
	// w holds the trial's primal record, factor rows and tangents in the
	// problem's precision (work.go).
	w             workspace
	scale, dscale []float64 // traced: lambda^(T-1-t) and its d/d log tau_e
	nl            int       // number of post-synaptic powers (L + 1)
	logTauE       bool
	ds            []float64 // steps: d|u|/du of the trial error (0 outside the window)
	tc, ib        int       // traced steps, rows per block of the work's wbuf
	elig          []float64 // n x n: the trial's eligibility
	de            []float64 // np x n x n: the trial's trace tangents (float64 only; nil under float32)
	dj            []float64 // np x n x n: dJ/dphi_p, kept across episodes
	dz, dc        []float64 // np: tangent of the trial error; of c
	slope, dw     []float64 // n x n: the update's clip slope and weight change
	bias          []int
	dBase         []float64 // types x np
	errs          []float64 // per-episode errors
	dErrs         []float64 // per-episode error tangents (episodes x np)
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
	ro                      readout // a plastic linear readout's (ro.on)
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
	e.nl = len(p.Rule.Theta[0])
	for _, q := range e.params {
		if q.kind == kindLogTauE {
			e.logTauE = true
		}
	}
	freeRow := make([]bool, len(p.Rule.Theta))
	for _, q := range e.params {
		if q.kind == kindTheta {
			freeRow[q.k] = true
		}
	}
	for k, row := range p.Rule.Theta {
		if freeRow[k] || slices.ContainsFunc(row, func(v float64) bool { return v != 0 }) {
			e.eligK = append(e.eligK, k)
		}
	}
	e.scale = make([]float64, e.traced)
	e.dscale = make([]float64, e.traced)
	e.ds = make([]float64, e.steps)
	e.tc = max(1, min(e.traced, traceBlock))
	e.ib = max(1, min(n-n/2, rowBlock/(e.tc*n)))
	e.elig = make([]float64, n*n)
	e.slope = make([]float64, n*n)
	e.dw = make([]float64, n*n)
	e.dj = make([]float64, np*n*n)
	e.dz = make([]float64, np)
	e.dc = make([]float64, np)
	e.bias = p.Net.BiasUnits
	e.dBase = make([]float64, p.Task.NumTypes()*np)
	e.errs = make([]float64, p.Learn.Episodes)
	e.dErrs = make([]float64, p.Learn.Episodes*np)
	if p.Net.Readout == network.LinearReadout && p.Net.ReadoutPlastic {
		e.ro.alloc(n, np, e.traced)
	}
	e.trial.Reset(e.steps, p.Task.NumInputs())
	if p.Learn.Precision == linalg.Float32 {
		e.w = newWork32(e)
	} else {
		e.w = newWork64(e)
	}
	return e, nil
}

// sumsOnly reports whether the engine forms its trace tangents' sums
// alone (basisSums), not the tangents: the frozen engine, unless told to
// form them in full.
func (e *Engine) sumsOnly() bool { return e.frozen && !e.fullTraces }

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
	e.w.begin(net)
	e.startWorker()
	defer e.stopWorker()
	n, np := e.n, e.np
	if !tangents {
		np = 0
	}
	clear(e.dj)
	clear(e.ro.dw)
	clear(e.ro.zbar)
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
	jd := net.J.RawMatrix().Data
	for ep := 0; ep < p.Learn.Episodes; ep++ {
		typ, err := streams.Next(&e.trial, &e.pert, net, p.Task, p.Learn.Order, ep)
		if err != nil {
			return 0, err
		}
		E, err := e.w.primalTrial(ep, r, lambda, dLogLam, np > 0)
		if err != nil {
			return math.NaN(), err
		}
		e.errs[ep] = E
		if e.onEpisode != nil {
			e.onEpisode(ep, E)
		}
		// Tangent passes, the meta-parameters split between two goroutines,
		// and the primal eligibility.
		e.ta = trialArgs{alpha: alpha, ax: ax, out: out, wout: net.WOut, theta: r.Theta}
		e.parallel(np, e.eligFn, e.tangentSpan)
		if np > 0 && e.sumsOnly() {
			e.w.basisSums()
		} else if np > 0 {
			e.parallel(n, nil, e.traceSpan)
			if !e.frozen && e.nk > 1 && ep < p.Learn.WarmUp {
				// No update: de's transposed part is added on its own (else
				// by updateRange).
				e.parallel(np, nil, e.tposeSpan)
			}
		}
		win := float64(e.trial.EvalEnd - e.trial.EvalStart)
		dE := e.dErrs[ep*e.np : ep*e.np+np]
		for q := range np {
			dE[q] = e.dz[q] / win
		}
		if e.frozen {
			// Truncated estimator: dR_n sum_ij de_ij,p with dR_n the
			// reward's advantage over its baseline, R_n - Rbar_c = Ebar_c - E.
			adv := base[typ] - E
			for q := range np {
				s := e.w.deSum(q)
				if e.ro.on {
					for _, v := range e.ro.de[q*n : (q+1)*n] {
						s += v
					}
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
		a := r.Decay(p.Learn.BaselineDecay)
		prev := base[typ]
		base[typ] = a*prev + (1-a)*E
		db := e.dBase[typ*e.np : typ*e.np+np]
		for q := range np {
			if e.frozen {
				break
			}
			db[q] = a*db[q] + (1-a)*dE[q]
			if e.params[q].kind == kindBaseline {
				// d a_R / d logit a_R = a_R (1 - a_R).
				db[q] += a * (1 - a) * (prev - E)
			}
			if math.IsNaN(db[q]) || math.IsInf(db[q], 0) {
				return math.NaN(), &NonFiniteError{Iteration: -1, Episode: ep, Param: e.names[q]}
			}
		}
	}
	// Objective: the mean trial score (p.Objective) over the counted
	// episodes, minus the L1 penalty.
	first := 0
	if p.LastM > 0 {
		first = p.Learn.Episodes - p.LastM
	}
	cnt := float64(p.Learn.Episodes - first)
	obj := 0.0
	if tangents {
		clear(grad)
	}
	for ep := first; ep < p.Learn.Episodes; ep++ {
		s, ds := p.trialScore(e.errs[ep])
		obj += s / cnt
		if tangents {
			for q := range np {
				grad[q] += ds * e.dErrs[ep*e.np+q] / cnt
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
