package credit

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Backprop holds the workspace of backpropagation through time for one
// network size and trial length; reuse it across trials (a trial then
// allocates nothing).
type Backprop struct {
	n, steps int
	rates    []float64 // (steps+1) x n: r(-1), r(0), ..., r(steps-1)
	xs       []float64 // steps x n: x(t) after each step
	d        []float64 // steps x n: dE/dx~(t), the pre-clamp state
	z        []float64 // steps: the output
	b, next  []float64 // n
	free     []bool    // free[i]: unit i is not clamped
}

// NewBackprop returns the workspace for networks of n units and trials of
// steps steps.
func NewBackprop(n, steps int) *Backprop {
	return &Backprop{
		n: n, steps: steps,
		rates: make([]float64, (steps+1)*n),
		xs:    make([]float64, steps*n),
		d:     make([]float64, steps*n),
		z:     make([]float64, steps),
		b:     make([]float64, n),
		next:  make([]float64, n),
		free:  make([]bool, n),
	}
}

// Trial runs trial tr on net from its current state (set it with
// network.Net.StartTrial, or learn.Streams.Next) with the perturbations
// pert, without changing the weights, and writes into g (length N*N,
// row-major like J: g[i*N+j] for synapse j -> i) the exact gradient of
// the trial's error with respect to J. It returns the error. Absent
// connections (net.Mask) get gradient 0. Under a linear readout the
// readout weights are held fixed (g covers J only). It leaves net in the
// state after the trial, as network.Net.Step does.
func (bp *Backprop) Trial(net *network.Net, tr *task.Trial, pert *network.Perturbations, g []float64) (float64, error) {
	c := &net.Config
	n, steps := c.N, tr.Steps()
	if n != bp.n || steps != bp.steps {
		return 0, fmt.Errorf("credit: Backprop made for %d units and %d steps, got %d and %d", bp.n, bp.steps, n, steps)
	}
	if len(g) != n*n {
		return 0, fmt.Errorf("credit: gradient of length %d, want N*N = %d", len(g), n*n)
	}
	if tr.EvalEnd <= tr.EvalStart {
		return 0, errors.New("credit: the trial has an empty evaluation window")
	}
	copy(bp.rates[:n], net.R)
	for t := range steps {
		units, xi := pert.At(t)
		net.Step(tr.Input(t), units, xi)
		if ok, unit := net.Finite(); !ok {
			return 0, fmt.Errorf("credit: the network diverged at step %d (unit %d)", t, unit)
		}
		copy(bp.rates[(t+1)*n:(t+2)*n], net.R)
		copy(bp.xs[t*n:(t+1)*n], net.X)
		bp.z[t] = net.Z
	}
	e := tr.Error(bp.z)

	for i := range bp.free {
		bp.free[i] = true
	}
	for _, u := range c.BiasUnits {
		bp.free[u] = false
	}
	alpha := c.Dt / c.Tau
	w := 1 / float64(tr.EvalEnd-tr.EvalStart)
	jm := net.J.RawMatrix()
	jv := blas64.General{Rows: n, Cols: n, Stride: jm.Stride, Data: jm.Data}
	clear(bp.next) // dE/dx~(t+1), zero after the trial
	b := bp.b
	for t := steps - 1; t >= 0; t-- {
		// b = dE/dr(t) = direct term + alpha J^T dE/dx~(t+1).
		clear(b)
		if t < steps-1 {
			blas64.Gemv(blas.Trans, alpha, jv, blas64.Vector{N: n, Inc: 1, Data: bp.next}, 0, blas64.Vector{N: n, Inc: 1, Data: b})
		}
		if t >= tr.EvalStart && t < tr.EvalEnd {
			s := 0.0
			switch dz := bp.z[t] - tr.Target[t]; {
			case dz > 0:
				s = w
			case dz < 0:
				s = -w
			}
			if s != 0 {
				if net.WOut == nil {
					b[c.OutputNeuron] += s
				} else {
					for j, v := range net.WOut {
						b[j] += s * v
					}
				}
			}
		}
		// dE/dx(t) = f'(x(t)) b + (1 - alpha) dE/dx~(t+1); the clamp
		// makes dE/dx~(t) zero on bias units.
		d := bp.d[t*n : (t+1)*n]
		x, r := bp.xs[t*n:(t+1)*n], bp.rates[(t+1)*n:(t+2)*n]
		for i := range d {
			if !bp.free[i] {
				d[i] = 0
				continue
			}
			d[i] = c.Nonlinearity.Deriv(x[i], r[i])*b[i] + (1-alpha)*bp.next[i]
		}
		copy(bp.next, d)
	}
	// dE/dJ = alpha sum_t dE/dx~(t) r(t-1)^T: one product of the stored rows.
	linalg.Gemm(blas.Trans, blas.NoTrans, n, n, steps, alpha, bp.d, n, bp.rates[:steps*n], n, 0, g, n)
	if net.Mask != nil {
		for k, m := range net.Mask {
			if !m {
				g[k] = 0
			}
		}
	}
	return e, nil
}
