#!/usr/bin/python3
"""Generates the notebooks in notebooks/ (saved without outputs).

Usage: /usr/bin/python3 scripts/notebooks.py [NAME...]
With no argument it writes every notebook; with names (e.g. 01-quickstart)
only those. Each notebook is a function returning its cells; the Go cells
carry "expect" metadata that test/notebooks/run_notebooks.py checks.
Notebooks 03-meta-learning and 04-paper-figure-1 are written elsewhere.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mknb import code, md, notebook  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

IMPORTS = '''
import (
	"fmt"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
	"github.com/plasticnb/plasticnb/plots"
)
'''


def quickstart():
    cells = [
        md('''
# Quick start: a network learns a memory task from a reward at the end of each trial

This notebook shows, in a few cells, the whole loop that the rest of the notebooks study:

1. a **rate recurrent network** (N units, rates r = tanh(x)),
2. a **task** with a single scalar reward at the end of each trial: delayed non-match-to-sample
   (DNMS, a sequential XOR: two stimuli, answer "different" or "same" after a delay),
3. a **three-factor plasticity rule**: Miconi's (2017) rule, which accumulates an eligibility
   trace (r_j dx_i)^3 from the presynaptic rate and the postsynaptic fluctuation during the trial
   and turns it into a weight change once the reward (minus a running baseline) arrives,
4. a **learning run** of a few thousand trials and its **learning curve**.

Cells are Go, interpreted; the heavy lifting (the network, the rule, the learning run) happens in
compiled `plasticlib` calls, so a learning run goes at native speed.

**Scale and time.** To finish in well under a minute on a laptop, this notebook uses a smaller
network and a coarser time step than Miconi's reference (N = 100 units, dt = 5 ms, instead of
N = 200, dt = 1 ms) and 5000 trials. The whole notebook takes about 10 seconds on a 2-core
machine (the learning run about 4 s). At the reference scale (set `N = 200` and `dt = 1.0` below) the run takes about
10 ms per trial, so a few thousand trials take about a minute.
'''),
        code(IMPORTS),
        md('''
## The network

`network.DefaultConfig()` returns Miconi's reference parameters (tau = 30 ms, g = 1.5, bias
units, sparse exploratory perturbations of amplitude 16 with probability 0.003 per unit and
step). We change the size and the time step. Every parameter is a field of the `Config`;
`network.New` validates it and draws the weights from `Config.Seed`.
'''),
        code('''
N, dt := 100, 5.0

netCfg := network.DefaultConfig()
netCfg.N = N
netCfg.Dt = dt
net, err := network.New(netCfg)
if err != nil {
	panic(err)
}
fmt.Printf("network: %d units, J is %dx%d, %d input channels, dt = %g ms, tau = %g ms\\n",
	netCfg.N, net.J.RawMatrix().Rows, net.J.RawMatrix().Cols, netCfg.NumInputs, netCfg.Dt, netCfg.Tau)
''', expect={"stdout": "network: 100 units"}),
        md('''
## The task

DNMS: stimulus 1 on channel A or B during 1–200 ms, stimulus 2 on A or B during 400–600 ms;
the output (the rate of neuron 0) must be -0.98 if the two were the same and +0.98 if they
differed, scored over the last 200 ms. The four trial types (AA, AB, BA, BB) come in turn, each
with its own reward baseline. The figure shows one trial of each type: the inputs above, the
target below; the sand bands are the stimuli, the blue band the scored window, after which the
reward arrives.
'''),
        code('''
taskCfg := task.DefaultDNMS()
taskCfg.Dt = dt
dnms, err := task.NewDNMS(taskCfg)
if err != nil {
	panic(err)
}
plots.TaskSchematic(dnms, 1)
''', expect={"mime": ["image/png"]}),
        md('''
## The rule

A rule of the family H(r, dx) = sum_kl theta_kl r^k dx^l, printed as its coefficient table
(rows: presynaptic power k, columns: postsynaptic power l). Miconi's rule is the single
coefficient theta_33 = 1. At the end of each trial the weights change by
dJ = -eta Ebar (E - Ebar) e, clipped to ±MaxDW, where E is the trial's error, Ebar the running
error of that trial type and e the eligibility trace.
'''),
        code('''
miconi := rule.MiconiCubic()
fmt.Println(miconi)
''', expect={"stdout": "eta"}),
        md('''
## Learning

`learn.Run` builds the network from its config and runs the episodes (trials). The first 100
trials only warm up the baselines. The progress bar updates as the run goes; passing
`display.CellContext()` lets the notebook's interrupt button stop a long run cleanly.
'''),
        code('''
learnCfg := learn.DefaultConfig()
learnCfg.Episodes = 5000
learnCfg.Seed = 0
bar := display.Progress(learnCfg.Episodes, "trials")
learnCfg.Progress = func(p learn.Progress) { bar.Add(1) }
hist, err := learn.Run(display.CellContext(), netCfg, dnms, miconi, learnCfg)
bar.Done()
if err != nil {
	panic(err)
}
fmt.Println("episodes run:", hist.Len())
''', expect={"stdout": "episodes run: 5000"}),
        md('''
## The learning curve

Performance is the fraction of the last 100 trials whose error was below 0.5; a run has learned
the task when it reaches 95% (dashed line). Chance is about 50%: a network that ignores the
stimuli is right on half the trial types at best. A long plateau near 75% is typical of this
task: the network answers three of the four trial types correctly (an OR-like solution) before it
finds the XOR. With this seed the run meets the criterion after a few thousand trials; other
seeds (`learnCfg.Seed`, `netCfg.Seed`) can take longer than 5000 trials.
'''),
        code('''
plots.LearningCurves(plots.CurveConfig{Title: "DNMS, Miconi's rule, N = 100, dt = 5 ms"},
	plots.Runs{Name: "Miconi", Histories: []*learn.History{hist}})
''', expect={"mime": ["image/png"]}),
        md('''
And the same run in numbers: the mean error over the first and the last 500 trials, and the
trial at which the criterion (95% of the last 100 trials with error below 0.5) was first met.
'''),
        code('''
func meanOf(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
first, last := meanOf(hist.Errors[:500]), meanOf(hist.Errors[hist.Len()-500:])
fmt.Printf("mean error: first 500 trials %.3f, last 500 trials %.3f\\n", first, last)
if n, ok := eval.DefaultCriterion().Episodes(hist.Errors); ok {
	fmt.Printf("criterion met after %d trials\\n", n)
} else {
	fmt.Printf("criterion not met within %d trials\\n", hist.Len())
}
''', expect={"stdout": "mean error: first 500 trials"}),
        md('''
## Where next

- `02-credit-assignment`: what the eligibility trace looks like across a trial, how the weight
  change is structured, and Miconi's rule against node perturbation and a linear Hebbian rule.
- `05-generalisation`: the rules on held-out tasks and architectures.
- `06-your-own-task`: define a task of your own in a cell and train on it.

Try changing `N`, `dt`, the rule's `Eta` or `MaxDW`, or `learnCfg.Seed`, and run the cells again.
'''),
    ]
    return cells, 2


NOTEBOOKS = {
    "01-quickstart": quickstart,
}


def main(names):
    for name in names or sorted(NOTEBOOKS):
        cells, images = NOTEBOOKS[name]()
        path = os.path.join(ROOT, "notebooks", name + ".ipynb")
        notebook(path, cells, min_images=images)
        print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
