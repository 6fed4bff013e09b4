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

	"gonum.org/v1/gonum/stat"

	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// runProbe prints meta.ProbeGradient's check of cfg's first gradient:
// the gradient, its step direction, each training seed's objective and
// the estimator's slope along the direction; then, one line per step
// length as it completes, each training seed's central difference and the
// held-out seeds' mean objective at phi - eps, phi, phi + eps.
//
// dirs, when given, are the directions instead of the gradient's:
// ';'-separated lists of numbers, or "axes" (each meta-parameter's own),
// probed one after the other. With out set, the probes (a JSON list of
// meta.Probe: every seed's objectives) are saved there after the
// gradients and after each step length, so that an interrupted probe
// keeps what it had.
func runProbe(ctx context.Context, w io.Writer, cfg meta.Config, steps, dirs, startName, out string) error {
	var pc meta.ProbeConfig
	var err error
	if pc.Steps, err = floats(steps); err != nil {
		return fmt.Errorf("-probe: %w", err)
	}
	directions := [][]float64{nil}
	switch np := len(cfg.Problem.Params.Names(cfg.Problem.Rule)); {
	case dirs == "axes":
		directions = directions[:0]
		for q := range np {
			d := make([]float64, np)
			d[q] = 1
			directions = append(directions, d)
		}
	case dirs != "":
		directions = directions[:0]
		for i, d := range strings.Split(dirs, ";") {
			v, err := floats(d)
			if err != nil {
				return fmt.Errorf("-probe-direction %d: %w", i+1, err)
			}
			directions = append(directions, v)
		}
	}
	began := time.Now()
	p := cfg.Problem
	var probes []*meta.Probe
	var saveErr error
	save := func() {
		if out != "" && saveErr == nil {
			saveErr = store.SaveCheckpoint(out, probes)
		}
	}
	for i, dir := range directions {
		pc.Direction = dir
		fmt.Fprintf(w, "probe of the %s gradient (horizon %d, objective %s) at %s, %d training seeds, %d held-out",
			cfg.Estimator.Method, p.Horizon, p.Objective, startName, cfg.Seeds, len(cfg.EvalSeeds))
		if len(directions) > 1 {
			fmt.Fprintf(w, ": direction %d of %d", i+1, len(directions))
		}
		fmt.Fprintln(w)
		if err := probeOne(ctx, w, cfg, pc, began, &probes, save); err != nil {
			return errors.Join(err, saveErr)
		}
	}
	if saveErr != nil {
		return saveErr
	}
	if out != "" {
		fmt.Fprintf(w, "saved %s (%d probes)\n", out, len(probes))
	}
	return nil
}

// probeOne runs and prints one probe, appending it to probes as soon as
// its gradients are in, and calls save after them and after every step.
func probeOne(ctx context.Context, w io.Writer, cfg meta.Config, pc meta.ProbeConfig, began time.Time, probes *[]*meta.Probe, save func()) error {
	var held0 float64
	pc.Ready = func(pr *meta.Probe) {
		*probes = append(*probes, pr)
		defer save()
		held0 = meanOf(pr.HeldOut)
		if len(pr.SeedGrads) > 0 {
			// The seeds' plain mean, as metatrain's iteration lines print
			// it (pr.Grad is the step's: under -seed-normalize, of unit
			// seeds).
			mean := make([]float64, len(pr.Phi))
			for _, g := range pr.SeedGrads {
				for q, v := range g {
					mean[q] += v / float64(len(pr.SeedGrads))
				}
			}
			fmt.Fprintf(w, "  at%s\n", phiText(pr.Names, pr.Phi, mean))
		}
		fmt.Fprintf(w, "  direction (scaled) %s\n", joinFloats(pr.Direction))
		if len(pr.SeedGrads) == 0 {
			return
		}
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
		fmt.Fprintf(w, "eps %g:", st.Eps)
		if len(st.TrainPlus) > 0 {
			fmt.Fprintf(w, " training central differences")
			for b := range st.TrainPlus {
				fmt.Fprintf(w, " %+.4g", (st.TrainPlus[b]-st.TrainMinus[b])/(2*st.Eps))
			}
			fmt.Fprintf(w, " (mean %+.4g);", (meanOf(st.TrainPlus)-meanOf(st.TrainMinus))/(2*st.Eps))
		}
		if len(st.HeldPlus) > 0 {
			hp, hm := meanOf(st.HeldPlus), meanOf(st.HeldMinus)
			up := 0
			cd := make([]float64, len(st.HeldPlus))
			for k := range cd {
				cd[k] = (st.HeldPlus[k] - st.HeldMinus[k]) / (2 * st.Eps)
				if cd[k] > 0 {
					up++
				}
			}
			if len(st.TrainPlus) > 0 {
				fmt.Fprintf(w, " held-out %.6f / %.6f / %.6f at -eps / 0 / +eps: central difference %+.4g ± %.2g (standard error over seeds), forward %+.4g,",
					hm, held0, hp, (hp-hm)/(2*st.Eps), stdErr(cd), (hp-held0)/st.Eps)
			} else {
				fmt.Fprintf(w, " held-out %.6f / %.6f at -eps / +eps: central difference %+.4g ± %.2g (standard error over seeds),",
					hm, hp, (hp-hm)/(2*st.Eps), stdErr(cd))
			}
			fmt.Fprintf(w, " up on %d of %d seeds", up, len(st.HeldPlus))
		}
		fmt.Fprintf(w, "  [%.0f s]\n", time.Since(began).Seconds())
		save()
	}
	_, err := meta.ProbeGradient(ctx, cfg, pc)
	return err
}

// stdErr is the standard error of v's mean.
func stdErr(v []float64) float64 {
	if len(v) < 2 {
		return math.NaN()
	}
	return stat.StdDev(v, nil) / math.Sqrt(float64(len(v)))
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

// meanOf is v's mean, 0 for none.
func meanOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	return stat.Mean(v, nil)
}
