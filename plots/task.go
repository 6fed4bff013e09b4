package plots

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// maxTypes is the most trial types TaskSchematic draws side by side.
const maxTypes = 8

// timeAxis returns the duration of a step and the axis label: ms for tasks
// that report their time step (task.Dter), steps otherwise.
func timeAxis(tk task.Task) (dt float64, label string) {
	if d, ok := tk.(task.Dter); ok && d.Dt() > 0 {
		return d.Dt(), "time (ms)"
	}
	return 1, "time (steps)"
}

// taskName is tk's name if it has one (fmt.Stringer), else its type.
func taskName(tk task.Task) string {
	if s, ok := tk.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", tk)
}

// stimulusEpochs returns the maximal runs of steps [from, to) at which
// some input channel is non-zero, ignoring channels that hold one value for
// the whole trial (a context cue is not a stimulus).
func stimulusEpochs(tr *task.Trial) [][2]int {
	T, nin := tr.Steps(), tr.NumInputs
	varies := make([]bool, nin)
	for k := 0; k < nin; k++ {
		for t := 1; t < T; t++ {
			if tr.Inputs[t*nin+k] != tr.Inputs[k] {
				varies[k] = true
				break
			}
		}
	}
	var epochs [][2]int
	start := -1
	for t := 0; t <= T; t++ {
		on := false
		if t < T {
			for k := 0; k < nin; k++ {
				if varies[k] && tr.Inputs[t*nin+k] != 0 {
					on = true
					break
				}
			}
		}
		switch {
		case on && start < 0:
			start = t
		case !on && start >= 0:
			epochs = append(epochs, [2]int{start, t})
			start = -1
		}
	}
	return epochs
}

// TaskSchematic draws one trial of each type of the task tk (at most 8
// types), a column per type: the input channels stacked above, the target
// below, stimulus epochs shaded sand and the evaluation window, over which
// the error is scored and after which the reward arrives, shaded blue. The
// trials are drawn with randomness from seed (noisy inputs, random delays).
func TaskSchematic(tk task.Task, seed uint64) (*Figure, error) {
	const fn = "TaskSchematic"
	if tk == nil {
		return nil, fmt.Errorf("plots: %s: tk is nil", fn)
	}
	if err := task.Validate(tk); err != nil {
		return nil, fmt.Errorf("plots: %s: tk: %w", fn, err)
	}
	types := tk.NumTypes()
	if types > maxTypes {
		return nil, fmt.Errorf("plots: %s: tk has %d trial types; want at most %d", fn, types, maxTypes)
	}
	dt, tLabel := timeAxis(tk)
	rng := rand.New(rand.NewPCG(seed, 0x7461736b))
	name := taskName(tk)
	f := &Figure{
		Width:  vg.Length(types)*6*vg.Centimeter + vg.Centimeter,
		Height: 11 * vg.Centimeter,
		title:  "task schematic: " + name + " (sand: stimuli; blue: scored window, then reward)",
	}
	lay := schematicLayout{title: "task: " + name, key: "sand: stimuli; blue: scored, then reward"}
	var tr task.Trial
	for typ := 0; typ < types; typ++ {
		if err := task.Generate(tk, &tr, typ, rng); err != nil {
			return nil, fmt.Errorf("plots: %s: trial type %d: %w", fn, typ, err)
		}
		if err := checkFinite(fn, fmt.Sprintf("inputs of trial type %d", typ), tr.Inputs); err != nil {
			return nil, err
		}
		if err := checkFinite(fn, fmt.Sprintf("target of trial type %d", typ), tr.Target); err != nil {
			return nil, err
		}
		in, out, err := trialPlots(&tr, dt, tLabel, typ == 0)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", fn, err)
		}
		in.Title.Text = fmt.Sprintf("type %d", typ)
		lay.cols = append(lay.cols, stack{plots: []*plot.Plot{in, out}, heights: []float64{0.6, 0.4}})
	}
	f.add(lay, 0, 0, 1, 1)
	return f, nil
}

// schematicLayout draws TaskSchematic's columns, one per trial type,
// under a title and a key to the shading. The title band is a length, not
// a fraction of the height, so its text keeps its room at any size.
type schematicLayout struct {
	title, key string
	cols       []stack
}

func (s schematicLayout) plotsOf() []*plot.Plot {
	var ps []*plot.Plot
	for _, c := range s.cols {
		ps = append(ps, c.plotsOf()...)
	}
	return ps
}

