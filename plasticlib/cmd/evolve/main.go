// Command evolve meta-learns a three-factor rule by evolution strategies on
// whole learning runs (package plasticlib/evolve): each iteration scores
// antithetic perturbations of the rule's coefficients by the fraction of
// correct trials over a learning run (its learning speed), on fresh
// networks and common learning seeds, and takes an Adam step. It prints one
// line per iteration (training and held-out objective and final
// performance) and saves the learned rule as JSON for learnruns -rule.
// With -checkpoint it resumes an interrupted run; Ctrl-C stops it after the
// runs in flight and keeps the iterations done.
//
// With -out-dir each iteration's learning runs go through package sweep,
// one result file per run under DIR/iteration-<i>: on this machine
// (-executor local) or as one Slurm job array per iteration (-executor
// slurm, the sweep command's Slurm options), and a resumed training redoes
// only the runs of the interrupted iteration that have no result. "evolve
// worker" is the mode the array tasks run (sweep.WorkerMain).
//
//	go run -tags openblas ./plasticlib/cmd/evolve -task context -setting paper -n 100 -episodes 1500 -out learned.json
//	evolve -executor slurm -partition short -time 2:00:00 -out-dir /shared/runs -checkpoint ck.json ... (same flags)
//
// Main only: flags and wiring; the science is in plasticlib/evolve.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/store"
	"github.com/plasticnb/plasticnb/plasticlib/sweep"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		if err := sweep.WorkerMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "evolve worker:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil {
		// The library's errors already name the package, evolve.
		msg := err.Error()
		if !strings.HasPrefix(msg, "evolve") {
			msg = "evolve: " + msg
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("evolve", flag.ContinueOnError)
	sf := setting.AddFlags(fs, setting.Context, setting.Paper)
	k := fs.Int("K", 5, "basis size K = L (the start is theta_33, so >= 3)")
	startSpec := fs.String("start", "", "the starting rule, a FILE.json of the polynomial family with K = L = -K (empty: theta_33 at the setting's eta)")
	power := fs.Bool("power", false, "evolve the modulation's exponent too, m(Ebar) = Ebar^power, from the start's")
	logEta := fs.Bool("logeta", false, "evolve log eta too, from the start's eta")
	learnBaseline := fs.Bool("learn-baseline", false, "evolve the reward baseline's decay a_R too (as logit a_R; carried by the saved rule), from the start's, else the setting's (-baseline)")
	freeSet := fs.String("free", "all", "coefficients that evolve: "+strings.Join(rule.FreeSetNames(), ", "))
	pre := fs.String("pre", "", "pre-synaptic powers k whose coefficients evolve, comma-separated (empty: all); each active power adds a trace product per trial")
	objective := fs.String("objective", "mean-correct", "score of a learning run: mean-correct, to-criterion (runs stop at the criterion, the rest counted correct) or mean-reward")
	both := fs.Bool("both-conditions", false, "odd learning seeds in the random-initial-state condition (one network), the others on fresh networks")
	iterations := fs.Int("iterations", 10, "iterations")
	pairs := fs.Int("pairs", 8, "antithetic pairs per iteration")
	seeds := fs.Int("seeds", 2, "learning seeds per iteration, shared by all perturbations")
	sigma := fs.Float64("sigma", 0.1, "perturbation size in scaled coordinates (theta_33 = 1)")
	lr := fs.Float64("lr", 0.05, "Adam step in scaled coordinates")
	seed := fs.Uint64("seed", 0, "seed of the perturbations and the training seeds")
	evalSeeds := fs.Int("eval-seeds", 4, "held-out learning seeds scored every iteration")
	workers := fs.Int("workers", 0, "learning runs in parallel (0: one per CPU)")
	checkpoint := fs.String("checkpoint", "", "JSON checkpoint, written every iteration, resumed from")
	out := fs.String("out", "", "save the learned rule here (JSON)")
	outDir := fs.String("out-dir", "", "run each iteration's learning runs as result files under this directory (on a filesystem the Slurm nodes share), resumable")
	keepRuns := fs.Bool("keep-runs", false, "with -out-dir: keep every iteration's runs (default: removed once the next iteration starts)")
	var exec sweep.Flags
	exec.Register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	}
	switch exec.Executor {
	case sweep.Local:
	case sweep.Slurm:
		if *outDir == "" {
			return fmt.Errorf("-out-dir: -executor slurm needs a directory for the runs' results, on a filesystem the compute nodes share")
		}
	default:
		return fmt.Errorf("-executor: unknown executor %q (want %s or %s)", exec.Executor, sweep.Local, sweep.Slurm)
	}
	s, err := sf.Setting()
	if err != nil {
		return err
	}
	if *k < 3 {
		return fmt.Errorf("-K must be >= 3 (the start is theta_33), got %d", *k)
	}
	start, err := rule.MiconiCubicBasis(*k)
	if err != nil {
		return err
	}
	start = s.Rule(start)
	if *startSpec != "" {
		if start, err = sf.Rule(s, *startSpec); err != nil {
			return fmt.Errorf("-start: %w", err)
		}
		if start.Kind != rule.Polynomial || start.K() != *k || start.L() != *k {
			return fmt.Errorf("-start: %s is not a polynomial rule with K = L = %d (-K)", *startSpec, *k)
		}
	}
	fr, err := freeCoefficients(*freeSet, *pre, *k)
	if err != nil {
		return err
	}
	obj := evolve.MeanCorrect
	switch *objective {
	case "mean-correct":
	case "mean-reward":
		obj = evolve.MeanReward
	case "to-criterion":
		obj = evolve.ToCriterion
	default:
		return fmt.Errorf("-objective: unknown %q (want mean-correct, to-criterion or mean-reward)", *objective)
	}
	// Held-out seeds sit past the small seeds that evaluations use (1..100).
	cfg := evolve.Config{Setting: s, Start: start, Free: fr, Objective: obj, Iterations: *iterations, Pairs: *pairs,
		Seeds: *seeds, Sigma: *sigma, LR: *lr, Seed: *seed, EvalSeeds: eval.Seeds(1001, *evalSeeds), Workers: *workers,
		Checkpoint: *checkpoint, BothConditions: *both, Power: *power, LogEta: *logEta, Baseline: *learnBaseline}
	if *outDir != "" {
		so := sweep.Options{Out: *outDir, Workers: *workers, Log: w}
		exec.Apply(&so)
		m, err := sweep.NewMeta(ctx, so, *keepRuns)
		if err != nil {
			return err
		}
		cfg.Executor = m
	}
	began := time.Now()
	rows := ""
	if *pre != "" {
		rows = " of pre-synaptic powers " + *pre
	}
	conds := "fresh networks"
	if *both {
		conds = "fresh networks and random initial states"
	}
	where := ""
	if *outDir != "" {
		where = fmt.Sprintf(", runs through the %s executor into %s", exec.Executor, *outDir)
	}
	from := "θ33"
	if *startSpec != "" {
		from = start.Name
	}
	for _, e := range []struct {
		on   bool
		name string
	}{{*power, " and the modulation's exponent"}, {*logEta, " and log eta"}, {*learnBaseline, " and logit a_R"}} {
		if e.on {
			rows += e.name
		}
	}
	fmt.Fprintf(w, "evolving %s from %s (K = L = %d, %s coefficients%s free) on %s, %s, %d episodes per run%s, %s\n",
		obj, from, *k, *freeSet, rows, s, conds, s.Learn.Episodes, where, map[bool]string{true: "resuming " + *checkpoint, false: "new run"}[*checkpoint != "" && exists(*checkpoint)])
	cfg.Progress = func(r evolve.Record) {
		extra := ""
		if *power {
			extra += fmt.Sprintf("; power %.3f", r.Power)
		}
		if *logEta {
			extra += fmt.Sprintf("; eta %.4g", r.Eta)
		}
		if *learnBaseline {
			extra += fmt.Sprintf("; a_R %.3f", r.BaselineDecay)
		}
		fmt.Fprintf(w, "iteration %d: objective %.4f (train), %.4f (held-out); final performance %.3f (train), %.3f (held-out)%s; |g| %.3g  [%.0f s]\n",
			r.Iteration, r.Objective, r.HeldOut, r.TrainFinal, r.HeldOutFinal, extra, r.GradNorm, time.Since(began).Seconds())
	}
	h, trainErr := evolve.Train(ctx, cfg)
	if h == nil {
		return trainErr
	}
	learned := h.Rule()
	fmt.Fprint(w, learned)
	if *out != "" && len(h.Records) > 0 {
		if err := store.SaveRule(*out, learned); err != nil {
			return err
		}
		fmt.Fprintf(w, "saved %s (%d iterations, %.0f s)\n", *out, len(h.Records), time.Since(began).Seconds())
	}
	return trainErr
}

// freeCoefficients returns the coefficients -free and -pre name on a K = L = k basis.
func freeCoefficients(set, pre string, k int) ([][]bool, error) {
	powers, err := rule.ParsePowers(pre, k)
	if err != nil {
		return nil, fmt.Errorf("-pre: %w", err)
	}
	fr, err := rule.FreeSet(set, powers, k, k)
	if err != nil {
		return nil, fmt.Errorf("-free: %w", err)
	}
	return fr, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
