package goeval

// This file works around yaegi issues 1594, 1634 and 1713
// (github.com/traefik/yaegi/issues/1594 and following): closures made in a
// loop share one variable, also those passed to compiled code, and loop
// variables are not per-iteration as in Go 1.22. The canary
// TestCanaryLoopClosures (canary_test.go) fails once bare yaegi gets it
// right: then delete this file and its call in rewrite.

import (
	"go/ast"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
)

// loopWalker finds function literals made inside loops and gives them
// copies of the loop-scoped variables they read. It resolves names with
// its own scope stack: a name counts if its declaration is in a scope
// opened inside a loop (the loop's header or body, or a block within).
type loopWalker struct {
	fset   *token.FileSet
	scopes []map[string]bool // declared names; true: declared inside a loop
	loops  int               // enclosing loops, outside function literals
}

func (w *loopWalker) push() { w.scopes = append(w.scopes, map[string]bool{}) }
func (w *loopWalker) pop()  { w.scopes = w.scopes[:len(w.scopes)-1] }
func (w *loopWalker) declare(name string) {
	if name != "_" && len(w.scopes) > 0 {
		w.scopes[len(w.scopes)-1][name] = w.loops > 0
	}
}

// loopScoped reports whether name resolves to a declaration inside a loop.
func (w *loopWalker) loopScoped(name string) bool {
	for i := len(w.scopes) - 1; i >= 0; i-- {
		if in, ok := w.scopes[i][name]; ok {
			return in
		}
	}
	return false
}

func (w *loopWalker) walk(n ast.Node) {
	w.push()
	defer w.pop()
	w.node(n)
}

func (w *loopWalker) nodes(list []ast.Stmt) {
	for _, s := range list {
		w.node(s)
	}
}

func (w *loopWalker) node(n ast.Node) {
	switch n := n.(type) {
	case nil:
	case *ast.File:
		for _, d := range n.Decls {
			w.node(d)
		}
	case *ast.FuncDecl:
		w.push()
		w.fields(n.Recv)
		w.fields(n.Type.Params)
		w.fields(n.Type.Results)
		saved := w.loops
		w.loops = 0
		if n.Body != nil {
			w.nodes(n.Body.List)
		}
		w.loops = saved
		w.pop()
	case *ast.GenDecl:
		for _, s := range n.Specs {
			if vs, ok := s.(*ast.ValueSpec); ok {
				for _, v := range vs.Values {
					w.expr(v)
				}
				for _, id := range vs.Names {
					w.declare(id.Name)
				}
			}
		}
	case *ast.BlockStmt:
		w.push()
		w.nodes(n.List)
		w.pop()
	case *ast.DeclStmt:
		w.node(n.Decl)
	case *ast.AssignStmt:
		for _, x := range n.Rhs {
			w.expr(x)
		}
		for _, x := range n.Lhs {
			if id, ok := x.(*ast.Ident); ok && n.Tok == token.DEFINE {
				w.declare(id.Name)
			} else {
				w.expr(x)
			}
		}
	case *ast.ForStmt:
		w.loops++
		w.push()
		w.node(n.Init)
		w.expr(n.Cond)
		w.node(n.Post)
		w.node(n.Body)
		w.pop()
		w.loops--
	case *ast.RangeStmt:
		w.expr(n.X)
		w.loops++
		w.push()
		if n.Tok == token.DEFINE {
			for _, x := range []ast.Expr{n.Key, n.Value} {
				if id, ok := x.(*ast.Ident); ok {
					w.declare(id.Name)
				}
			}
		}
		w.node(n.Body)
		w.pop()
		w.loops--
	case *ast.IfStmt:
		w.push()
		w.node(n.Init)
		w.expr(n.Cond)
		w.node(n.Body)
		w.node(n.Else)
		w.pop()
	case *ast.SwitchStmt:
		w.push()
		w.node(n.Init)
		w.expr(n.Tag)
		w.node(n.Body)
		w.pop()
	case *ast.TypeSwitchStmt:
		w.push()
		w.node(n.Init)
		w.node(n.Assign)
		w.node(n.Body)
		w.pop()
	case *ast.CaseClause:
		w.push()
		for _, x := range n.List {
			w.expr(x)
		}
		w.nodes(n.Body)
		w.pop()
	case *ast.SelectStmt:
		w.node(n.Body)
	case *ast.CommClause:
		w.push()
		w.node(n.Comm)
		w.nodes(n.Body)
		w.pop()
	case *ast.LabeledStmt:
		w.node(n.Stmt)
	case *ast.ExprStmt:
		w.expr(n.X)
	case *ast.GoStmt:
		w.expr(n.Call)
	case *ast.DeferStmt:
		w.expr(n.Call)
	case *ast.ReturnStmt:
		for _, x := range n.Results {
			w.expr(x)
		}
	case *ast.SendStmt:
		w.expr(n.Chan)
		w.expr(n.Value)
	case *ast.IncDecStmt:
		w.expr(n.X)
	}
}

func (w *loopWalker) fields(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, id := range f.Names {
			w.declare(id.Name)
		}
	}
}

// expr walks an expression, rewriting the function literals in it (not
// descending into them: a literal's own loops are walked when it is).
func (w *loopWalker) expr(x ast.Expr) {
	if x == nil {
		return
	}
	astutil.Apply(x, func(c *astutil.Cursor) bool {
		lit, ok := c.Node().(*ast.FuncLit)
		if !ok {
			return true
		}
		copies := w.copiesFor(lit)
		// Walk the literal's body: its own loops and literals.
		w.push()
		w.fields(lit.Type.Params)
		w.fields(lit.Type.Results)
		saved := w.loops
		w.loops = 0
		w.nodes(lit.Body.List)
		w.loops = saved
		w.pop()
		if len(copies) > 0 {
			c.Replace(w.withCopies(lit, copies))
		}
		return false
	}, nil)
}

// copiesFor returns the loop-scoped names lit reads and never assigns (a
// literal that assigns a variable must share it, so it keeps yaegi's
// behaviour).
func (w *loopWalker) copiesFor(lit *ast.FuncLit) []string {
	if w.loops == 0 {
		return nil
	}
	used := map[string]bool{}
	assigned := map[string]bool{}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok {
					used[id.Name] = true
				}
				return true
			})
			return false
		case *ast.Ident:
			used[n.Name] = true
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						assigned[id.Name] = true
					}
				}
			}
		case *ast.IncDecStmt:
			if id, ok := n.X.(*ast.Ident); ok {
				assigned[id.Name] = true
			}
		case *ast.UnaryExpr:
			if id, ok := n.X.(*ast.Ident); ok && n.Op == token.AND {
				assigned[id.Name] = true
			}
		}
		return true
	})
	var names []string
	for name := range used {
		if !assigned[name] && w.loopScoped(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// withCopies returns "func() T { a, b := a, b; return lit }()" where T is
// lit's type.
func (w *loopWalker) withCopies(lit *ast.FuncLit, names []string) ast.Expr {
	outer := template(w.fset, `func() { return nil }`).(*ast.FuncLit)
	outer.Type.Results = &ast.FieldList{List: []*ast.Field{{Type: lit.Type}}}
	ret := outer.Body.List[0].(*ast.ReturnStmt)
	ret.Results = []ast.Expr{lit}
	var lhs, rhs []ast.Expr
	for _, n := range names {
		lhs = append(lhs, ast.NewIdent(n))
		rhs = append(rhs, ast.NewIdent(n))
	}
	assign := &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs, TokPos: lit.Pos()}
	outer.Body.List = []ast.Stmt{assign, ret}
	return &ast.CallExpr{Fun: outer}
}
