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

func main() {
	var (
		n          = flag.Int("n", 100, "network size N")
		dt         = flag.Float64("dt", 1, "time step (ms), network and task")
		amp        = flag.Float64("amp", 30, "perturbation amplitude A")
		netSeed    = flag.Uint64("netseed", 0, "network seed (J, W_in) when not -fresh")
		fresh      = flag.Bool("fresh", false, "a new network per learning seed (meta.Problem.FreshNet)")
		k          = flag.Int("K", 5, "basis size: K = L")
		eta        = flag.Float64("eta", 0.01, "starting learning rate")
		maxdw      = flag.Float64("maxdw", 2e-4, "weight-change clip (0: none)")
		episodes   = flag.Int("episodes", 300, "trials per learning run")
		warmup     = flag.Int("warmup", 100, "trials before weights change")
		horizon    = flag.Int("horizon", 0, "restart state tangents every this many steps (0: exact)")
		lr         = flag.Float64("lr", 0.05, "Adam step size")
		iterations = flag.Int("iterations", 6, "meta-iterations")
		seeds      = flag.Int("seeds", 2, "training seeds per meta-iteration")
		logEta     = flag.Bool("logeta", true, "meta-learn log eta too")
		smoothClip = flag.Bool("smoothclip", true, "differentiate through maxdw tanh(u / maxdw)")
		checkpoint = flag.String("checkpoint", "", "JSON checkpoint, written every iteration, resumed from")
		out        = flag.String("out", "", "save the learned rule here (JSON)")
	)
	flag.Parse()
	if err := run(*n, *dt, *amp, *netSeed, *fresh, *k, *eta, *maxdw, *episodes, *warmup, *horizon, *lr, *iterations, *seeds, *logEta, *smoothClip, *checkpoint, *out); err != nil {
		fmt.Fprintln(os.Stderr, "metatrain:", err)
		os.Exit(1)
	}
}

func run(n int, dt, amp float64, netSeed uint64, fresh bool, k int, eta, maxdw float64, episodes, warmup, horizon int, lr float64,
	iterations, seeds int, logEta, smoothClip bool, checkpoint, out string) error {
	tc := task.DefaultContext()
	tc.Dt = dt
	tk, err := task.NewContext(tc)
	if err != nil {
		return err
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.NumInputs, nc.PerturbAmp, nc.Seed = n, dt, tk.NumInputs(), amp, netSeed
	if k < 3 {
		return fmt.Errorf("-K must be >= 3 (the start is theta_33), got %d", k)
	}
	start, err := rule.Zero(k, k)
	if err != nil {
		return err
	}
	start.Name = "Miconi θ33"
	start.Theta[3][3] = 1
	start.Eta, start.MaxDW = eta, maxdw
	lc := learn.DefaultConfig()
	lc.Episodes, lc.WarmUp = episodes, warmup
	p := meta.Problem{Net: nc, Task: tk, Rule: start, Learn: lc, Params: meta.Params{LogEta: logEta},
		Smooth: meta.Smooth{AbsEps: 1e-4, Clip: smoothClip && maxdw > 0}, Horizon: horizon, FreshNet: fresh}
	cfg := meta.DefaultConfig(p, meta.TaskSpec{Context: &tc})
	cfg.Iterations, cfg.LR, cfg.Seeds, cfg.Checkpoint = iterations, lr, seeds, checkpoint
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
	learned, err := p.Params.Apply(start, h.Phi)
	if err != nil {
		return err
	}
	learned.Name = "learned"
	fmt.Print(learned)
	if out != "" {
		if err := store.SaveRule(out, learned); err != nil {
			return err
		}
		fmt.Printf("saved %s (%d iterations, %.0f s)\n", out, len(h.Records), time.Since(began).Seconds())
	}
	return trainErr
}
