package plots_test

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

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
		{"Grid empty", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{}) }, "panels is empty"},
		{"Grid cols", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{Cols: -1}, fig) }, "GridConfig.Cols"},
		{"Grid widths", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{Widths: []float64{1, 2}}, fig) }, "GridConfig.Widths"},
		{"Grid heights NaN", func() (*plots.Figure, error) { return plots.Grid(plots.GridConfig{Heights: []float64{nan}}, fig) }, "GridConfig.Heights[0]"},
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
