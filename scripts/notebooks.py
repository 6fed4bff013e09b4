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

LIBRARY = ["plasticlib/eval", "plasticlib/learn", "plasticlib/network", "plasticlib/rule", "plasticlib/task", "plots"]


def imports(std=(), lib=LIBRARY):
    """Returns the import cell: standard packages, then the project's."""
    lines = ['\t"%s"' % p for p in ["fmt"] + list(std)]
    lines.append("")
    lines += ['\t"github.com/plasticnb/plasticnb/%s"' % p for p in lib]
    return "import (\n" + "\n".join(lines) + "\n)"


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
        code(imports()),
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


# RUN_SEEDS is a cell defining runSeeds: learning runs over seeds on all
# cores, through eval.RunLearning (the non-generic form of eval.RunSeeds,
# which an interpreted cell cannot instantiate).
RUN_SEEDS = '''
// runSeeds runs one learning run per seed (the seed sets both the network's
// weights and the run's random streams) on all cores, in seed order.
func runSeeds(netCfg network.Config, tk task.Task, r rule.Rule, cfg learn.Config, seeds []uint64) []*learn.History {
	hs, err := eval.RunLearning(display.CellContext(), seeds, 0, func(ctx context.Context, seed uint64) (*learn.History, error) {
		nc, lc := netCfg, cfg
		nc.Seed, lc.Seed = seed, seed
		return learn.Run(ctx, nc, tk, r, lc)
	})
	if err != nil {
		panic(fmt.Errorf("%s: %w", r.Name, err))
	}
	return hs
}
'''

