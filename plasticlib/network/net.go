package network

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/plasticnb/plasticnb/plasticlib/linalg" // also registers the BLAS backend
)

// Net is a rate RNN: its weights and its state. Fields are exported so that
// learning rules, meta-learning and plots can read (and, for J, WOut and the
// state, write) them; shapes never change after New.
type Net struct {
	Config Config

	// J is the N x N recurrent weight matrix, J[i][j] from unit j to unit i.
	J *mat.Dense
	// WIn is the N x NumInputs input weight matrix (not plastic).
	WIn *mat.Dense
	// WOut holds the linear readout weights (length N) under
	// LinearReadout, nil otherwise.
	WOut []float64
	// Mask[i*N+j] reports whether connection j -> i exists; nil when
	// ConnProb = 1.
	Mask []bool

	// X, R are the state and rates after the last Step; RPrev the rates
	// before it (R and RPrev are swapped by Step, not copied).
	X, R, RPrev []float64
	// DX is the fluctuation x(t) - xbar(t-1) of the last Step; XBar the
	// running average after it. XBar persists across trials (as in
	// Miconi's code); ResetFilter zeroes it.
	DX, XBar []float64
	// H is the total input of the last Step (J r_prev + WIn u + xi).
	H []float64
	// Z is the output after the last Step; DZ and ZBar its fluctuation and
	// running average (used by a plastic linear readout).
	Z, DZ, ZBar float64

	alpha float64 // Dt / Tau
}

// New validates c and returns a network with weights drawn from c.Seed:
// the same Config gives a bit-identical Net.
func New(c Config) (*Net, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.BiasUnits = append([]int(nil), c.BiasUnits...)
	c.BiasValues = append([]float64(nil), c.BiasValues...)
	n := c.N
	net := &Net{
		Config: c,
		J:      mat.NewDense(n, n, nil),
		X:      make([]float64, n),
		R:      make([]float64, n),
		RPrev:  make([]float64, n),
		DX:     make([]float64, n),
		XBar:   make([]float64, n),
		H:      make([]float64, n),
		alpha:  c.Dt / c.Tau,
	}
	if c.NumInputs > 0 {
		net.WIn = mat.NewDense(n, c.NumInputs, nil)
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x6e6574776f726b)) // stream "network"
	scale := c.G / math.Sqrt(c.ConnProb*float64(n))
	jd := net.J.RawMatrix().Data
	if c.ConnProb < 1 {
		net.Mask = make([]bool, n*n)
	}
	for k := range jd {
		if net.Mask != nil {
			if rng.Float64() >= c.ConnProb {
				continue
			}
			net.Mask[k] = true
		}
		jd[k] = scale * rng.NormFloat64()
	}
	if c.Dale {
		nexc := c.NumExc()
		for i := 0; i < n; i++ {
			row := jd[i*n : (i+1)*n]
			for j := range row {
				if j < nexc {
					row[j] = math.Abs(row[j])
				} else {
					row[j] = -math.Abs(row[j])
				}
			}
		}
	}
	if net.WIn != nil {
		wd := net.WIn.RawMatrix().Data
		for k := range wd {
			wd[k] = c.InputLow + (c.InputHigh-c.InputLow)*rng.Float64()
		}
		if c.Readout == NeuronReadout && c.ZeroOutputInput {
			o := c.OutputNeuron * c.NumInputs
			clear(wd[o : o+c.NumInputs])
		}
	}
	if c.Readout == LinearReadout {
		net.WOut = make([]float64, n)
		s := c.ReadoutGain / math.Sqrt(float64(n))
		for j := range net.WOut {
			net.WOut[j] = s * rng.NormFloat64()
		}
	}
	return net, nil
}

// Clone returns a deep copy of net (weights and state).
func (net *Net) Clone() *Net {
	c := *net
	c.Config.BiasUnits = append([]int(nil), net.Config.BiasUnits...)
	c.Config.BiasValues = append([]float64(nil), net.Config.BiasValues...)
	c.J = mat.DenseCopyOf(net.J)
	if net.WIn != nil {
		c.WIn = mat.DenseCopyOf(net.WIn)
	}
	cp := func(s []float64) []float64 {
		if s == nil {
			return nil
		}
		return append([]float64(nil), s...)
	}
	c.WOut = cp(net.WOut)
	if net.Mask != nil {
		c.Mask = append([]bool(nil), net.Mask...)
	}
	c.X, c.R, c.RPrev, c.DX, c.XBar, c.H = cp(net.X), cp(net.R), cp(net.RPrev), cp(net.DX), cp(net.XBar), cp(net.H)
	return &c
}

// ResetFilter zeroes the running averages XBar and ZBar.
func (net *Net) ResetFilter() {
	clear(net.XBar)
	net.ZBar = 0
}

