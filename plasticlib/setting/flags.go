package setting

import (
	"flag"
	"fmt"
	"strings"
)

// Flags are the command-line flags that pick a setting (-task, -setting)
// and override its fields. Only the overrides given on the command line
// apply: a flag left out keeps the setting's value. Commands register
// them with AddFlags and call Setting after fs.Parse.
type Flags struct {
	fs           *flag.FlagSet
	task, name   string
	n            int
	dt, amp      float64
	eta, maxdw   float64
	pprob, initX float64
	bias, noise  float64
	readout      string
	plastic      bool
	threshold    float64
	episodes     int
}

// AddFlags registers the setting flags on fs, with defaultTask and
// defaultSetting as the defaults of -task and -setting.
func AddFlags(fs *flag.FlagSet, defaultTask, defaultSetting string) *Flags {
	f := &Flags{fs: fs}
	fs.StringVar(&f.task, "task", defaultTask, "task: "+strings.Join(Tasks(), ", "))
	fs.StringVar(&f.name, "setting", defaultSetting, "named setting of the task: "+strings.Join(Names(), ", "))
	fs.IntVar(&f.n, "n", 200, "network size N (overrides the setting)")
	fs.Float64Var(&f.dt, "dt", 1, "time step (ms) of network and task (overrides the setting)")
	fs.Float64Var(&f.amp, "amp", 0, "perturbation amplitude A (overrides the setting)")
	fs.Float64Var(&f.pprob, "pprob", 0, "perturbation probability per unit and step (overrides the setting)")
	fs.Float64Var(&f.initX, "initx", 0, "half-width of each trial's initial state x (overrides the setting's 0.1)")
	fs.Float64Var(&f.eta, "eta", 0, "learning rate of the rule (overrides the setting's)")
	fs.Float64Var(&f.maxdw, "maxdw", 0, "weight-change clip, 0: none (overrides the setting's)")
	fs.Float64Var(&f.bias, "bias", 0, "context integration: modality bias |b_m| (overrides the setting)")
	fs.Float64Var(&f.noise, "noise", 0, "context integration: input noise (overrides the setting)")
	fs.StringVar(&f.readout, "readout", "", "neuron or linear (overrides the setting)")
	fs.BoolVar(&f.plastic, "plastic-readout", false, "a linear readout that learns under the rule (overrides the setting)")
	fs.Float64Var(&f.threshold, "threshold", 0, "a trial is correct below this error (overrides the setting's: Miconi's 1)")
	fs.IntVar(&f.episodes, "episodes", 0, "trials per learning run (overrides the setting's)")
	return f
}

// Given reports whether the named flag was given on the command line.
func (f *Flags) Given(name string) bool {
	given := false
	f.fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == name })
	return given
}

// Setting returns the setting the flags describe. Errors name the flag.
func (f *Flags) Setting() (Setting, error) {
	s, err := Lookup(f.task, f.name)
	if err != nil {
		return s, fmt.Errorf("-task/-setting: %w", err)
	}
	if f.Given("n") {
		s.Net.N = f.n
	}
	if f.Given("dt") {
		s.SetDt(f.dt)
	}
	if f.Given("amp") {
		s.Net.PerturbAmp = f.amp
	}
	if f.Given("pprob") {
		s.Net.PerturbProb = f.pprob
	}
	if f.Given("initx") {
		s.Net.InitX = f.initX
	}
	if f.Given("bias") || f.Given("noise") {
		if s.TaskName != Context {
			return s, fmt.Errorf("-bias and -noise apply to -task context only, not %s", s.TaskName)
		}
		if f.Given("bias") {
			s.ContextCfg.Bias = f.bias
		}
		if f.Given("noise") {
			s.ContextCfg.Noise = f.noise
		}
	}
	if f.Given("readout") {
		if err := s.Net.Readout.UnmarshalText([]byte(f.readout)); err != nil {
			return s, fmt.Errorf("-readout: %w", err)
		}
	}
	if f.Given("plastic-readout") {
		s.Net.ReadoutPlastic = f.plastic
	}
	if f.Given("threshold") {
		s.Criterion.Threshold = f.threshold
	}
	if f.Given("episodes") {
		s.Learn.Episodes = f.episodes
	}
	if f.Given("eta") {
		s.Eta, s.NodePertEta = f.eta, f.eta
	}
	if f.Given("maxdw") {
		s.MaxDW = f.maxdw
	}
	if err := s.Criterion.Validate(); err != nil {
		return s, fmt.Errorf("-threshold: %w", err)
	}
	if s.Learn.Episodes < 1 {
		return s, fmt.Errorf("-episodes: must be >= 1, got %d", s.Learn.Episodes)
	}
	if err := s.Net.Validate(); err != nil {
		return s, err
	}
	if _, err := s.Task(); err != nil {
		return s, err
	}
	return s, nil
}
