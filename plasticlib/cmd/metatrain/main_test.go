package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// TestRunSavesAndResumes: a tiny run saves a loadable rule, and a second
// call with more iterations resumes from the checkpoint.
func TestRunSavesAndResumes(t *testing.T) {
	dir := t.TempDir()
	ck, out := filepath.Join(dir, "ck.json"), filepath.Join(dir, "rule.json")
	tiny := func(iterations int) error {
		o := tinyOptions()
		o.Fresh, o.Iterations, o.Checkpoint, o.Out = true, iterations, ck, out
		return run(o)
	}
	if err := tiny(1); err != nil {
		t.Fatal(err)
	}
	r1, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := tiny(2); err != nil {
		t.Fatal(err)
	}
	r2, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Name != "learned" || r1.Theta[3][3] == 1 || r2.Theta[3][3] == r1.Theta[3][3] {
		t.Errorf("theta_33 after 1 and 2 iterations: %g, %g; want both changed from 1 and different", r1.Theta[3][3], r2.Theta[3][3])
	}
}

// tinyOptions is a run of one iteration on a 12-unit network, 20 trials.
func tinyOptions() options {
	return options{N: 12, Dt: 10, Amp: 30, K: 3, Eta: 0.01, MaxDW: 2e-4, Episodes: 20, LR: 0.05,
		Iterations: 1, Seeds: 2, LogEta: true, SmoothClip: true}
}

func TestRunRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*options)
		want   string
	}{
		{"K", func(o *options) { o.K = 2 }, "-K"},
		{"dt", func(o *options) { o.Dt = -1 }, "Dt"},
		{"lr", func(o *options) { o.LR = -1 }, "LR"},
	} {
		o := tinyOptions()
		tc.change(&o)
		if err := run(o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want one naming %s", tc.name, err, tc.want)
		}
	}
}
