package meta

import (
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
