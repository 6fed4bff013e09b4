package network

import (
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

// Net32 is a float32 copy of a Net's weights and state that steps in
// float32 (linalg.Float32): the primal of a trial run at that precision.
// The Net stays the master copy: LoadWeights and LoadState copy from it,
// StoreState copies the state back. Fields mirror Net's (row-major
// slices for J and WIn).
type Net32 struct {
	Net *Net

	J, WIn, WOut             []float32
	X, R, RPrev, DX, XBar, H []float32
	Z, DZ, ZBar              float32

	alpha, filter float32
	bias          []float32
}

// NewNet32 allocates a float32 copy of net (weights and state loaded).
func NewNet32(net *Net) *Net32 {
	c := &net.Config
	n := c.N
	m := &Net32{
		Net: net,
		J:   make([]float32, n*n),
		X:   make([]float32, n), R: make([]float32, n), RPrev: make([]float32, n),
		DX: make([]float32, n), XBar: make([]float32, n), H: make([]float32, n),
		alpha:  float32(net.alpha),
		filter: float32(c.FilterAlpha),
		bias:   make([]float32, len(c.BiasValues)),
	}
	if net.WIn != nil {
		m.WIn = make([]float32, n*c.NumInputs)
	}
	if net.WOut != nil {
		m.WOut = make([]float32, n)
	}
	for k, v := range c.BiasValues {
		m.bias[k] = float32(v)
	}
	m.LoadWeights()
	m.LoadState()
	return m
}

// LoadWeights copies J, WIn and WOut from the Net, rounded to float32.
func (m *Net32) LoadWeights() {
	linalg.Narrow(m.J, m.Net.J.RawMatrix().Data)
	if m.WIn != nil {
		linalg.Narrow(m.WIn, m.Net.WIn.RawMatrix().Data)
	}
	if m.WOut != nil {
		linalg.Narrow(m.WOut, m.Net.WOut)
	}
}

// LoadState copies the state (X, R, RPrev, DX, XBar, Z, DZ, ZBar) from
// the Net, rounded to float32.
func (m *Net32) LoadState() {
	net := m.Net
	linalg.Narrow(m.X, net.X)
	linalg.Narrow(m.R, net.R)
	linalg.Narrow(m.RPrev, net.RPrev)
	linalg.Narrow(m.DX, net.DX)
	linalg.Narrow(m.XBar, net.XBar)
	m.Z, m.DZ, m.ZBar = float32(net.Z), float32(net.DZ), float32(net.ZBar)
}

// StoreState copies the state back into the Net (H included).
func (m *Net32) StoreState() {
	net := m.Net
	linalg.Widen(net.X, m.X)
	linalg.Widen(net.R, m.R)
	linalg.Widen(net.RPrev, m.RPrev)
	linalg.Widen(net.DX, m.DX)
	linalg.Widen(net.XBar, m.XBar)
	linalg.Widen(net.H, m.H)
	net.Z, net.DZ, net.ZBar = float64(m.Z), float64(m.DZ), float64(m.ZBar)
}

// Step is Net.Step in float32 (the inputs and perturbations rounded to
// float32). It allocates nothing.
func (m *Net32) Step(u []float64, units []int, xi []float64) {
	c := &m.Net.Config
	m.R, m.RPrev = m.RPrev, m.R
	n := c.N
	linalg.MatVec32(m.H, m.J, n, m.RPrev, n, n)
	h := m.H[:n]
	if nin := c.NumInputs; nin > 0 {
		u = u[:nin]
		for k, v := range u {
			if v == 0 {
				continue
			}
			v := float32(v)
			for i := range h {
				h[i] += m.WIn[i*nin+k] * v
			}
		}
	}
	for k, i := range units {
		h[i] += float32(xi[k])
	}
	a := m.alpha
	x := m.X[:n]
	for i, hi := range h {
		x[i] += a * (hi - x[i])
	}
	for k, u := range c.BiasUnits {
		x[u] = m.bias[k]
	}
	r, dx, xbar := m.R[:n], m.DX[:n], m.XBar[:n]
	if c.Nonlinearity == Tanh {
		linalg.Tanh32(r, x)
	} else {
		for i, xi := range x {
			r[i] = float32(c.Nonlinearity.Apply(float64(xi)))
		}
	}
	ax := m.filter
	for i, xi := range x {
		dx[i] = xi - xbar[i]
		xbar[i] = ax*xbar[i] + (1-ax)*xi
	}
	var z float32
	if m.WOut == nil {
		z = r[c.OutputNeuron]
	} else {
		for j, w := range m.WOut {
			z += w * r[j]
		}
	}
	m.DZ = z - m.ZBar
	m.ZBar = ax*m.ZBar + (1-ax)*z
	m.Z = z
}

// Finite is Net.Finite on the float32 state.
func (m *Net32) Finite() (ok bool, unit int) {
	for i, v := range m.X {
		if v-v != 0 { // as in Net.Finite
			return false, i
		}
	}
	if m.Z-m.Z != 0 {
		return false, -1
	}
	return true, 0
}
