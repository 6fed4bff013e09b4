package goeval

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// keywords are Go's keywords and predeclared identifiers, offered by
// completion.
var keywords = strings.Fields(`break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var
any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr
true false iota nil append cap clear close complex copy delete imag len make max min new panic print println real recover`)

// identBefore returns the start of the identifier that ends at cursor.
func identBefore(code string, cursor int) int {
	i := cursor
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:i])
		if !isIdentRune(r) {
			break
		}
		i -= n
	}
	return i
}

// identAfter returns the end of the identifier that starts at cursor.
func identAfter(code string, cursor int) int {
	i := cursor
	for i < len(code) {
		r, n := utf8.DecodeRuneInString(code[i:])
		if !isIdentRune(r) {
			break
		}
		i += n
	}
	return i
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// qualifier returns the identifier before a '.' that precedes start, or "".
func qualifier(code string, start int) string {
	if start == 0 || code[start-1] != '.' {
		return ""
	}
	return code[identBefore(code, start-1) : start-1]
}

// Complete returns the identifiers that complete the one before cursor:
// after "pkg." the members of the package (from the symbol tables) or of
// a variable's type; otherwise the cell's and earlier cells' identifiers,
// the imported packages, and Go's keywords and predeclared identifiers.
func (ip *Interp) Complete(code string, cursor int) cell.Completion {
	cursor = min(max(cursor, 0), len(code))
	start := identBefore(code, cursor)
	prefix := code[start:cursor]
	var cands []string
	if q := qualifier(code, start); q != "" {
		cands = ip.members(code, q)
	} else {
		cands = append(cands, keywords...)
		cands = append(cands, ip.globalNames()...)
		cands = append(cands, identsIn(code)...)
		for name := range ip.imports(code) {
			cands = append(cands, name)
		}
	}
	var matches []string
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && c != "" && !strings.HasPrefix(c, "__plasticnb") {
			matches = append(matches, c)
		}
	}
	slices.Sort(matches)
	return cell.Completion{Matches: slices.Compact(matches), Start: start, End: cursor}
}

// members returns the exported names of the package or the value named q.
func (ip *Interp) members(code, q string) []string {
	if p, ok := ip.imports(code)[q]; ok {
		var names []string
		for name := range ip.yi.Symbols(p)[p] {
			if !strings.HasPrefix(name, "_") {
				names = append(names, name)
			}
		}
		return names
	}
	v, ok := ip.globals()[q]
	if !ok || !v.IsValid() {
		return nil
	}
	return typeMembers(v.Type())
}

// typeMembers returns the exported methods and fields of t.
func typeMembers(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumMethod(); i++ {
		names = append(names, t.Method(i).Name)
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() {
				names = append(names, f.Name)
			}
		}
	}
	return names
}

// imports returns the packages imported by earlier cells and by code, by
// the name they are used under.
func (ip *Interp) imports(code string) map[string]string {
	m := map[string]string{}
	ip.declMu.Lock()
	for name, p := range ip.imported {
		m[name] = p
	}
	ip.declMu.Unlock()
	for _, p := range splitCell(code) {
		if p.kind != partImport {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), "", "package main\n"+code[p.start:p.end], parser.ImportsOnly)
		if err != nil {
			continue
		}
		for name, p := range importNames(f) {
			m[name] = p
		}
	}
	return m
}

// importNames returns the imports of f by the name they are used under.
func importNames(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, s := range f.Imports {
		p := strings.Trim(s.Path.Value, "\"`")
		name := path.Base(p)
		if s.Name != nil {
			name = s.Name.Name
		}
		if name != "_" && name != "." {
			m[name] = p
		}
	}
	return m
}

// globalNames returns the names the user declared in earlier cells.
func (ip *Interp) globalNames() []string {
	var names []string
	for name := range ip.globals() {
		names = append(names, name)
	}
	ip.declMu.Lock()
	for name := range ip.decls {
		names = append(names, name)
	}
	ip.declMu.Unlock()
	return names
}

// identsIn returns the identifiers in code.
func identsIn(code string) []string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(code)), []byte(code), func(token.Position, string) {}, 0)
	var names []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return names
		}
		if tok == token.IDENT {
			names = append(names, lit)
		}
	}
}

// IsComplete reports whether code is ready to run: incomplete, with an
// indent, while a bracket is open, a raw string or comment unterminated,
// or the code ends with an operator; invalid if it can never parse (a
// closing bracket that matches nothing, an illegal character, a syntax
// error before the end); complete otherwise.
func (ip *Interp) IsComplete(code string) (cell.Completeness, string) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	var scanErr string
	s.Init(file, []byte(code), func(_ token.Position, msg string) {
		if scanErr == "" {
			scanErr = msg
		}
	}, 0)
	var stack []token.Token
	last := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, tok)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if len(stack) == 0 || stack[len(stack)-1]+5 != tok { // ( [ { and ) ] } are 5 apart
				return cell.Invalid, ""
			}
			stack = stack[:len(stack)-1]
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		last = tok
	}
	if scanErr != "" {
		if strings.Contains(scanErr, "not terminated") {
			return cell.Incomplete, ""
		}
		return cell.Invalid, ""
	}
	if len(stack) > 0 {
		return cell.Incomplete, strings.Repeat("    ", len(stack))
	}
	switch {
	case last.IsOperator() && last != token.RPAREN && last != token.RBRACK && last != token.RBRACE &&
		last != token.INC && last != token.DEC && last != token.SEMICOLON:
		return cell.Incomplete, ""
	case strings.TrimSpace(code) == "":
		return cell.Complete, ""
	}
	for _, p := range splitCell(code) {
		c, err := parsePart(token.NewFileSet(), cellFile, code, p)
		if err != nil || derefsLiteral(c.node) {
			return cell.Invalid, ""
		}
	}
	return cell.Complete, ""
}

// derefsLiteral reports whether n takes the address of or dereferences a
// literal ("1 +* 2"): that parses, but never compiles.
func derefsLiteral(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.StarExpr:
			_, found = n.X.(*ast.BasicLit)
		case *ast.UnaryExpr:
			_, lit := n.X.(*ast.BasicLit)
			found = lit && n.Op == token.AND
		}
		return !found
	})
	return found
}
