package kernel

import (
	"unicode"
	"unicode/utf8"
)

// offsetUnit is how a frontend counts a cursor position.
type offsetUnit int

const (
	codePoints offsetUnit = iota // the protocol's unit
	utf16Units                   // JupyterLab's unit
)

// width returns how many units r counts for in u.
func (u offsetUnit) width(r rune) int {
	if u == utf16Units && r > 0xFFFF {
		return 2
	}
	return 1
}

// byteOffset converts pos, counted in u, to a byte offset into code. A
// position inside a surrogate pair maps to the start of its rune; positions
// out of range are clamped.
func byteOffset(code string, pos int, u offsetUnit) int {
	if pos <= 0 {
		return 0
	}
	n := 0
	for i, r := range code {
		if n >= pos {
			return i
		}
		n += u.width(r)
		if n > pos {
			return i
		}
	}
	return len(code)
}

// unitOffset converts a byte offset into code to a position counted in u.
func unitOffset(code string, off int, u offsetUnit) int {
	off = max(0, min(off, len(code)))
	n := 0
	for _, r := range code[:off] {
		n += u.width(r)
	}
	return n
}

// hasAstral reports whether code has a rune outside the Basic Multilingual
// Plane, the only case where code points and UTF-16 units differ.
func hasAstral(code string) bool {
	for i := 0; i < len(code); i++ {
		if code[i] >= 0xF0 { // a 4-byte UTF-8 sequence starts here
			return true
		}
	}
	return false
}

// guessUnit returns the unit under which pos is most plausibly a cursor in
// code: code points unless only the UTF-16 reading puts the cursor right
// after an identifier character or a dot (where completion and inspection
// are asked), or the position is past the end in code points.
func guessUnit(code string, pos int) offsetUnit {
	if !hasAstral(code) {
		return codePoints
	}
	if pos > utf8.RuneCountInString(code) {
		return utf16Units // past the end in code points
	}
	a, b := byteOffset(code, pos, codePoints), byteOffset(code, pos, utf16Units)
	if a == b || afterWord(code, a) || !afterWord(code, b) {
		return codePoints
	}
	return utf16Units
}

// afterWord reports whether the byte before off ends an identifier or is a
// dot.
func afterWord(code string, off int) bool {
	r, size := utf8.DecodeLastRuneInString(code[:off])
	return size > 0 && (r == '.' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r))
}
