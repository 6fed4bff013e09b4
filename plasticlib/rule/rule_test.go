package rule_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

func TestH(t *testing.T) {
	tests := []struct {
		name    string
		r       rule.Rule
		pre, dx float64
		want    float64
	}{
		{"miconi", rule.MiconiCubic(), 0.5, -2, math.Pow(0.5*-2, 3)},
		{"eh", rule.EH(), 0.5, -2, -1},
		{"zero", func() rule.Rule { r, _ := rule.Zero(2, 2); return r }(), 0.3, 0.7, 0},
		{"general", rule.Rule{Theta: [][]float64{{1, 2}, {3, 4}}}, 2, 3, 1 + 2*3 + 3*2 + 4*2*3},
	}
	for _, tt := range tests {
		if got := tt.r.H(tt.pre, tt.dx); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: H(%g, %g) = %g; want %g", tt.name, tt.pre, tt.dx, got, tt.want)
		}
	}
}

// TestSeparable checks that sum_k PreTo(k) * PostTo(k) equals H term by term.
func TestSeparable(t *testing.T) {
	r, _ := rule.Random(3, 4, 1, 7)
	r.Theta[2] = []float64{0, 0, 0.5, 0, 0} // single-monomial rows take the fast paths
	r.Theta[3] = []float64{0, 0, 0, 0, -0.25}
	rates := []float64{-0.9, -0.1, 0, 0.4, 0.99}
	dx := []float64{-1.5, 0.2, 0.01, -0.3, 2}
	pre, post := make([]float64, 5), make([]float64, 5)
	for i := range dx {
		for j := range rates {
			want := r.H(rates[j], dx[i])
			got := 0.0
			for k := 0; k <= r.K(); k++ {
				rule.PreTo(pre, rates, k)
				r.PostTo(post, dx, k, 2)
				got += pre[j] * post[i] / 2
			}
			if math.Abs(got-want) > 1e-12*(1+math.Abs(want)) {
				t.Fatalf("separable H(%g, %g) = %g; want %g", rates[j], dx[i], got, want)
			}
		}
	}
	if got := rule.MiconiCubic().ActivePowers(); len(got) != 1 || got[0] != 3 {
		t.Errorf("MiconiCubic().ActivePowers() = %v; want [3]", got)
	}
}

func TestValidate(t *testing.T) {
	bad := []struct {
		field string
		r     rule.Rule
	}{
		{"Theta", rule.Rule{}},
		{"Theta[1]", rule.Rule{Theta: [][]float64{{1, 2}, {3}}}},
		{"Eta", rule.Rule{Theta: [][]float64{{1}}, Eta: -1}},
		{"MaxDW", rule.Rule{Theta: [][]float64{{1}}, MaxDW: -1}},
		{"TauE", rule.Rule{Theta: [][]float64{{1}}, TauE: math.Inf(1)}},
		{"BaselineDecay", rule.Rule{Theta: [][]float64{{1}}, BaselineDecay: 1.5}},
		{"BaselineDecay", rule.Rule{Theta: [][]float64{{1}}, BaselineDecay: math.NaN()}},
	}
	for _, tt := range bad {
		err := tt.r.Validate()
		if err == nil || !strings.Contains(err.Error(), "rule.Rule."+tt.field) {
			t.Errorf("Validate(%+v) = %v; want an error naming %s", tt.r, err, tt.field)
		}
	}
	for _, kl := range [][2]int{{-1, 2}, {2, -1}} {
		if _, err := rule.New("x", kl[0], kl[1]); err == nil {
			t.Errorf("New(K=%d, L=%d) succeeded; want an error", kl[0], kl[1])
		}
	}
	for _, r := range []rule.Rule{rule.MiconiCubic(), rule.EH(), rule.NodePert()} {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v", r.Name, err)
		}
	}
}