def credit_assignment():
    cells = [
        md('''
# Credit assignment with a reward at the end of the trial

A three-factor rule has to solve a credit-assignment problem: during a trial, every synapse j -> i
sees only local quantities (the presynaptic rate r_j and the postsynaptic fluctuation dx_i), and
the only feedback, one scalar reward, arrives after the trial is over. The rule bridges the gap
with an **eligibility trace** e_ij that accumulates H(r_j, dx_i) during the trial; at trial end
the reward prediction error (E - Ebar) turns the trace into a weight change,
dJ = -eta m(Ebar) (E - Ebar) e.

This notebook shows

1. the eligibility traces of a few synapses across a trial, early and late in learning, with the
   reward at the end;
2. the network's activity in a trial after learning;
3. the structure of the accumulated weight change: its singular values and the spectrum of J
   before and after learning;
4. three rules on the same task over several seeds: Miconi's cubic rule (r dx)^3, the linear
   fluctuation-Hebbian rule r dx ("EH", exploratory Hebbian), and node perturbation (Fiete & Seung
   2006), which correlates the reward with the exploratory perturbations themselves rather than
   with the fluctuations they cause.

**Scale and time.** The quick scale (default) uses DNMS with N = 100 units, dt = 5 ms,
4000 trials and 4 seeds per rule: about a minute on a 2-core machine, most of it the rule
comparison. The reference scale (`N = 200`, `dt = 1.0`, `episodes = 10000`, `numSeeds = 10`)
takes roughly 10 ms per trial per core: about 15 minutes on 2 cores for the comparison.
'''),
        code(imports(["context"])),
        code('''
// The scale of this notebook: change these and rerun everything.
N, dt := 100, 5.0
episodes, numSeeds := 4000, 4

netCfg := network.DefaultConfig()
netCfg.N = N
netCfg.Dt = dt
taskCfg := task.DefaultDNMS()
taskCfg.Dt = dt
dnms, err := task.NewDNMS(taskCfg)
if err != nil {
	panic(err)
}
fmt.Println(dnms)
''', expect={"stdout": "DNMS"}),
        md('''
## 1. Eligibility traces across a trial

We build the network ourselves (`network.New`) and keep a copy of its initial weights, then run
a `learn.Learner` on it, asking the run to record (`learn.Record`) the eligibility traces of a
few synapses in an early trial (just after the 100-trial warm-up) and in the last one, the
network's activity in the last trial, and the sum of all weight changes.
'''),
        code('''
net, err := network.New(netCfg)
if err != nil {
	panic(err)
}
J0 := net.Clone().J // the initial weights, for the spectrum below

cfg := learn.DefaultConfig()
cfg.Episodes = episodes
cfg.Record = learn.Record{
	Traces:   []int{cfg.WarmUp + 3, episodes - 1},
	Synapses: [][2]int{{0, 2}, {0, 3}, {0, 40}, {20, 50}, {60, 70}},
	Activity: []int{episodes - 4, episodes - 3, episodes - 2, episodes - 1},
	DeltaJ:   true,
}
learner, err := learn.New(net, dnms, rule.MiconiCubic(), cfg)
if err != nil {
	panic(err)
}
hist, err := learner.Run(display.CellContext())
if err != nil {
	panic(err)
}
n, ok := eval.DefaultCriterion().Episodes(hist.Errors)
fmt.Printf("%d trials; criterion met: %v (after %d trials)\\n", hist.Len(), ok, n)
''', expect={"stdout": "trials; criterion met"}),
        md('''
Each panel is one trial; each line one synapse (post i <- pre j). The trace only grows when the
postsynaptic unit fluctuates, mostly when a perturbation kicks it or a stimulus (sand bands)
drives the network; with Miconi's cubic rule, large fluctuations dominate, so the trace moves in
jumps. Nothing happens to the weights during the trial: the reward arrives once, at the dashed
line, and multiplies the whole trace.
'''),
        code('''
plots.EligibilityTraces(dnms, hist.Traces...)
''', expect={"mime": ["image/png"]}),
        md('''
## 2. Activity after learning

The last trial: every unit's rate (top), and the output, neuron 0, against its target (bottom).
'''),
        code('''
plots.Activity(dnms, hist.Activity[len(hist.Activity)-1])
''', expect={"mime": ["image/png"]}),
        md('''
## 3. The structure of the weight change

The accumulated change dJ = J_after - J_before is the sum of thousands of rank-limited updates.
If the rule assigned credit to a few task-relevant directions, dJ is close to low-rank: its
singular values drop fast, and the leading few carry most of its squared norm (the title says how
much). The spectrum of J shows what the change does to the dynamics: grey rings before learning,
dots after; the dashed unit circle is the edge of stability of the linearised network.
'''),
        code('''
plots.SingularValues(hist.DeltaJ)
''', expect={"mime": ["image/png"]}),
        code('''
plots.Spectrum(J0, net.J)
''', expect={"mime": ["image/png"]}),
        md('''
## 4. Three rules on the same task

`runSeeds` (below) runs one learning run per seed on all cores; the seed sets both the initial
weights and the run's random streams, so each rule meets exactly the same networks, trials and
perturbations. (The library's `eval.RunSeeds` does the same but is a generic function, which the
interpreter cannot call; this cell is its non-generic twin.)
'''),
        code(RUN_SEEDS),
        code('''
rules := []rule.Rule{rule.MiconiCubic(), rule.EH(), rule.NodePert()}
seeds := eval.Seeds(0, numSeeds)
runs := make([]plots.Runs, len(rules))
groups := make([]plots.Outcomes, len(rules))
bar := display.Progress(len(rules), "rules")
for i, r := range rules {
	hs := runSeeds(netCfg, dnms, r, cfg, seeds)
	runs[i] = plots.Runs{Name: r.Name, Histories: hs}
	groups[i] = plots.Outcomes{Name: r.Name, Runs: eval.DefaultCriterion().Outcomes(hs)}
	bar.Add(1)
}
bar.Done()
for _, g := range groups {
	fmt.Printf("%-18s episodes to criterion: %v\\n", g.Name, eval.SummarizeOutcomes(g.Runs))
}
''', expect={"stdout": "episodes to criterion"}),
        md('''
Learning curves: median over seeds (line) and interquartile range (band) of the performance,
the fraction of the last 100 trials with an error below 0.5.
'''),
        code('''
plots.LearningCurves(plots.CurveConfig{Title: "DNMS: three rules, median and IQR over seeds"}, runs...)
''', expect={"mime": ["image/png"]}),
        md('''
Episodes to criterion, one dot per seed, with the median as a bar; hollow triangles are runs
that did not reach the criterion within the run (censored at its length, so they are lower
bounds).
'''),
        code('''
plots.EpisodesToCriterion(groups...)
''', expect={"mime": ["image/png"]}),
        md('''
## What to read from this

At the quick scale (N = 100, dt = 5 ms, 4000 trials, 4 seeds) the comparison is noisy and many
runs are censored: take it as a demonstration of the tools, not as a result. In our runs node
perturbation met the criterion on most seeds, Miconi's rule on few (its runs sit on
the 75% plateau for a long time: three of the four trial types right), and the linear EH rule on
none: r dx weights small and large
fluctuations alike, so the everyday fluctuations drown the informative ones that the cubic rule
(and node perturbation, which sees the perturbations directly) single out. Rerun at the reference
scale (the first code cell) for numbers worth quoting.
'''),
    ]
    return cells, 6


