package evolve

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
)

// tiny is a setting small enough for unit tests: DNMS at N = 16, dt = 10.
func tiny(episodes int) setting.Setting {
	s := setting.MustLookup("dnms", "miconi")
	s.Net.N = 16
	s.SetDt(10)
	s.Learn.Episodes, s.Learn.WarmUp = episodes, 4
	return s
}

func tinyConfig() Config {
	s := tiny(40)
	return Config{Setting: s, Start: s.Rule(rule.MiconiCubic()), Pairs: 2, Seeds: 2, Iterations: 3, Objective: MeanReward,
		EvalSeeds: []uint64{1}, Workers: 2}
}

func TestScales(t *testing.T) {
	sc, err := Scales(context.Background(), tiny(1), 3, 3, 3, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	if sc[3][3] != 1 {
		t.Errorf("scale of the reference term = %g; want 1", sc[3][3])
	}
	for k, row := range sc {
		for l, v := range row {
			if !(v > 0) || math.IsInf(v, 0) {
				t.Errorf("scale[%d][%d] = %g; want finite and > 0", k, l, v)
			}
		}
	}
	// Scaled, every term leaves a trace as large as the reference's.
	rmsOf := func(k, l int, theta float64) float64 {
		one, err := Scales(context.Background(), tiny(1), 3, 3, k, l, 7)
		if err != nil {
			t.Fatal(err)
		}
		return theta * one[3][3] // theta rms(k, l) / rms(3, 3)
	}
	for _, kl := range [][2]int{{1, 1}, {0, 2}, {2, 3}} {
		if got := rmsOf(kl[0], kl[1], sc[kl[0]][kl[1]]); math.Abs(got-1) > 1e-9 {
			t.Errorf("trace of term %v scaled by %g = %g of the reference's; want 1", kl, sc[kl[0]][kl[1]], got)
		}
	}
	if sc[1][1] == 1 && sc[0][2] == 1 {
		t.Error("scales all 1: nothing measured")
	}
	if _, err := Scales(context.Background(), tiny(1), 3, 3, 4, 3, 7); err == nil {
		t.Error("Scales accepted a reference term outside the basis")
	}
}

// A resumed run ends where an uninterrupted one does.
func TestTrainResume(t *testing.T) {
	ctx := context.Background()
	whole, err := Train(ctx, tinyConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Records) != 3 {
		t.Fatalf("%d records; want 3", len(whole.Records))
	}
	for _, r := range whole.Records {
		if math.IsNaN(r.Objective) || math.IsNaN(r.HeldOut) || r.TrainFinal < 0 || r.TrainFinal > 1 {
			t.Errorf("record %+v: objective or performance out of range", r)
		}
	}
	cfg := tinyConfig()
	cfg.Checkpoint = filepath.Join(t.TempDir(), "ck.json")
	cfg.Iterations = 1
	if _, err := Train(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Iterations = 3
	resumed, err := Train(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(resumed.U, whole.U) {
		t.Errorf("resumed coefficients %v; uninterrupted %v", resumed.U, whole.U)
	}
	if resumed.Records[2].Objective != whole.Records[2].Objective {
		t.Errorf("resumed last objective %v; uninterrupted %v", resumed.Records[2].Objective, whole.Records[2].Objective)
	}
	cfg.Sigma = 0.3
	if _, err := Train(ctx, cfg); err == nil || !strings.Contains(err.Error(), "another configuration") {
		t.Errorf("resume with another sigma: err = %v; want one about another configuration", err)
	}
}

func TestTrainCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := tinyConfig()
	cfg.Progress = func(r Record) { cancel() }
	h, err := Train(ctx, cfg)
	if err == nil || !strings.Contains(err.Error(), "cancelled after 1 of 3") {
		t.Fatalf("err = %v; want a cancellation after 1 iteration", err)
	}
	if h == nil || len(h.Records) != 1 {
		t.Fatalf("history kept %v; want the 1 iteration done", h)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"node perturbation", func(c *Config) { c.Start = rule.NodePert() }, "evolve.Config.Start"},
		{"free shape", func(c *Config) { c.Free = [][]bool{{true}} }, "evolve.Config.Free"},
		{"sigma", func(c *Config) { c.Sigma = -1 }, "evolve.Config.Sigma"},
		{"pairs", func(c *Config) { c.Pairs = -2 }, "evolve.Config.Pairs"},
		{"objective", func(c *Config) { c.Objective = 7 }, "evolve.Config.Objective"},
		{"threshold", func(c *Config) { c.Setting.Criterion.Threshold = 0 }, "Threshold"},
		{"network", func(c *Config) { c.Setting.Net.N = 0 }, "network.Config.N"},
	} {
		cfg := tinyConfig()
		tc.change(&cfg)
		if _, err := Train(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want one naming %s", tc.name, err, tc.want)
		}
	}
}

// The antithetic estimate, with a small sigma and many pairs, points
// where central finite differences of the same objective (the same
// learning seeds) do: it is a smoothed gradient, not the exact one, so the
// check is the cosine of the two, measured here at 0.9 or more.
func TestGradientAgainstFiniteDifferences(t *testing.T) {
	if testing.Short() {
		t.Skip("about 300 tiny learning runs")
	}
	ctx := context.Background()
	cfg := tinyConfig()
	cfg.Setting = tiny(60)
	cfg.Start = cfg.Setting.Rule(rule.MiconiCubic())
	cfg.Start.Eta, cfg.Start.MaxDW = 0.003, 0 // the clip makes the objective kinked
	cfg.Free = [][]bool{{false, false, false, false}, {false, true, false, true}, {false, false, false, false}, {false, true, false, true}}
	cfg.Pairs, cfg.Seeds, cfg.Sigma, cfg.EvalSeeds = 96, 2, 1e-3, nil
	cfg.defaults()
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	s := cfg.Setting
	h := &History{Config: cfg}
	if err := h.init(ctx, s); err != nil {
		t.Fatal(err)
	}
	_, g, err := h.iterate(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	obj := func(u []float64) float64 {
		sum := 0.0
		for b := range cfg.Seeds {
			lh, err := s.Run(ctx, h.ruleAt(u), cfg.trainSeed(0, b), false)
			if err != nil {
				t.Fatal(err)
			}
			o, _ := cfg.score(lh, false)
			sum += o / float64(cfg.Seeds)
		}
		return sum
	}
	fd := make([]float64, len(h.U))
	const step = 1e-3
	for q := range h.U {
		u := append([]float64(nil), h.U...)
		u[q] += step
		plus := obj(u)
		u[q] -= 2 * step
		fd[q] = (plus - obj(u)) / (2 * step)
	}
	dot, ng, nf := 0.0, 0.0, 0.0
	for q := range g {
		dot += g[q] * fd[q]
		ng += g[q] * g[q]
		nf += fd[q] * fd[q]
	}
	if nf == 0 {
		t.Fatal("finite-difference gradient is zero: the check would prove nothing")
	}
	if cos := dot / math.Sqrt(ng*nf); cos < 0.9 {
		t.Errorf("cosine(ES, finite differences) = %.3f; want >= 0.9 (ES %v, FD %v)", cos, g, fd)
	} else {
		t.Logf("cosine(ES, finite differences) = %.3f over %d coefficients", cos, len(g))
	}
}

// The runs of an iteration go side by side: the history is the same with
// one worker as with several. (An earlier version swapped each run's
// coefficients into the shared history, a data race this test missed at
// this size and test.sh's race stage catches.)
func TestTrainWorkersAgree(t *testing.T) {
	serial := tinyConfig()
	serial.Workers, serial.Pairs = 1, 4
	parallel := serial
	parallel.Workers = 4
	a, err := Train(context.Background(), serial)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(context.Background(), parallel)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.U, b.U) || !reflect.DeepEqual(a.Records[2].Objective, b.Records[2].Objective) {
		t.Errorf("1 worker: %v, objective %v; 4 workers: %v, objective %v", a.U, a.Records[2].Objective, b.U, b.Records[2].Objective)
	}
}

func TestScoreToCriterion(t *testing.T) {
	cfg := tinyConfig()
	cfg.Objective, cfg.Episodes = ToCriterion, 10
	for _, tc := range []struct {
		name     string
		errors   []float64
		diverged bool
		want     float64
	}{
		{"stopped at the criterion after 4", []float64{2, 0.5, 0.5, 0.5}, false, (3 + 6) / 10.0},
		{"never met it", []float64{2, 0.5, 2, 2, 0.5, 2, 2, 2, 2, 0.5}, false, 3 / 10.0},
		{"diverged after 2", []float64{0.5, 0.5, 2, 2, 2, 2, 2, 2, 2, 2}, true, 2 / 10.0},
	} {
		h := &learn.History{Errors: tc.errors}
		if got, _ := cfg.score(h, tc.diverged); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: score %g; want %g", tc.name, got, tc.want)
		}
	}
}

