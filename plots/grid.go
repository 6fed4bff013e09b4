package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// GridConfig lays out the panels of Grid. Its zero value puts up to three
// panels in a row, lettered a, b, c, ... with equal column widths and row
// heights.
type GridConfig struct {
	// Cols is the number of columns; panels fill rows left to right.
	// Zero means min(3, number of panels).
	Cols int
	// Widths are the relative widths of the columns (len Cols, positive);
	// nil means equal widths.
	Widths []float64
	// Heights are the relative heights of the rows (len = number of rows,
	// positive); nil means equal heights.
	Heights []float64
	// Letters are the panel letters, one per panel; "" leaves a panel
	// unlettered. Nil means "a", "b", "c", ... for the non-nil panels in
	// order. Use explicit letters to nest grids (a row of the paper's
	// figure 1 is a Grid inside a Grid).
	Letters []string
	// NoLetters leaves every panel unlettered (overrides Letters).
	NoLetters bool
	// Title is the figure's title (Figure.Title), not drawn.
	Title string
	// Width and Height are the figure's size. Zero means the panels'
	// own sizes added up (the widest panel of each column, the tallest of
	// each row), shrunk if need be to at most 20 cm wide, about the width
	// at which a notebook shows an image. Panels are scaled to their
	// cells, so this sets how large their text is relative to the whole.
	Width, Height vg.Length
	// MinScale is the smallest factor by which a panel's text is scaled
	// to fit its cell, so that text stays readable however many panels
	// share the figure: a panel that would need to shrink more is laid
	// out anew in its cell at this factor (its plots get smaller, its
	// text does not). Zero means 0.8; a negative value, no floor (every
	// panel scaled as a whole, as a journal would).
	MinScale float64
}

// Grid lays the panels out in a grid, each in its cell, with a panel letter
// in the cell's top-left corner, and returns them as one figure. Each panel
// is drawn at its own Width and Height and scaled as a whole (text
// included) to fit its cell, as a journal scales a figure's panels, but
// never by less than GridConfig.MinScale: a panel too large for its cell
// is laid out anew at that scale, so that its text stays readable. Cells
// leave a small gap above and left of their panels, and room for the
// letter. A Grid inside a Grid (a row of a larger figure) fills its cell
// unscaled and scales its own panels. A nil panel leaves its cell empty
// and takes no letter. The panels are drawn when the grid is: editing a
// panel's plots afterwards changes the grid.
func Grid(cfg GridConfig, panels ...*Figure) (*Figure, error) {
	n := len(panels)
	if n == 0 {
		return nil, fmt.Errorf("plots: Grid: panels is empty")
	}
	cols := cfg.Cols
	switch {
	case cols < 0:
		return nil, fmt.Errorf("plots: Grid: GridConfig.Cols = %d; want >= 0", cols)
	case cols == 0:
		cols = min(3, n)
	}
	rows := (n + cols - 1) / cols
	widths, err := fractions("GridConfig.Widths", cfg.Widths, cols)
	if err != nil {
		return nil, err
	}
	heights, err := fractions("GridConfig.Heights", cfg.Heights, rows)
	if err != nil {
		return nil, err
	}
	if cfg.Letters != nil && len(cfg.Letters) != n {
		return nil, fmt.Errorf("plots: Grid: len(GridConfig.Letters) = %d; want %d, one per panel", len(cfg.Letters), n)
	}
	if cfg.Width < 0 || cfg.Height < 0 {
		return nil, fmt.Errorf("plots: Grid: GridConfig.Width, Height = %v, %v; want >= 0", cfg.Width, cfg.Height)
	}
	minScale := cfg.MinScale
	switch {
	case minScale == 0:
		minScale = defaultMinScale
	case minScale < 0:
		minScale = 0
	case math.IsInf(minScale, 0) || math.IsNaN(minScale):
		return nil, fmt.Errorf("plots: Grid: GridConfig.MinScale = %v; want a finite number", cfg.MinScale)
	}
	f := &Figure{Width: cfg.Width, Height: cfg.Height, title: cfg.Title, grid: true}
	if f.Width == 0 || f.Height == 0 {
		w, h := naturalSize(panels, cols, rows)
		if s := maxGridWidth / w; s < 1 {
			w, h = maxGridWidth, h*s
		}
		if f.Width == 0 {
			f.Width = w
		}
		if f.Height == 0 {
			f.Height = h
		}
	}
	next := 0 // index of the next default letter
	y1 := 1.0
	for r := 0; r < rows; r++ {
		y0 := y1 - heights[r]
		x0 := 0.0
		for c := 0; c < cols; c++ {
			x1 := x0 + widths[c]
			i := r*cols + c
			if i < n && panels[i] != nil {
				letter := ""
				switch {
				case cfg.NoLetters:
				case cfg.Letters != nil:
					letter = cfg.Letters[i]
				default:
					letter = string(rune('a' + next%26))
					next++
				}
				p := panel{d: panels[i], x0: x0, y0: y0, x1: x1, y1: y1, minScale: minScale}
				if !panels[i].grid {
					// A gap below the row above and at the left, room
					// for the letter of a lettered panel.
					p.top, p.left = cellGap, cellGap
					if letter != "" {
						p.left = letterRoom
					}
				}
				f.addPanel(p)
				if letter != "" {
					f.add(panelLetter(letter), x0, y0, x1, y1)
				}
			}
			x0 = x1
		}
		y1 = y0
	}
	return f, nil
}

