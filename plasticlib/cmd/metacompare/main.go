// Command metacompare puts meta-learning estimators side by side as the
// issue of learning speed asks: each training run's rule, iteration by
// iteration, scored on the same held-out learning runs, against the wall
// time its training had spent to reach it.
//
// The held-out score is evolve's (History.Score): the configuration of the
// evolve checkpoint given with -evolve (its setting, objective, episodes,
// conditions) on -eval-seeds held-out seeds. That run is the "es" row; each
// -meta NAME=FILE adds the meta.History checkpoint of a metatrain run (the
// tangent estimators, exact or truncated). Rules that recur (the start,
// theta_33, of every run) are scored once. With -out the points are saved
// as JSON for a notebook to plot.
//
//	go run -tags openblas ./plasticlib/cmd/metacompare -evolve es.json -meta truncated=tr.json -meta exact-h20=ex.json -eval-seeds 16 -every 2 -out cmp.json
//
// Main only: flags and wiring; the science is in plasticlib/evolve and
// plasticlib/meta.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "metacompare:", err)
		os.Exit(1)
	}
}

// Point is one scored rule of a training run.
type Point struct {
	// Iteration is the number of training iterations behind the rule
	// (0: the start).
	Iteration int `json:"iteration"`
	// Seconds is the training's wall time up to the rule.
	Seconds float64 `json:"seconds"`
	// HeldOut is the rule's held-out score.
	HeldOut float64     `json:"held_out"`
	Theta   [][]float64 `json:"theta"`
}

// Estimator is one training run's points.
type Estimator struct {
	Name   string  `json:"name"`
	File   string  `json:"file"`
	Points []Point `json:"points"`
}

// Result is what -out saves.
type Result struct {
	Objective  string      `json:"objective"`
	EvalSeeds  []uint64    `json:"eval_seeds"`
	Episodes   int         `json:"episodes"`
	Both       bool        `json:"both_conditions"`
	Estimators []Estimator `json:"estimators"`
}

// candidate is a rule to score.
type candidate struct {
	it      int
	seconds float64
	rule    rule.Rule
}

// evolveRules returns the rules of an evolve history: each record's (the
// rule it evaluated) and the final one.
func evolveRules(h *evolve.History) []candidate {
	var out []candidate
	t := 0.0
	for i, r := range h.Records {
		ru := h.Config.Start.Clone()
		ru.Theta = r.Theta
		out = append(out, candidate{i, t, ru})
		t += r.Seconds
	}
	return append(out, candidate{len(h.Records), t, h.Rule()})
}

// metaRules returns the rules of a meta history, as evolveRules.
func metaRules(h *meta.History) ([]candidate, error) {
	p := h.Config.Problem
	var out []candidate
	t := 0.0
	add := func(it int, phi []float64) error {
		r, err := p.Params.Apply(p.Rule, phi)
		if err != nil {
			return err
		}
		out = append(out, candidate{it, t, r})
		return nil
	}
	for i, r := range h.Records {
		if err := add(i, r.Phi); err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		if !(r.Seconds > 0) {
			return nil, fmt.Errorf("record %d has no wall time (a checkpoint of an older metatrain)", i)
		}
		t += r.Seconds
	}
	return out, add(len(h.Records), h.Phi)
}

// keep thins a run's rules to every k-th iteration and the last.
func keep(cs []candidate, k int) []candidate {
	var out []candidate
	for i, c := range cs {
		if i%k == 0 || i == len(cs)-1 {
			out = append(out, c)
		}
	}
	return out
}

// load reads the checkpoint file, given with the flag what, into v.
func load(what, file string, v any) error {
	ok, err := store.LoadCheckpoint(file, v)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if !ok {
		return fmt.Errorf("%s: %s: no such file", what, file)
	}
	return nil
}

