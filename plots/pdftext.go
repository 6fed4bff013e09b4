package plots

import (
	"strings"

	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgpdf"
)

// houseText is the text handler of every figure: gonum's plain handler,
// except on a PDF canvas. gonum/plot v0.17.0's PDF backend embeds fonts in
// the Windows-1252 code page and writes a string's bytes as they are, so
// UTF-8 text outside ASCII comes out garbled (θ as "Î¸"). On a PDF canvas
// houseText spells out what the code page lacks (θ as "theta", Δ as "d",
// superscripts as ^k) and hands the code page's bytes to the canvas.
type houseText struct{ text.Plain }

// Draw implements text.Handler.
func (h houseText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	if pc := pdfCanvas(c); pc != nil {
		h.Plain.Draw(cp1252Canvas{pc}, pdfText(txt), sty, pt)
		return
	}
	h.Plain.Draw(c, txt, sty, pt)
}

// pdfCanvas returns the PDF canvas under c, or nil.
func pdfCanvas(c vg.Canvas) *vgpdf.Canvas {
	for {
		switch v := c.(type) {
		case *vgpdf.Canvas:
			return v
		case *draw.Canvas:
			c = v.Canvas
		case draw.Canvas:
			c = v.Canvas
		default:
			return nil
		}
	}
}

// cp1252Canvas writes strings to a PDF canvas in Windows-1252.
type cp1252Canvas struct{ *vgpdf.Canvas }

// FillString implements vg.Canvas.
func (c cp1252Canvas) FillString(f font.Face, pt vg.Point, s string) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if e, ok := charmap.Windows1252.EncodeRune(r); ok {
			b = append(b, e)
		} else {
			b = append(b, '?')
		}
	}
	c.Canvas.FillString(f, pt, string(b))
}

// pdfText replaces the runes Windows-1252 lacks by ASCII spellings.
func pdfText(s string) string {
	var b strings.Builder
	const sups = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	for _, r := range s {
		if i := strings.IndexRune(sups, r); i >= 0 {
			// All superscript digits alike, though ¹²³ exist in the
			// code page: "r^2 dx^4", not "r² dx^4".
			b.WriteString("^" + itoa(len([]rune(sups[:i]))))
			continue
		}
		if _, ok := charmap.Windows1252.EncodeRune(r); ok {
			b.WriteRune(r)
			continue
		}
		switch r {
		case 'θ':
			b.WriteString("theta")
		case 'Δ', '∂':
			b.WriteString("d")
		case 'λ':
			b.WriteString("lambda")
		case 'σ':
			b.WriteString("s")
		case 'φ':
			b.WriteString("phi")
		case '‖':
			b.WriteString("||")
		case 'ᵏ':
			b.WriteString("^k")
		case 'ˡ':
			b.WriteString("^l")
		case 'ᵢ':
			b.WriteString("_i")
		case '⁻', '−':
			b.WriteString("-")
		case '→':
			b.WriteString("->")
		case '←':
			b.WriteString("<-")
		default:
			b.WriteString("?")
		}
	}
	return b.String()
}
