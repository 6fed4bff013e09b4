package optim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/optim"
)

func TestMethods(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    optim.Method
		g    []float64
		t    int
		want []float64
	}{
		{"sgd", optim.SGD{LR: 0.5}, []float64{2, -4}, 1, []float64{1, -2}},
		// Adam's first step is LR * sign(g) (bias-corrected moments, eps negligible).
		{"adam first step", &optim.Adam{LR: 0.1, M: make([]float64, 3), V: make([]float64, 3)}, []float64{3, -0.001, 50}, 1, []float64{0.1, -0.1, 0.1}},
		{"adam zero gradient", &optim.Adam{LR: 0.1, M: make([]float64, 1), V: make([]float64, 1)}, []float64{0}, 1, []float64{0}},
	} {
		dst := make([]float64, len(tc.g))
		tc.m.Step(dst, tc.g, tc.t)
		for q := range dst {
			if math.Abs(dst[q]-tc.want[q]) > 1e-6 {
				t.Errorf("%s: Step(%v) = %v; want %v", tc.name, tc.g, dst, tc.want)
				break
			}
		}
	}
}

// Adam ascends a concave quadratic to its maximum.
func TestAdamConverges(t *testing.T) {
	x := []float64{5, -3}
	a := &optim.Adam{LR: 0.1, M: make([]float64, 2), V: make([]float64, 2)}
	dst, g := make([]float64, 2), make([]float64, 2)
	for step := 1; step <= 2000; step++ {
		for q := range x {
			g[q] = -2 * (x[q] - 1) // f = -(x-1)^2
		}
		a.Step(dst, g, step)
		for q := range x {
			x[q] += dst[q]
		}
	}
	for q := range x {
		if math.Abs(x[q]-1) > 1e-2 {
			t.Errorf("x[%d] = %g after 2000 steps; want 1", q, x[q])
		}
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	a := &optim.Adam{LR: 0.1, M: make([]float64, 8), V: make([]float64, 8)}
	dst, g := make([]float64, 8), make([]float64, 8)
	if n := testing.AllocsPerRun(100, func() { a.Step(dst, g, 3) }); n != 0 {
		t.Errorf("Adam.Step allocates %v times", n)
	}
}

func TestPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"sgd lengths":  func() { optim.SGD{LR: 1}.Step(make([]float64, 2), make([]float64, 3), 1) },
		"adam moments": func() { (&optim.Adam{LR: 1}).Step(make([]float64, 2), make([]float64, 2), 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func ExampleAdam() {
	a := &optim.Adam{LR: 0.05, M: make([]float64, 2), V: make([]float64, 2)}
	step := make([]float64, 2)
	a.Step(step, []float64{0.3, -2}, 1)
	fmt.Printf("%.3f %.3f\n", step[0], step[1])
	// Output: 0.050 -0.050
}
