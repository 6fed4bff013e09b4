// Package optim holds the outer-loop optimisers of meta-learning as small
// types behind one interface, in the way gonum's optimize.Method is one
// interface for many methods: plasticlib/meta and plasticlib/evolve take
// their ascent steps through it.
//
// A Method writes the step for a gradient into a destination and keeps no
// state of its own beyond its fields, so that a caller that checkpoints a
// run (meta.History, evolve.History) owns and saves that state. Step
// allocates nothing. The package imports only the standard library.
package optim

import (
	"fmt"
	"math"
)

// Method computes ascent steps: Step writes into dst the step to add to
// the parameters for gradient g at the 1-based step count t. len(dst) must
// equal len(g); Step panics otherwise.
type Method interface {
	Step(dst, g []float64, t int)
}

// SGD is plain gradient ascent: dst = LR g.
type SGD struct {
	LR float64
}

// Step implements Method.
func (s SGD) Step(dst, g []float64, t int) {
	check(dst, g)
	for q, v := range g {
		dst[q] = s.LR * v
	}
}

// Adam is Kingma and Ba's method (bias-corrected first and second
// moments). M and V are its moment estimates, one per parameter; they are
// updated in place by Step and belong to the caller (a checkpoint saves
// them). Zero Beta1, Beta2 and Eps mean 0.9, 0.999 and 1e-8.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	M, V                  []float64
}

// Step implements Method.
func (a *Adam) Step(dst, g []float64, t int) {
	check(dst, g)
	if len(a.M) != len(g) || len(a.V) != len(g) {
		panic(fmt.Sprintf("optim: Adam has %d, %d moments for %d parameters", len(a.M), len(a.V), len(g)))
	}
	b1, b2, eps := a.Beta1, a.Beta2, a.Eps
	if b1 == 0 {
		b1 = 0.9
	}
	if b2 == 0 {
		b2 = 0.999
	}
	if eps == 0 {
		eps = 1e-8
	}
	c1, c2 := 1-math.Pow(b1, float64(t)), 1-math.Pow(b2, float64(t))
	for q, v := range g {
		a.M[q] = b1*a.M[q] + (1-b1)*v
		a.V[q] = b2*a.V[q] + (1-b2)*v*v
		dst[q] = a.LR * (a.M[q] / c1) / (math.Sqrt(a.V[q]/c2) + eps)
	}
}

func check(dst, g []float64) {
	if len(dst) != len(g) {
		panic(fmt.Sprintf("optim: len(dst) = %d, len(g) = %d", len(dst), len(g)))
	}
}
