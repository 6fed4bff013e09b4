package evolve

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

// Scales returns s[k][l] for the (K+1) x (L+1) basis of start: the
// root-mean-square end-of-trial trace of the reference term (refK, refL)
// divided by that of term r^k dx^l, measured over the first trials (one
// of each type, before any weight change) of a run of start's network at
// s's setting with the given seed. A term whose trace is zero gets scale 1.
func Scales(ctx context.Context, s setting.Setting, k, l, refK, refL int, seed uint64) ([][]float64, error) {
	if refK > k || refL > l || refK < 0 || refL < 0 {
		return nil, fmt.Errorf("evolve.Scales: reference term (%d, %d) outside the %d x %d basis", refK, refL, k+1, l+1)
	}
	tk, err := s.Task()
	if err != nil {
		return nil, err
	}
	nc, lc := s.Net, s.Learn
	nc.Seed, lc.Seed = seed, seed
	types := tk.NumTypes()
	lc.Episodes, lc.WarmUp, lc.Stop, lc.Progress = types, types+1, nil, nil
	rng := rand.New(rand.NewPCG(seed, 0x7363616c)) // "scal"
	syn := make([][2]int, 256)
	for q := range syn {
		syn[q] = [2]int{rng.IntN(nc.N), rng.IntN(nc.N)}
	}
	lc.Record = learn.Record{Traces: make([]int, types), Synapses: syn}
	for e := range lc.Record.Traces {
		lc.Record.Traces[e] = e
	}
	rms := make([][]float64, k+1)
	for a := range rms {
		rms[a] = make([]float64, l+1)
		for b := range rms[a] {
			r, err := rule.Zero(k, l)
			if err != nil {
				return nil, err
			}
			r.Theta[a][b] = 1
			h, err := learn.Run(ctx, nc, tk, r, lc)
			if err != nil {
				return nil, err
			}
			sum, n := 0.0, 0
			for _, tr := range h.Traces {
				last := tr.Values.RawRowView(tr.Values.RawMatrix().Rows - 1)
				for _, v := range last {
					sum += v * v
					n++
				}
			}
			rms[a][b] = math.Sqrt(sum / float64(n))
		}
	}
	ref := rms[refK][refL]
	out := make([][]float64, k+1)
	for a := range out {
		out[a] = make([]float64, l+1)
		for b := range out[a] {
			out[a][b] = 1
			if v := rms[a][b]; v > 0 && ref > 0 && !math.IsInf(v, 0) {
				out[a][b] = ref / v
			}
		}
	}
	return out, nil
}
