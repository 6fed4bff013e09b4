package meta

import (
	"errors"
	"fmt"
	"math"

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
//
// Learn.Precision (default linalg.Float64) is also the precision of the
// meta-gradient. Under linalg.Float32 the primal steps (network.Net32),
// the factor rows, the eligibility's product, the P state tangents
// (dx, dxbar, dr and the products J dr_prev, dJ_p r_prev) and the trace
// tangents de_p with their products run in float32 (linalg.Gemm32); J,
// the accumulated dJ/dphi_p, the readout's W_out, the baselines and
// their tangents, the error and its tangent, the update and its tangent
// (which sums into dJ_p over the whole run) and the gradient stay
// float64, with J and dJ_p rounded to float32 at every trial's start and
// the eligibility widened at its end. It covers what learn's float32
// covers: a plastic readout is an error naming Learn.Precision.
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
	// Objective is what meta-learning maximises (default MeanReward);
	// Threshold and Temperature are SoftCorrect's (defaults
	// DefaultThreshold, DefaultTemperature).
	Objective   Objective `json:"objective,omitempty"`
	Threshold   float64   `json:"threshold,omitempty"`
	Temperature float64   `json:"temperature,omitempty"`
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
	if p.Net.ConnProb != 1 || p.Net.Dale {
		add("Net.ConnProb", "sparse or Dale networks are not supported")
	}
	if p.Learn.Precision == linalg.Float32 && p.Net.Readout == network.LinearReadout && p.Net.ReadoutPlastic {
		add("Learn.Precision", "float32 does not cover a plastic readout (nor does learn's)")
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
	if p.Params.Baseline && !(p.Rule.BaselineDecay > 0 && p.Rule.BaselineDecay < 1) {
		add("Rule.BaselineDecay", "must be in (0, 1) to meta-learn logit a_R, got %g", p.Rule.BaselineDecay)
	}
	if p.Objective.String() == "" {
		add("Objective", "unknown value %d", int(p.Objective))
	}
	if !(p.Threshold >= 0) || math.IsInf(p.Threshold, 0) || !(p.Temperature >= 0) || math.IsInf(p.Temperature, 0) {
		add("Threshold, Temperature", "must be finite and >= 0 (0: the default), got %g, %g", p.Threshold, p.Temperature)
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
