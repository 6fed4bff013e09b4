package meta

import "github.com/plasticnb/plasticnb/plasticlib/rule"

// Rule returns the rule at the end of the history: the problem's starting
// rule (Config.Problem.Rule) with the meta-parameters set from Phi. It keeps
// the starting rule's name. It also works on a History read back from a
// checkpoint, which carries its Config.
//
// Train evaluates each iteration's rule before its step, so the last Record
// describes the rule one step before this one; under Config.Backtrack,
// Rule returns the best accepted rule (Best), which a Record describes.
func (h *History) Rule() (rule.Rule, error) {
	p := h.Config.Problem
	if h.Config.Backtrack && h.Best != nil {
		return p.Params.Apply(p.Rule, h.Best)
	}
	return p.Params.Apply(p.Rule, h.Phi)
}
