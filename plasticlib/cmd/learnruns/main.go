// Command learnruns runs one rule on a task over seeds, in parallel, each
// seed on its own network, and prints each run's mean error per block of
// trials and the episodes to criterion (Miconi's: 95 of the last 100
// trials with error below 1), with their median and interquartile range.
//
// The task's named setting (-task, -setting; package plasticlib/setting)
// gives the network, the task, the rule's learning rate and clip and the
// criterion; any flag given explicitly overrides the setting's value. The
// rule is Miconi's theta_33 (miconi-cubic), another preset, or a rule saved
// by metatrain or evolve (-rule FILE.json), which keeps its own eta, clip
// and reward-baseline decay unless -eta, -maxdw or -baseline is given.
//
//	go run -tags openblas ./plasticlib/cmd/learnruns -task context -setting paper -seeds 10
//
// Main only: flags and wiring; the science is in plasticlib.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "learnruns:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("learnruns", flag.ContinueOnError)
	sf := setting.AddFlags(fs, setting.Context, setting.Paper)
	ruleSpec := fs.String("rule", "miconi-cubic", "a preset ("+strings.Join(rule.PresetNames(), ", ")+") or a rule saved as JSON (FILE.json)")
	first := fs.Uint64("first", 1, "first seed")
	seeds := fs.Int("seeds", 10, "number of seeds")
	workers := fs.Int("workers", 0, "runs in parallel (0: one per CPU)")
	block := fs.Int("block", 250, "trials per block of the printed error")
	condition := fs.String("condition", "random-j", "random-j: a network per seed; random-state: one network (-netseed), trials from x ~ U(-1, 1)")
	netSeed := fs.Uint64("netseed", 0, "the network of -condition random-state")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *block < 1 {
		return fmt.Errorf("-block must be >= 1, got %d", *block)
	}
	if *seeds < 1 {
		return fmt.Errorf("-seeds must be >= 1, got %d", *seeds)
	}
	s, err := sf.Setting()
	if err != nil {
		return err
	}
	if s, err = s.InCondition(*condition, *netSeed); err != nil {
		return err
	}
	r, err := sf.Rule(s, *ruleSpec)
	if err != nil {
		return fmt.Errorf("-rule: %w", err)
	}
	began := time.Now()
	hs, err := s.RunSeeds(ctx, r, eval.Seeds(*first, *seeds), *workers, true)
	fmt.Fprintf(w, "%s on %s, condition %s\n", r.Name, s, *condition)
	extra := ""
	if s.TaskName == setting.Context {
		extra = fmt.Sprintf(", bias %g, noise %g", s.ContextCfg.Bias, s.ContextCfg.Noise)
	}
	baseline := ""
	if r.BaselineDecay > 0 {
		baseline = fmt.Sprintf(", baseline a_R %g (the rule's)", r.BaselineDecay)
	}
	fmt.Fprintf(w, "rule eta %g, maxdw %g%s; perturbation p %g%s; initial x within ±%g; correct below %g; mean error per %d trials\n",
		r.Eta, r.MaxDW, baseline, s.Net.PerturbProb, extra, s.Net.InitX, s.Criterion.Threshold, *block)
	for k, h := range hs {
		if h == nil {
			continue
		}
		var b strings.Builder
		for i := 0; i < h.Len(); i += *block {
			fmt.Fprintf(&b, " %.2f", stat.Mean(h.Errors[i:min(i+*block, h.Len())], nil))
		}
		n, ok := s.Criterion.Episodes(h.Errors)
		censored := ""
		if !ok {
			censored = " (censored)"
		}
		fmt.Fprintf(w, "seed %d:%s  -> %d%s\n", *first+uint64(k), b.String(), n, censored)
	}
	sum := eval.SummarizeOutcomes(s.Criterion.Outcomes(hs))
	fmt.Fprintf(w, "episodes to criterion: median %.0f, IQR %.0f-%.0f, censored %d/%d; mean error %.3f (%.0f s)\n",
		sum.Median, sum.Q1, sum.Q3, sum.Censored, sum.N, eval.MeanError(hs), time.Since(began).Seconds())
	return err
}
