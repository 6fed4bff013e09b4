package plots

import (
	"fmt"

	"github.com/plasticnb/plasticnb/plasticlib/meta"
)

// MetaHistory draws a plasticlib/meta training run as MetaTraining does
// (the paper's figure 1e): the objective on the training seeds and on the
// held-out seeds against meta-iteration, and the held-out runs' final
// performance (meta.Record.Final: the mean reward over the last quarter of
// their episodes). h must hold at least one record.
func MetaHistory(h *meta.History) (*Figure, error) {
	if h == nil || len(h.Records) == 0 {
		return nil, fmt.Errorf("plots: MetaHistory: the history has no records")
	}
	var c MetaCurves
	for _, r := range h.Records {
		c.TrainObjective = append(c.TrainObjective, r.Objective)
		c.EvalObjective = append(c.EvalObjective, r.HeldOut)
		c.EvalPerformance = append(c.EvalPerformance, r.Final)
	}
	return MetaTraining(c)
}

// MetaCoefficients draws how the rule's coefficients theta_kl move during a
// plasticlib/meta training run (CoefficientTrajectories): the rule at each
// record's meta-parameters, then the rule after the last step.
func MetaCoefficients(h *meta.History) (*Figure, error) {
	const fn = "MetaCoefficients"
	if h == nil || len(h.Records) == 0 {
		return nil, fmt.Errorf("plots: %s: the history has no records", fn)
	}
	ps, r0 := h.Config.Problem.Params, h.Config.Problem.Rule
	phis := make([][]float64, 0, len(h.Records)+1)
	for _, r := range h.Records {
		phis = append(phis, r.Phi)
	}
	if len(h.Phi) > 0 {
		phis = append(phis, h.Phi)
	}
	thetas := make([][][]float64, len(phis))
	for i, phi := range phis {
		r, err := ps.Apply(r0, phi)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: Records[%d].Phi: %w", fn, i, err)
		}
		thetas[i] = r.Theta
	}
	return CoefficientTrajectories(thetas)
}
