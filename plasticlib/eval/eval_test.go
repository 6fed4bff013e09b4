package eval_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

func TestCriterion(t *testing.T) {
	c := eval.Criterion{Window: 4, Fraction: 0.75, Threshold: 0.5}
	tests := []struct {
		errs    []float64
		n       int
		reached bool
	}{
		{[]float64{0.1, 0.1, 0.1}, 3, false},                // shorter than the window
		{[]float64{0.1, 0.1, 0.9, 0.1}, 4, true},            // 3 of 4 at episode 3
		{[]float64{0.9, 0.9, 0.1, 0.1, 0.1}, 5, true},       // window [1, 4]
		{[]float64{0.9, 0.1, 0.9, 0.1, 0.9, 0.1}, 6, false}, // never 3 of 4
		{[]float64{0.5, 0.5, 0.5, 0.5}, 4, false},           // threshold is strict
	}
	for _, tt := range tests {
		if n, ok := c.Episodes(tt.errs); n != tt.n || ok != tt.reached {
			t.Errorf("Episodes(%v) = %d, %v; want %d, %v", tt.errs, n, ok, tt.n, tt.reached)
		}
	}
	// The default criterion needs 95 of 100.
	e := make([]float64, 300)
	for k := range e {
		e[k] = 1
		if k >= 100 {
			e[k] = 0
		}
	}
	if n, ok := eval.DefaultCriterion().Episodes(e); !ok || n != 195 {
		t.Errorf("default criterion on a step at 100: %d, %v; want 195, true", n, ok)
	}
}

func TestSummarize(t *testing.T) {
	s := eval.Summarize([]float64{5, 1, 3, 2, 4})
	if s.Median != 3 || s.Q1 != 2 || s.Q3 != 4 || s.Min != 1 || s.Max != 5 {
		t.Errorf("Summarize = %+v", s)
	}
	if s := eval.Summarize([]float64{1, 2}); s.Median != 1.5 || s.Q1 != 1.25 {
		t.Errorf("Summarize([1 2]) = %+v; want median 1.5, Q1 1.25", s)
	}
	if s := eval.Summarize(nil); !math.IsNaN(s.Median) {
		t.Errorf("Summarize(nil).Median = %g; want NaN", s.Median)
	}
	o := eval.SummarizeOutcomes([]eval.Outcome{{100, false}, {6000, true}, {300, false}})
	if o.Median != 300 || o.Censored != 1 {
		t.Errorf("SummarizeOutcomes = %+v", o)
	}
}

// TestRunSeedsMatchesSerial: the parallel runner gives the serial results.
func TestRunSeedsMatchesSerial(t *testing.T) {
	for _, r := range []rule.Rule{rule.MiconiCubic(), rule.NodePert()} {
		testRunSeedsMatchesSerial(t, r)
	}
}

