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
		return run(12, 10, 30, 0, true, 3, 0.01, 2e-4, 20, 0, 0, 0.05, iterations, 2, true, true, ck, out)
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

func TestRunRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"K", run(12, 10, 30, 0, false, 2, 0.01, 2e-4, 20, 0, 0, 0.05, 1, 2, true, true, "", ""), "-K"},
		{"dt", run(12, -1, 30, 0, false, 3, 0.01, 2e-4, 20, 0, 0, 0.05, 1, 2, true, true, "", ""), "Dt"},
		{"lr", run(12, 10, 30, 0, false, 3, 0.01, 2e-4, 20, 0, 0, -1, 1, 2, true, true, "", ""), "LR"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want one naming %s", tc.name, tc.err, tc.want)
		}
	}
}