def generalisation():
    cells = [
        md('''
# Generalisation: rules on held-out tasks and architectures

A plasticity rule is only interesting if it works beyond the setting it was designed (or
meta-learned) in. This notebook runs several rules on the training setting, DNMS, and on
held-out tasks and network architectures (spec section 5), and reports episodes to criterion
as a table and a figure. The criterion is the spec's (95% of the last 100 trials with an error
below 0.5) at the paper scale; at the quick scale it is **relaxed to 70%**, which a network meets
once it answers three of the four DNMS trial types (the typical plateau before the XOR is
solved): small networks with a coarse time step rarely meet the full criterion within the few
thousand trials a quick run can afford, and a table of censored runs says nothing.

**The rules.** Miconi's cubic rule (r dx)^3, the linear fluctuation-Hebbian rule r dx ("EH"),
node perturbation, and a rule **loaded from a JSON file**. The point of the JSON rule is the
workflow: a rule meta-learned elsewhere (`03-meta-learning`) is saved with `store.SaveRule` and
evaluated here with `store.LoadRule`. Meta-training a rule worth testing takes longer than this
notebook's quick scale allows, so this notebook saves a hand-written stand-in,
H = r dx^3 (theta_13 = 1), and loads it back: **it is not a learned rule**, and it is labelled
as such everywhere. To test a meta-learned rule, point `rulePath` at the file that
`03-meta-learning` saves (and drop the stand-in's `SaveRule`).

**The conditions.** At the quick scale: DNMS itself (the "training" task), DNMS with a variable
delay (a held-out task), a weaker initial gain g = 1.2, and Dale's law (the first half of the
columns of J excitatory, the rest inhibitory). The paper scale adds N = 100 against the base
N = 200, long-delay DNMS, context-dependent integration, sparse J (connection probability 0.2)
and a random initial state (x drawn from Uniform(-1, 1) instead of Uniform(-0.1, 0.1)).

**Scale and time.** `paperScale := false` (the default, for the tests): N = 100, dt = 5 ms,
2 seeds, at most 2000 trials per run (a run stops when it meets the criterion), the relaxed
criterion: about a minute on a 2-core machine. With two seeds it is a demonstration of the
workflow, not a result.
`paperScale := true`: N = 200, dt = 1 ms, 10 seeds, up to 10000 trials, 9 conditions: several
hours on 2 cores.
'''),
        code(imports(["context", "os", "path/filepath"], LIBRARY + ["plasticlib/store"])),
        code('''
// false: the quick scale (the tests); true: the paper's scale (hours).
paperScale := false
'''),
        md('''
## The rules

The stand-in rule goes through a JSON file, as a learned rule would. This is what the file
holds: the coefficients theta_kl as rows (pre power k), and the learning parameters.
'''),
        code('''
saved, err := rule.New("saved rule r dx^3 (not learned)", 3, 3)
if err != nil {
	panic(err)
}
saved.Theta[1][3] = 1
dir, err := os.MkdirTemp("", "plasticnb-rules")
if err != nil {
	panic(err)
}
rulePath := filepath.Join(dir, "rule.json")
if err := store.SaveRule(rulePath, saved); err != nil {
	panic(err)
}
js, err := os.ReadFile(rulePath)
if err != nil {
	panic(err)
}
fmt.Println(string(js))

loaded, err := store.LoadRule(rulePath)
if err != nil {
	panic(err)
}
rules := []rule.Rule{rule.MiconiCubic(), rule.EH(), rule.NodePert(), loaded}
for _, r := range rules {
	fmt.Println("rule:", r.Name)
}
''', expect={"stdout": "rule: saved rule r dx^3 (not learned)"}),
        md('''
## The conditions

Each condition is a network configuration and a task. `with` copies the base network, fits its
input channels to the task and applies a change.
'''),
        code('''
N, dt, episodes, numSeeds := 100, 5.0, 2000, 2
crit := eval.Criterion{Window: 100, Fraction: 0.7, Threshold: 0.5} // relaxed: see the top
if paperScale {
	N, dt, episodes, numSeeds = 200, 1.0, 10000, 10
	crit = eval.DefaultCriterion()
}

type condition struct {
	Name string
	Net  network.Config
	Task task.Task
}

func mustTask(tk task.Task, err error) task.Task {
	if err != nil {
		panic(err)
	}
	return tk
}

func dnmsAt(c task.DNMSConfig, dt float64) task.Task {
	c.Dt = dt
	return mustTask(task.NewDNMS(c))
}

base := network.DefaultConfig()
base.N = N
base.Dt = dt
with := func(name string, tk task.Task, change func(c *network.Config)) condition {
	c := base
	c.NumInputs = tk.NumInputs()
	if change != nil {
		change(&c)
	}
	return condition{Name: name, Net: c, Task: tk}
}

dnms := dnmsAt(task.DefaultDNMS(), dt)
conds := []condition{
	with("DNMS (train)", dnms, nil),
	with("variable delay", dnmsAt(task.VariableDelayDNMS(), dt), nil),
	with("g = 1.2", dnms, func(c *network.Config) { c.G = 1.2 }),
	with("Dale's law", dnms, func(c *network.Config) { c.Dale = true }),
}
if paperScale {
	ctxCfg := task.DefaultContext()
	ctxCfg.Dt = dt
	conds = append(conds,
		with("N = 100", dnms, func(c *network.Config) { c.N = 100 }),
		with("long delay", dnmsAt(task.LongDelayDNMS(), dt), nil),
		with("context", mustTask(task.NewContext(ctxCfg)), func(c *network.Config) { c.PerturbAmp = 30 }),
		with("sparse J (p = 0.2)", dnms, func(c *network.Config) { c.ConnProb = 0.2 }),
		with("random initial state", dnms, func(c *network.Config) { c.InitX = 1 }),
	)
}
for _, c := range conds {
	fmt.Printf("%-22s N = %d, g = %g, Dale = %v, p = %g, task %v\\n", c.Name, c.Net.N, c.Net.G, c.Net.Dale, c.Net.ConnProb, c.Task)
}
''', expect={"stdout": "DNMS (train)"}),
        md('''
## Running every rule under every condition

The same seeds for every cell of the table: each rule meets the same initial networks, trials
and perturbations. A run stops as soon as it meets the criterion (`learn.Config.Stop`).
'''),
        code(RUN_SEEDS),
        code('''
cfg := learn.DefaultConfig()
cfg.Episodes = episodes
cfg.Stop = func(h *learn.History) bool {
	_, ok := crit.Episodes(h.Errors)
	return ok
}
seeds := eval.Seeds(0, numSeeds)

table := plots.GeneralisationTable{}
for _, c := range conds {
	table.Conditions = append(table.Conditions, c.Name)
}
var trainRuns []plots.Runs // learning curves on the training condition
bar := display.Progress(len(rules)*len(conds), "rule x condition")
for _, r := range rules {
	table.Rules = append(table.Rules, r.Name)
	row := make([][]eval.Outcome, len(conds))
	for j, c := range conds {
		hs := runSeeds(c.Net, c.Task, r, cfg, seeds)
		row[j] = crit.Outcomes(hs)
		if j == 0 {
			trainRuns = append(trainRuns, plots.Runs{Name: r.Name, Histories: hs})
		}
		bar.Add(1)
	}
	table.Outcomes = append(table.Outcomes, row)
}
bar.Done()
fmt.Println("runs:", len(rules)*len(conds)*len(seeds))
''', expect={"stdout": "runs:"}),
        md('''
## The table

Median episodes to criterion over seeds, with the number of censored runs (runs that did not
meet the criterion within the cap, counted at the cap: a lower bound). The criterion used:
'''),
        code('''
md := fmt.Sprintf("Criterion: %.0f%% of the last %d trials with error < %g.\\n\\n", 100*crit.Fraction, crit.Window, crit.Threshold)
md += "| rule |"
sep := "| --- |"
for _, c := range table.Conditions {
	md += " " + c + " |"
	sep += " --- |"
}
md += "\\n" + sep + "\\n"
for i, r := range table.Rules {
	md += "| " + r + " |"
	for j := range table.Conditions {
		s := eval.SummarizeOutcomes(table.Outcomes[i][j])
		md += fmt.Sprintf(" %.0f (%d/%d censored) |", s.Median, s.Censored, s.N)
	}
	md += "\\n"
}
display.Show(display.Markdown(md))
''', expect={"mime": ["text/markdown"]}),
        md('''
The same as a figure: each cell is coloured by how much faster (blue) or slower (red) the rule
learns than the first rule, Miconi's, under the same condition.
'''),
        code('''
plots.Generalisation(table)
''', expect={"mime": ["image/png"]}),
        md('''
And the learning curves on the training condition, DNMS (runs end when they meet the criterion,
so later points are over fewer seeds).
'''),
        code('''
plots.LearningCurves(plots.CurveConfig{Criterion: crit, Title: "DNMS (training condition)"}, trainRuns...)
''', expect={"mime": ["image/png"]}),
        code('''
if err := os.RemoveAll(dir); err != nil {
	panic(err)
}
'''),
        md('''
## Reading the result

At the quick scale the table says how fast each rule gets a small, coarse network past the first
stage of DNMS (three trial types of four), on two seeds: read it as a demonstration of the
tools. To compare rules properly, with the full criterion, set `paperScale := true` (hours). To evaluate a meta-learned rule, save it with
`store.SaveRule` in `03-meta-learning` and point `rulePath` at that file.
'''),
    ]
    return cells, 2


