package plots

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// Ranges over which rule figures show H and its basis functions: the
// presynaptic rate r = tanh(x) lies in [-1, 1]; the postsynaptic
// fluctuation dx is shown over [-2, 2], as in the paper's figure 1f.
const (
	rMin, rMax   = -1.0, 1.0
	dxMin, dxMax = -2.0, 2.0
)

// maxPower is the largest K or L the rule figures accept: beyond it the
// coefficient grid becomes unreadable.
const maxPower = 9

// sup writes n with Unicode superscript digits.
func sup(n int) string {
	digits := [10]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}
	if n < 10 {
		return digits[n]
	}
	return sup(n/10) + digits[n%10]
}

// basisName is the name of basis term r^k dx^l, e.g. "r²Δx³", "1", "Δx".
func basisName(k, l int) string {
	s := ""
	switch k {
	case 0:
	case 1:
		s = "r"
	default:
		s = "r" + sup(k)
	}
	switch l {
	case 0:
	case 1:
		s += "Δx"
	default:
		s += "Δx" + sup(l)
	}
	if s == "" {
		return "1"
	}
	return s
}

// powi returns x^n for n >= 0 (0^0 = 1).
func powi(x float64, n int) float64 {
	p := 1.0
	for ; n > 0; n-- {
		p *= x
	}
	return p
}

// evalH returns H(r, dx) = sum_kl theta_kl r^k dx^l by Horner's scheme.
func evalH(theta mat.Matrix, r, dx float64) float64 {
	nk, nl := theta.Dims()
	h := 0.0
	for k := nk - 1; k >= 0; k-- {
		s := 0.0
		for l := nl - 1; l >= 0; l-- {
			s = s*dx + theta.At(k, l)
		}
		h = h*r + s
	}
	return h
}

// ruleTheta validates a polynomial rule's coefficients and returns them as
// a matrix: (K+1) x (L+1), K and L at most maxPower, rows of one length,
// finite values. The error names the rule and the field.
func ruleTheta(fn string, r rule.Rule) (*mat.Dense, error) {
	if r.Kind != rule.Polynomial {
		return nil, fmt.Errorf("plots: %s: rule %q is %v; want a polynomial rule (node perturbation has no coefficients)", fn, r.Name, r.Kind)
	}
	if len(r.Theta) == 0 || len(r.Theta[0]) == 0 {
		return nil, fmt.Errorf("plots: %s: rule %q: Theta is empty", fn, r.Name)
	}
	nk, nl := len(r.Theta), len(r.Theta[0])
	if nk > maxPower+1 || nl > maxPower+1 {
		return nil, fmt.Errorf("plots: %s: rule %q: Theta is %d x %d; want at most %d x %d (K, L <= %d)", fn, r.Name, nk, nl, maxPower+1, maxPower+1, maxPower)
	}
	m := mat.NewDense(nk, nl, nil)
	for k, row := range r.Theta {
		if len(row) != nl {
			return nil, fmt.Errorf("plots: %s: rule %q: Theta[%d] has %d values; want %d, as Theta[0]", fn, r.Name, k, len(row), nl)
		}
		for l, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: %s: rule %q: Theta[%d][%d] is %v; want a finite number", fn, r.Name, k, l, v)
			}
		}
		m.SetRow(k, row)
	}
	return m, nil
}

// ruleLabel is how a figure names a rule.
func ruleLabel(r rule.Rule) string {
	if r.Name == "" {
		return "rule"
	}
	return r.Name
}

