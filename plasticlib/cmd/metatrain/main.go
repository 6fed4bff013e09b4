// Command metatrain meta-trains a three-factor rule by tangent propagation
// through learning (package plasticlib/meta), or by its comparison
// estimators, from the command line, for runs too long for a notebook cell.
// It starts from Miconi's theta_33 in a K = L basis at a task's named
// setting (-task, -setting, overridden by the setting flags), or from a
// saved rule (-start FILE.json, kept with its own eta), prints one
// line per meta-iteration (training and held-out objectives, the held-out
// runs' final performance: the fraction of correct trials in their last
// quarter; then the meta-parameters it was evaluated at, with their
// gradient) and saves the learned rule as JSON (store.SaveRule). With
// -backtrack a step that lowers the held-out objective is undone, and the
// best rule is the one saved. The
// objective is the paper's mean reward, or with -objective soft-correct a
// smooth count of the correct trials (meta.SoftCorrect). With
// -checkpoint it resumes an interrupted run; Ctrl-C stops it after the
// learning runs in flight and keeps what was computed. With -probe EPS,...
// it does not train: it checks the first iteration's gradient against the
// objective along its step (meta.ProbeGradient), printing each training
// seed's slope and central differences and the held-out seeds' objective
// at phi and phi ± eps (probe.go).
//
//	go run -tags openblas ./plasticlib/cmd/metatrain -task context -setting paper -n 100 -episodes 1500 -horizon 20 -out learned.json
//
// Main only: flags and wiring; the science is in plasticlib/meta.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "metatrain:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, args []string) error {
	fs := flag.NewFlagSet("metatrain", flag.ContinueOnError)
	sf := setting.AddFlags(fs, setting.Context, setting.Paper)
	netSeed := fs.Uint64("netseed", 0, "network seed (J, W_in) when not -fresh")
	fresh := fs.Bool("fresh", false, "a new network per learning seed (meta.Problem.FreshNet)")
	k := fs.Int("K", 5, "basis size: K = L")
	warmUp := fs.Int("warmup", 100, "trials before weights change")
	horizon := fs.Int("horizon", 0, "restart state tangents every this many steps (0: exact)")
	method := fs.String("method", "exact", "estimator: exact, truncated, fd or es (meta.Method)")
	lr := fs.Float64("lr", 0.05, "step size of the optimiser")
	optimizer := fs.String("optimizer", "adam", "outer optimiser: adam, or sgd (a step along the clipped, preconditioned gradient itself: Adam's first step is its sign, which moves a coordinate whose gradient is near zero as far as the others) (meta.Optimizer)")
	iterations := fs.Int("iterations", 6, "meta-iterations")
	seeds := fs.Int("seeds", 2, "training seeds per meta-iteration")
	seedNormalize := fs.Bool("seed-normalize", false, "scale each training seed's gradient to unit norm before averaging them for the step (meta.Config.SeedNormalize), so that one seed's blown-up tangents do not set it")
	backtrack := fs.Bool("backtrack", false, "reject a step whose rule scores below the best so far on the held-out seeds, or makes a run diverge, and try halfway back at half the rate (meta.Config.Backtrack); the best rule is saved")
	logEta := fs.Bool("logeta", true, "meta-learn log eta too (default false under -method truncated, which has no estimate for it)")
	power := fs.Bool("power", false, "meta-learn the modulation's exponent too, m(Ebar) = Ebar^power (from the start's: Miconi's 1 for theta_33)")
	learnBaseline := fs.Bool("learn-baseline", false, "meta-learn the reward baseline's decay a_R too (as logit a_R; carried by the saved rule), from the start rule's, else the setting's (-baseline)")
	freeSet := fs.String("free", "all", "coefficients meta-learned: "+strings.Join(rule.FreeSetNames(), ", "))
	pre := fs.String("pre", "", "pre-synaptic powers k whose coefficients are meta-learned, comma-separated (empty: all); each active power adds a trace product per trial")
	seed := fs.Uint64("seed", 0, "seed of the training seeds (meta.Config.Seed)")
	evalSeeds := fs.Int("eval-seeds", 4, "held-out learning seeds evaluated every iteration (0: none)")
	objective := fs.String("objective", "mean-reward", "what meta-learning maximises: mean-reward (the paper's) or soft-correct, the mean of sigmoid((threshold - E) / temperature) over the trials (meta.Objective)")
	temperature := fs.Float64("temperature", meta.DefaultTemperature, "soft-correct's temperature")
	smoothClip := fs.Bool("smoothclip", true, "differentiate through maxdw tanh(u / maxdw)")
	startSpec := fs.String("start", "", "start from this saved rule (JSON, a K = L polynomial; its eta, clip and modulation kept) instead of theta_33; -K is then the rule's")
	checkpoint := fs.String("checkpoint", "", "JSON checkpoint, written every iteration, resumed from")
	out := fs.String("out", "", "save the learned rule here (JSON); with -probe, the probes' numbers (a list of meta.Probe), after every step length")
	probe := fs.String("probe", "", "instead of training, check the first iteration's gradient along its step: step lengths eps (comma-separated, in the optimiser's scaled units, as -lr) at which every training and held-out seed's objective is evaluated at phi ± eps (meta.ProbeGradient)")
	probeDir := fs.String("probe-direction", "", "with -probe: these directions instead of the gradient's own, probed in turn: ';'-separated lists of numbers (scaled coordinates, as a probe prints them), or axes (each meta-parameter's); with -seeds 0 no gradient is taken, only the held-out seeds' objectives")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := sf.Setting()
	if err != nil {
		return err
	}
	tk, err := s.Task()
	if err != nil {
		return err
	}
	nc := s.Net
	nc.Seed = *netSeed
	start, startName, err := startRule(*startSpec, *k, s)
	if err != nil {
		return err
	}
	*k = len(start.Theta) - 1
	powers, err := rule.ParsePowers(*pre, *k)
	if err != nil {
		return fmt.Errorf("-pre: %w", err)
	}
	free, err := rule.FreeSet(*freeSet, powers, *k, *k)
	if err != nil {
		return fmt.Errorf("-free: %w", err)
	}
	if *evalSeeds < 0 {
		return fmt.Errorf("-eval-seeds must be >= 0, got %d", *evalSeeds)
	}
	var m meta.Method
	if err := m.UnmarshalText([]byte(*method)); err != nil {
		return fmt.Errorf("-method: %w", err)
	}
	var obj meta.Objective
	if err := obj.UnmarshalText([]byte(*objective)); err != nil {
		return fmt.Errorf("-objective: %w", err)
	}
	if !(*temperature > 0) {
		return fmt.Errorf("-temperature must be > 0, got %g", *temperature)
	}
	if m == meta.Truncated {
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "logeta" })
		if !set {
			*logEta = false
		}
	}
	lc := s.Learn
	lc.WarmUp = *warmUp
	p := meta.Problem{Net: nc, Task: tk, Rule: start, Learn: lc, Params: meta.FreeTheta(free),
		Smooth: meta.Smooth{AbsEps: 1e-4, Clip: *smoothClip && start.MaxDW > 0}, Horizon: *horizon, FreshNet: *fresh}
	if *learnBaseline && start.BaselineDecay == 0 {
		p.Rule.BaselineDecay = lc.BaselineDecay
	}
	p.Params.LogEta, p.Params.Power, p.Params.Baseline = *logEta, *power, *learnBaseline
	p.Objective, p.Threshold, p.Temperature = obj, s.Criterion.Threshold, *temperature
	var ts meta.TaskSpec
	switch s.TaskName {
	case setting.Context:
		ts.Context = &s.ContextCfg
	case setting.Evidence:
		ts.Evidence = &s.EvidenceCfg
	default:
		ts.DNMS = &s.DNMS
	}
	cfg := meta.DefaultConfig(p, ts)
	cfg.Iterations, cfg.LR, cfg.Seeds, cfg.Seed, cfg.Checkpoint = *iterations, *lr, *seeds, *seed, *checkpoint
	cfg.Threshold = s.Criterion.Threshold
	cfg.SeedNormalize, cfg.Backtrack = *seedNormalize, *backtrack
	cfg.Optimizer = meta.Optimizer(*optimizer)
	cfg.EvalSeeds = cfg.EvalSeeds[:0]
	for i := range *evalSeeds {
		cfg.EvalSeeds = append(cfg.EvalSeeds, 1000000001+uint64(i))
	}
	cfg.Estimator.Method = m
	if *probe != "" {
		return runProbe(ctx, w, cfg, *probe, *probeDir, startName, *out)
	}
	if *probeDir != "" {
		return fmt.Errorf("-probe-direction needs -probe")
	}
	began := time.Now()
	fmt.Fprintf(w, "meta-training (%s, objective %s) from %s, K = L = %d, on %s, %d episodes per run\n", m, obj, startName, *k, s, lc.Episodes)
	names := p.Params.Names(p.Rule)
	cfg.Progress = func(r meta.Record) {
		if len(cfg.EvalSeeds) == 0 {
			fmt.Fprintf(w, "iteration %d: objective %.5f (train)  [%.0f s]\n", r.Iteration, r.Objective, time.Since(began).Seconds())
		} else {
			fmt.Fprintf(w, "iteration %d: objective %.5f (train), %.5f (held-out), final performance %.3f (held-out)  [%.0f s]\n",
				r.Iteration, r.Objective, r.HeldOut, r.Final, time.Since(began).Seconds())
		}
		fmt.Fprintf(w, "  at%s; seeds' gradient norms%s\n", phiText(names, r.Phi, r.Grad), normsText(r.SeedNorms))
		if r.Rejected {
			why := "held-out below the best so far"
			if r.Diverged != "" {
				why = r.Diverged
			}
			fmt.Fprintf(w, "  rejected (%s): next halfway back to the best, at half the rate\n", why)
		}
	}
	h, trainErr := meta.Train(ctx, cfg)
	if h == nil {
		return trainErr
	}
	learned, err := h.Rule()
	if err != nil {
		return err
	}
	learned.Name = "learned"
	fmt.Fprint(w, learned)
	if *out != "" {
		if err := store.SaveRule(*out, learned); err != nil {
			return err
		}
		fmt.Fprintf(w, "saved %s (%d iterations, %.0f s)\n", *out, len(h.Records), time.Since(began).Seconds())
	}
	return trainErr
}

