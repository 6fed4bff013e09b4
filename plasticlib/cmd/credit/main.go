// Command credit measures how well each rule's trial-end weight change
// follows the gradient of the expected error (package plasticlib/credit),
// at checkpoints of a learning run: the network learns under -train
// between checkpoints; at each, the exact gradient g of the expected error
// with respect to J is estimated by backpropagation through time over
// -gradient-trials trials, and each of -rules makes -trials updates from
// the same weights and baselines. It prints, per checkpoint and rule, the
// alignment rho = E[-g.u] / (|g| sqrt(E|u|^2)) with its standard error, the
// cosine of the mean update with -g, and rho^2 relative to the first rule:
// the ratio of their learning speeds at their best learning rates if the
// curvature were the same in every direction. The SGD row is rho for exact
// per-trial gradients. With -curvature N it also measures, on N updates
// per rule, the curvature of the expected error along them, E[u^T H u],
// against the mean curvature along random directions, and the step that
// is best under the second-order model when that curvature is positive.
//
//	go run -tags openblas ./plasticlib/cmd/credit -task context -setting paper -seeds 2
//
// Main only: flags and wiring; the science is in plasticlib.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/plasticnb/plasticnb/plasticlib/credit"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/store"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "credit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("credit", flag.ContinueOnError)
	sf := setting.AddFlags(fs, setting.Context, setting.Paper)
	train := fs.String("train", "miconi-cubic", "the rule that learns between checkpoints: a preset or FILE.json")
	rulesFlag := fs.String("rules", "miconi-cubic,eh,node-perturbation", "comma-separated rules to measure: presets ("+strings.Join(rule.PresetNames(), ", ")+") or FILE.json")
	at := fs.String("at", "100,500,1000", "comma-separated checkpoints: episodes learned under -train before each measurement (the first after the warm-up, when the baselines have formed)")
	first := fs.Uint64("first", 1, "first seed")
	seeds := fs.Int("seeds", 1, "number of seeds (networks and trial streams)")
	trials := fs.Int("trials", 400, "trials per rule and checkpoint")
	gtrials := fs.Int("gradient-trials", 200, "trials of the gradient per checkpoint (even)")
	condition := fs.String("condition", "random-j", "random-j: a network per seed; random-state: one network (-netseed), trials from x ~ U(-1, 1)")
	netSeed := fs.Uint64("netseed", 0, "the network of -condition random-state")
	family := fs.String("family", "5,5", "K,L of the polynomial family whose best rule is fitted at each checkpoint (empty: none); the first of -rules gives its modulation and eta")
	saveBest := fs.String("save-best", "", "save each checkpoint's fitted rule as PREFIX-s<seed>-e<episode>.json")
	curvSamples := fs.Int("curvature", 0, "updates per rule and checkpoint on which the curvature E[u^T H u] is measured (0: none)")
	curvStep := fs.Float64("curvature-step", credit.DefaultStep, "the curvature's finite difference, relative to |J|")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *seeds < 1 {
		return fmt.Errorf("-seeds must be >= 1, got %d", *seeds)
	}
	if *trials < 2 {
		return fmt.Errorf("-trials must be >= 2, got %d", *trials)
	}
	if *curvSamples < 0 || *curvSamples == 1 {
		return fmt.Errorf("-curvature must be 0 or >= 2, got %d", *curvSamples)
	}
	if !(*curvStep > 0) {
		return fmt.Errorf("-curvature-step must be > 0, got %g", *curvStep)
	}
	if *gtrials < 2 || *gtrials%2 != 0 {
		return fmt.Errorf("-gradient-trials must be even and >= 2, got %d", *gtrials)
	}
	checkpoints, err := parseCheckpoints(*at)
	if err != nil {
		return fmt.Errorf("-at: %w", err)
	}
	s, err := sf.Setting()
	if err != nil {
		return err
	}
	if s, err = s.InCondition(*condition, *netSeed); err != nil {
		return err
	}
	named := func(spec string) (rule.Rule, error) { return sf.Rule(s, spec) }
	trainRule, err := named(*train)
	if err != nil {
		return fmt.Errorf("-train: %w", err)
	}
	var rules []rule.Rule
	for _, spec := range strings.Split(*rulesFlag, ",") {
		r, err := named(strings.TrimSpace(spec))
		if err != nil {
			return fmt.Errorf("-rules: %w", err)
		}
		rules = append(rules, r)
	}
	var base *rule.Rule
	if *family != "" {
		b, err := familyBase(*family, rules[0])
		if err != nil {
			return fmt.Errorf("-family: %w", err)
		}
		base = &b
	}
	tk, err := s.Task()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s, condition %s; learning under %s (eta %g, maxdw %g); %d trials per rule, %d per gradient\n",
		s, *condition, trainRule.Name, trainRule.Eta, trainRule.MaxDW, *trials, *gtrials)
	began := time.Now()
	// sums[k] collects rule k's rho over every checkpoint of every seed.
	sums := make([][]float64, len(rules)+1)
	var fams [2][]float64                  // the family's best rule, held out and in sample
	gains := make([][]float64, len(rules)) // E[-g.u]^2 / (2 E[u^T H u]) per checkpoint
	for sd := *first; sd < *first+uint64(*seeds); sd++ {
		l, err := s.Learner(trainRule, sd)
		if err != nil {
			return err
		}
		net := l.Net
		for _, ep := range checkpoints {
			if more := ep - l.Done; more > 0 {
				l.Config.Episodes = more
				h, err := l.Run(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "seed %d: episodes %d-%d under %s, mean error %.3f\n", sd, h.First, l.Done-1, trainRule.Name, stat.Mean(h.Errors, nil))
			}
			// The gradient's and the rules' trials come from streams of
			// their own, apart from the learning run's (seed sd).
			g, err := credit.ExpectedGradient(ctx, net, tk, *gtrials, sd<<32|uint64(ep)<<1|1)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "seed %d, episode %d: mean error %.3f, |g| %.4g, per-trial |g_m| %.4g\n", sd, ep, g.Error, g.Norm, g.PerTrialRMS)
			if g.Norm == 0 {
				fmt.Fprintf(w, "  no gradient resolved from %d trials (the halves' gradients disagree): skipped; use more -gradient-trials\n", *gtrials)
				continue
			}
			fmt.Fprintf(w, "  %-44s %8s %7s %16s %10s %9s\n", "rule", "rho", "±se", "rho-1st ±se", "cos(ū,-g)", "rho²/1st")
			fmt.Fprintf(w, "  %-44s %8.4f\n", "SGD (exact per-trial gradients)", g.Oracle())
			sums[len(rules)] = append(sums[len(rules)], g.Oracle())
			// Every rule runs the same trials (one seed): their
			// differences are paired.
			as, err := alignAll(ctx, net, l.Baselines, tk, rules, s.Learn, g, *trials, sd<<32|uint64(ep)<<1)
			if err != nil {
				return err
			}
			for k, a := range as {
				d, dse := paired(a, as[0], g.Norm)
				diff := ""
				if k > 0 {
					diff = fmt.Sprintf("%+.4f ±%.4f", d, dse)
				}
				fmt.Fprintf(w, "  %-44s %8.4f %7.4f %16s %10.4f %9s\n", trunc(a.Rule, 44), a.Rho, a.RhoSE, diff, a.MeanCos, ratio(a.Rho, as[0].Rho))
				sums[k] = append(sums[k], a.Rho)
			}
			if *curvSamples > 0 {
				cs, err := curvatureAll(ctx, net, l.Baselines, tk, rules, s.Learn, *curvSamples, sd<<32|uint64(ep)<<1, *curvStep)
				if err != nil {
					return err
				}
				iso, isoSE, err := credit.Isotropic(ctx, net, tk, *curvSamples, sd<<32|uint64(ep)<<1|1, *curvStep)
				if err != nil {
					return err
				}
				printCurvatures(w, as, cs, iso, isoSE)
				for k, c := range cs {
					if c.UHU > 0 {
						gains[k] = append(gains[k], as[k].Descent*as[k].Descent/(2*c.UHU))
					}
				}
			}
			if base == nil {
				continue
			}
			fit, err := credit.Family(ctx, net, l.Baselines, tk, *base, s.Learn, g, *trials, sd<<32|uint64(ep)<<1)
			if err != nil {
				return err
			}
			bestTerm, bt := 0, math.Inf(-1)
			for i, v := range fit.Terms {
				if v > bt {
					bestTerm, bt = i, v
				}
			}
			fmt.Fprintf(w, "  family K=%d L=%d (%d trials): base %.4f; best single term r^%d dx^%d %.4f (rho²/1st %s); best rule in sample %.4f (%s), held out %.4f (%s)\n",
				fit.K, fit.L, fit.Trials, fit.Base, bestTerm/(fit.L+1), bestTerm%(fit.L+1), bt, ratio(bt, as[0].Rho),
				fit.Best, ratio(fit.Best, as[0].Rho), fit.HeldOut, ratio(fit.HeldOut, as[0].Rho))
			fams[0] = append(fams[0], fit.HeldOut)
			fams[1] = append(fams[1], fit.Best)
			if *saveBest != "" {
				r := base.Clone()
				r.Name = fmt.Sprintf("best K=%d L=%d rule at episode %d of seed %d (credit)", fit.K, fit.L, ep, sd)
				r.Theta = fit.Theta
				path := fmt.Sprintf("%s-s%d-e%d.json", *saveBest, sd, ep)
				if err := store.SaveRule(path, r); err != nil {
					return err
				}
				fmt.Fprintf(w, "  saved %s\n", path)
			}
		}
	}
	if len(sums[0]) == 0 {
		return errors.New("no checkpoint had a resolved gradient: use more -gradient-trials")
	}
	fmt.Fprintf(w, "mean rho over %d checkpoints:", len(sums[0]))
	m0 := stat.Mean(sums[0], nil)
	for k, r := range rules {
		fmt.Fprintf(w, " %s %.4f (rho²/1st %s);", r.Name, stat.Mean(sums[k], nil), ratio(stat.Mean(sums[k], nil), m0))
	}
	if len(gains[0]) > 0 && len(gains[0]) == len(sums[0]) {
		fmt.Fprintf(w, " gain at the best eta / 1st's:")
		for k, r := range rules {
			if len(gains[k]) == len(gains[0]) {
				fmt.Fprintf(w, " %s %.2f;", r.Name, stat.Mean(gains[k], nil)/stat.Mean(gains[0], nil))
			}
		}
	}
	if len(fams[0]) > 0 {
		fmt.Fprintf(w, " best of the family held out %.4f (rho²/1st %s), in sample %.4f;", stat.Mean(fams[0], nil), ratio(stat.Mean(fams[0], nil), m0), stat.Mean(fams[1], nil))
	}
	fmt.Fprintf(w, " SGD %.4f (%.0f s)\n", stat.Mean(sums[len(rules)], nil), time.Since(began).Seconds())
	return nil
}

