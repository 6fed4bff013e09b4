package eval_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// referenceCSV holds the reference C++ learning curves (issue 3); the
// comparison is printed when the file is present.
const referenceCSV = "../../../shared/reference/dnms-reference-errors.csv"

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
		t.Logf("%s seed %d: mean error 0-250 %.3f, 2500-3000 %.3f; fraction < 0.5 over 2500-3000 %.2f; criterion %d (censored %v)",
			r.Name, first+uint64(k), sr.early, sr.late, fractionBelow(sr.errors[2500:3000], 0.5), sr.outcome.Episodes, sr.outcome.Censored)
	}
	early, late = eval.Summarize(e).Median, eval.Summarize(l).Median
	t.Logf("%s, %s BLAS: median mean error 0-250 %.3f, 2500-3000 %.3f (ratio %.2f); %d/%d seeds reach the criterion within %d; episodes to criterion: %v",
		r.Name, linalg.Backend(), early, late, late/early, reached, seeds, maxEp, eval.SummarizeOutcomes(outs))
	return runs, early, late, reached
}

// TestMiconiReproducesReference is issue 3's reproduction: the Miconi
// cubic rule learns DNMS over 10 seeds at the reference configuration.
// Each seed stops once it has reached the criterion and run 3000 episodes.
func TestMiconiReproducesReference(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 10 seeds x up to 6000 DNMS trials (minutes)")
	}
	const seeds, maxEp = 10, 6000
	runs, early, late, reached := learnSeeds(t, rule.MiconiCubic(), 0, seeds, maxEp)
	if late > 0.75*early {
		t.Errorf("median mean error over 2500-3000 = %.3f; want <= 0.75 x %.3f (its level over 0-250)", late, early)
	}
	if reached < seeds/2 {
		t.Errorf("%d of %d seeds reach the criterion within %d episodes; want >= %d", reached, seeds, maxEp, seeds/2)
	}
	compareReference(t, runs)
}

// compareReference prints the distribution of the runs next to the
// reference C++ code's (seeds 0-4, where 0 and 1 are the same run: glibc's
// srand(0) is srand(1)).
//
// Caveat (issue 3): the published dnms/net.cpp, built here (g++ 12.2,
// Eigen 3.4.0, glibc), does not produce these curves. Its trial-0 error for
// seed 0/1 is 0.0922 where the CSV has 0.14084 (no weight has changed by
// then, so that run drew other random numbers or ran other code), and it
// reaches the criterion at 1112, 2425, 1824, 1605, 1636, -, 1069, 1756
// trials for seeds 1-8 (seed 6 not within 6000): like plasticlib, not like
// the CSV (exact rank test, CSV slower than that build: p = 0.07).
// learn's TestMatchesReferenceDump replays that build's trials through a
// Learner and gets its errors to every printed digit.
func compareReference(t *testing.T, runs []seedRun) {
	f, err := os.Open(referenceCSV)
	if err != nil {
		t.Logf("reference curves not found (%v): comparison skipped", err)
		return
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", referenceCSV, err)
	}
	ref := map[int][]float64{}
	for _, row := range rows[1:] {
		s, _ := strconv.Atoi(row[0])
		e, _ := strconv.ParseFloat(row[2], 64)
		ref[s] = append(ref[s], e)
	}
	crit := eval.DefaultCriterion()
	var refOut []eval.Outcome
	var refEarly, refLate []float64
	for s := 1; s <= 4; s++ { // seed 0 duplicates seed 1
		e := ref[s]
		n, ok := crit.Episodes(e)
		refOut = append(refOut, eval.Outcome{Episodes: n, Censored: !ok})
		refEarly = append(refEarly, mean(e[:250]))
		refLate = append(refLate, mean(e[2500:3000]))
	}
	var ours []eval.Outcome
	var early, late []float64
	for _, r := range runs {
		ours = append(ours, r.outcome)
		early = append(early, r.early)
		late = append(late, r.late)
	}
	for _, cp := range []struct {
		what      string
		ref, mine fmt.Stringer
	}{
		{"mean error 0-250", eval.Summarize(refEarly), eval.Summarize(early)},
		{"mean error 2500-3000", eval.Summarize(refLate), eval.Summarize(late)},
		{"episodes to criterion (cap 6000)", eval.SummarizeOutcomes(refOut), eval.SummarizeOutcomes(ours)},
	} {
		t.Logf("%-34s reference C++ (seeds 1-4): %v\n%-34s plasticlib (10 seeds):     %v", cp.what, cp.ref, "", cp.mine)
	}
	var r, o []float64
	for _, x := range refOut {
		r = append(r, float64(x.Episodes))
	}
	for _, x := range ours {
		o = append(o, float64(x.Episodes))
	}
	t.Logf("episodes to criterion, reference vs plasticlib: one-sided exact rank test p = %.3f (small: the reference learns slower)", rankP(r, o))
}

// rankP returns the exact one-sided p-value of the Mann-Whitney statistic
// U = #{(a, b): a in x, b in y, a > b} under random relabelling: the
// fraction of the C(n, len(x)) splits of x+y whose U is at least x's.
// Censored values enter at their cap, which only ties them.
func rankP(x, y []float64) float64 {
	all := append(append([]float64(nil), x...), y...)
	u := func(in []bool) int {
		c := 0
		for i, a := range all {
			for j, b := range all {
				if in[i] && !in[j] && a > b {
					c++
				}
			}
		}
		return c
	}
	in := make([]bool, len(all))
	for i := range x {
		in[i] = true
	}
	u0 := u(in)
	hits, total := 0, 0
	var rec func(start, left int)
	rec = func(start, left int) {
		if left == 0 {
			total++
			if u(in) >= u0 {
				hits++
			}
			return
		}
		for i := start; i <= len(all)-left; i++ {
			in[i] = true
			rec(i+1, left-1)
			in[i] = false
		}
	}
	clear(in)
	rec(0, len(x))
	return float64(hits) / float64(total)
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

func TestRankP(t *testing.T) {
	// All of x above all of y: the most extreme of C(5, 2) = 10 splits.
	if p := rankP([]float64{10, 11}, []float64{1, 2, 3}); math.Abs(p-0.1) > 1e-12 {
		t.Errorf("rankP(extreme) = %g; want 0.1", p)
	}
	if p := rankP([]float64{1, 2}, []float64{10, 11, 12}); p != 1 {
		t.Errorf("rankP(lowest) = %g; want 1", p)
	}
}
