package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// Gemm is blas64's Dgemm, C = alpha op(A) op(B) + beta C on row-major
// slices (C mutated; A, B read; C must not alias them), through the
// registered backend, allocating nothing. On gonum's pure-Go backend it
// calls Dgemm on tiles of C of at most 64 x 192, which gonum computes
// serially: on larger ones gonum's Dgemm starts goroutines and allocates at
// every call (measured 112k allocations per meta-gradient episode at
// N = 200, P = 16 before the tiling). The tiling does not change the
// summation order of an element of C.
func Gemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	impl := blas64.Implementation()
	if !pureGo {
		impl.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmTiled(impl.Dgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Gemm32 is Gemm in float32: blas32's Sgemm through the registered
// backend (OpenBLAS's sgemm, or gonum's tiled as in Gemm).
func Gemm32(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	impl := blas32.Implementation()
	if !pureGo {
		impl.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmTiled(impl.Sgemm, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmTiled calls gemm on tiles of C of at most 64 x 192.
func gemmTiled[T float32 | float64](gemm func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int),
	tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	const mb, nb = 64, 192
	for i0 := 0; i0 < m; i0 += mb {
		ao := i0 * lda
		if tA == blas.Trans {
			ao = i0
		}
		for j0 := 0; j0 < n; j0 += nb {
			bo := j0
			if tB == blas.Trans {
				bo = j0 * ldb
			}
			gemm(tA, tB, min(mb, m-i0), min(nb, n-j0), k, alpha, a[ao:], lda, b[bo:], ldb, beta, c[i0*ldc+j0:], ldc)
		}
	}
}

// pureGo reports whether blas64 runs on gonum's pure-Go BLAS.
var pureGo = Backend() == "gonum"
