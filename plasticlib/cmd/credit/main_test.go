package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func TestRun(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "best")
	tiny := []string{"-n", "16", "-dt", "10", "-at", "100,120", "-trials", "20", "-gradient-trials", "40", "-family", "2,3"}
	for _, tc := range []struct {
		name string
		args []string
		want string // in the output on success, else in the error
		fail bool
	}{
		{"defaults", nil, "mean rho over 2 checkpoints: miconi-cubic", false},
		{"paired", nil, "rho-1st ±se", false},
		{"family", nil, "family K=2 L=3 (20 trials)", false},
		{"sgd", nil, "SGD (exact per-trial gradients)", false},
		{"save", []string{"-save-best", prefix, "-rules", "miconi-cubic"}, "saved " + prefix + "-s1-e120.json", false},
		{"no family", []string{"-family", "", "-rules", "node-perturbation"}, "node-perturbation", false},
		{"family of node perturbation", []string{"-rules", "node-perturbation"}, "not a polynomial rule", true},
		{"bad family", []string{"-family", "5"}, "-family", true},
		{"curvature", []string{"-curvature", "4", "-family", ""}, "random direction", false},
		{"curvature gain", []string{"-curvature", "4", "-family", "", "-rules", "miconi-cubic,eh"}, "E[u'Hu]", false},
		{"one curvature sample", []string{"-curvature", "1"}, "-curvature must be 0 or >= 2", true},
		{"curvature step", []string{"-curvature", "4", "-curvature-step", "0"}, "-curvature-step", true},
		{"odd gradient trials", []string{"-gradient-trials", "7"}, "-gradient-trials", true},
		{"unresolved gradient", []string{"-gradient-trials", "10"}, "no gradient resolved from 10 trials", false},
		{"checkpoints", []string{"-at", "500,100"}, "checkpoints must increase", true},
		{"checkpoint", []string{"-at", "x"}, `"x" is not an episode number`, true},
		{"condition", []string{"-condition", "sparse"}, "-condition", true},
		{"unknown rule", []string{"-rules", "hebb"}, `unknown preset "hebb"`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), &out, append(append([]string{}, tiny...), tc.args...))
			if tc.fail {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want one containing %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out.String())
			}
		})
	}
	if _, err := os.Stat(prefix + "-s1-e100.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadRule(prefix + "-s1-e120.json"); err != nil {
		t.Errorf("the saved rule does not load: %v", err)
	}
}
