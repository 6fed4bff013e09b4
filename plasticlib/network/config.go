package network

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// Config holds every parameter of a network. Start from DefaultConfig
// (Miconi's reference values) and change fields: the zero Config is not
// valid (N = 0), and a zero in a field where zero makes sense (PerturbProb,
// InitX, BiasUnits, ...) means zero, not "default".
type Config struct {
	// N is the number of units. Default 200.
	N int
	// Dt is the integration time step in ms. Default 1.
	Dt float64
	// Tau is the membrane time constant in ms; Dt <= Tau. Default 30.
	Tau float64
	// G is the gain of the initial recurrent weights:
	// J_ij ~ G * Normal(0,1) / sqrt(ConnProb * N). Default 1.5.
	G float64
	// ConnProb is the probability that a recurrent connection exists, in
	// (0, 1]; absent connections stay zero under learning. Default 1 (dense).
	ConnProb float64
	// Nonlinearity maps x to rates r. Default Tanh.
	Nonlinearity Nonlinearity
	// NumInputs is the number of input channels (columns of WIn); it must
	// equal the task's. Default 2 (DNMS's channels A and B).
	NumInputs int
	// InputLow and InputHigh bound the input weights,
	// WIn_ik ~ Uniform(InputLow, InputHigh). Default -1, 1.
	InputLow, InputHigh float64
	// Readout says where the output z comes from. Default NeuronReadout.
	Readout Readout
	// OutputNeuron is the unit whose rate is z under NeuronReadout. Default 0.
	OutputNeuron int
	// ZeroOutputInput zeroes the output neuron's row of WIn (Miconi) under
	// NeuronReadout. Default true.
	ZeroOutputInput bool
	// ReadoutGain scales the initial linear readout weights,
	// WOut_j ~ ReadoutGain * Normal(0,1) / sqrt(N), under LinearReadout.
	// Default 1.
	ReadoutGain float64
	// ReadoutPlastic makes the linear readout weights learn under the same
	// rule as J (pre-synaptic r_j(t), post-synaptic fluctuation of z). It
	// has no effect under NeuronReadout (row OutputNeuron of J is plastic
	// anyway). Default false.
	ReadoutPlastic bool
	// BiasUnits are clamped to x = BiasValues after every step and at trial
	// start. Default {1, 10, 11} clamped at {1, 1, -1} (Miconi); nil for none.
	BiasUnits  []int
	BiasValues []float64
	// InitX is the half-width of the initial state at each trial start,
	// x_i ~ Uniform(-InitX, InitX). Default 0.1.
	InitX float64
	// PerturbProb is the probability that a unit receives an exploratory
	// perturbation at a given step. Default 0.003.
	PerturbProb float64
	// PerturbAmp is the amplitude A of a perturbation,
	// xi ~ Uniform(-A, A), added to the unit's input. Default 16 (DNMS; 30
	// for context integration).
	PerturbAmp float64
	// PerturbAfter: perturbations happen only at steps t > PerturbAfter
	// (0-based). Default 3.
	PerturbAfter int
	// FilterAlpha is a_x of the fluctuation filter
	// xbar <- a_x xbar + (1 - a_x) x, in [0, 1). Default 0.05.
	FilterAlpha float64
	// Dale, when true, keeps the first ExcFraction*N columns of J >= 0
	// (excitatory) and the others <= 0 (inhibitory), at initialisation
	// (J_ij -> +-|J_ij|) and after every weight change. Default false.
	Dale bool
	// ExcFraction is the fraction of excitatory units under Dale.
	// Default 0.5.
	ExcFraction float64
	// Seed seeds the initial weights (J, WIn, WOut). Default 0.
	Seed uint64
}

// DefaultConfig returns the reference configuration of Miconi (2017), dnms/net.cpp.
func DefaultConfig() Config {
	return Config{
		N:               200,
		Dt:              1,
		Tau:             30,
		G:               1.5,
		ConnProb:        1,
		Nonlinearity:    Tanh,
		NumInputs:       2,
		InputLow:        -1,
		InputHigh:       1,
		Readout:         NeuronReadout,
		OutputNeuron:    0,
		ZeroOutputInput: true,
		ReadoutGain:     1,
		BiasUnits:       []int{1, 10, 11},
		BiasValues:      []float64{1, 1, -1},
		InitX:           0.1,
		PerturbProb:     0.003,
		PerturbAmp:      16,
		PerturbAfter:    3,
		FilterAlpha:     0.05,
		ExcFraction:     0.5,
	}
}

