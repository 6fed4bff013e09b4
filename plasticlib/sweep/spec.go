package sweep

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// Spec describes a sweep: every rule under every condition on seeds
// First, ..., First+Seeds-1.
type Spec struct {
	// Rules are preset names (see Presets) or paths of rule JSON files
	// (store.LoadRule). Every rule learns at its condition's setting: the
	// setting's eta and clip replace the rule's (setting.Setting.Rule).
	Rules []string `json:"rules"`
	// Conditions: the task, setting and network of each column of the
	// table. Required.
	Conditions []Condition `json:"conditions"`
	// N, Dt and Episodes override the settings' network size, time step
	// (ms) and trials per run for every condition; 0 keeps the setting's.
	N        int     `json:"n,omitempty"`
	Dt       float64 `json:"dt,omitempty"`
	Episodes int     `json:"episodes,omitempty"`
	// First is the first seed; Seeds the number of seeds (> 0).
	First uint64 `json:"first"`
	Seeds int    `json:"seeds"`
	// RunAll runs every episode; by default (false) a run stops once it
	// meets the criterion.
	RunAll bool `json:"run_all,omitempty"`
	// Criterion overrides the settings' criterion (the zero value keeps
	// it: Miconi's, 95 of 100 trials with error < 1).
	Criterion eval.Criterion `json:"criterion,omitzero"`
}

// Condition is one task, setting and network change.
type Condition struct {
	// Name labels the condition; default "task/setting".
	Name string `json:"name,omitempty"`
	// Task and Setting name a setting.Lookup (Setting default "miconi").
	Task    string `json:"task"`
	Setting string `json:"setting,omitempty"`
	// Set overrides the setting's fields as the setting flags of
	// learnruns and evolve do (setting.Override), by flag name: {"bias":
	// 0.5, "noise": 0.1, "pprob": 0.01, "amp": 10, "initx": 1, "readout":
	// "linear", "plastic-readout": true, "threshold": 0.5, "eta": 0.02,
	// "maxdw": 1e-3, "n": 40, "dt": 10, "episodes": 500}; they take
	// precedence over the spec's N, Dt, Episodes and Criterion. Errors name
	// the flag.
	Set setting.Overrides `json:"set,omitempty"`
	// Net changes the setting's network (zero fields change nothing),
	// after Set.
	Net NetChange `json:"net,omitzero"`
}

// NetChange changes fields of a setting's network; a zero field keeps the
// setting's value (N here overrides Spec.N).
type NetChange struct {
	N                              int     `json:"n,omitempty"`
	G, ConnProb, InitX, PerturbAmp float64 `json:",omitempty"`
	Dale                           bool    `json:",omitempty"`
}

// Presets lists the rule names Spec.Rules accepts besides files
// (rule.PresetNames).
func Presets() []string { return rule.PresetNames() }

// namedRule is a rule and its label in the table.
type namedRule struct {
	label string
	rule  rule.Rule
}

// loadRule resolves a preset name or a rule file; field names the spec
// entry in errors.
func loadRule(field, s string) (namedRule, error) {
	if slices.Contains(rule.PresetNames(), s) {
		r, err := rule.Preset(s)
		return namedRule{s, r}, err
	}
	if _, err := os.Stat(s); err != nil {
		return namedRule{}, fmt.Errorf("%s: unknown rule %q (want a preset: %s; or a rule JSON file)", field, s, strings.Join(Presets(), ", "))
	}
	r, err := store.LoadRule(s)
	if err != nil {
		return namedRule{}, fmt.Errorf("%s: %w", field, err)
	}
	label := r.Name
	if label == "" {
		label = strings.TrimSuffix(s[strings.LastIndex(s, "/")+1:], ".json")
	}
	return namedRule{label, r}, nil
}

