package plots_test

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/plasticnb/plasticnb/plasticlib/credit"
	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
	"github.com/plasticnb/plasticnb/plots"
)

// errorCase is a figure built on bad data; the error must contain want (the
// name of the offending input).
type errorCase struct {
	name  string
	build func() (*plots.Figure, error)
	want  string
}

func errorCases() []errorCase {
	nan := math.NaN()
	bad := testRule(2, 2, 1)
	bad.Theta[1][2] = nan
	ragged := testRule(2, 2, 1)
	ragged.Theta[1] = ragged.Theta[1][:2]
	fig, _ := plots.BasisGrid(1, 1)
	badTask := task.Func{Name: "bad", Types: 0, Inputs: 1, Length: 10}
	return []errorCase{
		{"Theta NaN", func() (*plots.Figure, error) { return plots.Theta(bad) }, "Theta[1][2] is NaN"},
		{"Theta empty", func() (*plots.Figure, error) { return plots.Theta(rule.Rule{Name: "e"}) }, "Theta is empty"},
		{"Theta ragged", func() (*plots.Figure, error) { return plots.Theta(ragged) }, "Theta[1] has 2 values"},
		{"Theta node perturbation", func() (*plots.Figure, error) { return plots.Theta(rule.NodePert()) }, "polynomial"},
		{"Theta too big", func() (*plots.Figure, error) { r, _ := rule.New("big", 10, 1); return plots.Theta(r) }, "K, L <= 9"},
		{"HSurface NaN", func() (*plots.Figure, error) { return plots.HSurface(bad) }, "Theta[1][2]"},
		{"BasisGrid K", func() (*plots.Figure, error) { return plots.BasisGrid(-1, 2) }, "K = -1"},
		{"BasisGrid L", func() (*plots.Figure, error) { return plots.BasisGrid(2, 12) }, "L = 12"},
		{"GradientCheck empty", func() (*plots.Figure, error) { return plots.GradientCheck(nil, nil) }, "tangent is empty"},
		{"GradientCheck NaN", func() (*plots.Figure, error) { return plots.GradientCheck([]float64{1, 2}, []float64{1, nan}) }, "fd[1] is NaN"},
		{"GradientCheck Inf", func() (*plots.Figure, error) {
			return plots.GradientCheck([]float64{math.Inf(1)}, []float64{1})
		}, "tangent[0] is +Inf"},
		{"GradientCheck lengths", func() (*plots.Figure, error) { return plots.GradientCheck([]float64{1, 2}, []float64{1}) }, "fd has 1 values; want 2"},
		{"Cost empty", func() (*plots.Figure, error) { return plots.Cost(nil) }, "points is empty"},
		{"Cost N", func() (*plots.Figure, error) { return plots.Cost([]plots.CostPoint{{N: 0, P: 1, Seconds: 1}}) }, "points[0].N"},
		{"Cost P", func() (*plots.Figure, error) {
			return plots.Cost([]plots.CostPoint{{N: 1, P: 1, Seconds: 1}, {N: 1, P: -2, Seconds: 1}})
		}, "points[1].P"},
		{"Cost NaN", func() (*plots.Figure, error) { return plots.Cost([]plots.CostPoint{{N: 1, P: 1, Seconds: nan}}) }, "points[0].Seconds"},
		{"Spectrum nil", func() (*plots.Figure, error) { return plots.Spectrum(nil, mat.NewDense(2, 2, nil)) }, "before is nil"},
		{"Spectrum square", func() (*plots.Figure, error) { return plots.Spectrum(mat.NewDense(2, 3, nil), mat.NewDense(2, 2, nil)) }, "before is 2 x 3"},
		{"Spectrum sizes", func() (*plots.Figure, error) { return plots.Spectrum(mat.NewDense(2, 2, nil), mat.NewDense(3, 3, nil)) }, "after is 3 x 3"},
		{"Spectrum NaN", func() (*plots.Figure, error) {
			return plots.Spectrum(mat.NewDense(2, 2, nil), mat.NewDense(2, 2, []float64{0, 0, nan, 0}))
		}, "after[1][0] is NaN"},
		{"SingularValues zero", func() (*plots.Figure, error) { return plots.SingularValues(mat.NewDense(3, 3, nil)) }, "dW is all zeros"},
		{"SingularValues empty", func() (*plots.Figure, error) { return plots.SingularValues(&mat.Dense{}) }, "dW is empty"},
		{"TaskSchematic nil", func() (*plots.Figure, error) { return plots.TaskSchematic(nil, 1) }, "tk is nil"},
		{"TaskSchematic invalid", func() (*plots.Figure, error) { return plots.TaskSchematic(badTask, 1) }, "NumTypes"},
		{"LearningCurves empty", func() (*plots.Figure, error) { return plots.LearningCurves(plots.CurveConfig{}) }, "runs is empty"},
		{"LearningCurves no name", func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{}, plots.Runs{Histories: []*learn.History{{Errors: []float64{1}}}})
		}, "runs[0].Name is empty"},
		{"LearningCurves no seeds", func() (*plots.Figure, error) { return plots.LearningCurves(plots.CurveConfig{}, plots.Runs{Name: "a"}) }, "Histories is empty"},
		{"LearningCurves nil history", func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{}, plots.Runs{Name: "a", Histories: []*learn.History{nil}})
		}, "Histories[0] is nil"},
		{"LearningCurves NaN", func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{}, plots.Runs{Name: "a", Histories: []*learn.History{{Errors: []float64{1}}, {Errors: []float64{1, nan}}}})
		}, "Histories[1].Errors[1] is NaN"},
		{"LearningCurves empty errors", func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{}, plots.Runs{Name: "a", Histories: []*learn.History{{}}})
		}, "Histories[0].Errors is empty"},
		{"LearningCurves criterion", func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{Criterion: eval.Criterion{Window: -1}}, plots.Runs{Name: "a", Histories: []*learn.History{{Errors: []float64{1}}}})
		}, "CurveConfig.Criterion"},
		{"EpisodesToCriterion empty", func() (*plots.Figure, error) { return plots.EpisodesToCriterion() }, "groups is empty"},
		{"EpisodesToCriterion no runs", func() (*plots.Figure, error) { return plots.EpisodesToCriterion(plots.Outcomes{Name: "a"}) }, "groups[0] (a): Runs is empty"},
		{"EpisodesToCriterion negative", func() (*plots.Figure, error) {
			return plots.EpisodesToCriterion(plots.Outcomes{Name: "a", Runs: []eval.Outcome{{Episodes: 3}, {Episodes: -1}}})
		}, "Runs[1].Episodes = -1"},
		{"EligibilityTraces empty", func() (*plots.Figure, error) { return plots.EligibilityTraces(nil) }, "traces is empty"},
		{"EligibilityTraces nil values", func() (*plots.Figure, error) { return plots.EligibilityTraces(nil, learn.Trace{}) }, "traces[0].Values is nil"},
		{"EligibilityTraces synapses", func() (*plots.Figure, error) {
			return plots.EligibilityTraces(nil, learn.Trace{Values: mat.NewDense(3, 2, nil), Synapses: [][2]int{{0, 1}}})
		}, "one per traces[0].Synapses"},
		{"EligibilityTraces steps", func() (*plots.Figure, error) {
			return plots.EligibilityTraces(testDNMS(), learn.Trace{Values: mat.NewDense(3, 1, nil), Synapses: [][2]int{{0, 1}}})
		}, "tk has 200 steps"},
		{"EligibilityTraces NaN", func() (*plots.Figure, error) {
			return plots.EligibilityTraces(nil, learn.Trace{Values: mat.NewDense(2, 1, []float64{0, nan}), Synapses: [][2]int{{0, 1}}})
		}, "traces[0].Values[1][0] is NaN"},
		{"Activity nil", func() (*plots.Figure, error) { return plots.Activity(nil, learn.Activity{}) }, "a.Rates is nil"},
		{"Activity output", func() (*plots.Figure, error) {
			return plots.Activity(nil, learn.Activity{Rates: mat.NewDense(3, 2, nil), Output: []float64{1, 2}})
		}, "a.Output has 2 values; want 3"},
		{"Activity target NaN", func() (*plots.Figure, error) {
			return plots.Activity(nil, learn.Activity{Rates: mat.NewDense(2, 2, nil), Output: []float64{1, 2}, Target: []float64{nan, 0}})
		}, "a.Target[0] is NaN"},
		{"MetaTraining empty", func() (*plots.Figure, error) { return plots.MetaTraining(plots.MetaCurves{}) }, "MetaCurves.TrainObjective is empty"},
		{"MetaTraining lengths", func() (*plots.Figure, error) {
			return plots.MetaTraining(plots.MetaCurves{TrainObjective: []float64{1, 2}, EvalPerformance: []float64{1}})
		}, "MetaCurves.EvalPerformance has 1 values; want 2"},
		{"MetaTraining NaN", func() (*plots.Figure, error) {
			return plots.MetaTraining(plots.MetaCurves{TrainObjective: []float64{1, 2}, EvalObjective: []float64{1, nan}})
		}, "MetaCurves.EvalObjective[1] is NaN"},
		{"MetaTraining performance above 1", func() (*plots.Figure, error) {
			return plots.MetaTraining(plots.MetaCurves{TrainObjective: []float64{1, 2}, TrainPerformance: []float64{0.5, 1.2}})
		}, "MetaCurves.TrainPerformance[1] = 1.2"},
		{"MetaTraining performance negative", func() (*plots.Figure, error) {
			return plots.MetaTraining(plots.MetaCurves{TrainObjective: []float64{1, 2}, EvalPerformance: []float64{-0.9, 0.5}})
		}, "MetaCurves.EvalPerformance[0] = -0.9"},
		{"CoefficientTrajectories empty", func() (*plots.Figure, error) { return plots.CoefficientTrajectories(nil) }, "thetas is empty"},
		{"CoefficientTrajectories shape", func() (*plots.Figure, error) {
			return plots.CoefficientTrajectories([][][]float64{{{1, 2}}, {{1}}})
		}, "thetas[1][0] has 1 values; want 2"},
		{"CoefficientTrajectories NaN", func() (*plots.Figure, error) {
			return plots.CoefficientTrajectories([][][]float64{{{1, 2}}, {{1, nan}}})
		}, "thetas[1][0][1] is NaN"},
		{"Generalisation no rules", func() (*plots.Figure, error) { return plots.Generalisation(plots.GeneralisationTable{}) }, "Rules is empty"},
		{"Generalisation rows", func() (*plots.Figure, error) {
			return plots.Generalisation(plots.GeneralisationTable{Rules: []string{"a"}, Conditions: []string{"x"}})
		}, "Outcomes has 0 rows; want 1"},
		{"Generalisation cells", func() (*plots.Figure, error) {
			return plots.Generalisation(plots.GeneralisationTable{Rules: []string{"a"}, Conditions: []string{"x", "y"}, Outcomes: [][][]eval.Outcome{{{{Episodes: 3}}}}})
		}, "Outcomes[0] (a) has 1 cells; want 2"},
		{"Generalisation empty cell", func() (*plots.Figure, error) {
			return plots.Generalisation(plots.GeneralisationTable{Rules: []string{"a"}, Conditions: []string{"x"}, Outcomes: [][][]eval.Outcome{{{}}}})
		}, "Outcomes[0][0] (a, x) is empty"},
		{"Generalisation zero episodes", func() (*plots.Figure, error) {
			return plots.Generalisation(plots.GeneralisationTable{Rules: []string{"a"}, Conditions: []string{"x"}, Outcomes: [][][]eval.Outcome{{{{Episodes: 0}}}}})
		}, "Outcomes[0][0][0].Episodes = 0"},
		{"Grid empty", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{}) }, "panels is empty"},
		{"Grid cols", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{Cols: -1}, fig) }, "GridConfig.Cols"},
		{"Grid widths", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{Widths: []float64{1, 2}}, fig) }, "GridConfig.Widths"},
		{"Grid heights NaN", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{Heights: []float64{nan}}, fig) }, "GridConfig.Heights[0]"},
		{"Grid min scale NaN", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{MinScale: nan}, fig) }, "GridConfig.MinScale"},
		{"Alignment empty", func() (*plots.Figure, error) { return plots.Alignment(0.3) }, "as is empty"},
		{"Alignment oracle", func() (*plots.Figure, error) { return plots.Alignment(nan, credit.Alignment{Rule: "a"}) }, "oracle"},
		{"Alignment name", func() (*plots.Figure, error) { return plots.Alignment(0.3, credit.Alignment{Rho: 0.1}) }, "as[0].Rule"},
		{"Alignment rho", func() (*plots.Figure, error) {
			return plots.Alignment(0.3, credit.Alignment{Rule: "a"}, credit.Alignment{Rule: "b", Rho: nan})
		}, "as[1] (b)"},
		{"Alignment se", func() (*plots.Figure, error) { return plots.Alignment(0.3, credit.Alignment{Rule: "a", RhoSE: -1}) }, "RhoSE"},
		{"Grid letters", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{Letters: []string{"a", "b"}}, fig) }, "GridConfig.Letters"},
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range errorCases() {
		f, err := tc.build()
		if err == nil {
			t.Errorf("%s: error = nil (figure %v); want an error containing %q", tc.name, f, tc.want)
			continue
		}
		if f != nil {
			t.Errorf("%s: figure = %v with error %v; want nil", tc.name, f, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error = %q; want it to contain %q", tc.name, err, tc.want)
		}
	}
}

