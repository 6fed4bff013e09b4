package plots

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// labels returns the labelled ticks of t over [min, max].
func labels(t plot.Ticker, min, max float64) []string {
	var out []string
	for _, tk := range t.Ticks(min, max) {
		if tk.Label != "" {
			out = append(out, tk.Label)
		}
	}
	return out
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		integer  bool
		want     []string
	}{
		{0, 1, false, []string{"0.00", "0.25", "0.50", "0.75", "1.00"}},
		{0, 1000, false, []string{"0", "250", "500", "750", "1000"}},
		{0, 1000, true, []string{"0", "200", "400", "600", "800", "1000"}},
		{1, 30, true, []string{"5", "10", "15", "20", "25", "30"}},
		{-0.35, 0.35, false, []string{"-0.3", "-0.2", "-0.1", "0.0", "0.1", "0.2", "0.3"}},
		{0, 7, true, []string{"0", "2", "4", "6"}},
	}
	for _, tc := range tests {
		got := labels(niceTicks{integer: tc.integer}, tc.min, tc.max)
		if !slices.Equal(got, tc.want) {
			t.Errorf("niceTicks{integer: %v}.Ticks(%v, %v) labels = %q; want %q", tc.integer, tc.min, tc.max, got, tc.want)
		}
	}
}

func TestLogTicker(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{1e-5, 1e-2, []string{"1e-5", "1e-4", "1e-3", "0.01"}},
		{50, 400, []string{"50", "100", "200"}},
		{1, 1000, []string{"1", "10", "100", "1000"}},
		{0.02, 0.5, []string{"0.02", "0.05", "0.1", "0.2", "0.5"}},
		{2e6, 5e7, []string{"2e6", "5e6", "1e7", "2e7", "5e7"}},
	}
	for _, tc := range tests {
		got := labels(logTicker{}, tc.min, tc.max)
		if !slices.Equal(got, tc.want) {
			t.Errorf("logTicker.Ticks(%v, %v) labels = %q; want %q", tc.min, tc.max, got, tc.want)
		}
	}
	if got := (logTicker{}).Ticks(0, 1); got != nil {
		t.Errorf("logTicker.Ticks(0, 1) = %v; want nil (no log axis through 0)", got)
	}
}

func TestPDFText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"coefficients θ", "coefficients theta"},
		{"r²Δx³", "r^2dx^3"},
		{"rᵏ Δxˡ", "r^k dx^l"},
		{"σᵢ ‖ΔJ‖²", "s_i ||dJ||^2"},
		{"× – plain", "× – plain"}, // in Windows-1252: kept
		{"pre → post", "pre -> post"},
		{"漢", "?"},
	}
	for _, tc := range tests {
		if got := pdfText(tc.in); got != tc.want {
			t.Errorf("pdfText(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestSmoothCurve(t *testing.T) {
	c := eval.Criterion{Window: 2, Fraction: 0.95, Threshold: 0.5}
	errs := []float64{1, 0.2, 0.3, 0.9}
	if got, want := smoothCurve(errs, c, false), []float64{0, 0.5, 1, 0.5}; !slices.Equal(got, want) {
		t.Errorf("smoothCurve(performance) = %v; want %v", got, want)
	}
	got := smoothCurve(errs, c, true)
	want := []float64{1, 0.6, 0.25, 0.6}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("smoothCurve(mean) = %v; want %v", got, want)
			break
		}
	}
}

func TestStimulusEpochs(t *testing.T) {
	var tr task.Trial
	tr.Reset(10, 3)
	tr.Set(0, 10, 2, 1) // a context cue all trial long: not a stimulus
	tr.Set(1, 3, 0, 1)
	tr.Set(2, 5, 1, -1)
	tr.Set(7, 9, 0, 0.5)
	got := stimulusEpochs(&tr)
	want := [][2]int{{1, 5}, {7, 9}}
	if !slices.Equal(got, want) {
		t.Errorf("stimulusEpochs = %v; want %v", got, want)
	}
}

func TestJitter(t *testing.T) {
	for k := 0; k < 100; k++ {
		if j := jitter(k); j < -0.2 || j > 0.2 {
			t.Fatalf("jitter(%d) = %v; want within [-0.2, 0.2]", k, j)
		}
	}
	if jitter(3) != jitter(3) || jitter(1) == jitter(2) {
		t.Errorf("jitter is not a fixed sequence of distinct offsets")
	}
}

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 seeds"}, {1, "1 seed"}, {2, "2 seeds"}, {10, "10 seeds"}} {
		if got := plural(tc.n, "seed"); got != tc.want {
			t.Errorf("plural(%d, %q) = %q; want %q", tc.n, "seed", got, tc.want)
		}
	}
}
