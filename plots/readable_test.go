package plots_test

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/plasticnb/plasticnb/plots"
)

// placedText is a string as it lands on the page: its effective font size
// and its bounding box, after every scale, rotation and translation.
type placedText struct {
	s    string
	size vg.Length
	box  vg.Rectangle
}

// affine is the matrix [a c e; b d f] mapping (x, y) to (ax+cy+e, bx+dy+f).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) then(n affine) affine { // m applied after n: m * n
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// texts draws f at w x h and returns every string it writes, placed.
func texts(t *testing.T, f *plots.Figure, w, h vg.Length) []placedText {
	t.Helper()
	var rec recorder.Canvas
	f.Draw(draw.NewCanvas(&rec, w, h))
	m := affine{a: 1, d: 1}
	var stack []affine
	var out []placedText
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.Push:
			stack = append(stack, m)
		case *recorder.Pop:
			m, stack = stack[len(stack)-1], stack[:len(stack)-1]
		case *recorder.Translate:
			m = m.then(affine{a: 1, d: 1, e: float64(a.Point.X), f: float64(a.Point.Y)})
		case *recorder.Scale:
			m = m.then(affine{a: a.X, d: a.Y})
		case *recorder.Rotate:
			s, c := math.Sincos(a.Angle)
			m = m.then(affine{a: c, b: s, c: -s, d: c})
		case *recorder.FillString:
			// The ink, roughly: from below the baseline by descenders
			// to the height of capitals, not the font's whole line.
			face := font.DefaultCache.Lookup(a.Font, a.Size)
			x0, x1 := float64(a.Point.X), float64(a.Point.X+face.Width(a.String))
			y0, y1 := float64(a.Point.Y-0.2*a.Size), float64(a.Point.Y+0.75*a.Size)
			box := vg.Rectangle{Min: vg.Point{X: vg.Length(math.Inf(1)), Y: vg.Length(math.Inf(1))}, Max: vg.Point{X: vg.Length(math.Inf(-1)), Y: vg.Length(math.Inf(-1))}}
			for _, p := range [][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
				x, y := m.apply(p[0], p[1])
				box.Min.X, box.Min.Y = min(box.Min.X, vg.Length(x)), min(box.Min.Y, vg.Length(y))
				box.Max.X, box.Max.Y = max(box.Max.X, vg.Length(x)), max(box.Max.Y, vg.Length(y))
			}
			scale := math.Sqrt(math.Abs(m.a*m.d - m.b*m.c))
			out = append(out, placedText{s: a.String, size: a.Size * vg.Length(scale), box: box})
		}
	}
	return out
}

// overlap is how far two boxes overlap in their narrower direction.
func overlap(p, q vg.Rectangle) vg.Length {
	dx := min(p.Max.X, q.Max.X) - max(p.Min.X, q.Min.X)
	dy := min(p.Max.Y, q.Max.Y) - max(p.Min.Y, q.Min.Y)
	if dx <= 0 || dy <= 0 {
		return 0
	}
	return min(dx, dy)
}

// TestFigure1Readable checks the composed figure 1 at the notebook's size
// (20 cm wide, as notebook 04 shows it), both as the golden test composes
// it and as notebook 04 does (at its default size): every string it writes
// is at least 5.5 pt on the page (7 pt for all but numbers in heat-map
// cells, which shrink to fit their cells), no string runs off the page,
// and no two strings overlap (by more than 1 pt: superscripts sit against
// their base).
func TestFigure1Readable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func() (*plots.Figure, error)
		w, h  vg.Length // zero: the figure's own size
	}{
		{"golden", testFigure1, 20 * vg.Centimeter, 15 * vg.Centimeter},
		{"notebook 04", func() (*plots.Figure, error) { return notebookFigure1(3) }, 0, 0},
		{"notebook 04 paper scale", func() (*plots.Figure, error) { return notebookFigure1(5) }, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tc.build()
			if err != nil {
				t.Fatal(err)
			}
			w, h := tc.w, tc.h
			if w == 0 {
				w, h = f.Width, f.Height
			}
			if w > 21*vg.Centimeter {
				t.Errorf("figure 1 is %.1f cm wide; want about 20 cm, the notebook's width", w/vg.Centimeter)
			}
			checkReadable(t, texts(t, f, w, h), w, h)
		})
	}
}