// StartTrial sets the initial state of a trial: x_i ~ Uniform(-InitX,
// InitX) drawn from rng, bias units clamped, r = f(x), RPrev = r, DX = 0.
// XBar is kept. It allocates nothing.
func (net *Net) StartTrial(rng *rand.Rand) {
	c := &net.Config
	for i := range net.X {
		net.X[i] = c.InitX * (2*rng.Float64() - 1)
	}
	net.clampBias()
	f := c.Nonlinearity
	for i, x := range net.X {
		net.R[i] = f.Apply(x)
	}
	copy(net.RPrev, net.R)
	clear(net.DX)
	net.Z = net.output()
	net.DZ = 0
}

func (net *Net) clampBias() {
	for k, u := range net.Config.BiasUnits {
		net.X[u] = net.Config.BiasValues[k]
	}
}

func (net *Net) output() float64 {
	if net.WOut == nil {
		return net.R[net.Config.OutputNeuron]
	}
	return blas64.Dot(blas64.Vector{N: len(net.R), Inc: 1, Data: net.R}, blas64.Vector{N: len(net.WOut), Inc: 1, Data: net.WOut})
}

// Step advances the network by one time step with input u (length
// NumInputs) and the perturbations xi[k] added to unit units[k]'s input
// (from Perturbations.At):
//
//	x <- x + (Dt/Tau) (-x + J r_prev + WIn u + xi); clamp biases; r = f(x)
//	dx = x - xbar; xbar <- a_x xbar + (1 - a_x) x
//
// It allocates nothing.
func (net *Net) Step(u []float64, units []int, xi []float64) {
	c := &net.Config
	net.R, net.RPrev = net.RPrev, net.R
	n := c.N
	jm := net.J.RawMatrix()
	// The per-step product runs on linalg.MatVec whatever the backend: an
	// assembly kernel (AVX + FMA3) or gonum's pure-Go Dgemv, without a cgo
	// call per step, so that goroutines running networks side by side do
	// not contend for OpenBLAS's global buffer lock (measured: 2 seeds in
	// parallel took 0.66x the serial wall time through OpenBLAS's Dgemv,
	// 0.48x through gonum's).
	linalg.MatVec(net.H, jm.Data, jm.Stride, net.RPrev, n, n)
	h := net.H[:n]
	if nin := c.NumInputs; nin > 0 {
		u = u[:nin]
		nz := false
		for _, v := range u {
			if v != 0 {
				nz = true
				break
			}
		}
		if nz {
			wm := net.WIn.RawMatrix()
			for i := range h {
				row := wm.Data[i*wm.Stride : i*wm.Stride+nin]
				s := 0.0
				for k, v := range u {
					s += row[k] * v
				}
				h[i] += s
			}
		}
	}
	for k, i := range units {
		h[i] += xi[k]
	}
	a := net.alpha
	x := net.X[:n]
	for i, hi := range h {
		x[i] += a * (hi - x[i])
	}
	net.clampBias()
	r, dx, xbar := net.R[:n], net.DX[:n], net.XBar[:n]
	ax := c.FilterAlpha
	if c.Nonlinearity == Tanh {
		linalg.Tanh(r, x) // math.Tanh's results, vectorised
	} else {
		for i, xi := range x {
			r[i] = c.Nonlinearity.Apply(xi)
		}
	}
	for i, xi := range x {
		dx[i] = xi - xbar[i]
		xbar[i] = ax*xbar[i] + (1-ax)*xi
	}
	z := net.output()
	net.DZ = z - net.ZBar
	net.ZBar = ax*net.ZBar + (1-ax)*z
	net.Z = z
}

// Constrain enforces the structural constraints on J after a weight
// change: absent connections (Mask) are zero and, under Dale's law, the
// excitatory columns are >= 0 and the inhibitory ones <= 0.
func (net *Net) Constrain() {
	n := net.Config.N
	jd := net.J.RawMatrix().Data
	if net.Mask != nil {
		for k, m := range net.Mask {
			if !m {
				jd[k] = 0
			}
		}
	}
	if net.Config.Dale {
		nexc := net.Config.NumExc()
		for i := 0; i < n; i++ {
			row := jd[i*n : (i+1)*n]
			for j := range row[:nexc] {
				row[j] = max(row[j], 0)
			}
			for j := nexc; j < n; j++ {
				row[j] = min(row[j], 0)
			}
		}
	}
}

// Finite reports whether the state (X) is finite; if not, it returns the
// first non-finite unit.
func (net *Net) Finite() (ok bool, unit int) {
	for i, v := range net.X {
		if v-v != 0 { // NaN for NaN and ±Inf, 0 otherwise: one test per unit
			return false, i
		}
	}
	if net.Z-net.Z != 0 {
		return false, -1
	}
	return true, 0
}
