package plots

import (
	"fmt"
	"math"

	"github.com/plasticnb/plasticnb/plasticlib/evolve"
	"github.com/plasticnb/plasticnb/plasticlib/meta"
)

// MetaHistory draws a plasticlib/meta training run as MetaTraining does
// (the paper's figure 1e): the objective on the training seeds and on the
// held-out seeds against meta-iteration, and the held-out runs' final
// performance (meta.Record.Final: the fraction of correct trials over the
// last quarter of their episodes). h must hold at least one record.
// plasticlib/meta records no final performance on the training seeds;
// EvolveHistory draws both.
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

// EvolveHistory draws a plasticlib/evolve training run as MetaTraining
// does (the paper's figure 1e): the objective and the final performance
// (the fraction of correct trials over the last quarter of the runs) on
// the training and the held-out seeds against meta-iteration. Held-out
// series are left out when the run had no held-out seeds (NaN). h must
// hold at least one record.
func EvolveHistory(h *evolve.History) (*Figure, error) {
	if h == nil || len(h.Records) == 0 {
		return nil, fmt.Errorf("plots: EvolveHistory: the history has no records")
	}
	var c MetaCurves
	held := true
	for _, r := range h.Records {
		c.TrainObjective = append(c.TrainObjective, r.Objective)
		c.TrainPerformance = append(c.TrainPerformance, r.TrainFinal)
		c.EvalObjective = append(c.EvalObjective, r.HeldOut)
		c.EvalPerformance = append(c.EvalPerformance, r.HeldOutFinal)
		held = held && !math.IsNaN(r.HeldOut) && !math.IsNaN(r.HeldOutFinal)
	}
	if !held {
		c.EvalObjective, c.EvalPerformance = nil, nil
	}
	f, err := MetaTraining(c)
	if err != nil {
		return nil, fmt.Errorf("plots: EvolveHistory: %w", err)
	}
	return f, nil
}

// EvolveCoefficients draws how the rule's coefficients theta_kl move during
// a plasticlib/evolve training run (CoefficientTrajectories): the rule at
// which each iteration was evaluated, then the current rule.
func EvolveCoefficients(h *evolve.History) (*Figure, error) {
	if h == nil || len(h.Records) == 0 {
		return nil, fmt.Errorf("plots: EvolveCoefficients: the history has no records")
	}
	thetas := make([][][]float64, 0, len(h.Records)+1)
	for _, r := range h.Records {
		thetas = append(thetas, r.Theta)
	}
	thetas = append(thetas, h.Rule().Theta)
	return CoefficientTrajectories(thetas)
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