// familyBase returns the base rule of the family "K,L": first's
// modulation, eta and eligibility decay, its coefficients where they fit,
// no clip.
func familyBase(spec string, first rule.Rule) (rule.Rule, error) {
	var k, l int
	if _, err := fmt.Sscanf(spec, "%d,%d", &k, &l); err != nil || k < 0 || l < 0 {
		return rule.Rule{}, fmt.Errorf("%q: want K,L (two non-negative integers)", spec)
	}
	if first.Kind != rule.Polynomial {
		return rule.Rule{}, fmt.Errorf("the first of -rules, %s, is not a polynomial rule", first.Name)
	}
	b, err := rule.New(first.Name, k, l)
	if err != nil {
		return b, err
	}
	b.Modulation, b.Power, b.Eta, b.TauE = first.Modulation, first.Power, first.Eta, first.TauE
	b.MaxDW, b.TauW = 0, 0
	for i := range min(k, first.K()) + 1 {
		for j := range min(l, first.L()) + 1 {
			b.Theta[i][j] = first.Theta[i][j]
		}
	}
	return b, nil
}

// eachRule runs f on every rule, as many at once as there are CPUs, and
// returns the results in the rules' order.
func eachRule[T any](rules []rule.Rule, f func(rule.Rule) (T, error)) ([]T, error) {
	out := make([]T, len(rules))
	errs := make([]error, len(rules))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for k, r := range rules {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[k], errs[k] = f(r)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// alignAll measures every rule at the same weights and baselines.
func alignAll(ctx context.Context, net *network.Net, base []float64, tk task.Task, rules []rule.Rule, lc learn.Config, g *credit.Gradient, trials int, seed uint64) ([]credit.Alignment, error) {
	return eachRule(rules, func(r rule.Rule) (credit.Alignment, error) {
		return credit.Align(ctx, net, base, tk, r, lc, g, trials, seed)
	})
}

// curvatureAll measures every rule's curvature along its updates.
func curvatureAll(ctx context.Context, net *network.Net, base []float64, tk task.Task, rules []rule.Rule, lc learn.Config, samples int, seed uint64, step float64) ([]credit.Curvature, error) {
	return eachRule(rules, func(r rule.Rule) (credit.Curvature, error) {
		return credit.AlongUpdates(ctx, net, base, tk, r, lc, samples, seed, step)
	})
}

// printCurvatures prints the mean curvature over directions, then each
// rule's curvature along its updates, the step that is best under the
// second-order model (as a multiple of the rule's eta; none when the
// curvature is negative) and the gain there relative to the first
// rule's.
func printCurvatures(w io.Writer, as []credit.Alignment, cs []credit.Curvature, iso, isoSE float64) {
	fmt.Fprintf(w, "  %-44s %11s %9s %11s %10s %9s\n", "rule", "E[u'Hu]", "±se", "per |u|²", "best eta×", "gain/1st")
	fmt.Fprintf(w, "  %-44s %11s %9s %11.4g (±%.2g, tr H / synapses)\n", "random direction", "", "", iso, isoSE)
	gain := func(k int) float64 {
		if cs[k].UHU <= 0 {
			return math.NaN()
		}
		return as[k].Descent * as[k].Descent / (2 * cs[k].UHU)
	}
	for k, c := range cs {
		best, rel := "-", "-"
		if c.UHU > 0 {
			best = fmt.Sprintf("%.3g", as[k].Descent/c.UHU)
			if g0 := gain(0); g0 > 0 {
				rel = fmt.Sprintf("%.2f", gain(k)/g0)
			}
		}
		fmt.Fprintf(w, "  %-44s %11.4g %9.2g %11.4g %10s %9s\n", trunc(c.Rule, 44), c.UHU, c.UHUSE, c.PerNorm, best, rel)
	}
}

// paired returns rho_a - rho_b and its standard error from the per-trial
// descents of two rules measured on the same trials.
func paired(a, b credit.Alignment, norm float64) (d, se float64) {
	if norm == 0 || a.UpdateRMS == 0 || b.UpdateRMS == 0 {
		return 0, 0
	}
	n := float64(len(a.Descents))
	var s, ss float64
	for m := range a.Descents {
		v := a.Descents[m]/(norm*a.UpdateRMS) - b.Descents[m]/(norm*b.UpdateRMS)
		s += v
		ss += v * v
	}
	d = s / n
	return d, math.Sqrt(max(ss/n-d*d, 0) / (n - 1))
}

func trunc(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func ratio(rho, rho0 float64) string {
	if rho0 == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", math.Copysign(rho*rho/(rho0*rho0), rho))
}

// parseCheckpoints parses "0,500,1000": non-negative, increasing.
func parseCheckpoints(s string) ([]int, error) {
	var eps []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("%q is not an episode number", f)
		}
		if v < 0 {
			return nil, fmt.Errorf("%d: episodes must be >= 0", v)
		}
		eps = append(eps, v)
	}
	if !slices.IsSorted(eps) || len(slices.Compact(slices.Clone(eps))) != len(eps) {
		return nil, errors.New("checkpoints must increase")
	}
	return eps, nil
}
