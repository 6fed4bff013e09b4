package eval

import (
	"context"
	"math"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
)

// RunLearning is RunSeeds for learning runs: run(ctx, seed) makes one
// learning run, and the histories come back in seed order. It exists
// because an interpreted notebook cell cannot instantiate a compiled
// generic function; Go code can use RunSeeds directly.
func RunLearning(ctx context.Context, seeds []uint64, workers int, run func(ctx context.Context, seed uint64) (*learn.History, error)) ([]*learn.History, error) {
	return RunSeeds(ctx, seeds, workers, run)
}

// Stop reports whether h meets the criterion: assign it to
// learn.Config.Stop to end a run as soon as it has learned.
func (c Criterion) Stop(h *learn.History) bool {
	_, ok := c.Episodes(h.Errors)
	return ok
}

// Outcomes returns each run's episodes to criterion; a run that never
// meets it is censored at its length. A nil history (a run that failed
// before its first episode) counts as censored at 0.
func (c Criterion) Outcomes(hs []*learn.History) []Outcome {
	out := make([]Outcome, len(hs))
	for k, h := range hs {
		if h == nil {
			out[k] = Outcome{Censored: true}
			continue
		}
		n, ok := c.Episodes(h.Errors) // the run's length when not met
		out[k] = Outcome{Episodes: n, Censored: !ok}
	}
	return out
}

// MeanError is the mean trial error over every episode of every run (1
// is an output stuck at 0 on a task with targets +-1; 0 is perfect). It
// is NaN when there are no episodes.
func MeanError(hs []*learn.History) float64 {
	sum, n := 0.0, 0
	for _, h := range hs {
		if h == nil {
			continue
		}
		for _, e := range h.Errors {
			sum += e
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
