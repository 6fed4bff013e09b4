package evolve

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// serial is an Executor that makes the runs one after the other and
// records what it was asked; short drops the last result.
type serial struct {
	calls []int
	runs  [][]Run
	short bool
}

func (s *serial) Execute(ctx context.Context, it int, runs []Run) ([]RunResult, error) {
	s.calls, s.runs = append(s.calls, it), append(s.runs, runs)
	out, err := inProcess{workers: 1}.Execute(ctx, it, runs)
	if s.short && len(out) > 0 {
		out = out[:len(out)-1]
	}
	return out, err
}

// An Executor changes nothing: the training through one is the in-process
// training, bit for bit, with and without both conditions.
func TestExecutorSameTraining(t *testing.T) {
	for _, tc := range []struct {
		obj  Objective
		both bool
	}{{MeanReward, false}, {ToCriterion, true}} {
		cfg := tinyConfig()
		cfg.Objective, cfg.BothConditions, cfg.Iterations, cfg.Pairs, cfg.EvalSeeds = tc.obj, tc.both, 2, 1, []uint64{1, 2}
		want, err := Train(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		ex := &serial{}
		cfg.Executor = ex
		got, err := Train(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%s, both conditions %v", tc.obj, tc.both)
		if !reflect.DeepEqual(got.U, want.U) || !reflect.DeepEqual(got.M, want.M) || !reflect.DeepEqual(got.V, want.V) {
			t.Errorf("%s: through an executor U %v; in process %v", name, got.U, want.U)
		}
		for i := range want.Records {
			a, b := got.Records[i], want.Records[i]
			a.Seconds, b.Seconds = 0, 0
			if !reflect.DeepEqual(a, b) {
				t.Errorf("%s: record %d through an executor %+v; in process %+v", name, i, a, b)
			}
		}
		if !reflect.DeepEqual(ex.calls, []int{0, 1}) || len(ex.runs[0]) != 2*1*2+2 {
			t.Errorf("%s: executor called for iterations %v with %d runs; want [0 1], 6 runs", name, ex.calls, len(ex.runs[0]))
		}
	}
}

// Runs lists an iteration's runs in the executor's order, each labelled,
// each a function of the history's state and the iteration alone.
func TestRuns(t *testing.T) {
	cfg := tinyConfig()
	cfg.BothConditions, cfg.Objective, cfg.EvalSeeds = true, ToCriterion, []uint64{1001, 1002}
	cfg.defaults()
	h := &History{Config: cfg}
	if err := h.init(context.Background(), cfg.Setting); err != nil {
		t.Fatal(err)
	}
	runs := h.Runs(0)
	var got []string
	for _, r := range runs {
		got = append(got, fmt.Sprintf("%s/%s/%d", r.Name, r.Condition, r.Seed-cfg.trainSeed(0, 0)))
	}
	want := []string{"plus-00/fresh-networks/0", "minus-00/fresh-networks/0", "plus-00/random-initial-state/1", "minus-00/random-initial-state/1",
		"plus-01/fresh-networks/0", "minus-01/fresh-networks/0", "plus-01/random-initial-state/1", "minus-01/random-initial-state/1"}
	if !reflect.DeepEqual(got[:8], want) {
		t.Errorf("training runs %v; want %v", got[:8], want)
	}
	for j, r := range runs[8:] {
		if r.Name != "current" || r.Seed != cfg.EvalSeeds[j] || !reflect.DeepEqual(r.Rule, h.Rule()) || r.Setting.FixedNet != (j == 1) {
			t.Errorf("held-out run %d: %s, seed %d, fixed net %v; want current, seed %d", j, r.Name, r.Seed, r.Setting.FixedNet, cfg.EvalSeeds[j])
		}
	}
	for _, r := range runs {
		if !r.StopAtCriterion || r.Setting.Learn.Episodes != cfg.Episodes || r.Setting.Learn.Stop != nil || r.Rule.Eta != cfg.Start.Eta {
			t.Fatalf("run %s: stop %v, episodes %d, eta %g; want stop at criterion, %d episodes, eta %g", r.Name, r.StopAtCriterion, r.Setting.Learn.Episodes, r.Rule.Eta, cfg.Episodes, cfg.Start.Eta)
		}
	}
	// Plus and minus of a pair straddle the current rule.
	p, m, c := runs[0].Rule.Theta[3][3], runs[1].Rule.Theta[3][3], h.Rule().Theta[3][3]
	if !(p != m && (p+m)/2-c < 1e-12 && c-(p+m)/2 < 1e-12) {
		t.Errorf("theta_33 of plus %g, minus %g; want them symmetric about %g", p, m, c)
	}
	if again := h.Runs(0); !reflect.DeepEqual(again, runs) {
		t.Error("Runs(0) differs between two calls")
	}
	if other := h.Runs(1); reflect.DeepEqual(other[0].Rule, runs[0].Rule) || other[0].Seed == runs[0].Seed {
		t.Error("iteration 1 has iteration 0's perturbation or seed")
	}
}

// An executor's failures and short answers end the training with an error
// naming the iteration.
func TestExecutorErrors(t *testing.T) {
	cfg := tinyConfig()
	cfg.Executor = &serial{short: true}
	if _, err := Train(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "iteration 0: executor returned 8 results for 9 runs") {
		t.Errorf("short executor: err = %v", err)
	}
	cfg.EvalSeeds = []uint64{1, 2}
	cfg.Executor = failing{}
	if _, err := Train(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "iteration 0: array task 3 failed") {
		t.Errorf("failing executor: err = %v", err)
	}
}

type failing struct{}

func (failing) Execute(context.Context, int, []Run) ([]RunResult, error) {
	return nil, errors.New("array task 3 failed")
}
