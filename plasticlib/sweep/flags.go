package sweep

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Flags are the command-line flags that choose the executor and configure
// Slurm's, shared by the commands that run learning runs through a sweep
// (plasticlib/cmd/sweep, plasticlib/cmd/evolve). Register them on a flag
// set, then Apply them to the Options after parsing.
type Flags struct {
	Executor string
	Slurm    SlurmOptions
	// Extra is -sbatch-args (space-separated), PollSeconds -poll.
	Extra       string
	PollSeconds float64
}

// Register registers -executor, -partition, -account, -time,
// -cpus-per-task, -array-tasks, -binary, -sbatch-args and -poll on fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Executor, "executor", Local, "local (goroutines) or slurm (one sbatch --array)")
	fs.StringVar(&f.Slurm.Partition, "partition", "", "slurm: sbatch --partition")
	fs.StringVar(&f.Slurm.Account, "account", "", "slurm: sbatch --account")
	fs.StringVar(&f.Slurm.Time, "time", "", "slurm: sbatch --time per array task, e.g. 1:00:00")
	fs.IntVar(&f.Slurm.CPUsPerTask, "cpus-per-task", 0, "slurm: sbatch --cpus-per-task (runs at once per array task)")
	fs.IntVar(&f.Slurm.Tasks, "array-tasks", 0, "slurm: at most this many array tasks (0: one per run, up to 1000)")
	fs.StringVar(&f.Slurm.Binary, "binary", "", "slurm: this command's binary on the shared filesystem (default: this executable)")
	fs.StringVar(&f.Extra, "sbatch-args", "", "slurm: further sbatch arguments, space-separated")
	fs.Float64Var(&f.PollSeconds, "poll", 10, "slurm: seconds between squeue calls")
}

// Apply sets o's Executor and SlurmOptions from the flags.
func (f Flags) Apply(o *Options) {
	o.Executor = f.Executor
	o.SlurmOptions = f.Slurm
	o.SlurmOptions.Extra = strings.Fields(f.Extra)
	o.SlurmOptions.Poll = time.Duration(f.PollSeconds * float64(time.Second))
}

// WorkerMain is the worker mode of a command whose runs go through the
// Slurm executor (its first argument "worker"; the rest are args):
// "worker -out DIR -share FILE -index I" runs one array task's share
// (Work), "worker -probe" prints WorkerProbe. SIGINT and SIGTERM (as
// scancel sends) stop it, keeping the finished results.
func WorkerMain(args []string) error {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	probe := fs.Bool("probe", false, "print "+strconv.Quote(WorkerProbe)+" and exit")
	out := fs.String("out", "", "the sweep's directory")
	share := fs.String("share", "", "the submission's share file")
	index := fs.Int("index", -1, "the array task index ($SLURM_ARRAY_TASK_ID)")
	workers := fs.Int("workers", 0, "runs at once (0: $SLURM_CPUS_PER_TASK, else 1)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *probe {
		fmt.Println(WorkerProbe)
		return nil
	}
	if *workers == 0 {
		*workers = 1
		if n, err := strconv.Atoi(os.Getenv("SLURM_CPUS_PER_TASK")); err == nil && n > 0 {
			*workers = n
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Work(ctx, *out, *share, *index, *workers)
}
