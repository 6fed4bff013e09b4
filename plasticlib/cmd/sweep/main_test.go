package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/sweep"
)

func TestRun(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(spec, []byte(`{"rules": ["eh"], "conditions": [{"task": "dnms", "net": {"Dale": true}}], "n": 20, "dt": 10, "episodes": 110, "first": 1, "seeds": 2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := func(out string) options {
		return options{Tasks: "dnms", Settings: "miconi", Rules: "eh,zero", N: 20, Dt: 10, Episodes: 110, First: 1, Seeds: 2, Out: out, Exec: sweep.Flags{Executor: "local"}}
	}
	for _, tc := range []struct {
		name   string
		change func(*options)
		want   string // "" for success
	}{
		{"flags", func(*options) {}, ""},
		{"spec file", func(o *options) { o.Spec = spec }, ""},
		{"spec and flags", func(o *options) { o.Spec, o.specFlagsUsed = spec, []string{"-seeds"} }, "-seeds given with -spec"},
		{"no out", func(o *options) { o.Out = "" }, "-out"},
		{"unknown rule", func(o *options) { o.Rules = "eh,hebb" }, `unknown rule "hebb"`},
		{"unknown task", func(o *options) { o.Tasks = "xor" }, `unknown task "xor"`},
		{"unknown setting", func(o *options) { o.Settings = "fast" }, `unknown setting "fast"`},
		{"unknown executor", func(o *options) { o.Exec.Executor = "pbs" }, `unknown executor "pbs"`},
	} {
		o := flags(filepath.Join(t.TempDir(), "out"))
		tc.change(&o)
		err := run(context.Background(), o)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v; want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestWorkerProbe(t *testing.T) {
	if err := sweep.WorkerMain([]string{"-probe"}); err != nil {
		t.Fatal(err)
	}
	if err := sweep.WorkerMain([]string{"-out", t.TempDir(), "-share", "none", "-index", "0"}); err == nil {
		t.Error("worker on an empty directory succeeded")
	}
}
