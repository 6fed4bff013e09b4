package setting_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		task, name    string
		eta, maxdw, a float64
		inputs, steps int
		readout       network.Readout
	}{
		{"dnms", "miconi", 0.1, 3e-4, 16, 2, 1000, network.NeuronReadout},
		{"context", "miconi", 0.01, 2e-4, 30, 4, 700, network.NeuronReadout},
		{"context", "paper", 0.003, 0, 30, 4, 700, network.NeuronReadout},
		{"long-delay", "miconi", 0.1, 3e-4, 16, 2, 2000, network.NeuronReadout},
		{"variable-delay", "paper", 0.1, 3e-4, 16, 2, 0, network.NeuronReadout},
		{"evidence", "miconi", 0.1, 3e-4, 16, 3, 2250, network.NeuronReadout},
	} {
		s, err := setting.Lookup(tc.task, tc.name)
		if err != nil {
			t.Fatalf("Lookup(%q, %q): %v", tc.task, tc.name, err)
		}
		if s.Eta != tc.eta || s.MaxDW != tc.maxdw || s.Net.PerturbAmp != tc.a || s.Net.Readout != tc.readout {
			t.Errorf("Lookup(%q, %q) = eta %g maxdw %g A %g readout %v; want %g %g %g %v", tc.task, tc.name,
				s.Eta, s.MaxDW, s.Net.PerturbAmp, s.Net.Readout, tc.eta, tc.maxdw, tc.a, tc.readout)
		}
		tk, err := s.Task()
		if err != nil {
			t.Fatalf("%s: Task: %v", s, err)
		}
		if s.Net.NumInputs != tk.NumInputs() || s.Net.NumInputs != tc.inputs {
			t.Errorf("%s: Net.NumInputs = %d, task %d; want %d", s, s.Net.NumInputs, tk.NumInputs(), tc.inputs)
		}
		if tc.steps > 0 && tk.Steps() != tc.steps {
			t.Errorf("%s: task steps = %d; want %d", s, tk.Steps(), tc.steps)
		}
		if s.Criterion.Threshold != 1 {
			t.Errorf("%s: criterion threshold %g; want 1 (Miconi)", s, s.Criterion.Threshold)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	for _, tc := range []struct{ task, name, want string }{
		{"xor", "miconi", `unknown task "xor"`},
		{"dnms", "fast", `unknown setting "fast"`},
	} {
		_, err := setting.Lookup(tc.task, tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Lookup(%q, %q) = %v; want an error containing %q", tc.task, tc.name, err, tc.want)
		}
	}
}

// A preset rule takes the task's learning rate and clip, not DNMS's.
func TestRule(t *testing.T) {
	s := setting.MustLookup("context", "miconi")
	for _, tc := range []struct {
		r          rule.Rule
		eta, maxdw float64
	}{
		{rule.MiconiCubic(), 0.01, 2e-4},
		{rule.EH(), 0.01, 2e-4},
		{rule.NodePert(), 1e-4, 2e-4},
	} {
		got := s.Rule(tc.r)
		if got.Eta != tc.eta || got.MaxDW != tc.maxdw {
			t.Errorf("Rule(%s) = eta %g maxdw %g; want %g %g", tc.r.Name, got.Eta, got.MaxDW, tc.eta, tc.maxdw)
		}
	}
	r := rule.MiconiCubic()
	_ = s.Rule(r)
	if r.Eta != 0.1 {
		t.Errorf("Rule changed its argument: eta %g", r.Eta)
	}
}

func TestSetDt(t *testing.T) {
	s := setting.MustLookup("context", "paper")
	s.SetDt(5)
	tk, err := s.Task()
	if err != nil {
		t.Fatal(err)
	}
	if tk.Steps() != 140 || s.Net.Dt != 5 {
		t.Errorf("after SetDt(5): %d steps, net dt %g; want 140, 5", tk.Steps(), s.Net.Dt)
	}
}

// RunSeeds gives the same histories as runs made one by one.
func TestRunSeedsDeterministic(t *testing.T) {
	s := setting.MustLookup("dnms", "miconi")
	s.Net.N = 30
	s.SetDt(10)
	s.Learn.Episodes = 120
	r := s.Rule(rule.MiconiCubic())
	hs, err := s.RunSeeds(context.Background(), r, []uint64{3, 4}, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	for k, seed := range []uint64{3, 4} {
		h, err := s.Run(context.Background(), r, seed, false)
		if err != nil {
			t.Fatal(err)
		}
		for e := range h.Errors {
			if h.Errors[e] != hs[k].Errors[e] {
				t.Fatalf("seed %d episode %d: %v alone, %v in parallel", seed, e, h.Errors[e], hs[k].Errors[e])
			}
		}
	}
}

func ExampleLookup() {
	s, err := setting.Lookup("context", "miconi")
	if err != nil {
		panic(err)
	}
	r := s.Rule(rule.MiconiCubic()) // Miconi's context-integration eta and clip
	fmt.Println(s)
	fmt.Printf("eta %g, maxdw %g, correct when error < %g\n", r.Eta, r.MaxDW, s.Criterion.Threshold)
	// Output:
	// miconi setting of context: N = 200, dt = 1 ms, A = 30, eta 0.01, maxdw 0.0002, readout neuron
	// eta 0.01, maxdw 0.0002, correct when error < 1
}

// With FixedNet every run has the same network; without, each its own.
func TestFixedNet(t *testing.T) {
	s := setting.MustLookup("dnms", "miconi")
	s.Net.N = 20
	s.SetDt(10)
	s.Learn.Episodes, s.Learn.WarmUp = 1, 10
	s.Learn.Record.Activity = []int{0}
	z0 := func(s setting.Setting, seed uint64) float64 {
		h, err := s.Run(context.Background(), rule.MiconiCubic(), seed, false)
		if err != nil {
			t.Fatal(err)
		}
		return h.Activity[0].Output[50]
	}
	if a, b := z0(s, 1), z0(s, 2); a == b {
		t.Errorf("two seeds gave the same output %v: the network did not change", a)
	}
	s.FixedNet, s.Net.InitX = true, 0
	s.Net.PerturbProb = 0
	if a, b := z0(s, 1), z0(s, 2); a != b {
		t.Errorf("FixedNet, no noise: outputs %v and %v; want one network, the same trial", a, b)
	}
}

func TestInCondition(t *testing.T) {
	s := setting.MustLookup(setting.Context, setting.Paper)
	for _, tc := range []struct {
		name  string
		fixed bool
		initX float64
		fail  bool
	}{
		{"random-j", false, s.Net.InitX, false},
		{"random-state", true, 1, false},
		{"sparse", false, 0, true},
	} {
		got, err := s.InCondition(tc.name, 7)
		if tc.fail {
			if err == nil || !strings.Contains(err.Error(), `unknown "sparse"`) {
				t.Errorf("%s: error %v", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.FixedNet != tc.fixed || got.Net.InitX != tc.initX || (tc.fixed && got.Net.Seed != 7) {
			t.Errorf("%s: FixedNet %v, InitX %v, Net.Seed %d", tc.name, got.FixedNet, got.Net.InitX, got.Net.Seed)
		}
	}
}
