package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	out, ck := filepath.Join(dir, "learned.json"), filepath.Join(dir, "ck.json")
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
		{"free", []string{"-free", "even"}, `-free: unknown set "even"`, true},
		{"pre", []string{"-free", "odd", "-pre", "1,3", "-objective", "to-criterion", "-both-conditions"}, "odd coefficients of pre-synaptic powers 1,3 free", false},
		{"bad pre", []string{"-pre", "1,9"}, `-pre: "9" is not a pre-synaptic power`, true},
		{"objective", []string{"-objective", "speed"}, "-objective", true},
		{"K", []string{"-K", "2"}, "-K must be >= 3", true},
		{"task", []string{"-task", "xor"}, `unknown task "xor"`, true},
		{"another config", []string{"-checkpoint", ck, "-sigma", "0.5"}, "another configuration", true},
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
	r, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "learned" || r.Eta != 0.1 {
		t.Errorf("saved rule %q with eta %g; want learned, DNMS's 0.1", r.Name, r.Eta)
	}
}
