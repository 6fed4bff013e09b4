package meta

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// tiny returns the gradient-check problem: N = 12, dt = 10 ms, 8
// episodes, no warm-up, a random K = L = 2 rule with finite tau_e, tau_w.
func tiny(t testing.TB, name string) Problem {
	t.Helper()
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.Seed = 12, 10, 3
	var tk task.Task
	var err error
	switch name {
	case "dnms":
		c := task.DefaultDNMS()
		c.Dt = 10
		tk, err = task.NewDNMS(c)
	case "context":
		c := task.DefaultContext()
		c.Dt = 10
		nc.NumInputs, nc.PerturbAmp = 4, 30
		tk, err = task.NewContext(c)
	}
	if err != nil {
		t.Fatal(err)
	}
	r, err := rule.Random(2, 2, 0.5, 7)
	if err != nil {
		t.Fatal(err)
	}
	r.TauE, r.TauW = 200, 50
	lc := learn.DefaultConfig()
	lc.Episodes, lc.WarmUp, lc.Seed = 8, 0, 11
	return Problem{Net: nc, Task: tk, Rule: r, Learn: lc,
		Params: Params{LogTauE: true, LogTauW: true, LogEta: true}}
}

// TestPrimalMatchesLearn checks that the engine's learning run is the
// learner's: the same per-episode errors (under the neuron readout and
// the fixed and the plastic linear one), to 1e-12 relative in float64;
// at Learn.Precision float32 (no plastic readout there), to 1e-5 (the two
// round r_prev^k at different points; measured up to 6e-8).
func TestPrimalMatchesLearn(t *testing.T) {
	for _, tc := range []struct {
		name string
		prec linalg.Precision
		tol  float64
	}{
		{"dnms", linalg.Float64, 1e-12},
		{"context", linalg.Float64, 1e-12},
		{"context/linear", linalg.Float64, 1e-12},
		{"context/plastic", linalg.Float64, 1e-12},
		{"context/sparse", linalg.Float64, 1e-12},
		{"dnms", linalg.Float32, 1e-5},
		{"context", linalg.Float32, 1e-5},
		{"context/linear", linalg.Float32, 1e-5},
		{"context/sparse", linalg.Float32, 1e-5},
	} {
		t.Run(tc.name+"/"+tc.prec.String(), func(t *testing.T) {
			task, readout, _ := strings.Cut(tc.name, "/")
			p := tiny(t, task)
			setReadout(&p, readout)
			p.Learn.Episodes, p.Learn.Precision = 20, tc.prec
			h, err := learn.Run(context.Background(), p.Net, p.Task, p.Rule, p.Learn)
			if err != nil {
				t.Fatal(err)
			}
			for _, grad := range []bool{false, true} {
				e, err := NewEngine(p)
				if err != nil {
					t.Fatal(err)
				}
				phi := e.Phi()
				if grad {
					_, err = e.Gradient(phi, make([]float64, len(phi)))
				} else {
					_, err = e.Objective(phi)
				}
				if err != nil {
					t.Fatal(err)
				}
				worst := 0.0
				for ep, want := range h.Errors {
					got := e.Errors()[ep]
					worst = math.Max(worst, math.Abs(got-want)/math.Abs(want))
					if math.Abs(got-want) > tc.tol*math.Abs(want) {
						t.Fatalf("tangents %v: episode %d error %.17g; learn.Run %.17g", grad, ep, got, want)
					}
				}
				t.Logf("tangents %v: largest relative difference of an episode's error %.2g", grad, worst)
			}
		})
	}
}

// TestFreshNet: with FreshNet a seed's learning run is the learner's run
// on the network of that seed; without it, on the network of Net.Seed.
func TestFreshNet(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		p := tiny(t, "dnms")
		p.FreshNet = fresh
		e, err := NewEngine(p)
		if err != nil {
			t.Fatal(err)
		}
		const seed = 5
		e.SetSeed(seed)
		if _, err := e.Objective(e.Phi()); err != nil {
			t.Fatal(err)
		}
		nc, lc := p.Net, p.Learn
		lc.Seed = seed
		if fresh {
			nc.Seed = seed
		}
		h, err := learn.Run(context.Background(), nc, p.Task, p.Rule, lc)
		if err != nil {
			t.Fatal(err)
		}
		for ep, want := range h.Errors {
			if got := e.Errors()[ep]; math.Abs(got-want) > 1e-12*math.Abs(want) {
				t.Fatalf("FreshNet %v: episode %d error %.17g; learn.Run on network seed %d: %.17g", fresh, ep, got, nc.Seed, want)
			}
		}
	}
}

