package credit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// DefaultStep is the default size of the finite difference behind the
// curvature estimates, relative to |J|: each direction v is scaled so
// that |eps v| = DefaultStep |J|.
const DefaultStep = 1e-3

// evalSalt separates the streams of the trials on which a curvature is
// measured from those of the rule's trials (seed).
const evalSalt = 0x5851f42d4c957f2d

// Curvature is the curvature of the expected error along the updates a
// rule makes after one trial.
type Curvature struct {
	// Rule is the rule's name.
	Rule string
	// UHU is E[u^T H u], H the Hessian of the expected error with respect
	// to J, and UHUSE its standard error over the samples. The second-
	// order model of one step eta' u, E[dE] = -eta' g.ubar + eta'^2/2
	// E[u^T H u], is best at eta' = E[-g.u] / UHU, where it decreases
	// the expected error by E[-g.u]^2 / (2 UHU) per trial: the rules'
	// ratios of that gain are the ratios of their learning speeds at
	// their best learning rates under that model.
	UHU, UHUSE float64
	// UU is E|u|^2 over the same updates and PerNorm UHU / UU, the mean
	// curvature in the directions the rule moves.
	UU, PerNorm float64
	// Samples is the number of updates, and Values their u^T H_m u, one
	// per sample (H_m the Hessian of trial m's error).
	Samples int
	Values  []float64
}

// AlongUpdates measures the curvature of the expected error along r's
// trial-end updates, from net's weights, running averages and the
// baselines, as Align samples them (update m is the update after episode
// m of a learning run seeded by seed, so that with Align's seed it is
// Align's update m). Each update u is paired with an independent trial
// (from streams derived from seed), on which u^T H_m u is the central
// difference of that trial's exact gradient along u, of relative size
// step (|eps u| = step |J|; <= 0 means DefaultStep). The mean over
// samples is unbiased for E[u^T H u] up to the difference's O(eps^2).
// net is not changed.
func AlongUpdates(ctx context.Context, net *network.Net, baselines []float64, tk task.Task, r rule.Rule, lc learn.Config, samples int, seed uint64, step float64) (Curvature, error) {
	c := Curvature{Rule: r.Name, Samples: samples}
	if samples < 2 {
		return c, field.Errorf("credit.AlongUpdates samples", "must be >= 2, got %d", samples)
	}
	if len(baselines) != tk.NumTypes() {
		return c, field.Errorf("credit.AlongUpdates baselines", "%d values for %d trial types", len(baselines), tk.NumTypes())
	}
	if net.WOut != nil && net.Config.ReadoutPlastic {
		return c, errors.New("credit.AlongUpdates: a plastic readout is not covered (H covers J only)")
	}
	us, err := newUpdates(net, baselines, tk, r, lc, seed)
	if err != nil {
		return c, err
	}
	h := newHessian(net, tk.Steps(), step)
	eval := learn.NewStreams(seed ^ evalSalt)
	var tr task.Trial
	var pert network.Perturbations
	c.Values = make([]float64, samples)
	sum, sumSq, uu := 0.0, 0.0, 0.0
	for m := range samples {
		if err := ctx.Err(); err != nil {
			return c, fmt.Errorf("credit: curvature of %s cancelled after %d of %d samples: %w", r.Name, m, samples, err)
		}
		u, err := us.at(m)
		if err != nil {
			return c, err
		}
		for _, v := range u {
			uu += v * v
		}
		if _, err := eval.Next(&tr, &pert, h.plus, tk, task.Cycle, m); err != nil {
			return c, err
		}
		h.start(h.plus)
		v, err := h.apply(&tr, &pert, u, nil)
		if err != nil {
			return c, fmt.Errorf("credit: curvature of %s, sample %d: %w", r.Name, m, err)
		}
		c.Values[m] = v
		sum += v
		sumSq += v * v
	}
	t := float64(samples)
	c.UHU = sum / t
	c.UHUSE = math.Sqrt(max(sumSq/t-c.UHU*c.UHU, 0) / (t - 1))
	c.UU = uu / t
	if c.UU > 0 {
		c.PerNorm = c.UHU / c.UU
	}
	return c, nil
}

// DirectionalCurvature returns the mean over trials trials of tk (trial
// m is episode m of a learning run seeded by seed, types in turn) of
// v^T H_m v, H_m the Hessian of trial m's error with respect to J, as
// AlongUpdates computes it (relative step as there): an estimate of
// v^T H v for the Hessian H of the expected error.
func DirectionalCurvature(ctx context.Context, net *network.Net, tk task.Task, v []float64, trials int, seed uint64, step float64) (float64, error) {
	n := net.Config.N
	if len(v) != n*n {
		return 0, field.Errorf("credit.DirectionalCurvature v", "length %d, want N*N = %d", len(v), n*n)
	}
	if trials < 1 {
		return 0, field.Errorf("credit.DirectionalCurvature trials", "must be >= 1, got %d", trials)
	}
	h := newHessian(net, tk.Steps(), step)
	streams := learn.NewStreams(seed)
	var tr task.Trial
	var pert network.Perturbations
	sum := 0.0
	for m := range trials {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("credit: curvature cancelled after %d of %d trials: %w", m, trials, err)
		}
		if _, err := streams.Next(&tr, &pert, h.plus, tk, task.Cycle, m); err != nil {
			return 0, err
		}
		h.start(h.plus)
		c, err := h.apply(&tr, &pert, v, nil)
		if err != nil {
			return 0, fmt.Errorf("credit: curvature trial %d: %w", m, err)
		}
		sum += c
	}
	return sum / float64(trials), nil
}

