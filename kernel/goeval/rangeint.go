package goeval

// This file works around yaegi v0.16.1's missing Go 1.22 range over
// integers ("for i := range n" fails to compile with "nil type"). The
// canary TestCanaryRangeInt (canary_test.go) fails once bare yaegi
// compiles it: then delete this file and its calls.

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ast/astutil"
)

// rangeInts rewrites loops over integers, which yaegi v0.16.1 cannot
// compile ("nil type"): "for i := range n { body }" becomes
// "for k, n_ := 0, n; k < n_; k++ { i := k; body }", with fresh names, so
// that the body's changes to i do not change the iteration, as in Go.
// With all set it rewrites every range loop whose value variable is absent
// and whose operand is not obviously a slice, map, string or channel (for a
// retry after "nil type"); otherwise only loops over integer literals,
// len(...), arithmetic, and the global variables for which isInt is true.
// It reports whether it rewrote anything.
func rangeInts(n ast.Node, all bool, isInt func(name string) bool) bool {
	count := 0
	astutil.Apply(n, nil, func(c *astutil.Cursor) bool {
		rs, ok := c.Node().(*ast.RangeStmt)
		if !ok || rs.Value != nil || !rangesOverInt(rs.X, all, isInt) {
			return true
		}
		k := ast.NewIdent(fmt.Sprintf("__plasticnbK%d", count))
		lim := ast.NewIdent(fmt.Sprintf("__plasticnbN%d", count))
		count++
		pos := rs.For
		body := rs.Body
		if rs.Key != nil {
			if id, ok := rs.Key.(*ast.Ident); !ok || id.Name != "_" {
				tok := rs.Tok
				if tok != token.DEFINE {
					tok = token.ASSIGN
				}
				set := &ast.AssignStmt{Lhs: []ast.Expr{rs.Key}, Tok: tok, TokPos: pos, Rhs: []ast.Expr{ast.NewIdent(k.Name)}}
				body.List = append([]ast.Stmt{set}, body.List...)
			}
		}
		c.Replace(&ast.ForStmt{
			For:  pos,
			Init: &ast.AssignStmt{Lhs: []ast.Expr{k, lim}, Tok: token.DEFINE, TokPos: pos, Rhs: []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: "0"}, rs.X}},
			Cond: &ast.BinaryExpr{X: ast.NewIdent(k.Name), OpPos: pos, Op: token.LSS, Y: ast.NewIdent(lim.Name)},
			Post: &ast.IncDecStmt{X: ast.NewIdent(k.Name), TokPos: pos, Tok: token.INC},
			Body: body,
		})
		return true
	})
	return count > 0
}

// rangesOverInt reports whether a range operand is taken for an integer.
func rangesOverInt(x ast.Expr, all bool, isInt func(string) bool) bool {
	switch x := x.(type) {
	case *ast.Ident:
		if isInt != nil && isInt(x.Name) {
			return true
		}
	case *ast.BasicLit:
		return x.Kind == token.INT
	case *ast.CompositeLit, *ast.SliceExpr:
		return false
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && (id.Name == "len" || id.Name == "cap") {
			return true
		}
	case *ast.BinaryExpr:
		return true // n-1, 2*n: arithmetic
	}
	return all
}
