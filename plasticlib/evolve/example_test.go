package evolve_test

import (
	"context"
	"fmt"

	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

// Meta-learn Miconi's rule on DNMS by evolution strategies on whole
// learning runs, here at a toy scale (16 units, 10 ms steps, 40-trial runs).
func ExampleTrain() {
	s := setting.MustLookup("dnms", "miconi")
	s.Net.N = 16
	s.SetDt(10)
	s.Learn.WarmUp = 4
	cfg := evolve.Config{Setting: s, Start: s.Rule(rule.MiconiCubic()), Episodes: 40, Objective: evolve.MeanReward,
		Pairs: 2, Seeds: 1, Iterations: 2, EvalSeeds: []uint64{1}}
	h, err := evolve.Train(context.Background(), cfg)
	if err != nil {
		panic(err)
	}
	learned := h.Rule()
	fmt.Printf("%d iterations, %d coefficients evolved; the result is %q with eta %g\n",
		len(h.Records), len(h.U), learned.Name, learned.Eta)
	// Output: 2 iterations, 16 coefficients evolved; the result is "learned" with eta 0.1
}
