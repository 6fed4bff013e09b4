package meta

import (
	"runtime"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

// TestGradientMemoryFlat checks that an exact meta-gradient's allocations
// do not grow with the number of episodes beyond the per-episode error
// records (P + 1 floats an episode): NewEngine + Gradient over 5 and over
// 60 episodes of the gradient-check problem at N = 40 (so that the worker
// goroutine and the split products are used), P = 12, at Learn.Precision
// float64 and float32.
func TestGradientMemoryFlat(t *testing.T) {
	for _, prec := range []linalg.Precision{linalg.Float64, linalg.Float32} {
		t.Run(prec.String(), func(t *testing.T) { gradientMemoryFlat(t, prec) })
	}
}

func gradientMemoryFlat(t *testing.T, prec linalg.Precision) {
	alloc := func(episodes int) (uint64, int) {
		p := tiny(t, "dnms")
		p.Net.N = 40
		p.Learn.Episodes, p.Learn.Precision = episodes, prec
		p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		e, err := NewEngine(p)
		if err != nil {
			t.Fatal(err)
		}
		phi := e.Phi()
		if _, err := e.Gradient(phi, make([]float64, len(phi))); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&m1)
		return m1.TotalAlloc - m0.TotalAlloc, len(phi)
	}
	// The least of three runs: anything else the process allocates
	// meanwhile (other tests' leftover goroutines) only adds.
	least := func(episodes int) (uint64, int) {
		a, np := alloc(episodes)
		for range 2 {
			b, _ := alloc(episodes)
			a = min(a, b)
		}
		return a, np
	}
	a5, np := least(5)
	a60, _ := least(60)
	records := uint64(55 * (np + 1) * 8)
	t.Logf("allocated %d bytes over 5 episodes, %d over 60 (records of 55 episodes: %d bytes)", a5, a60, records)
	if a60 > a5+records+4096 {
		t.Errorf("allocations grow with the episodes: %d bytes over 5, %d over 60 (records %d)", a5, a60, records)
	}
}
