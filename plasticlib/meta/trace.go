package meta

import (
	"gonum.org/v1/gonum/blas"
)

// traceBlock is the number of traced steps whose factor matrices W_t, Q_t
// are formed at once (see traceRows): 16 to 64 measured best at N = 100,
// all 197 steps 10% slower.
const traceBlock = 32

// rowBlock is the size (in float64s) of a block of W_t or Q_t^T rows
// formed at once, ib x traceBlock x N: 512 KB, so that it stays in a
// core's 1 MB L2 cache between its formation and its contraction.
const rowBlock = 1 << 16

// eligibility forms the trial's eligibility e = Post^T Pre, one product
// per run of consecutive pre-synaptic powers k in eligK (the others'
// post_k rows are zero in every trial): theta_33 alone in a K = 5 family
// costs one sixth of the full product. Under float32 it is formed in
// float32 and widened into the Engine's.
func (w *work[T]) eligibility() {
	e := w.e
	n, tr := e.n, e.traced
	beta := T(0)
	ks := e.eligK
	for len(ks) > 0 && tr > 0 {
		// One product per run of consecutive powers k0..k1-1 (the whole
		// Post^T Pre when every row can be non-zero).
		k0, k1 := ks[0], ks[0]+1
		for ks = ks[1:]; len(ks) > 0 && ks[0] == k1; ks = ks[1:] {
			k1++
		}
		w.gemm(blas.Trans, blas.NoTrans, n, n, (k1-k0)*tr, 1, w.post[k0*tr*n:], n, w.pre[k0*tr*n:], n, beta, w.elig, n)
		beta = 1
	}
	if beta == 0 {
		clear(w.elig)
	}
	if w.widen != nil {
		w.widen(e.elig, w.elig)
	}
}

// traceRows forms rows [lo, hi) of the trace tangents of all
// meta-parameters: de_p = sum_t ddx_p(t) . W_t + basis_p + sum_t dr_prev,p(t) . Q_t,
// with W_t = sum_k scale P_k'(dx) (r_prev^k)^T and Q_t = sum_k k post_k
// (r_prev^(k-1))^T the step's factor matrices, shared by all P, and
// . scaling rows (W) or columns (Q). Rows [lo, hi) of de get the basis, log
// tau_e and W parts; rows [lo, hi) of deT, the transposed Q part (added to de
// by addTransposed). W_t and Q_t^T are formed for blocks of tc steps by
// rank-K products, then contracted over the steps by one product per row:
// 2 P N^2 T flops per part, against 2 P N^2 T (K+1) for U_p^T Pre.
func (w *work[T]) traceRows(lo, hi int) {
	e := w.e
	n, np, nt, tr, nk := e.n, e.np, hi-lo, e.traced, e.nk
	nn := n * n
	for q := range np {
		clear(w.de[q*nn+lo*n : q*nn+hi*n])
		clear(w.deT[q*nn+lo*n : q*nn+hi*n])
	}
	if tr == 0 || nt == 0 {
		return
	}
	for q, pr := range e.params {
		switch pr.kind {
		case kindTheta:
			w.gemm(blas.Trans, blas.NoTrans, nt, n, tr, 1, w.xl[pr.l*tr*n+lo:], n, w.pre[pr.k*tr*n:], n, 1, w.de[q*nn+lo*n:], n)
		case kindLogTauE:
			w.gemm(blas.Trans, blas.NoTrans, nt, n, e.rows, 1, w.pkd[lo:], n, w.pre, n, 1, w.de[q*nn+lo*n:], n)
		}
	}
	if e.frozen {
		return
	}
	tc, ib := e.tc, e.ib
	off := 0
	if lo > 0 {
		off = ib * tc * n
	}
	wb := w.wbuf[off : off+ib*tc*n]
	for t0 := 0; t0 < tr; t0 += tc {
		t1 := min(t0+tc, tr)
		m := t1 - t0
		for i0 := lo; i0 < hi; i0 += ib {
			i1 := min(i0+ib, hi)
			nb := i1 - i0
			for it := t0; it < t1; it++ {
				w.gemm(blas.Trans, blas.NoTrans, nb, n, nk, 1, w.dpk[it*n+i0:], tr*n, w.pre[it*n:], tr*n, 0, wb[(it-t0)*n:], tc*n)
			}
			for i := i0; i < i1; i++ {
				w.gemm(blas.Trans, blas.NoTrans, np, n, m, 1, w.dd[(t0*n+i)*np:], n*np, wb[(i-i0)*tc*n:], n, 1, w.de[i*n:], nn)
			}
			if nk == 1 {
				continue
			}
			for it := t0; it < t1; it++ {
				w.gemm(blas.Trans, blas.NoTrans, nb, n, nk-1, 1, w.pre[it*n+i0:], tr*n, w.kpost[it*n:], tr*n, 0, wb[(it-t0)*n:], tc*n)
			}
			for i := i0; i < i1; i++ {
				w.gemm(blas.Trans, blas.NoTrans, np, n, m, 1, w.dr1[(t0*n+i)*np:], n*np, wb[(i-i0)*tc*n:], n, 1, w.deT[i*n:], nn)
			}
		}
	}
}

// basisSums sets sums[q] to sum_ij de_ij,q for the frozen engine, whose
// trace tangent of theta_kl is the basis trace alone,
// de_ij = sum_t scale_t dx_i(t)^l r_prev,j(t)^k (traceRows' first product),
// without forming it: the sum factorises into
// sum_t (sum_i scale_t dx_i(t)^l) (sum_j r_prev,j(t)^k), and log tau_e's
// likewise over the rows of pkd and pre. O(T N) flops instead of
// O(T N^2) per meta-parameter; the sums are float64 under float32 too.
func (w *work[T]) basisSums() {
	e := w.e
	n, tr := e.n, e.traced
	rowSums := func(dst []float64, src []T) {
		for r := range dst {
			s := 0.0
			for _, v := range src[r*n : (r+1)*n] {
				s += float64(v)
			}
			dst[r] = s
		}
	}
	rowSums(w.preSum, w.pre)
	rowSums(w.xlSum, w.xl)
	if e.logTauE {
		rowSums(w.pkdSum, w.pkd)
	}
	for q, pr := range e.params {
		s := 0.0
		switch pr.kind {
		case kindTheta:
			xs, ps := w.xlSum[pr.l*tr:(pr.l+1)*tr], w.preSum[pr.k*tr:(pr.k+1)*tr]
			for it, x := range xs {
				s += x * ps[it]
			}
		case kindLogTauE:
			for r, x := range w.pkdSum {
				s += x * w.preSum[r]
			}
		}
		w.sums[q] = s
	}
}

// addTransposed adds deT_p^T to de_p for meta-parameters [lo, hi), in
// 32 x 32 blocks.
func (w *work[T]) addTransposed(lo, hi int) {
	e := w.e
	n := e.n
	nn := n * n
	const bs = 32
	for q := lo; q < hi; q++ {
		d, t := w.de[q*nn:(q+1)*nn], w.deT[q*nn:(q+1)*nn]
		for i0 := 0; i0 < n; i0 += bs {
			for j0 := 0; j0 < n; j0 += bs {
				for i := i0; i < min(i0+bs, n); i++ {
					row := d[i*n : i*n+n]
					for j := j0; j < min(j0+bs, n); j++ {
						row[j] += t[j*n+i]
					}
				}
			}
		}
	}
}