// TestEdgeCases draws figures on the smallest data they accept (one
// value, one seed, constant values): no error, no panic, a PNG.
func TestEdgeCases(t *testing.T) {
	one := []*learn.History{{Errors: []float64{0.7}}}
	cases := []struct {
		name  string
		build func() (*plots.Figure, error)
	}{
		{"GradientCheck one", func() (*plots.Figure, error) { return plots.GradientCheck([]float64{0}, []float64{0}) }},
		{"Cost one", func() (*plots.Figure, error) { return plots.Cost([]plots.CostPoint{{N: 10, P: 1, Seconds: 1e-3}}) }},
		{"Theta zero", func() (*plots.Figure, error) { r, _ := rule.Zero(0, 0); return plots.Theta(r) }},
		{"HSurface zero", func() (*plots.Figure, error) { r, _ := rule.Zero(2, 2); return plots.HSurface(r) }},
		{"BasisGrid 0", func() (*plots.Figure, error) { return plots.BasisGrid(0, 0) }},
		{"Alignment zero", func() (*plots.Figure, error) { return plots.Alignment(0, credit.Alignment{Rule: "zero"}) }},
		{"Spectrum 1x1", func() (*plots.Figure, error) { return plots.Spectrum(mat.NewDense(1, 1, nil), mat.NewDense(1, 1, nil)) }},
		{"SingularValues 1x1", func() (*plots.Figure, error) { return plots.SingularValues(mat.NewDense(1, 1, []float64{2})) }},
		{"LearningCurves one episode", func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{}, plots.Runs{Name: "a", Histories: one})
		}},
		{"LearningCurves error one", func() (*plots.Figure, error) {
			return plots.LearningCurves(plots.CurveConfig{Error: true}, plots.Runs{Name: "a", Histories: one})
		}},
		{"EpisodesToCriterion censored", func() (*plots.Figure, error) {
			return plots.EpisodesToCriterion(plots.Outcomes{Name: "a", Runs: []eval.Outcome{{Episodes: 0, Censored: true}}})
		}},
		{"MetaTraining one", func() (*plots.Figure, error) {
			return plots.MetaTraining(plots.MetaCurves{TrainObjective: []float64{3}})
		}},
		{"CoefficientTrajectories one", func() (*plots.Figure, error) { return plots.CoefficientTrajectories([][][]float64{{{0}}}) }},
		{"EligibilityTraces constant", func() (*plots.Figure, error) {
			return plots.EligibilityTraces(nil, learn.Trace{Values: mat.NewDense(1, 1, nil), Synapses: [][2]int{{0, 0}}})
		}},
		{"Activity one step", func() (*plots.Figure, error) {
			return plots.Activity(nil, learn.Activity{Rates: mat.NewDense(1, 1, nil), Output: []float64{0}})
		}},
		{"Grid nil panel", func() (*plots.Figure, error) {
			f, _ := plots.BasisGrid(0, 0)
			return plots.Grid(plots.GridConfig{}, nil, f)
		}},
	}
	for _, tc := range cases {
		f, err := tc.build()
		if err != nil {
			t.Errorf("%s: %v; want a figure", tc.name, err)
			continue
		}
		if b, err := f.PNG(); err != nil || len(b) == 0 {
			t.Errorf("%s: PNG() = %d bytes, %v; want an image", tc.name, len(b), err)
		}
	}
}