func testRunSeedsMatchesSerial(t *testing.T, r rule.Rule) {
	run := func(ctx context.Context, s uint64) ([]float64, error) {
		nc := network.DefaultConfig()
		nc.N, nc.Dt, nc.Seed = 20, 10, s
		dc := task.DefaultDNMS()
		dc.Dt = 10
		d, _ := task.NewDNMS(dc)
		cfg := learn.DefaultConfig()
		cfg.Episodes, cfg.WarmUp, cfg.Seed = 20, 2, s
		nc.PerturbProb = 0.02
		h, err := learn.Run(ctx, nc, d, r, cfg)
		return h.Errors, err
	}
	seeds := eval.Seeds(10, 6)
	par, err := eval.RunSeeds(context.Background(), seeds, 3, run)
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range seeds {
		ser, _ := run(context.Background(), s)
		for n := range ser {
			if ser[n] != par[k][n] {
				t.Fatalf("%s seed %d episode %d: parallel %g, serial %g", r.Name, s, n, par[k][n], ser[n])
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := eval.RunSeeds(ctx, seeds, 2, run); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled RunSeeds: err = %v; want context.Canceled", err)
	}
}

func ExampleCriterion_Episodes() {
	errs := make([]float64, 500)
	for k := range errs {
		errs[k] = 1.0
		if k >= 200 {
			errs[k] = 0.1 // learned at episode 200
		}
	}
	n, ok := eval.DefaultCriterion().Episodes(errs)
	fmt.Println(n, ok)
	// Output: 295 true
}

func ExampleRunSeeds() {
	square := func(_ context.Context, s uint64) (uint64, error) { return s * s, nil }
	out, err := eval.RunSeeds(context.Background(), eval.Seeds(1, 4), 0, square)
	fmt.Println(out, err)
	// Output: [1 4 9 16] <nil>
}

func ExampleSummarizeOutcomes() {
	s := eval.SummarizeOutcomes([]eval.Outcome{{1745, false}, {3834, false}, {4719, false}, {6000, true}})
	fmt.Println(s)
	// Output: median 4276 [IQR 3312-5039, range 1745-6000] over 4, 1 censored
}

// TestRunLearning: the non-generic runner keeps seed order, stops runs at
// the criterion, and Outcomes and MeanError read the histories.
func TestRunLearning(t *testing.T) {
	dc := task.DefaultDNMS()
	dc.Dt = 10
	d, err := task.NewDNMS(dc)
	if err != nil {
		t.Fatal(err)
	}
	// A criterion every run meets at episode 30: below 2 on all of the
	// last 30 (every error is below 2).
	crit := eval.Criterion{Window: 30, Fraction: 1, Threshold: 2}
	run := func(ctx context.Context, s uint64) (*learn.History, error) {
		nc := network.DefaultConfig()
		nc.N, nc.Dt, nc.Seed = 20, 10, s
		cfg := learn.DefaultConfig()
		cfg.Episodes, cfg.WarmUp, cfg.Seed = 60, 2, s
		if s%2 == 0 {
			cfg.Stop = crit.Stop
		}
		return learn.Run(ctx, nc, d, rule.MiconiCubic(), cfg)
	}
	hs, err := eval.RunLearning(context.Background(), eval.Seeds(1, 4), 2, run)
	if err != nil {
		t.Fatal(err)
	}
	for k, h := range hs {
		want := 60
		if (k+1)%2 == 0 {
			want = 30 // stopped at the criterion
		}
		if h.Len() != want {
			t.Errorf("seed %d: %d episodes; want %d", k+1, h.Len(), want)
		}
		ser, _ := run(context.Background(), uint64(k+1))
		if ser.Errors[0] != h.Errors[0] || ser.Errors[h.Len()-1] != h.Errors[h.Len()-1] {
			t.Errorf("seed %d: parallel run differs from serial", k+1)
		}
	}
	out := crit.Outcomes(append(hs, nil))
	for k, o := range out[:4] {
		if o.Censored || o.Episodes != 30 {
			t.Errorf("outcome %d = %+v; want 30 episodes, met", k, o)
		}
	}
	if !out[4].Censored {
		t.Errorf("nil history: outcome %+v; want censored", out[4])
	}
	strict := eval.Criterion{Window: 30, Fraction: 1, Threshold: 0}
	for k, o := range strict.Outcomes(hs) {
		if !o.Censored || o.Episodes != hs[k].Len() {
			t.Errorf("unmeetable criterion, run %d: %+v; want censored at %d", k, o, hs[k].Len())
		}
	}
	sum, n := 0.0, 0
	for _, h := range hs {
		for _, e := range h.Errors {
			sum += e
			n++
		}
	}
	if got := eval.MeanError(hs); got != sum/float64(n) {
		t.Errorf("MeanError = %g; want %g", got, sum/float64(n))
	}
	if got := eval.MeanError(nil); !math.IsNaN(got) {
		t.Errorf("MeanError(nil) = %g; want NaN", got)
	}
}

func ExampleRunLearning() {
	ctx := context.Background()
	tk, _ := task.NewDNMS(task.DefaultDNMS())
	crit := eval.DefaultCriterion()
	hs, err := eval.RunLearning(ctx, eval.Seeds(1, 2), 0, func(ctx context.Context, seed uint64) (*learn.History, error) {
		nc := network.DefaultConfig()
		nc.N, nc.Seed = 50, seed
		cfg := learn.DefaultConfig()
		cfg.Episodes, cfg.Seed, cfg.Stop = 150, seed, crit.Stop
		return learn.Run(ctx, nc, tk, rule.MiconiCubic(), cfg)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range crit.Outcomes(hs) {
		fmt.Println(o.Episodes, o.Censored)
	}
	// Output:
	// 150 true
	// 150 true
}

func TestPerformance(t *testing.T) {
	c := eval.Criterion{Window: 2, Fraction: 0.95, Threshold: 1}
	for _, tc := range []struct {
		errors []float64
		perf   float64
		curve  []float64
	}{
		{[]float64{0.5, 1, 0.99, 2}, 0.5, []float64{1, 0.5, 0.5, 0.5}}, // 1 itself is not correct
		{[]float64{0.1, 0.2, 0.3}, 1, []float64{1, 1, 1}},
		{[]float64{1.5}, 0, []float64{0}},
	} {
		if got := c.Performance(tc.errors); got != tc.perf {
			t.Errorf("Performance(%v) = %v; want %v", tc.errors, got, tc.perf)
		}
		got := c.PerformanceCurve(tc.errors)
		for k := range got {
			if got[k] != tc.curve[k] {
				t.Errorf("PerformanceCurve(%v) = %v; want %v", tc.errors, got, tc.curve)
				break
			}
		}
	}
	if p := c.Performance(nil); !math.IsNaN(p) {
		t.Errorf("Performance(nil) = %v; want NaN", p)
	}
}
