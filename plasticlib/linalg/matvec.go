package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/plasticnb/plasticnb/plasticlib/linalg/internal/fma"
)

// MatVec sets y = A x for the m x n row-major matrix A (row stride lda,
// len(a) >= (m-1) lda + n), len(x) >= n, len(y) >= m; y must not alias a or
// x. It panics on short slices. It allocates nothing and makes no cgo call:
// it is the per-step product of a network, run by many goroutines side by
// side.
//
// On amd64 CPUs it runs an assembly kernel, four rows at a time: with
// AVX-512F two 8-wide accumulators per row over columns 16c..16c+15, with
// AVX and FMA3 two 4-wide ones over 8c..8c+7; the remaining columns and
// m mod 4 rows in Go. At N = 200 on an AVX-512 Xeon: 2.6 us (AVX-512),
// 3.0 us (FMA3), against 3.9-4.2 us for gonum's Dgemv, which it uses on
// other CPUs (MatVecKernel tells which runs). Its order of summation is
// fixed for a given kernel, so a run is reproducible on one machine; it
// differs between kernels (results agree to rounding).
func MatVec(y, a []float64, lda int, x []float64, m, n int) {
	if m == 0 || n == 0 {
		clear(y[:m])
		return
	}
	if lda < n || len(a) < (m-1)*lda+n || len(x) < n || len(y) < m {
		panic("linalg.MatVec: short slice or bad stride")
	}
	if !fma.MatVec4(y, a, lda, x, m, n) {
		gonum.Implementation{}.Dgemv(blas.NoTrans, m, n, 1, a, lda, x, 1, 0, y, 1)
		return
	}
	matVecTails(y, a, lda, x, m, n, n&^3)
}

// matVecTails completes y = A x after a kernel that did rows [0, m&^3)
// over columns [0, nk): it adds the remaining columns of those rows and
// computes the remaining m mod 4 rows.
func matVecTails[T float32 | float64](y, a []T, lda int, x []T, m, n, nk int) {
	m4 := m &^ 3
	x = x[:n]
	for i := range m4 * min(n-nk, 1) { // none when the kernel did all columns
		row := a[i*lda+nk : i*lda+n]
		s := y[i]
		for j, v := range row {
			s += v * x[nk+j]
		}
		y[i] = s
	}
	for i := m4; i < m; i++ {
		row := a[i*lda : i*lda+n]
		var s T
		for j, v := range row {
			s += v * x[j]
		}
		y[i] = s
	}
}

// MatVecKernel names the kernel MatVec runs on this CPU: "avx512", "fma"
// or "gonum" (gonum's Dgemv).
func MatVecKernel() string {
	if k := fma.Kernel(); k != "" {
		return k
	}
	return "gonum"
}
