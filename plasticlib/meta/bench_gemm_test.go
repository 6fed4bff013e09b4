package meta

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

// BenchmarkGemmRate measures the Dgemm rate (GFLOPS) of the registered
// BLAS (linalg.Backend()) and of gonum's pure-Go Dgemm on the shapes of a
// trial's trace products at P = 16 (C = A^T B, A: k x m, B: k x n): the
// primal's N x rows x N and the stacked tangents' (P+1) N x rows x N and
// N x rows' x P N, at N = 100 and 200 (rows = 4 x 197, rows' = 3 x 197).
func BenchmarkGemmRate(b *testing.B) {
	const p = 16
	for _, n := range []int{100, 200} {
		rows, rows1 := 4*197, 3*197
		for _, s := range [][3]int{{n, rows, n}, {(p + 1) * n, rows, n}, {n, rows1, p * n}} {
			m, k, nc := s[0], s[1], s[2]
			a := make([]float64, k*m)
			bb := make([]float64, k*nc)
			c := make([]float64, m*nc)
			for i := range a {
				a[i] = float64(i%7) - 3
			}
			for i := range bb {
				bb[i] = float64(i%5) - 2
			}
			for _, impl := range []struct {
				name string
				f    blas.Float64Level3
			}{{linalg.Backend(), blas64.Implementation()}, {"gonum", gonum.Implementation{}}} {
				b.Run(fmt.Sprintf("%s/%dx%dx%d", impl.name, m, k, nc), func(b *testing.B) {
					for range b.N {
						impl.f.Dgemm(blas.Trans, blas.NoTrans, m, nc, k, 1, a, m, bb, nc, 0, c, nc)
					}
					b.ReportMetric(2*float64(m*nc*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
				})
			}
		}
	}
}
