package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/sweep"
)

func TestRun(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(spec, []byte(`{"rules": ["eh"], "conditions": [{"task": "dnms", "net": {"Dale": true}}], "n": 20, "dt": 10, "episodes": 110, "first": 1, "seeds": 2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := func(out string) options {
		return options{Tasks: "dnms", Settings: "miconi", Rules: "eh,zero", Set: setting.Overrides{"n": "20", "dt": "10", "episodes": "110"}, First: 1, Seeds: 2, Out: out, Exec: sweep.Flags{Executor: "local"}}
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
		{"overrides", func(o *options) { o.Tasks, o.Set["bias"], o.Set["readout"] = "context", "0.5", "linear" }, ""},
		{"override on another task", func(o *options) { o.Set["noise"] = "0.2" }, "Conditions[0]: Set: -bias and -noise apply to -task context only, not dnms"},
		{"bad override", func(o *options) { o.Set["pprob"] = "often" }, "Set: -pprob: parse error"},
		{"bad n", func(o *options) { o.Set["n"] = "x" }, "-n: strconv.Atoi"},
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
	// The setting flags reach every job: -n, -dt, -episodes as the spec's
	// N, Dt, Episodes, the others as each condition's Set.
	o := flags(filepath.Join(t.TempDir(), "out"))
	o.Tasks, o.Settings, o.Set["bias"], o.Set["plastic-readout"], o.Set["readout"] = "context", "miconi,paper", "0.5", "true", "linear"
	if err := run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	m, err := sweep.ReadManifest(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	if sp := m.Spec; sp.N != 20 || sp.Dt != 10 || sp.Episodes != 110 || len(sp.Conditions) != 2 || len(sp.Conditions[1].Set) != 3 {
		t.Errorf("spec %+v; want N, Dt, Episodes 20, 10, 110 and 2 conditions with 3 overrides", sp)
	}
	for _, j := range m.Jobs {
		if st := j.Setting; st.ContextCfg.Bias != 0.5 || st.Net.Readout.String() != "linear" || !st.Net.ReadoutPlastic || st.Net.N != 20 || st.Learn.Episodes != 110 {
			t.Fatalf("job %s on %s: bias %g, readout %v (plastic %v), N %d, %d episodes; want the flags' 0.5, plastic linear, 20, 110",
				j.RuleName, j.Condition, st.ContextCfg.Bias, st.Net.Readout, st.Net.ReadoutPlastic, st.Net.N, st.Learn.Episodes)
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