// notebookFigure1 composes figure 1 as notebook 04 does, on test data,
// with K = L = k in panels c and d (3 at its quick scale, 5 at the paper's).
func notebookFigure1(k int) (*plots.Figure, error) {
	a, c, d, e, f1, f2, g, h := figure1PanelsK("learning curves (fresh networks)", k)
	rows := make([]*plots.Figure, 3)
	for i, r := range []struct {
		cfg    plots.GridConfig
		panels []*plots.Figure
	}{
		{plots.GridConfig{Cols: 3, Letters: []string{"a", "c", "d"}}, []*plots.Figure{a, c, d}},
		{plots.GridConfig{Cols: 3, Letters: []string{"e", "f", ""}}, []*plots.Figure{e, f1, f2}},
		{plots.GridConfig{Cols: 2, Widths: []float64{1.5, 1}, Letters: []string{"g", "h"}}, []*plots.Figure{g, h}},
	} {
		row, err := plots.Grid(r.cfg, r.panels...)
		if err != nil {
			return nil, err
		}
		rows[i] = row
	}
	return plots.Grid(plots.GridConfig{Cols: 1, NoLetters: true, Heights: []float64{1, 1, 0.9}, Title: "figure 1"}, rows...)
}

// checkReadable checks the strings of a w x h page: see TestFigure1Readable.
func checkReadable(t *testing.T, ts []placedText, w, h vg.Length) {
	t.Helper()
	if len(ts) < 100 {
		t.Fatalf("figure 1 writes %d strings; want the labels of eight panels", len(ts))
	}
	small := 0
	for _, x := range ts {
		if x.size < 5.5 {
			t.Errorf("%q is %.1f pt on the page; want at least 5.5 pt", x.s, x.size)
		}
		if x.size < 7 {
			small++
		}
		const slack = 1
		if x.box.Min.X < -slack || x.box.Min.Y < -slack || x.box.Max.X > w+slack || x.box.Max.Y > h+slack {
			t.Errorf("%q at %v runs off the %v x %v page", x.s, fmtBox(x.box), w, h)
		}
	}
	// The numbers in the cells of the two coefficient heat maps (at most
	// 36 + 36) may be small.
	if small > 72 {
		t.Errorf("%d strings are under 7 pt on the page; want only the heat maps' cell numbers (at most 72)", small)
	}
	for i, p := range ts {
		for _, q := range ts[i+1:] {
			if o := overlap(p.box, q.box); o > 1 {
				t.Errorf("%q at %v and %q at %v overlap by %.1f pt", p.s, fmtBox(p.box), q.s, fmtBox(q.box), o)
			}
		}
	}
}

func fmtBox(r vg.Rectangle) string {
	return fmt.Sprintf("(%.0f,%.0f)-(%.0f,%.0f)", r.Min.X, r.Min.Y, r.Max.X, r.Max.Y)
}

// TestGridMinScale checks that a Grid scales a panel too large for its cell
// by no less than GridConfig.MinScale: the smallest text of a 40 cm wide
// panel in a 10 cm grid.
func TestGridMinScale(t *testing.T) {
	for _, tc := range []struct {
		minScale float64
		want     vg.Length // smallest text on the page, pt
	}{
		{0, 0.8 * 9.5},   // the default floor, on 9.5 pt tick labels
		{0.5, 0.5 * 9.5}, // a lower floor
		{-1, 0.25 * 9.5}, // no floor: scaled as a whole, 10/40
	} {
		f, err := plots.GradientCheck([]float64{1, 2, 3}, []float64{1, 2.1, 2.9})
		if err != nil {
			t.Fatal(err)
		}
		f.Width, f.Height = 40*vg.Centimeter, 30*vg.Centimeter
		g, err := plots.Grid(plots.GridConfig{MinScale: tc.minScale, NoLetters: true, Width: 10 * vg.Centimeter, Height: 7.5 * vg.Centimeter}, f)
		if err != nil {
			t.Fatal(err)
		}
		smallest := vg.Length(math.Inf(1))
		for _, x := range texts(t, g, g.Width, g.Height) {
			smallest = min(smallest, x.size)
		}
		if math.Abs(float64(smallest-tc.want)) > 0.1 {
			t.Errorf("Grid(MinScale %g): smallest text %.2f pt; want %.2f", tc.minScale, smallest, tc.want)
		}
	}
}
