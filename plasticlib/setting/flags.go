package setting

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// Flags are the command-line flags that pick a setting (-task, -setting)
// and override its fields. Only the overrides given on the command line
// apply: a flag left out keeps the setting's value. Commands register
// them with AddFlags and call Setting after fs.Parse (or, naming the
// setting otherwise, register the overrides alone with AddOverrideFlags
// and call Apply or Overrides).
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
	baseline     float64
}

// AddFlags registers the setting flags on fs, with defaultTask and
// defaultSetting as the defaults of -task and -setting.
func AddFlags(fs *flag.FlagSet, defaultTask, defaultSetting string) *Flags {
	f := &Flags{fs: fs}
	fs.StringVar(&f.task, "task", defaultTask, "task: "+strings.Join(Tasks(), ", "))
	fs.StringVar(&f.name, "setting", defaultSetting, "named setting of the task: "+strings.Join(Names(), ", "))
	f.addOverrides()
	return f
}

// AddOverrideFlags registers the override flags alone on fs (not -task
// and -setting): those OverrideNames lists.
func AddOverrideFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs}
	f.addOverrides()
	return f
}

func (f *Flags) addOverrides() {
	fs := f.fs
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
	fs.Float64Var(&f.baseline, "baseline", 0, "decay a_R of the per-type reward baseline, Ebar <- a_R Ebar + (1 - a_R) E (overrides the setting's: Miconi's 0.75)")
}

// OverrideNames lists the override flags (without the dash), in the order
// they apply.
func OverrideNames() []string {
	return []string{"n", "dt", "amp", "pprob", "initx", "bias", "noise", "readout", "plastic-readout", "threshold", "episodes", "baseline", "eta", "maxdw"}
}

// Overrides are setting overrides by flag name (without the dash), each
// value as the flag takes it: {"bias": "0.5", "readout": "linear"}. From
// JSON they also take numbers and booleans: {"bias": 0.5, "plastic-readout": true}.
type Overrides map[string]string

// UnmarshalJSON reads an object of strings, numbers and booleans.
func (o *Overrides) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var raw map[string]any
	if err := d.Decode(&raw); err != nil {
		return err
	}
	*o = Overrides{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			(*o)[k] = v
		case json.Number:
			(*o)[k] = v.String()
		case bool:
			(*o)[k] = strconv.FormatBool(v)
		default:
			return fmt.Errorf("setting override %q: want a string, number or boolean, got %v", k, v)
		}
	}
	return nil
}

// Overrides returns the override flags given on the command line.
func (f *Flags) Overrides() Overrides {
	o := Overrides{}
	f.fs.Visit(func(fl *flag.Flag) {
		if slices.Contains(OverrideNames(), fl.Name) {
			o[fl.Name] = fl.Value.String()
		}
	})
	return o
}

// Override returns s with the overrides applied, as the flags of the same
// names would apply them. Errors name the flag.
func Override(s Setting, o Overrides) (Setting, error) {
	fs := flag.NewFlagSet("overrides", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := AddOverrideFlags(fs)
	for _, k := range slices.Sorted(maps.Keys(o)) {
		if !slices.Contains(OverrideNames(), k) {
			return s, fmt.Errorf("unknown setting override %q (want one of %s)", k, strings.Join(OverrideNames(), ", "))
		}
		if err := fs.Set(k, o[k]); err != nil {
			return s, fmt.Errorf("-%s: %w", k, err)
		}
	}
	return s, f.Apply(&s)
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
	return s, f.Apply(&s)
}

// Apply applies the override flags given on the command line to s and
// validates the result. Errors name the flag.
func (f *Flags) Apply(s *Setting) error {
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
			return fmt.Errorf("-bias and -noise apply to -task context only, not %s", s.TaskName)
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
			return fmt.Errorf("-readout: %w", err)
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
	if f.Given("baseline") {
		s.Learn.BaselineDecay = f.baseline
		if err := s.Learn.Validate(); err != nil {
			return fmt.Errorf("-baseline: %w", err)
		}
	}
	if f.Given("eta") {
		s.Eta, s.NodePertEta = f.eta, f.eta
	}
	if f.Given("maxdw") {
		s.MaxDW = f.maxdw
	}
	if err := s.Criterion.Validate(); err != nil {
		return fmt.Errorf("-threshold: %w", err)
	}
	if s.Learn.Episodes < 1 {
		return fmt.Errorf("-episodes: must be >= 1, got %d", s.Learn.Episodes)
	}
	if err := s.Net.Validate(); err != nil {
		return err
	}
	if _, err := s.Task(); err != nil {
		return err
	}
	return nil
}

// Rule returns the rule spec names at setting s (Setting.RuleNamed), with
// -eta, -maxdw and -baseline applied when given: a rule file keeps its own
// otherwise (a baseline decay it carries, rule.Rule.BaselineDecay, included).
func (f *Flags) Rule(s Setting, spec string) (rule.Rule, error) {
	r, err := s.RuleNamed(spec)
	if err != nil {
		return r, err
	}
	if f.Given("eta") {
		r.Eta = s.Eta
	}
	if f.Given("maxdw") {
		r.MaxDW = s.MaxDW
	}
	if f.Given("baseline") {
		r.BaselineDecay = 0 // the setting's, which -baseline set
	}
	return r, nil
}
