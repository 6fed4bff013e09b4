package network_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/network"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		field string
		edit  func(c *network.Config)
	}{
		{"N", func(c *network.Config) { c.N = 0 }},
		{"N", func(c *network.Config) { c.N = 1 << 24 }}, // 2 PiB for J: more than any machine has
		{"Tau", func(c *network.Config) { c.Tau = 0 }},
		{"Dt", func(c *network.Config) { c.Dt = 50 }},
		{"ConnProb", func(c *network.Config) { c.ConnProb = -0.1 }},
		{"PerturbProb", func(c *network.Config) { c.PerturbProb = -0.003 }},
		{"FilterAlpha", func(c *network.Config) { c.FilterAlpha = 1 }},
		{"BiasUnits[2]", func(c *network.Config) { c.BiasUnits[2] = 500 }},
		{"BiasValues", func(c *network.Config) { c.BiasValues = c.BiasValues[:1] }},
		{"OutputNeuron", func(c *network.Config) { c.OutputNeuron = -1 }},
	}
	for _, tt := range tests {
		c := network.DefaultConfig()
		tt.edit(&c)
		_, err := network.New(c)
		var fe *field.Error
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), "network.Config."+tt.field+":") {
			t.Errorf("New with bad %s: err = %v; want a *field.Error naming it", tt.field, err)
		}
	}
	if err := network.DefaultConfig().Validate(); err != nil {
		t.Errorf("DefaultConfig().Validate() = %v", err)
	}
}

func TestNewDeterministic(t *testing.T) {
	c := network.DefaultConfig()
	c.Seed = 3
	a, _ := network.New(c)
	b, _ := network.New(c)
	for k, v := range a.J.RawMatrix().Data {
		if b.J.RawMatrix().Data[k] != v {
			t.Fatalf("J differs at %d for the same seed", k)
		}
	}
	if a.WIn.At(0, 0) != 0 || a.WIn.At(0, 1) != 0 {
		t.Errorf("output neuron's input row = %v; want zero", a.WIn.RawRowView(0))
	}
	// Empirical scale of J: std ~ G / sqrt(N).
	s := 0.0
	for _, v := range a.J.RawMatrix().Data {
		s += v * v
	}
	std := math.Sqrt(s / float64(c.N*c.N))
	if want := c.G / math.Sqrt(float64(c.N)); math.Abs(std-want) > 0.05*want {
		t.Errorf("std(J) = %g; want %g", std, want)
	}
}

func TestDaleAndSparse(t *testing.T) {
	c := network.DefaultConfig()
	c.N, c.Dale, c.ConnProb = 40, true, 0.2
	net, err := network.New(c)
	if err != nil {
		t.Fatal(err)
	}
	net.J.Set(3, 5, -1) // excitatory column made negative
	net.J.Set(3, 30, 2) // inhibitory column made positive
	nz := 0
	for k, m := range net.Mask {
		if !m {
			net.J.RawMatrix().Data[k] = 1
		} else {
			nz++
		}
	}
	net.Constrain()
	for i := 0; i < c.N; i++ {
		for j := 0; j < c.N; j++ {
			v := net.J.At(i, j)
			if (j < 20 && v < 0) || (j >= 20 && v > 0) || (!net.Mask[i*c.N+j] && v != 0) {
				t.Fatalf("J[%d][%d] = %g violates Dale or the mask", i, j, v)
			}
		}
	}
	if frac := float64(nz) / float64(c.N*c.N); math.Abs(frac-0.2) > 0.05 {
		t.Errorf("connection fraction = %g; want ~0.2", frac)
	}
}

// TestStepFilter checks one Euler step, x += Dt/Tau (-x + J r_prev + W_in u
// + perturbation), against the same sum written out here, with r = tanh(x),
// the fluctuation dx = x - xbar and the clamped bias units.
func TestStepFilter(t *testing.T) {
	c := network.DefaultConfig()
	c.N = 12
	net, _ := network.New(c)
	rng := rand.New(rand.NewPCG(1, 2))
	net.StartTrial(rng)
	x0 := append([]float64(nil), net.X...)
	r0 := append([]float64(nil), net.R...)
	xbar0 := append([]float64(nil), net.XBar...)
	u := []float64{1, 0}
	net.Step(u, []int{4}, []float64{3})
	a := c.Dt / c.Tau
	for i := 0; i < c.N; i++ {
		h := net.WIn.At(i, 0)
		for j := 0; j < c.N; j++ {
			h += net.J.At(i, j) * r0[j]
		}
		if i == 4 {
			h += 3
		}
		want := x0[i] + a*(-x0[i]+h)
		switch i {
		case 1, 10:
			want = 1
		case 11:
			want = -1
		}
		if math.Abs(net.X[i]-want) > 1e-12 {
			t.Errorf("x[%d] = %g; want %g", i, net.X[i], want)
		}
		if net.R[i] != math.Tanh(net.X[i]) || net.RPrev[i] != r0[i] {
			t.Errorf("r[%d] or rprev[%d] wrong", i, i)
		}
		if dx := net.X[i] - xbar0[i]; net.DX[i] != dx {
			t.Errorf("dx[%d] = %g; want %g", i, net.DX[i], dx)
		}
		if xb := 0.05*xbar0[i] + 0.95*net.X[i]; math.Abs(net.XBar[i]-xb) > 1e-15 {
			t.Errorf("xbar[%d] = %g; want %g", i, net.XBar[i], xb)
		}
	}
	if net.Z != net.R[0] {
		t.Errorf("z = %g; want r[0] = %g", net.Z, net.R[0])
	}
}

