package meta

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// ProbeConfig says where Probe looks along the meta-gradient.
type ProbeConfig struct {
	// Steps are the step lengths eps > 0, in the optimiser's scaled
	// coordinates phi_q / s_q (the units of Config.LR): the objectives are
	// evaluated at phi + eps s_q u_q and phi - eps s_q u_q.
	Steps []float64
	// Direction u, in scaled coordinates (normalised by Probe), replaces
	// the gradient's own step direction: to ask how another estimator's
	// direction does, or a gradient taken with another Horizon.
	Direction []float64
	// Ready, when set, is called once the gradients, the direction, the
	// slopes and the objectives at phi are in the Probe (before the
	// steps); Done after each step length's evaluations (in Steps' order).
	Ready func(*Probe)
	Done  func(ProbeStep)
}

// ProbeStep is the objectives of every seed at one step length.
type ProbeStep struct {
	Eps float64
	// TrainPlus[b], TrainMinus[b]: training seed b at phi ± eps s⊙u;
	// HeldPlus[k], HeldMinus[k]: held-out seed k.
	TrainPlus, TrainMinus, HeldPlus, HeldMinus []float64
}

// Probe is the check of a meta-gradient against the objective it is the
// gradient of, along the step it sets.
type Probe struct {
	Names []string
	Phi   []float64
	Scale []float64 // the step scales s_q (Config.Precondition)
	// SeedGrads[b] is training seed b's gradient (Train's first iteration's
	// seeds); Grad the one the step follows (under SeedNormalize, the mean
	// of the seeds' normalised gradients).
	SeedGrads [][]float64
	Grad      []float64
	// Direction u is the unit step direction in scaled coordinates: the
	// preconditioned Grad (s_q Grad_q) normalised, or ProbeConfig's.
	Direction []float64
	// Slope[b] is the estimator's derivative of training seed b's
	// objective along u: sum_q SeedGrads[b][q] s_q u_q.
	Slope []float64
	// Train[b], HeldOut[k] are the objectives at phi itself.
	Train, HeldOut []float64
	Steps          []ProbeStep
}

// TrainSlope is the central difference along u of training seed b's
// objective at step i, the derivative Slope[b] estimates.
func (p *Probe) TrainSlope(i, b int) float64 {
	s := p.Steps[i]
	return (s.TrainPlus[b] - s.TrainMinus[b]) / (2 * s.Eps)
}

// HeldOutSlope is the central difference along u of the mean held-out
// objective at step i.
func (p *Probe) HeldOutSlope(i int) float64 {
	s := p.Steps[i]
	return (mean(s.HeldPlus) - mean(s.HeldMinus)) / (2 * s.Eps)
}

// MeanSlope is the mean of Slope: the estimator's derivative of the mean
// training objective along u.
func (p *Probe) MeanSlope() float64 { return mean(p.Slope) }

