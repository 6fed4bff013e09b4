package kernel

import "testing"

func TestOffsets(t *testing.T) {
	const code = "é😀x" // é: 2 bytes, 1 unit; 😀: 4 bytes, 1 code point, 2 UTF-16 units
	for _, tc := range []struct {
		pos  int
		u    offsetUnit
		want int
	}{
		{-1, codePoints, 0},
		{0, codePoints, 0},
		{1, codePoints, 2},
		{2, codePoints, 6},
		{3, codePoints, 7},
		{9, codePoints, 7},
		{1, utf16Units, 2},
		{2, utf16Units, 2}, // inside the surrogate pair
		{3, utf16Units, 6},
		{4, utf16Units, 7},
	} {
		if got := byteOffset(code, tc.pos, tc.u); got != tc.want {
			t.Errorf("byteOffset(%q, %d, %d) = %d; want %d", code, tc.pos, tc.u, got, tc.want)
		}
	}
	for _, tc := range []struct {
		off  int
		u    offsetUnit
		want int
	}{
		{0, codePoints, 0}, {2, codePoints, 1}, {6, codePoints, 2}, {7, codePoints, 3}, {99, codePoints, 3},
		{6, utf16Units, 3}, {7, utf16Units, 4},
	} {
		if got := unitOffset(code, tc.off, tc.u); got != tc.want {
			t.Errorf("unitOffset(%q, %d, %d) = %d; want %d", code, tc.off, tc.u, got, tc.want)
		}
	}
}

func TestGuessUnit(t *testing.T) {
	for _, tc := range []struct {
		code string
		pos  int
		want offsetUnit
	}{
		{"fmt.Pr", 6, codePoints},
		{"s := \"é\"; fmt.Pr", 16, codePoints},     // no astral rune: code points
		{"s := \"😀\"; fmt.Pr", 16, codePoints},     // code points end at "Pr"
		{"s := \"😀\"; fmt.Pr", 17, utf16Units},     // past the end in code points
		{"s := \"😀\"; fmt.Pr + x", 17, utf16Units}, // only UTF-16 ends at "Pr"
		{"s := \"😀\"; fmt.Pr + x", 16, codePoints}, // both end a word: the spec wins
	} {
		if got := guessUnit(tc.code, tc.pos); got != tc.want {
			t.Errorf("guessUnit(%q, %d) = %d; want %d", tc.code, tc.pos, got, tc.want)
		}
	}
}
