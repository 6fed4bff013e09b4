package network_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/network"
)

// TestNet32 steps a Net and its float32 copy side by side (inputs,
// perturbations, bias units; neuron and linear readout): over 100 steps
// the states agree to float32 rounding, StoreState gives the Net the
// copy's state, and a step allocates nothing.
func TestNet32(t *testing.T) {
	for _, readout := range []network.Readout{network.NeuronReadout, network.LinearReadout} {
		c := network.DefaultConfig()
		c.N, c.Readout, c.PerturbProb = 64, readout, 0.01
		net, err := network.New(c)
		if err != nil {
			t.Fatal(err)
		}
		net.StartTrial(rand.New(rand.NewPCG(1, 2)))
		m := network.NewNet32(net)
		var p network.Perturbations
		const steps = 100
		c.SamplePerturbations(&p, steps, rand.New(rand.NewPCG(3, 4)))
		u := make([]float64, c.NumInputs)
		worst := 0.0
		for s := range steps {
			if s%20 < 5 {
				u[s%c.NumInputs] = 1
			} else {
				clear(u)
			}
			units, xi := p.At(s)
			net.Step(u, units, xi)
			m.Step(u, units, xi)
			for i, x := range net.X {
				worst = max(worst, math.Abs(float64(m.X[i])-x))
			}
			worst = max(worst, math.Abs(float64(m.Z)-net.Z))
		}
		if !(worst < 1e-4) {
			t.Errorf("%v: float32 state off by %g from float64's", readout, worst)
		}
		if ok, _ := m.Finite(); !ok {
			t.Errorf("%v: Finite reports a finite state as not", readout)
		}
		m.StoreState()
		for i, x := range m.X {
			if net.X[i] != float64(x) || net.XBar[i] != float64(m.XBar[i]) {
				t.Fatalf("%v: StoreState: X[%d] = %v, want %v", readout, i, net.X[i], x)
			}
		}
		if n := testing.AllocsPerRun(10, func() { m.Step(u, nil, nil) }); n != 0 {
			t.Errorf("%v: Net32.Step allocates %v times; want 0", readout, n)
		}
		m.X[3] = float32(math.NaN())
		if ok, unit := m.Finite(); ok || unit != 3 {
			t.Errorf("%v: Finite with a NaN at unit 3 = %v, %d", readout, ok, unit)
		}
	}
}

// ExampleNewNet32 steps a network in float32 and stores the state back
// into the (float64) Net.
func ExampleNewNet32() {
	c := network.DefaultConfig()
	c.N = 16
	net, _ := network.New(c)
	net.StartTrial(rand.New(rand.NewPCG(1, 1)))
	m := network.NewNet32(net)
	for range 10 {
		m.Step(make([]float64, c.NumInputs), nil, nil)
	}
	m.StoreState()
	fmt.Println(net.X[0] == float64(m.X[0]), math.Abs(net.R[0]-math.Tanh(net.X[0])) < 1e-6)
	// Output: true true
}
