package meta

import "github.com/plasticnb/plasticnb/plasticlib/rule"

// readout is the workspace of a plastic linear readout (Net.ReadoutPlastic
// under network.LinearReadout): W_out learns under the rule as J does,
// with pre-synaptic rates r_j(t) and the output's fluctuation
// dz(t) = z(t) - zbar(t-1) as post-synaptic factor (learn.Learner's
// readout):
//
//	eOut_j = sum_{t > TraceAfter} scale(t) sum_k P_k(dz(t)) r_j(t)^k
//	W_out += clip(c eOut - W_out/tau_w)
//
// and its tangents, for each meta-parameter p: dz_p = W_out . dr_p +
// dW_p . r, the filtered output's dzbar_p, the trace's deOut_p and dW_p
// (kept across episodes, as dJ_p).
type readout struct {
	on     bool
	e      []float64 // n: eOut of the trial
	dzs    []float64 // traced: dz of each traced step
	dw     []float64 // np x n: dW_out,p
	zbar   []float64 // np: dzbar_p
	de     []float64 // np x n: deOut_p of the trial
	d, slp []float64 // n: the update's change of W_out and its clip slope
}

func (ro *readout) alloc(n, np, traced int) {
	ro.on = true
	ro.e, ro.d, ro.slp = make([]float64, n), make([]float64, n), make([]float64, n)
	ro.dzs = make([]float64, traced)
	ro.dw, ro.de = make([]float64, np*n), make([]float64, np*n)
	ro.zbar = make([]float64, np)
}

// readoutPrimal adds traced step it's term to eOut, in the learner's order
// (powers k with P_k(dz) = 0 skipped), and records dz. It reads the float64
// network: a plastic readout is float64 only (Problem.Validate).
func (e *Engine) readoutPrimal(r rule.Rule, it int, scale float64) {
	net, ro := e.net, &e.ro
	dz := []float64{net.DZ}
	var pk [1]float64
	for k := range e.nk {
		r.PostTo(pk[:], dz, k, scale)
		if pk[0] == 0 {
			continue
		}
		for j, v := range net.R {
			ro.e[j] += pk[0] * ipow(v, k)
		}
	}
	ro.dzs[it] = net.DZ
}

// polyD returns P(x) = sum_l c[l] x^l and P'(x).
func polyD(c []float64, x float64) (s, ds float64) {
	for l := len(c) - 1; l >= 0; l-- {
		ds = ds*x + s
		s = s*x + c[l]
	}
	return s, ds
}

// readoutStep carries meta-parameter q's readout tangents through step t,
// given dzW = W_out . dr_q(t) and dr = dr_q(t): it returns
// dz_q = dzW + dW_q . r(t), updates dzbar_q and, at traced steps, adds
// d/dphi_q of the step's trace term through dz and r (the basis terms
// are added by readoutBasis).
func (w *work[T]) readoutStep(a *trialArgs, t, q int, dzW float64, dr []T) float64 {
	e := w.e
	n, ro := e.n, &e.ro
	r := w.rr[t*n : (t+1)*n]
	dz := dzW
	for j, wj := range ro.dw[q*n : (q+1)*n] {
		dz += wj * float64(r[j])
	}
	ddz := dz - ro.zbar[q]
	ro.zbar[q] = a.ax*ro.zbar[q] + (1-a.ax)*dz
	ta := e.prob.Learn.TraceAfter
	if t <= ta {
		return dz
	}
	it := t - ta - 1
	x, scale := ro.dzs[it], e.scale[it]
	de := ro.de[q*n : (q+1)*n]
	for k := range e.nk {
		pk, dpk := polyD(a.theta[k], x)
		c1, c2 := scale*dpk*ddz, scale*pk*float64(k)
		if c1 == 0 && c2 == 0 {
			continue
		}
		for j, rv := range r {
			if k == 0 {
				de[j] += c1
				continue
			}
			rj := float64(rv)
			rk1 := ipow(rj, k-1)
			de[j] += c1*rk1*rj + c2*rk1*float64(dr[j])
		}
	}
	return dz
}

// readoutBasis adds to deOut_q, for meta-parameters [lo, hi), the terms of
// the rule's own dependence on phi_q: sum_t scale dz^l r_j^k for
// theta_kl, sum_t dscale P_k(dz) r_j^k summed over k for log tau_e.
func (w *work[T]) readoutBasis(a *trialArgs, lo, hi int) {
	e := w.e
	n, ro, ta := e.n, &e.ro, e.prob.Learn.TraceAfter
	for q := lo; q < hi; q++ {
		pr := e.params[q]
		if pr.kind != kindTheta && pr.kind != kindLogTauE {
			continue
		}
		de := ro.de[q*n : (q+1)*n]
		for it, x := range ro.dzs {
			r := w.rr[(it+ta+1)*n : (it+ta+2)*n]
			if pr.kind == kindTheta {
				c := e.scale[it] * ipow(x, pr.l)
				for j, rj := range r {
					de[j] += c * ipow(float64(rj), pr.k)
				}
				continue
			}
			for k := range e.nk {
				pk, _ := polyD(a.theta[k], x)
				c := e.dscale[it] * pk
				for j, rj := range r {
					de[j] += c * ipow(float64(rj), k)
				}
			}
		}
	}
}

// readoutUpdate applies the trial-end change of W_out and, for the first
// np meta-parameters, its tangent
// dW_p += clip'(u) (dc_p eOut + c deOut_p - dW_p/tau_w [+ W_out/tau_w for
// log tau_w]), before W_out changes.
func (e *Engine) readoutUpdate(c, invTauW, maxdw float64, smooth bool, logTauW, np int) {
	n, ro, w := e.n, &e.ro, e.net.WOut
	for j, ev := range ro.e {
		ro.d[j], ro.slp[j] = clipped(c*ev-invTauW*w[j], maxdw, smooth)
	}
	for q := range np {
		dw, de, dcq := ro.dw[q*n:(q+1)*n], ro.de[q*n:(q+1)*n], e.dc[q]
		for j, s := range ro.slp {
			du := dcq*ro.e[j] + c*de[j] - invTauW*dw[j]
			if q == logTauW {
				du += invTauW * w[j]
			}
			dw[j] += s * du
		}
	}
	for j, d := range ro.d {
		w[j] += d
	}
}
