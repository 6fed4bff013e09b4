package task

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// Task yields the trials of a task.
type Task interface {
	// NumTypes is the number of trial types (> 0).
	NumTypes() int
	// NumInputs is the number of input channels.
	NumInputs() int
	// Steps is the number of time steps of a trial.
	Steps() int
	// Trial fills dst, already Reset to Steps() x NumInputs() zeros, with a
	// trial of type typ in [0, NumTypes()), drawing any randomness from
	// rng. It must not keep dst.
	Trial(dst *Trial, typ int, rng *rand.Rand)
}

// Trial is one trial: inputs, target and evaluation window.
type Trial struct {
	Type      int
	NumInputs int
	// Inputs holds u(t) row by row: u_k(t) = Inputs[t*NumInputs+k].
	Inputs []float64
	// Target holds z*(t), one per step.
	Target []float64
	// EvalStart, EvalEnd delimit the evaluation window [EvalStart, EvalEnd).
	EvalStart, EvalEnd int
}

// Reset resizes tr to steps x nin, zeroes it and empties the window. It
// allocates only when tr grows.
func (tr *Trial) Reset(steps, nin int) {
	if cap(tr.Inputs) < steps*nin {
		tr.Inputs = make([]float64, steps*nin)
	}
	if cap(tr.Target) < steps {
		tr.Target = make([]float64, steps)
	}
	tr.Inputs = tr.Inputs[:steps*nin]
	tr.Target = tr.Target[:steps]
	clear(tr.Inputs)
	clear(tr.Target)
	tr.NumInputs = nin
	tr.Type, tr.EvalStart, tr.EvalEnd = 0, 0, 0
}

// Steps returns the trial's number of steps.
func (tr *Trial) Steps() int { return len(tr.Target) }

// Input returns u(t) (a view, not a copy).
func (tr *Trial) Input(t int) []float64 {
	return tr.Inputs[t*tr.NumInputs : (t+1)*tr.NumInputs]
}

// Set sets channel ch to v over steps [from, to), clipped to the trial.
func (tr *Trial) Set(from, to, ch int, v float64) {
	from, to = max(from, 0), min(to, tr.Steps())
	for t := from; t < to; t++ {
		tr.Inputs[t*tr.NumInputs+ch] = v
	}
}

// SetTarget sets the target to v over steps [from, to), clipped to the trial.
func (tr *Trial) SetTarget(from, to int, v float64) {
	from, to = max(from, 0), min(to, tr.Steps())
	for t := from; t < to; t++ {
		tr.Target[t] = v
	}
}

// Error returns the mean of |z(t) - target(t)| over the evaluation window;
// z holds the output at every step.
func (tr *Trial) Error(z []float64) float64 {
	s := 0.0
	for t := tr.EvalStart; t < tr.EvalEnd; t++ {
		d := z[t] - tr.Target[t]
		if d < 0 {
			d = -d
		}
		s += d
	}
	return s / float64(tr.EvalEnd-tr.EvalStart)
}

// ErrEmptyWindow is returned (wrapped) by Check for a trial whose
// evaluation window is empty.
var ErrEmptyWindow = errors.New("empty evaluation window")

// Check reports a trial the learner cannot use: an empty or out-of-range
// evaluation window (the error names Trial.EvalStart/EvalEnd), or a type
// out of range.
func (tr *Trial) Check(numTypes int) error {
	if tr.EvalStart < 0 || tr.EvalEnd > tr.Steps() || tr.EvalStart >= tr.EvalEnd {
		return field.Errorf("task.Trial.EvalStart, EvalEnd", "[%d, %d) in a trial of %d steps: %w", tr.EvalStart, tr.EvalEnd, tr.Steps(), ErrEmptyWindow)
	}
	if tr.Type < 0 || tr.Type >= numTypes {
		return field.Errorf("task.Trial.Type", "%d not in [0, %d)", tr.Type, numTypes)
	}
	return nil
}

// Generate resets dst to tk's shape and fills it with a trial of type typ,
// then checks it.
func Generate(tk Task, dst *Trial, typ int, rng *rand.Rand) error {
	dst.Reset(tk.Steps(), tk.NumInputs())
	tk.Trial(dst, typ, rng)
	dst.Type = typ
	return dst.Check(tk.NumTypes())
}

// Validate checks a task's shape: NumTypes > 0, Steps > 0, NumInputs >= 0.
// Errors name the method.
func Validate(tk Task) error {
	var errs []error
	if tk.NumTypes() <= 0 {
		errs = append(errs, field.Errorf("task NumTypes", "must be > 0, got %d", tk.NumTypes()))
	}
	if tk.Steps() <= 0 {
		errs = append(errs, field.Errorf("task Steps", "must be > 0, got %d", tk.Steps()))
	}
	if tk.NumInputs() < 0 {
		errs = append(errs, field.Errorf("task NumInputs", "must be >= 0, got %d", tk.NumInputs()))
	}
	return errors.Join(errs...)
}

// Func adapts a function to Task: the quickest way to define a task in a
// notebook cell.
type Func struct {
	Name   string
	Types  int // number of trial types
	Inputs int // number of input channels
	Length int // steps per trial
	// Fill fills a zeroed trial of type typ; see Task.Trial.
	Fill func(dst *Trial, typ int, rng *rand.Rand)
}

func (f Func) NumTypes() int  { return f.Types }
func (f Func) NumInputs() int { return f.Inputs }
func (f Func) Steps() int     { return f.Length }
func (f Func) Trial(dst *Trial, typ int, rng *rand.Rand) {
	f.Fill(dst, typ, rng)
}
func (f Func) String() string { return f.Name }

// Order says how the learner picks the trial type of each episode.
type Order int

const (
	// Cycle: type = episode mod NumTypes (Miconi; the default).
	Cycle Order = iota
	// Random: a type drawn uniformly at random each episode.
	Random
)

var orderNames = [...]string{Cycle: "cycle", Random: "random"}

// String returns "cycle" or "random" ("" if unknown).
func (o Order) String() string {
	if o < 0 || int(o) >= len(orderNames) {
		return ""
	}
	return orderNames[o]
}

// MarshalText encodes o by name.
func (o Order) MarshalText() ([]byte, error) {
	if o.String() == "" {
		return nil, fmt.Errorf("task: unknown Order %d", int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText decodes a name written by MarshalText.
func (o *Order) UnmarshalText(b []byte) error {
	for i, s := range orderNames {
		if s == string(b) {
			*o = Order(i)
			return nil
		}
	}
	return fmt.Errorf("task: unknown Order %q", b)
}

// Pick returns the trial type of episode ep under order o.
func (o Order) Pick(ep, numTypes int, rng *rand.Rand) int {
	if o == Random {
		return rng.IntN(numTypes)
	}
	return ep % numTypes
}

// Dter is implemented by tasks whose timings were converted with a time
// step: the learner checks it equals the network's.
type Dter interface {
	Dt() float64
}
