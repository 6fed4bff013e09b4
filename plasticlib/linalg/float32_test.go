package linalg_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

// TestMatVec32 compares MatVec32 with a float64 loop, to float32 rounding,
// on shapes that exercise the 16- and 8-lane steps, the tails and a stride.
func TestMatVec32(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, s := range [][3]int{{1, 1, 1}, {3, 5, 5}, {4, 8, 8}, {4, 16, 17}, {7, 13, 13}, {8, 24, 30}, {200, 200, 200}, {101, 100, 103}, {5, 0, 3}} {
		m, n, lda := s[0], s[1], s[2]
		a, x, y := make([]float32, m*lda), make([]float32, n), make([]float32, m)
		for i := range a {
			a[i] = float32(rng.NormFloat64())
		}
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		for i := range y {
			y[i] = float32(math.NaN())
		}
		linalg.MatVec32(y, a, lda, x, m, n)
		for i := range m {
			want, abs := 0.0, 0.0
			for j := range n {
				p := float64(a[i*lda+j]) * float64(x[j])
				want, abs = want+p, abs+math.Abs(p)
			}
			if d := math.Abs(float64(y[i]) - want); !(d <= 1e-6*abs+1e-30) {
				t.Errorf("MatVec32 %dx%d (lda %d): y[%d] = %v; want %v", m, n, lda, i, y[i], want)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MatVec32 with a short x did not panic")
		}
	}()
	linalg.MatVec32(make([]float32, 4), make([]float32, 16), 4, make([]float32, 3), 4, 4)
}

// TestTanh32: the float64 tanh rounded to float32, across a chunk boundary
// and in place.
func TestTanh32(t *testing.T) {
	src := make([]float32, 600)
	for i := range src {
		src[i] = float32(i-300) / 40
	}
	dst := make([]float32, len(src))
	linalg.Tanh32(dst, src)
	linalg.Tanh32(src[:300], src[:300])
	for i, v := range dst {
		x := float32(i-300) / 40
		want := float32(math.Tanh(float64(x)))
		if v != want || (i < 300 && src[i] != want) {
			t.Errorf("Tanh32(%v) = %v (in place %v); want %v", x, v, src[i], want)
		}
	}
	x, y := make([]float32, 200), make([]float32, 200)
	if n := testing.AllocsPerRun(10, func() { linalg.Tanh32(y, x); linalg.MatVec32(y, make([]float32, 0), 0, x, 0, 0) }); n != 0 {
		t.Errorf("Tanh32 allocates %v times; want 0", n)
	}
}

// TestGemm32 checks Gemm32 against Gemm on the same (float32) numbers, to
// float32 rounding, on a shape larger than one tile.
func TestGemm32(t *testing.T) {
	const m, n, k = 70, 200, 9
	a, b := make([]float32, k*m), make([]float32, k*n)
	a64, b64 := make([]float64, k*m), make([]float64, k*n)
	for i := range a {
		a[i] = float32(i%11) - 5
		a64[i] = float64(a[i])
	}
	for i := range b {
		b[i] = float32(i%7) - 3
		b64[i] = float64(b[i])
	}
	c, c64 := make([]float32, m*n), make([]float64, m*n)
	linalg.Gemm32(blas.Trans, blas.NoTrans, m, n, k, 1, a, m, b, n, 0, c, n)
	linalg.Gemm(blas.Trans, blas.NoTrans, m, n, k, 1, a64, m, b64, n, 0, c64, n)
	for i := range c {
		if float64(c[i]) != c64[i] { // small integers: exact in float32
			t.Fatalf("Gemm32: c[%d] = %v; Gemm gives %v", i, c[i], c64[i])
		}
	}
}

func TestPrecision(t *testing.T) {
	for _, c := range []struct {
		p     linalg.Precision
		name  string
		valid bool
	}{{linalg.Float64, "float64", true}, {linalg.Float32, "float32", true}, {7, "Precision(7)", false}} {
		if c.p.String() != c.name || c.p.Valid() != c.valid {
			t.Errorf("%d: String %q, Valid %v; want %q, %v", int(c.p), c.p.String(), c.p.Valid(), c.name, c.valid)
		}
	}
}

// BenchmarkMatVec32: the per-step product at N = 200 in float32 (compare
// BenchmarkMatVec).
func BenchmarkMatVec32(b *testing.B) {
	const n = 200
	a, x, y := make([]float32, n*n), make([]float32, n), make([]float32, n)
	for i := range a {
		a[i] = float32(i%7) * 0.01
	}
	for range b.N {
		linalg.MatVec32(y, a, n, x, n, n)
	}
}

func ExampleMatVec32() {
	a := []float32{1, 2, 3, 4, 5, 6} // 2 x 3
	y := make([]float32, 2)
	linalg.MatVec32(y, a, 3, []float32{1, 0, -1}, 2, 3)
	fmt.Println(y, linalg.Float32)
	// Output: [-2 -2] float32
}

// TestWidenNarrow: Go's conversions, on lengths that leave the kernels'
// tails, and a panic on a short dst.
func TestWidenNarrow(t *testing.T) {
	for _, n := range []int{0, 3, 4, 9, 203} {
		d := make([]float64, n)
		for i := range d {
			d[i] = float64(i)/3 - 7
		}
		f := make([]float32, n)
		linalg.Narrow(f, d)
		w := make([]float64, n)
		linalg.Widen(w, f)
		for i := range d {
			if f[i] != float32(d[i]) || w[i] != float64(f[i]) {
				t.Errorf("n = %d, [%d]: Narrow %v, Widen %v; want %v, %v", n, i, f[i], w[i], float32(d[i]), float64(f[i]))
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Widen with a short dst did not panic")
		}
	}()
	linalg.Widen(make([]float64, 2), make([]float32, 3))
}
