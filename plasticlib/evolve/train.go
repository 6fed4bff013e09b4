package evolve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/optim"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// Objective says what a learning run scores.
type Objective int

const (
	// MeanCorrect is the fraction of correct trials over the whole run:
	// the area under its performance curve, larger the sooner it learns.
	MeanCorrect Objective = iota
	// MeanReward is the mean reward (minus the mean error) over the run.
	MeanReward
	// ToCriterion is MeanCorrect of a run that stops at the criterion,
	// its remaining trials counted as correct: the sooner the criterion
	// is met, the larger, and a run that never meets it (a rule that
	// learns and then unlearns, or diverges) scores only the trials it
	// got right. It measures what episodes to criterion measures, and a
	// run costs only the trials up to its criterion.
	ToCriterion
)

func (o Objective) String() string {
	switch o {
	case MeanCorrect:
		return "mean-correct"
	case MeanReward:
		return "mean-reward"
	case ToCriterion:
		return "to-criterion"
	}
	return fmt.Sprintf("Objective(%d)", int(o))
}

// Config configures Train. Zero fields take the defaults named.
type Config struct {
	// Setting gives the learning runs: network (each learning seed draws
	// its own, seeded by the learning seed), task, learning run and the
	// criterion whose Threshold defines a correct trial. Its Eta and MaxDW
	// are not used: Start's are.
	Setting setting.Setting `json:"setting"`
	// Start is the starting rule (polynomial family), with its eta and clip.
	Start rule.Rule `json:"start"`
	// Free marks the coefficients that evolve, Free[k][l]; nil: all.
	Free [][]bool `json:"free,omitempty"`
	// Power evolves the exponent of the modulation too, m(Ebar) =
	// Ebar^Power (rule.ErrorPower), from Start's (1 under MeanError, 0
	// under Unit): one more coordinate, the exponent itself, so that
	// Sigma is in its units.
	Power bool `json:"power,omitempty"`
	// LogEta evolves the learning rate too: one more coordinate, log(eta
	// / Start.Eta), so that Sigma 0.1 changes eta by about 10%.
	LogEta bool `json:"log_eta,omitempty"`
	// Baseline evolves the reward baseline's decay a_R too (the rule then
	// carries it, rule.Rule.BaselineDecay): one more coordinate, logit
	// a_R, from Start's decay (else Setting.Learn.BaselineDecay).
	Baseline bool `json:"baseline,omitempty"`
	// Episodes per learning run; default Setting.Learn.Episodes.
	Episodes int `json:"episodes"`
	// Objective of a run; default MeanCorrect.
	Objective Objective `json:"objective"`
	// Sigma is the perturbation's standard deviation in scaled
	// coordinates (the reference term's coefficient is 1 there for
	// theta_33); default 0.1.
	Sigma float64 `json:"sigma"`
	// Pairs of antithetic perturbations per iteration; default 8.
	Pairs int `json:"pairs"`
	// Seeds is the number of learning seeds per iteration, the same for
	// every perturbation (common random numbers); default 2.
	Seeds int `json:"seeds"`
	// BothConditions runs every odd-numbered learning seed (training and
	// held-out alike) in the paper's random-initial-state condition (the
	// one network of Setting.Net.Seed, trials from x ~ U(-1, 1); see
	// setting.RandomInitialState) and the others on fresh networks
	// (random initial J), so that each iteration scores both conditions.
	BothConditions bool `json:"both_conditions,omitempty"`
	// LR is Adam's step in scaled coordinates; default 0.05.
	LR float64 `json:"lr"`
	// Iterations of the outer loop; default 10.
	Iterations int `json:"iterations"`
	// Seed seeds the perturbations and the iterations' learning seeds
	// (drawn far from the small seeds used for evaluation).
	Seed uint64 `json:"seed"`
	// EvalSeeds are held-out learning seeds on which the current rule is
	// scored every iteration (none: no held-out score).
	EvalSeeds []uint64 `json:"eval_seeds"`
	// Reference is the basis term that sets the scale (see Scales);
	// default (3, 3).
	Reference [2]int `json:"reference"`
	// Workers run learning runs in parallel; 0: one per CPU.
	Workers int `json:"-"`
	// Checkpoint, if not empty, is a JSON file written after every
	// iteration and resumed from when it exists (the config must match).
	Checkpoint string `json:"-"`
	// Progress, if not nil, is called after every iteration.
	Progress func(Record) `json:"-"`
	// RunProgress, if not nil, is called after every learning run (with
	// an Executor: once per run after the iteration's runs).
	RunProgress func() `json:"-"`
	// Executor, if not nil, runs the learning runs of every iteration
	// (such as package sweep's, as files, locally or as a Slurm job
	// array); nil runs them in this process on Workers goroutines. The
	// results, and so the training, do not depend on it.
	Executor Executor `json:"-"`
}

