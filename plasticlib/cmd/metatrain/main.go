// Command metatrain meta-trains a three-factor rule on context-dependent
// integration from the command line, for runs too long for a notebook
// cell. It starts from Miconi's theta_33 in a K = L = -K basis, prints one
// line per meta-iteration (training and held-out objectives, the held-out
// runs' final performance) and saves the learned rule as JSON
// (store.SaveRule). With -checkpoint it resumes an interrupted run;
// Ctrl-C stops it after the learning runs in flight and keeps what was
// computed.
//
//	go run -tags openblas ./plasticlib/cmd/metatrain -n 100 -episodes 300 -iterations 6 -out learned.json
//
// Main only: flags and wiring; the science is in plasticlib/meta.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// options are the command's flags.
type options struct {
	N                  int
	Dt, Amp            float64
	NetSeed            uint64
	Fresh              bool
	K                  int
	Eta, MaxDW         float64
	Episodes, WarmUp   int
	Horizon            int
	LR                 float64
	Iterations, Seeds  int
	LogEta, SmoothClip bool
	Checkpoint, Out    string
}

func main() {
	var o options
	flag.IntVar(&o.N, "n", 100, "network size N")
	flag.Float64Var(&o.Dt, "dt", 1, "time step (ms), network and task")
	flag.Float64Var(&o.Amp, "amp", 30, "perturbation amplitude A")
	flag.Uint64Var(&o.NetSeed, "netseed", 0, "network seed (J, W_in) when not -fresh")
	flag.BoolVar(&o.Fresh, "fresh", false, "a new network per learning seed (meta.Problem.FreshNet)")
	flag.IntVar(&o.K, "K", 5, "basis size: K = L")
	flag.Float64Var(&o.Eta, "eta", 0.01, "starting learning rate")
	flag.Float64Var(&o.MaxDW, "maxdw", 2e-4, "weight-change clip (0: none)")
	flag.IntVar(&o.Episodes, "episodes", 300, "trials per learning run")
	flag.IntVar(&o.WarmUp, "warmup", 100, "trials before weights change")
	flag.IntVar(&o.Horizon, "horizon", 0, "restart state tangents every this many steps (0: exact)")
	flag.Float64Var(&o.LR, "lr", 0.05, "Adam step size")
	flag.IntVar(&o.Iterations, "iterations", 6, "meta-iterations")
	flag.IntVar(&o.Seeds, "seeds", 2, "training seeds per meta-iteration")
	flag.BoolVar(&o.LogEta, "logeta", true, "meta-learn log eta too")
	flag.BoolVar(&o.SmoothClip, "smoothclip", true, "differentiate through maxdw tanh(u / maxdw)")
	flag.StringVar(&o.Checkpoint, "checkpoint", "", "JSON checkpoint, written every iteration, resumed from")
	flag.StringVar(&o.Out, "out", "", "save the learned rule here (JSON)")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "metatrain:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	tc := task.DefaultContext()
	tc.Dt = o.Dt
	tk, err := task.NewContext(tc)
	if err != nil {
		return err
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.NumInputs, nc.PerturbAmp, nc.Seed = o.N, o.Dt, tk.NumInputs(), o.Amp, o.NetSeed
	if o.K < 3 {
		return fmt.Errorf("-K must be >= 3 (the start is theta_33), got %d", o.K)
	}
	start, err := rule.Zero(o.K, o.K)
	if err != nil {
		return err
	}
	start.Name = "Miconi θ33"
	start.Theta[3][3] = 1
	start.Eta, start.MaxDW = o.Eta, o.MaxDW
	lc := learn.DefaultConfig()
	lc.Episodes, lc.WarmUp = o.Episodes, o.WarmUp
	p := meta.Problem{Net: nc, Task: tk, Rule: start, Learn: lc, Params: meta.Params{LogEta: o.LogEta},
		Smooth: meta.Smooth{AbsEps: 1e-4, Clip: o.SmoothClip && o.MaxDW > 0}, Horizon: o.Horizon, FreshNet: o.Fresh}
	cfg := meta.DefaultConfig(p, meta.TaskSpec{Context: &tc})
	cfg.Iterations, cfg.LR, cfg.Seeds, cfg.Checkpoint = o.Iterations, o.LR, o.Seeds, o.Checkpoint
	began := time.Now()
	cfg.Progress = func(r meta.Record) {
		fmt.Printf("iteration %d: objective %.5f (train), %.5f (held-out), final %.5f (held-out)  [%.0f s]\n",
			r.Iteration, r.Objective, r.HeldOut, r.Final, time.Since(began).Seconds())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	h, trainErr := meta.Train(ctx, cfg)
	if h == nil {
		return trainErr
	}
	learned, err := h.Rule()
	if err != nil {
		return err
	}
	learned.Name = "learned"
	fmt.Print(learned)
	if o.Out != "" {
		if err := store.SaveRule(o.Out, learned); err != nil {
			return err
		}
		fmt.Printf("saved %s (%d iterations, %.0f s)\n", o.Out, len(h.Records), time.Since(began).Seconds())
	}
	return trainErr
}
