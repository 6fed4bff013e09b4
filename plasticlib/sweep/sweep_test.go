package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// tiny is a sweep of 2 rules x 3 seeds of tiny DNMS runs.
func tiny() Spec {
	return Spec{Rules: []string{"miconi-cubic", "eh"}, Conditions: []Condition{{Task: "dnms"}},
		N: 20, Dt: 10, Episodes: 120, First: 1, Seeds: 3}
}

func resultFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(filepath.Join(dir, "runs"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestRunLocalResume(t *testing.T) {
	dir := t.TempDir()
	var counted atomic.Int64
	var calls []Progress
	o := Options{Out: dir, Workers: 2, Counter: counter{&counted}, Progress: func(p Progress) { calls = append(calls, p) }}
	rep, err := Run(context.Background(), tiny(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total != 6 || rep.Ran != 6 || rep.Skipped != 0 || len(rep.Missing) != 0 {
		t.Fatalf("first run: report %+v; want 6 ran", rep)
	}
	if counted.Load() != 6 || len(calls) != 7 || calls[6].Done != 6 || calls[0].Done != 0 {
		t.Errorf("progress: counter %d, calls %+v; want 6 and 7 calls ending at 6", counted.Load(), calls)
	}
	first := resultFiles(t, dir)
	if len(first) != 6 {
		t.Fatalf("%d result files; want 6", len(first))
	}
	sum1, err := Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}

	// Delete one result: only it is redone, and every file is as before.
	var victim string
	for rel := range first {
		victim = rel
		break
	}
	if err := os.Remove(filepath.Join(dir, victim)); err != nil {
		t.Fatal(err)
	}
	counted.Store(0)
	rep, err = Run(context.Background(), tiny(), Options{Out: dir, Workers: 1, Counter: counter{&counted}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Ran != 1 || rep.Skipped != 5 || counted.Load() != 6 {
		t.Errorf("resume: report %+v, counter %d; want 1 ran, 5 skipped, counter 6", rep, counted.Load())
	}
	again := resultFiles(t, dir)
	for rel, b := range first {
		if again[rel] != b {
			t.Errorf("%s differs after the resume (workers 2 -> 1)", rel)
		}
	}
	// A file that is not its job's result (truncated, copied over) is redone.
	if err := os.WriteFile(filepath.Join(dir, victim), []byte(`{"format": "`+Format+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = Run(context.Background(), tiny(), Options{Out: dir})
	if err != nil || rep.Ran != 1 {
		t.Errorf("after overwriting %s: report %+v, %v; want it redone", victim, rep, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, victim)); string(b) != first[victim] {
		t.Errorf("%s not restored", victim)
	}
	sum2, err := Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	if sum1.String() != sum2.String() {
		t.Errorf("summary changed:\n%s\nwant\n%s", sum2, sum1)
	}
	if g := sum2.Group("eh", "dnms/miconi"); g == nil || len(g.Results) != 3 || len(g.Histories()[0].Errors) != 120 {
		t.Errorf("Group(eh, dnms/miconi) = %+v; want 3 results of 120 episodes", g)
	}
	if !strings.Contains(sum2.String(), "eh on dnms/miconi: episodes to criterion: median ") {
		t.Errorf("summary %q lacks eh's line", sum2)
	}
}

type counter struct{ n *atomic.Int64 }

func (c counter) Add(n int) { c.n.Add(int64(n)) }

// The results of a job do not depend on who else runs: a job run alone
// equals the same job inside a sweep.
func TestJobDependsOnlyOnConfig(t *testing.T) {
	jobs, err := tiny().Plan()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Run(context.Background(), tiny(), Options{Out: dir}); err != nil {
		t.Fatal(err)
	}
	j := jobs[4]
	res, err := j.Do(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	saved, err := os.ReadFile(filepath.Join(dir, j.Path()))
	if err != nil {
		t.Fatal(err)
	}
	if string(saved) != string(b)+"\n" {
		t.Errorf("job %s alone differs from its result in the sweep", j.Path())
	}
}

func TestIdentity(t *testing.T) {
	jobs, err := tiny().Plan()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, j := range jobs {
		// The ID survives the manifest's JSON round trip (workers recompute it).
		b, _ := json.Marshal(j)
		var back Job
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.ID() != j.ID() || back.Path() != j.Path() {
			t.Errorf("job %s: ID after a JSON round trip %s", j.ID(), back.ID())
		}
		if seen[j.ID()] {
			t.Errorf("two jobs with ID %s", j.ID())
		}
		seen[j.ID()] = true
	}
	for _, tc := range []struct {
		name   string
		change func(*Job)
	}{
		{"seed", func(j *Job) { j.Seed++ }},
		{"eta", func(j *Job) { j.Rule.Eta *= 2 }},
		{"N", func(j *Job) { j.Setting.Net.N++ }},
		{"episodes", func(j *Job) { j.Setting.Learn.Episodes++ }},
		{"stop", func(j *Job) { j.StopAtCriterion = !j.StopAtCriterion }},
	} {
		j := jobs[0]
		j.Rule = j.Rule.Clone()
		tc.change(&j)
		if j.ID() == jobs[0].ID() {
			t.Errorf("changing %s keeps the ID", tc.name)
		}
	}
	if p := jobs[0].Path(); !strings.HasPrefix(p, filepath.Join("runs", "miconi-cubic", "dnms-miconi", "seed-1-")) {
		t.Errorf("Path() = %q; want runs/miconi-cubic/dnms-miconi/seed-1-<id>.json", p)
	}
}

func TestBadInput(t *testing.T) {
	ruleFile := filepath.Join(t.TempDir(), "mine.json")
	r := rule.EH()
	r.Name = "mine"
	if err := store.SaveRule(ruleFile, r); err != nil {
		t.Fatal(err)
	}
	badRule := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(badRule, []byte(`{"theta": [[1, 2], [3]]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Spec)
		want   string // "" for success
	}{
		{"valid", func(*Spec) {}, ""},
		{"rule file", func(s *Spec) { s.Rules = []string{ruleFile, "zero"} }, ""},
		{"unknown rule", func(s *Spec) { s.Rules = []string{"eh", "hebb"} }, `Spec.Rules[1]: unknown rule "hebb"`},
		{"bad rule file", func(s *Spec) { s.Rules = []string{badRule} }, "Theta[1]"},
		{"duplicate rule", func(s *Spec) { s.Rules = []string{"eh", "eh"} }, "Spec.Rules[1]"},
		{"no rules", func(s *Spec) { s.Rules = nil }, "Spec.Rules"},
		{"unknown task", func(s *Spec) { s.Conditions[0].Task = "xor" }, `Conditions[0]: Task: setting: unknown task "xor"`},
		{"unknown setting", func(s *Spec) { s.Conditions[0].Setting = "fast" }, `Conditions[0]: Setting: setting: unknown setting "fast"`},
		{"no conditions", func(s *Spec) { s.Conditions = nil }, "Spec.Conditions"},
		{"same condition twice", func(s *Spec) { s.Conditions = append(s.Conditions, s.Conditions[0]) }, "Conditions[1].Name"},
		{"seeds", func(s *Spec) { s.Seeds = 0 }, "Spec.Seeds"},
		{"bad network", func(s *Spec) { s.Conditions[0].Net.ConnProb = 2 }, "network.Config.ConnProb"},
		{"bad criterion", func(s *Spec) { s.Criterion.Window = -1 }, "Spec.Criterion"},
		{"unknown override", func(s *Spec) { s.Conditions[0].Set = setting.Overrides{"bais": "1"} }, `Conditions[0]: Set: unknown setting override "bais"`},
		{"bad override", func(s *Spec) { s.Conditions[0].Set = setting.Overrides{"readout": "softmax"} }, "Conditions[0]: Set: -readout"},
		{"override of another task", func(s *Spec) { s.Conditions[0].Set = setting.Overrides{"bias": "0.5"} }, "Conditions[0]: Set: -bias and -noise apply to -task context only"},
	} {
		s := tiny()
		s.Conditions = append([]Condition(nil), s.Conditions...)
		tc.change(&s)
		_, err := s.Plan()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: Plan() error %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: Plan() error %v; want one containing %q", tc.name, err, tc.want)
		}
	}
	if _, err := ParseSpec([]byte(`{"rules": ["eh"], "seed": 3}`)); err == nil || !strings.Contains(err.Error(), `"seed"`) {
		t.Errorf("ParseSpec with an unknown field: %v; want it named", err)
	}
}

// A condition's Set carries every setting flag of learnruns and evolve:
// its jobs learn at the setting those flags give (setting.Override), over
// the spec's N, Dt, Episodes and Criterion.
func TestConditionSet(t *testing.T) {
	spec, err := ParseSpec([]byte(`{"rules": ["eh"], "first": 1, "seeds": 1, "n": 30, "dt": 5, "episodes": 90,
		"criterion": {"Window": 50, "Fraction": 0.8, "Threshold": 0.8},
		"conditions": [{"task": "context", "setting": "paper", "set": {"bias": 0.25, "noise": 0.2, "pprob": 0.01, "amp": 5,
			"initx": 0.5, "readout": "linear", "plastic-readout": true, "threshold": 0.7, "eta": 0.02, "maxdw": 0.001,
			"n": 24, "dt": 10, "episodes": 60}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := spec.Plan()
	if err != nil {
		t.Fatal(err)
	}
	want, err := setting.Override(setting.MustLookup("context", "paper"), spec.Conditions[0].Set)
	if err != nil {
		t.Fatal(err)
	}
	want.Criterion.Window, want.Criterion.Fraction = 50, 0.8 // the spec's, but the threshold the condition's
	if got := jobs[0].Setting; !reflect.DeepEqual(got, want) {
		t.Errorf("job's setting\n%+v\nwant the flags'\n%+v", got, want)
	}
	if r := jobs[0].Rule; r.Eta != 0.02 || r.MaxDW != 0.001 {
		t.Errorf("rule learns at eta %g, maxdw %g; want the overrides' 0.02, 0.001", r.Eta, r.MaxDW)
	}
	base := tiny()
	base.Conditions = []Condition{{Task: "dnms"}, {Name: "fast", Task: "dnms", Set: setting.Overrides{"eta": "0.3"}}}
	jobs, err = base.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if jobs[0].ID() == jobs[3].ID() || jobs[3].Rule.Eta != 0.3 || jobs[0].Setting.Net.N != 20 {
		t.Errorf("a condition's override: eta %g (ID %s vs %s); want 0.3 and another ID", jobs[3].Rule.Eta, jobs[3].ID()[:8], jobs[0].ID()[:8])
	}
}

func TestOutHoldingAnotherSweep(t *testing.T) {
	dir := t.TempDir()
	if _, err := Run(context.Background(), tiny(), Options{Out: dir}); err != nil {
		t.Fatal(err)
	}
	other := tiny()
	other.Seeds, other.Episodes = 4, 100
	_, err := Run(context.Background(), other, Options{Out: dir})
	if err == nil || !strings.Contains(err.Error(), "another sweep's results") || !strings.Contains(err.Error(), "Episodes, Seeds") {
		t.Errorf("Run on another sweep's -out: %v; want an error naming Episodes, Seeds", err)
	}
	stray := t.TempDir()
	if err := os.MkdirAll(filepath.Join(stray, "runs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), tiny(), Options{Out: stray}); err == nil || !strings.Contains(err.Error(), "no sweep.json") {
		t.Errorf("Run on a -out with runs/ but no manifest: %v", err)
	}
}

func TestOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want string
	}{
		{"no out", Options{}, "Options.Out"},
		{"executor", Options{Out: t.TempDir(), Executor: "pbs"}, `unknown executor "pbs"`},
	} {
		if _, err := Run(context.Background(), tiny(), tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want an error containing %q", tc.name, err, tc.want)
		}
	}
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	_, err := Run(context.Background(), tiny(), Options{Out: dir, Executor: Slurm})
	if err == nil || !strings.Contains(err.Error(), "sbatch not found on PATH") {
		t.Errorf("slurm without sbatch: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an unavailable executor wrote the manifest")
	}
}

// An interrupted sweep keeps its finished results and a re-run completes it.
func TestInterrupt(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s := tiny()
	rep, err := Run(ctx, s, Options{Out: dir, Workers: 1, Progress: func(p Progress) {
		if p.Done == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Run: %v; want context.Canceled", err)
	}
	if rep.Ran < 2 || rep.Ran == 6 || len(rep.Missing) != 6-rep.Ran {
		t.Fatalf("interrupted: report ran %d, missing %d; want 2 to 5 ran and the rest missing", rep.Ran, len(rep.Missing))
	}
	if n := len(resultFiles(t, dir)); n != rep.Ran {
		t.Errorf("%d result files for %d finished runs", n, rep.Ran)
	}
	sum, err := Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.String(), "runs missing") {
		t.Errorf("summary of an incomplete sweep does not say runs are missing:\n%s", sum)
	}
	ran := rep.Ran
	rep, err = Run(context.Background(), s, Options{Out: dir})
	if err != nil || rep.Ran != 6-ran || rep.Skipped != ran {
		t.Errorf("resume: %+v, %v; want %d ran, %d skipped", rep, err, 6-ran, ran)
	}
}

func TestWork(t *testing.T) {
	dir := t.TempDir()
	jobs, err := tiny().Plan()
	if err != nil {
		t.Fatal(err)
	}
	if err := claim(dir, tiny(), jobs); err != nil {
		t.Fatal(err)
	}
	share := filepath.Join(dir, "share.json")
	if err := os.WriteFile(share, []byte(`[[0, 2], [1, 3, 4, 5]]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Work(context.Background(), dir, share, 0, 1); err != nil {
		t.Fatal(err)
	}
	for k, j := range jobs {
		if done(dir, j) != (k == 0 || k == 2) {
			t.Errorf("after task 0: job %d done = %v", k, done(dir, j))
		}
	}
	if err := Work(context.Background(), dir, share, 2, 1); err == nil || !strings.Contains(err.Error(), "index 2") {
		t.Errorf("Work(index 2 of 2): %v", err)
	}
}
