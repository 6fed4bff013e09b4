package goeval

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sync/atomic"

	"golang.org/x/tools/go/ast/astutil"
)

// rewrite applies the source rewrites that work around yaegi v0.16.1 to a
// parsed part, in place:
//
//   - every go statement recovers a panic of its goroutine and reports it
//     to the kernel (unrecovered, it would end the process);
//   - a function literal made inside a loop gets its own copies of the
//     loop's variables it reads (Go 1.22 per-iteration semantics, and yaegi
//     issues 1594/1634/1713, where such closures share one slot);
//   - "r, err := ..." redeclaring a parameter or named result (issue 1640);
//   - an assignment to an exported variable of a compiled package,
//     "pkg.V = x", becomes "*&pkg.V = x": yaegi loses the plain assignment.
//     isVar reports whether pkg.V names such a variable; isVar("", V),
//     whether V is a variable of a %%compile cell (dot-imported, which
//     yaegi takes for a constant: "cannot assign");
//   - "for i := range n" over an integer (see rangeInts; isInt reports
//     whether a global variable is an integer);
//   - the name main becomes mainName: yaegi runs a function main after
//     every later compilation once one is declared;
//   - comma-ok declarations in a cell's statements (see commaOK);
//   - parallel assignments whose values include a call (see sequential);
//   - blocks of a cell's statements declaring several variables from one
//     call (see wrapMultiDefines).
//
// New nodes are parsed from templates in fset, under the cell's file name.
func rewrite(fset *token.FileSet, n ast.Node, isVar func(pkg, name string) bool, isInt func(name string) bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.File:
			for _, d := range x.Decls { // not the package name
				ast.Inspect(d, renameMain)
			}
			return false
		}
		return renameMain(n)
	})
	rangeInts(n, false, isInt)
	if b, ok := n.(*ast.BlockStmt); ok {
		commaOK(fset, b)
		wrapMultiDefines(b)
	}
	w := &loopWalker{fset: fset}
	w.walk(n)
	astutil.Apply(n, nil, func(c *astutil.Cursor) bool {
		switch x := c.Node().(type) {
		case *ast.GoStmt:
			if s := wrapGo(fset, x); s != nil {
				c.Replace(s)
			}
		case *ast.FuncDecl:
			if x.Body != nil {
				redeclare(x.Type, x.Body)
			}
		case *ast.FuncLit:
			redeclare(x.Type, x.Body)
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				for i, l := range x.Lhs {
					x.Lhs[i] = viaPointer(l, isVar)
				}
			}
			if b := sequential(x); b != nil {
				c.Replace(b)
			}
		case *ast.IncDecStmt:
			x.X = viaPointer(x.X, isVar)
		}
		return true
	})
}

// viaPointer returns *&x for a selector x naming a variable of a compiled
// package, and x otherwise.
func viaPointer(x ast.Expr, isVar func(pkg, name string) bool) ast.Expr {
	if id, ok := x.(*ast.Ident); ok && isVar("", id.Name) {
		return &ast.StarExpr{Star: id.Pos(), X: &ast.UnaryExpr{OpPos: id.Pos(), Op: token.AND, X: id}}
	}
	sel, ok := x.(*ast.SelectorExpr)
	if !ok {
		return x
	}
	if id, ok := sel.X.(*ast.Ident); !ok || !isVar(id.Name, sel.Sel.Name) {
		return x
	}
	return &ast.StarExpr{Star: sel.Pos(), X: &ast.UnaryExpr{OpPos: sel.Pos(), Op: token.AND, X: sel}}
}

// mainName is what a cell's main is called in the interpreter.
const mainName = "__plasticnbMain"

func renameMain(n ast.Node) bool {
	if id, ok := n.(*ast.Ident); ok && id.Name == "main" {
		id.Name = mainName
	}
	return true
}