func TestModulation(t *testing.T) {
	for _, tc := range []struct {
		mod           rule.Modulation
		power, ebar   float64
		wantM, wantDM float64
	}{
		{rule.MeanError, 0, 0.6, 0.6, 1},
		{rule.Unit, 0, 0.6, 1, 0},
		{rule.ErrorPower, 2, 0.5, 0.25, 1},
		{rule.ErrorPower, 1, 0.7, 0.7, 1},
		{rule.ErrorPower, 0, 0.7, 1, 0},
		{rule.ErrorPower, 0.5, 0, 0, 0}, // no derivative at 0: 0 by convention
		{rule.ErrorPower, 3, 2, 8, 12},
	} {
		r := rule.MiconiCubic()
		r.Modulation, r.Power = tc.mod, tc.power
		m, dm := r.M(tc.ebar)
		if math.Abs(m-tc.wantM) > 1e-15 || math.Abs(dm-tc.wantDM) > 1e-15 {
			t.Errorf("%s^%g at %g: m, dm = %g, %g; want %g, %g", tc.mod, tc.power, tc.ebar, m, dm, tc.wantM, tc.wantDM)
		}
	}
	r := rule.MiconiCubic()
	r.Modulation, r.Power = rule.ErrorPower, -1
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "Power") {
		t.Errorf("Power -1: Validate() = %v; want an error naming Power", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r, _ := rule.Random(5, 5, 0.3, 1)
	r.TauE, r.TauW, r.Modulation = 200, 1000, rule.Unit
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n < 6 {
		t.Errorf("JSON has %d lines; want the theta rows on their own lines:\n%s", n, b)
	}
	var q rule.Rule
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q.String() != r.String() || q.Theta[4][2] != r.Theta[4][2] || q.Modulation != rule.Unit {
		t.Errorf("round trip:\n%s\nwant\n%s", q, r)
	}
	r.Modulation, r.Power = rule.ErrorPower, 2.5
	b, _ = r.JSON()
	if err := json.Unmarshal(b, &q); err != nil || q.Modulation != rule.ErrorPower || q.Power != 2.5 || !strings.Contains(q.String(), "m=Ebar^2.5") {
		t.Errorf("round trip of Ebar^2.5: %v\n%s", err, q)
	}
	if err := json.Unmarshal([]byte(`{"theta":[[1],[2,3]]}`), &q); err == nil {
		t.Errorf("Unmarshal of a ragged theta succeeded; want an error")
	}
}

func ExampleMiconiCubic() {
	fmt.Print(rule.MiconiCubic())
	// Output:
	// rule "miconi-cubic" (polynomial): eta=0.1 maxdw=0.0003 tau_e=inf tau_w=inf m=mean-error
	//   r^k \ dx^l      dx^0      dx^1      dx^2      dx^3
	//   r^0                 0         0         0         0
	//   r^1                 0         0         0         0
	//   r^2                 0         0         0         0
	//   r^3                 0         0         0         1
}

func ExampleRule_JSON() {
	r := rule.EH()
	r.Theta = r.Theta[:2]
	for k := range r.Theta {
		r.Theta[k] = r.Theta[k][:2]
	}
	b, _ := r.JSON()
	fmt.Println(string(b))
	// Output:
	// {
	//   "name": "eh",
	//   "kind": "polynomial",
	//   "theta": [
	//     [0, 0],
	//     [0, 1]
	//   ],
	//   "tau_e": 0,
	//   "tau_w": 0,
	//   "eta": 0.1,
	//   "max_dw": 0.0003,
	//   "modulation": "mean-error"
	// }
}

func ExampleRandom() {
	r, _ := rule.Random(2, 2, 0.1, 42)
	r.TauE = 100 // ms: eligibility decays with lambda_e = exp(-dt/100)
	fmt.Println(r.K(), r.L(), r.Validate(), r.LambdaE(1) < 1)
	// Output: 2 2 <nil> true
}

func ExampleNodePert() {
	r := rule.NodePert()
	fmt.Println(r.Kind, r.Eta)
	// Output: node-perturbation 0.001
}

func TestMiconiCubicBasis(t *testing.T) {
	for _, tc := range []struct {
		k    int
		fail bool
	}{{2, true}, {3, false}, {5, false}} {
		r, err := rule.MiconiCubicBasis(tc.k)
		if tc.fail {
			if err == nil {
				t.Errorf("K = %d: no error", tc.k)
			}
			continue
		}
		if err != nil {
			t.Fatalf("K = %d: %v", tc.k, err)
		}
		if r.K() != tc.k || r.L() != tc.k || r.H(0.5, 0.3) != rule.MiconiCubic().H(0.5, 0.3) {
			t.Errorf("K = %d: got a %d x %d basis, H(0.5, 0.3) = %g; want theta_33 alone", tc.k, r.K(), r.L(), r.H(0.5, 0.3))
		}
	}
}

// TestDecay: a rule's own baseline decay overrides the configuration's;
// 0 keeps it.
func TestDecay(t *testing.T) {
	for _, tc := range []struct{ own, def, want float64 }{
		{0, 0.75, 0.75},
		{0.5, 0.75, 0.5},
		{1, 0.75, 1},
	} {
		r := rule.MiconiCubic()
		r.BaselineDecay = tc.own
		if got := r.Decay(tc.def); got != tc.want {
			t.Errorf("BaselineDecay %g: Decay(%g) = %g; want %g", tc.own, tc.def, got, tc.want)
		}
	}
}
