package linalg_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

// TestTanh: linalg.Tanh equals math.Tanh bit for bit on lengths that leave
// every tail of the 8- and 4-wide kernels, in place or not.
func TestTanh(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 3, 4, 7, 8, 9, 15, 200, 203} {
		src := make([]float64, n)
		for i := range src {
			src[i] = 3 * rng.NormFloat64()
		}
		if n > 2 {
			src[0], src[1], src[2] = math.Copysign(0, -1), math.NaN(), 0.625
		}
		dst := make([]float64, n)
		linalg.Tanh(dst, src)
		same := append([]float64(nil), src...)
		linalg.Tanh(same, same)
		for i, x := range src {
			want := math.Float64bits(math.Tanh(x))
			for _, g := range []float64{dst[i], same[i]} {
				if math.Float64bits(g) != want && !(math.IsNaN(g) && math.IsNaN(x)) {
					t.Errorf("n = %d: Tanh(%v) = %v; math.Tanh gives %v", n, x, g, math.Tanh(x))
				}
			}
		}
	}
}

func TestTanhPanicsAndAllocs(t *testing.T) {
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Tanh with a short dst did not panic")
			}
		}()
		linalg.Tanh(make([]float64, 3), make([]float64, 4))
	}()
	x, y := make([]float64, 200), make([]float64, 200)
	if n := testing.AllocsPerRun(10, func() { linalg.Tanh(y, x) }); n != 0 {
		t.Errorf("Tanh allocates %v times; want 0", n)
	}
}

// BenchmarkTanh: N = 200 tanh through linalg.Tanh and through a loop of
// math.Tanh, in the same run.
func BenchmarkTanh(b *testing.B) {
	x, y := make([]float64, 200), make([]float64, 200)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	b.Run("linalg", func(b *testing.B) {
		for range b.N {
			linalg.Tanh(y, x)
		}
	})
	b.Run("math", func(b *testing.B) {
		for range b.N {
			for i, v := range x {
				y[i] = math.Tanh(v)
			}
		}
	})
}

func ExampleTanh() {
	x := []float64{0, 0.5, 1, 2, 30}
	y := make([]float64, len(x))
	linalg.Tanh(y, x)
	for i, v := range y {
		fmt.Println(v == math.Tanh(x[i]))
	}
	// Output:
	// true
	// true
	// true
	// true
	// true
}
