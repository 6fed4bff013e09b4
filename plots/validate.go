package plots

import (
	"fmt"
	"math"
	"reflect"

	"gonum.org/v1/gonum/mat"
)

// The checks below name the offending input in their errors, with an index
// where it helps ("theta[2][3] is NaN", "fd has 3 values; want 4, as tangent").

// checkValues reports an empty xs or a non-finite value in it.
func checkValues(fn, name string, xs []float64) error {
	if len(xs) == 0 {
		return fmt.Errorf("plots: %s: %s is empty", fn, name)
	}
	return checkFinite(fn, name, xs)
}

// checkFinite reports a NaN or infinite value in xs (which may be empty).
func checkFinite(fn, name string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("plots: %s: %s[%d] is %v; want a finite number", fn, name, i, x)
		}
	}
	return nil
}

// checkSameLen reports len(xs) != want.
func checkSameLen(fn, name string, got int, other string, want int) error {
	if got != want {
		return fmt.Errorf("plots: %s: %s has %d values; want %d, as %s", fn, name, got, want, other)
	}
	return nil
}

// checkMatrix reports a nil or empty matrix or a non-finite element.
func checkMatrix(fn, name string, m mat.Matrix) error {
	if m == nil {
		return fmt.Errorf("plots: %s: %s is nil", fn, name)
	}
	if v := reflect.ValueOf(m); v.Kind() == reflect.Pointer && v.IsNil() { // a nil *mat.Dense
		return fmt.Errorf("plots: %s: %s is nil", fn, name)
	}
	if d, ok := m.(interface{ IsEmpty() bool }); ok && d.IsEmpty() {
		return fmt.Errorf("plots: %s: %s is empty", fn, name)
	}
	r, c := m.Dims()
	if r == 0 || c == 0 {
		return fmt.Errorf("plots: %s: %s is empty (%d x %d)", fn, name, r, c)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("plots: %s: %s[%d][%d] is %v; want a finite number", fn, name, i, j, v)
			}
		}
	}
	return nil
}