// Under BothConditions the odd seeds run on the one network of
// Setting.Net.Seed from random initial states, the even ones on fresh
// networks, and a training run under ToCriterion stops at the criterion.
func TestBothConditions(t *testing.T) {
	cfg := tinyConfig()
	cfg.BothConditions = true
	s := cfg.Setting
	for b, want := range []bool{false, true, false, true} {
		c := cfg.condition(s, b)
		if c.FixedNet != want || (c.Net.InitX == 1) != want {
			t.Errorf("seed %d: FixedNet %v, InitX %g; want random initial state %v", b, c.FixedNet, c.Net.InitX, want)
		}
	}
	cfg.Objective, cfg.Iterations = ToCriterion, 1
	h, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := h.Records[0]; !(r.Objective >= 0 && r.Objective <= 1 && r.HeldOut >= 0 && r.HeldOut <= 1) {
		t.Errorf("record %+v: objective out of [0, 1]", r)
	}
	// Score of the rule a record was evaluated at is that record's
	// held-out objective.
	h.Records = h.Records[:0]
	h.U = append([]float64(nil), h.U...)
	start := h.Config.Start
	got, err := h.Score(context.Background(), start)
	if err != nil {
		t.Fatal(err)
	}
	first, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := first.Records[0].HeldOut; got != want {
		t.Errorf("Score(start) = %g; want the first record's held-out objective %g", got, want)
	}
}

