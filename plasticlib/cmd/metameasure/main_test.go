package main

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyOptions measures on a 12-unit network, 140 ms trials, 4-trial runs,
// one meta-iteration per progress run (a zero budget).
func tinyOptions(out string) options {
	return options{N: 12, Dt: 10, Seeds: 2, Lengths: []float64{140}, Episodes: []int{12}, ProgressEpisodes: 12,
		Scaling: true, Progress: true, Out: out, ESPairs: 2, HeldOut: 2, MaxIterations: 3}
}

func TestRunWritesMeasurements(t *testing.T) {
	out := filepath.Join(t.TempDir(), "data", "m.json")
	var log strings.Builder
	if err := run(context.Background(), tinyOptions(out), &log); err != nil {
		t.Fatal(err)
	}
	m := read(t, out)
	if len(m.Scaling) != len(estimators) || len(m.Progress) != 2*len(estimators) {
		t.Fatalf("%d scaling and %d progress rows; want %d and %d", len(m.Scaling), len(m.Progress), len(estimators), 2*len(estimators))
	}
	for i, r := range m.Scaling {
		if r.Estimator != estimators[i].Name || r.Steps != 14 || r.Episodes != 12 || !(r.MeanNorm > 0) ||
			r.MaxNorm < r.MeanNorm || r.NormOfMean > r.MeanNorm*(1+1e-12) || math.Abs(r.PairCos) > 1+1e-12 {
			t.Errorf("scaling row %d = %+v; want %s at 14 steps x 12 trials, 0 < mean|g| <= max|g|, |mean g| <= mean|g|, |cos| <= 1", i, r, estimators[i].Name)
		}
	}
	for i, r := range m.Progress {
		if len(r.HeldOut) != 1 || len(r.Seconds) != 1 || r.Best < r.HeldOut[0] || r.Best < r.After {
			t.Errorf("progress row %d = %+v; want one iteration (zero budget) and Best the best of HeldOut and After", i, r)
		}
	}
	if !strings.Contains(log.String(), "exact-h20") || !strings.Contains(log.String(), "wrote "+out) {
		t.Errorf("output %q; want the table and the file written", log.String())
	}

	// A second run of one part keeps the other part of the file.
	o := tinyOptions(out)
	o.Scaling, o.Episodes = false, []int{5}
	o.ESPairs = 1
	if err := run(context.Background(), o, io.Discard); err != nil {
		t.Fatal(err)
	}
	if again := read(t, out); len(again.Scaling) != len(m.Scaling) || again.Scaling[0] != m.Scaling[0] || len(again.Progress) != len(m.Progress) {
		t.Errorf("after -scaling=false: %d scaling rows (first %+v), %d progress rows; want the first run's scaling rows kept",
			len(again.Scaling), again.Scaling, len(again.Progress))
	}
}

func read(t *testing.T, path string) Measurements {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m Measurements
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		gs                       [][]float64
		meanNorm, normOfMean, pc float64
	}{
		{[][]float64{{3, 4}, {3, 4}}, 5, 5, 1},
		{[][]float64{{1, 0}, {0, 1}}, 1, math.Sqrt(0.5), 0},
		{[][]float64{{1, 0}, {-1, 0}, {1, 0}}, 1, 1.0 / 3, -1.0 / 3},
	}
	for _, tt := range tests {
		r := summarize(tt.gs)
		if math.Abs(r.MeanNorm-tt.meanNorm) > 1e-12 || math.Abs(r.NormOfMean-tt.normOfMean) > 1e-12 || math.Abs(r.PairCos-tt.pc) > 1e-12 {
			t.Errorf("summarize(%v) = mean|g| %g, |mean g| %g, cos %g; want %g, %g, %g", tt.gs, r.MeanNorm, r.NormOfMean, r.PairCos, tt.meanNorm, tt.normOfMean, tt.pc)
		}
	}
}

func TestRunRejects(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "x.json")
	os.WriteFile(notJSON, []byte("not json"), 0o644)
	for _, tc := range []struct {
		name   string
		change func(*options)
		want   string
	}{
		{"seeds", func(o *options) { o.Seeds = 1 }, "-seeds"},
		{"short trial", func(o *options) { o.Lengths = []float64{30} }, "-lengths"},
		{"no lengths", func(o *options) { o.Lengths = nil }, "-lengths"},
		{"budget", func(o *options) { o.Budget = -1 }, "-budget"},
		{"network", func(o *options) { o.N = 0 }, "N"},
		{"out", func(o *options) { o.Out = notJSON }, "x.json"},
	} {
		o := tinyOptions("")
		tc.change(&o)
		if err := run(context.Background(), o, io.Discard); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want one naming %s", tc.name, err, tc.want)
		}
	}
}

func TestParseLists(t *testing.T) {
	if got, err := parseFloats(" 350,700 ,1400"); err != nil || len(got) != 3 || got[2] != 1400 {
		t.Errorf("parseFloats(\" 350,700 ,1400\") = %v, %v; want [350 700 1400]", got, err)
	}
	if _, err := parseInts("25,x"); err == nil {
		t.Error("parseInts(\"25,x\"): no error")
	}
	if s := joinFloats(defaultOptions().Lengths); s != "350,700,1400" {
		t.Errorf("joinFloats(default lengths) = %q; want 350,700,1400", s)
	}
}
