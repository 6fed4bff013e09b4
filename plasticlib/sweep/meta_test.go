package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

// metaConfig is a tiny meta-training: 2 pairs x 2 seeds + 1 held-out seed
// (9 runs per iteration) of 40-trial DNMS runs at N = 16, dt = 10.
func metaConfig() evolve.Config {
	s := setting.MustLookup("dnms", "miconi")
	s.Net.N = 16
	s.SetDt(10)
	s.Learn.Episodes, s.Learn.WarmUp = 40, 4
	return evolve.Config{Setting: s, Start: s.Rule(rule.MiconiCubic()), Pairs: 2, Seeds: 2, Iterations: 2,
		Objective: evolve.ToCriterion, BothConditions: true, EvalSeeds: []uint64{1}, Workers: 2}
}

func sameTraining(t *testing.T, what string, got, want *evolve.History) {
	t.Helper()
	if !reflect.DeepEqual(got.U, want.U) || !reflect.DeepEqual(got.M, want.M) || !reflect.DeepEqual(got.V, want.V) || len(got.Records) != len(want.Records) {
		t.Fatalf("%s: U %v (%d records); want %v (%d records)", what, got.U, len(got.Records), want.U, len(want.Records))
	}
	for i := range want.Records {
		a, b := got.Records[i], want.Records[i]
		a.Seconds, b.Seconds = 0, 0
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: record %d %+v; want %+v", what, i, a, b)
		}
	}
}

// Meta-training through Meta's local executor, its runs as result files,
// is the in-process training bit for bit; an iteration interrupted after
// some of its runs resumes from the checkpoint, redoes only the runs
// without a result and ends where the uninterrupted training does.
func TestMetaResume(t *testing.T) {
	ctx := context.Background()
	want, err := evolve.Train(ctx, metaConfig())
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	ck := filepath.Join(out, "ck.json")
	var armed atomic.Bool
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m, err := NewMeta(ctx, Options{Out: out, Workers: 1, Progress: func(p Progress) {
		if armed.Load() && p.Done >= 3 {
			cancel() // iteration 1 interrupted after its third run
		}
	}}, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := metaConfig()
	cfg.Executor, cfg.Checkpoint = m, ck
	cfg.Progress = func(evolve.Record) { armed.Store(true) }
	h, err := evolve.Train(cctx, cfg)
	if err == nil || len(h.Records) != 1 {
		t.Fatalf("interrupted training: %d records, err %v; want 1 record and an error", len(h.Records), err)
	}
	it1 := IterationDir(out, 1)
	kept := resultFiles(t, it1)
	if len(kept) < 3 || len(kept) >= 9 {
		t.Fatalf("%d of iteration 1's 9 runs have a result; want 3 to 8", len(kept))
	}
	mtimes := map[string]int64{}
	for rel := range kept {
		fi, err := os.Stat(filepath.Join(it1, rel))
		if err != nil {
			t.Fatal(err)
		}
		mtimes[rel] = fi.ModTime().UnixNano()
	}

	var log bytes.Buffer
	m, err = NewMeta(ctx, Options{Out: out, Workers: 2, Log: &log}, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Progress, cfg.Executor = nil, m
	got, err := evolve.Train(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameTraining(t, "resumed through Meta", got, want)
	if s := log.String(); !strings.Contains(s, "iteration 1: ran "+strconv.Itoa(9-len(kept))+" runs, reused "+strconv.Itoa(len(kept))+", missing 0") {
		t.Errorf("resume log:\n%s\nwant %d runs reused, %d run", s, len(kept), 9-len(kept))
	}
	again := resultFiles(t, it1)
	for rel, b := range kept {
		fi, err := os.Stat(filepath.Join(it1, rel))
		if err != nil || fi.ModTime().UnixNano() != mtimes[rel] || again[rel] != b {
			t.Errorf("%s was redone, though it existed", rel)
		}
	}
	if len(again) != 9 {
		t.Errorf("iteration 1 has %d results; want 9", len(again))
	}
	if _, err := os.Stat(IterationDir(out, 0)); !os.IsNotExist(err) {
		t.Errorf("iteration 0's runs were not removed when iteration 1 started (%v)", err)
	}

	// Through Meta from the start, keeping every iteration: the same again.
	keep := t.TempDir()
	m, err = NewMeta(ctx, Options{Out: keep}, true)
	if err != nil {
		t.Fatal(err)
	}
	cfg = metaConfig()
	cfg.Executor = m
	got, err = evolve.Train(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sameTraining(t, "through Meta", got, want)
	for it := range 2 {
		if n := len(resultFiles(t, IterationDir(keep, it))); n != 9 {
			t.Errorf("kept iteration %d: %d results; want 9", it, n)
		}
	}
	// Another training in the same directory is refused, naming it.
	cfg.Seed = 7
	if _, err := evolve.Train(ctx, cfg); err == nil || !strings.Contains(err.Error(), "holds iteration 0 of another meta-training") {
		t.Errorf("another training in %s: err = %v", keep, err)
	}
}

// A meta run's job is labelled by the run's name and condition, its path
// holds its seed and ID, and the ID is a function of the run alone.
func TestMetaJob(t *testing.T) {
	cfg := metaConfig()
	cfg.Iterations = 1
	h, err := evolve.Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	runs := h.Runs(1)
	j := MetaJob(runs[2])
	want := filepath.Join("runs", "plus-00", "random-initial-state", "seed-"+strconv.FormatUint(runs[2].Seed, 10)+"-"+j.ID()[:16]+".json")
	if j.Path() != want {
		t.Errorf("path %s; want %s", j.Path(), want)
	}
	if MetaJob(h.Runs(1)[2]).ID() != j.ID() {
		t.Error("the same run has two IDs")
	}
	ids := map[string]bool{}
	for _, r := range runs {
		ids[MetaJob(r).ID()] = true
	}
	if len(ids) != len(runs) {
		t.Errorf("%d IDs for %d runs", len(ids), len(runs))
	}
	r := runs[2]
	r.Rule = r.Rule.Clone()
	r.Rule.Theta[1][1] += 1e-12
	if MetaJob(r).ID() == j.ID() {
		t.Error("a change of a coefficient keeps the ID")
	}
	if _, err := NewMeta(context.Background(), Options{}, false); err == nil || !strings.Contains(err.Error(), "sweep.Options.Out") {
		t.Errorf("NewMeta without Out: err = %v", err)
	}
	if _, err := NewMeta(context.Background(), Options{Out: t.TempDir(), Executor: "pbs"}, false); err == nil || !strings.Contains(err.Error(), `sweep.Options.Executor: unknown executor "pbs"`) {
		t.Errorf("NewMeta with executor pbs: err = %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := NewMeta(context.Background(), Options{Out: t.TempDir(), Executor: Slurm}, false); err == nil || !strings.Contains(err.Error(), "sbatch not found on PATH") {
		t.Errorf("NewMeta slurm without sbatch: err = %v", err)
	}
}
