// Command learnruns runs one rule on context-dependent integration over
// seeds, in parallel, each seed on its own network, and prints each run's
// mean error per block of trials and the episodes to criterion (the
// spec's: 95% of the last 100 trials with error below 0.5), with their
// median and interquartile range. The rule is Miconi's theta_33 with
// -eta and -maxdw, or a rule saved by metatrain (-rule).
//
//	go run -tags openblas ./plasticlib/cmd/learnruns -n 200 -episodes 3000 -seeds 4
//
// Main only: flags and wiring; the science is in plasticlib.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

func main() {
	var (
		n        = flag.Int("n", 200, "network size N")
		dt       = flag.Float64("dt", 1, "time step (ms), network and task")
		amp      = flag.Float64("amp", 30, "perturbation amplitude A")
		eta      = flag.Float64("eta", 0.01, "learning rate of theta_33 (without -rule)")
		maxdw    = flag.Float64("maxdw", 2e-4, "weight-change clip of theta_33 (0: none; without -rule)")
		ruleFile = flag.String("rule", "", "a rule saved by metatrain or store.SaveRule")
		episodes = flag.Int("episodes", 3000, "trials per run (a run stops at the criterion)")
		first    = flag.Uint64("first", 1, "first seed")
		seeds    = flag.Int("seeds", 4, "number of seeds")
		block    = flag.Int("block", 250, "trials per block of the printed error")
	)
	flag.Parse()
	if err := run(*n, *dt, *amp, *eta, *maxdw, *ruleFile, *episodes, *first, *seeds, *block); err != nil {
		fmt.Fprintln(os.Stderr, "learnruns:", err)
		os.Exit(1)
	}
}

func run(n int, dt, amp, eta, maxdw float64, ruleFile string, episodes int, first uint64, seeds, block int) error {
	if block < 1 {
		return fmt.Errorf("-block must be >= 1, got %d", block)
	}
	tc := task.DefaultContext()
	tc.Dt = dt
	tk, err := task.NewContext(tc)
	if err != nil {
		return err
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.NumInputs, nc.PerturbAmp = n, dt, tk.NumInputs(), amp
	var r rule.Rule
	if ruleFile != "" {
		if r, err = store.LoadRule(ruleFile); err != nil {
			return err
		}
	} else {
		if r, err = rule.Zero(3, 3); err != nil {
			return err
		}
		r.Name = "Miconi θ33"
		r.Theta[3][3] = 1
		r.Eta, r.MaxDW = eta, maxdw
	}
	crit := eval.DefaultCriterion()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	began := time.Now()
	hs, err := eval.RunLearning(ctx, eval.Seeds(first, seeds), 0, func(ctx context.Context, seed uint64) (*learn.History, error) {
		c, lc := nc, learn.DefaultConfig()
		c.Seed, lc.Seed, lc.Episodes, lc.Stop = seed, seed, episodes, crit.Stop
		return learn.Run(ctx, c, tk, r, lc)
	})
	fmt.Printf("%s at N = %d, dt = %g ms, A = %g (eta %g, maxdw %g): mean error per %d trials\n", r.Name, n, dt, amp, r.Eta, r.MaxDW, block)
	for k, h := range hs {
		if h == nil {
			continue
		}
		var b strings.Builder
		for s := 0; s < h.Len(); s += block {
			e := h.Errors[s:min(s+block, h.Len())]
			sum := 0.0
			for _, v := range e {
				sum += v
			}
			fmt.Fprintf(&b, " %.2f", sum/float64(len(e)))
		}
		fmt.Printf("seed %d:%s\n", first+uint64(k), b.String())
	}
	s := eval.SummarizeOutcomes(crit.Outcomes(hs))
	fmt.Printf("episodes to criterion: median %.0f, IQR %.0f-%.0f, censored %d/%d; mean error %.3f (%.0f s)\n",
		s.Median, s.Q1, s.Q3, s.Censored, s.N, eval.MeanError(hs), time.Since(began).Seconds())
	return err
}