// template parses a Go expression for a rewrite.
func template(fset *token.FileSet, src string) ast.Expr {
	x, err := parser.ParseExprFrom(fset, cellFile, src, 0)
	if err != nil {
		panic(fmt.Sprintf("goeval: bad rewrite template %q: %v", src, err))
	}
	return x
}

// recoverTemplate is the deferred call added to each goroutine.
const recoverTemplate = `func() { if r := recover(); r != nil { ` + hookName + `.GoPanic(r) } }`

// wrapGo makes the goroutine of g recover and report a panic. For
// "go func(...){...}(args)" the recover is added to the literal; for
// "go f(args)" it returns the statement that replaces g:
// "func() { a0, a1 := args; go func() { defer recover...; f(a0, a1) }() }()",
// which evaluates the arguments (except literals) in the calling
// goroutine, as Go does.
func wrapGo(fset *token.FileSet, g *ast.GoStmt) ast.Stmt {
	deferStmt := &ast.DeferStmt{Defer: g.Go, Call: &ast.CallExpr{Fun: template(fset, recoverTemplate)}}
	if lit, ok := g.Call.Fun.(*ast.FuncLit); ok {
		lit.Body.List = append([]ast.Stmt{deferStmt}, lit.Body.List...)
		return nil
	}
	assign, call := captureCall(g.Call, g.Go)
	outer := template(fset, `func() { go func() {}() }`).(*ast.FuncLit)
	goStmt := outer.Body.List[0].(*ast.GoStmt)
	inner := goStmt.Call.Fun.(*ast.FuncLit)
	inner.Body.List = []ast.Stmt{deferStmt, &ast.ExprStmt{X: call}}
	if assign != nil {
		outer.Body.List = []ast.Stmt{assign, goStmt}
	}
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: outer}}
}

// captureCall returns "a0, a1 := f, x, ..." (nil if nothing needs
// capturing) and the call "f(a0, a1)" that uses the captured values: the
// function (unless a name or pkg.Name) and the arguments (unless literals)
// are evaluated where the assignment is placed.
func captureCall(c *ast.CallExpr, pos token.Pos) (*ast.AssignStmt, *ast.CallExpr) {
	var lhs, rhs []ast.Expr
	capture := func(x ast.Expr) ast.Expr {
		if _, ok := x.(*ast.BasicLit); ok {
			return x
		}
		id := ast.NewIdent(fmt.Sprintf("__plasticnbArg%d", len(lhs)))
		lhs = append(lhs, id)
		rhs = append(rhs, x)
		return ast.NewIdent(id.Name)
	}
	call := &ast.CallExpr{Fun: c.Fun, Ellipsis: c.Ellipsis}
	switch fn := c.Fun.(type) {
	case *ast.Ident:
	case *ast.SelectorExpr:
		if _, ok := fn.X.(*ast.Ident); !ok {
			call.Fun = capture(fn)
		}
	default:
		call.Fun = capture(fn)
	}
	for _, a := range c.Args {
		call.Args = append(call.Args, capture(a))
	}
	if len(lhs) == 0 {
		return nil, call
	}
	return &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs, TokPos: pos}, call
}

// redeclare works around yaegi issue 1640: in "r, err := ..." at the top
// level of a function body, where err is a parameter or a named result,
// yaegi declares a new err instead of assigning the existing one. The
// statement becomes "r, __plasticnbRedecl0 := ...; err = __plasticnbRedecl0".
func redeclare(ft *ast.FuncType, body *ast.BlockStmt) {
	params := map[string]bool{}
	for _, fl := range []*ast.FieldList{ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				params[id.Name] = true
			}
		}
	}
	if len(params) == 0 {
		return
	}
	var list []ast.Stmt
	n := 0
	for _, s := range body.List {
		list = append(list, s)
		as, ok := s.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		for i, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || !params[id.Name] {
				continue
			}
			tmp := ast.NewIdent(fmt.Sprintf("__plasticnbRedecl%d", n))
			n++
			as.Lhs[i] = tmp
			list = append(list, &ast.AssignStmt{
				Lhs: []ast.Expr{ast.NewIdent(id.Name)}, Tok: token.ASSIGN, TokPos: as.TokPos,
				Rhs: []ast.Expr{ast.NewIdent(tmp.Name)},
			})
		}
	}
	body.List = list
}