// Record is one iteration.
type Record struct {
	Iteration int `json:"iteration"`
	// Theta is the rule at which the iteration was evaluated (before its
	// step), and Power and Eta its modulation's exponent and learning
	// rate, and BaselineDecay the baseline's a_R, when they evolve
	// (Config.Power, Config.LogEta, Config.Baseline).
	Theta         [][]float64 `json:"theta"`
	Power         float64     `json:"power,omitempty"`
	Eta           float64     `json:"eta,omitempty"`
	BaselineDecay float64     `json:"baseline_decay,omitempty"`
	// Objective is the mean objective of the perturbed runs; HeldOut the
	// rule's mean objective on EvalSeeds (NaN without them).
	Objective float64 `json:"objective"`
	HeldOut   float64 `json:"held_out"`
	// TrainFinal and HeldOutFinal are the final performance: the fraction
	// of correct trials over the last quarter of the runs.
	TrainFinal   float64 `json:"train_final"`
	HeldOutFinal float64 `json:"held_out_final"`
	// GradNorm is the norm of the estimated gradient (scaled coordinates).
	GradNorm float64 `json:"grad_norm"`
	// Seconds is the wall time of the iteration.
	Seconds float64 `json:"seconds"`
}

// History is a training run, resumable from its JSON.
type History struct {
	Config  Config      `json:"config"`
	Scales  [][]float64 `json:"scales"`
	U       []float64   `json:"u"` // free coefficients, scaled
	M       []float64   `json:"adam_m"`
	V       []float64   `json:"adam_v"`
	Records []Record    `json:"records"`
}

// Rule returns the rule of the history's current coefficients, named "learned".
func (h *History) Rule() rule.Rule { return h.ruleAt(h.U) }

func (h *History) free(k, l int) bool { return h.Config.Free == nil || h.Config.Free[k][l] }

// ruleAt returns the rule of scaled free coefficients u. It only reads h,
// so the learning runs of an iteration call it side by side.
func (h *History) ruleAt(u []float64) rule.Rule {
	r := h.Config.Start.Clone()
	r.Name = "learned"
	q := 0
	for k, row := range r.Theta {
		for l := range row {
			if h.free(k, l) {
				row[l] = u[q] * h.Scales[k][l]
				q++
			}
		}
	}
	if h.Config.Power {
		r.Modulation, r.Power = rule.ErrorPower, u[q]
		q++
	}
	if h.Config.LogEta {
		r.Eta = h.Config.Start.Eta * math.Exp(u[q])
		q++
	}
	if h.Config.Baseline {
		r.BaselineDecay = 1 / (1 + math.Exp(-u[q]))
	}
	return r
}

// startDecay is the reward baseline's a_R at the start: Start's, else
// the setting's.
func (c *Config) startDecay() float64 {
	return c.Start.Decay(c.Setting.Learn.BaselineDecay)
}

// startPower is the exponent of Start's modulation: m = Ebar^power.
func (c *Config) startPower() float64 {
	switch c.Start.Modulation {
	case rule.Unit:
		return 0
	case rule.ErrorPower:
		return c.Start.Power
	}
	return 1
}

func (c *Config) defaults() {
	if c.Episodes == 0 {
		c.Episodes = c.Setting.Learn.Episodes
	}
	if c.Sigma == 0 {
		c.Sigma = 0.1
	}
	if c.Pairs == 0 {
		c.Pairs = 8
	}
	if c.Seeds == 0 {
		c.Seeds = 2
	}
	if c.LR == 0 {
		c.LR = 0.05
	}
	if c.Iterations == 0 {
		c.Iterations = 10
	}
	if c.Reference == [2]int{} {
		c.Reference = [2]int{3, 3}
	}
}

