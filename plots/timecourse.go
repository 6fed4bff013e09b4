package plots

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// maxPanels is the most trials EligibilityTraces stacks.
const maxPanels = 6

// trialContext is what the time-course figures know of a trial's task: the
// time step, the axis label and, if the task is known, the stimulus epochs
// and the evaluation window of a trial of the given type.
type trialContext struct {
	dt       float64
	label    string
	epochs   [][2]int
	evalFrom int
	evalTo   int // evalTo <= evalFrom: unknown
}

// contextOf returns the trialContext of a trial of type typ and steps
// steps of task tk (nil: steps as time, nothing shaded).
func contextOf(fn string, tk task.Task, typ, steps int) (trialContext, error) {
	if tk == nil {
		return trialContext{dt: 1, label: "time (steps)"}, nil
	}
	if tk.Steps() != steps {
		return trialContext{}, fmt.Errorf("plots: %s: tk has %d steps per trial; the recorded trial has %d", fn, tk.Steps(), steps)
	}
	if typ < 0 || typ >= tk.NumTypes() {
		return trialContext{}, fmt.Errorf("plots: %s: trial type %d; tk has types 0..%d", fn, typ, tk.NumTypes()-1)
	}
	var tr task.Trial
	// Epochs and window depend on the type, not on the noise: any seed.
	if err := task.Generate(tk, &tr, typ, rand.New(rand.NewPCG(0, 0))); err != nil {
		return trialContext{}, fmt.Errorf("plots: %s: tk: %w", fn, err)
	}
	dt, label := timeAxis(tk)
	return trialContext{dt: dt, label: label, epochs: stimulusEpochs(&tr), evalFrom: tr.EvalStart, evalTo: tr.EvalEnd}, nil
}

// shade adds the stimulus epochs and evaluation window to p.
func (tc trialContext) shade(p *plot.Plot) {
	for _, e := range tc.epochs {
		p.Add(band{float64(e[0]) * tc.dt, float64(e[1]) * tc.dt, stimShade})
	}
	if tc.evalTo > tc.evalFrom {
		p.Add(band{float64(tc.evalFrom) * tc.dt, float64(tc.evalTo) * tc.dt, evalShade})
	}
}

// EligibilityTraces draws the eligibility traces e_ij(t) of the recorded
// synapses across trials (one panel per trace, at most 6, stacked), each
// synapse a line, with the trial's stimulus epochs shaded sand, its
// evaluation window blue and the reward, delivered once at the end of the
// trial, marked by a dashed line. tk is the task the traces were recorded
// on, for time in ms and the epochs; nil plots time in steps and shades
// nothing. Traces come from learn.History.Traces (learn.Config.Record).
func EligibilityTraces(tk task.Task, traces ...learn.Trace) (*Figure, error) {
	const fn = "EligibilityTraces"
	if len(traces) == 0 {
		return nil, fmt.Errorf("plots: %s: traces is empty", fn)
	}
	if len(traces) > maxPanels {
		return nil, fmt.Errorf("plots: %s: %d traces; want at most %d panels", fn, len(traces), maxPanels)
	}
	plots := make([]*plot.Plot, len(traces))
	for i, tr := range traces {
		name := fmt.Sprintf("traces[%d].Values", i)
		if err := checkMatrix(fn, name, tr.Values); err != nil {
			return nil, err
		}
		T, S := tr.Values.Dims()
		if S != len(tr.Synapses) {
			return nil, fmt.Errorf("plots: %s: %s has %d columns; want %d, one per traces[%d].Synapses", fn, name, S, len(tr.Synapses), i)
		}
		tc, err := contextOf(fn, tk, tr.Type, T)
		if err != nil {
			return nil, err
		}
		p := newPlot(fmt.Sprintf("episode %d, trial type %d", tr.Episode, tr.Type), "", "eligibility e_ij")
		p.Title.TextStyle.Font.Size = labelSize
		tc.shade(p)
		p.Add(hLine(0, draw.LineStyle{Color: grey, Width: thinWidth / 2}))
		end := float64(T) * tc.dt
		for s, syn := range tr.Synapses {
			xys := make(plotter.XYs, T)
			for t := 0; t < T; t++ {
				xys[t] = plotter.XY{X: float64(t+1) * tc.dt, Y: tr.Values.At(t, s)}
			}
			l, err := plotter.NewLine(xys)
			if err != nil {
				return nil, fmt.Errorf("plots: %s: %w", fn, err)
			}
			l.LineStyle = lineStyle(Categorical(s))
			l.LineStyle.Width = lineWidth * 0.8
			p.Add(l)
			if i == 0 {
				p.Legend.Add(fmt.Sprintf("%d → %d", syn[1], syn[0]), l)
			}
		}
		reward := vLine(end, draw.LineStyle{Color: okabeBlack, Width: lineWidth, Dashes: []vg.Length{5, 3}})
		p.Add(reward)
		if i == 0 {
			p.Legend.Add("reward", reward.(refLine))
		}
		p.Legend.Top, p.Legend.Left = true, true
		p.X.Min, p.X.Max = 0, end*1.03
		lo, hi := mat.Min(tr.Values), mat.Max(tr.Values)
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
		if hi == lo {
			hi = lo + 1
		}
		if i == 0 { // headroom for the legend
			p.Y.Min, p.Y.Max = lo-0.05*(hi-lo), hi+0.05*(hi-lo)+0.12*float64(len(tr.Synapses)+1)*(hi-lo)
		}
		if i == len(traces)-1 {
			p.X.Label.Text = tc.label
		}
		plots[i] = p
	}
	f := &Figure{Width: 16 * vg.Centimeter, Height: vg.Length(3+4*len(traces)) * vg.Centimeter, title: "eligibility traces (synapse pre → post)"}
	f.add(stack{plots: plots}, 0, 0, 1, 1)
	return f, nil
}

