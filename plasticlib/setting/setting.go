// Package setting names the learning settings of each built-in task: the
// network, the task, the learning rate and weight-change clip of the rule,
// the learning run and the criterion, bundled so that a preset rule used on
// a task learns with that task's values unless the caller overrides them.
//
// Two settings exist for every task:
//
//   - "miconi": the values of Miconi (2017)'s published code for the task
//     (dnms/net.cpp for the DNMS family and evidence accumulation, which
//     Miconi did not publish; selectiveint/net.cpp for context integration).
//   - "paper": the setting behind the Maoutsa paper's figure 1. The paper does
//     not publish it. For context integration it is the setting calibrated
//     here so that theta_33 learns about as fast as the paper reports (see
//     notebook 04 and plasticlib/cmd/learnruns); for the other tasks it is
//     Miconi's.
//
// A Setting is plain data: change its fields before building anything from
// it. This package sits above network, task, rule, learn and eval and below
// every command and notebook; it imports nothing of the kernel or plots.
package setting

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Task names, as the commands take them (-task).
const (
	DNMS          = "dnms"
	Context       = "context"
	LongDelay     = "long-delay"
	VariableDelay = "variable-delay"
	Evidence      = "evidence"
)

// Setting names (-setting).
const (
	Miconi = "miconi"
	Paper  = "paper"
)

// Tasks lists the task names in a fixed order.
func Tasks() []string { return []string{DNMS, Context, LongDelay, VariableDelay, Evidence} }

// Names lists the setting names.
func Names() []string { return []string{Miconi, Paper} }

// Setting is everything a learning run on a built-in task needs besides the
// rule's coefficients and the seeds.
type Setting struct {
	// Name is the setting's name ("miconi" or "paper") and TaskName the
	// task's ("dnms", "context", ...).
	Name, TaskName string
	// Net is the network; its Dt and NumInputs agree with the task.
	Net network.Config
	// DNMS, ContextCfg and EvidenceCfg: the task's configuration, the one
	// that matches TaskName (the others are zero). Change Dt through
	// SetDt, which keeps the network and the task in step.
	DNMS        task.DNMSConfig
	ContextCfg  task.ContextConfig
	EvidenceCfg task.EvidenceConfig
	// Eta and MaxDW are the learning rate and the clip of every rule of the
	// polynomial family (theta_33, EH, meta-learned rules) on this task.
	Eta, MaxDW float64
	// NodePertEta is the learning rate of node perturbation (Fiete & Seung
	// 2006), whose trace has another scale; it shares MaxDW.
	NodePertEta float64
	// Learn is the learning run (episodes, warm-up, baseline).
	Learn learn.Config
	// Criterion is "learned" (Miconi's: 95 of 100 trials with error < 1).
	Criterion eval.Criterion
	// FixedNet makes every run use the network of Net.Seed, the run's
	// seed then seeding only its trials (initial states, perturbations,
	// task noise): the paper's "random initial state" condition, with
	// Net.InitX = 1. Default false: each run draws its own network (J,
	// W_in) from its seed, the "random initial J" condition.
	FixedNet bool
}

// Lookup returns the named setting of the named task. Errors name the
// argument and list the valid values.
func Lookup(taskName, name string) (Setting, error) {
	if !slices.Contains(Tasks(), taskName) {
		return Setting{}, fmt.Errorf("setting: unknown task %q (want one of %s)", taskName, strings.Join(Tasks(), ", "))
	}
	if !slices.Contains(Names(), name) {
		return Setting{}, fmt.Errorf("setting: unknown setting %q (want one of %s)", name, strings.Join(Names(), ", "))
	}
	s := Setting{Name: name, TaskName: taskName, Net: network.DefaultConfig(), Learn: learn.DefaultConfig(),
		Criterion: eval.DefaultCriterion(), Eta: 0.1, MaxDW: 3e-4, NodePertEta: 0.001}
	s.Learn.Episodes = 3000
	switch taskName {
	case DNMS:
		s.DNMS = task.DefaultDNMS()
	case LongDelay:
		s.DNMS = task.LongDelayDNMS()
	case VariableDelay:
		s.DNMS = task.VariableDelayDNMS()
	case Evidence:
		s.EvidenceCfg = task.DefaultEvidence()
		s.Learn.Episodes = 6000
	case Context:
		// selectiveint/net.cpp: eta 0.01, maxdw 2e-4, A = 30.
		s.ContextCfg = task.DefaultContext()
		s.Eta, s.MaxDW, s.NodePertEta = 0.01, 2e-4, 1e-4
		s.Net.PerturbAmp = 30
		if name == Paper {
			paperContext(&s)
		}
	}
	tk, err := s.Task()
	if err != nil {
		return Setting{}, err
	}
	s.Net.NumInputs = tk.NumInputs()
	return s, nil
}

// MustLookup is Lookup for names known to be valid; it panics otherwise.
func MustLookup(taskName, name string) Setting {
	s, err := Lookup(taskName, name)
	if err != nil {
		panic(err)
	}
	return s
}