func bad(name, format string, args ...any) error {
	return field.Errorf("network.Config."+name, format, args...)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Validate reports every invalid field of c, joined (errors.Join); each
// error is a *field.Error naming the field.
func (c Config) Validate() error {
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	if c.N <= 0 {
		add(bad("N", "must be > 0, got %d", c.N))
	} else if need, free, ok := c.fits(); !ok {
		add(bad("N", "%d units need %.1f GiB for the N x N weights J, and %.1f GiB of memory are available",
			c.N, float64(need)/(1<<30), float64(free)/(1<<30)))
	}
	if !(c.Dt > 0) || !finite(c.Dt) {
		add(bad("Dt", "must be > 0, got %g", c.Dt))
	}
	if !(c.Tau > 0) || !finite(c.Tau) {
		add(bad("Tau", "must be > 0, got %g", c.Tau))
	} else if c.Dt > c.Tau {
		add(bad("Dt", "must be <= Tau (%g), got %g", c.Tau, c.Dt))
	}
	if !(c.G >= 0) || !finite(c.G) {
		add(bad("G", "must be >= 0, got %g", c.G))
	}
	if !(c.ConnProb > 0 && c.ConnProb <= 1) {
		add(bad("ConnProb", "must be a probability in (0, 1], got %g", c.ConnProb))
	}
	if c.Nonlinearity.String() == "" {
		add(bad("Nonlinearity", "unknown value %d", c.Nonlinearity))
	}
	if c.NumInputs < 0 {
		add(bad("NumInputs", "must be >= 0, got %d", c.NumInputs))
	}
	if !(c.InputLow <= c.InputHigh) || !finite(c.InputLow) || !finite(c.InputHigh) {
		add(bad("InputLow", "must be finite and <= InputHigh, got [%g, %g]", c.InputLow, c.InputHigh))
	}
	switch c.Readout {
	case NeuronReadout:
		if c.OutputNeuron < 0 || c.OutputNeuron >= c.N {
			add(bad("OutputNeuron", "must be in [0, N), got %d", c.OutputNeuron))
		}
	case LinearReadout:
		if !finite(c.ReadoutGain) {
			add(bad("ReadoutGain", "must be finite, got %g", c.ReadoutGain))
		}
	default:
		add(bad("Readout", "unknown value %d", c.Readout))
	}
	if len(c.BiasUnits) != len(c.BiasValues) {
		add(bad("BiasValues", "has %d values for %d BiasUnits", len(c.BiasValues), len(c.BiasUnits)))
	}
	for k, u := range c.BiasUnits {
		if u < 0 || u >= c.N {
			add(bad(fmt.Sprintf("BiasUnits[%d]", k), "must be in [0, N), got %d", u))
		}
		if c.Readout == NeuronReadout && u == c.OutputNeuron {
			add(bad(fmt.Sprintf("BiasUnits[%d]", k), "is the output neuron %d", u))
		}
	}
	if !(c.InitX >= 0) || !finite(c.InitX) {
		add(bad("InitX", "must be >= 0, got %g", c.InitX))
	}
	if !(c.PerturbProb >= 0 && c.PerturbProb <= 1) {
		add(bad("PerturbProb", "must be a probability in [0, 1], got %g", c.PerturbProb))
	}
	if !(c.PerturbAmp >= 0) || !finite(c.PerturbAmp) {
		add(bad("PerturbAmp", "must be >= 0, got %g", c.PerturbAmp))
	}
	if c.PerturbAfter < -1 {
		add(bad("PerturbAfter", "must be >= -1, got %d", c.PerturbAfter))
	}
	if !(c.FilterAlpha >= 0 && c.FilterAlpha < 1) {
		add(bad("FilterAlpha", "must be in [0, 1), got %g", c.FilterAlpha))
	}
	if c.Dale && !(c.ExcFraction >= 0 && c.ExcFraction <= 1) {
		add(bad("ExcFraction", "must be in [0, 1], got %g", c.ExcFraction))
	}
	return errors.Join(errs...)
}

// NumExc is the number of excitatory units (columns of J kept >= 0) under
// Dale's law, 0 otherwise.
func (c Config) NumExc() int {
	if !c.Dale {
		return 0
	}
	return int(math.Round(c.ExcFraction * float64(c.N)))
}

// fits reports whether the N x N workspace of a network of c (J, and the
// connection mask when ConnProb < 1) fits in the memory available, so that
// New returns an error instead of the process dying of a failed
// allocation. Where the memory available cannot be read (no
// /proc/meminfo), only sizes whose byte count overflows are refused.
func (c Config) fits() (need, free uint64, ok bool) {
	n := uint64(c.N)
	per := uint64(8)
	if c.ConnProb < 1 {
		per++
	}
	need = n * n * per
	if n != 0 && need/n/n != per {
		return math.MaxUint64, 0, false
	}
	free, known := memAvailable()
	return need, free, !known || need <= free
}

// memAvailable returns MemAvailable of /proc/meminfo, in bytes.
func memAvailable() (uint64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
