package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	out, ck, runs := filepath.Join(dir, "learned.json"), filepath.Join(dir, "ck.json"), filepath.Join(dir, "runs")
	tiny := []string{"-task", "dnms", "-setting", "miconi", "-n", "12", "-dt", "10", "-episodes", "30",
		"-iterations", "2", "-pairs", "1", "-seeds", "1", "-eval-seeds", "1", "-K", "3"}
	for _, tc := range []struct {
		name string
		args []string
		want string
		fail bool
	}{
		{"new", []string{"-out", out, "-checkpoint", ck}, "saved " + out + " (2 iterations", false},
		{"resumed", []string{"-out", out, "-checkpoint", ck, "-iterations", "3"}, "resuming", false},
		{"odd", []string{"-free", "odd"}, "odd coefficients free", false},
		{"free", []string{"-free", "even"}, `-free: rule.FreeSet: unknown set "even"`, true},
		{"pre", []string{"-free", "odd", "-pre", "1,3", "-objective", "to-criterion", "-both-conditions"}, "odd coefficients of pre-synaptic powers 1,3 free", false},
		{"bad pre", []string{"-pre", "1,9"}, `-pre: "9" is not a pre-synaptic power`, true},
		{"power and eta", []string{"-power", "-logeta"}, "all coefficients and the modulation's exponent and log eta free", false},
		{"power printed", []string{"-power", "-logeta"}, "power 1.000; eta 0.1;", false},
		{"baseline", []string{"-learn-baseline", "-baseline", "0.6"}, "all coefficients and logit a_R free", false},
		{"baseline printed", []string{"-learn-baseline", "-baseline", "0.6"}, "; a_R 0.600;", false},
		{"start", []string{"-start", "../../../notebooks/data/hand-r1dx3-p2.json", "-K", "5", "-pre", "1", "-power"}, "from r dx^3, m = Ebar^2", false},
		{"start power", []string{"-start", "../../../notebooks/data/hand-r1dx3-p2.json", "-K", "5", "-pre", "1", "-power"}, "power 2.000", false},
		{"start K", []string{"-start", "../../../notebooks/data/hand-r1dx3-p2.json"}, "not a polynomial rule with K = L = 3", true},
		{"start file", []string{"-start", "nowhere.json"}, "-start", true},
		{"objective", []string{"-objective", "speed"}, "-objective", true},
		{"K", []string{"-K", "2"}, "-K must be >= 3", true},
		{"task", []string{"-task", "xor"}, `unknown task "xor"`, true},
		{"another config", []string{"-checkpoint", ck, "-sigma", "0.5"}, "another configuration", true},
		{"runs as files", []string{"-out-dir", runs, "-workers", "1"}, "iteration 1: 3 runs: 0 done before, 3 to run", false},
		{"runs reused", []string{"-out-dir", runs, "-iterations", "2", "-keep-runs"}, "iteration 1: ran 0 runs, reused 3, missing 0", false},
		{"executor", []string{"-executor", "pbs"}, `-executor: unknown executor "pbs"`, true},
		{"slurm without out-dir", []string{"-executor", "slurm"}, "-out-dir: -executor slurm needs a directory", true},
		{"argument", []string{"stray"}, `unexpected argument "stray"`, true},
	} {
		var b bytes.Buffer
		err := run(context.Background(), &b, append(append([]string(nil), tiny...), tc.args...))
		switch {
		case !tc.fail && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.fail && !strings.Contains(b.String(), tc.want):
			t.Errorf("%s: output lacks %q:\n%s", tc.name, tc.want, b.String())
		case tc.fail && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v; want one containing %q", tc.name, err, tc.want)
		}
	}
	t.Setenv("PATH", t.TempDir())
	if err := run(context.Background(), io.Discard, append(tiny, "-executor", "slurm", "-out-dir", runs)); err == nil || !strings.Contains(err.Error(), "sbatch not found on PATH") {
		t.Errorf("-executor slurm without sbatch: err = %v", err)
	}
	r, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "learned" || r.Eta != 0.1 {
		t.Errorf("saved rule %q with eta %g; want learned, DNMS's 0.1", r.Name, r.Eta)
	}
}
