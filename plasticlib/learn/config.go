package learn

import (
	"errors"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Config configures a learning run. Start from DefaultConfig.
type Config struct {
	// Episodes is the number of episodes (trials) Run performs. Default 1000.
	Episodes int
	// WarmUp: the weights change only from episode WarmUp (0-based) on.
	// Default 100. (Miconi's code starts one trial later, numtrial > 100.)
	WarmUp int
	// BaselineDecay is a_R of the per-type baseline
	// Ebar_c <- a_R Ebar_c + (1 - a_R) E. Default 0.75. A rule with its
	// own (rule.Rule.BaselineDecay > 0) overrides it.
	BaselineDecay float64
	// TraceAfter: the eligibility accumulates at steps t > TraceAfter
	// (0-based). Default 2.
	TraceAfter int
	// Order picks each episode's trial type. Default task.Cycle.
	Order task.Order
	// Seed seeds the trial streams: initial states, perturbations, trial
	// types (random order) and the task's own randomness. Default 0.
	Seed uint64
	// Record says what to keep beyond errors, rewards and types (memory
	// bounded by the episodes listed). Default: nothing.
	Record Record
	// Progress, if not nil, is called after every episode.
	Progress func(Progress) `json:"-"`
	// Stop, if not nil, is called after every episode with the history so
	// far; returning true ends the run early (without error).
	Stop func(h *History) bool `json:"-"`
	// Serial keeps an episode's trace product on its own goroutine, after
	// the steps. Default false: when the process has a core to spare (fewer
	// episodes in flight than GOMAXPROCS, counted across all Learners) and
	// that has been the faster way over the Learner's recent trials (other
	// processes may hold the cores), the product runs in blocks on a second
	// goroutine while the steps run. The results are the same bit for bit
	// either way; only the time differs.
	Serial bool `json:"-"`
	// Precision is the floating-point type of each trial's primal: the
	// network's steps (network.Net32), the trace's factor rows and their
	// products. Default linalg.Float64. Under linalg.Float32 the weights,
	// baselines, error and update stay float64 (J is rounded to float32
	// at the start of every trial, the eligibility widened at its end);
	// it covers polynomial rules without a plastic readout (New reports
	// other uses as errors).
	Precision linalg.Precision `json:",omitempty"`
}

// Record lists what a run keeps, off by default.
type Record struct {
	// Activity lists the episodes whose per-step rates and output are kept.
	Activity []int
	// Traces lists the episodes whose eligibility traces of Synapses are
	// kept at every step.
	Traces []int
	// Synapses lists (post i, pre j) pairs whose traces e_ij(t) are kept.
	Synapses [][2]int
	// DeltaJ keeps the sum of all weight changes applied to J.
	DeltaJ bool
}

// Progress reports a finished episode.
type Progress struct {
	Episode, Episodes int
	Type              int
	Error             float64
}

// DefaultConfig returns Miconi's learning configuration (1000 episodes).
func DefaultConfig() Config {
	return Config{Episodes: 1000, WarmUp: 100, BaselineDecay: 0.75, TraceAfter: 2}
}

// Validate reports invalid fields, naming them.
func (c Config) Validate() error {
	var errs []error
	add := func(name, format string, args ...any) {
		errs = append(errs, field.Errorf("learn.Config."+name, format, args...))
	}
	if c.Episodes < 0 {
		add("Episodes", "must be >= 0, got %d", c.Episodes)
	}
	if c.WarmUp < 0 {
		add("WarmUp", "must be >= 0, got %d", c.WarmUp)
	}
	if !(c.BaselineDecay >= 0 && c.BaselineDecay <= 1) {
		add("BaselineDecay", "must be in [0, 1], got %g", c.BaselineDecay)
	}
	if c.TraceAfter < -1 {
		add("TraceAfter", "must be >= -1, got %d", c.TraceAfter)
	}
	if !c.Precision.Valid() {
		add("Precision", "unknown value %d", int(c.Precision))
	}
	if c.Order.String() == "" {
		add("Order", "unknown value %d", c.Order)
	}
	return errors.Join(errs...)
}
