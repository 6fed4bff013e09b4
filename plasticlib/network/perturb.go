package network

import (
	"math"
	"math/rand/v2"
)

// Perturbations are the exploratory perturbations of one trial, drawn
// ahead of it: at step t, unit Units[k] receives Values[k] for k in
// [Start[t], Start[t+1]). Reuse one value across trials: Sample
// allocates only when a trial has more events than any before.
type Perturbations struct {
	Start  []int
	Units  []int
	Values []float64
}

// At returns the units perturbed at step t and the perturbations.
func (p *Perturbations) At(t int) (units []int, values []float64) {
	a, b := p.Start[t], p.Start[t+1]
	return p.Units[a:b], p.Values[a:b]
}

// Count returns the number of perturbation events.
func (p *Perturbations) Count() int { return len(p.Units) }

// SamplePerturbations draws the perturbations of a trial of steps time
// steps into dst: each unit, at each step t > c.PerturbAfter, independently
// with probability c.PerturbProb, receives xi ~ Uniform(-A, A), A =
// c.PerturbAmp. Bias units are perturbed too, as in Miconi's code, which
// has no effect since they are clamped. The events are drawn by geometric
// skipping (one draw per event, not per unit and step), the same
// distribution as a Bernoulli draw per unit and step.
func (c Config) SamplePerturbations(dst *Perturbations, steps int, rng *rand.Rand) {
	n := c.N
	if cap(dst.Start) < steps+1 {
		dst.Start = make([]int, steps+1)
	}
	dst.Start = dst.Start[:steps+1]
	dst.Units = dst.Units[:0]
	dst.Values = dst.Values[:0]
	first := max(c.PerturbAfter+1, 0)
	p := c.PerturbProb
	total := steps * n
	pos := first * n // flattened index t*n + i
	if p <= 0 {
		pos = total
	}
	logq := math.Log1p(-p)
	next := func() int {
		if p >= 1 {
			return 0
		}
		// Number of failures before the next success: floor(log U / log(1-p)).
		g := math.Floor(math.Log(1-rng.Float64()) / logq)
		if g > float64(total) {
			return total
		}
		return int(g)
	}
	if pos < total {
		pos += next()
	}
	t := 0
	for pos < total {
		tt := pos / n
		for ; t <= tt; t++ {
			dst.Start[t] = len(dst.Units)
		}
		dst.Units = append(dst.Units, pos-tt*n)
		dst.Values = append(dst.Values, c.PerturbAmp*(2*rng.Float64()-1))
		pos += 1 + next()
	}
	for ; t <= steps; t++ {
		dst.Start[t] = len(dst.Units)
	}
}
