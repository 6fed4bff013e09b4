package meta

import (
	"math"

	"gonum.org/v1/gonum/blas/blas64"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// update applies the trial-end weight change and its tangent:
// u = c e - J/tau_w, c = -eta m(Ebar) (E - Ebar); J += clip(u);
// dJ_p += clip'(u) (dc_p e + c de_p - dJ_p/tau_w [+ J/tau_w for log tau_w]),
// the tangents split between two goroutines; then a plastic readout's
// (readoutUpdate).
func (e *Engine) update(r rule.Rule, E, ebar float64, dBar, dE []float64, invTauW float64, jd []float64, np int) {
	p := &e.prob
	m, dm := r.M(ebar)
	c := -r.Eta * m * (E - ebar)
	dc := e.dc[:np]
	logTauW := -1
	for q, pr := range e.params[:np] {
		dc[q] = -r.Eta * (dm*dBar[q]*(E-ebar) + m*(dE[q]-dBar[q]))
		if pr.kind == kindLogEta {
			dc[q] += c
		}
		if pr.kind == kindPower && ebar > 0 {
			// d m / d power = m ln Ebar.
			dc[q] -= r.Eta * m * math.Log(ebar) * (E - ebar)
		}
		if pr.kind == kindLogTauW {
			logTauW = q
		}
	}
	maxdw := r.MaxDW
	for k, ev := range e.elig {
		e.dw[k], e.slope[k] = clipped(c*ev-invTauW*jd[k], maxdw, p.Smooth.Clip)
	}
	e.upd = updateArgs{c: c, invTauW: invTauW, logTauW: logTauW, jd: jd}
	if np > 0 {
		e.parallel(np, nil, e.updateSpan)
	}
	for k, d := range e.dw {
		jd[k] += d
	}
	if e.ro.on {
		e.readoutUpdate(c, invTauW, maxdw, p.Smooth.Clip, logTauW, np)
	}
	nn := e.n * e.n
	if ct := p.ClipTangent; ct > 0 {
		for q := range np {
			s := blas64.Nrm2(blas64.Vector{N: nn, Inc: 1, Data: e.dj[q*nn : (q+1)*nn]})
			if s > ct {
				blas64.Scal(ct/s, blas64.Vector{N: nn, Inc: 1, Data: e.dj[q*nn : (q+1)*nn]})
			}
		}
	}
}

// updateArgs are a trial-end update's arguments of updateRange.
type updateArgs struct {
	c, invTauW float64
	logTauW    int
	jd         []float64
}

// updateRange completes the trace tangents of meta-parameters [lo, hi)
// (adds their transposed part) and applies the update's tangent part to
// their dJ_p (e.slope and e.dc set by update, J not yet changed).
func (w *work[T]) updateRange(lo, hi int) {
	e := w.e
	if !e.frozen && e.nk > 1 {
		w.addTransposed(lo, hi)
	}
	a := &e.upd
	nn := e.n * e.n
	c, invTauW := a.c, a.invTauW
	for q := lo; q < hi; q++ {
		dj := e.dj[q*nn : (q+1)*nn]
		de := w.de[q*nn : (q+1)*nn]
		dcq := e.dc[q]
		for k, slope := range e.slope {
			if slope == 0 {
				continue
			}
			du := dcq*e.elig[k] + c*float64(de[k]) - invTauW*dj[k]
			if q == a.logTauW {
				du += invTauW * a.jd[k]
			}
			dj[k] += slope * du
		}
	}
}

// clipped returns the clipped weight change of u and the clip's slope:
// u itself (maxdw = 0), maxdw tanh(u / maxdw) (smooth), or u clipped to
// [-maxdw, maxdw] with slope 0 outside.
func clipped(u, maxdw float64, smooth bool) (d, slope float64) {
	switch {
	case maxdw == 0:
		return u, 1
	case smooth:
		th := math.Tanh(u / maxdw)
		return maxdw * th, 1 - th*th
	}
	if u > maxdw || u < -maxdw {
		return min(max(u, -maxdw), maxdw), 0
	}
	return u, 1
}
