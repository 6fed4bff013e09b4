package goeval

import (
	"go/scanner"
	"go/token"
)

// partKind says how a part of a cell is evaluated.
type partKind int

const (
	partImport  partKind = iota // import declarations
	partDecl                    // func, method, type, var and const declarations
	partStmt                    // statements, evaluated in the global scope
	partPackage                 // a package clause, which cells do not need: skipped
)

func (k partKind) String() string {
	return [...]string{"imports", "declarations", "statements", "package clause"}[k]
}

// part is a run of a cell's top-level units of one kind: the byte range
// [start, end) of the cell's code. Comments and blank lines before a unit
// belong to it, so declarations keep their doc comments.
type part struct {
	kind       partKind
	start, end int
}

// splitCell cuts code into its top-level units (declarations and
// statements, at bracket depth 0, ending at a semicolon, written or
// automatic) and merges adjacent units of the same kind into parts. Import
// units are moved to the front, in order, as imports must come first. If
// code does not scan, splitCell returns one statement part holding it all,
// so that the parser reports the error.
func splitCell(code string) []part {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	var s scanner.Scanner
	bad := false
	s.Init(file, []byte(code), func(token.Position, string) { bad = true }, 0)

	type unit struct {
		kind       partKind
		start, end int
	}
	var units []unit
	depth := 0
	unitStart := 0 // where the current unit's text starts (after the previous one)
	var toks []token.Token
	header := false // in the header of a for, if or switch: its semicolons do not end the unit
	// flush ends the current unit at end; the next starts at next.
	flush := func(end, next int) {
		if len(toks) > 0 {
			units = append(units, unit{classify(toks), unitStart, end})
			unitStart = min(next, len(code))
		}
		toks = toks[:0]
	}
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		switch tok {
		case token.LBRACE:
			if depth == 0 {
				header = false
			}
			depth++
		case token.LPAREN, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth == 0 && !header {
				flush(off, off+1)
				continue
			}
		case token.FOR, token.IF, token.SWITCH:
			if depth == 0 { // at a unit's start, or after else
				header = true
			}
		}
		if len(toks) < 16 {
			toks = append(toks, tok)
		}
	}
	flush(len(code), len(code))
	if bad || depth != 0 || len(units) == 0 {
		return []part{{partStmt, 0, len(code)}}
	}
	// The tail after the last unit (comments, blank lines) joins it.
	units[len(units)-1].end = len(code)

	var parts []part
	// Imports first: each import unit is a part of its own, as its text is
	// not adjacent to the next import's.
	for _, u := range units {
		if u.kind == partImport {
			parts = append(parts, part{partImport, u.start, u.end})
		}
	}
	for _, u := range units {
		if u.kind == partImport {
			continue
		}
		if n := len(parts); n > 0 && parts[n-1].kind == u.kind && parts[n-1].end == u.start {
			parts[n-1].end = u.end
			continue
		}
		parts = append(parts, part{u.kind, u.start, u.end})
	}
	return parts
}

// classify returns the kind of a unit from its first tokens.
func classify(toks []token.Token) partKind {
	switch toks[0] {
	case token.PACKAGE:
		return partPackage
	case token.IMPORT:
		return partImport
	case token.TYPE, token.VAR, token.CONST:
		return partDecl
	case token.FUNC:
		if len(toks) > 1 && toks[1] == token.IDENT {
			return partDecl // func name(...)
		}
		if len(toks) > 1 && toks[1] == token.LPAREN && isMethodDecl(toks[1:]) {
			return partDecl
		}
	}
	return partStmt
}

// isMethodDecl reports whether toks, starting at "(", begin a method
// declaration's receiver: "(r T) Name(" or "(r T) Name[" rather than a
// function literal "(params) results {".
func isMethodDecl(toks []token.Token) bool {
	depth := 0
	for i, t := range toks {
		switch t {
		case token.LPAREN:
			depth++
		case token.RPAREN:
			depth--
			if depth == 0 {
				rest := toks[i+1:]
				return len(rest) >= 2 && rest[0] == token.IDENT && (rest[1] == token.LPAREN || rest[1] == token.LBRACK)
			}
		}
	}
	// The receiver is longer than the tokens kept: "func (" followed by a
	// long parameter list is far more often a method than a literal.
	return true
}