// Isotropic estimates the mean curvature of the expected error over
// directions, tr(H) / (number of synapses): the reference for
// Curvature.PerNorm. Sample m is v^T H_m v / |v|^2 on trial m (episode m
// of a learning run seeded by seed, types in turn), for a fresh Gaussian
// direction v (zero on absent synapses), the difference of relative size
// step as in AlongUpdates. It returns the mean and its standard error.
func Isotropic(ctx context.Context, net *network.Net, tk task.Task, samples int, seed uint64, step float64) (mean, se float64, err error) {
	if samples < 2 {
		return 0, 0, field.Errorf("credit.Isotropic samples", "must be >= 2, got %d", samples)
	}
	n := net.Config.N
	h := newHessian(net, tk.Steps(), step)
	streams := learn.NewStreams(seed)
	dirs := rand.New(rand.NewPCG(seed, evalSalt))
	v := make([]float64, n*n)
	var tr task.Trial
	var pert network.Perturbations
	sum, sumSq := 0.0, 0.0
	for m := range samples {
		if err := ctx.Err(); err != nil {
			return 0, 0, fmt.Errorf("credit: isotropic curvature cancelled after %d of %d samples: %w", m, samples, err)
		}
		vv := 0.0
		for k := range v {
			v[k] = 0
			if net.Mask == nil || net.Mask[k] {
				v[k] = dirs.NormFloat64()
				vv += v[k] * v[k]
			}
		}
		if _, err := streams.Next(&tr, &pert, h.plus, tk, task.Cycle, m); err != nil {
			return 0, 0, err
		}
		h.start(h.plus)
		c, err := h.apply(&tr, &pert, v, nil)
		if err != nil {
			return 0, 0, fmt.Errorf("credit: isotropic curvature, sample %d: %w", m, err)
		}
		c /= vv
		sum += c
		sumSq += c * c
	}
	t := float64(samples)
	mean = sum / t
	return mean, math.Sqrt(max(sumSq/t-mean*mean, 0) / (t - 1)), nil
}

// hessian applies the Hessian of one trial's error with respect to J to
// a direction v: the central difference (g(J + eps v) - g(J - eps v)) /
// (2 eps) of the trial's exact gradients, both runs from the same initial
// state, inputs and perturbations.
type hessian struct {
	bp          *Backprop
	base        []float64 // J
	plus, minus *network.Net
	gp, gm      []float64
	x0, r0      []float64 // the trial's initial state
	eps         float64   // step |J|
}

func newHessian(net *network.Net, steps int, step float64) *hessian {
	if step <= 0 {
		step = DefaultStep
	}
	n := net.Config.N
	base := net.J.RawMatrix().Data
	jn := 0.0
	for _, v := range base {
		jn += v * v
	}
	return &hessian{
		bp:   NewBackprop(n, steps),
		base: base,
		plus: net.Clone(), minus: net.Clone(),
		gp: make([]float64, n*n), gm: make([]float64, n*n),
		x0: make([]float64, n), r0: make([]float64, n),
		eps: step * math.Sqrt(jn),
	}
}

// start records from's state as the trial's initial state.
func (h *hessian) start(from *network.Net) {
	copy(h.x0, from.X)
	copy(h.r0, from.R)
}

func (h *hessian) restore(net *network.Net) {
	copy(net.X, h.x0)
	copy(net.R, h.r0)
	copy(net.RPrev, h.r0)
	clear(net.DX)
}

// apply returns v^T H_m v and, when hv is not nil, writes H_m v into it.
func (h *hessian) apply(tr *task.Trial, pert *network.Perturbations, v, hv []float64) (float64, error) {
	vn := 0.0
	for _, x := range v {
		vn += x * x
	}
	if vn == 0 {
		clear(hv)
		return 0, nil
	}
	eps := h.eps / math.Sqrt(vn)
	pj, mj := h.plus.J.RawMatrix().Data, h.minus.J.RawMatrix().Data
	for k, b := range h.base {
		pj[k] = b + eps*v[k]
		mj[k] = b - eps*v[k]
	}
	h.restore(h.plus)
	if _, err := h.bp.Trial(h.plus, tr, pert, h.gp); err != nil {
		return 0, err
	}
	h.restore(h.minus)
	if _, err := h.bp.Trial(h.minus, tr, pert, h.gm); err != nil {
		return 0, err
	}
	s := 0.0
	for k, x := range v {
		d := (h.gp[k] - h.gm[k]) / (2 * eps)
		if hv != nil {
			hv[k] = d
		}
		s += d * x
	}
	return s, nil
}
