package meta

import (
	"math"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// primalTrial runs episode ep's trial, prepared by Streams.Next: the
// learner's steps, with the factor rows of the trace and, with tangents,
// the record the tangent passes read (r_prev, r, dx and the error's slope
// d|u|/du of each step), and a plastic readout's trace. It returns the
// trial error E.
func (w *work[T]) primalTrial(ep int, r rule.Rule, lambda, dLogLam float64, tangents bool) (float64, error) {
	e := w.e
	p, net, theta := &e.prob, w.net, r.Theta
	net.begin()
	defer net.end()
	clear(e.ro.e)
	n, steps := e.n, e.steps
	eps := p.Smooth.AbsEps
	errSum := 0.0
	for t := 0; t < steps; t++ {
		units, xi := e.pert.At(t)
		net.Step(e.trial.Input(t), units, xi)
		if ok, _ := net.Finite(); !ok {
			return math.NaN(), &NonFiniteError{Iteration: -1, Episode: ep}
		}
		rPrev, rt, dx, z := net.rates()
		if tangents {
			copy(w.rp[t*n:(t+1)*n], rPrev)
			copy(w.rr[t*n:(t+1)*n], rt)
		}
		if t > p.Learn.TraceAfter {
			m := steps - 1 - t
			scale := 1.0
			if lambda != 1 {
				scale = math.Pow(lambda, float64(m))
			}
			it := t - p.Learn.TraceAfter - 1
			dscale := float64(m) * scale * dLogLam
			w.factorsPrimal(theta, it, scale, dscale, tangents, rPrev, dx)
			if e.ro.on {
				e.readoutPrimal(r, it, scale)
			}
		}
		e.ds[t] = 0
		if t >= e.trial.EvalStart && t < e.trial.EvalEnd {
			d := z - e.trial.Target[t]
			var s, ds float64
			if eps > 0 {
				s = math.Sqrt(eps + d*d)
				ds = d / s
			} else {
				s = math.Abs(d)
				ds = 1
				if d < 0 {
					ds = -1
				} else if d == 0 {
					ds = 0
				}
			}
			errSum += s
			e.ds[t] = ds
		}
	}
	win := float64(e.trial.EvalEnd - e.trial.EvalStart)
	E := errSum / win
	if math.IsNaN(E) || math.IsInf(E, 0) {
		return math.NaN(), &NonFiniteError{Iteration: -1, Episode: ep}
	}
	return E, nil
}

// factorsPrimal stores traced step it's factor rows k*traced + it
// (k-major, so that the rows of one power are contiguous) from the step's
// r_prev and dx: pre_k = r_prev^k and post_k = scale P_k(dx) (the
// polynomial in float64, rounded to T); with tangents also dx, scale and
// dscale for factorTangents.
func (w *work[T]) factorsPrimal(theta [][]float64, it int, scale, dscale float64, tangents bool, rp, dx []T) {
	e := w.e
	n, tr := e.n, e.traced
	for k := 0; k < e.nk; k++ {
		row := k*tr + it
		w.pow(w.pre[row*n:(row+1)*n], rp, k)
		post := w.post[row*n : (row+1)*n]
		th := theta[k]
		for i, xv := range dx {
			x := float64(xv)
			s := 0.0
			for l := len(th) - 1; l >= 0; l-- {
				s = s*x + th[l]
			}
			post[i] = T(scale * s)
		}
	}
	if tangents {
		copy(w.dxs[it*n:(it+1)*n], dx)
		e.scale[it], e.dscale[it] = scale, dscale
	}
}
