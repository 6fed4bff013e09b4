package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "eh.json")
	eh := rule.EH()
	eh.Eta = 1e-3
	if err := store.SaveRule(path, eh); err != nil {
		t.Fatal(err)
	}
	tiny := []string{"-n", "12", "-dt", "10", "-episodes", "20", "-seeds", "2", "-block", "10"}
	withBaseline := filepath.Join(t.TempDir(), "eh-baseline.json")
	eh.BaselineDecay = 0.5
	if err := store.SaveRule(withBaseline, eh); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string // in the output on success, else in the error
		fail bool
	}{
		{"theta33", nil, "miconi-cubic on paper setting of context", false},
		{"context eta", nil, "rule eta 0.003, maxdw 0;", false},
		{"miconi context eta", []string{"-setting", "miconi"}, "rule eta 0.01, maxdw 0.0002", false},
		{"node perturbation", []string{"-rule", "node-perturbation"}, "episodes to criterion: median", false},
		{"saved rule keeps its eta", []string{"-rule", path}, "rule eta 0.001", false},
		{"eta overrides", []string{"-rule", path, "-eta", "0.02"}, "rule eta 0.02", false},
		{"saved rule keeps its baseline", []string{"-rule", withBaseline}, "rule eta 0.001, maxdw 0.0003, baseline a_R 0.5 (the rule's);", false},
		{"baseline overrides", []string{"-rule", withBaseline, "-baseline", "0.9"}, "rule eta 0.001, maxdw 0.0003;", false},
		{"dnms", []string{"-task", "dnms", "-setting", "miconi"}, "rule eta 0.1, maxdw 0.0003", false},
		{"threshold", []string{"-threshold", "0.5"}, "correct below 0.5", false},
		{"random state", []string{"-condition", "random-state"}, "condition random-state", false},
		{"condition", []string{"-condition", "sparse"}, "-condition", true},
		{"block", []string{"-block", "0"}, "-block", true},
		{"missing rule", []string{"-rule", filepath.Join(t.TempDir(), "none.json")}, "none.json", true},
		{"unknown preset", []string{"-rule", "hebb"}, `unknown preset "hebb"`, true},
		{"unknown task", []string{"-task", "xor"}, `unknown task "xor"`, true},
		{"unknown setting", []string{"-setting", "fast"}, `unknown setting "fast"`, true},
		{"readout", []string{"-readout", "softmax"}, "-readout", true},
		{"bad threshold", []string{"-threshold", "-1"}, "Threshold", true},
		{"bias on dnms", []string{"-task", "dnms", "-bias", "1"}, "-bias", true},
		{"N", []string{"-n", "0"}, "network.Config.N", true},
		{"unknown flag", []string{"-speed", "1"}, "speed", true},
	} {
		var out bytes.Buffer
		err := run(context.Background(), &out, append(append([]string(nil), tiny...), tc.args...))
		switch {
		case !tc.fail && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.fail && !strings.Contains(out.String(), tc.want):
			t.Errorf("%s: output lacks %q:\n%s", tc.name, tc.want, out.String())
		case !tc.fail && !strings.Contains(out.String(), "episodes to criterion: median"):
			t.Errorf("%s: output lacks the summary line:\n%s", tc.name, out.String())
		case tc.fail && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v; want one containing %q", tc.name, err, tc.want)
		}
	}
}
