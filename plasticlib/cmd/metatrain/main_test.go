package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// tiny is a run of one iteration on a 12-unit network, 20 trials.
var tiny = []string{"-n", "12", "-dt", "10", "-K", "3", "-episodes", "20", "-iterations", "1", "-seeds", "2",
	"-setting", "miconi", "-readout", "neuron", "-warmup", "0"}

func runArgs(extra ...string) (string, error) {
	var b bytes.Buffer
	err := run(context.Background(), &b, append(append([]string(nil), tiny...), extra...))
	return b.String(), err
}

// TestRunSavesAndResumes: a tiny run saves a loadable rule, and a second
// call with more iterations resumes from the checkpoint.
func TestRunSavesAndResumes(t *testing.T) {
	dir := t.TempDir()
	ck, out := filepath.Join(dir, "ck.json"), filepath.Join(dir, "rule.json")
	if _, err := runArgs("-fresh", "-checkpoint", ck, "-out", out); err != nil {
		t.Fatal(err)
	}
	r1, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runArgs("-fresh", "-checkpoint", ck, "-out", out, "-iterations", "2"); err != nil {
		t.Fatal(err)
	}
	r2, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Name != "learned" || r1.Theta[3][3] == 1 || r2.Theta[3][3] == r1.Theta[3][3] {
		t.Errorf("theta_33 after 1 and 2 iterations: %g, %g; want both changed from 1 and different", r1.Theta[3][3], r2.Theta[3][3])
	}
}

func TestRunMethods(t *testing.T) {
	for _, m := range []string{"exact", "truncated", "es"} {
		out, err := runArgs("-method", m)
		if err != nil {
			t.Errorf("-method %s: %v", m, err)
			continue
		}
		if !strings.Contains(out, "meta-training ("+m) || !strings.Contains(out, "iteration 0: objective") {
			t.Errorf("-method %s: output\n%s", m, out)
		}
	}
}

func TestRunRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"K", []string{"-K", "2"}, "-K"},
		{"dt", []string{"-dt", "-1"}, "Dt"},
		{"lr", []string{"-lr", "-1"}, "LR"},
		{"optimizer", []string{"-optimizer", "lbfgs"}, "Optimizer"},
		{"method", []string{"-method", "guess"}, "-method"},
		{"task", []string{"-task", "xor"}, `unknown task "xor"`},
		{"free", []string{"-free", "even"}, `-free: rule.FreeSet: unknown set "even"`},
		{"pre", []string{"-pre", "4"}, "-pre"},
		{"eval-seeds", []string{"-eval-seeds", "-1"}, "-eval-seeds"},
		{"objective", []string{"-objective", "accuracy"}, "-objective"},
		{"temperature", []string{"-objective", "soft-correct", "-temperature", "0"}, "-temperature"},
		{"truncated soft-correct", []string{"-objective", "soft-correct", "-method", "truncated"}, "Objective"},
		{"truncated log eta", []string{"-method", "truncated", "-logeta"}, "LogEta"},
		{"truncated baseline", []string{"-method", "truncated", "-learn-baseline"}, "Baseline"},
		{"backtrack without held-out seeds", []string{"-backtrack", "-eval-seeds", "0"}, "Backtrack"},
		{"probe step", []string{"-probe", "0.1,x"}, `-probe: value 2 ("x")`},
		{"probe zero step", []string{"-probe", "0"}, "Steps[0]"},
		{"probe direction alone", []string{"-probe-direction", "1,0"}, "-probe-direction needs -probe"},
		{"probe direction length", []string{"-probe", "0.1", "-probe-direction", "1,0"}, "Direction has 2 values"},
		{"probe direction number", []string{"-probe", "0.1", "-probe-direction", "1,0;1,y"}, `-probe-direction 2: value 2 ("y")`},
		{"probe without seeds or direction", []string{"-probe", "0.1", "-seeds", "0"}, "Seeds"},
	} {
		if _, err := runArgs(tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want one naming %s", tc.name, err, tc.want)
		}
	}
}

// TestRunFreeSet: with -free odd -pre 3 only theta_31 and theta_33 (and
// eta) are meta-learned; every other coefficient stays zero.
func TestRunFreeSet(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rule.json")
	if _, err := runArgs("-method", "truncated", "-free", "odd", "-pre", "3", "-eval-seeds", "0", "-out", out); err != nil {
		t.Fatal(err)
	}
	r, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	start := [][]float64{{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}} // theta_33
	for k, row := range r.Theta {
		for l, v := range row {
			free := k == 3 && l%2 == 1
			if changed := v != start[k][l]; changed != free {
				t.Errorf("theta_%d%d = %g from %g: changed %v, want %v", k, l, v, start[k][l], changed, free)
			}
		}
	}
}