// startRule is the rule meta-training starts from: theta_33 in a K = L
// basis with the setting's eta and clip, or the rule saved in file (kept
// as saved), which must be a polynomial rule with K = L >= 1.
func startRule(file string, k int, s setting.Setting) (rule.Rule, string, error) {
	if file == "" {
		if k < 3 {
			return rule.Rule{}, "", fmt.Errorf("-K must be >= 3 (the start is theta_33), got %d", k)
		}
		r, err := rule.MiconiCubicBasis(k)
		return s.Rule(r), "θ33", err
	}
	r, err := store.LoadRule(file)
	if err != nil {
		return r, "", fmt.Errorf("-start: %w", err)
	}
	if r.Kind != rule.Polynomial {
		return r, "", fmt.Errorf("-start %s: a %v rule; meta-training needs a polynomial one", file, r.Kind)
	}
	for _, row := range r.Theta {
		if len(row) != len(r.Theta) {
			return r, "", fmt.Errorf("-start %s: theta is %d x %d; meta-training needs K = L", file, len(r.Theta), len(row))
		}
	}
	return r, file, nil
}

// phiText lists the meta-parameters an iteration was evaluated at, with
// their gradient, and a_R itself next to its logit.
func phiText(names []string, phi, grad []float64) string {
	var b strings.Builder
	for q, name := range names {
		if q >= len(phi) || q >= len(grad) {
			break
		}
		fmt.Fprintf(&b, " %s %.4g (gradient %+.2g)", name, phi[q], grad[q])
		if name == "logit_a_R" {
			fmt.Fprintf(&b, " a_R %.3f", 1/(1+math.Exp(-phi[q])))
		}
		if q < len(names)-1 {
			b.WriteByte(',')
		}
	}
	return b.String()
}

// normsText lists the seeds' gradient norms.
func normsText(norms []float64) string {
	var b strings.Builder
	for _, v := range norms {
		fmt.Fprintf(&b, " %.2g", v)
	}
	return b.String()
}
