package eval_test

import (
	"context"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// seedRun is what the reproduction keeps of one seed.
type seedRun struct {
	early, late float64 // mean error over episodes [0, 250) and [2500, 3000)
	outcome     eval.Outcome
	errors      []float64
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, v := range xs {
		s += v
	}
	return s / float64(len(xs))
}

func fractionBelow(xs []float64, th float64) float64 {
	c := 0
	for _, v := range xs {
		if v < th {
			c++
		}
	}
	return float64(c) / float64(len(xs))
}

// runDNMS learns DNMS at Miconi's reference configuration with rule r for
// up to maxEp episodes, stopping once both the criterion is met and
// episode minEp is reached.
func runDNMS(ctx context.Context, r rule.Rule, seed uint64, maxEp, minEp int) (seedRun, error) {
	nc := network.DefaultConfig()
	nc.Seed = seed
	d, err := task.NewDNMS(task.DefaultDNMS())
	if err != nil {
		return seedRun{}, err
	}
	crit := eval.DefaultCriterion()
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.Seed = maxEp, seed
	cfg.Stop = func(h *learn.History) bool {
		if h.Len() < minEp || h.Len()%50 != 0 {
			return false
		}
		_, ok := crit.Episodes(h.Errors)
		return ok
	}
	h, err := learn.Run(ctx, nc, d, r, cfg)
	if err != nil {
		return seedRun{}, err
	}
	n, ok := crit.Episodes(h.Errors)
	if !ok {
		n = maxEp
	}
	return seedRun{early: mean(h.Errors[:250]), late: mean(h.Errors[2500:3000]),
		outcome: eval.Outcome{Episodes: n, Censored: !ok}, errors: h.Errors}, nil
}

// learnSeeds runs DNMS under r for seeds first, first+1, ... in
// parallel, logs each, and returns the runs, the medians over seeds of the
// mean error over episodes 0-250 and 2500-3000, and the number of seeds
// that reached the criterion.
func learnSeeds(t *testing.T, r rule.Rule, first uint64, seeds, maxEp int) (runs []seedRun, early, late float64, reached int) {
	runs, err := eval.RunSeeds(context.Background(), eval.Seeds(first, seeds), 0,
		func(ctx context.Context, s uint64) (seedRun, error) { return runDNMS(ctx, r, s, maxEp, 3000) })
	if err != nil {
		t.Fatal(err)
	}
	e, l := make([]float64, seeds), make([]float64, seeds)
	outs := make([]eval.Outcome, seeds)
	for k, sr := range runs {
		e[k], l[k], outs[k] = sr.early, sr.late, sr.outcome
		if !sr.outcome.Censored {
			reached++
		}
		t.Logf("%s seed %d: mean error 0-250 %.3f, 2500-3000 %.3f; fraction correct over 2500-3000 %.2f; criterion %d (censored %v)",
			r.Name, first+uint64(k), sr.early, sr.late, fractionBelow(sr.errors[2500:3000], 1), sr.outcome.Episodes, sr.outcome.Censored)
	}
	early, late = eval.Summarize(e).Median, eval.Summarize(l).Median
	t.Logf("%s, %s BLAS: median mean error 0-250 %.3f, 2500-3000 %.3f (ratio %.2f); %d/%d seeds reach the criterion within %d; episodes to criterion: %v",
		r.Name, linalg.Backend(), early, late, late/early, reached, seeds, maxEp, eval.SummarizeOutcomes(outs))
	return runs, early, late, reached
}

// TestMiconiDNMSEpisodesToCriterion: Miconi's theta_33 at his DNMS
// setting (dnms/net.cpp) reaches his criterion, 95 of 100 trials with
// error below 1, in a median number of episodes inside the range of the
// middle half of his 20 runs (eLife 2017 Fig. 1B: median 843, IQR
// 692-1125), over 20 seeds, each on its own network.
func TestMiconiDNMSEpisodesToCriterion(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 20 seeds x about 1000 DNMS trials")
	}
	s := setting.MustLookup(setting.DNMS, setting.Miconi)
	r := s.Rule(rule.MiconiCubic())
	hs, err := s.RunSeeds(context.Background(), r, eval.Seeds(1, 20), 0, true)
	if err != nil {
		t.Fatal(err)
	}
	sum := eval.SummarizeOutcomes(s.Criterion.Outcomes(hs))
	t.Logf("theta_33 on DNMS, Miconi's setting, %s BLAS: episodes to criterion %v", linalg.Backend(), sum)
	if sum.Median < 692 || sum.Median > 1125 {
		t.Errorf("median episodes to criterion = %.0f over 20 seeds; want inside Miconi's IQR 692-1125 (%v)", sum.Median, sum)
	}
}

// TestNodePerturbationLearnsDNMS: node perturbation (eta = 0.001) learns
// DNMS too: the median error over 2500-3000 is at most 0.75x its level
// over 0-250.
func TestNodePerturbationLearnsDNMS(t *testing.T) {
	if testing.Short() {
		t.Skip("long: DNMS under node perturbation")
	}
	_, early, late, _ := learnSeeds(t, rule.NodePert(), 100, 4, 4000)
	if late > 0.75*early {
		t.Errorf("node perturbation: median mean error over 2500-3000 = %.3f; want <= 0.75 x %.3f", late, early)
	}
}