// Theta draws the coefficient matrix Theta of a polynomial three-factor
// rule H(r, dx) = sum_kl Theta[k][l] r^k dx^l (the paper's figure 1d and
// the left of 1f): row k (pre power) upwards from 0, column l (post power)
// to the right, each cell coloured by the diverging map centred on zero and
// labelled with its value, with a colour bar. K and L must be at most 9.
func Theta(r rule.Rule) (*Figure, error) {
	theta, err := ruleTheta("Theta", r)
	if err != nil {
		return nil, err
	}
	nk, nl := theta.Dims()
	absMax := 0.0
	for k := 0; k < nk; k++ {
		for l := 0; l < nl; l++ {
			absMax = max(absMax, math.Abs(theta.At(k, l)))
		}
	}
	cm := diverging(absMax)
	p := newPlot("coefficients θ of "+ruleLabel(r), "post power l (Δxˡ)", "pre power k (rᵏ)")
	p.Add(heatMap(matGrid{theta}, cm, false))
	p.X.Tick.Marker = intTicks{0, nl - 1}
	p.Y.Tick.Marker = intTicks{0, nk - 1}
	p.X.Padding, p.Y.Padding = 0, 0

	size := cellSize
	if max(nk, nl) > 6 {
		size *= 0.8
	}
	lab, err := cellLabels(theta, cm, size, func(k, l int) string { return cellText(theta.At(k, l)) })
	if err != nil {
		return nil, fmt.Errorf("plots: Theta: %w", err)
	}
	var short []string
	for k := 0; k < nk; k++ {
		for l := 0; l < nl; l++ {
			short = append(short, shortCellText(theta.At(k, l)))
		}
	}
	p.Add(fitLabels{Labels: lab, short: short})

	f := &Figure{Width: 16 * vg.Centimeter, Height: 12 * vg.Centimeter, title: p.Title.Text}
	f.add(withBar{main: p, bar: colourBar(cm, "coefficient value θ")}, 0, 0, 1, 1)
	return f, nil
}

// HSurface draws the plasticity function H(r, dx) = sum_kl Theta[k][l]
// r^k dx^l of a polynomial rule as a heat map over the presynaptic rate r
// in [-1, 1] and the postsynaptic fluctuation dx in [-2, 2], with a colour
// bar centred on zero and the axes r = 0 and dx = 0 marked (the right of
// the paper's figure 1f). K and L must be at most 9.
func HSurface(r rule.Rule) (*Figure, error) {
	theta, err := ruleTheta("HSurface", r)
	if err != nil {
		return nil, err
	}
	const n = 121
	g, absMax := sample(linspace(rMin, rMax, n), linspace(dxMin, dxMax, n), func(r, dx float64) float64 {
		return evalH(theta, r, dx)
	})
	cm := diverging(absMax)
	p := newPlot("H(r, Δx) of "+ruleLabel(r), "presynaptic activity r", "postsynaptic fluctuation Δx")
	p.Add(heatMap(g, cm, true))
	p.X.Padding, p.Y.Padding = 0, 0
	axes := draw.LineStyle{Color: grey, Width: thinWidth}
	p.Add(hLine(0, axes), vLine(0, axes))

	f := &Figure{Width: 16 * vg.Centimeter, Height: 12 * vg.Centimeter, title: p.Title.Text}
	f.add(withBar{main: p, bar: colourBar(cm, "H")}, 0, 0, 1, 1)
	return f, nil
}

// BasisGrid draws the basis functions r^k dx^l of the rule family, k = 0..K
// (rows, upwards) and l = 0..L (columns), each as a map over the presynaptic
// rate r in [-1, 1] (horizontal) and the fluctuation dx in [-2, 2]
// (vertical), each scaled to its own largest |value| under the diverging
// map (blue negative, red positive) (the paper's figure 1c). K and L are
// in [0, 9].
func BasisGrid(K, L int) (*Figure, error) {
	if K < 0 || K > maxPower {
		return nil, fmt.Errorf("plots: BasisGrid: K = %d; want 0 <= K <= %d", K, maxPower)
	}
	if L < 0 || L > maxPower {
		return nil, fmt.Errorf("plots: BasisGrid: L = %d; want 0 <= L <= %d", L, maxPower)
	}
	const n = 33 // samples per axis of each map
	f := &Figure{
		Width:  vg.Length(L+1)*3.6*vg.Centimeter + 2*vg.Centimeter,
		Height: vg.Length(K+1)*3.6*vg.Centimeter + 2*vg.Centimeter,
		title:  fmt.Sprintf("basis functions rᵏΔxˡ, K = %d, L = %d", K, L),
	}
	xs, ys := linspace(rMin, rMax, n), linspace(dxMin, dxMax, n)
	b := basisLayout{title: f.title, maps: make([][]*plot.Plot, K+1)}
	for k := 0; k <= K; k++ {
		for l := 0; l <= L; l++ {
			g, absMax := sample(xs, ys, func(r, dx float64) float64 { return powi(r, k) * powi(dx, l) })
			p := newPlot(basisName(k, l), "", "")
			p.Title.TextStyle.Font.Size = labelSize
			p.Title.Padding = 2
			p.Add(heatMap(g, diverging(absMax), true))
			p.HideAxes()
			p.X.Padding, p.Y.Padding = 0, 0
			b.maps[k] = append(b.maps[k], p)
		}
	}
	f.add(b, 0, 0, 1, 1)
	return f, nil
}