// Plan resolves s into its jobs, in table order (rule, condition, seed).
// Errors name the field: Spec.Rules[i], Spec.Conditions[j].Task, ...
func (s Spec) Plan() ([]Job, error) {
	if len(s.Rules) == 0 {
		return nil, fmt.Errorf("sweep.Spec.Rules: no rules")
	}
	if len(s.Conditions) == 0 {
		return nil, fmt.Errorf("sweep.Spec.Conditions: no conditions")
	}
	if s.Seeds <= 0 {
		return nil, fmt.Errorf("sweep.Spec.Seeds: must be > 0, got %d", s.Seeds)
	}
	if s.N < 0 || s.Dt < 0 || s.Episodes < 0 {
		return nil, fmt.Errorf("sweep.Spec: N, Dt and Episodes must be >= 0 (0: the setting's), got %d, %g, %d", s.N, s.Dt, s.Episodes)
	}
	if s.Criterion != (eval.Criterion{}) {
		if err := s.Criterion.Validate(); err != nil {
			return nil, fmt.Errorf("sweep.Spec.Criterion: %w", err)
		}
	}
	var rules []namedRule
	for i, name := range s.Rules {
		r, err := loadRule(fmt.Sprintf("sweep.Spec.Rules[%d]", i), name)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(rules, func(o namedRule) bool { return o.label == r.label }) {
			return nil, fmt.Errorf("sweep.Spec.Rules[%d]: a second rule labelled %q", i, r.label)
		}
		rules = append(rules, r)
	}
	type cond struct {
		name string
		set  setting.Setting
	}
	var conds []cond
	for j, c := range s.Conditions {
		st, err := s.resolve(c)
		if err != nil {
			return nil, fmt.Errorf("sweep.Spec.Conditions[%d]: %w", j, err)
		}
		name := c.Name
		if name == "" {
			name = st.TaskName + "/" + st.Name
		}
		if slices.ContainsFunc(conds, func(o cond) bool { return o.name == name }) {
			return nil, fmt.Errorf("sweep.Spec.Conditions[%d].Name: a second condition named %q (name them)", j, name)
		}
		conds = append(conds, cond{name, st})
	}
	var jobs []Job
	for _, r := range rules {
		for _, c := range conds {
			lr := c.set.Rule(r.rule)
			if err := lr.Validate(); err != nil {
				return nil, fmt.Errorf("sweep: rule %q on %s: %w", r.label, c.name, err)
			}
			for _, seed := range eval.Seeds(s.First, s.Seeds) {
				jobs = append(jobs, Job{RuleName: r.label, Condition: c.name, Setting: c.set, Rule: lr, Seed: seed, StopAtCriterion: !s.RunAll})
			}
		}
	}
	return jobs, nil
}

// resolve looks the condition's setting up and applies the overrides.
func (s Spec) resolve(c Condition) (setting.Setting, error) {
	name := c.Setting
	if name == "" {
		name = setting.Miconi
	}
	st, err := setting.Lookup(c.Task, name)
	if err != nil {
		field := "Task"
		if slices.Contains(setting.Tasks(), c.Task) {
			field = "Setting"
		}
		return st, fmt.Errorf("%s: %w", field, err)
	}
	if s.Dt > 0 {
		st.SetDt(s.Dt)
	}
	if s.N > 0 {
		st.Net.N = s.N
	}
	if s.Episodes > 0 {
		st.Learn.Episodes = s.Episodes
	}
	if s.Criterion != (eval.Criterion{}) {
		st.Criterion = s.Criterion
	}
	if len(c.Set) > 0 {
		if st, err = setting.Override(st, c.Set); err != nil {
			return st, fmt.Errorf("Set: %w", err)
		}
	}
	n := c.Net
	if n.N > 0 {
		st.Net.N = n.N
	}
	for _, f := range []struct {
		dst *float64
		v   float64
	}{{&st.Net.G, n.G}, {&st.Net.ConnProb, n.ConnProb}, {&st.Net.InitX, n.InitX}, {&st.Net.PerturbAmp, n.PerturbAmp}} {
		if f.v != 0 {
			*f.dst = f.v
		}
	}
	st.Net.Dale = st.Net.Dale || n.Dale
	if err := st.Net.Validate(); err != nil {
		return st, fmt.Errorf("Net: %w", err)
	}
	if _, err := st.Task(); err != nil {
		return st, fmt.Errorf("Task: %w", err)
	}
	if err := st.Learn.Validate(); err != nil {
		return st, err
	}
	return st, nil
}

// ParseSpec reads a spec from JSON, rejecting unknown fields.
func ParseSpec(b []byte) (Spec, error) {
	var s Spec
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("sweep: spec: %w", err)
	}
	return s, nil
}