// maxGridWidth is the widest a Grid of default size gets (20 cm, about
// the width at which a notebook shows an image).
const maxGridWidth = 20 * vg.Centimeter

// defaultMinScale is GridConfig.MinScale's default: at 0.8, tick labels
// are 7.6 pt, 10 pixels high at 96 dpi.
const defaultMinScale = 0.8

// The room a Grid leaves in a cell above its panel (a gap to the row
// above) and, for a lettered panel, at its left (for the letter).
const cellGap, letterRoom = vg.Length(7), vg.Length(12)

// naturalSize is the size of a grid whose panels all show at their own
// size: the widest panel of each column and the tallest of each row.
func naturalSize(panels []*Figure, cols, rows int) (w, h vg.Length) {
	for c := 0; c < cols; c++ {
		cw := vg.Length(0)
		for r := 0; r < rows; r++ {
			if i := r*cols + c; i < len(panels) && panels[i] != nil {
				pw, _, _ := panels[i].size(0, 0)
				cw = max(cw, pw)
			}
		}
		w += cw
	}
	for r := 0; r < rows; r++ {
		rh := vg.Length(0)
		for c := 0; c < cols; c++ {
			if i := r*cols + c; i < len(panels) && panels[i] != nil {
				_, ph, _ := panels[i].size(0, 0)
				rh = max(rh, ph)
			}
		}
		h += rh
	}
	if w == 0 || h == 0 { // only nil panels
		return DefaultWidth, DefaultHeight
	}
	return w, h
}

// fractions checks relative sizes and normalises them to sum to 1; nil
// gives n equal parts.
func fractions(name string, rel []float64, n int) ([]float64, error) {
	out := make([]float64, n)
	if rel == nil {
		for i := range out {
			out[i] = 1 / float64(n)
		}
		return out, nil
	}
	if len(rel) != n {
		return nil, fmt.Errorf("plots: Grid: len(%s) = %d; want %d", name, len(rel), n)
	}
	sum := 0.0
	for i, v := range rel {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("plots: Grid: %s[%d] = %v; want a positive finite number", name, i, v)
		}
		sum += v
	}
	for i, v := range rel {
		out[i] = v / sum
	}
	return out, nil
}

// panelLetter draws a bold letter in the top-left corner of its canvas.
type panelLetter string

// Draw implements drawer.
func (l panelLetter) Draw(c draw.Canvas) {
	s := headStyle(letterSize)
	s.XAlign = text.XLeft
	s.YAlign = text.YTop
	c.FillText(s, vg.Point{X: c.Min.X + 1, Y: c.Max.Y - 1}, string(l))
}
