package symbols_test

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/symbols"
)

const module = "github.com/plasticnb/plasticnb"

// projectRoots are the directories (from the module root) whose packages
// cells import.
var projectRoots = []string{"plasticlib", "plots", "kernel/display", "kernel/widget"}

// listed returns the project packages named in symbols.go's go:generate
// directives.
func listed(t *testing.T) []string {
	src, err := os.ReadFile("symbols.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^//go:generate .* extract -name symbols (.*)$`)
	var pkgs []string
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		for _, p := range strings.Fields(m[1]) {
			if strings.HasPrefix(p, module+"/") {
				pkgs = append(pkgs, p)
			}
		}
	}
	return pkgs
}

// projectPackages returns the import paths of the project's importable
// packages: directories under projectRoots with non-test Go files of a
// package other than main, not internal, not testdata.
func projectPackages(t *testing.T) map[string]string {
	pkgs := map[string]string{}
	for _, root := range projectRoots {
		dir := filepath.Join("..", "..", root)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				return nil
			}
			if name := d.Name(); name == "testdata" || name == "internal" || strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			files, _ := filepath.Glob(filepath.Join(p, "*.go"))
			for _, f := range files {
				if strings.HasSuffix(f, "_test.go") {
					continue
				}
				pf, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.PackageClauseOnly)
				if err == nil && pf.Name.Name != "main" {
					rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
					pkgs[module+"/"+filepath.ToSlash(rel)] = p
					break
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return pkgs
}

// TestProjectPackagesListed fails when a project package has no symbol
// table: add a go:generate line to symbols.go and run go generate.
func TestProjectPackagesListed(t *testing.T) {
	have := listed(t)
	for p := range projectPackages(t) {
		if !slices.Contains(have, p) {
			t.Errorf("package %s has no go:generate line in kernel/symbols/symbols.go: add one and run go generate ./kernel/symbols", p)
		}
	}
}

// TestProjectSymbolsCurrent fails when a project package's exported API
// (its exported top-level names, and the methods of its exported
// interfaces) differs from its committed symbol table: run
// go generate ./kernel/symbols.
func TestProjectSymbolsCurrent(t *testing.T) {
	dirs := projectPackages(t)
	for _, p := range listed(t) {
		dir, ok := dirs[p]
		if !ok {
			t.Errorf("symbols.go lists %s, which is not a project package (any more?)", p)
			continue
		}
		table, ok := symbols.Symbols[p+"/"+path.Base(p)]
		if !ok {
			t.Errorf("no symbol table for %s: run go generate ./kernel/symbols", p)
			continue
		}
		names, ifaces := exportedAPI(t, dir)
		var got []string
		for name := range table {
			if !strings.HasPrefix(name, "_") {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, names) {
			t.Errorf("%s: exported names %v; symbol table has %v: run go generate ./kernel/symbols", p, names, got)
		}
		for name, methods := range ifaces {
			w, ok := table["_"+name]
			if !ok {
				t.Errorf("%s: no wrapper for interface %s: run go generate ./kernel/symbols", p, name)
				continue
			}
			wt := w.Type().Elem()
			for _, m := range methods {
				if _, ok := wt.FieldByName("W" + m); !ok {
					t.Errorf("%s: wrapper of %s lacks method %s: run go generate ./kernel/symbols", p, name, m)
				}
			}
		}
	}
}

// exportedAPI returns the sorted exported top-level names of the package
// in dir, and the explicit methods of its exported interfaces.
func exportedAPI(t *testing.T, dir string) ([]string, map[string][]string) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var names []string
	ifaces := map[string][]string{}
	for _, fn := range files {
		if ok, err := build.Default.MatchFile(dir, filepath.Base(fn)); strings.HasSuffix(fn, "_test.go") || !ok || err != nil {
			continue // as go build would, with the default build tags
		}
		f, err := parser.ParseFile(fset, fn, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() && d.Type.TypeParams == nil {
					names = append(names, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() || s.TypeParams != nil {
							continue
						}
						names = append(names, s.Name.Name)
						if it, ok := s.Type.(*ast.InterfaceType); ok {
							for _, m := range it.Methods.List {
								for _, id := range m.Names {
									ifaces[s.Name.Name] = append(ifaces[s.Name.Name], id.Name)
								}
							}
						}
					case *ast.ValueSpec:
						for _, id := range s.Names {
							if id.IsExported() {
								names = append(names, id.Name)
							}
						}
					}
				}
			}
		}
	}
	slices.Sort(names)
	return names, ifaces
}
