package plots

import (
	"hash/fnv"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The house style. These are constants, not variables: a figure's look is
// changed on the figure (Figure.Plot), never globally.
const (
	titleSize  = vg.Length(12)
	labelSize  = vg.Length(11)
	tickSize   = vg.Length(9.5)
	legendSize = vg.Length(9.5)
	cellSize   = vg.Length(8.5) // numbers written inside heat-map cells
	letterSize = vg.Length(14)  // panel letters of Grid

	lineWidth = vg.Length(1.6)
	thinWidth = vg.Length(0.8)
	dotRadius = vg.Length(2.6)

	// maxTicks is the most tick labels an axis shows.
	maxTicks = 7
)

// sans is the house typeface (Liberation ships with gonum/plot).
func sans() font.Font { return font.Font{Typeface: "Liberation", Variant: "Sans"} }

// rgb is an opaque colour 0xRRGGBB. The palette below is made of constants
// of this type, so no code can change the house colours at run time.
type rgb uint32

// RGBA implements color.Color.
func (c rgb) RGBA() (r, g, b, a uint32) {
	return uint32(c>>16&0xff) * 0x101, uint32(c>>8&0xff) * 0x101, uint32(c&0xff) * 0x101, 0xffff
}

// The Okabe–Ito palette (Okabe & Ito 2008), safe for the common forms of
// colour blindness, and two greys.
const (
	okabeBlack         rgb = 0x000000
	okabeOrange        rgb = 0xe69f00
	okabeSkyBlue       rgb = 0x56b4e9
	okabeBluishGreen   rgb = 0x009e73
	okabeBlue          rgb = 0x0072b2
	okabeVermillion    rgb = 0xd55e00
	okabeReddishPurple rgb = 0xcc79a7
	grey               rgb = 0x888888
	lightGrey          rgb = 0xe4e4e4
)

// Categorical returns the i-th colour of the house categorical palette
// (Okabe–Ito without black and yellow, which read poorly as thin lines on
// white), cycling when i exceeds its length. Use it for series that are not
// rules; rules get RuleColor.
func Categorical(i int) color.Color {
	cs := categorical()
	if i < 0 {
		i = -i
	}
	return cs[i%len(cs)]
}

func categorical() [6]rgb {
	return [6]rgb{okabeBlue, okabeVermillion, okabeBluishGreen, okabeReddishPurple, okabeOrange, okabeSkyBlue}
}

// RuleColor returns the colour that stands for the plasticity rule with the
// given name in every figure of this package. Names are matched case
// insensitively by what they contain, in this order:
//
//	"learn", "optim", "meta", "best"  reddish purple (a meta-learned rule)
//	"miconi", "33", "3,3", "cubic"    blue (Miconi's theta_33 rule)
//	"node", "perturb"                 vermillion (node perturbation)
//	"eh", "hebb", "linear", "11"      bluish green (fluctuation Hebb)
//	"zero", "none"                    grey
//	"random"                          orange
//
// Any other name gets a colour from Categorical chosen by a hash of the name,
// so the same name has the same colour everywhere.
func RuleColor(name string) color.Color {
	n := strings.ToLower(name)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(n, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("learn", "optim", "meta", "best"):
		return okabeReddishPurple
	case has("miconi", "33", "3,3", "cubic"):
		return okabeBlue
	case has("node", "perturb"):
		return okabeVermillion
	case has("eh", "hebb", "linear", "11", "1,1"):
		return okabeBluishGreen
	case has("zero", "none"):
		return grey
	case has("random"):
		return okabeOrange
	}
	h := fnv.New32a()
	h.Write([]byte(n))
	return Categorical(int(h.Sum32() % 6))
}

// withAlpha returns c with its alpha scaled to a in [0, 1] (premultiplied).
func withAlpha(c color.Color, a float64) color.Color {
	r, g, b, al := c.RGBA()
	return color.RGBA64{
		R: uint16(float64(r) * a), G: uint16(float64(g) * a),
		B: uint16(float64(b) * a), A: uint16(float64(al) * a),
	}
}

// textStyle is a house text style of the given size.
func textStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(sans(), size),
		Handler: handler(),
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
	}
}

// headStyle is the style of figure titles and panel letters drawn outside
// plots. It is not bold: gonum/plot v0.17.0's PDF backend registers bold
// faces under a name it then fails to find ("undefined font").
func headStyle(size vg.Length) text.Style { return textStyle(size) }

// handler is the house text handler (see houseText).
func handler() text.Handler { return houseText{text.Plain{Fonts: font.DefaultCache}} }

// newPlot returns a plot in the house style.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the Figure fills its page once
	h := handler()
	p.TextHandler = h
	p.Title.TextStyle.Handler = h
	p.X.Label.TextStyle.Handler, p.Y.Label.TextStyle.Handler = h, h
	p.X.Tick.Label.Handler, p.Y.Tick.Label.Handler = h, h
	p.Legend.TextStyle.Handler = h
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans(), titleSize)
	p.Title.Padding = vg.Length(4)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans(), labelSize)
		ax.Tick.Label.Font = font.From(sans(), tickSize)
		ax.Tick.Marker = niceTicks{}
		ax.Padding = vg.Length(2)
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = font.From(sans(), legendSize)
	p.Legend.Top = true
	return p
}

