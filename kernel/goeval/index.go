package goeval

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"

	"github.com/traefik/yaegi/interp"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// Indexing a value of a compiled type in a cell's declaration outside
// functions, "v := h.Errors[i]" or "e := m.RawMatrix().Data[0] * 2" with h
// and m of plasticlib's or gonum's types, fails to compile in yaegi
// v0.16.1: its global type analysis cannot type an index of a compiled
// slice or map ("constant definition loop", "variable definition loop",
// or a nil dereference in its compiler, after which its scope can stay
// broken for later cells). The same index inside a function literal whose
// result type is written out, "func() float64 { return h.Errors[i] }()",
// compiles. So a part of statements that declares a variable from an
// index expression runs one statement at a time and, before each such
// declaration, each indexed operand that is not a plain variable is
// evaluated into a hidden variable (once, inner operands first), its type
// read, and the index moved into such a literal.

// declValues returns the values a top-level statement declares variables
// from: the right side of "a, b := x, y" or the values of "var a = x".
func declValues(s ast.Stmt) []*ast.Expr {
	var out []*ast.Expr
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for i := range s.Rhs {
				out = append(out, &s.Rhs[i])
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i := range vs.Values {
					out = append(out, &vs.Values[i])
				}
			}
		}
	}
	return out
}

// needsTyping reports whether a statement of a cell's top level declares
// variables from an index expression or from a call of a generic function
// of the cells (outside function literals), which yaegi v0.16.1 cannot
// type there ("nil reflect type").
func (ip *Interp) needsTyping(s ast.Stmt) bool {
	found := false
	for _, x := range declValues(s) {
		ast.Inspect(*x, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.IndexExpr:
				found = true
			case *ast.CallExpr:
				found = found || ip.genericCall(n)
			}
			return !found
		})
	}
	return found
}

// genericCall reports whether call calls a generic function of the cells
// with one result: G(x) or G[T](x).
func (ip *Interp) genericCall(call *ast.CallExpr) bool {
	fun := call.Fun
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	id, ok := fun.(*ast.Ident)
	if !ok {
		return false
	}
	ip.declMu.Lock()
	d := ip.decls[id.Name]
	ip.declMu.Unlock()
	// Last, as it copies yaegi's globals: not a variable shadowing it.
	return d != nil && d.generic && d.results == 1 && !ip.isGlobal(id.Name)
}

// typedCall evaluates a call of a generic function into a hidden variable
// h := any(call) and returns what replaces the call: h.(T), T being the
// type of the value it returned when that type can be named (so a generic
// function returning an interface gives the dynamic type), else h itself
// (of type any).
func (ip *Interp) typedCall(ctx context.Context, r *run, call *ast.CallExpr) (ast.Expr, *cell.Error) {
	pos := call.Pos()
	ip.hidden++
	name := fmt.Sprintf("__plasticnbResult%d", ip.hidden)
	conv := &ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: "any"}, Lparen: pos, Args: []ast.Expr{call}, Rparen: call.End()}
	def := &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: pos, Name: name}}, TokPos: pos, Tok: token.DEFINE, Rhs: []ast.Expr{conv}}
	if _, cerr := ip.runStmts(ctx, r, def); cerr != nil {
		return nil, cerr
	}
	h := &ast.Ident{NamePos: pos, Name: name}
	v, ok := ip.global(name)
	if !ok || v.Kind() != reflect.Interface || v.IsNil() {
		return h, nil
	}
	src, ok := ip.typeSource(v.Elem().Type())
	if !ok {
		return h, nil
	}
	typ, err := parser.ParseExprFrom(ip.yi.FileSet(), r.file, src, 0)
	if err != nil {
		return h, nil
	}
	return &ast.TypeAssertExpr{X: h, Lparen: pos, Type: typ, Rparen: pos}, nil
}