// Draw implements drawer.
func (s schematicLayout) Draw(c draw.Canvas) {
	title, key := headStyle(titleSize), textStyle(legendSize)
	const pad = vg.Length(2)
	th, kh := title.Height(s.title), key.Height(s.key)
	at := func(x0, y0, x1, y1 vg.Length) draw.Canvas { return within(c, x0, y0, x1, y1) }
	y := c.Max.Y
	label{s.title, title, 0}.Draw(at(c.Min.X, y-th, c.Max.X, y))
	y -= th + pad
	label{s.key, key, 0}.Draw(at(c.Min.X, y-kh, c.Max.X, y))
	y -= kh + pad
	// The first column carries the y axes' labels: give it their room.
	w := c.Max.X - c.Min.X
	first := at(c.Min.X, c.Min.Y, c.Max.X, y)
	extra := vg.Length(0)
	if len(s.cols) > 1 {
		extra = s.cols[0].axisWidth(first) - s.cols[1].axisWidth(first)
	}
	n := vg.Length(len(s.cols))
	colW := (w - extra) / n
	x := c.Min.X
	for i, col := range s.cols {
		cw := colW
		if i == 0 {
			cw += extra
		}
		col.Draw(at(x, c.Min.Y, x+cw, y))
		x += cw
	}
}

// trialPlots draws a trial's inputs (stacked channels) and target with the
// stimulus epochs and the evaluation window shaded.
func trialPlots(tr *task.Trial, dt float64, tLabel string, first bool) (in, out *plot.Plot, err error) {
	T, nin := tr.Steps(), tr.NumInputs
	duration := float64(T) * dt
	shade := func(p *plot.Plot) {
		for _, e := range stimulusEpochs(tr) {
			p.Add(band{float64(e[0]) * dt, float64(e[1]) * dt, stimShade})
		}
		p.Add(band{float64(tr.EvalStart) * dt, float64(tr.EvalEnd) * dt, evalShade})
	}
	in = newPlot("", "", "")
	shade(in)
	amp := 0.0
	for _, u := range tr.Inputs {
		amp = math.Max(amp, math.Abs(u))
	}
	if amp == 0 {
		amp = 1
	}
	ticks := make([]plot.Tick, nin)
	for k := 0; k < nin; k++ {
		off := -2.4 * amp * float64(k) // channel 0 on top
		xys := make(plotter.XYs, T)
		for t := 0; t < T; t++ {
			xys[t] = plotter.XY{X: float64(t) * dt, Y: off + tr.Inputs[t*nin+k]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, nil, err
		}
		l.LineStyle = draw.LineStyle{Color: Categorical(k), Width: thinWidth}
		in.Add(l)
		ticks[k] = plot.Tick{Value: off}
		if first {
			ticks[k].Label = "u" + itoa(k)
		}
	}
	in.Y.Tick.Marker = plot.ConstantTicks(ticks)
	in.Y.Min, in.Y.Max = -2.4*amp*float64(max(nin-1, 0))-1.2*amp, 1.2*amp
	in.X.Min, in.X.Max = 0, duration
	in.HideX()
	if nin == 0 {
		in.HideY()
	}
	if first {
		in.Y.Label.Text = "inputs"
	}

	out = newPlot("", "", "")
	out.X.Tick.Marker = fewTicks{}
	if first {
		out.X.Label.Text = tLabel
	}
	shade(out)
	xys := make(plotter.XYs, T)
	for t := 0; t < T; t++ {
		xys[t] = plotter.XY{X: float64(t) * dt, Y: tr.Target[t]}
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, nil, err
	}
	l.LineStyle = lineStyle(okabeBlack)
	out.Add(l)
	out.X.Min, out.X.Max = 0, duration
	lo, hi := -1.0, 1.0
	for _, v := range tr.Target {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	out.Y.Min, out.Y.Max = lo*1.2, hi*1.2
	// 0 unlabelled: the target panel is short, three labels would touch.
	yt := []plot.Tick{{Value: lo, Label: fmt.Sprintf("%.3g", lo)}, {Value: 0}, {Value: hi, Label: fmt.Sprintf("%.3g", hi)}}
	if !first {
		for i := range yt {
			yt[i].Label = ""
		}
	}
	out.Y.Tick.Marker = plot.ConstantTicks(yt)
	if first {
		out.Y.Label.Text = "target"
	}
	return in, out, nil
}