// niceTicks labels about five values at a round step (1, 2, 2.5 or 5
// times a power of ten; integers only when integer is set), with
// unlabelled minor ticks between them. It fails over to gonum's default for
// a degenerate range.
type niceTicks struct{ integer bool }

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	const want = 5
	best, bestMiss := 0.0, math.Inf(1)
	e := math.Floor(math.Log10((max - min) / want))
	for de := -1.0; de <= 1; de++ {
		for _, m := range []float64{1, 2, 2.5, 5} {
			step := m * math.Pow(10, e+de)
			if t.integer && (step < 1 || m == 2.5) {
				continue
			}
			n := math.Floor(max/step) - math.Ceil(min/step) + 1
			if n < 3 || n > maxTicks {
				continue
			}
			if miss := math.Abs(n - want); miss < bestMiss {
				best, bestMiss = step, miss
			}
		}
	}
	if best == 0 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	exp := math.Floor(math.Log10(best) + 1e-9)
	decimals := max0(int(-exp))
	if m := best / math.Pow(10, exp); math.Abs(m-2.5) < 1e-9 && exp <= 0 {
		decimals++ // 0.25, 2.5
	}
	minor := best / 5
	if t.integer && minor < 1 {
		minor = 1
	}
	var ts []plot.Tick
	for i := math.Ceil(min / minor); i*minor <= max*(1+1e-12)+1e-12; i++ {
		v := i * minor
		tk := plot.Tick{Value: v}
		if q := v / best; math.Abs(q-math.Round(q)) < 1e-6 {
			if math.Abs(v) < best*1e-9 {
				v = 0
			}
			tk.Label = strconv.FormatFloat(v, 'f', decimals, 64)
		}
		ts = append(ts, tk)
	}
	return ts
}

func max0(i int) int {
	if i < 0 {
		return 0
	}
	return i
}

// fewTicks marks the round values of an axis starting at 0 and labels only
// 0 and the last of them, for axes in narrow panels where five labels
// would collide.
type fewTicks struct{}

// Ticks implements plot.Ticker.
func (fewTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for _, t := range (niceTicks{}).Ticks(min, max) {
		if t.Label != "" { // the round values; the rest are minor ticks
			ts = append(ts, t)
		}
	}
	for i := range ts {
		if i != len(ts)-1 && ts[i].Value != min {
			ts[i].Label = ""
		}
	}
	return ts
}

// intTicks labels the integers from lo to hi at their values.
type intTicks struct{ lo, hi int }

// Ticks implements plot.Ticker.
func (t intTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for i := t.lo; i <= t.hi; i++ {
		ts = append(ts, plot.Tick{Value: float64(i), Label: itoa(i)})
	}
	return ts
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// diverging returns the house diverging colour map (Moreland's smooth
// blue–red, readable with red–green colour blindness) spanning
// [-absMax, absMax], so that zero sits on its neutral centre. absMax <= 0 or
// non-finite gives the range [-1, 1].
func diverging(absMax float64) palette.DivergingColorMap {
	if !(absMax > 0) || math.IsInf(absMax, 0) {
		absMax = 1
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(-absMax)
	cm.SetMax(absMax)
	cm.SetConvergePoint(0)
	return cm
}

// lineStyle is a house line style of colour c.
func lineStyle(c color.Color) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: lineWidth}
}

// logScale is the house log axis scale.
func logScale() plot.Normalizer { return plot.LogScale{} }

// logRange sets a log axis to span [lo, hi] exactly, widened to a factor
// of two either side when lo == hi (gonum would widen by ±1, through zero,
// where a log scale panics).
func logRange(ax *plot.Axis, lo, hi float64) {
	if lo == hi {
		lo, hi = lo/2, hi*2
	}
	ax.Min, ax.Max = lo, hi
}

// logTicks is the house log axis ticker: see logTicker.
func logTicks() plot.Ticker { return logTicker{} }

// logTicker marks every power of ten and its multiples 2..9 and labels the
// powers of ten, as 10ⁿ outside [0.01, 1000]. When that labels fewer than
// three ticks (an axis spanning about a decade), it also labels the
// multiples 2 and 5.
type logTicker struct{}

// Ticks implements plot.Ticker.
func (logTicker) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) {
		return nil
	}
	var ts []plot.Tick
	labelled := 0
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		p := math.Pow(10, e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * p
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = logLabel(v, int(e))
				labelled++
			}
			ts = append(ts, t)
		}
	}
	if labelled < 3 {
		for i, t := range ts {
			e := math.Floor(math.Log10(t.Value) + 1e-9)
			m := math.Round(t.Value / math.Pow(10, e))
			if m == 2 || m == 5 {
				ts[i].Label = logLabel(t.Value, int(e))
			}
		}
	}
	return ts
}

// logLabel formats a tick value v ~ m 10^e.
func logLabel(v float64, e int) string {
	if e >= -2 && e <= 3 {
		return strconv.FormatFloat(v, 'f', max0(-e), 64)
	}
	// Liberation has no superscript minus: write 1e-5, 2e-5, 1e6.
	m := math.Round(v / math.Pow(10, float64(e)))
	return strconv.Itoa(int(m)) + "e" + strconv.Itoa(e)
}