// SetDt sets the time step of the network and of the task.
func (s *Setting) SetDt(dt float64) {
	s.Net.Dt = dt
	s.DNMS.Dt, s.ContextCfg.Dt, s.EvidenceCfg.Dt = dt, dt, dt
}

// Task builds the setting's task.
func (s Setting) Task() (task.Task, error) {
	switch s.TaskName {
	case DNMS, LongDelay, VariableDelay:
		return task.NewDNMS(s.DNMS)
	case Context:
		return task.NewContext(s.ContextCfg)
	case Evidence:
		return task.NewEvidence(s.EvidenceCfg)
	}
	return nil, fmt.Errorf("setting.Setting.TaskName: unknown task %q (want one of %s)", s.TaskName, strings.Join(Tasks(), ", "))
}

// Rule returns a copy of r that learns at this setting: Eta and MaxDW (or
// NodePertEta for node perturbation) replaced by the setting's.
func (s Setting) Rule(r rule.Rule) rule.Rule {
	r = r.Clone()
	r.Eta, r.MaxDW = s.Eta, s.MaxDW
	if r.Kind == rule.NodePerturbation {
		r.Eta = s.NodePertEta
	}
	return r
}

// Learner returns a learner of r (as given: call Rule first for the
// setting's eta and clip) on this setting's task and a new network, both
// seeded as Run seeds them: the network by seed unless FixedNet, the
// trial streams by seed. It runs the setting's episodes when run, without
// a stop; set Config.Episodes or Config.Stop to change that.
func (s Setting) Learner(r rule.Rule, seed uint64) (*learn.Learner, error) {
	tk, err := s.Task()
	if err != nil {
		return nil, err
	}
	nc, lc := s.Net, s.Learn
	lc.Seed = seed
	if !s.FixedNet {
		nc.Seed = seed
	}
	net, err := network.New(nc)
	if err != nil {
		return nil, err
	}
	return learn.New(net, tk, r, lc)
}

// Run makes one learning run of r (as given: call Rule first for the
// setting's eta and clip) on a network and trial streams seeded by seed,
// stopping at the criterion when stopAtCriterion.
func (s Setting) Run(ctx context.Context, r rule.Rule, seed uint64, stopAtCriterion bool) (*learn.History, error) {
	if stopAtCriterion {
		if err := s.Criterion.Validate(); err != nil {
			return nil, err
		}
	}
	l, err := s.Learner(r, seed)
	if err != nil {
		return nil, err
	}
	if stopAtCriterion {
		l.Config.Stop = s.Criterion.Stop
	}
	return l.Run(ctx)
}

// RunSeeds makes one run of r per seed, in parallel on workers goroutines
// (0: one per CPU), and returns the histories in seed order; the error
// joins every run's, wrapped with its seed. An interrupted run keeps the
// episodes it had made.
func (s Setting) RunSeeds(ctx context.Context, r rule.Rule, seeds []uint64, workers int, stopAtCriterion bool) ([]*learn.History, error) {
	return eval.RunSeeds(ctx, seeds, workers, func(ctx context.Context, seed uint64) (*learn.History, error) {
		return s.Run(ctx, r, seed, stopAtCriterion)
	})
}

func (s Setting) String() string {
	return fmt.Sprintf("%s setting of %s: N = %d, dt = %g ms, A = %g, eta %g, maxdw %g, readout %v",
		s.Name, s.TaskName, s.Net.N, s.Net.Dt, s.Net.PerturbAmp, s.Eta, s.MaxDW, s.Net.Readout)
}

// RuleNamed returns the rule that spec names: a preset (rule.PresetNames),
// which then learns with this setting's eta and clip, or the path of a
// rule saved as JSON (store.SaveRule, ending in .json), which keeps its
// own.
func (s Setting) RuleNamed(spec string) (rule.Rule, error) {
	if strings.HasSuffix(spec, ".json") {
		return store.LoadRule(spec)
	}
	r, err := rule.Preset(spec)
	if err != nil {
		return r, fmt.Errorf("%w (or a rule file ending in .json)", err)
	}
	return s.Rule(r), nil
}

// RandomInitialState returns s in the paper's "random initial state"
// condition: one network (that of Net.Seed) for every run, each trial
// starting from x ~ Uniform(-1, 1) instead of Uniform(-0.1, 0.1).
func (s Setting) RandomInitialState() Setting {
	s.FixedNet, s.Net.InitX = true, 1
	return s
}

// InCondition returns s in the named condition: "random-j" (s itself: a
// network per seed) or "random-state" (RandomInitialState, with the
// network of netSeed).
func (s Setting) InCondition(name string, netSeed uint64) (Setting, error) {
	switch name {
	case "random-j":
		return s, nil
	case "random-state":
		s = s.RandomInitialState()
		s.Net.Seed = netSeed
		return s, nil
	}
	return s, fmt.Errorf("-condition: unknown %q (want random-j or random-state)", name)
}