// With Power and LogEta, the exponent and log eta are two more
// coordinates: they start at Start's values, the rule decodes them, the
// records carry them, and training moves them.
func TestTrainPowerAndEta(t *testing.T) {
	cfg := tinyConfig()
	cfg.Power, cfg.LogEta = true, true
	cfg.Sigma, cfg.LR = 0.3, 0.2
	h, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	nTheta := 0
	for _, row := range cfg.Start.Theta {
		nTheta += len(row)
	}
	if len(h.U) != nTheta+2 {
		t.Fatalf("%d coordinates; want %d coefficients + power + log eta", len(h.U), nTheta)
	}
	first := h.Records[0]
	if first.Power != 1 || first.Eta != cfg.Start.Eta {
		t.Errorf("first record: power %v, eta %v; want Miconi's 1 and the start's %v", first.Power, first.Eta, cfg.Start.Eta)
	}
	r := h.Rule()
	if r.Modulation != rule.ErrorPower || r.Power != h.U[nTheta] {
		t.Errorf("rule's modulation %v, power %v; want error-power at the coordinate %v", r.Modulation, r.Power, h.U[nTheta])
	}
	if want := cfg.Start.Eta * math.Exp(h.U[nTheta+1]); math.Abs(r.Eta-want) > 1e-15*want {
		t.Errorf("rule's eta %v; want start's times exp(coordinate) = %v", r.Eta, want)
	}
	if r.Power == 1 && r.Eta == cfg.Start.Eta {
		t.Error("training moved neither the power nor eta")
	}
	// A start under m = 1 starts the exponent at 0.
	cfg.Start.Modulation = rule.Unit
	cfg.defaults()
	h2 := &History{Config: cfg}
	if err := h2.init(context.Background(), tiny(40)); err != nil {
		t.Fatal(err)
	}
	if h2.U[nTheta] != 0 {
		t.Errorf("start under m = 1: exponent %v; want 0", h2.U[nTheta])
	}
}

// With Baseline, logit a_R is one more coordinate (after power and log
// eta): it starts at the setting's decay, the rule carries the decoded
// a_R, the records show it, and training moves it; a start decay of 1
// (the baseline never moves) is refused by name.
func TestTrainBaseline(t *testing.T) {
	cfg := tinyConfig()
	cfg.Power, cfg.Baseline = true, true
	cfg.Sigma, cfg.LR = 0.3, 0.2
	a0 := cfg.Setting.Learn.BaselineDecay
	h, err := Train(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := len(h.U) - 1
	if first := h.Records[0]; math.Abs(first.BaselineDecay-a0) > 1e-15 {
		t.Errorf("first record's a_R %v; want the setting's %v", first.BaselineDecay, a0)
	}
	r := h.Rule()
	if want := 1 / (1 + math.Exp(-h.U[q])); r.BaselineDecay != want {
		t.Errorf("rule's a_R %v; want the decoded coordinate %v", r.BaselineDecay, want)
	}
	if math.Abs(r.BaselineDecay-a0) < 1e-12 {
		t.Errorf("training left a_R at %v", r.BaselineDecay)
	}
	cfg.Start.BaselineDecay = 1
	if _, err := Train(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "Baseline") {
		t.Errorf("a_R 1: err = %v; want one naming Baseline", err)
	}
}
