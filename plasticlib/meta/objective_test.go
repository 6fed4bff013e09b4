package meta

import (
	"math"
	"strings"
	"testing"
)

// TestObjectiveValue checks each objective's value against the run's
// per-episode errors, at the defaults and at set Threshold, Temperature
// and LastM.
func TestObjectiveValue(t *testing.T) {
	for _, tc := range []struct {
		name     string
		obj      Objective
		c, temp  float64
		lastM    int
		score    func(E float64) float64
		wantName string
	}{
		{"mean-reward", MeanReward, 0, 0, 0, func(E float64) float64 { return -E }, "mean-reward"},
		{"soft-correct/defaults", SoftCorrect, 0, 0, 0, func(E float64) float64 { return 1 / (1 + math.Exp(-(1-E)/0.25)) }, "soft-correct"},
		{"soft-correct/set", SoftCorrect, 1.2, 0.05, 3, func(E float64) float64 { return 1 / (1 + math.Exp(-(1.2-E)/0.05)) }, "soft-correct"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tiny(t, "context")
			p.Objective, p.Threshold, p.Temperature, p.LastM = tc.obj, tc.c, tc.temp, tc.lastM
			e, err := NewEngine(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Objective(e.Phi())
			if err != nil {
				t.Fatal(err)
			}
			errs := e.Errors()
			if p.LastM > 0 {
				errs = errs[len(errs)-p.LastM:]
			}
			want := 0.0
			for _, E := range errs {
				want += tc.score(E) / float64(len(errs))
			}
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("objective %.15g; want %.15g", got, want)
			}
			if tc.obj.String() != tc.wantName {
				t.Errorf("name %q; want %q", tc.obj, tc.wantName)
			}
		})
	}
}

// TestObjectiveText round-trips the names and rejects unknown ones, and
// Validate names the bad fields.
func TestObjectiveText(t *testing.T) {
	for _, o := range []Objective{MeanReward, SoftCorrect} {
		b, err := o.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Objective
		if err := back.UnmarshalText(b); err != nil || back != o {
			t.Errorf("%s: round trip gave %v, %v", o, back, err)
		}
	}
	var o Objective
	if err := o.UnmarshalText([]byte("accuracy")); err == nil || !strings.Contains(err.Error(), "accuracy") {
		t.Errorf("unknown name: err = %v", err)
	}
	if _, err := Objective(7).MarshalText(); err == nil {
		t.Error("Objective(7) marshalled")
	}
	for _, tc := range []struct {
		name   string
		mutate func(*Problem)
		want   string
	}{
		{"objective", func(p *Problem) { p.Objective = 9 }, "Objective"},
		{"threshold", func(p *Problem) { p.Threshold = -1 }, "Threshold"},
		{"temperature", func(p *Problem) { p.Temperature = math.Inf(1) }, "Temperature"},
		{"nan", func(p *Problem) { p.Temperature = math.NaN() }, "Temperature"},
	} {
		p := tiny(t, "dnms")
		tc.mutate(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate = %v; want an error naming %s", tc.name, err, tc.want)
		}
	}
}