// commaOK rewrites what yaegi v0.16.1 gets wrong in the global scope, that
// is in a cell's statements outside functions: defer statements (see
// globalDefer), type switches binding a variable (see wrapTypeSwitch), and
// comma-ok declarations.
//
// yaegi v0.16.1 fails ("nil type") on a comma-ok
// form declared in the global scope, that is in a cell's statements
// outside functions: "v, ok := m[k]" becomes
// "v := m[k]; var ok bool; func() { v, ok = m[k] }()" (m[k] is evaluated
// twice), and "v, ok := x.(T)" becomes
// "var v T; var ok bool; func() { v, ok = x.(T) }()". It rewrites the
// statement lists of body and of the blocks nested in it, not function
// literals, where the form works.
func commaOK(fset *token.FileSet, body *ast.BlockStmt) {
	var list func([]ast.Stmt) []ast.Stmt
	// fix rewrites the blocks in s and returns what replaces s: an if or
	// switch whose init is a comma-ok declaration becomes a block holding
	// the expansion and the statement without its init.
	var fix func(ast.Stmt) ast.Stmt
	withInit := func(init *ast.Stmt, s ast.Stmt) ast.Stmt {
		if *init == nil {
			return s
		}
		exp := expandCommaOK(*init)
		if len(exp) == 1 && exp[0] == *init {
			return s
		}
		*init = nil
		return &ast.BlockStmt{Lbrace: s.Pos(), List: append(exp, s), Rbrace: s.Pos()}
	}
	fix = func(s ast.Stmt) ast.Stmt {
		switch s := s.(type) {
		case *ast.BlockStmt:
			s.List = list(s.List)
		case *ast.IfStmt:
			s.Body.List = list(s.Body.List)
			if s.Else != nil {
				s.Else = fix(s.Else)
			}
			return withInit(&s.Init, s)
		case *ast.ForStmt:
			s.Body.List = list(s.Body.List)
		case *ast.RangeStmt:
			s.Body.List = list(s.Body.List)
		case *ast.SwitchStmt:
			fix(s.Body)
			return withInit(&s.Init, s)
		case *ast.TypeSwitchStmt:
			fix(s.Body)
			return withInit(&s.Init, s)
		case *ast.SelectStmt:
			fix(s.Body)
		case *ast.CaseClause:
			s.Body = list(s.Body)
		case *ast.CommClause:
			s.Body = list(s.Body)
		case *ast.LabeledStmt:
			s.Stmt = fix(s.Stmt)
		}
		return s
	}
	list = func(in []ast.Stmt) []ast.Stmt {
		var out []ast.Stmt
		for _, s := range in {
			s = fix(s)
			switch x := s.(type) {
			case *ast.DeferStmt:
				out = append(out, globalDefer(fset, x))
			case *ast.TypeSwitchStmt:
				out = append(out, wrapTypeSwitch(x))
			default:
				out = append(out, expandCommaOK(s)...)
			}
		}
		return out
	}
	body.List = list(body.List)
}

