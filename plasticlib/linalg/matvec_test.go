package linalg_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

// TestMatVec compares MatVec with a plain loop on shapes that exercise the
// kernel's 8- and 4-column steps, the column and row tails, and a stride.
func TestMatVec(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range [][3]int{{1, 1, 1}, {3, 5, 5}, {4, 4, 4}, {4, 8, 9}, {7, 13, 13}, {8, 12, 20}, {200, 200, 200}, {101, 100, 103}, {5, 0, 3}} {
		m, n, lda := s[0], s[1], s[2]
		a := make([]float64, m*lda)
		x := make([]float64, n)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		y := make([]float64, m)
		for i := range y {
			y[i] = math.NaN() // MatVec must overwrite
		}
		linalg.MatVec(y, a, lda, x, m, n)
		for i := range m {
			want, abs := 0.0, 0.0
			for j := range n {
				want += a[i*lda+j] * x[j]
				abs += math.Abs(a[i*lda+j] * x[j])
			}
			if d := math.Abs(y[i] - want); !(d <= 1e-14*abs+1e-300) {
				t.Errorf("MatVec %dx%d (lda %d): y[%d] = %v; want %v", m, n, lda, i, y[i], want)
			}
		}
	}
}

func TestMatVecKernel(t *testing.T) {
	switch k := linalg.MatVecKernel(); k {
	case "avx512", "fma", "gonum":
		t.Logf("MatVec kernel: %s", k)
	default:
		t.Errorf("MatVecKernel() = %q; want avx512, fma or gonum", k)
	}
}

func TestMatVecPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MatVec with a short x did not panic")
		}
	}()
	linalg.MatVec(make([]float64, 4), make([]float64, 16), 4, make([]float64, 3), 4, 4)
}

func TestMatVecAllocs(t *testing.T) {
	a, x, y := make([]float64, 200*200), make([]float64, 200), make([]float64, 200)
	if n := testing.AllocsPerRun(10, func() { linalg.MatVec(y, a, 200, x, 200, 200) }); n != 0 {
		t.Errorf("MatVec allocates %v times; want 0", n)
	}
}

// BenchmarkMatVec: the per-step product at N = 200 through MatVec and
// through gonum's Dgemv, in the same run.
func BenchmarkMatVec(b *testing.B) {
	for _, n := range []int{100, 200} {
		a, x, y := make([]float64, n*n), make([]float64, n), make([]float64, n)
		for i := range a {
			a[i] = float64(i%7) * 0.01
		}
		for i := range x {
			x[i] = 0.1
		}
		b.Run(fmt.Sprintf("MatVec/N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				linalg.MatVec(y, a, n, x, n, n)
			}
		})
		b.Run(fmt.Sprintf("gonumDgemv/N=%d", n), func(b *testing.B) {
			for range b.N {
				gonum.Implementation{}.Dgemv(blas.NoTrans, n, n, 1, a, n, x, 1, 0, y, 1)
			}
		})
	}
}

func ExampleMatVec() {
	a := []float64{1, 2, 3, 4, 5, 6} // 2 x 3
	y := make([]float64, 2)
	linalg.MatVec(y, a, 3, []float64{1, 0, -1}, 2, 3)
	fmt.Println(y)
	// Output: [-2 -2]
}
