package network

import (
	"fmt"
	"math"
)

// Nonlinearity is the rate function r = f(x).
type Nonlinearity int

const (
	// Tanh: r = tanh(x) (Miconi; the default).
	Tanh Nonlinearity = iota
	// RectTanh: r = max(0, tanh(x)).
	RectTanh
)

// Readout says where the network's scalar output z comes from.
type Readout int

const (
	// NeuronReadout: z is the rate of Config.OutputNeuron (Miconi; the default).
	NeuronReadout Readout = iota
	// LinearReadout: z = WOut . r, fixed or plastic (Config.ReadoutPlastic).
	LinearReadout
)

var (
	nonlinearityNames = []string{Tanh: "tanh", RectTanh: "recttanh"}
	readoutNames      = []string{NeuronReadout: "neuron", LinearReadout: "linear"}
)

// enumName returns names[v], or "" when v is out of range.
func enumName[T ~int](v T, names []string) string {
	if v < 0 || int(v) >= len(names) {
		return ""
	}
	return names[v]
}

func enumText[T ~int](v T, names []string, what string) ([]byte, error) {
	if s := enumName(v, names); s != "" {
		return []byte(s), nil
	}
	return nil, fmt.Errorf("network: unknown %s %d", what, int(v))
}

func enumParse[T ~int](dst *T, b []byte, names []string, what string) error {
	for i, s := range names {
		if s == string(b) {
			*dst = T(i)
			return nil
		}
	}
	return fmt.Errorf("network: unknown %s %q", what, b)
}

// String returns the name of f ("tanh", "recttanh"), or "" if unknown.
func (f Nonlinearity) String() string { return enumName(f, nonlinearityNames) }

// MarshalText encodes f by name.
func (f Nonlinearity) MarshalText() ([]byte, error) {
	return enumText(f, nonlinearityNames, "Nonlinearity")
}

// UnmarshalText decodes a name written by MarshalText.
func (f *Nonlinearity) UnmarshalText(b []byte) error {
	return enumParse(f, b, nonlinearityNames, "Nonlinearity")
}

// Apply returns f(x).
func (f Nonlinearity) Apply(x float64) float64 {
	r := math.Tanh(x)
	if f == RectTanh && r < 0 {
		return 0
	}
	return r
}

// Deriv returns f'(x) given x and r = f(x) (1 - r^2 for tanh).
func (f Nonlinearity) Deriv(x, r float64) float64 {
	if f == RectTanh && x < 0 {
		return 0
	}
	return 1 - r*r
}

// String returns the name of o ("neuron", "linear"), or "" if unknown.
func (o Readout) String() string { return enumName(o, readoutNames) }

// MarshalText encodes o by name.
func (o Readout) MarshalText() ([]byte, error) { return enumText(o, readoutNames, "Readout") }

// UnmarshalText decodes a name written by MarshalText.
func (o *Readout) UnmarshalText(b []byte) error { return enumParse(o, b, readoutNames, "Readout") }