// basisLayout draws the maps of BasisGrid, maps[k][l], row k upwards,
// under a title and with the powers labelled along the left and bottom;
// each map has its own title (r²Δx) when all fit.
// Its margins are lengths, not fractions, so its text keeps its room at
// any size.
type basisLayout struct {
	title string
	maps  [][]*plot.Plot
}

func (b basisLayout) plotsOf() []*plot.Plot {
	var ps []*plot.Plot
	for _, row := range b.maps {
		ps = append(ps, row...)
	}
	return ps
}

// Draw implements drawer.
func (b basisLayout) Draw(c draw.Canvas) {
	title, axis, tick := headStyle(titleSize), textStyle(labelSize), textStyle(tickSize)
	const pad = vg.Length(3)
	top := title.Height(b.title) + pad
	band := tick.Height("0") + axis.Height("k") + 2*pad // powers and the axis name
	k1, l1 := len(b.maps), len(b.maps[0])
	inner := vg.Rectangle{Min: vg.Point{X: c.Min.X + band, Y: c.Min.Y + band}, Max: vg.Point{X: c.Max.X, Y: c.Max.Y - top}}
	gap := vg.Length(3)
	cw := (inner.Max.X - inner.Min.X - gap*vg.Length(l1-1)) / vg.Length(l1)
	ch := (inner.Max.Y - inner.Min.Y - gap*vg.Length(k1-1)) / vg.Length(k1)
	if cw <= 0 || ch <= 0 {
		return
	}
	at := func(x0, y0, x1, y1 vg.Length) draw.Canvas { return within(c, x0, y0, x1, y1) }
	// Maps too small for their titles (r⁵Δx⁵ over a thumbnail) go without:
	// the powers along the axes still name them.
	titled := true
	for _, row := range b.maps {
		for _, p := range row {
			ts := p.Title.TextStyle
			titled = titled && ts.Width(p.Title.Text) < 0.8*cw && 2*ts.Height(p.Title.Text) < ch
		}
	}
	for k, row := range b.maps {
		y0 := inner.Min.Y + vg.Length(k)*(ch+gap)
		for l, p := range row {
			x0 := inner.Min.X + vg.Length(l)*(cw+gap)
			t := p.Title.Text
			if !titled {
				p.Title.Text = ""
			}
			p.Draw(at(x0, y0, x0+cw, y0+ch))
			p.Title.Text = t
		}
		label{itoa(k), tick, 0}.Draw(at(c.Min.X+band-pad-tick.Width("0"), y0, c.Min.X+band-pad, y0+ch))
	}
	for l := 0; l < l1; l++ {
		x0 := inner.Min.X + vg.Length(l)*(cw+gap)
		label{itoa(l), tick, 0}.Draw(at(x0, c.Min.Y+band-pad-tick.Height("0"), x0+cw, c.Min.Y+band-pad))
	}
	axisH := axis.Height("k")
	label{"post power l →", axis, 0}.Draw(at(inner.Min.X, c.Min.Y, inner.Max.X, c.Min.Y+axisH))
	label{"pre power k →", axis, math.Pi / 2}.Draw(at(c.Min.X, inner.Min.Y, c.Min.X+axisH, inner.Max.Y))
	label{b.title, title, 0}.Draw(at(c.Min.X, c.Max.Y-top, c.Max.X, c.Max.Y))
}

// label draws text centred in its canvas, rotated by rot radians.
type label struct {
	text string
	sty  text.Style
	rot  float64
}

// Draw implements drawer.
func (l label) Draw(c draw.Canvas) {
	s := l.sty
	s.Rotation = l.rot
	s.XAlign, s.YAlign = text.XCenter, text.YCenter
	c.FillText(s, c.Center(), l.text)
}

// shortCellText is cellText without the leading zero: ".35", "-.07".
func shortCellText(v float64) string {
	s := cellText(v)
	if strings.HasPrefix(s, "-0.") {
		return "-" + s[2:]
	}
	return strings.TrimPrefix(s, "0")
}

// cellText formats a heat-map cell's value with two decimals, without a
// sign on values that round to zero.
func cellText(v float64) string {
	if math.Abs(v) < 0.005 {
		return "0.00"
	}
	return fmt.Sprintf("%.2f", v)
}
