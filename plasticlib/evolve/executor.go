package evolve

import (
	"context"
	"errors"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

// Run is one learning run of an iteration (see History.Runs), fully
// configured: its history depends only on these fields.
type Run struct {
	// Name labels the run: "plus-03" and "minus-03" are pair 3's
	// perturbed rules, "current" the unperturbed rule on a held-out seed.
	// Condition is "fresh-networks" or "random-initial-state".
	Name, Condition string
	// Setting is the run's setting, its condition applied and Learn.Episodes
	// the configuration's Episodes; Rule the rule as it learns (its eta and
	// clip are the start's).
	Setting setting.Setting
	Rule    rule.Rule
	Seed    uint64
	// StopAtCriterion ends the run once it meets Setting.Criterion (the
	// ToCriterion objective).
	StopAtCriterion bool
}

// Do makes the run: Setting.Run of Rule on Seed.
func (r Run) Do(ctx context.Context) (*learn.History, error) {
	return r.Setting.Run(ctx, r.Rule, r.Seed, r.StopAtCriterion)
}

// RunResult is a run's learning history. Diverged marks a run whose state
// became non-finite: its history stops there (Train scores the remaining
// episodes as failed trials).
type RunResult struct {
	History  *learn.History
	Diverged bool
}

// Executor runs the learning runs of one iteration and returns their
// results in the order of runs. Package sweep's runs them as result files,
// locally or as a Slurm job array, so that an interrupted iteration is
// resumed from the runs it finished. A cancelled ctx returns an error.
type Executor interface {
	Execute(ctx context.Context, iteration int, runs []Run) ([]RunResult, error)
}

// inProcess is the default executor: the runs on workers goroutines of
// this process (0: one per CPU), progress called after each.
type inProcess struct {
	workers  int
	progress func()
}

func (e inProcess) Execute(ctx context.Context, _ int, runs []Run) ([]RunResult, error) {
	idx := make([]uint64, len(runs))
	for j := range idx {
		idx[j] = uint64(j)
	}
	return eval.RunSeeds(ctx, idx, e.workers, func(ctx context.Context, j uint64) (RunResult, error) {
		h, err := runs[j].Do(ctx)
		if e.progress != nil {
			e.progress()
		}
		var div *learn.DivergenceError
		switch {
		case err == nil:
			return RunResult{History: h}, nil
		case errors.As(err, &div) && ctx.Err() == nil:
			return RunResult{History: h, Diverged: true}, nil
		}
		return RunResult{}, err
	})
}
