package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

// checkpoints trains a 2-iteration evolve run and a 2-iteration truncated
// tangent run on DNMS at N = 12, dt = 10, 30 trials, and returns their
// checkpoint files.
func checkpoints(t *testing.T) (es, tr string) {
	t.Helper()
	ctx, dir := context.Background(), t.TempDir()
	s := setting.MustLookup("dnms", "miconi")
	s.Net.N = 12
	s.SetDt(10)
	s.Learn.Episodes, s.Learn.WarmUp = 30, 4
	start := s.Rule(rule.MiconiCubic())
	es, tr = filepath.Join(dir, "es.json"), filepath.Join(dir, "tr.json")
	if _, err := evolve.Train(ctx, evolve.Config{Setting: s, Start: start, Objective: evolve.MeanReward, Pairs: 2, Seeds: 2, Iterations: 2,
		EvalSeeds: []uint64{1, 2}, Workers: 2, Checkpoint: es}); err != nil {
		t.Fatal(err)
	}
	tk, err := s.Task()
	if err != nil {
		t.Fatal(err)
	}
	p := meta.Problem{Net: s.Net, Task: tk, Rule: start, Learn: s.Learn, Smooth: meta.Smooth{AbsEps: 1e-4, Clip: true}, FreshNet: true}
	cfg := meta.DefaultConfig(p, meta.TaskSpec{DNMS: &s.DNMS})
	cfg.Iterations, cfg.EvalSeeds, cfg.Checkpoint = 2, nil, tr
	cfg.Estimator.Method = meta.Truncated
	if _, err := meta.Train(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	return es, tr
}

func TestRun(t *testing.T) {
	es, tr := checkpoints(t)
	out := filepath.Join(t.TempDir(), "cmp.json")
	var b bytes.Buffer
	if err := run(context.Background(), &b, []string{"-evolve", es, "-meta", "truncated=" + tr, "-eval-seeds", "3", "-out", out}); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"on 3 seeds (from 1)", "es: start", "truncated: start"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Estimators) != 2 || len(res.EvalSeeds) != 3 {
		t.Fatalf("saved %d estimators on %d seeds; want 2 on 3", len(res.Estimators), len(res.EvalSeeds))
	}
	for _, e := range res.Estimators {
		// Records 0 and 1 plus the final rule.
		if len(e.Points) != 3 {
			t.Fatalf("%s: %d points, want 3", e.Name, len(e.Points))
		}
		p := e.Points
		if p[0].Seconds != 0 || !(p[1].Seconds > 0) || !(p[2].Seconds > p[1].Seconds) {
			t.Errorf("%s: seconds %g, %g, %g; want 0, then increasing", e.Name, p[0].Seconds, p[1].Seconds, p[2].Seconds)
		}
		if p[2].Theta[3][3] == 1 {
			t.Errorf("%s: the final rule is the start", e.Name)
		}
		for _, q := range p {
			// Minus the mean error (the evolve run's objective, mean-reward).
			if !(q.HeldOut < 0 && q.HeldOut > -3) {
				t.Errorf("%s: held-out %g; want minus a mean error", e.Name, q.HeldOut)
			}
		}
	}
	if p := res.Estimators[1].Points; p[0].HeldOut == p[2].HeldOut {
		t.Errorf("the start and the trained rule scored the same, %g", p[0].HeldOut)
	}
	// Both runs start from theta_33: scored once, the same value.
	if a, b := res.Estimators[0].Points[0].HeldOut, res.Estimators[1].Points[0].HeldOut; a != b {
		t.Errorf("the shared start scored %g and %g", a, b)
	}
}

func TestRunRejects(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.json")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no evolve", nil, "-evolve"},
		{"missing evolve", []string{"-evolve", missing}, "no such file"},
		{"bad meta", []string{"-evolve", missing, "-meta", "x"}, "NAME=FILE"},
		{"every", []string{"-evolve", missing, "-every", "0"}, "-every"},
		{"eval-seeds", []string{"-evolve", missing, "-eval-seeds", "-2"}, "-eval-seeds"},
	} {
		var b bytes.Buffer
		if err := run(context.Background(), &b, tc.args); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want one naming %s", tc.name, err, tc.want)
		}
	}
}
