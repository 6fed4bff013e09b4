package main

import (
	"bytes"
	"fmt"
	"go/format"
	"go/scanner"
	"go/token"
	"sort"
	"strings"
	"unicode"
)

// A cell is not a Go file: it mixes imports, declarations and statements in
// any order (the kernel sorts them out), and it may hold magic lines
// (starting with %) that are not Go at all. formatCell formats it as gofmt
// would format each part in its place:
//
//   - the cell is cut into top-level items at the semicolons (written or
//     inserted at a line end) outside any brackets, at line granularity, so
//     an item's trailing comment stays with it and comments above an item
//     go with it;
//   - runs of consecutive imports, of declarations (func, type, var, const)
//     and of statements are formatted as a unit: imports and declarations
//     as the body of a file "package p", statements as the body of a
//     function, then unwrapped (the package clause dropped, or the
//     function's lines shifted back by the one tab gofmt added, except the
//     inner lines of raw strings, which gofmt never indents);
//   - magic lines are kept verbatim and cut the cell into parts formatted
//     on their own;
//   - a blank line between two runs is kept (one at most, as gofmt does),
//     and the cell's leading and trailing blank lines are dropped.
//
// As a guard, formatCell checks that the result has the same tokens as the
// cell, comments aside: formatting never changes code.
func formatCell(src string) (string, error) {
	lines := strings.Split(src, "\n")
	var out []string
	var part []string
	partStart := 0 // line index of part[0], for error positions
	flush := func() error {
		text, err := formatGo(strings.Join(part, "\n"), partStart)
		if err != nil {
			return err
		}
		if text != "" {
			out = append(out, text)
		}
		part = part[:0]
		return nil
	}
	inRaw := rawContinuation(src)
	for i, line := range lines {
		if !inRaw[i] && strings.HasPrefix(strings.TrimSpace(line), "%") {
			if err := flush(); err != nil {
				return "", err
			}
			out = append(out, strings.TrimRight(line, " \t"))
			partStart = i + 1
			continue
		}
		part = append(part, line)
	}
	if err := flush(); err != nil {
		return "", err
	}
	res := strings.Join(out, "\n")
	if err := sameTokens(src, res); err != nil {
		return "", err
	}
	return res, nil
}

// rawContinuation reports, per line of src, whether the line starts inside a
// raw string literal (such a line is text, not code: neither a magic nor to
// be indented).
func rawContinuation(src string) []bool {
	n := strings.Count(src, "\n") + 1
	inside := make([]bool, n)
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.STRING && strings.HasPrefix(lit, "`") && strings.Contains(lit, "\n") {
			first := fset.Position(pos).Line // 1-based
			for l := first; l < first+strings.Count(lit, "\n"); l++ {
				inside[l] = true // lines first+1 .. end, 0-based index l
			}
		}
	}
	return inside
}

type itemKind int

const (
	importItem itemKind = iota
	declItem
	stmtItem
)

// item is a top-level import, declaration or statement: lines [start, end)
// of the part, with the comments and blank lines above it.
type item struct {
	kind       itemKind
	start, end int
}

// formatGo formats a part of a cell with no magic lines. first is the part's
// first line in the cell, for error messages.
func formatGo(src string, first int) (string, error) {
	lines := strings.Split(src, "\n")
	items, err := splitItems(src, first)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && items[j].kind == items[i].kind {
			j++
		}
		start, end := items[i].start, items[j-1].end
		if j == len(items) {
			end = len(lines) // trailing comments go with the last run
		}
		// Blank lines above the run separate it from the previous one.
		blank := false
		for start < end && strings.TrimSpace(lines[start]) == "" {
			start++
			blank = true
		}
		text, err := formatRun(items[i].kind, strings.Join(lines[start:end], "\n"), first+start)
		if err != nil {
			return "", err
		}
		if text != "" {
			if out.Len() > 0 {
				out.WriteString("\n")
				if blank {
					out.WriteString("\n")
				}
			}
			out.WriteString(text)
		}
		i = j
	}
	return out.String(), nil
}

// splitItems cuts src into top-level items. An item ends on the line of a
// semicolon outside brackets; its kind is that of its first token.
func splitItems(src string, first int) ([]item, error) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var errs scanner.ErrorList
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, 0)
	var items []item
	start := 0 // first line (0-based) of the next item
	depth := 0
	kind := itemKind(-1)
	shared := false // the item starts on the line where the previous one ended
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		line := fset.Position(pos).Line - 1
		if kind < 0 && tok != token.SEMICOLON {
			shared = line < start
		}
		if kind < 0 {
			switch tok {
			case token.IMPORT:
				kind = importItem
			case token.FUNC:
				kind = funcKind(src[file.Offset(pos):])
			case token.TYPE, token.VAR, token.CONST:
				kind = declItem
			case token.SEMICOLON:
				continue // an empty statement
			default:
				kind = stmtItem
			}
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth == 0 && kind >= 0 {
				if n := len(items); shared && n > 0 {
					if items[n-1].kind != kind {
						return nil, fmt.Errorf("line %d: a declaration and a statement on one line: put them on lines of their own", first+line+1)
					}
					items[n-1].end = line + 1
				} else {
					items = append(items, item{kind: kind, start: start, end: line + 1})
				}
				start = line + 1
				kind = -1
			}
		}
	}
	if kind >= 0 { // no semicolon after the last tokens (the cell will not parse)
		items = append(items, item{kind: kind, start: start, end: strings.Count(src, "\n") + 1})
	}
	if len(items) == 0 && strings.TrimSpace(src) != "" {
		items = append(items, item{kind: declItem, start: 0, end: strings.Count(src, "\n") + 1}) // comments only
	}
	if len(errs) > 0 {
		e := errs[0]
		return nil, fmt.Errorf("line %d:%d: %s", first+e.Pos.Line, e.Pos.Column, e.Msg)
	}
	return items, nil
}

