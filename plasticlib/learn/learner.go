package learn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Learner runs episodes of a task on a network under a rule. Its fields
// may be read between episodes; Net, Rule and Baselines may be changed
// between episodes (not their shapes, nor the rule's Kind or K).
type Learner struct {
	Net    *network.Net
	Task   task.Task
	Rule   rule.Rule
	Config Config
	// Baselines[c] is Ebar_c, the running error of trial type c (starts at 0).
	Baselines []float64
	// Done is the number of episodes finished.
	Done int

	// Streams are the run's random streams, drawn from Config.Seed.
	Streams Streams

	trial task.Trial
	pert  network.Perturbations
	z     []float64
	// Factor rows of the trial: row (t-TraceAfter-1)*len(ks)+kk holds the
	// pre factors r(t-1)^ks[kk] in pre and the scaled post factors in post.
	ks        []int
	pre, post []float64
	rows      int
	// colMajor stores the factors transposed, N x rows (one column per
	// row above), for gonum's pure-Go Dgemm, whose NoTrans x Trans
	// product (dot products of contiguous rows) is 2-3x faster than
	// Trans x NoTrans at these shapes; OpenBLAS prefers the step-major
	// layout. preTmp and postTmp stage a step's factors.
	colMajor        bool
	preTmp, postTmp []float64
	// tp forms the trace from pre and post (see traceProduct).
	tp        *traceProduct
	lamPow    []float64 // lamPow[d] = lambda_e^d
	elig      *mat.Dense
	eligOut   []float64 // plastic linear readout's eligibility
	scratch   []float64 // N
	traceCur  []float64 // current e_ij of recorded synapses
	deltaJ    *mat.Dense
	jOld      []float64 // J before an update, when DeltaJ is recorded under constraints
	steps     int
	lambda    float64
	readoutOn bool
	// n32 steps the trial under Config.Precision Float32 (nil otherwise);
	// rPrev64 and dx64 widen its rates and fluctuations for the rule's
	// factors.
	n32           *network.Net32
	rPrev64, dx64 []float64
}

