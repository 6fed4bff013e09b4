package linalg_test

import (
	"fmt"
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
	t.Logf("backend %s, core %s", linalg.Backend(), linalg.Core())
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
