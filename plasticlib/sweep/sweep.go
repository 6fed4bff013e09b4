package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sync"
)

// Executors.
const (
	Local = "local"
	Slurm = "slurm"
)

// Options say where and how a sweep runs.
type Options struct {
	// Out is the sweep's directory (required).
	Out string
	// Executor is Local (the default) or Slurm.
	Executor string
	// Workers is the number of runs at once under Local (0: one per CPU).
	Workers int
	// SlurmOptions configure the Slurm executor.
	SlurmOptions SlurmOptions
	// Progress, if not nil, is called once before any run with the runs
	// already done (Skipped) and after each finished run, one call at a time.
	Progress func(Progress)
	// Counter, if not nil, gets Add(k) for the k runs found done and
	// Add(1) for each run finished: a progress bar of Total runs (such as
	// the kernel's display.Progress) fills to the end.
	Counter interface{ Add(n int) }
	// Log, if not nil, receives one line per event (submission, failed
	// array tasks, cancellation).
	Log io.Writer
}

// Progress is the state of a sweep.
type Progress struct {
	// Done runs of Total (Skipped of them were done before this call).
	Done, Total, Skipped int
}

// Report says what Run did.
type Report struct {
	Total, Skipped, Ran int
	// Missing lists the jobs still without a result (failed or cancelled).
	Missing []Job
	// JobID is the Slurm array's job ID (Slurm executor).
	JobID string
}

// tracker reports progress from several goroutines, one call at a time.
type tracker struct {
	mu   sync.Mutex
	o    *Options
	p    Progress
	seen map[int]bool
}

func (t *tracker) finished(k int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen[k] {
		return
	}
	t.seen[k] = true
	t.p.Done++
	if t.o.Counter != nil {
		t.o.Counter.Add(1)
	}
	if t.o.Progress != nil {
		t.o.Progress(t.p)
	}
}

func (o *Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// Run runs the sweep spec into o.Out: it plans the jobs, checks the
// executor, claims the directory (refusing another sweep's), skips every job whose result
// exists and holds that job's result, and runs the others on the executor. When ctx is cancelled it
// stops (scancel under Slurm) and keeps every finished result. The error
// names what failed; Report.Missing lists the jobs to redo, which running
// the same sweep again does.
func Run(ctx context.Context, spec Spec, o Options) (Report, error) {
	out, err := outDir(o.Out)
	if err != nil {
		return Report{}, err
	}
	jobs, err := spec.Plan()
	if err != nil {
		return Report{}, err
	}
	ex, err := newExecutor(ctx, o)
	if err != nil {
		return Report{}, err
	}
	return runList(ctx, out, spec, jobs, ex, o)
}

// outDir returns Options.Out as an absolute path.
func outDir(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("sweep.Options.Out: no directory")
	}
	out, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("sweep.Options.Out: %w", err)
	}
	return out, nil
}

// newExecutor returns o.Executor's executor, checking that it is available.
func newExecutor(ctx context.Context, o Options) (executor, error) {
	switch o.Executor {
	case "", Local:
		return local{workers: o.Workers}, nil
	case Slurm:
		return newSlurm(ctx, o.SlurmOptions)
	}
	return nil, fmt.Errorf("sweep.Options.Executor: unknown executor %q (want %s or %s)", o.Executor, Local, Slurm)
}

// runList runs the sweep (spec, jobs) into out on ex: it claims out, skips
// every job whose result exists and runs the others.
func runList(ctx context.Context, out string, spec Spec, jobs []Job, ex executor, o Options) (Report, error) {
	if err := claim(out, spec, jobs); err != nil {
		return Report{}, err
	}
	var todo []int
	for k, j := range jobs {
		_, err := readResult(out, j)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			o.logf("redoing %s: %v", j.Path(), err) // not this job's result: overwritten
		}
		if err != nil {
			todo = append(todo, k)
		}
	}
	rep := Report{Total: len(jobs), Skipped: len(jobs) - len(todo)}
	t := &tracker{o: &o, p: Progress{Done: rep.Skipped, Total: rep.Total, Skipped: rep.Skipped}, seen: map[int]bool{}}
	if o.Counter != nil && rep.Skipped > 0 {
		o.Counter.Add(rep.Skipped)
	}
	if o.Progress != nil {
		o.Progress(t.p)
	}
	var runErr error
	if len(todo) > 0 {
		rep.JobID, runErr = ex.execute(ctx, out, jobs, todo, t, &o)
	}
	for _, k := range todo {
		if _, err := readResult(out, jobs[k]); err == nil {
			rep.Ran++
		} else {
			rep.Missing = append(rep.Missing, jobs[k])
		}
	}
	if runErr == nil && len(rep.Missing) > 0 {
		runErr = fmt.Errorf("sweep: %d of %d runs have no result; run the sweep again to redo them", len(rep.Missing), rep.Total)
	}
	return rep, runErr
}

// executor runs jobs[k] for k in todo, writing their results into out and
// calling t.finished(k) for each one finished. It returns an ID of the
// submission ("" locally).
type executor interface {
	execute(ctx context.Context, out string, jobs []Job, todo []int, t *tracker, o *Options) (string, error)
}
