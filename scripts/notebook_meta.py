#!/usr/bin/python3
"""Generates notebooks/03-meta-learning.ipynb (saved without outputs).

Usage: /usr/bin/python3 scripts/notebook_meta.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mknb import code, md, notebook  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

cells = [
    md('''
# Meta-learning a plasticity rule by tangent propagation through learning

The rule H(r, dx) = sum_kl theta_kl r^k dx^l decides how each synapse's eligibility trace grows
during a trial. Meta-learning asks: which coefficients theta make the *inner* learning (many
trials, a reward only at each trial's end) go best? `plasticlib/meta` answers with the exact
gradient of the learning run's mean reward with respect to theta (and, optionally, log tau_e,
log tau_w, log eta), computed by forward-mode sensitivities (tangents) carried through every
step of every trial of the run, and an outer optimiser (Adam) that follows it.

This notebook
1. checks the tangent gradient against central finite differences on a tiny network,
2. meta-trains Miconi's cubic rule (K = L = 3, 16 coefficients) on DNMS with a live progress bar
   and a live meta-training plot,
3. shows the learned coefficients and the learned H(r, dx).

**Time.** About 20 s on a 2-core machine at this quick scale (N = 50, dt = 5 ms, 100 trials per
learning run, 6 meta-iterations). **What to expect.** At this scale the inner loop barely starts
to learn DNMS within 100 trials, so the meta-objective moves little: the held-out objective rises
by about 1e-3. The paper's jump in final performance needs longer inner runs (thousands of trials)
and is not reproduced here yet.
'''),
    code('''
import (
	"fmt"
	"math"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
	"github.com/plasticnb/plasticnb/plots"
)
'''),
    md('''
## 1. The gradient, checked

A tiny problem: N = 12 units, DNMS at dt = 10 ms, 8 trials with no warm-up (so each trial type
recurs and the baseline-modulated update is not zero), a K = L = 2 rule. The weight-change clip
and the error's |.| are smoothed (`meta.Smooth`) so the objective is differentiable. The exact
estimator carries the tangents; the finite-difference estimator runs the learning 2P times.
'''),
    code('''
tinyNet := network.DefaultConfig()
tinyNet.N, tinyNet.Dt = 12, 10
tinyTask := task.DefaultDNMS()
tinyTask.Dt = 10
dnmsTiny, err := task.NewDNMS(tinyTask)
if err != nil {
	panic(err)
}
tinyRule, _ := rule.Zero(2, 2)
tinyRule.Theta[1][1], tinyRule.Theta[2][1], tinyRule.Theta[1][2] = 0.5, 0.2, -0.1
tinyLearn := learn.DefaultConfig()
tinyLearn.Episodes, tinyLearn.WarmUp = 8, 0
tiny := meta.Problem{Net: tinyNet, Task: dnmsTiny, Rule: tinyRule, Learn: tinyLearn,
	Smooth: meta.Smooth{AbsEps: 1e-4, Clip: true}}

gradOf := func(m meta.Method) []float64 {
	est, err := meta.NewEstimator(tiny, meta.EstimatorConfig{Method: m})
	if err != nil {
		panic(err)
	}
	est.SetSeed(3)
	_, g, err := est.Gradient(display.CellContext(), tiny.Params.Get(tiny.Rule))
	if err != nil {
		panic(err)
	}
	return g
}
tangent, fd := gradOf(meta.Exact), gradOf(meta.FiniteDiff)
diff, norm := 0.0, 0.0
for i := range tangent {
	diff += (tangent[i] - fd[i]) * (tangent[i] - fd[i])
	norm += fd[i] * fd[i]
}
fmt.Printf("%d meta-parameters; relative difference |tangent - fd| / |fd| = %.1e\\n", len(tangent), math.Sqrt(diff/norm))
plots.GradientCheck(tangent, fd)
''', expect={"stdout": "relative difference", "mime": ["image/png"]}),
    md('''
The points lie on the diagonal: the tangent gradient is the derivative of the learning run's
objective. (Central differences with a fixed step carry their own truncation error, up to 1e-3
relative on the coefficients with large curvature; `plasticlib/meta`'s tests use Richardson
extrapolation and agree with the tangents to 4e-6, coefficient by coefficient.)

## 2. Meta-training

The problem: N = 50, DNMS at dt = 5 ms, 100 trials per learning run, starting from Miconi's
rule. Each meta-iteration runs two training seeds in parallel (common random numbers within the
iteration, fresh seeds across iterations), averages their exact gradients, takes an Adam step,
and evaluates the rule on four held-out seeds. The bar and the figure update as it goes; the
notebook's interrupt button stops it cleanly and keeps the iterations done.
'''),
    code('''
netCfg := network.DefaultConfig()
netCfg.N, netCfg.Dt = 50, 5
dnmsCfg := task.DefaultDNMS()
dnmsCfg.Dt = 5
learnCfg := learn.DefaultConfig()
learnCfg.Episodes, learnCfg.WarmUp = 100, 0
start := rule.MiconiCubic()
problem := meta.Problem{Net: netCfg, Rule: start, Learn: learnCfg, Smooth: meta.Smooth{AbsEps: 1e-4, Clip: true}}
cfg := meta.DefaultConfig(problem, meta.TaskSpec{DNMS: &dnmsCfg})
cfg.Iterations, cfg.LR = 6, 0.05

bar := display.Progress(cfg.Iterations, "meta-iterations")
var curves plots.MetaCurves
live := display.Show(display.Markdown("*meta-training starts...*"))
cfg.Progress = func(r meta.Record) {
	bar.Add(1)
	curves.TrainObjective = append(curves.TrainObjective, r.Objective)
	curves.EvalObjective = append(curves.EvalObjective, r.HeldOut)
	if fig, err := plots.MetaTraining(curves); err == nil {
		live.Update(fig)
	}
}
history, err := meta.Train(display.CellContext(), cfg)
bar.Done()
if err != nil {
	panic(err)
}
for _, r := range history.Records {
	fmt.Printf("iteration %d: train objective %.5f, held-out %.5f, held-out final %.5f\\n", r.Iteration, r.Objective, r.HeldOut, r.Final)
}
''', expect={"stdout": "iteration 5"}),
    md('''
The objective is the mean reward (minus the mean trial error) over the learning run. Did the
meta-learned rule do better than the rule it started from, on seeds it was not trained on?
'''),
    code('''
learned, applyErr := cfg.Problem.Params.Apply(start, history.Phi)
if applyErr != nil {
	panic(applyErr)
}
learned.Name = "meta-learned"
var first, last float64 // (a top-level := from an indexed field trips yaegi v0.16.1)
first = history.Records[0].HeldOut
last = history.Records[len(history.Records)-1].HeldOut
fmt.Printf("held-out objective: start %.5f, last evaluated iteration %.5f\\n", first, last)
// The tests check that this change is positive (test/notebooks/run_notebooks.py, "numbers").
fmt.Printf("CHECK held-out objective change = %.3e\\n", last-first)
if last > first {
	fmt.Println("the meta-learned rule beats its starting rule on held-out seeds")
} else {
	fmt.Println("the meta-learned rule does NOT beat its starting rule on held-out seeds")
}
''', expect={"stdout": "held-out objective change", "numbers": [
        {"pattern": r"held-out objective change = (?P<value>[-+]?[0-9.]+(?:e[-+]?[0-9]+)?)", "gt": 0}]}),
    md('''
## 3. The learned rule

Its coefficient matrix (rows: presynaptic power k, columns: postsynaptic power l), the
trajectories of the coefficients across meta-iterations, and the learned H(r, dx).
'''),
    code('plots.Theta(learned)', expect={"mime": ["image/png"]}),
    code('plots.MetaCoefficients(history)', expect={"mime": ["image/png"]}),
    code('plots.HSurface(learned)', expect={"mime": ["image/png"]}),
    md('''
The run's full configuration is in `history.Config`: saved as JSON (`json.Marshal(history)`),
it reproduces these numbers bit for bit with `meta.Train`, and `cfg.Checkpoint` makes a long run
resumable after an interruption.
'''),
]

notebook(os.path.join(ROOT, "notebooks", "03-meta-learning.ipynb"), cells, min_images=5)