// runApart compiles and runs the statements of body one at a time,
// typing the index expressions and generic calls of declarations as
// described above (typeDecl). It
// returns the value of the last statement. Statements before a failing one
// have run.
func (ip *Interp) runApart(ctx context.Context, r *run, body *ast.BlockStmt) (reflect.Value, *cell.Error) {
	var rv reflect.Value
	for _, s := range body.List {
		if ip.needsTyping(s) {
			if cerr := ip.typeDecl(ctx, r, s); cerr != nil {
				return rv, cerr
			}
		}
		var cerr *cell.Error
		if rv, cerr = ip.runStmts(ctx, r, s); cerr != nil {
			return rv, cerr
		}
	}
	return rv, nil
}

// runStmts compiles and runs statements at the cell's top level.
func (ip *Interp) runStmts(ctx context.Context, r *run, list ...ast.Stmt) (reflect.Value, *cell.Error) {
	blk := &ast.BlockStmt{Lbrace: list[0].Pos(), List: list, Rbrace: list[len(list)-1].End()}
	prog, err := ip.compile(blk)
	if err != nil {
		return reflect.Value{}, ip.compileFailed(r, err)
	}
	rv, err := ip.guard.execute(ctx, ip.yi, prog)
	if err != nil {
		return rv, ip.runError(ctx, r, err)
	}
	return rv, nil
}

// typeDecl rewrites the index expressions (with typedIndex) and the
// calls of generic functions (with typedCall) in the values of the
// declaration s, innermost first, outside function literals; not an index
// under &.
func (ip *Interp) typeDecl(ctx context.Context, r *run, s ast.Stmt) *cell.Error {
	var cerr *cell.Error
	for _, x := range declValues(s) {
		*x = astutil.Apply(*x, func(c *astutil.Cursor) bool {
			_, lit := c.Node().(*ast.FuncLit)
			return !lit
		}, func(c *astutil.Cursor) bool {
			if call, ok := c.Node().(*ast.CallExpr); ok && ip.genericCall(call) {
				var rep ast.Expr
				if rep, cerr = ip.typedCall(ctx, r, call); cerr != nil {
					return false
				}
				c.Replace(rep)
				return true
			}
			ix, ok := c.Node().(*ast.IndexExpr)
			if !ok {
				return true
			}
			if u, ok := c.Parent().(*ast.UnaryExpr); ok && u.Op == token.AND {
				return true
			}
			var rep ast.Expr
			if rep, cerr = ip.typedIndex(ctx, r, ix); cerr != nil {
				return false
			}
			c.Replace(rep)
			return true
		}).(ast.Expr)
		if cerr != nil {
			return cerr
		}
	}
	return nil
}

// typedIndex returns what replaces x[i]: func() E { return x[i] }(), with
// E the element type of x's value, named as the cell can name it (yaegi
// types the call by the literal's result, and compiles the index inside a
// function). Unless x is a variable, it is first evaluated into a hidden
// one. x[i] stays as it is if x names a generic function or type (an
// instantiation) or its element type cannot be named.
func (ip *Interp) typedIndex(ctx context.Context, r *run, ix *ast.IndexExpr) (ast.Expr, *cell.Error) {
	pos := ix.X.Pos()
	var v reflect.Value
	name, plain := ix.X.(*ast.Ident)
	if plain {
		v, plain = ip.global(name.Name)
	}
	if !plain {
		if ip.namesTypeOrFunc(ix.X) {
			return ix, nil
		}
		ip.hidden++
		name = &ast.Ident{NamePos: pos, Name: fmt.Sprintf("__plasticnbIndexed%d", ip.hidden)}
		def := &ast.AssignStmt{Lhs: []ast.Expr{name}, TokPos: pos, Tok: token.DEFINE, Rhs: []ast.Expr{ix.X}}
		if _, cerr := ip.runStmts(ctx, r, def); cerr != nil {
			return nil, cerr
		}
		ix.X = &ast.Ident{NamePos: pos, Name: name.Name}
		var ok bool
		if v, ok = ip.global(name.Name); !ok {
			return ix, nil
		}
	}
	src, ok := ip.elemSource(v.Type())
	if !ok {
		return ix, nil
	}
	// Parsed under the cell's file name: yaegi scopes imports by file.
	typ, err := parser.ParseExprFrom(ip.yi.FileSet(), r.file, src, 0)
	if err != nil {
		return ix, nil
	}
	lit := &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: typ}}}},
		Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{&ast.ReturnStmt{Return: pos, Results: []ast.Expr{ix}}}, Rbrace: pos},
	}
	return &ast.CallExpr{Fun: lit, Lparen: pos, Rparen: pos}, nil
}