// funcKind tells a function or method declaration (func Name..., func (r T)
// Name...) from a statement starting with a function literal (func() {...}()).
func funcKind(src string) itemKind {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	s.Scan() // func
	_, tok, _ := s.Scan()
	if tok == token.IDENT {
		return declItem
	}
	if tok != token.LPAREN {
		return stmtItem
	}
	for depth := 1; depth > 0; {
		_, tok, _ = s.Scan()
		switch tok {
		case token.LPAREN:
			depth++
		case token.RPAREN:
			depth--
		case token.EOF:
			return stmtItem
		}
	}
	// A method's receiver is followed by its name and its parameters; a
	// literal's parameters by a result type (never "Name(") or its body.
	if _, tok, _ = s.Scan(); tok != token.IDENT {
		return stmtItem
	}
	if _, tok, _ = s.Scan(); tok == token.LPAREN {
		return declItem
	}
	return stmtItem
}

const (
	filePrefix = "package p\n\n"
	funcPrefix = "package p\n\nfunc _() {\n"
)

// formatRun formats a run of items of one kind. first is its first line in
// the cell, for error messages.
func formatRun(kind itemKind, src string, first int) (string, error) {
	if strings.TrimSpace(src) == "" {
		return "", nil
	}
	prefix, suffix := filePrefix, "\n"
	if kind == stmtItem {
		prefix, suffix = funcPrefix, "\n}\n"
	}
	prefixLines := strings.Count(prefix, "\n")
	res, err := format.Source([]byte(prefix + src + suffix))
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
			e := list[0]
			return "", fmt.Errorf("line %d:%d: %s", e.Pos.Line-prefixLines+first, e.Pos.Column, e.Msg)
		}
		return "", err
	}
	text := string(res)
	if kind != stmtItem {
		text, ok := strings.CutPrefix(text, "package p\n")
		if !ok {
			return "", fmt.Errorf("line %d: gofmt moved the package clause", first+1)
		}
		return strings.Trim(text, "\n"), nil
	}
	body, ok := strings.CutPrefix(text, funcPrefix)
	if !ok {
		return "", fmt.Errorf("line %d: gofmt changed the wrapping function", first+1)
	}
	body, ok = strings.CutSuffix(body, "}\n")
	if !ok {
		return "", fmt.Errorf("line %d: gofmt changed the wrapping function's end", first+1)
	}
	body = strings.TrimRight(body, "\n")
	inRaw := rawContinuation(body)
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if !inRaw[i] {
			lines[i] = strings.TrimPrefix(l, "\t")
		}
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n"), nil
}

// sameTokens checks that a and b have the same Go tokens, up to what gofmt
// may change: the layout (semicolons), the case of a number's
// prefix and exponent, the order of imports and duplicate imports. Of the
// comments, only their letters and digits count (gofmt reformats doc
// comments). Magic lines are scanned as tokens, the same on both sides.
func sameTokens(a, b string) error {
	ta, tb := tokens(a), tokens(b)
	for i := 0; i < len(ta) || i < len(tb); i++ {
		if i >= len(ta) || i >= len(tb) || ta[i] != tb[i] {
			return fmt.Errorf("nbcheck bug: formatting changed the cell's code at token %d", i)
		}
	}
	return nil
}

func tokens(src string) []string {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, scanner.ScanComments)
	var out []string
	var comments strings.Builder
	imports := map[string]bool{}
	var spec []string // the import spec being read
	inImport, importParen := false, 0
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.COMMENT:
			for _, r := range lit {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					comments.WriteRune(r)
				}
			}
			continue
		case token.INT, token.FLOAT, token.IMAG:
			lit = strings.ToLower(lit)
		}
		if tok == token.IMPORT {
			inImport, importParen = true, 0
			continue
		}
		if inImport {
			switch {
			case tok == token.LPAREN:
				importParen++
			case tok == token.RPAREN:
				importParen--
			case tok == token.SEMICOLON:
				if len(spec) > 0 {
					imports[strings.Join(spec, " ")] = true
					spec = spec[:0]
				}
				if importParen == 0 {
					inImport = false
				}
			default:
				spec = append(spec, lit)
			}
			continue
		}
		if tok == token.SEMICOLON {
			continue // gofmt turns a; b into two lines
		}
		out = append(out, tok.String()+" "+lit)
	}
	if len(spec) > 0 {
		imports[strings.Join(spec, " ")] = true
	}
	sorted := make([]string, 0, len(imports))
	for k := range imports {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	return append(append(out, sorted...), comments.String())
}