func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("metacompare", flag.ContinueOnError)
	evolveFile := fs.String("evolve", "", "evolve checkpoint (JSON): the held-out protocol, and the es row")
	var metas []string
	fs.Func("meta", "NAME=FILE: a metatrain checkpoint (JSON) to compare (repeatable)", func(s string) error {
		if name, file, ok := strings.Cut(s, "="); !ok || name == "" || file == "" {
			return fmt.Errorf("want NAME=FILE, got %q", s)
		}
		metas = append(metas, s)
		return nil
	})
	nEval := fs.Int("eval-seeds", 0, "held-out seeds, from the evolve run's first (0: the evolve run's own)")
	every := fs.Int("every", 1, "score every k-th iteration (and the last)")
	workers := fs.Int("workers", 0, "learning runs in parallel (0: one per CPU)")
	out := fs.String("out", "", "save the points here (JSON)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *evolveFile == "" {
		return errors.New("-evolve: an evolve checkpoint is needed (it defines the held-out score)")
	}
	if *every < 1 {
		return fmt.Errorf("-every must be >= 1, got %d", *every)
	}
	if *nEval < 0 {
		return fmt.Errorf("-eval-seeds must be >= 0, got %d", *nEval)
	}
	var eh evolve.History
	if err := load("-evolve", *evolveFile, &eh); err != nil {
		return err
	}
	if len(eh.Config.EvalSeeds) == 0 || len(eh.Records) == 0 {
		return fmt.Errorf("-evolve: %s has no held-out seeds or no iterations", *evolveFile)
	}
	if *nEval > 0 {
		eh.Config.EvalSeeds = eval.Seeds(eh.Config.EvalSeeds[0], *nEval)
	}
	eh.Config.Workers = *workers
	res := Result{Objective: eh.Config.Objective.String(), EvalSeeds: eh.Config.EvalSeeds, Episodes: eh.Config.Episodes, Both: eh.Config.BothConditions}
	runs := []Estimator{{Name: "es", File: *evolveFile}}
	cands := [][]candidate{keep(evolveRules(&eh), *every)}
	for _, m := range metas {
		name, file, _ := strings.Cut(m, "=")
		var mh meta.History
		if err := load("-meta "+name, file, &mh); err != nil {
			return err
		}
		cs, err := metaRules(&mh)
		if err != nil {
			return fmt.Errorf("-meta %s: %w", name, err)
		}
		runs = append(runs, Estimator{Name: name, File: file})
		cands = append(cands, keep(cs, *every))
	}
	fmt.Fprintf(w, "held-out score: %s over %d episodes on %d seeds (from %d)%s\n", res.Objective, res.Episodes,
		len(res.EvalSeeds), res.EvalSeeds[0], map[bool]string{true: ", odd seeds from a random initial state", false: ""}[res.Both])
	fmt.Fprintf(w, "%-12s %9s %9s %9s\n", "estimator", "iteration", "seconds", "held-out")
	scored := map[string]float64{}
	began := time.Now()
	for e := range runs {
		for _, c := range cands[e] {
			key, err := json.Marshal(c.rule.Theta)
			if err != nil {
				return err
			}
			v, ok := scored[string(key)]
			if !ok {
				if v, err = eh.Score(ctx, c.rule); err != nil {
					return fmt.Errorf("%s iteration %d: %w", runs[e].Name, c.it, err)
				}
				scored[string(key)] = v
			}
			runs[e].Points = append(runs[e].Points, Point{Iteration: c.it, Seconds: c.seconds, HeldOut: v, Theta: c.rule.Theta})
			fmt.Fprintf(w, "%-12s %9d %9.0f %9.4f\n", runs[e].Name, c.it, c.seconds, v)
		}
	}
	for _, e := range runs {
		best := Point{HeldOut: math.Inf(-1)}
		for _, p := range e.Points {
			if p.HeldOut > best.HeldOut {
				best = p
			}
		}
		fmt.Fprintf(w, "%s: start %.4f, best %.4f at iteration %d (%.0f s of training), last %.4f\n",
			e.Name, e.Points[0].HeldOut, best.HeldOut, best.Iteration, best.Seconds, e.Points[len(e.Points)-1].HeldOut)
	}
	res.Estimators = runs
	fmt.Fprintf(w, "(%.0f s of scoring)\n", time.Since(began).Seconds())
	if *out != "" {
		b, err := json.MarshalIndent(res, "", " ")
		if err != nil {
			return err
		}
		return store.WriteFileAtomic(*out, append(b, '\n'), 0o644)
	}
	return nil
}
