package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// runProbe prints meta.ProbeGradient's check of cfg's first gradient:
// the gradient, its step direction, each training seed's objective and
// the estimator's slope along the direction; then, one line per step
// length as it completes, each training seed's central difference and the
// held-out seeds' mean objective at phi - eps, phi, phi + eps.
//
// With out set, the probe (meta.Probe: every seed's objectives) is saved
// there as JSON after the gradients and after each step length, so that
// an interrupted probe keeps what it had.
func runProbe(ctx context.Context, w io.Writer, cfg meta.Config, steps, dir, startName, out string) error {
	var pc meta.ProbeConfig
	var err error
	if pc.Steps, err = floats(steps); err != nil {
		return fmt.Errorf("-probe: %w", err)
	}
	if dir != "" {
		if pc.Direction, err = floats(dir); err != nil {
			return fmt.Errorf("-probe-direction: %w", err)
		}
	}
	began := time.Now()
	p := cfg.Problem
	fmt.Fprintf(w, "probe of the %s gradient (horizon %d, objective %s) at %s, %d training seeds, %d held-out\n",
		cfg.Estimator.Method, p.Horizon, p.Objective, startName, cfg.Seeds, len(cfg.EvalSeeds))
	var held0 float64
	var probe *meta.Probe
	var saveErr error
	save := func() {
		if out != "" && saveErr == nil {
			saveErr = store.SaveCheckpoint(out, probe)
		}
	}
	pc.Ready = func(pr *meta.Probe) {
		probe = pr
		defer save()
		held0 = meanOf(pr.HeldOut)
		// The seeds' plain mean, as metatrain's iteration lines print it
		// (pr.Grad is the step's: under -seed-normalize, of unit seeds).
		mean := make([]float64, len(pr.Phi))
		for _, g := range pr.SeedGrads {
			for q, v := range g {
				mean[q] += v / float64(len(pr.SeedGrads))
			}
		}
		fmt.Fprintf(w, "  at%s\n", phiText(pr.Names, pr.Phi, mean))
		fmt.Fprintf(w, "  direction (scaled) %s\n", joinFloats(pr.Direction))
		fmt.Fprintf(w, "  training objectives")
		for _, v := range pr.Train {
			fmt.Fprintf(w, " %.6f", v)
		}
		fmt.Fprintf(w, "; the estimator's slopes along the direction")
		for _, v := range pr.Slope {
			fmt.Fprintf(w, " %+.4g", v)
		}
		fmt.Fprintf(w, " (mean %+.4g)", pr.MeanSlope())
		if len(pr.HeldOut) > 0 {
			fmt.Fprintf(w, "; held-out objective %.6f", held0)
		}
		fmt.Fprintf(w, "  [%.0f s]\n", time.Since(began).Seconds())
	}
	pc.Done = func(st meta.ProbeStep) {
		fmt.Fprintf(w, "eps %g: training central differences", st.Eps)
		for b := range st.TrainPlus {
			fmt.Fprintf(w, " %+.4g", (st.TrainPlus[b]-st.TrainMinus[b])/(2*st.Eps))
		}
		fmt.Fprintf(w, " (mean %+.4g)", (meanOf(st.TrainPlus)-meanOf(st.TrainMinus))/(2*st.Eps))
		if len(st.HeldPlus) > 0 {
			hp, hm := meanOf(st.HeldPlus), meanOf(st.HeldMinus)
			up := 0
			for k := range st.HeldPlus {
				if st.HeldPlus[k] > st.HeldMinus[k] {
					up++
				}
			}
			cd := make([]float64, len(st.HeldPlus))
			for k := range cd {
				cd[k] = (st.HeldPlus[k] - st.HeldMinus[k]) / (2 * st.Eps)
			}
			fmt.Fprintf(w, "; held-out %.6f / %.6f / %.6f at -eps / 0 / +eps: central difference %+.4g ± %.2g (standard error over seeds), forward %+.4g, up on %d of %d seeds",
				hm, held0, hp, (hp-hm)/(2*st.Eps), stdErr(cd), (hp-held0)/st.Eps, up, len(st.HeldPlus))
		}
		fmt.Fprintf(w, "  [%.0f s]\n", time.Since(began).Seconds())
		save()
	}
	_, err = meta.ProbeGradient(ctx, cfg, pc)
	if saveErr != nil {
		return errors.Join(err, saveErr)
	}
	if out != "" && probe != nil {
		fmt.Fprintf(w, "saved %s (%d of %d step lengths)\n", out, len(probe.Steps), len(pc.Steps))
	}
	return err
}

// stdErr is the standard error of v's mean.
func stdErr(v []float64) float64 {
	if len(v) < 2 {
		return math.NaN()
	}
	m := meanOf(v)
	ss := 0.0
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return math.Sqrt(ss / float64(len(v)-1) / float64(len(v)))
}

// floats parses comma-separated numbers.
func floats(s string) ([]float64, error) {
	var out []float64
	for i, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("value %d (%q) is not a number", i+1, f)
		}
		out = append(out, v)
	}
	return out, nil
}

// joinFloats prints v comma-separated at full precision (so that
// -probe-direction reads it back exactly).
func joinFloats(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

func meanOf(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(max(len(v), 1))
}
