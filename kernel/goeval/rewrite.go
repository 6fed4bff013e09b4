package goeval

import (
	"go/ast"
	"go/token"
)

// rewrite applies the source rewrites to a parsed part in place.
func rewrite(fset *token.FileSet, n ast.Node) {}
