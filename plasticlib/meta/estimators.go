package meta

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// centralDiff returns the central finite-difference gradient of e's
// objective at phi with step h (relative to max(1, |phi_p|)); richardson
// extrapolates the steps h and h/2 (error O(h^4) instead of O(h^2), twice
// the runs).
func centralDiff(e *Engine, phi []float64, h float64, richardson bool) ([]float64, error) {
	if richardson {
		g1, err := centralDiff(e, phi, h, false)
		if err != nil {
			return nil, err
		}
		g2, err := centralDiff(e, phi, h/2, false)
		if err != nil {
			return nil, err
		}
		for q := range g1 {
			g1[q] = (4*g2[q] - g1[q]) / 3
		}
		return g1, nil
	}
	g := make([]float64, len(phi))
	x := append([]float64(nil), phi...)
	for q := range phi {
		s := h * max(1, abs(phi[q]))
		x[q] = phi[q] + s
		fp, err := e.Objective(x)
		if err != nil {
			return nil, err
		}
		x[q] = phi[q] - s
		fm, err := e.Objective(x)
		if err != nil {
			return nil, err
		}
		x[q] = phi[q]
		g[q] = (fp - fm) / (2 * s)
	}
	return g, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Method names a meta-gradient estimator.
type Method int

const (
	// Exact is forward-mode tangent propagation through the whole
	// learning run (the default).
	Exact Method = iota
	// Truncated drops the activity tangents (dx, dr and dJ's effect on
	// activity): g_p = mean_n (R_n - Rbar_c(n)) sum_ij e^(p)_ij(n), with
	// e^(p) the trace of basis term p alone (and the derivative of the
	// trace's decay for log tau_e), the REINFORCE-like estimator of the
	// paper's earlier version. It is not the gradient of the objective;
	// it costs O(P N^2) per trial, not per step.
	Truncated
	// FiniteDiff is central finite differences, 2 P runs.
	FiniteDiff
	// ES is evolution strategies with antithetic Gaussian perturbations,
	// 2 Pairs runs.
	ES
)

var methodNames = [...]string{Exact: "exact", Truncated: "truncated", FiniteDiff: "finite-diff", ES: "es"}

func (m Method) String() string {
	if m < 0 || int(m) >= len(methodNames) {
		return ""
	}
	return methodNames[m]
}

// MarshalText writes the method's name.
func (m Method) MarshalText() ([]byte, error) {
	if m.String() == "" {
		return nil, fmt.Errorf("meta: unknown Method %d", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText reads a method's name.
func (m *Method) UnmarshalText(b []byte) error {
	for i, s := range methodNames {
		if s == string(b) {
			*m = Method(i)
			return nil
		}
	}
	return fmt.Errorf("meta: unknown Method %q", b)
}

// EstimatorConfig selects and tunes an estimator.
type EstimatorConfig struct {
	Method Method `json:"method"`
	// FDStep is the central-difference step, relative to max(1, |phi_p|).
	// Default (0) 1e-5.
	FDStep float64 `json:"fd_step"`
	// ESSigma is the standard deviation of the ES perturbations.
	// Default (0) 0.01. Under Train with a Precondition, meta-parameter q
	// is perturbed by ESSigma s_q (History.Scale): ES in the optimiser's
	// coordinates.
	ESSigma float64 `json:"es_sigma"`
	// ESPairs is the number of antithetic pairs. Default (0) P.
	ESPairs int `json:"es_pairs"`
	// ESSeed seeds the ES perturbations (mixed with the run's seed).
	ESSeed uint64 `json:"es_seed"`
	// ESScale, when set, perturbs meta-parameter q by ESSigma ESScale[q]
	// (1 past its end): ES in the coordinates phi_q / ESScale[q]. Train
	// ignores it and uses its own History.Scale.
	ESScale []float64 `json:"es_scale,omitempty"`
}

// Validate reports invalid fields.
func (c EstimatorConfig) Validate() error {
	var errs []error
	if c.Method.String() == "" {
		errs = append(errs, field.Errorf("meta.EstimatorConfig.Method", "unknown value %d", int(c.Method)))
	}
	if !(c.FDStep >= 0) || !(c.ESSigma >= 0) || c.ESPairs < 0 {
		errs = append(errs, field.Errorf("meta.EstimatorConfig.FDStep, ESSigma, ESPairs", "must be >= 0"))
	}
	for q, x := range c.ESScale {
		if !(x > 0) || math.IsInf(x, 0) {
			errs = append(errs, field.Errorf(fmt.Sprintf("meta.EstimatorConfig.ESScale[%d]", q), "must be finite and > 0, got %g", x))
		}
	}
	return errors.Join(errs...)
}

// Estimator estimates the meta-gradient of a problem's objective for the
// learning run of the current seed. Gradient returns the objective at phi
// (the primal run's) and a new gradient slice; it does not keep phi.
type Estimator interface {
	Gradient(ctx context.Context, phi []float64) (obj float64, grad []float64, err error)
	// SetSeed sets the learning run's seed (common random numbers).
	SetSeed(seed uint64)
}

// NewEstimator returns the estimator c selects for p. Each estimator owns
// an Engine: use one per goroutine.
func NewEstimator(p Problem, c EstimatorConfig) (Estimator, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Method == Truncated {
		// Its estimate is the reward's advantage times each basis term's
		// own trace (and the trace decay's derivative): a score of the
		// mean reward, with no per-trial weight, and no term for what has
		// no trace of its own (the exponent, eta, tau_w, a_R), whose estimate
		// would be 0, not a gradient.
		switch {
		case p.Params.Power:
			return nil, errors.New("meta.Problem.Params.Power: the truncated estimator has no estimate for the modulation's exponent (use exact, with a Horizon, or ES)")
		case p.Params.LogEta || p.Params.LogTauW || p.Params.Baseline:
			return nil, errors.New("meta.Problem.Params.LogEta, LogTauW, Baseline: the truncated estimator has no estimate for log eta, log tau_w or logit a_R (use exact, with a Horizon, or ES)")
		case p.Objective != MeanReward:
			return nil, fmt.Errorf("meta.Problem.Objective: the truncated estimator estimates the mean reward only, not %s (use exact, with a Horizon, or ES)", p.Objective)
		}
	}
	e, err := newEngine(p, c.Method == Truncated)
	if err != nil {
		return nil, err
	}
	switch c.Method {
	case Exact, Truncated:
		return tangentEstimator{e}, nil
	case FiniteDiff:
		h := c.FDStep
		if h == 0 {
			h = 1e-5
		}
		return &fdEstimator{e: e, h: h}, nil
	}
	sigma, pairs := c.ESSigma, c.ESPairs
	if sigma == 0 {
		sigma = 0.01
	}
	if pairs == 0 {
		pairs = e.np
	}
	return &esEstimator{e: e, sigma: sigma, pairs: pairs, seed: c.ESSeed, scale: c.ESScale}, nil
}

type tangentEstimator struct{ e *Engine }

func (t tangentEstimator) SetSeed(seed uint64) { t.e.SetSeed(seed) }

func (t tangentEstimator) Gradient(ctx context.Context, phi []float64) (float64, []float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	g := make([]float64, len(phi))
	obj, err := t.e.Gradient(phi, g)
	return obj, g, err
}

type fdEstimator struct {
	e *Engine
	h float64
}

func (f *fdEstimator) SetSeed(seed uint64) { f.e.SetSeed(seed) }

func (f *fdEstimator) Gradient(ctx context.Context, phi []float64) (float64, []float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	obj, err := f.e.Objective(phi)
	if err != nil {
		return obj, nil, err
	}
	g, err := centralDiff(f.e, phi, f.h, false)
	return obj, g, err
}

type esEstimator struct {
	e     *Engine
	sigma float64
	pairs int
	seed  uint64
	// scale, when set (EstimatorConfig.ESScale, or Train's History.Scale), perturbs
	// meta-parameter q by sigma scale[q] eps_q: ES in the optimiser's
	// coordinates phi_q / scale[q].
	scale []float64
}

func (s *esEstimator) SetSeed(seed uint64) { s.e.SetSeed(seed) }

func (s *esEstimator) Gradient(ctx context.Context, phi []float64) (float64, []float64, error) {
	obj, err := s.e.Objective(phi)
	if err != nil {
		return obj, nil, err
	}
	rng := rand.New(rand.NewPCG(s.seed, s.e.prob.Learn.Seed^0x6573)) // stream "es"
	g := make([]float64, len(phi))
	eps := make([]float64, len(phi))
	x := make([]float64, len(phi))
	for range s.pairs {
		if err := ctx.Err(); err != nil {
			return obj, nil, err
		}
		for q := range eps {
			eps[q] = rng.NormFloat64()
		}
		var f [2]float64
		for k, sign := range [2]float64{1, -1} {
			for q := range x {
				x[q] = phi[q] + sign*s.sigma*s.scaleOf(q)*eps[q]
			}
			if f[k], err = s.e.Objective(x); err != nil {
				return obj, nil, err
			}
		}
		c := (f[0] - f[1]) / (2 * s.sigma * float64(s.pairs))
		for q := range g {
			g[q] += c * eps[q] / s.scaleOf(q)
		}
	}
	return obj, g, nil
}

func (s *esEstimator) scaleOf(q int) float64 {
	if q < len(s.scale) {
		return s.scale[q]
	}
	return 1
}
