package linalg

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/plasticnb/plasticnb/plasticlib/linalg/internal/fma"
)

// Precision is the floating-point type a computation's primal runs in:
// Float64 (the zero value, the default everywhere) or Float32, an option
// for speed (half the memory traffic of the per-step product, twice the
// lanes of the trace products) at the cost of ~1e-7 relative rounding.
// Packages that offer it say what runs in float32; results that reproduce
// a reference to many digits stay Float64.
type Precision int

const (
	// Float64 computes in float64 (the default).
	Float64 Precision = iota
	// Float32 computes in float32.
	Float32
)

// String returns "float64" or "float32".
func (p Precision) String() string {
	switch p {
	case Float64:
		return "float64"
	case Float32:
		return "float32"
	}
	return fmt.Sprintf("Precision(%d)", int(p))
}

// Valid reports whether p is Float64 or Float32.
func (p Precision) Valid() bool { return p == Float64 || p == Float32 }

// MatVec32 is MatVec in float32: y = A x for the m x n row-major A (row
// stride lda), y not aliasing a or x, panicking on short slices,
// allocating nothing. On amd64 CPUs with AVX-512F, or AVX and FMA3, it
// runs the float32 versions of MatVec's kernels (16 or 8 lanes, four rows
// at a time, a fixed order of summation); elsewhere gonum's Sgemv.
func MatVec32(y, a []float32, lda int, x []float32, m, n int) {
	if m == 0 || n == 0 {
		clear(y[:m])
		return
	}
	if lda < n || len(a) < (m-1)*lda+n || len(x) < n || len(y) < m {
		panic("linalg.MatVec32: short slice or bad stride")
	}
	if !fma.MatVec4F32(y, a, lda, x, m, n) {
		gonum.Implementation{}.Sgemv(blas.NoTrans, m, n, 1, a, lda, x, 1, 0, y, 1)
		return
	}
	matVecTails(y, a, lda, x, m, n, n&^7)
}

// Widen sets dst[i] = float64(src[i]) for i < len(src), on the assembly
// kernels' CPUs 8 or 4 at a time; it panics if dst is shorter than src.
func Widen(dst []float64, src []float32) {
	if len(dst) < len(src) {
		panic("linalg.Widen: dst shorter than src")
	}
	for i := fma.Widen(dst, src); i < len(src); i++ {
		dst[i] = float64(src[i])
	}
}

// Narrow sets dst[i] = float32(src[i]) (rounded to nearest, as Go's
// conversion) for i < len(src), as Widen.
func Narrow(dst []float32, src []float64) {
	if len(dst) < len(src) {
		panic("linalg.Narrow: dst shorter than src")
	}
	for i := fma.Narrow(dst, src); i < len(src); i++ {
		dst[i] = float32(src[i])
	}
}

// Tanh32 sets dst[i] = float32(math.Tanh(float64(src[i]))) for every
// i < len(src) (the correctly rounded tanh but for double rounding), through
// Tanh in chunks, allocating nothing; it panics if dst is shorter than src.
// dst may be src.
func Tanh32(dst, src []float32) {
	if len(dst) < len(src) {
		panic("linalg.Tanh32: dst shorter than src")
	}
	var buf [256]float64
	for i0 := 0; i0 < len(src); i0 += len(buf) {
		s := src[i0:min(i0+len(buf), len(src))]
		b := buf[:len(s)]
		Widen(b, s)
		Tanh(b, b)
		Narrow(dst[i0:], b)
	}
}