func TestStepAllocs(t *testing.T) {
	net, _ := network.New(network.DefaultConfig())
	net.StartTrial(rand.New(rand.NewPCG(1, 1)))
	u := []float64{1, 0}
	units, xi := []int{3}, []float64{1}
	if n := testing.AllocsPerRun(100, func() { net.Step(u, units, xi) }); n != 0 {
		t.Errorf("Step allocates %v times; want 0", n)
	}
}

func TestSamplePerturbations(t *testing.T) {
	c := network.DefaultConfig()
	rng := rand.New(rand.NewPCG(5, 6))
	var p network.Perturbations
	const trials, steps = 50, 1000
	total := 0
	for range trials {
		c.SamplePerturbations(&p, steps, rng)
		total += p.Count()
		for t0 := 0; t0 <= c.PerturbAfter; t0++ {
			if u, _ := p.At(t0); len(u) != 0 {
				t.Fatalf("perturbation at step %d <= PerturbAfter", t0)
			}
		}
		for t0 := 0; t0 < steps; t0++ {
			units, vals := p.At(t0)
			for k, u := range units {
				if u < 0 || u >= c.N || math.Abs(vals[k]) > c.PerturbAmp {
					t.Fatalf("bad event unit %d value %g", u, vals[k])
				}
				if k > 0 && units[k-1] >= u {
					t.Fatalf("units not increasing at step %d: %v", t0, units)
				}
			}
		}
	}
	want := float64(trials*(steps-c.PerturbAfter-1)*c.N) * c.PerturbProb
	if got := float64(total); math.Abs(got-want) > 4*math.Sqrt(want) {
		t.Errorf("perturbation count = %g; want %g +- %g", got, want, 4*math.Sqrt(want))
	}
	c.PerturbProb = 0
	c.SamplePerturbations(&p, steps, rng)
	if p.Count() != 0 {
		t.Errorf("PerturbProb = 0 gave %d events", p.Count())
	}
}

func ExampleNew() {
	c := network.DefaultConfig()
	c.N = 50
	net, err := network.New(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 0))
	var p network.Perturbations
	c.SamplePerturbations(&p, 100, rng)
	net.StartTrial(rng)
	for t := 0; t < 100; t++ {
		units, xi := p.At(t)
		net.Step([]float64{1, 0}, units, xi)
	}
	fmt.Println(len(net.R), math.Abs(net.Z) <= 1)
	// Output: 50 true
}

func ExampleConfig_Validate() {
	c := network.DefaultConfig()
	c.Tau, c.PerturbProb = -1, 1.5
	fmt.Println(c.Validate())
	// Output:
	// network.Config.Tau: must be > 0, got -1
	// network.Config.PerturbProb: must be a probability in [0, 1], got 1.5
}

// TestFinite: Finite finds the first NaN or ±Inf unit, or a non-finite
// output, and passes large finite values.
func TestFinite(t *testing.T) {
	for _, c := range []struct {
		x, z float64
		unit int
		ok   bool
	}{{1e308, 0, 0, true}, {math.NaN(), 0, 2, false}, {math.Inf(1), 0, 2, false}, {math.Inf(-1), 0, 2, false}, {0, math.NaN(), -1, false}, {0, math.Inf(-1), -1, false}} {
		net, err := network.New(network.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		net.X[2], net.X[5], net.Z = c.x, math.NaN(), c.z
		if c.ok || c.unit == -1 {
			net.X[5] = 0
		}
		ok, unit := net.Finite()
		if ok != c.ok || (!ok && unit != c.unit) {
			t.Errorf("x[2] = %v, z = %v: Finite() = %v, %d; want %v, %d", c.x, c.z, ok, unit, c.ok, c.unit)
		}
	}
}