// TestGradientCheck is the central correctness test: the exact tangent
// meta-gradient is non-zero and matches central finite differences of the
// (smooth) primal objective, meta-parameter by meta-parameter.
func TestGradientCheck(t *testing.T) {
	for _, tc := range []struct {
		task       string
		modulation rule.Modulation
		readout    string
		objective  Objective
		baseline   bool // logit a_R a meta-parameter too
	}{
		{"dnms", rule.MeanError, "neuron", MeanReward, false},
		{"context", rule.MeanError, "neuron", MeanReward, false},
		{"dnms", rule.Unit, "neuron", MeanReward, false},
		{"context", rule.MeanError, "linear", MeanReward, false},
		{"context", rule.MeanError, "plastic", MeanReward, false},
		{"dnms", rule.Unit, "plastic", MeanReward, false},
		{"context", rule.MeanError, "plastic-unclipped", MeanReward, false},
		{"dnms", rule.ErrorPower, "neuron", MeanReward, false},
		{"context", rule.ErrorPower, "plastic", MeanReward, false},
		{"context", rule.MeanError, "neuron", SoftCorrect, false},
		{"dnms", rule.ErrorPower, "neuron", SoftCorrect, false},
		{"dnms", rule.MeanError, "neuron", MeanReward, true},
		{"context", rule.ErrorPower, "plastic", SoftCorrect, true},
	} {
		name := tc.task + "/" + tc.modulation.String() + "/" + tc.readout + "/" + tc.objective.String()
		if tc.baseline {
			name += "/baseline"
		}
		t.Run(name, func(t *testing.T) {
			p := tiny(t, tc.task)
			p.Objective = tc.objective
			p.Rule.Modulation = tc.modulation
			p.Rule.Power = 2.5 // ErrorPower's m = Ebar^2.5, dm = 2.5 Ebar^1.5
			// Under ErrorPower the exponent is a meta-parameter too.
			p.Params.Power = tc.modulation == rule.ErrorPower
			if tc.baseline {
				p.Params.Baseline, p.Rule.BaselineDecay = true, 0.6
			}
			setReadout(&p, tc.readout)
			p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
			e, err := NewEngine(p)
			if err != nil {
				t.Fatal(err)
			}
			phi := e.Phi()
			grad := make([]float64, len(phi))
			obj, err := e.Gradient(phi, grad)
			if err != nil {
				t.Fatal(err)
			}
			fd, err := fdLadder(e, phi)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("objective %.6g", obj)
			// Each component is compared relative to its own size, but no
			// finer than 1e-4 of the largest: finite differences resolve a
			// component 1e-7 of the others (met under the linear readout)
			// only to a few digits.
			floor := 0.0
			for _, v := range fd {
				floor = math.Max(floor, 1e-4*math.Abs(v))
			}
			for q, name := range e.Names() {
				rel := math.Abs(grad[q]-fd[q]) / math.Max(floor, math.Max(math.Abs(grad[q]), math.Abs(fd[q])))
				t.Logf("%-12s tangent % .10e  fd % .10e  rel %.2g", name, grad[q], fd[q], rel)
				if grad[q] == 0 {
					t.Errorf("%s: zero gradient", name)
				}
				if !(rel <= 1e-5) {
					t.Errorf("%s: tangent %.10g, finite differences %.10g (rel %.2g)", name, grad[q], fd[q], rel)
				}
			}
		})
	}
}

// fdLadder estimates the gradient by Richardson-extrapolated central
// differences over a ladder of steps h_i = 1e-3 2^-i, picking per
// meta-parameter the estimate that agrees best with the next one (where
// truncation error has died and round-off has not yet grown). Agreement is
// counted with a round-off term, 1e-15 |objective| / h: at the smallest
// steps the differences are quantised, and two estimates can agree exactly
// (both equally wrong), which once made the ladder pick a noise-dominated
// step after an innocent change of the primal's summation order. It does
// not look at the tangent gradient.
func fdLadder(e *Engine, phi []float64) ([]float64, error) {
	const m = 14
	obj, err := e.Objective(phi)
	if err != nil {
		return nil, err
	}
	d := make([][]float64, m)
	for i := range d {
		var err error
		if d[i], err = centralDiff(e, phi, 1e-3*math.Pow(2, -float64(i)), false); err != nil {
			return nil, err
		}
	}
	g := make([]float64, len(phi))
	for q := range g {
		best := math.Inf(1)
		for i := 0; i+2 < m; i++ {
			r0 := (4*d[i+1][q] - d[i][q]) / 3
			r1 := (4*d[i+2][q] - d[i+1][q]) / 3
			noise := 1e-15 * math.Abs(obj) / (1e-3 * math.Pow(2, -float64(i+2)))
			if err := math.Abs(r0-r1) + noise; err < best {
				best, g[q] = err, r1
			}
		}
	}
	return g, nil
}

// setReadout sets p's readout: "neuron" (or ""), "linear" (W_out fixed),
// "plastic" (W_out learns) or "plastic-unclipped" (and no clip).
func setReadout(p *Problem, readout string) {
	switch readout {
	case "linear":
		p.Net.Readout = network.LinearReadout
	case "plastic":
		p.Net.Readout, p.Net.ReadoutPlastic = network.LinearReadout, true
	case "sparse":
		// A K = L = 5 rule whose rows theta_0, theta_2, theta_4, theta_5
		// are zero and frozen: the eligibility skips them (two products,
		// for k = 1 and k = 3).
		r, err := rule.New("sparse", 5, 5)
		if err != nil {
			panic(err)
		}
		r.Theta[1][3], r.Theta[3][3], r.Theta[3][5] = 0.5, 1, 0.2
		r.Eta, r.MaxDW, r.TauE = p.Rule.Eta, p.Rule.MaxDW, p.Rule.TauE
		p.Rule = r
		free, err := rule.FreeSet("odd", []int{3}, 5, 5)
		if err != nil {
			panic(err)
		}
		p.Params = FreeTheta(free)
	case "plastic-unclipped":
		// Unclipped changes, so that the readout's trace tangents reach
		// dW_out (under the clip, most readout changes saturate).
		p.Net.Readout, p.Net.ReadoutPlastic = network.LinearReadout, true
		p.Rule.MaxDW, p.Rule.Eta = 0, 0.01
	}
}
