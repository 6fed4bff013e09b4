package learn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// History is what a run returns: one entry per finished episode, plus what
// Config.Record asked for.
type History struct {
	// First is the index of the first episode recorded here.
	First int
	// Errors[n] is episode First+n's error E (mean |z - target| over the
	// evaluation window); Rewards[n] = -Errors[n]; Types[n] its trial type.
	Errors  []float64
	Rewards []float64
	Types   []int
	// Activity holds the trials listed in Record.Activity.
	Activity []Activity
	// Traces holds the eligibility traces listed in Record.Traces.
	Traces []Trace
	// DeltaJ is the sum of the weight changes applied to J (nil unless
	// Record.DeltaJ).
	DeltaJ *mat.Dense
}

// Len returns the number of finished episodes in h.
func (h *History) Len() int { return len(h.Errors) }

// Activity is one trial's per-step activity.
type Activity struct {
	Episode, Type int
	// Rates is T x N: row t holds r(t) after step t.
	Rates *mat.Dense
	// Output and Target hold z(t) and the target at every step.
	Output, Target []float64
	// EvalStart, EvalEnd delimit the evaluation window.
	EvalStart, EvalEnd int
	Error              float64
}

// Trace is the eligibility of chosen synapses over one trial.
type Trace struct {
	Episode, Type int
	// Synapses lists the (post i, pre j) pairs, one column each of Values.
	Synapses [][2]int
	// Values is T x len(Synapses): e_ij after step t.
	Values *mat.Dense
}

// DivergenceError reports a non-finite state: the run stopped at Episode,
// Step (Unit is the first non-finite unit, -1 for the output).
type DivergenceError struct {
	Episode, Step, Unit int
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("learn: diverged (non-finite state) at episode %d, step %d, unit %d", e.Episode, e.Step, e.Unit)
}