// New checks that net, tk, r and cfg fit together and allocates the
// learner's workspace. Errors name the offending field. The Learner keeps
// net and mutates it; it copies r.
func New(net *network.Net, tk task.Task, r rule.Rule, cfg Config) (*Learner, error) {
	var errs []error
	if net == nil {
		return nil, errors.New("learn.New: nil network")
	}
	if err := task.Validate(tk); err != nil {
		errs = append(errs, err)
	}
	if err := r.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if tk.NumInputs() != net.Config.NumInputs {
		errs = append(errs, field.Errorf("network.Config.NumInputs", "%d, but the task has %d input channels", net.Config.NumInputs, tk.NumInputs()))
	}
	if d, ok := tk.(task.Dter); ok && d.Dt() != net.Config.Dt {
		errs = append(errs, field.Errorf("task Dt", "%g ms, but network.Config.Dt is %g ms", d.Dt(), net.Config.Dt))
	}
	for _, s := range cfg.Record.Synapses {
		if s[0] < 0 || s[0] >= net.Config.N || s[1] < 0 || s[1] >= net.Config.N {
			errs = append(errs, field.Errorf("learn.Config.Record.Synapses", "%v out of range", s))
		}
	}
	if cfg.Precision == linalg.Float32 {
		if r.Kind != rule.Polynomial {
			errs = append(errs, field.Errorf("learn.Config.Precision", "float32 covers polynomial rules, not %v", r.Kind))
		}
		if net.WOut != nil && net.Config.ReadoutPlastic {
			errs = append(errs, field.Errorf("learn.Config.Precision", "float32 does not cover a plastic readout"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	n, steps := net.Config.N, tk.Steps()
	l := &Learner{
		Net:       net,
		Task:      tk,
		Rule:      r.Clone(),
		Config:    cfg,
		Baselines: make([]float64, tk.NumTypes()),
		Streams:   NewStreams(cfg.Seed),
		z:         make([]float64, steps),
		elig:      mat.NewDense(n, n, nil),
		scratch:   make([]float64, n),
		traceCur:  make([]float64, len(cfg.Record.Synapses)),
		steps:     steps,
		lambda:    r.LambdaE(net.Config.Dt),
		readoutOn: net.WOut != nil && net.Config.ReadoutPlastic,
	}
	l.trial.Reset(steps, tk.NumInputs())
	l.lamPow = make([]float64, steps)
	p := 1.0
	for d := range l.lamPow {
		l.lamPow[d] = p
		p *= l.lambda
	}
	if r.Kind == rule.Polynomial {
		l.ks = r.ActivePowers()
		traced := max(steps-(cfg.TraceAfter+1), 0)
		l.rows = traced * len(l.ks)
		l.preTmp = make([]float64, n)
		l.postTmp = make([]float64, n)
		l.tp = &traceProduct{n: n, rows: l.rows, blockRows: traceBlockRows, elig: l.elig.RawMatrix()}
		if cfg.Precision == linalg.Float32 {
			l.tp.blockRows = traceBlockRows32
			l.n32 = network.NewNet32(net)
			l.rPrev64, l.dx64 = make([]float64, n), make([]float64, n)
			l.tp.pre32, l.tp.post32 = make([]float32, l.rows*n), make([]float32, l.rows*n)
			l.tp.elig32 = make([]float32, n*n)
		} else {
			l.pre = make([]float64, l.rows*n)
			l.post = make([]float64, l.rows*n)
			l.colMajor = linalg.Backend() == "gonum"
			l.tp.pre, l.tp.post, l.tp.colMajor = l.pre, l.post, l.colMajor
		}
	}
	if l.readoutOn {
		l.eligOut = make([]float64, n)
	}
	if cfg.Record.DeltaJ {
		l.deltaJ = mat.NewDense(n, n, nil)
		if net.Mask != nil || net.Config.Dale {
			l.jOld = make([]float64, n*n)
		}
	}
	return l, nil
}

// Run builds a network from netCfg and runs cfg.Episodes episodes of tk
// under r: the one-call entry point. See Learner.Run.
func Run(ctx context.Context, netCfg network.Config, tk task.Task, r rule.Rule, cfg Config) (*History, error) {
	net, err := network.New(netCfg)
	if err != nil {
		return nil, err
	}
	l, err := New(net, tk, r, cfg)
	if err != nil {
		return nil, err
	}
	return l.Run(ctx)
}

// Run performs Config.Episodes more episodes and returns their history.
// It checks ctx before every episode: when ctx is done it returns the
// history so far and an error wrapping ctx.Err() that says the run was
// cancelled. A diverging run returns the history so far and a
// *DivergenceError.
func (l *Learner) Run(ctx context.Context) (*History, error) {
	cfg := l.Config
	h := &History{
		First:   l.Done,
		Errors:  make([]float64, 0, cfg.Episodes),
		Rewards: make([]float64, 0, cfg.Episodes),
		Types:   make([]int, 0, cfg.Episodes),
	}
	for range cfg.Episodes {
		if err := ctx.Err(); err != nil {
			return l.finish(h), fmt.Errorf("learn: run cancelled after %d of %d episodes: %w", h.Len(), cfg.Episodes, err)
		}
		typ, e, err := l.episode(h)
		if err != nil {
			return l.finish(h), err
		}
		if cfg.Progress != nil {
			cfg.Progress(Progress{Episode: l.Done - 1, Episodes: h.First + cfg.Episodes, Type: typ, Error: e})
		}
		if cfg.Stop != nil && cfg.Stop(h) {
			break
		}
	}
	return l.finish(h), nil
}

func (l *Learner) finish(h *History) *History {
	if l.deltaJ != nil {
		h.DeltaJ = mat.DenseCopyOf(l.deltaJ)
	}
	return h
}

// Episode performs one episode and returns its trial type and error. It
// records nothing beyond the Learner's state (use Run for a History).
func (l *Learner) Episode() (typ int, e float64, err error) {
	return l.episode(nil)
}

// episode runs one trial with learning; h (may be nil) receives its
// record.
func (l *Learner) episode(h *History) (int, float64, error) {
	ep := l.Done
	net, cfg := l.Net, &l.Config
	n := net.Config.N
	typ, err := l.Streams.Next(&l.trial, &l.pert, l.Net, l.Task, cfg.Order, ep)
	if err != nil {
		return typ, 0, err
	}
	steps := l.steps
	m := l.n32
	if m != nil {
		m.LoadWeights()
		m.LoadState()
	}

	var act *Activity
	var tr *Trace
	if h != nil {
		if slices.Contains(cfg.Record.Activity, ep) {
			act = &Activity{Episode: ep, Type: typ, Rates: mat.NewDense(steps, n, nil), Output: make([]float64, steps),
				Target: slices.Clone(l.trial.Target), EvalStart: l.trial.EvalStart, EvalEnd: l.trial.EvalEnd}
		}
		if len(cfg.Record.Synapses) > 0 && slices.Contains(cfg.Record.Traces, ep) {
			tr = &Trace{Episode: ep, Type: typ, Synapses: slices.Clone(cfg.Record.Synapses),
				Values: mat.NewDense(steps, len(cfg.Record.Synapses), nil)}
		}
	}
	clear(l.traceCur)
	if l.Rule.Kind == rule.NodePerturbation {
		clear(l.elig.RawMatrix().Data)
	}
	if l.readoutOn {
		clear(l.eligOut)
	}
	nk := len(l.ks)
	// With a core free (and when that has been the faster way lately), the
	// trace's block products run on the worker as soon as their rows are
	// complete.
	start := time.Now()
	overlap := acquire(!cfg.Serial && l.tp != nil && l.tp.rows > 0 && l.tp.chooseOverlap())
	defer release(overlap)
	if overlap {
		l.startWorker()
		l.tp.reset()
	} else if l.tp != nil {
		l.tp.next = 0
	}
	for t := 0; t < steps; t++ {
		units, xi := l.pert.At(t)
		// rPrev and dx are the step's presynaptic rates and fluctuations
		// in float64 (widened from the float32 step's).
		var ok bool
		var unit int
		var rPrev, dx []float64
		if m != nil {
			m.Step(l.trial.Input(t), units, xi)
			ok, unit = m.Finite()
			l.z[t] = float64(m.Z)
			rPrev, dx = l.rPrev64, l.dx64
			linalg.Widen(rPrev, m.RPrev)
			linalg.Widen(dx, m.DX)
		} else {
			net.Step(l.trial.Input(t), units, xi)
			ok, unit = net.Finite()
			l.z[t] = net.Z
			rPrev, dx = net.RPrev, net.DX // after Step, which swaps R and RPrev
		}
		if !ok {
			if overlap {
				l.tp.complete()
			}
			if m != nil {
				m.StoreState()
			}
			return typ, math.NaN(), &DivergenceError{Episode: ep, Step: t, Unit: unit}
		}
		if act != nil {
			if m != nil {
				linalg.Widen(act.Rates.RawRowView(t), m.R)
			} else {
				copy(act.Rates.RawRowView(t), net.R)
			}
		}
		if t > cfg.TraceAfter {
			scale := l.lamPow[steps-1-t]
			if l.Rule.Kind == rule.Polynomial {
				row := (t - cfg.TraceAfter - 1) * nk
				for kk, k := range l.ks {
					pre, post := l.preTmp, l.postTmp
					if !l.colMajor && m == nil {
						pre = l.pre[(row+kk)*n : (row+kk+1)*n]
						post = l.post[(row+kk)*n : (row+kk+1)*n]
					}
					rule.PreTo(pre, rPrev, k)
					l.Rule.PostTo(post, dx, k, 1)
					if tr != nil {
						for s, syn := range cfg.Record.Synapses {
							l.traceCur[s] += post[syn[0]] * pre[syn[1]]
						}
					}
					if scale != 1 {
						for i := range post {
							post[i] *= scale
						}
					}
					if l.colMajor {
						for i := range n {
							l.pre[i*l.rows+row+kk] = pre[i]
							l.post[i*l.rows+row+kk] = post[i]
						}
					}
					if m != nil {
						linalg.Narrow(l.tp.pre32[(row+kk)*n:(row+kk+1)*n], pre)
						linalg.Narrow(l.tp.post32[(row+kk)*n:(row+kk+1)*n], post)
					}
				}
				if overlap {
					l.tp.handComplete(row + nk)
				} else {
					l.tp.inline(row + nk)
				}
			} else {
				ed := l.elig.RawMatrix()
				for k, i := range units {
					c := scale * xi[k]
					row := ed.Data[i*ed.Stride : i*ed.Stride+n]
					for j, r := range net.RPrev {
						row[j] += c * r
					}
					if tr != nil {
						for s, syn := range cfg.Record.Synapses {
							if syn[0] == i {
								l.traceCur[s] += xi[k] * net.RPrev[syn[1]]
							}
						}
					}
				}
			}
			if l.readoutOn {
				l.accumulateReadout(scale)
			}
		}
		if tr != nil {
			copy(tr.Values.RawRowView(t), l.traceCur)
			for s := range l.traceCur {
				l.traceCur[s] *= l.lambda
			}
		}
	}
	if overlap {
		l.tp.complete()
	}
	if m != nil {
		m.StoreState()
	}
	if act != nil {
		copy(act.Output, l.z)
	}
	e := l.trial.Error(l.z)
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return typ, e, &DivergenceError{Episode: ep, Step: steps - 1, Unit: -1}
	}
	if l.Rule.Kind == rule.Polynomial && !overlap {
		l.tp.serial()
	}
	if m != nil {
		linalg.Widen(l.elig.RawMatrix().Data, l.tp.elig32)
	}
	if l.tp != nil && !cfg.Serial {
		l.tp.record(overlap, time.Since(start))
	}
	if ep >= cfg.WarmUp {
		l.update(e, l.Baselines[typ])
	}
	a := l.Rule.Decay(cfg.BaselineDecay)
	l.Baselines[typ] = a*l.Baselines[typ] + (1-a)*e
	l.Done++
	if h != nil {
		h.Errors = append(h.Errors, e)
		h.Rewards = append(h.Rewards, -e)
		h.Types = append(h.Types, typ)
		if act != nil {
			act.Error = e
			h.Activity = append(h.Activity, *act)
		}
		if tr != nil {
			h.Traces = append(h.Traces, *tr)
		}
	}
	return typ, e, nil
}

// accumulateReadout adds the plastic linear readout's eligibility
// increment sum_k P_k(dz) r_j(t)^k (scaled) to eligOut.
func (l *Learner) accumulateReadout(scale float64) {
	net := l.Net
	dz := []float64{net.DZ}
	var pk [1]float64
	switch l.Rule.Kind {
	case rule.Polynomial:
		for _, k := range l.ks {
			l.Rule.PostTo(pk[:], dz, k, scale)
			if pk[0] == 0 {
				continue
			}
			rule.PreTo(l.scratch, net.R, k)
			for j, v := range l.scratch {
				l.eligOut[j] += pk[0] * v
			}
		}
	}
}

// update applies the trial-end weight change
// dJ = -eta m(Ebar) (E - Ebar) e - J/tau_w, clipped to [-MaxDW, MaxDW],
// then the network's structural constraints (mask, Dale).
func (l *Learner) update(e, ebar float64) {
	r := &l.Rule
	m, _ := r.M(ebar)
	c := -r.Eta * m * (e - ebar)
	invTauW := 0.0
	if r.TauW != 0 {
		invTauW = 1 / r.TauW
	}
	maxdw := r.MaxDW
	jd := l.Net.J.RawMatrix().Data
	ed := l.elig.RawMatrix().Data
	constrained := l.Net.Mask != nil || l.Net.Config.Dale
	var dj []float64
	if l.deltaJ != nil {
		dj = l.deltaJ.RawMatrix().Data
		if constrained {
			copy(l.jOld, jd)
		}
	}
	for k, ev := range ed {
		d := clip(c*ev-invTauW*jd[k], maxdw)
		jd[k] += d
		if dj != nil && !constrained {
			dj[k] += d
		}
	}
	if constrained {
		l.Net.Constrain()
		if dj != nil {
			for k, v := range jd {
				dj[k] += v - l.jOld[k]
			}
		}
	}
	if l.readoutOn {
		w := l.Net.WOut
		for j, ev := range l.eligOut {
			w[j] += clip(c*ev-invTauW*w[j], maxdw)
		}
	}
}

// clip returns d clipped to [-maxdw, maxdw]; maxdw = 0 means no clipping.
func clip(d, maxdw float64) float64 {
	if maxdw == 0 {
		return d
	}
	return min(max(d, -maxdw), maxdw)
}

// Eligibility returns the eligibility trace e (N x N, e[i][j] for synapse
// j -> i) of the last episode, at trial end: a view of the learner's
// workspace, overwritten by the next episode.
func (l *Learner) Eligibility() *mat.Dense { return l.elig }
