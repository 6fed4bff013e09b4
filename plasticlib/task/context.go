package task

import (
	"errors"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// ContextConfig configures context-dependent integration (Mante et al.
// 2013, the paper's task). Times in ms. Channels 0 and 1 carry the two
// noisy modalities u_m(t) = Noise (Normal(0,1) + b_m), b_m = +-Bias,
// during [StimStart, StimEnd); channels 2 and 3 a one-hot context for the
// whole trial saying which modality counts. Trial types: context =
// type/2 (0: modality 0 attended), attended bias sign = type%2 (0: -,
// 1: +); the other modality's sign is drawn at random. Target =
// +-Target, the attended sign, scored over [EvalStart, EvalEnd).
type ContextConfig struct {
	Dt                 float64 // time step in ms; default 1
	Duration           float64 // default 700
	StimStart, StimEnd float64 // default 1, 500
	EvalStart, EvalEnd float64 // default 500, 700
	Bias               float64 // |b_m|, default 0.5
	Noise              float64 // default 0.5
	ContextAmp         float64 // default 1
	Target             float64 // default 1
}

// DefaultContext returns the context-dependent integration task (Mante et
// al. 2013) with a 700 ms trial: both modalities' evidence over 1-500 ms,
// the context cue throughout, the answer scored over 500-700 ms.
func DefaultContext() ContextConfig {
	return ContextConfig{Dt: 1, Duration: 700, StimStart: 1, StimEnd: 500, EvalStart: 500, EvalEnd: 700,
		Bias: 0.5, Noise: 0.5, ContextAmp: 1, Target: 1}
}

// Context is the context-dependent integration task. Build it with NewContext.
type Context struct {
	cfg  ContextConfig
	n    int
	eval [2]int
}

// NewContext validates c (errors name the field) and returns the task.
func NewContext(c ContextConfig) (*Context, error) {
	if !(c.Dt > 0) {
		return nil, field.Errorf("task.ContextConfig.Dt", "must be > 0, got %g", c.Dt)
	}
	n := steps(c.Duration, c.Dt)
	var errs []error
	if n <= 0 {
		errs = append(errs, field.Errorf("task.ContextConfig.Duration", "must be at least one step, got %g ms", c.Duration))
	}
	e0, e1 := steps(c.EvalStart, c.Dt), steps(c.EvalEnd, c.Dt)
	if e0 < 0 || e1 > n || e0 >= e1 {
		errs = append(errs, field.Errorf("task.ContextConfig.EvalStart", "empty or out-of-trial evaluation window [%g, %g) ms", c.EvalStart, c.EvalEnd))
	}
	if c.Noise < 0 {
		errs = append(errs, field.Errorf("task.ContextConfig.Noise", "must be >= 0, got %g", c.Noise))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Context{cfg: c, n: n, eval: [2]int{e0, e1}}, nil
}

// Config returns the task's configuration.
func (x *Context) Config() ContextConfig { return x.cfg }
func (x *Context) Dt() float64           { return x.cfg.Dt }
func (x *Context) NumTypes() int         { return 4 }
func (x *Context) NumInputs() int        { return 4 }
func (x *Context) Steps() int            { return x.n }
func (x *Context) String() string        { return "context integration" }

// Trial fills dst with a trial of type typ.
func (x *Context) Trial(dst *Trial, typ int, rng *rand.Rand) {
	c, dt := x.cfg, x.cfg.Dt
	ctx, sign := typ/2, float64(2*(typ%2)-1)
	var b [2]float64
	b[ctx] = sign * c.Bias
	b[1-ctx] = c.Bias
	if rng.IntN(2) == 0 {
		b[1-ctx] = -c.Bias
	}
	s0, s1 := max(steps(c.StimStart, dt), 0), min(steps(c.StimEnd, dt), x.n)
	for t := s0; t < s1; t++ {
		u := dst.Input(t)
		u[0] = c.Noise * (rng.NormFloat64() + b[0])
		u[1] = c.Noise * (rng.NormFloat64() + b[1])
	}
	dst.Set(0, x.n, 2+ctx, c.ContextAmp)
	dst.SetTarget(0, x.n, sign*c.Target)
	dst.EvalStart, dst.EvalEnd = x.eval[0], x.eval[1]
}
