package linalg

import (
	"math"

	"github.com/plasticnb/plasticnb/plasticlib/linalg/internal/fma"
)

// Tanh sets dst[i] = math.Tanh(src[i]) for every i < len(src), bit for
// bit, and panics if dst is shorter than src; dst may be src (not another
// overlap). It allocates nothing. On amd64 CPUs with AVX-512F, or AVX and
// FMA3 (where math.Exp takes its FMA path), an assembly kernel computes 8
// or 4 elements at a time by math.Tanh's own operations in the same order
// (6.6x faster than a loop of math.Tanh at N = 200 on an AVX-512 Xeon,
// BenchmarkTanh); the remaining elements, and other CPUs, go through
// math.Tanh.
//
// Bit-identity holds for the standard library built without FMA
// contraction (GOAMD64 v1 or v2, the default); TestTanh checks it.
func Tanh(dst, src []float64) {
	if len(dst) < len(src) {
		panic("linalg.Tanh: dst shorter than src")
	}
	for i := fma.Tanh(dst, src); i < len(src); i++ {
		dst[i] = math.Tanh(src[i])
	}
}