// globalDefer rewrites a defer in a cell's statements outside functions,
// which yaegi v0.16.1 runs at the start of every later evaluation, into
// __plasticnb.Defer(f): the kernel runs f when the cell ends. The deferred
// call's function and arguments are evaluated at the defer statement, as
// in Go.
func globalDefer(fset *token.FileSet, d *ast.DeferStmt) ast.Stmt {
	var fn ast.Expr
	if lit, ok := d.Call.Fun.(*ast.FuncLit); ok && len(d.Call.Args) == 0 &&
		lit.Type.Params.NumFields() == 0 && lit.Type.Results.NumFields() == 0 {
		fn = lit
	} else {
		assign, call := captureCall(d.Call, d.Defer)
		outer := template(fset, `func() func() { return func() {} }`).(*ast.FuncLit)
		ret := outer.Body.List[0].(*ast.ReturnStmt)
		ret.Results[0].(*ast.FuncLit).Body.List = []ast.Stmt{&ast.ExprStmt{X: call}}
		if assign != nil {
			outer.Body.List = []ast.Stmt{assign, ret}
		}
		fn = &ast.CallExpr{Fun: outer}
	}
	return &ast.ExprStmt{X: &ast.CallExpr{
		Fun:  &ast.SelectorExpr{X: ast.NewIdent(hookName), Sel: ast.NewIdent("Defer")},
		Args: []ast.Expr{fn}, Lparen: d.Defer, Rparen: d.Defer,
	}}
}

// wrapTypeSwitch runs a type switch that binds a variable ("switch v :=
// x.(type)"), on which yaegi v0.16.1 fails outside functions, in a function
// literal: "func() { switch v := x.(type) { ... } }()". Not if it
// continues or jumps to something outside it.
func wrapTypeSwitch(ts *ast.TypeSwitchStmt) ast.Stmt {
	if _, ok := ts.Assign.(*ast.AssignStmt); !ok {
		return ts
	}
	escapes := false
	ast.Inspect(ts.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.CONTINUE || n.Tok == token.GOTO || n.Label != nil {
				escapes = true
			}
		}
		return !escapes
	})
	if escapes {
		return ts
	}
	return inLiteral(ts)
}

// inLiteral returns "func() { s }()", which runs s in a function literal.
func inLiteral(s ast.Stmt) ast.Stmt {
	pos := s.Pos()
	lit := &ast.FuncLit{Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{}}, Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{s}, Rbrace: s.End()}}
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: lit, Lparen: pos, Rparen: pos}}
}

// expandCommaOK returns the statements that replace s (s itself if it is
// not a comma-ok declaration).
func expandCommaOK(s ast.Stmt) []ast.Stmt {
	as, ok := s.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
		return []ast.Stmt{s}
	}
	v, ok1 := as.Lhs[0].(*ast.Ident)
	okID, ok2 := as.Lhs[1].(*ast.Ident)
	if !ok1 || !ok2 || v.Name == "_" && okID.Name == "_" {
		return []ast.Stmt{s}
	}
	pos := as.Pos()
	varDecl := func(name string, typ ast.Expr) ast.Stmt {
		return &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: pos, Tok: token.VAR, Specs: []ast.Spec{
			&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(name)}, Type: typ},
		}}}
	}
	var out []ast.Stmt
	switch x := as.Rhs[0].(type) {
	case *ast.IndexExpr:
		if v.Name != "_" {
			out = append(out, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(v.Name)}, Tok: token.DEFINE, TokPos: as.TokPos, Rhs: []ast.Expr{x}})
		}
	case *ast.TypeAssertExpr:
		if x.Type == nil {
			return []ast.Stmt{s}
		}
		if v.Name != "_" {
			out = append(out, varDecl(v.Name, x.Type))
		}
	default:
		return []ast.Stmt{s}
	}
	if okID.Name != "_" {
		out = append(out, varDecl(okID.Name, ast.NewIdent("bool")))
	}
	set := &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: pos, Name: v.Name}, ast.NewIdent(okID.Name)}, Tok: token.ASSIGN, TokPos: as.TokPos, Rhs: as.Rhs}
	return append(out, inLiteral(set))
}

