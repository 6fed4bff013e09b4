package meta_test

import (
	"context"
	"fmt"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

func smallProblem() (meta.Problem, meta.TaskSpec) {
	nc := network.DefaultConfig()
	nc.N, nc.Dt = 20, 10
	dc := task.DefaultDNMS()
	dc.Dt = 10
	tk, _ := task.NewDNMS(dc)
	r, _ := rule.Zero(2, 2)
	r.Theta[1][1] = 0.5
	lc := learn.DefaultConfig()
	lc.Episodes, lc.WarmUp = 8, 0
	p := meta.Problem{Net: nc, Task: tk, Rule: r, Learn: lc, Smooth: meta.Smooth{AbsEps: 1e-4, Clip: true}}
	return p, meta.TaskSpec{DNMS: &dc}
}

// The exact meta-gradient of one learning run.
func ExampleEngine_Gradient() {
	p, _ := smallProblem()
	e, err := meta.NewEngine(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	phi := e.Phi()
	grad := make([]float64, len(phi))
	obj, err := e.Gradient(phi, grad)
	fmt.Println(len(e.Names()), e.Names()[4], obj < 0, err)
	// Output: 9 theta[1][1] true <nil>
}

// Meta-training with Adam, two training seeds per iteration in parallel.
func ExampleTrain() {
	p, ts := smallProblem()
	p.Task = nil // built from ts, so that the config is serialisable
	cfg := meta.DefaultConfig(p, ts)
	cfg.Iterations = 2
	h, err := meta.Train(context.Background(), cfg)
	fmt.Println(len(h.Records), len(h.Phi), err)
	// Output: 2 9 <nil>
}

// Estimators share one interface.
func ExampleNewEstimator() {
	p, _ := smallProblem()
	for _, m := range []meta.Method{meta.Exact, meta.Truncated, meta.FiniteDiff, meta.ES} {
		est, err := meta.NewEstimator(p, meta.EstimatorConfig{Method: m})
		if err != nil {
			fmt.Println(err)
			return
		}
		est.SetSeed(1)
		_, g, err := est.Gradient(context.Background(), p.Params.Get(p.Rule))
		fmt.Println(m, len(g), err)
	}
	// Output:
	// exact 9 <nil>
	// truncated 9 <nil>
	// finite-diff 9 <nil>
	// es 9 <nil>
}

// The rule meta-training ended with.
func ExampleHistory_Rule() {
	p, ts := smallProblem()
	p.Task = nil
	cfg := meta.DefaultConfig(p, ts)
	cfg.Iterations = 1
	h, err := meta.Train(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	learned, err := h.Rule()
	fmt.Println(learned.Name == p.Rule.Name, learned.Theta[1][1] != p.Rule.Theta[1][1], err)
	// Output: true true <nil>
}