// MeanTrainSlope is the central difference of the mean training objective
// at step i.
func (p *Probe) MeanTrainSlope(i int) float64 {
	s := p.Steps[i]
	return (mean(s.TrainPlus) - mean(s.TrainMinus)) / (2 * s.Eps)
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// ProbeGradient checks the meta-gradient of cfg at cfg.Problem's rule: it
// computes the training seeds' gradients as Train's first iteration does
// (same seeds, same estimator, same step scales), takes the direction the
// step would follow, and evaluates every training seed's and held-out
// seed's (cfg.EvalSeeds) objective at phi and at phi ± eps s⊙u for each
// of pc.Steps, each seed with its own random numbers at every point
// (common random numbers). A central difference of a seed's objective
// is then the derivative its gradient estimates (plus the objective's
// curvature and roughness at that scale); a Horizon's bias, or a
// direction that goes uphill on the training seeds and downhill on
// others, shows as a disagreement. On ctx cancellation it returns the
// step lengths completed and an error wrapping ctx.Err().
//
// With cfg.Seeds 0 and a Direction, there is no gradient: only the
// held-out seeds' objectives at phi ± eps are evaluated (not at phi), for
// the derivative of the held-out objective along a chosen direction.
func ProbeGradient(ctx context.Context, cfg Config, pc ProbeConfig) (*Probe, error) {
	noGrad := cfg.Seeds == 0 && pc.Direction != nil
	vc := cfg
	if noGrad {
		vc.Seeds = 1
	}
	if err := vc.validate(); err != nil {
		return nil, err
	}
	if noGrad && len(cfg.EvalSeeds) == 0 {
		return nil, errors.New("meta.Config.EvalSeeds: a probe without training seeds needs held-out seeds")
	}
	for i, eps := range pc.Steps {
		if !(eps > 0) || math.IsInf(eps, 0) {
			return nil, fmt.Errorf("meta.ProbeConfig.Steps[%d] must be > 0 and finite, got %g", i, eps)
		}
	}
	p, err := cfg.problem()
	if err != nil {
		return nil, err
	}
	h := &History{Config: cfg, Names: p.Params.Names(p.Rule), Phi: p.Params.Get(p.Rule)}
	np := len(h.Phi)
	if pc.Direction != nil && len(pc.Direction) != np {
		return nil, fmt.Errorf("meta.ProbeConfig.Direction has %d values, want %d (%v)", len(pc.Direction), np, h.Names)
	}
	if h.Scale, err = stepScales(p, cfg); err != nil {
		return nil, err
	}
	pr := &Probe{Names: h.Names, Phi: h.Phi, Scale: h.Scale,
		SeedGrads: make([][]float64, cfg.Seeds), Train: make([]float64, cfg.Seeds), HeldOut: make([]float64, len(cfg.EvalSeeds))}
	seeds := make([]uint64, 0, cfg.Seeds+len(cfg.EvalSeeds))
	for b := range cfg.Seeds {
		seeds = append(seeds, cfg.Seed*1000003+uint64(b))
	}
	seeds = append(seeds, cfg.EvalSeeds...)
	sem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)/2))
	// each runs f(j) for every seed j, at most len(sem) at once.
	each := func(f func(j int) error) error {
		errs := make([]error, len(seeds))
		var wg sync.WaitGroup
		for j := range seeds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				if err := ctx.Err(); err != nil {
					errs[j] = err
					return
				}
				errs[j] = f(j)
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	engines := make([]*Engine, len(seeds))
	for j, s := range seeds {
		if engines[j], err = NewEngine(p); err != nil {
			return nil, err
		}
		engines[j].SetSeed(s)
	}
	// The gradients (the held-out seeds' objectives at phi beside them).
	if noGrad {
		pr.HeldOut = nil
	} else if err := each(func(j int) error {
		if j < cfg.Seeds {
			est, err := NewEstimator(p, cfg.Estimator)
			if err != nil {
				return err
			}
			est.SetSeed(seeds[j])
			pr.Train[j], pr.SeedGrads[j], err = est.Gradient(ctx, h.Phi)
			return err
		}
		var err error
		pr.HeldOut[j-cfg.Seeds], err = engines[j].Objective(h.Phi)
		return err
	}); err != nil {
		return nil, probeErr(ctx, err)
	}
	pr.Grad = make([]float64, np)
	for _, g := range pr.SeedGrads {
		for q, v := range g {
			pr.Grad[q] += v / float64(cfg.Seeds)
		}
	}
	_, pr.Grad = h.seedMean(pr.SeedGrads, pr.Grad)
	u := make([]float64, np)
	if pc.Direction != nil {
		copy(u, pc.Direction)
	} else {
		for q, g := range pr.Grad {
			u[q] = g * h.scale(q)
		}
	}
	n := sqrtDot(u)
	if !(n > 0) || math.IsInf(n, 0) {
		return pr, fmt.Errorf("meta: the probe's direction has norm %g", n)
	}
	for q := range u {
		u[q] /= n
	}
	pr.Direction = u
	pr.Slope = make([]float64, cfg.Seeds)
	for b, g := range pr.SeedGrads {
		for q, v := range g {
			pr.Slope[b] += v * h.scale(q) * u[q]
		}
	}
	if pc.Ready != nil {
		pc.Ready(pr)
	}
	for _, eps := range pc.Steps {
		st := ProbeStep{Eps: eps, TrainPlus: make([]float64, cfg.Seeds), TrainMinus: make([]float64, cfg.Seeds),
			HeldPlus: make([]float64, len(cfg.EvalSeeds)), HeldMinus: make([]float64, len(cfg.EvalSeeds))}
		plus, minus := make([]float64, np), make([]float64, np)
		for q := range u {
			plus[q] = h.Phi[q] + eps*h.scale(q)*u[q]
			minus[q] = h.Phi[q] - eps*h.scale(q)*u[q]
		}
		err := each(func(j int) error {
			op, om := &st.HeldPlus, &st.HeldMinus
			k := j - cfg.Seeds
			if j < cfg.Seeds {
				op, om, k = &st.TrainPlus, &st.TrainMinus, j
			}
			var err error
			if (*op)[k], err = engines[j].Objective(plus); err != nil {
				return err
			}
			(*om)[k], err = engines[j].Objective(minus)
			return err
		})
		if err != nil {
			return pr, probeErr(ctx, err)
		}
		pr.Steps = append(pr.Steps, st)
		if pc.Done != nil {
			pc.Done(st)
		}
	}
	return pr, nil
}

// probeErr is err, or on cancellation an error saying so that wraps
// ctx.Err().
func probeErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("meta: probe cancelled: %w", ctx.Err())
	}
	return err
}
