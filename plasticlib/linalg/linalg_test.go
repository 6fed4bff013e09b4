package linalg_test

import (
	"fmt"
	"os"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

func TestBackend(t *testing.T) {
	switch b := linalg.Backend(); b {
	case "openblas", "gonum":
	default:
		t.Fatalf("Backend() = %q; want openblas or gonum", b)
	}
	if n := linalg.Threads(); n != 1 {
		t.Errorf("Threads() = %d; want 1", n)
	}
	if linalg.Core() == "" {
		t.Error("Core() is empty")
	}
	// Prescott (SSE3) kernels on a CPU with AVX and FMA3 (what MatVec's
	// kernel needs) mean the re-selection in init did not take effect.
	if _, set := os.LookupEnv("OPENBLAS_CORETYPE"); !set && linalg.Core() == "Prescott" && linalg.MatVecKernel() != "gonum" {
		t.Errorf("OpenBLAS runs its Prescott kernels on a CPU with the %s kernel (detected %s)", linalg.MatVecKernel(), linalg.CoreDetected())
	}
	t.Logf("backend %s, core %s (detected %s)", linalg.Backend(), linalg.Core(), linalg.CoreDetected())
}

// TestDgemm checks that whichever backend is registered computes a product
// correctly (a transposed operand included, as plasticlib uses them).
func TestDgemm(t *testing.T) {
	// a is 3x2, b is 3x2: c = a^T b is 2x2.
	a := blas64.General{Rows: 3, Cols: 2, Stride: 2, Data: []float64{1, 2, 3, 4, 5, 6}}
	b := blas64.General{Rows: 3, Cols: 2, Stride: 2, Data: []float64{1, 0, 0, 1, 1, 1}}
	c := blas64.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 4)}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, a, b, 0, c)
	want := []float64{1 + 5, 3 + 5, 2 + 6, 4 + 6}
	for i := range want {
		if c.Data[i] != want[i] {
			t.Fatalf("a^T b = %v; want %v (backend %s)", c.Data, want, linalg.Backend())
		}
	}
}

func ExampleBackend() {
	b := linalg.Backend()
	fmt.Println(b == "openblas" || b == "gonum")
	// Output: true
}

// TestGemm checks linalg.Gemm, tiled on gonum's backend, against a plain
// triple loop on a shape larger than one tile, with both operands
// transposed or not.
func TestGemm(t *testing.T) {
	const m, n, k = 70, 200, 5
	a := make([]float64, m*k)
	b := make([]float64, k*n)
	for i := range a {
		a[i] = float64(i%11) - 5
	}
	for i := range b {
		b[i] = float64(i%7) - 3
	}
	for _, tr := range [][2]blas.Transpose{{blas.NoTrans, blas.NoTrans}, {blas.Trans, blas.NoTrans}, {blas.NoTrans, blas.Trans}} {
		lda, ldb := k, n
		at := func(i, l int) float64 { return a[i*k+l] }
		bt := func(l, j int) float64 { return b[l*n+j] }
		if tr[0] == blas.Trans { // a holds A^T, k x m
			lda = m
			at = func(i, l int) float64 { return a[l*m+i] }
		}
		if tr[1] == blas.Trans { // b holds B^T, n x k
			ldb = k
			bt = func(l, j int) float64 { return b[j*k+l] }
		}
		c := make([]float64, m*n)
		for i := range c {
			c[i] = 1
		}
		linalg.Gemm(tr[0], tr[1], m, n, k, 2, a, lda, b, ldb, 0.5, c, n)
		for i := range m {
			for j := range n {
				want := 0.5
				for l := range k {
					want += 2 * at(i, l) * bt(l, j)
				}
				if c[i*n+j] != want {
					t.Fatalf("Gemm(%c, %c): c[%d][%d] = %v; want %v", tr[0], tr[1], i, j, c[i*n+j], want)
				}
			}
		}
	}
}
