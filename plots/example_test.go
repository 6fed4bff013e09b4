package plots_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/plasticnb/plasticnb/plasticlib/credit"
	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
	"github.com/plasticnb/plasticnb/plots"
)

// A notebook cell that ends with a figure shows it inline; Save writes it
// for a paper, the format chosen by the extension.
func ExampleTheta() {
	fig, err := plots.Theta(rule.MiconiCubic())
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "theta.pdf")
	if err := fig.Save(path, 12*vg.Centimeter, 9*vg.Centimeter); err != nil {
		log.Fatal(err)
	}
	st, _ := os.Stat(path)
	fmt.Println(fig.Title(), st.Size() > 0)
	// Output: coefficients θ of miconi-cubic true
}

func ExampleHSurface() {
	r, _ := rule.New("learned", 5, 5)
	r.Theta[0][3] = 0.3 // an odd, supralinear function of dx
	r.Theta[0][5] = 0.1
	r.Theta[1][1] = -0.05
	fig, err := plots.HSurface(r)
	if err != nil {
		log.Fatal(err)
	}
	b, err := fig.PNG()
	fmt.Println(fig.Title(), len(b) > 0, err)
	// Output: H(r, Δx) of learned true <nil>
}

func ExampleBasisGrid() {
	fig, err := plots.BasisGrid(3, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	fmt.Println(len(fig.Plots()), "maps")
	// Output:
	// basis functions rᵏΔxˡ, K = 3, L = 3
	// 16 maps
}

func ExampleGradientCheck() {
	tangent := []float64{0.12, -0.50, 0.031, 1.7}
	fd := []float64{0.12, -0.50, 0.031, 1.7000001}
	fig, err := plots.GradientCheck(tangent, fd)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output:
	// gradient check
	// relative error 5.6e-08, worst component 5.9e-08
}

func ExampleCost() {
	var pts []plots.CostPoint
	for _, p := range []int{4, 16} {
		for _, n := range []int{100, 200, 400} {
			pts = append(pts, plots.CostPoint{N: n, P: p, Seconds: 2e-9 * float64(p*n*n)})
		}
	}
	fig, err := plots.Cost(pts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: cost of tangent propagation vs N and P
}

func ExampleSpectrum() {
	before := mat.NewDense(2, 2, []float64{0, 1, -1, 0}) // eigenvalues ±i
	after := mat.NewDense(2, 2, []float64{0.5, 1, -1, 0.5})
	fig, err := plots.Spectrum(before, after)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: eigenvalues of J before and after learning
}

func ExampleSingularValues() {
	dW := mat.NewDense(3, 3, []float64{2, 0, 0, 0, 1, 0, 0, 0, 0.1})
	fig, err := plots.SingularValues(dW)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output:
	// singular values of ΔJ
	// top 3: 100.0% of ‖ΔJ‖²
}

func ExampleTaskSchematic() {
	tk, err := task.NewDNMS(task.DefaultDNMS())
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.TaskSchematic(tk, 1)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: task schematic: DNMS (sand: stimuli; blue: scored window, then reward)
}

// Grid rebuilds a multi-panel figure such as the paper's figure 1; nested
// grids with explicit letters give rows of different widths.
func ExampleGrid() {
	learned, _ := rule.Random(3, 3, 0.2, 7)
	learned.Name = "learned"
	theta, _ := plots.Theta(learned)
	h, _ := plots.HSurface(learned)
	basis, _ := plots.BasisGrid(3, 3)
	top, err := plots.Grid(plots.GridConfig{Cols: 2, Widths: []float64{1, 1.2}, Letters: []string{"c", "d"}}, basis, theta)
	if err != nil {
		log.Fatal(err)
	}
	bottom, err := plots.Grid(plots.GridConfig{Letters: []string{"f"}}, h)
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.Grid(plots.GridConfig{Cols: 1, NoLetters: true, Title: "figure 1"}, top, bottom)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := fig.Encode(&buf, plots.SVG, 24*vg.Centimeter, 20*vg.Centimeter); err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title(), buf.Len() > 0)
	// Output: figure 1 true
}

// MIMEBundle is the kernel's display contract: a cell whose value is a
// *Figure shows the PNG.
func ExampleFigure_MIMEBundle() {
	fig, _ := plots.BasisGrid(1, 1)
	b := fig.MIMEBundle()
	_, ok := b["image/png"].(string)
	fmt.Println(ok, b["text/plain"])
	// Output: true plots.Figure: basis functions rᵏΔxˡ, K = 1, L = 1
}

// Plot gives the main gonum/plot plot to adjust before saving.
func ExampleFigure_Plot() {
	fig, _ := plots.GradientCheck([]float64{1, 2}, []float64{1, 2})
	fig.Plot().X.Label.Text = "central differences, h = 1e-5"
	fmt.Println(fig.Plot().X.Label.Text)
	// Output: central differences, h = 1e-5
}

func ExampleFigure_Save() {
	fig, _ := plots.BasisGrid(2, 2)
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	for _, name := range []string{"basis.png", "basis.svg", "basis.pdf"} {
		path := filepath.Join(dir, name)
		if err := fig.Save(path, 4*vg.Inch, 4*vg.Inch); err != nil {
			log.Fatal(err)
		}
		st, _ := os.Stat(path)
		fmt.Println(name, st.Size() > 0)
	}
	// Output:
	// basis.png true
	// basis.svg true
	// basis.pdf true
}

func ExampleFigure_Encode() {
	fig, _ := plots.BasisGrid(0, 1)
	var buf bytes.Buffer
	// 600 x 450 pt is 800 x 600 pixels at the default 96 dpi.
	if err := fig.Encode(&buf, plots.PNG, 600, 450); err != nil {
		log.Fatal(err)
	}
	fmt.Println(buf.Len() > 0)
	// Output: true
}

func ExampleRuleColor() {
	same := plots.RuleColor("miconi-cubic") == plots.RuleColor(rule.MiconiCubic().Name)
	fmt.Println(same, plots.RuleColor("learned") != plots.RuleColor("miconi-cubic"))
	// Output: true true
}

func ExampleCategorical() {
	fmt.Println(plots.Categorical(0) == plots.Categorical(6))
	// Output: true
}

// Learning curves of two rules over seeds; the histories come from
// learn.Run (here a tiny network for a few episodes).
func ExampleLearningCurves() {
	dc := task.DefaultDNMS()
	dc.Dt = 10 // coarse steps: a quick example
	tk, err := task.NewDNMS(dc)
	if err != nil {
		log.Fatal(err)
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt = 20, 10
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.WarmUp = 40, 0
	var runs []plots.Runs
	for _, r := range []rule.Rule{rule.MiconiCubic(), rule.EH()} {
		set := plots.Runs{Name: r.Name}
		for seed := uint64(1); seed <= 3; seed++ {
			cfg.Seed = seed
			h, err := learn.Run(context.Background(), nc, tk, r, cfg)
			if err != nil {
				log.Fatal(err)
			}
			set.Histories = append(set.Histories, h)
		}
		runs = append(runs, set)
	}
	fig, err := plots.LearningCurves(plots.CurveConfig{Error: true}, runs...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: learning curves: median and IQR over seeds
}

func ExampleEpisodesToCriterion() {
	miconi := plots.Outcomes{Name: "miconi-cubic", Runs: []eval.Outcome{{Episodes: 1050}, {Episodes: 900}, {Episodes: 1300}}}
	learned := plots.Outcomes{Name: "learned", Runs: []eval.Outcome{{Episodes: 620}, {Episodes: 580}, {Episodes: 2000, Censored: true}}}
	fig, err := plots.EpisodesToCriterion(miconi, learned)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: episodes to criterion
}

// Measure each rule's alignment with the gradient of the expected error
// at a network's weights (package credit), then draw them.
func ExampleAlignment() {
	ctx := context.Background()
	tc := task.DefaultDNMS()
	tc.Dt = 10
	tk, err := task.NewDNMS(tc)
	if err != nil {
		log.Fatal(err)
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt = 30, 10
	net, err := network.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	g, err := credit.ExpectedGradient(ctx, net, tk, 200, 1)
	if err != nil {
		log.Fatal(err)
	}
	baselines := []float64{1, 1, 1, 1} // one per trial type
	var as []credit.Alignment
	for _, r := range []rule.Rule{rule.MiconiCubic(), rule.NodePert()} {
		a, err := credit.Align(ctx, net, baselines, tk, r, learn.DefaultConfig(), g, 40, 2)
		if err != nil {
			log.Fatal(err)
		}
		as = append(as, a)
	}
	fmt.Println("gradient resolved:", g.Norm > 0)
	fig, err := plots.Alignment(g.Oracle(), as...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output:
	// gradient resolved: true
	// alignment of the update with the descent direction −g
	// (exact per-trial gradients: ρ = 0.0844)
}

// Record the eligibility traces of a few synapses during chosen episodes,
// then draw them against the task's stimuli and the reward.
func ExampleEligibilityTraces() {
	dc := task.DefaultDNMS()
	dc.Dt = 10 // coarse steps: a quick example
	tk, err := task.NewDNMS(dc)
	if err != nil {
		log.Fatal(err)
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt = 20, 10
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.WarmUp = 3, 0
	cfg.Record = learn.Record{Traces: []int{2}, Synapses: [][2]int{{3, 5}, {4, 6}}}
	h, err := learn.Run(context.Background(), nc, tk, rule.MiconiCubic(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.EligibilityTraces(tk, h.Traces...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: eligibility traces (synapse pre → post)
}

func ExampleActivity() {
	dc := task.DefaultDNMS()
	dc.Dt = 10 // coarse steps: a quick example
	tk, err := task.NewDNMS(dc)
	if err != nil {
		log.Fatal(err)
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt = 20, 10
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.WarmUp = 2, 0
	cfg.Record = learn.Record{Activity: []int{1}}
	h, err := learn.Run(context.Background(), nc, tk, rule.MiconiCubic(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.Activity(tk, h.Activity[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(fig.Plots()), "plots: rates, colour bar and output")
	// Output: 3 plots: rates, colour bar and output
}

func ExampleMetaTraining() {
	fig, err := plots.MetaTraining(plots.MetaCurves{
		TrainObjective:   []float64{1001, 1016, 1017, 1017},
		EvalObjective:    []float64{1001, 1015, 1016, 1017},
		TrainPerformance: []float64{0.02, 0.85, 0.9, 0.9},
		EvalPerformance:  []float64{0.01, 0.84, 0.88, 0.9},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title(), len(fig.Plots()))
	// Output: meta-training 2
}

func ExampleCoefficientTrajectories() {
	start := rule.MiconiCubic().Theta
	step := rule.MiconiCubic().Theta
	step[1][1] = 0.2
	fig, err := plots.CoefficientTrajectories([][][]float64{start, step})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: coefficient trajectories
}

func ExampleFigure_PNG() {
	fig, _ := plots.BasisGrid(1, 1)
	fig.DPI = 192 // a sharper image for a high-density screen
	b, err := fig.PNG()
	fmt.Println(len(b) > 0, err)
	// Output: true <nil>
}

// Draw puts a figure on any gonum/plot canvas, here a 10 x 8 cm image.
func ExampleFigure_Draw() {
	fig, _ := plots.GradientCheck([]float64{1, 2, 3}, []float64{1, 2, 3.001})
	c := vgimg.New(10*vg.Centimeter, 8*vg.Centimeter)
	fig.Draw(draw.New(c))
	fmt.Println(c.Image().Bounds().Dx() > 0)
	// Output: true
}

// Plots lists every plot of a figure: a heat map and its colour bar.
func ExampleFigure_Plots() {
	fig, _ := plots.Theta(rule.EH())
	for _, p := range fig.Plots() {
		fmt.Printf("%q\n", p.Title.Text)
	}
	// Output:
	// "coefficients θ of eh"
	// ""
}

func ExampleFigure_Title() {
	fig, _ := plots.Spectrum(mat.NewDense(1, 1, []float64{0.5}), mat.NewDense(1, 1, []float64{0.9}))
	fmt.Println(fig.Title())
	fmt.Println(fig)
	// Output:
	// eigenvalues of J before and after learning
	// plots.Figure: eigenvalues of J before and after learning
}

func ExampleGeneralisation() {
	runs := func(eps ...int) []eval.Outcome {
		var os []eval.Outcome
		for _, e := range eps {
			os = append(os, eval.Outcome{Episodes: e})
		}
		return os
	}
	fig, err := plots.Generalisation(plots.GeneralisationTable{
		Rules:      []string{"miconi-cubic", "learned"},
		Conditions: []string{"random J", "random x0"},
		Outcomes: [][][]eval.Outcome{
			{runs(1050, 900, 1300), runs(1000, 1100, 1200)},
			{runs(620, 600, 700), runs(640, 610, 660)},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: generalisation: episodes to criterion
}

// The paper's figure 1 as one image: rows of panels, each row a Grid with
// its own letters, stacked by an outer Grid. The data here come from tiny
// runs; a notebook passes its real results.
func Example_figure1() {
	ctx := context.Background()
	cc := task.DefaultContext()
	cc.Dt = 10
	tk, err := task.NewContext(cc)
	if err != nil {
		log.Fatal(err)
	}
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.NumInputs = 20, 10, tk.NumInputs()
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.WarmUp = 30, 0

	learned, _ := rule.Random(3, 3, 0.2, 7)
	learned.Name = "learned"
	var runs []plots.Runs
	var outcomes []plots.Outcomes
	for _, r := range []rule.Rule{rule.MiconiCubic(), learned} {
		set, out := plots.Runs{Name: r.Name}, plots.Outcomes{Name: r.Name}
		for seed := uint64(1); seed <= 3; seed++ {
			cfg.Seed = seed
			h, err := learn.Run(ctx, nc, tk, r, cfg)
			if err != nil {
				log.Fatal(err)
			}
			set.Histories = append(set.Histories, h)
		}
		out.Runs = eval.DefaultCriterion().Outcomes(set.Histories)
		runs, outcomes = append(runs, set), append(outcomes, out)
	}

	a, _ := plots.TaskSchematic(tk, 1)
	c, _ := plots.BasisGrid(3, 3)
	d, _ := plots.Theta(rule.MiconiCubic())
	e, _ := plots.MetaTraining(plots.MetaCurves{TrainObjective: []float64{-0.9, -0.5, -0.4}, EvalObjective: []float64{-0.9, -0.6, -0.45}})
	f1, _ := plots.Theta(learned)
	f2, _ := plots.HSurface(learned)
	g, _ := plots.LearningCurves(plots.CurveConfig{}, runs...)
	h, _ := plots.EpisodesToCriterion(outcomes...)

	row1, _ := plots.Grid(plots.GridConfig{Letters: []string{"a", "c", "d"}}, a, c, d)
	row2, _ := plots.Grid(plots.GridConfig{Letters: []string{"e", "f", ""}}, e, f1, f2)
	row3, _ := plots.Grid(plots.GridConfig{Widths: []float64{2, 1}, Letters: []string{"g", "h"}}, g, h)
	fig, err := plots.Grid(plots.GridConfig{Cols: 1, NoLetters: true, Title: "figure 1"}, row1, row2, row3)
	if err != nil {
		log.Fatal(err)
	}
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	if err := fig.Save(filepath.Join(dir, "figure1.pdf"), 18*vg.Centimeter, 16*vg.Centimeter); err != nil {
		log.Fatal(err)
	}
	fmt.Println(fig.Title())
	// Output: figure 1
}
