package meta

import (
	"math"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// TestFreeTheta: the meta-parameters are exactly the coefficients the free
// set marks, in Params' order, and log eta follows when set.
func TestFreeTheta(t *testing.T) {
	free, err := rule.FreeSet("odd", []int{3}, 5, 5)
	if err != nil {
		t.Fatal(err)
	}
	ps := FreeTheta(free)
	ps.LogEta = true
	r, _ := rule.MiconiCubicBasis(5)
	got := ps.list(r)
	want := []param{{kindTheta, 3, 1}, {kindTheta, 3, 3}, {kindTheta, 3, 5}, {kind: kindLogEta}}
	if len(got) != len(want) {
		t.Fatalf("FreeTheta(odd, pre 3): %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("meta-parameter %d: %+v; want %+v", i, got[i], want[i])
		}
	}
}

// TestPowerParam: the exponent follows log eta, reads as each
// modulation's exponent, and Apply makes the rule ErrorPower with it.
func TestPowerParam(t *testing.T) {
	ps := Params{NoTheta: true, LogEta: true, Power: true}
	r, _ := rule.MiconiCubicBasis(3)
	if got := ps.Names(r); len(got) != 2 || got[1] != "power" {
		t.Fatalf("names %v; want [log_eta power]", got)
	}
	for _, tc := range []struct {
		mod   rule.Modulation
		power float64
		want  float64
	}{{rule.MeanError, 0, 1}, {rule.Unit, 0, 0}, {rule.ErrorPower, 2.5, 2.5}} {
		r.Modulation, r.Power = tc.mod, tc.power
		if got := ps.Get(r)[1]; got != tc.want {
			t.Errorf("%v: exponent %v; want %v", tc.mod, got, tc.want)
		}
	}
	c, err := ps.Apply(r, []float64{-5, 1.5})
	if err != nil {
		t.Fatal(err)
	}
	if c.Modulation != rule.ErrorPower || c.Power != 1.5 {
		t.Errorf("applied: modulation %v, power %v; want error-power, 1.5", c.Modulation, c.Power)
	}
	if m, _ := c.M(4); m != 8 {
		t.Errorf("m(4) = %v; want 4^1.5 = 8", m)
	}
}

// TestBaselineParam: logit a_R comes last, reads the rule's
// BaselineDecay, and Apply sets it; Problem.Validate asks for one in
// (0, 1) to meta-learn.
func TestBaselineParam(t *testing.T) {
	ps := Params{NoTheta: true, Power: true, Baseline: true}
	r, _ := rule.MiconiCubicBasis(3)
	r.BaselineDecay = 0.75
	if got := ps.Names(r); len(got) != 2 || got[1] != "logit_a_R" {
		t.Fatalf("names %v; want [power logit_a_R]", got)
	}
	if got := ps.Get(r)[1]; math.Abs(got-math.Log(3)) > 1e-15 {
		t.Errorf("logit of 0.75 read as %v; want ln 3", got)
	}
	c, err := ps.Apply(r, []float64{1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaselineDecay != 0.5 || r.BaselineDecay != 0.75 {
		t.Errorf("applied a_R %v (want 0.5), start's %v (want 0.75, unchanged)", c.BaselineDecay, r.BaselineDecay)
	}
	p := tiny(t, "dnms")
	p.Params.Baseline = true
	for _, a := range []float64{0, 1} {
		p.Rule.BaselineDecay = a
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Rule.BaselineDecay") {
			t.Errorf("a_R %v: Validate = %v; want an error naming Rule.BaselineDecay", a, err)
		}
	}
}