func (c *Config) validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("evolve.Config.%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if err := c.Start.Validate(); err != nil {
		add("Start", "%v", err)
	} else if c.Start.Kind != rule.Polynomial {
		add("Start", "must be a rule of the polynomial family, got %s", c.Start.Kind)
	}
	if c.Free != nil && c.Start.Validate() == nil {
		ok := len(c.Free) == len(c.Start.Theta)
		for k := range c.Free {
			ok = ok && len(c.Free[k]) == len(c.Start.Theta[k])
		}
		if !ok {
			add("Free", "must have the shape of Start.Theta")
		}
	}
	if c.Episodes < 1 {
		add("Episodes", "must be >= 1, got %d", c.Episodes)
	}
	if a := c.startDecay(); c.Baseline && !(a > 0 && a < 1) {
		add("Baseline", "the start's baseline decay a_R must be in (0, 1) to evolve, got %g", a)
	}
	if c.Objective != MeanCorrect && c.Objective != MeanReward && c.Objective != ToCriterion {
		add("Objective", "unknown value %d", int(c.Objective))
	}
	if !(c.Sigma > 0) || math.IsInf(c.Sigma, 0) {
		add("Sigma", "must be finite and > 0, got %g", c.Sigma)
	}
	if c.Pairs < 1 {
		add("Pairs", "must be >= 1, got %d", c.Pairs)
	}
	if c.Seeds < 1 {
		add("Seeds", "must be >= 1, got %d", c.Seeds)
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		add("LR", "must be finite and > 0, got %g", c.LR)
	}
	if err := c.Setting.Criterion.Validate(); err != nil {
		add("Setting.Criterion", "%v", err)
	}
	if err := c.Setting.Net.Validate(); err != nil {
		add("Setting.Net", "%v", err)
	}
	if _, err := c.Setting.Task(); err != nil {
		add("Setting", "%v", err)
	}
	return errors.Join(errs...)
}

// score returns a run's objective and its final performance (the fraction
// of correct trials over its last quarter). Under ToCriterion a run shorter
// than Episodes has stopped at the criterion, unless it diverged.
func (c *Config) score(h *learn.History, diverged bool) (obj, final float64) {
	q := max(h.Len()/4, 1)
	final = c.Setting.Criterion.Performance(h.Errors[max(h.Len()-q, 0):])
	switch c.Objective {
	case MeanReward:
		return -eval.MeanError([]*learn.History{h}), final
	case ToCriterion:
		correct := 0
		for _, e := range h.Errors {
			if c.Setting.Criterion.Correct(e) {
				correct++
			}
		}
		if !diverged {
			correct += c.Episodes - h.Len()
		}
		return float64(correct) / float64(c.Episodes), final
	}
	return c.Setting.Criterion.Performance(h.Errors), final
}

// scoreResult is score of an executor's result: a rule that blew the
// network up scores its episodes so far, the rest as failed trials (error 2).
func (c *Config) scoreResult(o RunResult) (obj, final float64) {
	lh := o.History
	if o.Diverged {
		lh = &learn.History{Errors: append([]float64(nil), lh.Errors...)}
		for lh.Len() < c.Episodes {
			lh.Errors = append(lh.Errors, 2)
		}
	}
	return c.score(lh, o.Diverged)
}

// condition returns the setting of the b-th seed of an iteration (or of the
// held-out set): the random-initial-state condition for odd b under
// BothConditions.
func (c *Config) condition(s setting.Setting, b int) setting.Setting {
	if c.BothConditions && b%2 == 1 {
		return s.RandomInitialState()
	}
	return s
}

// trainSeed is the b-th learning seed of iteration it: far above the small
// seeds that evaluations use.
func (c *Config) trainSeed(it, b int) uint64 {
	return 1<<40 + c.Seed*1_000_003 + uint64(it*c.Seeds+b)
}

// Train runs the outer loop: each iteration scores 2 x Pairs perturbed
// rules on Seeds learning seeds (the same seeds for all of them) and the
// current rule on EvalSeeds, then takes an Adam step on the antithetic
// gradient estimate. When ctx is cancelled it returns the history of the
// iterations finished (saved in the checkpoint) and an error saying so.
func Train(ctx context.Context, cfg Config) (*History, error) {
	cfg.defaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	s := cfg.Setting
	s.Learn.Episodes, s.Learn.Stop = cfg.Episodes, nil
	if cfg.Objective == ToCriterion {
		s.Learn.Stop = s.Criterion.Stop
	}
	h := &History{Config: cfg}
	resumed := false
	if cfg.Checkpoint != "" {
		var err error
		if resumed, err = h.resume(cfg); err != nil {
			return nil, err
		}
	}
	if !resumed {
		if err := h.init(ctx, s); err != nil {
			return nil, err
		}
	}
	for it := len(h.Records); it < cfg.Iterations; it++ {
		if err := ctx.Err(); err != nil {
			return h, fmt.Errorf("evolve: training cancelled after %d of %d iterations: %w", it, cfg.Iterations, err)
		}
		began := time.Now()
		rec, g, err := h.iterate(ctx, it)
		if err != nil {
			if ctx.Err() != nil {
				return h, fmt.Errorf("evolve: training cancelled after %d of %d iterations: %w", it, cfg.Iterations, ctx.Err())
			}
			return h, fmt.Errorf("evolve: iteration %d: %w", it, err)
		}
		h.adam(g, it+1)
		rec.Seconds = time.Since(began).Seconds()
		h.Records = append(h.Records, rec)
		if cfg.Checkpoint != "" {
			if err := h.save(cfg.Checkpoint); err != nil {
				return h, fmt.Errorf("evolve: iteration %d: %w", it, err)
			}
		}
		if cfg.Progress != nil {
			cfg.Progress(rec)
		}
	}
	return h, nil
}