// TestRunPower: -power meta-learns the modulation's exponent: the saved
// rule has the error-power modulation.
func TestRunPower(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rule.json")
	if _, err := runArgs("-power", "-out", out); err != nil {
		t.Fatal(err)
	}
	r, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Modulation.String() != "error-power" || r.Power == 0 {
		t.Errorf("saved rule's modulation %v, power %v; want error-power with a learned exponent", r.Modulation, r.Power)
	}
}

// TestRunSoftCorrect: -objective soft-correct meta-trains on the smooth
// count of correct trials: its objective is a fraction in (0, 1), where
// the mean reward's is negative.
func TestRunSoftCorrect(t *testing.T) {
	for _, tc := range []struct {
		objective string
		lo, hi    float64
	}{{"soft-correct", 0, 1}, {"mean-reward", -10, 0}} {
		out, err := runArgs("-objective", tc.objective, "-eval-seeds", "0")
		if err != nil {
			t.Fatalf("%s: %v", tc.objective, err)
		}
		var v float64
		i := strings.Index(out, "iteration 0: objective ")
		if i < 0 || !strings.Contains(out, "objective "+tc.objective+")") {
			t.Fatalf("%s: output\n%s", tc.objective, out)
		}
		if _, err := fmt.Sscanf(out[i:], "iteration 0: objective %g", &v); err != nil || !(v > tc.lo && v < tc.hi) {
			t.Errorf("%s: objective %g (%v); want in (%g, %g)", tc.objective, v, err, tc.lo, tc.hi)
		}
	}
}

