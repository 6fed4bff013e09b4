// Command learnruns runs one rule on context-dependent integration over
// seeds, in parallel, each seed on its own network, and prints each run's
// mean error per block of trials and the episodes to criterion
// (eval.DefaultCriterion: 95 of the last 100 trials with an error below 1), with their
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

// options are the command's flags.
type options struct {
	N          int
	Dt, Amp    float64
	Eta, MaxDW float64 // of theta_33, without Rule
	Rule       string  // a saved rule's file
	Episodes   int
	First      uint64
	Seeds      int
	Block      int
}

func main() {
	var o options
	flag.IntVar(&o.N, "n", 200, "network size N")
	flag.Float64Var(&o.Dt, "dt", 1, "time step (ms), network and task")
	flag.Float64Var(&o.Amp, "amp", 30, "perturbation amplitude A")
	flag.Float64Var(&o.Eta, "eta", 0.01, "learning rate of theta_33 (without -rule)")
	flag.Float64Var(&o.MaxDW, "maxdw", 2e-4, "weight-change clip of theta_33 (0: none; without -rule)")
	flag.StringVar(&o.Rule, "rule", "", "a rule saved by metatrain or store.SaveRule")
	flag.IntVar(&o.Episodes, "episodes", 3000, "trials per run (a run stops at the criterion)")
	flag.Uint64Var(&o.First, "first", 1, "first seed")
	flag.IntVar(&o.Seeds, "seeds", 4, "number of seeds")
	flag.IntVar(&o.Block, "block", 250, "trials per block of the printed error")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "learnruns:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.Block < 1 {
		return fmt.Errorf("-block must be >= 1, got %d", o.Block)
	}
	tc := task.DefaultContext()
	tc.Dt = o.Dt
	tk, err := task.NewContext(tc)
	if err != nil {
		return err
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.NumInputs, nc.PerturbAmp = o.N, o.Dt, tk.NumInputs(), o.Amp
	var r rule.Rule
	if o.Rule != "" {
		if r, err = store.LoadRule(o.Rule); err != nil {
			return err
		}
	} else {
		if r, err = rule.Zero(3, 3); err != nil {
			return err
		}
		r.Name = "Miconi θ33"
		r.Theta[3][3] = 1
		r.Eta, r.MaxDW = o.Eta, o.MaxDW
	}
	crit := eval.DefaultCriterion()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	began := time.Now()
	hs, err := eval.RunLearning(ctx, eval.Seeds(o.First, o.Seeds), 0, func(ctx context.Context, seed uint64) (*learn.History, error) {
		c, lc := nc, learn.DefaultConfig()
		c.Seed, lc.Seed, lc.Episodes, lc.Stop = seed, seed, o.Episodes, crit.Stop
		return learn.Run(ctx, c, tk, r, lc)
	})
	fmt.Printf("%s at N = %d, dt = %g ms, A = %g (eta %g, maxdw %g): mean error per %d trials\n", r.Name, o.N, o.Dt, o.Amp, r.Eta, r.MaxDW, o.Block)
	for k, h := range hs {
		if h == nil {
			continue
		}
		var b strings.Builder
		for s := 0; s < h.Len(); s += o.Block {
			e := h.Errors[s:min(s+o.Block, h.Len())]
			sum := 0.0
			for _, v := range e {
				sum += v
			}
			fmt.Fprintf(&b, " %.2f", sum/float64(len(e)))
		}
		fmt.Printf("seed %d:%s\n", o.First+uint64(k), b.String())
	}
	s := eval.SummarizeOutcomes(crit.Outcomes(hs))
	fmt.Printf("episodes to criterion: median %.0f, IQR %.0f-%.0f, censored %d/%d; mean error %.3f (%.0f s)\n",
		s.Median, s.Q1, s.Q3, s.Censored, s.N, eval.MeanError(hs), time.Since(began).Seconds())
	return err
}
