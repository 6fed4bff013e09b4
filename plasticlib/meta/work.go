package meta

import (
	"gonum.org/v1/gonum/blas"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// float is the element type of an engine's workspace: float64, or float32
// under Learn.Precision linalg.Float32.
type float interface{ float32 | float64 }

// workspace is the part of an Engine whose element type is the problem's
// precision: the primal pass and its record, the factor rows and the
// tangents through a trial (a *work[float64] or a *work[float32]).
type workspace interface {
	// begin takes a run's network (under float32, a float32 copy of it)
	// and clears the state tangents carried across trials.
	begin(net *network.Net)
	primalTrial(ep int, r rule.Rule, lambda, dLogLam float64, tangents bool) (float64, error)
	// basisSums forms the frozen engine's sum_ij de_ij,q of the trial
	// without de (see work.basisSums).
	basisSums()
	// deSum returns sum_ij de_ij,q of the last trial.
	deSum(q int) float64
}

// gemmFunc is linalg.Gemm (T float64) or linalg.Gemm32 (T float32).
type gemmFunc[T float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// work holds an Engine's buffers of element type T. Under float64 its elig
// and dj are the Engine's own (the master copies the update reads and
// writes); under float32 they are float32 copies: dj narrowed from the
// Engine's at the start of every trial's tangent pass, elig widened into
// the Engine's at the end of the eligibility's product.
type work[T float] struct {
	e    *Engine
	gemm gemmFunc[T]
	// pow sets dst[j] = src[j]^k (rule.PreTo under float64).
	pow func(dst, src []T, k int)
	// narrow and widen convert between the Engine's float64 dj, elig and
	// work's (nil under float64, where they are the same slices).
	narrow func(dst []T, src []float64)
	widen  func(dst []float64, src []T)
	// mk wraps a run's network into the stepper of precision T.
	mk  func(net *network.Net) stepper[T]
	net stepper[T]
	jd  []T // J as the trial's steps see it (fixed during the trial)
	// The trial's primal record, written by the primal pass and read by
	// the tangent passes.
	rp, rr    []T // steps x n: r_prev and r of each step
	dxs       []T // traced x n: dx of each traced step
	pre, post []T // rows x n (row k*traced + it)
	dpk       []T // rows x n: scale P_k'(dx)
	pkd       []T // rows x n: dscale P_k(dx) (if log tau_e is a meta-parameter)
	kpost     []T // (nk-1) traced x n: row (k-1)*traced + it is k post_k
	xl        []T // nl traced x n: row l*traced + it is scale dx^l
	// Tangents.
	dd, dr1      []T // traced x n x np: ddx_p and dr_prev,p of each traced step ([it][i][p])
	deT          []T // np x n x n: the V part of de_p, transposed
	wbuf         []T // per half: an ib x tc x n block of W_t or Q_t^T ([i][t][j])
	elig         []T // n x n
	de           []T // np x n x n
	dj           []T // np x n x n
	hv           []T // np x steps x n: block [lo,hi) is steps x (hi-lo) n, row t = dJ_p r_prev(t)
	xt, xbt, dxt []T // np x n
	rtA, rtB     []T // np x n: dr of the step and of the previous one (alternating)
	g            []T // np x n
	// The frozen engine's trace sums (basisSums): row sums of pre, xl and
	// pkd, and sum_ij de_ij,q per meta-parameter.
	preSum, xlSum, pkdSum, sums []float64
}

// newWork allocates the T buffers of e (its sizes set) and points e's
// parallel stages at them.
func newWork[T float](e *Engine, gemm gemmFunc[T], pow func(dst, src []T, k int), mk func(*network.Net) stepper[T]) *work[T] {
	n, np := e.n, e.np
	w := &work[T]{e: e, gemm: gemm, pow: pow, mk: mk}
	for _, s := range []*[]T{&w.pre, &w.post, &w.dpk} {
		*s = make([]T, e.rows*n)
	}
	w.kpost = make([]T, (e.nk-1)*e.traced*n)
	w.xl = make([]T, e.nl*e.traced*n)
	if e.logTauE {
		w.pkd = make([]T, e.rows*n)
	}
	w.rp = make([]T, e.steps*n)
	w.rr = make([]T, e.steps*n)
	w.dxs = make([]T, e.traced*n)
	w.dd = make([]T, e.traced*n*np)
	w.dr1 = make([]T, e.traced*n*np)
	w.deT = make([]T, np*n*n)
	w.wbuf = make([]T, 2*e.ib*e.tc*n)
	w.de = make([]T, np*n*n)
	w.hv = make([]T, np*e.steps*n)
	for _, s := range []*[]T{&w.xt, &w.xbt, &w.dxt, &w.rtA, &w.rtB, &w.g} {
		*s = make([]T, n*np)
	}
	w.preSum = make([]float64, e.rows)
	w.xlSum = make([]float64, e.nl*e.traced)
	w.pkdSum = make([]float64, e.rows)
	w.sums = make([]float64, np)
	e.tangentSpan = func(lo, hi int) { w.tangentRange(&e.ta, lo, hi) }
	e.updateSpan = w.updateRange
	e.eligFn = w.eligibility
	e.traceSpan = w.traceRows
	e.tposeSpan = w.addTransposed
	return w
}

// newWork64 is the float64 workspace: elig and dj are the Engine's, and
// e.de is its de.
func newWork64(e *Engine) *work[float64] {
	w := newWork(e, linalg.Gemm, rule.PreTo, func(net *network.Net) stepper[float64] { return net64{net} })
	w.elig, w.dj = e.elig, e.dj
	e.de = w.de
	return w
}

// newWork32 is the float32 workspace.
func newWork32(e *Engine) *work[float32] {
	pow := func(dst, src []float32, k int) {
		for j, v := range src {
			dst[j] = ipow(v, k)
		}
	}
	w := newWork(e, linalg.Gemm32, pow, func(net *network.Net) stepper[float32] { return net32{network.NewNet32(net)} })
	w.elig, w.dj = make([]float32, e.n*e.n), make([]float32, e.np*e.n*e.n)
	w.narrow, w.widen = linalg.Narrow, linalg.Widen
	return w
}

func (w *work[T]) begin(net *network.Net) {
	w.net = w.mk(net)
	w.jd = w.net.weights()
	clear(w.xbt)
}

func (w *work[T]) deSum(q int) float64 {
	if w.e.sumsOnly() {
		return w.sums[q]
	}
	nn := w.e.n * w.e.n
	s := 0.0
	for _, v := range w.de[q*nn : (q+1)*nn] {
		s += float64(v)
	}
	return s
}

// stepper is a run's network in precision T: network.Net, or a
// network.Net32 that loads the Net's weights and state at the start of a
// trial and stores the state back at its end.
type stepper[T float] interface {
	Step(u []float64, units []int, xi []float64)
	Finite() (ok bool, unit int)
	// rates returns r_prev, r and dx of the last step and the output z.
	rates() (rPrev, r, dx []T, z float64)
	// weights returns J (row-major, n x n).
	weights() []T
	begin()
	end()
}

type net64 struct{ *network.Net }

func (s net64) rates() (rPrev, r, dx []float64, z float64) { return s.RPrev, s.R, s.DX, s.Z }
func (s net64) weights() []float64                         { return s.J.RawMatrix().Data }
func (s net64) begin()                                     {}
func (s net64) end()                                       {}

type net32 struct{ *network.Net32 }

func (s net32) rates() (rPrev, r, dx []float32, z float64) {
	return s.RPrev, s.R, s.DX, float64(s.Z)
}
func (s net32) weights() []float32 { return s.J }
func (s net32) begin()             { s.LoadWeights(); s.LoadState() }
func (s net32) end()               { s.StoreState() }