// TestRunFrom: -start starts from a saved rule, keeping its eta and
// modulation, with K taken from the rule; a missing file, a
// non-polynomial rule and a K != L one are refused by name.
func TestRunFrom(t *testing.T) {
	dir := t.TempDir()
	start, err := rule.New("start", 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	start.Theta[1][3], start.Eta, start.Modulation, start.Power = 0.7, 0.004, rule.ErrorPower, 2
	in, out := filepath.Join(dir, "start.json"), filepath.Join(dir, "rule.json")
	if err := store.SaveRule(in, start); err != nil {
		t.Fatal(err)
	}
	text, err := runArgs("-start", in, "-free", "odd", "-pre", "1", "-logeta=false", "-eval-seeds", "0", "-out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "from "+in+", K = L = 4") {
		t.Errorf("output does not name the start:\n%s", text)
	}
	r, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Eta != 0.004 || r.Power != 2 || len(r.Theta) != 5 {
		t.Errorf("learned rule eta %g, power %g, K %d; want the start's 0.004, 2 and 4", r.Eta, r.Power, len(r.Theta)-1)
	}
	if r.Theta[1][3] == 0.7 || r.Theta[3][3] != 0 {
		t.Errorf("theta_13 %g (want moved from 0.7), theta_33 %g (want 0, frozen)", r.Theta[1][3], r.Theta[3][3])
	}

	np := rule.NodePert()
	npFile := filepath.Join(dir, "np.json")
	wide, err := rule.New("wide", 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	wideFile := filepath.Join(dir, "wide.json")
	for f, r := range map[string]rule.Rule{npFile: np, wideFile: wide} {
		if err := store.SaveRule(f, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ file, want string }{
		{filepath.Join(dir, "none.json"), "-start"},
		{npFile, "polynomial"},
		{wideFile, "K = L"},
	} {
		if _, err := runArgs("-start", tc.file); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("-start %s: err = %v; want one naming %s", tc.file, err, tc.want)
		}
	}
}

// TestRunLearnBaseline: -learn-baseline meta-learns a_R from the
// setting's, the iteration's line shows it, and the saved rule carries
// the learned value.
func TestRunLearnBaseline(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rule.json")
	text, err := runArgs("-learn-baseline", "-baseline", "0.6", "-eval-seeds", "0", "-out", out)
	if err != nil {
		t.Fatal(err)
	}
	r, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	if !(r.BaselineDecay > 0 && r.BaselineDecay < 1) || r.BaselineDecay == 0.6 {
		t.Errorf("saved a_R %v; want one learned from 0.6, in (0, 1)", r.BaselineDecay)
	}
	if !strings.Contains(text, "logit_a_R 0.4055 (gradient ") || !strings.Contains(text, "a_R 0.600; seeds' gradient norms ") {
		t.Errorf("the iteration's line does not show logit a_R = ln 1.5 and a_R 0.600:\n%s", text)
	}
}

// TestRunSeedNormalize: -seed-normalize changes the steps from the same
// seeds (over two iterations: Adam's first step is the gradient's sign
// alone).
func TestRunSeedNormalize(t *testing.T) {
	dir := t.TempDir()
	var rules [2]rule.Rule
	for i, extra := range [][]string{nil, {"-seed-normalize"}} {
		out := filepath.Join(dir, fmt.Sprint(i, ".json"))
		if _, err := runArgs(append([]string{"-eval-seeds", "0", "-iterations", "2", "-out", out}, extra...)...); err != nil {
			t.Fatal(err)
		}
		var err error
		if rules[i], err = store.LoadRule(out); err != nil {
			t.Fatal(err)
		}
	}
	if rules[0].Theta[3][3] == rules[1].Theta[3][3] {
		t.Errorf("theta_33 %g with and without -seed-normalize; want the steps to differ", rules[0].Theta[3][3])
	}
}

// TestRunBacktrack: at a rate that overshoots, -backtrack reports the
// rejected steps and saves the best rule, which is not the last one tried.
func TestRunBacktrack(t *testing.T) {
	dir := t.TempDir()
	ck, out := filepath.Join(dir, "ck.json"), filepath.Join(dir, "rule.json")
	text, err := runArgs("-backtrack", "-lr", "1", "-iterations", "5", "-checkpoint", ck, "-out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "rejected (held-out below the best so far)") {
		t.Fatalf("no rejection reported at -lr 1:\n%s", text)
	}
	var h meta.History
	if ok, err := store.LoadCheckpoint(ck, &h); !ok || err != nil {
		t.Fatalf("checkpoint: %v, %v", ok, err)
	}
	best, err := h.Rule()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := store.LoadRule(out)
	if err != nil {
		t.Fatal(err)
	}
	next, err := h.Config.Problem.Params.Apply(h.Config.Problem.Rule, h.Phi)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Theta[3][3] != best.Theta[3][3] || saved.Theta[3][3] == next.Theta[3][3] {
		t.Errorf("saved theta_33 %g; want the best's %g, not the next to try's %g", saved.Theta[3][3], best.Theta[3][3], next.Theta[3][3])
	}
}

// TestRunOptimizer: under -optimizer sgd the step is the preconditioned
// gradient itself, phi_q moving by lr s_q (c s_q g_q) with one clip factor
// c <= 1 for every q; Adam's first step moves every coordinate by lr s_q.
func TestRunOptimizer(t *testing.T) {
	for _, tc := range []struct {
		opt  string
		want func(s, g float64) float64 // the step of one coordinate, up to a common factor
		tol  float64                    // relative; Adam's eps shrinks the steps of tiny gradients
	}{
		{"sgd", func(s, g float64) float64 { return s * s * g }, 1e-6},
		{"adam", func(s, g float64) float64 { return s * math.Copysign(1, g) }, 1e-2},
	} {
		ck := filepath.Join(t.TempDir(), "ck.json")
		if _, err := runArgs("-optimizer", tc.opt, "-eval-seeds", "0", "-checkpoint", ck); err != nil {
			t.Fatalf("-optimizer %s: %v", tc.opt, err)
		}
		var h meta.History
		if ok, err := store.LoadCheckpoint(ck, &h); !ok || err != nil {
			t.Fatalf("-optimizer %s: checkpoint: %v, %v", tc.opt, ok, err)
		}
		if h.Config.Optimizer != meta.Optimizer(tc.opt) {
			t.Errorf("config optimizer %q; want %q", h.Config.Optimizer, tc.opt)
		}
		rec := h.Records[0]
		ratio := math.NaN()
		for q := range h.Phi {
			s := 1.0
			if q < len(h.Scale) {
				s = h.Scale[q]
			}
			want := tc.want(s, rec.Grad[q])
			if want == 0 {
				continue
			}
			r := (h.Phi[q] - rec.Phi[q]) / want
			if math.IsNaN(ratio) {
				ratio = r
			}
			if !(r > 0) || math.Abs(r-ratio) > tc.tol*math.Abs(ratio) {
				t.Errorf("-optimizer %s: %s moved %g for gradient %g (scale %g): ratio %g, want %g for every coordinate",
					tc.opt, h.Names[q], h.Phi[q]-rec.Phi[q], rec.Grad[q], s, r, ratio)
			}
		}
		if tc.opt == "sgd" && !(ratio <= 0.05*(1+1e-9)) {
			t.Errorf("sgd step factor %g; want lr (0.05) times a clip factor <= 1", ratio)
		}
	}
}

// TestRunProbe: -probe prints the gradient's direction, then one line per
// step length, whose training central differences at the small step
// are the estimator's slopes (exact estimator); the printed direction,
// given back with -probe-direction, reproduces the probe (but for the
// direction's last digits: it is normalised again).
func TestRunProbe(t *testing.T) {
	file := filepath.Join(t.TempDir(), "probe.json")
	out, err := runArgs("-probe", "1e-6,0.01", "-eval-seeds", "2", "-out", file)
	if err != nil {
		t.Fatal(err)
	}
	var prs []meta.Probe
	if ok, err := store.LoadCheckpoint(file, &prs); !ok || err != nil || len(prs) != 1 || len(prs[0].Steps) != 2 || len(prs[0].Steps[1].HeldPlus) != 2 {
		t.Fatalf("saved probe: %v %v %+v", ok, err, prs)
	}
	if !strings.HasSuffix(strings.TrimSpace(out), "saved "+file+" (1 probes)") {
		t.Errorf("output ends\n%s", out)
	}
	out = out[:strings.LastIndex(strings.TrimSpace(out), "\n")+1]
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "probe of the exact gradient") || !strings.HasPrefix(lines[4], "eps 1e-06:") || !strings.HasPrefix(lines[5], "eps 0.01:") {
		t.Fatalf("output\n%s", out)
	}
	if !strings.Contains(lines[5], "(standard error over seeds)") {
		t.Errorf("no standard error: %s", lines[5])
	}
	slope := between(t, lines[3], "(mean ", ")")
	fd := between(t, lines[4], "(mean ", ")")
	if slope != fd {
		t.Errorf("slope %s, central difference %s at 1e-6 (4 digits)", slope, fd)
	}
	if !strings.Contains(lines[4], "up on ") || !strings.Contains(lines[4], " of 2 seeds") {
		t.Errorf("no held-out line: %s", lines[4])
	}
	dir := strings.TrimPrefix(lines[2], "  direction (scaled) ")
	out2, err := runArgs("-probe", "1e-6,0.01", "-eval-seeds", "2", "-probe-direction", dir)
	if err != nil {
		t.Fatal(err)
	}
	if clean(out2) != clean(out) {
		t.Errorf("with its own direction given:\n%s\nwant\n%s", out2, out)
	}
	// Without training seeds, along its direction and then the axes: the
	// same held-out central difference, then one probe per meta-parameter.
	out3, err := runArgs("-probe", "1e-6", "-eval-seeds", "2", "-seeds", "0", "-probe-direction", dir+";"+dir)
	if err != nil {
		t.Fatal(err)
	}
	l3 := strings.Split(strings.TrimSpace(out3), "\n")
	if len(l3) != 6 || !strings.HasSuffix(l3[0], "direction 1 of 2") || !strings.HasSuffix(l3[3], "direction 2 of 2") {
		t.Fatalf("two directions, no training seeds:\n%s", out3)
	}
	want := between(t, lines[4], "central difference ", " ±")
	if got := between(t, l3[2], "central difference ", " ±"); got != want {
		t.Errorf("held-out central difference %s without training seeds, %s with", got, want)
	}
	out4, err := runArgs("-probe", "1e-6", "-eval-seeds", "2", "-seeds", "0", "-K", "3", "-probe-direction", "axes")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out4, "probe of the"); n != 17 || !strings.Contains(out4, "direction 17 of 17") {
		t.Errorf("axes: %d probes (want 17: 16 theta and log eta)\n%s", n, out4)
	}
}

// between is the text of s after the first from, up to the next to.
func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("no %q in %s", from, s)
	}
	s = s[i+len(from):]
	return s[:strings.Index(s, to)]
}

// clean drops the wall times and the direction.
func clean(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "  direction ") {
			continue
		}
		if i := strings.Index(l, "  ["); i >= 0 {
			l = l[:i]
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}
