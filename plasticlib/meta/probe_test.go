package meta

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestProbeGradient checks the probe on the tiny problem: with the exact
// estimator, each training seed's central difference along the step's
// direction matches the tangent's directional derivative to 1e-4 of it
// at a small step (1e-6) and drifts off at a large one (the objective's
// curvature), so the check can fail; with Horizon 1, the biased estimator
// disagrees with the same central differences; a given Direction is
// normalised and used; bad input is refused naming the field.
func TestProbeGradient(t *testing.T) {
	ctx := context.Background()
	cfg := tinyConfig(t)
	cfg.Seeds = 2
	var done []float64
	pr, err := ProbeGradient(ctx, cfg, ProbeConfig{Steps: []float64{1e-6, 0.3}, Done: func(s ProbeStep) { done = append(done, s.Eps) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 2 || len(pr.Steps) != 2 || len(pr.SeedGrads) != 2 || len(pr.HeldOut) != 2 {
		t.Fatalf("steps %v, %d steps, %d seed gradients, %d held-out", done, len(pr.Steps), len(pr.SeedGrads), len(pr.HeldOut))
	}
	if n := sqrtDot(pr.Direction); math.Abs(n-1) > 1e-12 {
		t.Fatalf("direction norm %g", n)
	}
	// The direction is the step's: the preconditioned gradient.
	for q, u := range pr.Direction {
		if u*pr.Grad[q]*pr.Scale[q] < 0 {
			t.Fatalf("direction %v against the scaled gradient %v", pr.Direction, pr.Grad)
		}
	}
	for b, slope := range pr.Slope {
		fd := pr.TrainSlope(0, b)
		if rel := math.Abs(fd-slope) / math.Abs(slope); !(rel < 1e-4) {
			t.Errorf("seed %d: central difference %.8g vs tangent %.8g (rel %.2g)", b, fd, slope, rel)
		}
		far := pr.TrainSlope(1, b)
		t.Logf("seed %d: tangent %.6g, central difference %.6g at 1e-6, %.6g at 0.3", b, slope, fd, far)
		if rel := math.Abs(far-slope) / math.Abs(slope); !(rel > 1e-3) {
			t.Errorf("seed %d: at step 0.3 the difference %.6g still matches the slope %.6g", b, far, slope)
		}
	}
	// Under SeedNormalize (off here) or not, the mean slope is positive
	// along the ascent direction.
	if !(pr.MeanSlope() > 0) {
		t.Errorf("mean slope %g along the ascent direction", pr.MeanSlope())
	}
	if d := pr.MeanTrainSlope(0) - pr.MeanSlope(); math.Abs(d) > 1e-4*math.Abs(pr.MeanSlope()) {
		t.Errorf("mean central difference %g vs mean slope %g", pr.MeanTrainSlope(0), pr.MeanSlope())
	}
	if h := pr.HeldOutSlope(0); math.IsNaN(h) || h == 0 {
		t.Errorf("held-out slope %g", h)
	}

	// Horizon 1 along the exact gradient's direction: the same central
	// differences (the objective does not depend on the horizon), a
	// different slope.
	biased := cfg
	biased.Problem.Horizon = 1
	u := append([]float64(nil), pr.Direction...)
	for q := range u {
		u[q] *= 4
	}
	pb, err := ProbeGradient(ctx, biased, ProbeConfig{Steps: []float64{1e-6}, Direction: u})
	if err != nil {
		t.Fatal(err)
	}
	for b := range pb.Slope {
		if d := pb.Steps[0].TrainPlus[b] - pr.Steps[0].TrainPlus[b]; math.Abs(d) > 1e-13 {
			t.Errorf("seed %d: objective %v under horizon 1, %v exact", b, pb.Steps[0].TrainPlus[b], pr.Steps[0].TrainPlus[b])
		}
		if rel := math.Abs(pb.Slope[b]-pr.Slope[b]) / math.Abs(pr.Slope[b]); !(rel > 1e-3) {
			t.Errorf("seed %d: horizon 1 slope %g equals the exact %g", b, pb.Slope[b], pr.Slope[b])
		}
	}

	// No training seeds: the held-out objectives along a given direction
	// only, the same as with them.
	ng := cfg
	ng.Seeds = 0
	pn, err := ProbeGradient(ctx, ng, ProbeConfig{Steps: []float64{1e-6}, Direction: pr.Direction})
	if err != nil {
		t.Fatal(err)
	}
	if len(pn.SeedGrads) != 0 || pn.HeldOut != nil || len(pn.Slope) != 0 || pn.HeldOutSlope(0) != pr.HeldOutSlope(0) {
		t.Errorf("without training seeds: %d gradients, held-out at phi %v, slopes %v, held-out slope %g (want %g)",
			len(pn.SeedGrads), pn.HeldOut, pn.Slope, pn.HeldOutSlope(0), pr.HeldOutSlope(0))
	}
	ng.EvalSeeds = nil
	if _, err := ProbeGradient(ctx, ng, ProbeConfig{Steps: []float64{1e-6}, Direction: pr.Direction}); err == nil || !strings.Contains(err.Error(), "EvalSeeds") {
		t.Errorf("no seeds at all: %v", err)
	}
	ng.Seeds, ng.EvalSeeds = 0, cfg.EvalSeeds
	if _, err := ProbeGradient(ctx, ng, ProbeConfig{Steps: []float64{1e-6}}); err == nil || !strings.Contains(err.Error(), "Seeds") {
		t.Errorf("no training seeds, no direction: %v", err)
	}

	for _, tc := range []struct {
		name string
		pc   ProbeConfig
		want string
	}{
		{"zero step", ProbeConfig{Steps: []float64{0}}, "Steps[0]"},
		{"infinite step", ProbeConfig{Steps: []float64{1, math.Inf(1)}}, "Steps[1]"},
		{"short direction", ProbeConfig{Steps: []float64{1}, Direction: []float64{1}}, "Direction"},
		{"zero direction", ProbeConfig{Steps: []float64{1}, Direction: make([]float64, len(pr.Phi))}, "norm 0"},
	} {
		if _, err := ProbeGradient(ctx, cfg, tc.pc); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %s", tc.name, err, tc.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ProbeGradient(cancelled, cfg, ProbeConfig{Steps: []float64{1}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
