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
2. meta-trains Miconi's cubic rule (K = L = 3, 16 coefficients) on context-dependent integration
   (the paper's meta-training task) with a live progress bar and a live meta-training plot,
3. shows the learned coefficients and the learned H(r, dx),
4. shows, from measurements, how the exact gradient grows in a chaotic network and how the
   estimators compare.

**Time.** About a minute on a 2-core machine at this quick scale (N = 50, dt = 5 ms, 200 trials
per learning run, 6 meta-iterations). **What to expect.** The held-out objective rises by a few
hundredths (measured over three training seeds in `plasticlib/meta`'s TestMetaTrainingImproves:
-0.994 to -0.967 from Miconi's rule). The paper's jump to ~0.85 final performance needs far longer
inner runs and is not reproduced at this scale.
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

The problem: N = 50, context integration at dt = 5 ms, 200 trials per learning run, starting
from Miconi's rule with ten times his learning rate and weight-change clip (at his values the
network barely learns within 1000 trials at this size). Each meta-iteration runs two training
seeds in parallel (common random numbers within the iteration, fresh seeds across iterations),
averages their exact gradients, takes an Adam step (each coefficient's step scaled by the size of
its basis term, `meta.BasisScale`), and evaluates the rule on eight held-out seeds.

One remedy is switched on: `Horizon: 20` restarts the state tangents every 20 steps. The network
is chaotic (g = 1.5), and the exact tangents grow with trial length and the number of trials
(section 4 below); over 200 trials the training seeds' exact gradients point in unrelated
directions, while the 20-step horizon keeps them agreeing (a biased but useful gradient). The bar and the figure update as it goes; the
notebook's interrupt button stops it cleanly and keeps the iterations done.
'''),
    code('''
netCfg := network.DefaultConfig()
netCfg.N, netCfg.Dt = 50, 5
netCfg.NumInputs, netCfg.PerturbAmp = 4, 30
ctxCfg := task.DefaultContext()
ctxCfg.Dt = 5
learnCfg := learn.DefaultConfig()
learnCfg.Episodes, learnCfg.WarmUp = 200, 0
start := rule.MiconiCubic()
start.Eta, start.MaxDW = 0.1, 2e-3
problem := meta.Problem{Net: netCfg, Rule: start, Learn: learnCfg,
	Smooth: meta.Smooth{AbsEps: 1e-4, Clip: true}, Horizon: 20}
cfg := meta.DefaultConfig(problem, meta.TaskSpec{Context: &ctxCfg})
cfg.Iterations, cfg.LR = 6, 0.05
cfg.EvalSeeds = nil
for k := 0; k < 8; k++ {
	cfg.EvalSeeds = append(cfg.EvalSeeds, 1000000001+uint64(k))
}

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
first := history.Records[0].HeldOut
last := history.Records[len(history.Records)-1].HeldOut
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
## 4. The scientific risk: tangents in a chaotic network

The network runs in the chaotic regime, so exact tangents of the state can grow exponentially
over a trial and accumulate across trials. `plasticlib/meta`'s measurement tests record the
meta-gradient's norm and its agreement across seeds against trial length and the number of
trials, for the exact estimator, the exact one with a 20-step horizon, the truncated estimator
and evolution strategies (ES), and how fast each makes meta-training progress per second. Running
them takes about 10 minutes, so this notebook reads the numbers measured on the 2-core development
machine (`notebooks/data/meta-estimators.json`, written by
`go test -tags openblas -run 'GradientScaling|EstimatorProgress' -v ./plasticlib/meta -meta.measure FILE`;
context integration, N = 50, dt = 5 ms, from Miconi's rule, 4 seeds).
'''),
    code('''
import (
	"encoding/json"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

raw, err := os.ReadFile("data/meta-estimators.json")
if err != nil {
	panic(err)
}
var measured map[string][]map[string]any
if err := json.Unmarshal(raw, &measured); err != nil {
	panic(err)
}
estimators := []string{"exact", "exact-h20", "truncated", "es"}
fmt.Printf("%-10s %8s %8s %12s %10s %8s\\n", "estimator", "trial ms", "trials", "|gradient|", "agreement", "s/grad")
normPlot := plot.New()
normPlot.Title.Text = "meta-gradient norm vs number of trials (700 ms trials)"
normPlot.X.Label.Text = "trials per learning run"
normPlot.Y.Label.Text = "mean |gradient| over seeds"
normPlot.X.Scale, normPlot.Y.Scale = plot.LogScale{}, plot.LogScale{}
normPlot.X.Tick.Marker, normPlot.Y.Tick.Marker = plot.LogTicks{}, plot.LogTicks{}
for i, name := range estimators {
	var pts plotter.XYs
	for _, m := range measured["scaling"] {
		if m["estimator"] != name {
			continue
		}
		fmt.Printf("%-10s %8.0f %8.0f %12.3g %10.2f %8.2f\\n", name, m["trial_ms"], m["episodes"], m["mean_norm"], m["pair_cos"], m["seconds_per_gradient"])
		if m["trial_ms"].(float64) == 700 {
			pts = append(pts, plotter.XY{X: m["episodes"].(float64), Y: m["mean_norm"].(float64)})
		}
	}
	line, points, err := plotter.NewLinePoints(pts)
	if err != nil {
		panic(err)
	}
	line.Color, points.Color = plots.Categorical(i), plots.Categorical(i)
	points.Shape = draw.CircleGlyph{}
	normPlot.Add(line, points)
	normPlot.Legend.Add(name, line, points)
}
normPlot.Legend.Top, normPlot.Legend.Left = true, true
normPlot
''', expect={"stdout": "exact-h20", "mime": ["image/png"]}),
    md('''
"Agreement" is the mean cosine between the gradients of different seeds (1: they all point the
same way). The exact gradient grows with trial length and with the number of trials (to about
2e7 at 1400 ms x 400 trials) and stops agreeing across seeds; the 20-step horizon keeps it small
and, over short runs, consistent; the truncated estimator agrees across seeds only because a
fixed bias dominates it; ES is noisy but cheap to reason about. Progress per second of
meta-training (held-out objective against wall-clock seconds, training seed 0):
'''),
    code('''
progressPlot := plot.New()
progressPlot.Title.Text = "meta-training progress per second (from Miconi's rule)"
progressPlot.X.Label.Text = "seconds"
progressPlot.Y.Label.Text = "held-out objective"
for i, name := range estimators {
	for _, m := range measured["progress"] {
		if m["estimator"] != name || m["rule"] != "miconi-cubic" {
			continue
		}
		secs, objs := m["seconds"].([]any), m["held_out"].([]any)
		var pts plotter.XYs
		for j := range secs {
			if j < len(objs) {
				pts = append(pts, plotter.XY{X: secs[j].(float64), Y: objs[j].(float64)})
			}
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			panic(err)
		}
		line.Color = plots.Categorical(i)
		progressPlot.Add(line)
		progressPlot.Legend.Add(name, line)
	}
}
progressPlot.Legend.Top, progressPlot.Legend.Left = true, true
progressPlot
''', expect={"mime": ["image/png"]}),
    md('''
The run's full configuration is in `history.Config`: saved as JSON (`json.Marshal(history)`),
it reproduces these numbers bit for bit with `meta.Train`, and `cfg.Checkpoint` makes a long run
resumable after an interruption.
'''),
]

notebook(os.path.join(ROOT, "notebooks", "03-meta-learning.ipynb"), cells, min_images=7)
