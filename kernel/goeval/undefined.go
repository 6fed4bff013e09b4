package goeval

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io"
	"log"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// yaegi v0.16.1 reports most uses of an undefined name as "constant
// definition loop", or crashes on them with a nil dereference when the
// name is a package qualifier (network.New without importing network).
// When a part fails to compile, the kernel looks for the names the cell
// uses but nobody declared, with go/parser's resolution (the identifiers
// a part leaves unresolved) against the imports, the declarations and
// variables of earlier cells and the cell's own, and the predeclared
// names; the first such name is the error, with the import to add when
// it names a package the kernel knows.

// undefinedError returns the error for the first name of r's cell that
// nothing declares, or nil.
func (ip *Interp) undefinedError(r *run) *cell.Error {
	pkgs := ip.imports("")
	globals := ip.globals()
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	for _, id := range r.unresolved {
		name := id.Name
		if name == "_" || name == hookName || name == mainName || r.declared[name] || pkgs[name] != "" ||
			ip.decls[name] != nil || types.Universe.Lookup(name) != nil {
			continue
		}
		if _, ok := globals[name]; ok {
			continue
		}
		pos := ip.yi.FileSet().Position(id.Pos())
		msg := fmt.Sprintf("%s: undefined: %s", pos, name)
		if paths := ip.knownPackages()[name]; len(paths) > 0 {
			quoted := make([]string, len(paths))
			for i, p := range paths {
				quoted[i] = fmt.Sprintf("%q", p)
			}
			msg += " (add import " + strings.Join(quoted, " or ") + ")"
		}
		return &cell.Error{Name: "CompileError", Value: msg, Traceback: []string{msg}}
	}
	return nil
}

// noteNames records in r what a parsed part leaves unresolved and what it
// declares at the cell's top level.
func (r *run) noteNames(unresolved []*ast.Ident, n ast.Node) {
	r.unresolved = append(r.unresolved, unresolved...)
	if r.declared == nil {
		r.declared = map[string]bool{}
	}
	declare := func(ids ...*ast.Ident) {
		for _, id := range ids {
			r.declared[id.Name] = true
		}
	}
	switch n := n.(type) {
	case *ast.File:
		for _, d := range n.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				declare(d.Name)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						declare(s.Name)
					case *ast.ValueSpec:
						declare(s.Names...)
					}
				}
				for name := range importNames(n) {
					r.declared[name] = true
				}
			}
		}
	case *ast.BlockStmt:
		for _, s := range n.List {
			switch s := s.(type) {
			case *ast.AssignStmt:
				if s.Tok == token.DEFINE {
					for _, l := range s.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							declare(id)
						}
					}
				}
			case *ast.DeclStmt:
				r.noteNames(nil, &ast.File{Decls: []ast.Decl{s.Decl}})
			}
		}
	}
}

// knownPackages returns the import paths of the packages cells can import
// (Options.Symbols and the standard library), by package name: the
// project's first, then the shortest. It is computed once per Interp.
// It is called with declMu held.
func (ip *Interp) knownPackages() map[string][]string {
	if ip.known == nil {
		ip.known = knownPackagesOf(append([]interp.Exports{ip.opts.Symbols, stdlib.Symbols}, ip.extra...)...)
	}
	return ip.known
}

func knownPackagesOf(tables ...interp.Exports) map[string][]string {
	m := map[string][]string{}
	for _, table := range tables {
		for key := range table {
			dir, name := path.Split(key)
			dir = strings.TrimSuffix(dir, "/")
			if dir == "" || strings.Contains(dir, "internal") || slices.Contains(m[name], dir) {
				continue
			}
			m[name] = append(m[name], dir)
		}
	}
	for _, paths := range m {
		slices.SortStableFunc(paths, func(a, b string) int {
			if pa, pb := strings.Contains(a, "plasticnb"), strings.Contains(b, "plasticnb"); pa != pb {
				if pa {
					return -1
				}
				return 1
			}
			return len(a) - len(b)
		})
	}
	return m
}

// noSource matches yaegi's error for an import of a package it has no
// symbols for, which speaks of GOPATH.
var noSource = regexp.MustCompile(`import ("[^"]*") error: unable to find source related to: "[^"]*"\. Either the GOPATH environment variable, or the Interpreter\.Options\.GoPath needs to be set`)

// betterWording rewrites the messages of yaegi that speak of its
// internals.
func betterWording(msg string) string {
	return noSource.ReplaceAllString(msg, "cannot import $1: only the packages compiled into the kernel can be imported "+
		"(the standard library and those of the kernel's symbol tables: gonum, gonum/plot and plasticnb's; or a module fetched by %go get MODULE[@VERSION])")
}

// logMu serialises the compilations of all interpreters: while one runs,
// the standard logger is silenced, because yaegi's compiler writes "nil
// type" and "nil reflect type" to it before panicking (log.Panic), and
// those lines would reach the cell's output. Cells' own log calls use
// their interpreter's logger, not the standard one.
var logMu sync.Mutex

// quietly runs f with the standard logger silenced.
func quietly[T any](f func() (T, error)) (T, error) {
	logMu.Lock()
	defer logMu.Unlock()
	w := log.Writer()
	log.SetOutput(io.Discard)
	defer log.SetOutput(w)
	return f()
}
