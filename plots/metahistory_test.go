package plots_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plots"
)

func testMetaHistory(t *testing.T) *meta.History {
	t.Helper()
	r, err := rule.Zero(1, 1)
	if err != nil {
		t.Fatal(err)
	}
	h := &meta.History{Config: meta.Config{Problem: meta.Problem{Rule: r}}}
	for i := 0; i < 4; i++ {
		f := float64(i)
		h.Records = append(h.Records, meta.Record{Iteration: i, Phi: []float64{0.1 * f, -0.1 * f, 0, 0.05 * f},
			Objective: -0.9 + 0.1*f, HeldOut: -0.95 + 0.1*f, Final: 0.2 + 0.2*f})
	}
	h.Phi = []float64{0.4, -0.4, 0, 0.2}
	return h
}

func TestMetaHistoryFigures(t *testing.T) {
	h := testMetaHistory(t)
	for name, build := range map[string]func(*meta.History) (*plots.Figure, error){
		"MetaHistory": plots.MetaHistory, "MetaCoefficients": plots.MetaCoefficients,
	} {
		fig, err := build(h)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		png, err := fig.PNG()
		if err != nil || len(png) < 1000 {
			t.Errorf("%s: PNG of %d bytes, err %v", name, len(png), err)
		}
		if _, err := build(&meta.History{}); err == nil || !strings.Contains(err.Error(), "no records") {
			t.Errorf("%s(empty) error = %v; want one saying there are no records", name, err)
		}
	}
	h.Records[1].Phi = []float64{1}
	if _, err := plots.MetaCoefficients(h); err == nil || !strings.Contains(err.Error(), "Records[1].Phi") {
		t.Errorf("MetaCoefficients with a short Phi: error = %v; want one naming Records[1].Phi", err)
	}
}

func testEvolveHistory(heldOut bool) *evolve.History {
	h := &evolve.History{Config: evolve.Config{Start: rule.MiconiCubic()}, U: []float64{0.5}}
	h.Config.Free = make([][]bool, 4)
	for k := range h.Config.Free {
		h.Config.Free[k] = make([]bool, 4)
	}
	h.Config.Free[3][3] = true
	h.Scales = [][]float64{{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}
	for i := 0; i < 4; i++ {
		f := float64(i)
		r := evolve.Record{Iteration: i, Theta: rule.MiconiCubic().Theta, Objective: 0.3 + 0.1*f, HeldOut: math.NaN(),
			TrainFinal: 0.4 + 0.1*f, HeldOutFinal: math.NaN()}
		if heldOut {
			r.HeldOut, r.HeldOutFinal = 0.28+0.1*f, 0.38+0.1*f
		}
		h.Records = append(h.Records, r)
	}
	return h
}

func TestEvolveHistoryFigures(t *testing.T) {
	for _, held := range []bool{true, false} {
		h := testEvolveHistory(held)
		for name, build := range map[string]func(*evolve.History) (*plots.Figure, error){
			"EvolveHistory": plots.EvolveHistory, "EvolveCoefficients": plots.EvolveCoefficients,
		} {
			fig, err := build(h)
			if err != nil {
				t.Fatalf("%s (held-out %v): %v", name, held, err)
			}
			if png, err := fig.PNG(); err != nil || len(png) < 1000 {
				t.Errorf("%s (held-out %v): PNG of %d bytes, err %v", name, held, len(png), err)
			}
			if _, err := build(&evolve.History{}); err == nil || !strings.Contains(err.Error(), "no records") {
				t.Errorf("%s(empty) error = %v; want one saying there are no records", name, err)
			}
		}
	}
	h := testEvolveHistory(true)
	h.Records[2].TrainFinal = 1.5
	if _, err := plots.EvolveHistory(h); err == nil || !strings.Contains(err.Error(), "TrainPerformance[2]") {
		t.Errorf("EvolveHistory with a final performance of 1.5: error = %v; want one naming TrainPerformance[2]", err)
	}
}

// A meta-training run's curves, from meta.Train's history.
func ExampleMetaHistory() {
	r, _ := rule.Zero(1, 1)
	h := &meta.History{Config: meta.Config{Problem: meta.Problem{Rule: r}}}
	for i, obj := range []float64{-0.9, -0.7, -0.6} {
		h.Records = append(h.Records, meta.Record{Iteration: i, Phi: make([]float64, 4), Objective: obj, HeldOut: obj - 0.05, Final: 1 + obj})
	}
	fig, err := plots.MetaHistory(h)
	fmt.Println(fig.Title(), err)
	// Output: meta-training <nil>
}

// The coefficients' trajectories of a meta-training run.
func ExampleMetaCoefficients() {
	r, _ := rule.Zero(1, 1)
	h := &meta.History{Config: meta.Config{Problem: meta.Problem{Rule: r}}}
	for i := 0; i < 3; i++ {
		h.Records = append(h.Records, meta.Record{Iteration: i, Phi: []float64{0, 0.1 * float64(i), 0, 0}})
	}
	fig, err := plots.MetaCoefficients(h)
	fmt.Println(fig != nil, err)
	// Output: true <nil>
}

// An evolution-strategies run's curves, from evolve.Train's history: the
// objective and the final performance on training and held-out seeds.
func ExampleEvolveHistory() {
	h := &evolve.History{Config: evolve.Config{Start: rule.MiconiCubic()}}
	for i, final := range []float64{0.55, 0.7, 0.8} {
		h.Records = append(h.Records, evolve.Record{Iteration: i, Theta: rule.MiconiCubic().Theta,
			Objective: final - 0.05, HeldOut: final - 0.07, TrainFinal: final, HeldOutFinal: final - 0.02})
	}
	fig, err := plots.EvolveHistory(h)
	fmt.Println(fig.Title(), err)
	// Output: meta-training <nil>
}
