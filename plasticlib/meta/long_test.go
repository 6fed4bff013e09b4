package meta

import (
	"context"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// TestMetaTrainingImproves meta-trains from Miconi's cubic rule and from
// the zero rule on a small configuration (N = 50, DNMS at dt = 5 ms, 100
// episodes per learning run) and checks that the held-out objective rises
// on average over the iterations (last two iterations' mean above the
// first two's).
func TestMetaTrainingImproves(t *testing.T) {
	if testing.Short() {
		t.Skip("long: meta-training")
	}
	for _, tc := range []struct {
		name string
		rule func() rule.Rule
	}{
		{"miconi-cubic", rule.MiconiCubic},
		{"zero", func() rule.Rule { r, _ := rule.Zero(3, 3); return r }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nc := network.DefaultConfig()
			nc.N, nc.Dt = 50, 5
			dc := task.DefaultDNMS()
			dc.Dt = 5
			lc := learn.DefaultConfig()
			lc.Episodes, lc.WarmUp = 100, 0
			p := Problem{Net: nc, Rule: tc.rule(), Learn: lc, Smooth: Smooth{AbsEps: 1e-4, Clip: true}}
			cfg := DefaultConfig(p, TaskSpec{DNMS: &dc})
			cfg.Iterations = 6
			cfg.LR = 0.05
			h, err := Train(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range h.Records {
				t.Logf("iteration %d: train %.4f held-out %.4f final %.4f |grad| %.3g", r.Iteration, r.Objective, r.HeldOut, r.Final, sqrtDot(r.Grad))
			}
			rs := h.Records
			first := (rs[0].HeldOut + rs[1].HeldOut) / 2
			last := (rs[len(rs)-1].HeldOut + rs[len(rs)-2].HeldOut) / 2
			if !(last > first) {
				t.Errorf("held-out objective did not rise: first two %.4f, last two %.4f", first, last)
			}
		})
	}
}
