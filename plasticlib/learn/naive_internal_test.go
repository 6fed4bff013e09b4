package learn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// naiveRun is the learning rule written literally: N^2 eligibility updates
// per step, e_ij(t) = lambda e_ij(t-1) + H(r_j(t-1), dx_i(t)) for
// t > TraceAfter, and the trial-end update. It draws from the same random
// streams as a Learner, so the two must agree to rounding.
func naiveRun(t *testing.T, nc network.Config, tk task.Task, r rule.Rule, cfg Config) (*network.Net, []float64, []float64, [][]float64) {
	net, err := network.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	// The random streams drawn directly, independently of Streams.Next.
	trialRNG := rand.New(rand.NewPCG(cfg.Seed, streamTrial))
	stateRNG := rand.New(rand.NewPCG(cfg.Seed, streamState))
	pertRNG := rand.New(rand.NewPCG(cfg.Seed, streamPert))
	n, steps := nc.N, tk.Steps()
	lam := r.LambdaE(nc.Dt)
	base := make([]float64, tk.NumTypes())
	var errs []float64
	var tr task.Trial
	var p network.Perturbations
	z := make([]float64, steps)
	e := make([][]float64, n)
	for i := range e {
		e[i] = make([]float64, n)
	}
	for ep := range cfg.Episodes {
		typ := cfg.Order.Pick(ep, tk.NumTypes(), trialRNG)
		if err := task.Generate(tk, &tr, typ, trialRNG); err != nil {
			t.Fatal(err)
		}
		nc.SamplePerturbations(&p, steps, pertRNG)
		net.StartTrial(stateRNG)
		for i := range e {
			clear(e[i])
		}
		for s := range steps {
			units, xi := p.At(s)
			net.Step(tr.Input(s), units, xi)
			z[s] = net.Z
			if s <= cfg.TraceAfter {
				continue
			}
			pert := make([]float64, n)
			for k, u := range units {
				pert[u] = xi[k]
			}
			for i := range n {
				for j := range n {
					h := r.H(net.RPrev[j], net.DX[i])
					if r.Kind == rule.NodePerturbation {
						h = net.RPrev[j] * pert[i]
					}
					e[i][j] = lam*e[i][j] + h
				}
			}
		}
		E := tr.Error(z)
		errs = append(errs, E)
		if ep >= cfg.WarmUp {
			m, _ := r.M(base[typ])
			for i := range n {
				for j := range n {
					d := -r.Eta*m*(E-base[typ])*e[i][j] - net.J.At(i, j)*invOrZero(r.TauW)
					if r.MaxDW > 0 {
						d = math.Max(-r.MaxDW, math.Min(r.MaxDW, d))
					}
					net.J.Set(i, j, net.J.At(i, j)+d)
				}
			}
			net.Constrain()
		}
		base[typ] = cfg.BaselineDecay*base[typ] + (1-cfg.BaselineDecay)*E
	}
	return net, errs, base, e
}

func invOrZero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return 1 / v
}

func smallTask() task.Task {
	return task.Func{Name: "small", Types: 3, Inputs: 2, Length: 40,
		Fill: func(dst *task.Trial, typ int, rng *rand.Rand) {
			dst.Set(2, 10, typ%2, 1)
			dst.Set(12, 20, 1, 0.5+rng.Float64())
			dst.SetTarget(0, 40, float64(typ-1)*0.8)
			dst.EvalStart, dst.EvalEnd = 30, 40
		}}
}

// TestLearnerMatchesNaive checks the factorised, one-product eligibility
// and the trial-end update against naiveRun, rule by rule.
func TestLearnerMatchesNaive(t *testing.T) {
	random, _ := rule.Random(2, 3, 0.5, 9)
	random.TauE, random.TauW, random.Eta, random.MaxDW = 20, 50, 0.5, 2e-3
	unit := rule.MiconiCubic()
	unit.Modulation, unit.MaxDW, unit.TauE = rule.Unit, 0, 15
	np := rule.NodePert()
	np.Eta, np.TauE = 0.05, 30
	tests := []struct {
		name string
		r    rule.Rule
		edit func(*network.Config)
	}{
		{"miconi", rule.MiconiCubic(), nil},
		{"random-K2L3-decay-clip", random, nil},
		{"cubic-m1-noclip", unit, nil},
		{"eh-dale-sparse", rule.EH(), func(c *network.Config) { c.Dale, c.ConnProb = true, 0.5 }},
		{"node-perturbation", np, func(c *network.Config) { c.PerturbProb = 0.05 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nc := network.DefaultConfig()
			nc.N, nc.Seed, nc.PerturbProb = 14, 3, 0.02
			if tt.edit != nil {
				tt.edit(&nc)
			}
			cfg := DefaultConfig()
			cfg.Episodes, cfg.WarmUp, cfg.Seed = 12, 2, 5
			cfg.Record = Record{Traces: []int{11}, Synapses: [][2]int{{0, 3}, {5, 2}}, DeltaJ: true}
			wantNet, wantErrs, wantBase, wantE := naiveRun(t, nc, smallTask(), tt.r, cfg)

			net, _ := network.New(nc)
			j0 := net.J.RawMatrix().Data[:]
			j0 = append([]float64(nil), j0...)
			l, err := New(net, smallTask(), tt.r, cfg)
			if err != nil {
				t.Fatal(err)
			}
			h, err := l.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(b)) }
			for k := range wantErrs {
				if !close(h.Errors[k], wantErrs[k]) {
					t.Fatalf("episode %d: error %g; want %g", k, h.Errors[k], wantErrs[k])
				}
			}
			changed := false
			for k, v := range net.J.RawMatrix().Data {
				w := wantNet.J.RawMatrix().Data[k]
				if !close(v, w) {
					t.Fatalf("J[%d] = %.17g; want %.17g", k, v, w)
				}
				if v != j0[k] {
					changed = true
				}
				if d := h.DeltaJ.RawMatrix().Data[k]; !close(d, v-j0[k]) {
					t.Fatalf("DeltaJ[%d] = %g; want %g", k, d, v-j0[k])
				}
			}
			if !changed && tt.r.Eta != 0 {
				t.Errorf("J did not change")
			}
			for c := range wantBase {
				if !close(l.Baselines[c], wantBase[c]) {
					t.Errorf("baseline %d = %g; want %g", c, l.Baselines[c], wantBase[c])
				}
			}
			// The recorded trace at the last step is the trial's eligibility.
			tr := h.Traces[0]
			for s, syn := range tr.Synapses {
				if got, want := tr.Values.At(39, s), wantE[syn[0]][syn[1]]; !close(got, want) {
					t.Errorf("trace e_%d,%d(T-1) = %g; want %g", syn[0], syn[1], got, want)
				}
			}
		})
	}
}