// init sets the scales and the starting point of a new history.
func (h *History) init(ctx context.Context, s setting.Setting) error {
	cfg := &h.Config
	var err error
	h.Scales, err = Scales(ctx, s, cfg.Start.K(), cfg.Start.L(), cfg.Reference[0], cfg.Reference[1], cfg.trainSeed(0, 0))
	if err != nil {
		return fmt.Errorf("evolve: scales: %w", err)
	}
	for k, row := range cfg.Start.Theta {
		for l, v := range row {
			if h.free(k, l) {
				h.U = append(h.U, v/h.Scales[k][l])
			}
		}
	}
	if cfg.Power {
		h.U = append(h.U, cfg.startPower())
	}
	if cfg.LogEta {
		h.U = append(h.U, 0)
	}
	if cfg.Baseline {
		a := cfg.startDecay()
		h.U = append(h.U, math.Log(a/(1-a)))
	}
	h.M, h.V = make([]float64, len(h.U)), make([]float64, len(h.U))
	return nil
}

// perturbations returns iteration it's Pairs perturbation directions (in
// scaled coordinates), drawn from Seed and it alone.
func (h *History) perturbations(it int) [][]float64 {
	cfg := &h.Config
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(it)))
	eps := make([][]float64, cfg.Pairs)
	for i := range eps {
		eps[i] = make([]float64, len(h.U))
		for q := range eps[i] {
			eps[i][q] = rng.NormFloat64()
		}
	}
	return eps
}

// Runs returns the learning runs of iteration it at the history's current
// coefficients, in the order an Executor returns their results: for each
// pair p and training seed b the runs "plus-p" and "minus-p" (the rule
// perturbed by +sigma and -sigma along the pair's direction), then one
// "current" run of the unperturbed rule per held-out seed. Each run is
// fully configured: its history depends on nothing else. Call it on a
// history of Train (or a checkpoint loaded into one): the configuration's
// defaults are then applied.
func (h *History) Runs(it int) []Run {
	cfg := &h.Config
	s := cfg.Setting
	s.Learn.Episodes, s.Learn.Stop = cfg.Episodes, nil
	stop := cfg.Objective == ToCriterion
	eps := h.perturbations(it)
	runs := make([]Run, 0, 2*cfg.Pairs*cfg.Seeds+len(cfg.EvalSeeds))
	cond := func(b int) (string, setting.Setting) {
		c := cfg.condition(s, b)
		if c.FixedNet {
			return "random-initial-state", c
		}
		return "fresh-networks", c
	}
	for pair := range cfg.Pairs {
		for b := range cfg.Seeds {
			name, c := cond(b)
			for _, sign := range []float64{1, -1} {
				u := make([]float64, len(h.U))
				for q := range u {
					u[q] = h.U[q] + sign*cfg.Sigma*eps[pair][q]
				}
				label := fmt.Sprintf("plus-%02d", pair)
				if sign < 0 {
					label = fmt.Sprintf("minus-%02d", pair)
				}
				runs = append(runs, Run{Name: label, Condition: name, Setting: c, Rule: h.ruleAt(u), Seed: cfg.trainSeed(it, b), StopAtCriterion: stop})
			}
		}
	}
	for b, seed := range cfg.EvalSeeds {
		name, c := cond(b)
		runs = append(runs, Run{Name: "current", Condition: name, Setting: c, Rule: h.Rule(), Seed: seed, StopAtCriterion: stop})
	}
	return runs
}