// wrapMultiDefines runs each statement of a cell's top level that holds,
// in a nested block, a declaration of several variables from one value
// ("for ... { n, err := strconv.Atoi(s) ... }", "if ok { p, q := f() }")
// in a function literal: "func() { for ... }()". Outside functions yaegi
// v0.16.1 does not declare those variables ("undefined: n") or its
// compiler fails; inside a function literal it does. Not a statement that
// returns or jumps out (return, goto, a labelled break or continue), whose
// meaning the literal would change.
func wrapMultiDefines(body *ast.BlockStmt) {
	for i, s := range body.List {
		switch s.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.BlockStmt, *ast.LabeledStmt:
		default:
			continue
		}
		multi, escapes := false, false
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.AssignStmt:
				if n.Tok == token.DEFINE && len(n.Lhs) > 1 && len(n.Rhs) == 1 {
					multi = true
				}
			case *ast.ReturnStmt:
				escapes = true
			case *ast.BranchStmt:
				if n.Tok == token.GOTO || n.Label != nil {
					escapes = true
				}
			}
			return !escapes
		})
		if !multi || escapes {
			continue
		}
		body.List[i] = inLiteral(s)
	}
}

// tmpCount numbers the temporaries of sequential.
var tmpCount atomic.Int64

// sequential returns what replaces a parallel assignment whose values
// include a call, "a, s.B = 3, f()": yaegi v0.16.1 assigns only the values
// that are calls, leaving a unchanged. As Go specifies, the indexes of the
// places are evaluated first, then the values, in order, all into
// temporaries, and then assigned: "i, a[i] = 1, f()" becomes "{ t1 := i;
// t2 := 1; t3 := f(); i = t2; a[t1] = t3 }". Not if a place is other than
// a name, a field, an element or a pointer target of a name that the
// statement does not assign; nil if the assignment needs no rewrite.
func sequential(as *ast.AssignStmt) ast.Stmt {
	if as.Tok != token.ASSIGN || len(as.Lhs) < 2 || len(as.Lhs) != len(as.Rhs) {
		return nil
	}
	calls := false
	for _, r := range as.Rhs {
		ast.Inspect(r, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				calls = true
			}
			return !calls
		})
	}
	if !calls {
		return nil
	}
	assigned := map[string]bool{}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok {
			assigned[id.Name] = true
		}
	}
	// root returns the name a place is part of, "" if it is not a place
	// of the kinds above.
	var root func(ast.Expr) string
	root = func(x ast.Expr) string {
		switch x := x.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			return root(x.X)
		case *ast.ParenExpr:
			return root(x.X)
		case *ast.StarExpr:
			return root(x.X)
		case *ast.IndexExpr:
			return root(x.X)
		}
		return ""
	}
	for _, l := range as.Lhs {
		r := root(l)
		if r == "" || assigned[r] && !isIdent(l) {
			return nil
		}
	}
	pos := as.Pos()
	var first, defs, sets []ast.Stmt
	temp := func(x ast.Expr) *ast.Ident {
		tmp := fmt.Sprintf("__plasticnbTmp%d", tmpCount.Add(1))
		return &ast.Ident{NamePos: x.Pos(), Name: tmp}
	}
	define := func(id *ast.Ident, x ast.Expr) ast.Stmt {
		return &ast.AssignStmt{Lhs: []ast.Expr{id}, TokPos: x.Pos(), Tok: token.DEFINE, Rhs: []ast.Expr{x}}
	}
	for _, l := range as.Lhs {
		ast.Inspect(l, func(n ast.Node) bool {
			if ix, ok := n.(*ast.IndexExpr); ok {
				t := temp(ix.Index)
				first = append(first, define(t, ix.Index))
				ix.Index = &ast.Ident{NamePos: t.NamePos, Name: t.Name}
			}
			return true
		})
	}
	for i, r := range as.Rhs {
		t := temp(r)
		defs = append(defs, define(t, r))
		sets = append(sets, &ast.AssignStmt{Lhs: []ast.Expr{as.Lhs[i]}, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{&ast.Ident{NamePos: r.Pos(), Name: t.Name}}})
	}
	list := append(append(first, defs...), sets...)
	return &ast.BlockStmt{Lbrace: pos, List: list, Rbrace: as.End()}
}

func isIdent(x ast.Expr) bool {
	_, ok := x.(*ast.Ident)
	return ok
}
