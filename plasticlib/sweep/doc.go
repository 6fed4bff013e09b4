// Package sweep runs a sweep: a set of independent learning runs (rule x
// condition x seed, a condition being a task, a named setting and a change
// of the network) on goroutines ("local") or as one Slurm job array
// ("slurm"), with the same results either way.
//
// Every run is a Job whose full configuration (the resolved setting, the
// rule as it learns, the seed) hashes to its ID. Its result, the learning
// history (errors, types, rewards) and the job, is written atomically to
// one file under Out/runs, at a path derived from the rule, the condition,
// the seed and the ID. A sweep's manifest, Out/sweep.json, holds the spec
// and every job; a second sweep with other jobs refuses that directory.
// Running a sweep again skips every job whose result exists and redoes
// only the missing ones (a crash, a cancelled array task, a deleted file).
// Summarize reads the directory back into episodes to criterion per rule
// and condition.
//
// Meta runs meta-training's learning runs the same way (it is an
// evolve.Executor): each iteration of plasticlib/evolve's Train is a sweep
// of its runs in Out/iteration-<i>, so that a training resumed from its
// checkpoint redoes only the runs of the interrupted iteration that have
// no result. Flags are the executor's command-line flags and WorkerMain the
// worker mode, shared by the sweep and evolve commands.
//
// The API is usable from an interpreted notebook cell: no generic
// functions, progress through a callback or any value with Add(int) (such
// as a display progress bar), and cancellation through the context (the
// Slurm executor then scancels its array; finished results stay).
//
// Layer: above setting, eval, learn, store and evolve (which knows nothing
// of sweep or Slurm); imports nothing of the kernel or plots. The Slurm
// executor calls sbatch, squeue, scontrol and scancel; the array tasks run
// the worker mode (WorkerMain, which calls Work) of the sweep or evolve
// command.
package sweep