// iterate scores iteration it's perturbations and held-out seeds and
// returns its record (without Seconds) and the gradient estimate.
func (h *History) iterate(ctx context.Context, it int) (Record, []float64, error) {
	cfg := &h.Config
	np := len(h.U)
	eps := h.perturbations(it)
	runs := h.Runs(it)
	nTrain := 2 * cfg.Pairs * cfg.Seeds
	var ex Executor = inProcess{workers: cfg.Workers, progress: cfg.RunProgress}
	if cfg.Executor != nil {
		ex = cfg.Executor
	}
	out, err := ex.Execute(ctx, it, runs)
	if err != nil {
		return Record{}, nil, err
	}
	if len(out) != len(runs) {
		return Record{}, nil, fmt.Errorf("executor returned %d results for %d runs", len(out), len(runs))
	}
	if cfg.Executor != nil && cfg.RunProgress != nil {
		for range runs {
			cfg.RunProgress()
		}
	}
	type result struct{ obj, final float64 }
	res := make([]result, len(runs))
	for j, o := range out {
		if o.History == nil {
			return Record{}, nil, fmt.Errorf("executor returned no history for run %d (%s, seed %d)", j, runs[j].Name, runs[j].Seed)
		}
		res[j].obj, res[j].final = cfg.scoreResult(o)
	}
	cur := h.Rule()
	rec := Record{Iteration: it, Theta: cur.Clone().Theta, HeldOut: math.NaN(), HeldOutFinal: math.NaN()}
	if cfg.Power {
		rec.Power = cur.Power
	}
	if cfg.LogEta {
		rec.Eta = cur.Eta
	}
	if cfg.Baseline {
		rec.BaselineDecay = cur.BaselineDecay
	}
	g := make([]float64, np)
	for pair := range cfg.Pairs {
		d := 0.0
		for b := range cfg.Seeds {
			plus, minus := res[pair*2*cfg.Seeds+2*b], res[pair*2*cfg.Seeds+2*b+1]
			d += (plus.obj - minus.obj) / float64(cfg.Seeds)
			rec.Objective += (plus.obj + minus.obj) / float64(nTrain)
			rec.TrainFinal += (plus.final + minus.final) / float64(nTrain)
		}
		for q := range g {
			g[q] += d * eps[pair][q] / (2 * cfg.Sigma * float64(cfg.Pairs))
		}
	}
	if n := len(cfg.EvalSeeds); n > 0 {
		rec.HeldOut, rec.HeldOutFinal = 0, 0
		for _, r := range res[nTrain:] {
			rec.HeldOut += r.obj / float64(n)
			rec.HeldOutFinal += r.final / float64(n)
		}
	}
	for _, v := range g {
		rec.GradNorm += v * v
	}
	rec.GradNorm = math.Sqrt(rec.GradNorm)
	return rec, g, nil
}

// adam takes one ascent step of Adam (beta1 0.9, beta2 0.999) on g; t is
// the 1-based step count.
func (h *History) adam(g []float64, t int) {
	d := make([]float64, len(g))
	(&optim.Adam{LR: h.Config.LR, M: h.M, V: h.V}).Step(d, g, t)
	for q, v := range d {
		h.U[q] += v
	}
}

// save writes h to path atomically.
func (h *History) save(path string) error { return store.SaveCheckpoint(path, h) }

// resume loads cfg.Checkpoint into h when it exists; its configuration
// must equal cfg's but for Iterations.
func (h *History) resume(cfg Config) (bool, error) {
	var old History
	if ok, err := store.LoadCheckpoint(cfg.Checkpoint, &old); !ok || err != nil {
		return false, err
	}
	a, c := old.Config, cfg
	a.Iterations, c.Iterations = 0, 0
	ja, _ := json.Marshal(a)
	jc, _ := json.Marshal(c)
	if string(ja) != string(jc) {
		return false, fmt.Errorf("evolve: checkpoint %s was written by another configuration (remove it or use the same flags)", cfg.Checkpoint)
	}
	old.Config = cfg
	*h = old
	return true, nil
}

// Score returns rule r's mean objective on the held-out seeds of h's
// configuration, each in its condition, as Train scores the current rule
// every iteration: for comparing a start and a learned rule on the
// quantity meta-training optimised. It runs in this process on
// Config.Workers goroutines.
func (h *History) Score(ctx context.Context, r rule.Rule) (float64, error) {
	cfg := &h.Config
	if len(cfg.EvalSeeds) == 0 {
		return math.NaN(), errors.New("evolve: History.Score: the configuration has no EvalSeeds")
	}
	var runs []Run
	for _, run := range h.Runs(len(h.Records)) {
		if run.Name == "current" {
			run.Rule = r
			runs = append(runs, run)
		}
	}
	out, err := inProcess{workers: cfg.Workers}.Execute(ctx, 0, runs)
	if err != nil {
		return math.NaN(), err
	}
	sum := 0.0
	for _, o := range out {
		obj, _ := cfg.scoreResult(o)
		sum += obj / float64(len(out))
	}
	return sum, nil
}
