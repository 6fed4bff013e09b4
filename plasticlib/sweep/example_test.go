package sweep_test

import (
	"context"
	"fmt"
	"os"

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
