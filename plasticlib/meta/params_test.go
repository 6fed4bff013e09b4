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
