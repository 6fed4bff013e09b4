package goeval

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"strings"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// dropImported removes from an import part the imports that earlier cells
// made under the same name (yaegi rejects a second import of a name: "fmt
// redeclared", which would make re-running a cell fail). Importing another
// package under a name already in use is an error.
func (ip *Interp) dropImported(f *ast.File) *cell.Error {
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	var decls []ast.Decl
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			decls = append(decls, d)
			continue
		}
		var specs []ast.Spec
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			p := strings.Trim(is.Path.Value, "\"`")
			name := path.Base(p)
			if is.Name != nil {
				name = is.Name.Name
			}
			old, ok := ip.imported[name]
			switch {
			case !ok || name == "_" || name == ".":
				specs = append(specs, s)
			case old != p:
				pos := ip.yi.FileSet().Position(is.Pos())
				msg := fmt.Sprintf("%s: %s is already the name of package %q: import %q under another name (import name %q)", pos, name, old, p, p)
				return &cell.Error{Name: "CompileError", Value: msg, Traceback: []string{msg}}
			}
		}
		if len(specs) > 0 {
			gd.Specs = specs
			decls = append(decls, gd)
		}
	}
	f.Decls = decls
	f.Imports = nil
	for _, d := range decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			for _, s := range gd.Specs {
				f.Imports = append(f.Imports, s.(*ast.ImportSpec))
			}
		}
	}
	return nil
}

// recordImports records the imports of a part that ran.
func (ip *Interp) recordImports(f *ast.File) {
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	for name, p := range importNames(f) {
		ip.imported[name] = p
	}
}
