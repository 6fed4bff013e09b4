package credit_test

import (
	"context"
	"fmt"

	"github.com/plasticnb/plasticnb/plasticlib/credit"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Measure how theta_33's update follows the gradient of the expected
// error on a small network (dt = 10 ms), against exact per-trial
// gradients.
func Example() {
	ctx := context.Background()
	tc := task.DefaultContext()
	tc.Dt = 10
	tk, _ := task.NewContext(tc)
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.NumInputs, nc.PerturbProb, nc.PerturbAmp = 32, 10, tk.NumInputs(), 0.05, 3
	net, _ := network.New(nc)

	g, err := credit.ExpectedGradient(ctx, net, tk, 40, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rule.MiconiCubic()
	r.MaxDW = 0
	baselines := []float64{1, 1, 1, 1} // Ebar per trial type
	a, err := credit.Align(ctx, net, baselines, tk, r, learn.DefaultConfig(), g, 200, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("SGD's alignment is larger than theta_33's: %v\n", g.Oracle() > a.Rho)
	// Output:
	// SGD's alignment is larger than theta_33's: true
}