// namesTypeOrFunc reports whether x, not a global variable, is a bare
// name or a name qualified by an imported package: a function or a type,
// so that x[T] is an instantiation, not an index.
func (ip *Interp) namesTypeOrFunc(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		if !ok || ip.isGlobal(id.Name) {
			return false
		}
		ip.declMu.Lock()
		_, imported := ip.imported[id.Name]
		ip.declMu.Unlock()
		return imported
	}
	return false
}

// isGlobal reports whether name is a global variable of the cells.
func (ip *Interp) isGlobal(name string) bool {
	_, ok := ip.global(name)
	return ok
}

// global returns the current value of a global variable of the cells.
// yaegi's Globals can panic while the interpreter is in a bad state.
func (ip *Interp) global(name string) (v reflect.Value, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = reflect.Value{}, false
		}
	}()
	v, ok = ip.yi.Globals()[name]
	return v, ok && v.IsValid()
}

// elemSource returns Go source naming the type of t's elements: of a
// slice, array, pointer to array, map or string (byte).
func (ip *Interp) elemSource(t reflect.Type) (string, bool) {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return ip.typeSource(t.Elem())
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Array {
			return ip.typeSource(t.Elem().Elem())
		}
	case reflect.String:
		return "byte", true
	}
	return "", false
}

// typeSource returns Go source naming t: its name, qualified by the name
// the cell imports its package under (importing it under a hidden name if
// no cell has), or its structure.
func (ip *Interp) typeSource(t reflect.Type) (string, bool) {
	if t.Name() == "" {
		return ip.structureSource(t)
	}
	if t.PkgPath() == "" {
		return t.Name(), true // predeclared: int, float64, error, ...
	}
	if !token.IsExported(t.Name()) || strings.ContainsAny(t.Name(), "[]") {
		return "", false // unexported, or an instance of a generic type
	}
	pkg, ok := ip.packageName(t.PkgPath())
	return pkg + "." + t.Name(), ok
}

// structureSource returns Go source for t's structure, ignoring its name.
func (ip *Interp) structureSource(t reflect.Type) (string, bool) {
	switch t.Kind() {
	case reflect.Slice:
		e, ok := ip.typeSource(t.Elem())
		return "[]" + e, ok
	case reflect.Array:
		e, ok := ip.typeSource(t.Elem())
		return fmt.Sprintf("[%d]%s", t.Len(), e), ok
	case reflect.Pointer:
		e, ok := ip.typeSource(t.Elem())
		return "*" + e, ok
	case reflect.Map:
		k, ok1 := ip.typeSource(t.Key())
		e, ok2 := ip.typeSource(t.Elem())
		return "map[" + k + "]" + e, ok1 && ok2
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any", true
		}
	}
	if t.Name() == "" || t.PkgPath() == "" {
		return "", false // an unnamed struct, func or chan: not worth spelling out
	}
	return ip.typeSource(t)
}

// packageName returns the name under which cells can use the package at
// path, importing it under a hidden name if no cell has imported it.
func (ip *Interp) packageName(path string) (string, bool) {
	ip.declMu.Lock()
	for name, p := range ip.imported {
		if p == path {
			ip.declMu.Unlock()
			return name, true
		}
	}
	ip.declMu.Unlock()
	ip.hidden++
	name := fmt.Sprintf("__plasticnbPkg%d", ip.hidden)
	f, err := parser.ParseFile(ip.yi.FileSet(), cellFile, fmt.Sprintf("package main\nimport %s %q", name, path), 0)
	if err != nil {
		return "", false
	}
	var prog *interp.Program
	if prog, err = ip.compile(f); err == nil {
		_, err = ip.yi.Execute(prog)
	}
	if err != nil {
		return "", false
	}
	ip.recordImports(f)
	return name, true
}
