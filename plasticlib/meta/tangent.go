package meta

import (
	"gonum.org/v1/gonum/blas"
)

// trialArgs are a trial's arguments of tangentRange.
type trialArgs struct {
	alpha, ax float64
	out       int       // the output neuron (neuron readout)
	wout      []float64 // the linear readout's W_out (nil: neuron readout)
	theta     [][]float64
}

// tangentRange carries the tangents of meta-parameters [lo, hi) through
// the trial the primal pass recorded: the products dJ_p r_prev(t) of all
// steps as one matrix product, then step by step the state tangents,
// storing ddx_p and dr_prev,p of the traced steps for traceRows.
func (w *work[T]) tangentRange(a *trialArgs, lo, hi int) {
	if lo >= hi {
		return
	}
	e := w.e
	n, steps, m := e.n, e.steps, hi-lo
	w.factorTangents(a.theta, lo*e.traced/e.np, hi*e.traced/e.np)
	clear(e.dz[lo:hi])
	if e.ro.on {
		clear(e.ro.de[lo*n : hi*n])
	}
	ta := e.prob.Learn.TraceAfter
	if !e.frozen {
		nn := n * n
		if w.narrow != nil {
			w.narrow(w.dj[lo*nn:hi*nn], e.dj[lo*nn:hi*nn])
		}
		// hv (steps x m n) = R_prev (steps x n) times the stacked dJ_p^T.
		w.gemm(blas.NoTrans, blas.Trans, steps, m*n, n, 1, w.rp, n, w.dj[lo*nn:hi*nn], n, 0, w.hv[lo*steps*n:hi*steps*n], m*n)
		clear(w.xt[lo*n : hi*n])
		clear(w.rtA[lo*n : hi*n])
	}
	out := a.out
	h := e.prob.Horizon
	cur, prev := w.rtA, w.rtB // swapped at t = 0: dr_prev is rtA, cleared above
	for t := range steps {
		cur, prev = prev, cur
		if !e.frozen {
			w.stepTangents(a, t, lo, hi, cur, prev)
			if ds := e.ds[t]; ds != 0 || e.ro.on {
				for q := lo; q < hi; q++ {
					dr := cur[q*n : (q+1)*n]
					dz := dzOut(a, dr, out)
					if e.ro.on {
						dz = w.readoutStep(a, t, q, dz, dr)
					}
					e.dz[q] += ds * dz
				}
			}
		}
		if t > ta && !e.frozen {
			// The trace tangents' per-step factors ddx_p, dr_prev,p ([it][i][p]).
			it := t - ta - 1
			np := e.np
			st := np
			dd, dr1 := w.dd[it*n*np:], w.dr1[it*n*np:]
			for q := lo; q < hi; q++ {
				dxt, rp := w.dxt[q*n:(q+1)*n], prev[q*n:(q+1)*n]
				for i := range n {
					dd[i*st+q] = dxt[i]
					dr1[i*st+q] = rp[i]
				}
			}
		}
		if h > 0 && t%h == h-1 && !e.frozen {
			// Truncation horizon: the state tangents restart from 0.
			clear(w.xt[lo*n : hi*n])
			clear(cur[lo*n : hi*n])
			clear(w.xbt[lo*n : hi*n])
			if e.ro.on {
				clear(e.ro.zbar[lo:hi])
			}
		}
	}
	if e.ro.on {
		w.readoutBasis(a, lo, hi)
	}
}

// stepTangents advances the state tangents (P x N, one row per
// meta-parameter) of meta-parameters [lo, hi) by step t:
// dx <- (1 - a) dx + a (dJ_p r_prev + J dr_prev), bias units 0;
// dr = (1 - r^2) dx; ddx = dx - dxbar; dxbar <- a_x dxbar + (1 - a_x) dx.
// dr is written to cur, dr_prev read from prev.
func (w *work[T]) stepTangents(a *trialArgs, t, lo, hi int, cur, prev []T) {
	e := w.e
	n, m := e.n, hi-lo
	// g = dr_prev J^T (P x N): row p is J dr_prev,p.
	w.gemm(blas.NoTrans, blas.Trans, m, n, n, 1, prev[lo*n:hi*n], n, w.jd, n, 0, w.g[lo*n:hi*n], n)
	hvt := w.hv[lo*e.steps*n+t*m*n : lo*e.steps*n+(t+1)*m*n]
	r := w.rr[t*n : (t+1)*n]
	alpha, ax := T(a.alpha), T(a.ax)
	for q := lo; q < hi; q++ {
		x := w.xt[q*n : (q+1)*n]
		g := w.g[q*n : (q+1)*n]
		hv := hvt[(q-lo)*n : (q-lo+1)*n]
		for i := range x {
			x[i] += alpha * (g[i] + hv[i] - x[i])
		}
		for _, b := range e.bias {
			x[b] = 0
		}
		rt := cur[q*n : (q+1)*n]
		dxt := w.dxt[q*n : (q+1)*n]
		xbt := w.xbt[q*n : (q+1)*n]
		for i, ri := range r {
			xi := x[i]
			rt[i] = (1 - ri*ri) * xi
			dxt[i] = xi - xbt[i]
			xbt[i] = ax*xbt[i] + (1-ax)*xi
		}
	}
}

// factorTangents stores, for traced steps [lo, hi), the factor rows the
// trace tangents need: scale P_k'(dx), dscale P_k(dx) (log tau_e), k post_k
// (k >= 1) and scale dx^l. (Run by the tangent passes, off the primal
// pass's serial path.) The frozen engine's basis traces need only the
// last two: it skips the rest unless it forms its traces in full.
func (w *work[T]) factorTangents(theta [][]float64, lo, hi int) {
	e := w.e
	n, tr := e.n, e.traced
	nk := e.nk
	if e.sumsOnly() && !e.logTauE {
		nk = 0 // only scale dx^l
	}
	for it := lo; it < hi; it++ {
		dx := w.dxs[it*n : (it+1)*n]
		scale, dscale := e.scale[it], e.dscale[it]
		for k := 0; k < nk; k++ {
			row := k*tr + it
			th := theta[k]
			dpk := w.dpk[row*n : (row+1)*n]
			for i, xv := range dx {
				x := float64(xv)
				s, ds := 0.0, 0.0
				for l := len(th) - 1; l >= 0; l-- {
					ds = ds*x + s
					s = s*x + th[l]
				}
				dpk[i] = T(scale * ds)
				if e.logTauE {
					w.pkd[row*n+i] = T(dscale * s)
				}
			}
			if k > 0 {
				kp := w.kpost[((k-1)*tr+it)*n : ((k-1)*tr+it+1)*n]
				fk := T(k)
				for i, v := range w.post[row*n : (row+1)*n] {
					kp[i] = fk * v
				}
			}
		}
		for l := range e.nl {
			xl := w.xl[(l*tr+it)*n : (l*tr+it+1)*n]
			for i, x := range dx {
				xl[i] = T(scale * ipow(float64(x), l))
			}
		}
	}
}

func ipow[T float](x T, l int) T {
	p := T(1)
	for range l {
		p *= x
	}
	return p
}

// dzOut returns the output's tangent dz_p from the rates' tangent dr_p:
// dr_p[out] under the neuron readout, W_out . dr_p under the linear one
// (to which readoutStep adds dW_out,p . r when W_out is plastic).
func dzOut[T float](a *trialArgs, dr []T, out int) float64 {
	if a.wout == nil {
		return float64(dr[out])
	}
	s := 0.0
	for j, w := range a.wout {
		s += w * float64(dr[j])
	}
	return s
}