// Thumbnail implements plot.Thumbnailer: a short line in the line's style.
func (l refLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.sty, c.Min.X, y, c.Max.X, y)
}

// Activity draws one trial's network activity (learn.History.Activity):
// the rates r_i(t) of every unit as a heat map (unit against time, blue -1,
// red +1, with a colour bar) above the output z(t) and the target, with the stimulus epochs
// and the evaluation window shaded. tk is the task, for time in ms and the
// epochs; nil plots time in steps and shades only the evaluation window.
func Activity(tk task.Task, a learn.Activity) (*Figure, error) {
	const fn = "Activity"
	if err := checkMatrix(fn, "a.Rates", a.Rates); err != nil {
		return nil, err
	}
	T, _ := a.Rates.Dims()
	if err := checkValues(fn, "a.Output", a.Output); err != nil {
		return nil, err
	}
	if err := checkSameLen(fn, "a.Output", len(a.Output), "a.Rates has rows", T); err != nil {
		return nil, err
	}
	if len(a.Target) > 0 {
		if err := checkSameLen(fn, "a.Target", len(a.Target), "a.Rates has rows", T); err != nil {
			return nil, err
		}
		if err := checkFinite(fn, "a.Target", a.Target); err != nil {
			return nil, err
		}
	}
	tc, err := contextOf(fn, tk, a.Type, T)
	if err != nil {
		return nil, err
	}
	if tk == nil && a.EvalEnd > a.EvalStart {
		tc.evalFrom, tc.evalTo = a.EvalStart, a.EvalEnd
	}
	end := float64(T) * tc.dt
	title := fmt.Sprintf("activity, episode %d, trial type %d, error %.2f", a.Episode, a.Type, a.Error)
	heat := newPlot(title, "", "unit")
	cm := diverging(1)
	heat.Add(heatMap(timeGrid{m: a.Rates, dt: tc.dt}, cm, true))
	heat.X.Min, heat.X.Max = 0, end
	heat.Y.Tick.Marker = niceTicks{integer: true}
	heat.HideX()
	heat.X.Padding, heat.Y.Padding = 0, 0

	out := newPlot("", tc.label, "output")
	tc.shade(out)
	out.Add(hLine(0, draw.LineStyle{Color: grey, Width: thinWidth / 2}))
	if len(a.Target) > 0 {
		l, err := plotter.NewLine(series(a.Target, tc.dt))
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", fn, err)
		}
		l.LineStyle = draw.LineStyle{Color: okabeBlack, Width: lineWidth, Dashes: []vg.Length{5, 3}}
		out.Add(l)
		out.Legend.Add("target", l)
	}
	z, err := plotter.NewLine(series(a.Output, tc.dt))
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", fn, err)
	}
	z.LineStyle = lineStyle(okabeBlue)
	out.Add(z)
	out.Legend.Add("z", z)
	out.Legend.Top, out.Legend.Left = true, true
	out.X.Min, out.X.Max = 0, end
	out.X.Padding = 0
	lo, hi := -1.0, 1.0
	for _, v := range a.Output {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	out.Y.Min, out.Y.Max = lo*1.1, hi*1.1

	f := &Figure{Width: 16 * vg.Centimeter, Height: 13 * vg.Centimeter, title: title}
	f.add(stack{plots: []*plot.Plot{heat, out}, heights: []float64{0.65, 0.35}, bar: colourBar(cm, "rate r")}, 0, 0, 1, 1)
	return f, nil
}

// series returns ys against time (step t ends at (t+1) dt).
func series(ys []float64, dt float64) plotter.XYs {
	xys := make(plotter.XYs, len(ys))
	for t, y := range ys {
		xys[t] = plotter.XY{X: float64(t+1) * dt, Y: y}
	}
	return xys
}

// timeGrid shows a T x N matrix as a heat map of unit (y) against time (x).
type timeGrid struct {
	m  mat.Matrix
	dt float64
}

func (g timeGrid) Dims() (c, r int)   { r, c = g.m.Dims(); return r, c }
func (g timeGrid) Z(c, r int) float64 { return g.m.At(c, r) }
func (g timeGrid) X(c int) float64    { return (float64(c) + 0.5) * g.dt }
func (g timeGrid) Y(r int) float64    { return float64(r) }