def your_own_task():
    cells = [
        md('''
# Your own task

plasticlib's learning loop works with any task that implements the four-method interface
`task.Task`: how many trial types, how many input channels, how many time steps, and how to fill
one trial's inputs, target and scored window. This notebook defines a new task in a cell, as a
Go type, checks and draws it, and runs three rules on it.

The task here is **cue recall**: a cue on channel A or B for the first 200 ms, noisy inputs
throughout, a delay, and then the network must answer +0.98 (cue A) or -0.98 (cue B) over the
last 200 ms of an 800 ms trial. It is easier than DNMS (no XOR: a single remembered bit), so
a small network learns it in a few hundred trials.

**Scale and time.** N = 100 units, dt = 5 ms, 5 seeds, up to 2000 trials (a run stops at the
criterion): about 15 seconds on a 2-core machine.

**Meta-training on your task.** The last section hands the task to `plasticlib/meta`, which
meta-learns the rule's coefficients by tangent propagation through whole learning runs. At the
quick scale this is a small demonstration of the workflow (N = 50, 200 trials per learning run,
4 meta-iterations: about 20 seconds), not a converged result: see `03-meta-learning` for
meta-training at a useful scale.

**Total:** about 40 seconds on a 2-core machine.
'''),
        code(imports(["context", "math/rand/v2"], LIBRARY + ["plasticlib/meta"])),
        md('''
## The task as a Go type

Times are in ms and converted to steps with the time step `Dt`, so the same task works at any
dt. `Trial` receives a zeroed trial of the right size (`task.Trial`): it sets the inputs
(`Set` fills a channel over a range of steps), the target at every step and the scored window
`[EvalStart, EvalEnd)`. Any randomness must come from `rng`, so that runs are reproducible.
'''),
        code('''
// CueRecall: remember which of two channels carried a cue, answer after a delay.
type CueRecall struct {
	Dt    float64 // time step, ms
	Noise float64 // standard deviation of the input noise
}

func (c CueRecall) NumTypes() int  { return 2 }
func (c CueRecall) NumInputs() int { return 2 }
func (c CueRecall) Steps() int     { return int(800 / c.Dt) }
func (c CueRecall) String() string { return "cue recall" }

func (c CueRecall) Trial(dst *task.Trial, typ int, rng *rand.Rand) {
	step := func(ms float64) int { return int(ms / c.Dt) }
	dst.Set(0, step(200), typ, 1) // the cue: channel 0 (A) or 1 (B)
	for i := range dst.Inputs {
		dst.Inputs[i] += c.Noise * rng.NormFloat64()
	}
	target := 0.98
	if typ == 1 {
		target = -0.98
	}
	for t := range dst.Target {
		dst.Target[t] = target
	}
	dst.EvalStart, dst.EvalEnd = step(600), step(800)
}

dt := 5.0
recall := CueRecall{Dt: dt, Noise: 0.1}
if err := task.Validate(recall); err != nil {
	panic(err)
}
fmt.Printf("%v: %d types, %d inputs, %d steps\\n", recall, recall.NumTypes(), recall.NumInputs(), recall.Steps())
''', expect={"stdout": "cue recall: 2 types, 2 inputs, 160 steps"}),
        md('''
`task.Generate` makes one trial and checks it (a scored window outside the trial, or a wrong
type, is an error).
'''),
        code('''
var trial task.Trial
if err := task.Generate(recall, &trial, 1, rand.New(rand.NewPCG(1, 2))); err != nil {
	panic(err)
}
fmt.Printf("type %d: scored over steps [%d, %d), target %.2f\\n", trial.Type, trial.EvalStart, trial.EvalEnd, trial.Target[trial.EvalStart])
''', expect={"stdout": "scored over steps [120, 160)"}),
        md('''
For a one-off task, `task.Func` saves writing a type: give it a name, the sizes and a fill
function. Here it wraps a noise-free copy of the task, to draw one clean trial of each type
(with noise, the schematic would shade the whole trial as stimulus). Time is in steps in this
figure: a task value created in a cell reaches compiled code through the interpreter's
`task.Task` adapter, which passes on only the interface's methods (not `Dt` or `String`), and
`task.Func` has no time step either.
'''),
        code('''
clean := CueRecall{Dt: dt}
recallFunc := task.Func{Name: "cue recall", Types: 2, Inputs: 2, Length: clean.Steps(), Fill: clean.Trial}
if err := task.Validate(recallFunc); err != nil {
	panic(err)
}
plots.TaskSchematic(recallFunc, 1)
''', expect={"mime": ["image/png"]}),
        md('''
## Three rules on it

The network's input channels must match the task's. Runs stop once they meet the criterion
(95% of the last 100 trials with an error below 0.5).
'''),
        code(RUN_SEEDS),
        code('''
netCfg := network.DefaultConfig()
netCfg.N = 100
netCfg.Dt = dt
netCfg.NumInputs = recall.NumInputs()

cfg := learn.DefaultConfig()
cfg.Episodes = 2000
cfg.Stop = func(h *learn.History) bool {
	_, ok := eval.DefaultCriterion().Episodes(h.Errors)
	return ok
}

rules := []rule.Rule{rule.MiconiCubic(), rule.EH(), rule.NodePert()}
seeds := eval.Seeds(0, 5)
var runs []plots.Runs
var groups []plots.Outcomes
bar := display.Progress(len(rules), "rules")
for _, r := range rules {
	hs := runSeeds(netCfg, recall, r, cfg, seeds)
	runs = append(runs, plots.Runs{Name: r.Name, Histories: hs})
	groups = append(groups, plots.Outcomes{Name: r.Name, Runs: eval.DefaultCriterion().Outcomes(hs)})
	bar.Add(1)
}
bar.Done()
for _, g := range groups {
	fmt.Printf("%-18s episodes to criterion: %v\\n", g.Name, eval.SummarizeOutcomes(g.Runs))
}
''', expect={"stdout": "episodes to criterion"}),
        code('''
plots.LearningCurves(plots.CurveConfig{Title: "cue recall: median and IQR over seeds"}, runs...)
''', expect={"mime": ["image/png"]}),
        code('''
plots.EpisodesToCriterion(groups...)
''', expect={"mime": ["image/png"]}),
        md('''
## Meta-training a rule on your task

`meta.Problem` describes one learning run (network, task, starting rule, learning config) and
which meta-parameters to learn (by default every theta_kl); `meta.Train` runs Adam on the exact
meta-gradient of the run's mean reward, with fresh training seeds every iteration and a fixed set
of held-out seeds to watch overfitting. `Smooth` makes the error and the clipping differentiable.

Two details of the interpreter: the task goes in as the `task.Func` made from it (a value of a
type defined in a cell cannot be stored in a compiled struct's interface field), and the run
here is tiny (N = 50, 200 trials, no warm-up) so that the cell takes seconds.
'''),
        code('''
metaNet := network.DefaultConfig()
metaNet.N = 50
metaNet.Dt = dt
metaNet.NumInputs = recall.NumInputs()
metaLearn := learn.DefaultConfig()
metaLearn.Episodes, metaLearn.WarmUp = 200, 0

recallTask := task.Func{Name: "cue recall", Types: 2, Inputs: 2, Length: recall.Steps(), Fill: recall.Trial}
problem := meta.Problem{Net: metaNet, Task: recallTask, Rule: rule.MiconiCubic(), Learn: metaLearn,
	Smooth: meta.Smooth{AbsEps: 1e-4, Clip: true}}
metaCfg := meta.DefaultConfig(problem, meta.TaskSpec{})
metaCfg.Iterations = 4
metaCfg.LR = 0.05
metaBar := display.Progress(metaCfg.Iterations, "meta-iterations")
metaCfg.Progress = func(r meta.Record) {
	fmt.Printf("iteration %d: objective %.4f (train), %.4f (held-out)\\n", r.Iteration, r.Objective, r.HeldOut)
	metaBar.Add(1)
}
metaHist, err := meta.Train(display.CellContext(), metaCfg)
metaBar.Done()
if err != nil {
	panic(err)
}
learned, err := problem.Params.Apply(problem.Rule, metaHist.Phi)
if err != nil {
	panic(err)
}
learned.Name = "meta-learned (cue recall)"
fmt.Println(learned)
''', expect={"stdout": "iteration 3"}),
        code('''
plots.MetaHistory(metaHist)
''', expect={"mime": ["image/png"]}),
        code('''
plots.MetaCoefficients(metaHist)
''', expect={"mime": ["image/png"]}),
        md('''
The meta-learned rule against its starting point, Miconi's rule, on the networks of the rule
comparison above (N = 100, the same seeds): a test of the rule on a larger network than it was
trained on.
'''),
        code('''
learnedRuns := runSeeds(netCfg, recall, learned, cfg, seeds)
learnedOut := eval.DefaultCriterion().Outcomes(learnedRuns)
fmt.Printf("%-26s episodes to criterion: %v\\n", groups[0].Name, eval.SummarizeOutcomes(groups[0].Runs))
fmt.Printf("%-26s episodes to criterion: %v\\n", learned.Name, eval.SummarizeOutcomes(learnedOut))
plots.EpisodesToCriterion(groups[0], plots.Outcomes{Name: learned.Name, Runs: learnedOut})
''', expect={"mime": ["image/png"], "stdout": "meta-learned (cue recall)"}),
        md('''
This is what too small a meta-training run looks like. Over 200 trials a 50-unit network hardly
learns the task with any of these rules, so the objective (minus the mean error, near -0.96)
barely changes and its gradient is mostly noise from the fresh seeds of each iteration. Adam
moves every coefficient by about its learning rate per iteration whatever the gradient's size,
so after 4 iterations every theta_kl has drifted by about 0.1 to 0.2, and in our run the
resulting rule learns cue recall at N = 100 more slowly than the Miconi rule it started from (the
numbers above are computed, not quoted). A real meta-training run needs learning runs long
enough for learning to happen, more seeds per iteration and more iterations
(`metaLearn.Episodes`, `metaCfg.Seeds`, `metaCfg.Iterations`), and a smaller step (`metaCfg.LR`);
`03-meta-learning` does it at a useful scale.
'''),
        md('''
## Going further

- Make the task harder: a longer delay (`Steps` and the scored window), more noise, four cue
  channels (`NumTypes`, `NumInputs`), or a target that depends on two cues (that is DNMS).
- Save a rule that works well with `store.SaveRule` and evaluate it on other tasks and networks
  in `05-generalisation`.
'''),
    ]
    return cells, 6


NOTEBOOKS = {
    "01-quickstart": quickstart,
    "02-credit-assignment": credit_assignment,
    "05-generalisation": generalisation,
    "06-your-own-task": your_own_task,
}


def main(names):
    for name in names or sorted(NOTEBOOKS):
        cells, images = NOTEBOOKS[name]()
        path = os.path.join(ROOT, "notebooks", name + ".ipynb")
        notebook(path, cells, min_images=images)
        print("wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main(sys.argv[1:])
