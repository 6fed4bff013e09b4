package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/evolve"
)

// Meta runs meta-training's learning runs (it is an evolve.Executor,
// evolve.Config.Executor): iteration it's runs are the jobs of a sweep in
// Out/iteration-<it> (IterationDir), run on Options.Executor, locally or
// as one Slurm job array per iteration, each result a file. A training
// resumed from its checkpoint after a lost array task, a killed node,
// scancel or a killed process thus redoes only the runs of the
// interrupted iteration that have no result, and its Adam step is that of
// an uninterrupted training: a run's result depends only on its rule,
// setting and seed.
type Meta struct {
	o   Options
	out string
	ex  executor
	// keep: see NewMeta.
	keep bool
}

// NewMeta returns the executor of meta-training's runs into o.Out. It
// checks that the executor is available (under Slurm: the commands on
// PATH, a cluster answering, SlurmOptions.Binary a sweep worker, which the
// evolve command is too). The runs of an iteration are only needed until
// its step is checkpointed: each iteration's directory is removed when the
// next one starts, unless keep.
func NewMeta(ctx context.Context, o Options, keep bool) (*Meta, error) {
	out, err := outDir(o.Out)
	if err != nil {
		return nil, err
	}
	ex, err := newExecutor(ctx, o)
	if err != nil {
		return nil, err
	}
	return &Meta{o: o, out: out, ex: ex, keep: keep}, nil
}

// IterationDir is the sweep directory of iteration it's runs under out.
func IterationDir(out string, it int) string {
	return filepath.Join(out, fmt.Sprintf("iteration-%04d", it))
}

// MetaJob is the job of a meta-training run: labelled by the run's name
// ("plus-03", "minus-03", "current") and condition, so that its result is
// runs/<name>/<condition>/seed-<seed>-<ID>.json of its iteration's
// directory, the ID hashing the run's rule, setting and seed.
func MetaJob(r evolve.Run) Job {
	return Job{RuleName: r.Name, Condition: r.Condition, Setting: r.Setting, Rule: r.Rule, Seed: r.Seed, StopAtCriterion: r.StopAtCriterion}
}

// Execute runs iteration it's runs as the sweep in IterationDir(Out, it),
// reusing every result already there, and returns their histories in the
// order of runs.
func (m *Meta) Execute(ctx context.Context, it int, runs []evolve.Run) ([]evolve.RunResult, error) {
	if !m.keep {
		if err := m.prune(it); err != nil {
			return nil, err
		}
	}
	dir := IterationDir(m.out, it)
	jobs := make([]Job, len(runs))
	for k, r := range runs {
		jobs[k] = MetaJob(r)
	}
	if old, err := ReadManifest(dir); err == nil && !slices.EqualFunc(old.Jobs, jobs, func(a, b Job) bool { return a.ID() == b.ID() }) {
		return nil, fmt.Errorf("sweep: %s holds iteration %d of another meta-training (its runs differ: another configuration or checkpoint); choose another -out-dir", dir, it)
	}
	o := m.o
	logged := false
	o.Progress = func(p Progress) {
		if !logged {
			logged = true
			o.logf("iteration %d: %d runs: %d done before, %d to run (%s)", it, p.Total, p.Skipped, p.Total-p.Skipped, dir)
		}
		if m.o.Progress != nil {
			m.o.Progress(p)
		}
	}
	rep, err := runList(ctx, dir, Spec{}, jobs, m.ex, o)
	if rep.Total > 0 {
		o.logf("iteration %d: ran %d runs, reused %d, missing %d", it, rep.Ran, rep.Skipped, len(rep.Missing))
	}
	if err != nil {
		return nil, fmt.Errorf("%w\n(the finished runs of iteration %d stay in %s: resume the training from its checkpoint to redo only the missing ones)", err, it, dir)
	}
	res := make([]evolve.RunResult, len(jobs))
	for k, j := range jobs {
		r, err := readResult(dir, j)
		if err != nil {
			return nil, err
		}
		res[k] = evolve.RunResult{History: r.History(), Diverged: r.Diverged != ""}
	}
	return res, nil
}

// prune removes the directories of the iterations before it (sweep
// directories: those holding a manifest).
func (m *Meta) prune(it int) error {
	dirs, _ := filepath.Glob(filepath.Join(m.out, "iteration-*"))
	for _, d := range dirs {
		n, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(d), "iteration-"))
		if err != nil || n >= it {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, ManifestFile)); err != nil {
			continue
		}
		if err := os.RemoveAll(d); err != nil {
			return fmt.Errorf("sweep: removing the runs of iteration %d: %w", n, err)
		}
	}
	return nil
}
