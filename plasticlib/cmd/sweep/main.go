// Command sweep runs a sweep of independent learning runs (rules x
// conditions x seeds) locally or as a Slurm job array, resumably, and
// prints one summary line per rule and condition:
//
//	go run -tags openblas ./plasticlib/cmd/sweep -task context -setting paper \
//	    -rules miconi-cubic,eh,node-perturbation -seeds 10 -out results/ctx
//	sweep -executor slurm -partition short -time 1:00:00 ... (same flags)
//	sweep -task context -bias 0.5 -readout linear ...  (every setting flag of learnruns)
//	sweep -spec sweep.json -out results/table   (a sweep.Spec as JSON)
//	sweep -summary -out results/ctx             (only read the results back)
//
// Running the same command again skips every run whose result exists.
// Ctrl-C stops the runs (scancel under Slurm) and keeps the finished ones.
// "sweep worker" is the mode the Slurm array tasks run (sweep.WorkerMain).
//
// Main only: flags and wiring; the sweep is plasticlib/sweep.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/sweep"
)

// options are the command's flags.
type options struct {
	Spec          string // a spec file; excludes the sweep flags
	Tasks         string
	Settings      string
	Rules         string
	Set           setting.Overrides // the setting flags given (-n, -dt, -episodes, -bias, ...)
	First         uint64
	Seeds         int
	RunAll        bool
	Out           string
	Exec          sweep.Flags // -executor and the Slurm options
	Workers       int
	Summary       bool
	specFlagsUsed []string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		if err := sweep.WorkerMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "sweep worker:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.Spec, "spec", "", "a sweep spec file (JSON of sweep.Spec) instead of -task ... -run-all")
	flag.StringVar(&o.Tasks, "task", "context", "tasks, comma-separated: dnms, context, long-delay, variable-delay, evidence")
	flag.StringVar(&o.Settings, "setting", "miconi", "named settings, comma-separated: miconi, paper")
	flag.StringVar(&o.Rules, "rules", "miconi-cubic", "rules, comma-separated: presets ("+strings.Join(sweep.Presets(), ", ")+") or rule JSON files")
	sf := setting.AddOverrideFlags(flag.CommandLine)
	flag.Uint64Var(&o.First, "first", 1, "first seed")
	flag.IntVar(&o.Seeds, "seeds", 4, "number of seeds")
	flag.BoolVar(&o.RunAll, "run-all", false, "run every trial, not stopping at the criterion")
	flag.StringVar(&o.Out, "out", "", "the sweep's results directory (required)")
	o.Exec.Register(flag.CommandLine)
	flag.IntVar(&o.Workers, "workers", 0, "local: runs at once (0: one per CPU)")
	flag.BoolVar(&o.Summary, "summary", false, "only print the summary of -out")
	flag.Parse()
	o.Set = sf.Overrides()
	flag.Visit(func(f *flag.Flag) {
		if _, set := o.Set[f.Name]; set || slices.Contains([]string{"task", "setting", "rules", "first", "seeds", "run-all"}, f.Name) {
			o.specFlagsUsed = append(o.specFlagsUsed, "-"+f.Name)
		}
	})
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "sweep: unexpected argument %q (see -h)\n", flag.Arg(0))
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "sweep:", strings.TrimPrefix(err.Error(), "sweep: "))
		os.Exit(1)
	}
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// spec builds the sweep from -spec or from the flags.
func (o options) spec() (sweep.Spec, error) {
	if o.Spec != "" {
		if len(o.specFlagsUsed) > 0 {
			return sweep.Spec{}, fmt.Errorf("%s given with -spec: put it in the spec file", o.specFlagsUsed[0])
		}
		b, err := os.ReadFile(o.Spec)
		if err != nil {
			return sweep.Spec{}, fmt.Errorf("-spec: %w", err)
		}
		s, err := sweep.ParseSpec(b)
		if err != nil {
			return s, fmt.Errorf("-spec %s: %w", o.Spec, err)
		}
		return s, nil
	}
	s := sweep.Spec{Rules: split(o.Rules), First: o.First, Seeds: o.Seeds, RunAll: o.RunAll}
	// -n, -dt and -episodes are the spec's N, Dt and Episodes (as before
	// the other overrides came); the others each condition's Set.
	set := setting.Overrides{}
	for k, v := range o.Set {
		var err error
		switch k {
		case "n":
			s.N, err = strconv.Atoi(v)
		case "dt":
			s.Dt, err = strconv.ParseFloat(v, 64)
		case "episodes":
			s.Episodes, err = strconv.Atoi(v)
		default:
			set[k] = v
		}
		if err != nil {
			return s, fmt.Errorf("-%s: %w", k, err)
		}
	}
	if len(set) == 0 {
		set = nil
	}
	for _, t := range split(o.Tasks) {
		for _, st := range split(o.Settings) {
			s.Conditions = append(s.Conditions, sweep.Condition{Task: t, Setting: st, Set: set})
		}
	}
	return s, nil
}

func run(ctx context.Context, o options) error {
	if o.Out == "" {
		return errors.New("-out: no results directory given")
	}
	if !o.Summary {
		spec, err := o.spec()
		if err != nil {
			return err
		}
		began := time.Now()
		last := time.Time{}
		so := sweep.Options{Out: o.Out, Workers: o.Workers, Log: os.Stdout,
			Progress: func(p sweep.Progress) {
				if p.Done == p.Skipped {
					fmt.Printf("%d runs: %d done before, %d to run\n", p.Total, p.Skipped, p.Total-p.Skipped)
					return
				}
				if time.Since(last) > 5*time.Second || p.Done == p.Total {
					last = time.Now()
					fmt.Printf("%d/%d runs done (%.0f s)\n", p.Done, p.Total, time.Since(began).Seconds())
				}
			}}
		o.Exec.Apply(&so)
		rep, err := sweep.Run(ctx, spec, so)
		if rep.Total > 0 { // planned and claimed -out
			fmt.Printf("ran %d runs, skipped %d, missing %d\n", rep.Ran, rep.Skipped, len(rep.Missing))
		}
		if err != nil {
			if s, serr := sweep.Summarize(o.Out); serr == nil && rep.Total > 0 {
				fmt.Print(s)
			}
			return err
		}
	}
	s, err := sweep.Summarize(o.Out)
	if err != nil {
		return err
	}
	fmt.Print(s)
	return nil
}
