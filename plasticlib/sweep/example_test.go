package sweep_test

import (
	"context"
	"fmt"
	"os"

	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/sweep"
)

// A sweep of two rules on DNMS, tiny runs, on this machine's cores; the
// second call finds every result and runs nothing.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "sweep")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	spec := sweep.Spec{Rules: []string{"miconi-cubic", "zero"}, Conditions: []sweep.Condition{{Task: "dnms"}},
		N: 20, Dt: 10, Episodes: 150, First: 1, Seeds: 2}
	for range 2 {
		rep, err := sweep.Run(context.Background(), spec, sweep.Options{Out: dir})
		if err != nil {
			panic(err)
		}
		fmt.Printf("ran %d, skipped %d of %d\n", rep.Ran, rep.Skipped, rep.Total)
	}
	s, err := sweep.Summarize(dir)
	if err != nil {
		panic(err)
	}
	g := s.Group("zero", "dnms/miconi")
	fmt.Println(len(g.Results), "runs of the zero rule; censored:", g.Stats().Censored)
	// Output:
	// ran 4, skipped 0 of 4
	// ran 0, skipped 4 of 4
	// 2 runs of the zero rule; censored: 2
}

// Plan lists a sweep's runs, each with the ID its result file is named by.
func ExampleSpec_Plan() {
	spec := sweep.Spec{
		Rules:      []string{"eh", "node-perturbation"},
		Conditions: []sweep.Condition{{Task: "context", Setting: "paper"}, {Name: "dale", Task: "dnms", Net: sweep.NetChange{Dale: true}}},
		First:      1,
		Seeds:      10,
	}
	jobs, err := spec.Plan()
	if err != nil {
		panic(err)
	}
	j := jobs[10]
	fmt.Println(len(jobs), "runs; the 11th:", j.RuleName, "on", j.Condition, "seed", j.Seed, "eta", j.Rule.Eta, "Dale", j.Setting.Net.Dale)
	_, err = sweep.Spec{Rules: []string{"hebb"}, Conditions: spec.Conditions, Seeds: 1}.Plan()
	fmt.Println(err)
	// Output:
	// 40 runs; the 11th: eh on dale seed 1 eta 0.1 Dale true
	// sweep.Spec.Rules[0]: unknown rule "hebb" (want a preset: miconi-cubic, eh, node-perturbation, zero; or a rule JSON file)
}

// Summarize reads a sweep's directory back: one line per rule and condition.
func ExampleSummarize() {
	dir, err := os.MkdirTemp("", "sweep")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	spec := sweep.Spec{Rules: []string{"zero"}, Conditions: []sweep.Condition{{Task: "dnms"}}, N: 20, Dt: 10, Episodes: 150, First: 1, Seeds: 3}
	if _, err := sweep.Run(context.Background(), spec, sweep.Options{Out: dir}); err != nil {
		panic(err)
	}
	s, err := sweep.Summarize(dir)
	if err != nil {
		panic(err)
	}
	fmt.Print(s)
	// Output:
	// zero on dnms/miconi: episodes to criterion: median 150, IQR 150-150, censored 3/3; mean error 0.9856
}

// Meta-training with every learning run a result file (here on this
// machine; Executor: sweep.Slurm makes each iteration a job array): a
// second training with the same configuration and directory reuses the
// last iteration's runs.
func ExampleNewMeta() {
	dir, err := os.MkdirTemp("", "meta")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	s := setting.MustLookup("dnms", "miconi")
	s.Net.N = 16
	s.SetDt(10)
	s.Learn.Episodes, s.Learn.WarmUp = 40, 4
	cfg := evolve.Config{Setting: s, Start: s.Rule(rule.MiconiCubic()), Pairs: 2, Seeds: 1, Iterations: 2, EvalSeeds: []uint64{1}}
	for range 2 {
		reused := 0
		m, err := sweep.NewMeta(context.Background(), sweep.Options{Out: dir, Progress: func(p sweep.Progress) {
			if p.Done == p.Skipped {
				reused += p.Skipped
			}
		}}, false)
		if err != nil {
			panic(err)
		}
		cfg.Executor = m
		h, err := evolve.Train(context.Background(), cfg)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%d iterations, %d runs reused\n", len(h.Records), reused)
	}
	// Output:
	// 2 iterations, 0 runs reused
	// 2 iterations, 5 runs reused
}
