package goeval

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/display"
)

// userDecl is a top-level declaration of the user's, for completion and
// inspection.
type userDecl struct {
	signature, doc string
	results        int  // of a function: the number of its results
	generic        bool // a function with type parameters
	isType         bool // a type declaration
	compiled       bool // declared by a %%compile cell (magics.go)
	variable       bool // a variable of a %%compile cell
}

// recordDecls records the top-level declarations of a cell's parts.
func (ip *Interp) recordDecls(parts []compiled) {
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	for _, c := range parts {
		f, ok := c.node.(*ast.File)
		if !ok {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) > 0 {
					name = recvName(d.Recv.List[0].Type) + "." + name
				}
				ip.decls[name] = &userDecl{signature: nodeString(&ast.FuncDecl{Recv: d.Recv, Name: d.Name, Type: d.Type}), doc: d.Doc.Text(),
					results: d.Type.Results.NumFields(), generic: d.Recv == nil && d.Type.TypeParams.NumFields() > 0}
				if d.Recv != nil && (d.Name.Name == "MIMEBundle" || d.Name.Name == "String") {
					ip.hasBundler = true
				}
			case *ast.GenDecl:
				if d.Tok == token.IMPORT {
					continue
				}
				for _, s := range d.Specs {
					docText := d.Doc.Text()
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Doc != nil {
							docText = s.Doc.Text()
						}
						ip.decls[s.Name.Name] = &userDecl{signature: "type " + nodeString(s), doc: docText, isType: true}
					case *ast.ValueSpec:
						if s.Doc != nil {
							docText = s.Doc.Text()
						}
						for _, id := range s.Names {
							ip.decls[id.Name] = &userDecl{signature: d.Tok.String() + " " + nodeString(s), doc: docText}
						}
					}
				}
			}
		}
	}
}

func recvName(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.StarExpr:
		return recvName(x.X)
	case *ast.IndexExpr:
		return recvName(x.X)
	case *ast.IndexListExpr:
		return recvName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return ""
}

func nodeString(n any) string {
	var b bytes.Buffer
	_ = printer.Fprint(&b, token.NewFileSet(), n)
	return b.String()
}

// Inspect returns the documentation of the identifier at cursor: the
// signature and doc comment of a package member ("pkg.Name", read from the
// package's source with go/doc) or of a declaration of the user's, or the
// type and value of a variable.
func (ip *Interp) Inspect(code string, cursor int, detail int) cell.Inspection {
	cursor = min(max(cursor, 0), len(code))
	// Just after "f(": inspect f, as frontends ask while a call is typed.
	if before := strings.TrimRight(code[:cursor], " "); strings.HasSuffix(before, "(") && identBefore(code, cursor) == cursor {
		cursor = len(before) - 1
	}
	start, end := identBefore(code, cursor), identAfter(code, cursor)
	name := code[start:end]
	if name == "" {
		return cell.Inspection{}
	}
	text := ""
	if q := qualifier(code, start); q != "" {
		if p, ok := ip.imports(code)[q]; ok {
			text = ip.packageDoc(p, name)
		} else if v, ok := ip.globals()[q]; ok && v.IsValid() {
			text = ip.memberDoc(v.Type(), name)
		}
	} else {
		text = ip.userDoc(name)
		if text == "" {
			if p, ok := ip.imports(code)[name]; ok {
				text = "package " + name + ` // import "` + p + `"`
				if d := ip.pkgDocs(p); d != nil {
					text += "\n\n" + d.doc.Doc
				}
			}
		}
	}
	if text == "" {
		return cell.Inspection{}
	}
	return cell.Inspection{Found: true, Data: display.Bundle{Data: map[display.MIME]any{display.MIMEPlain: text}}}
}

// userDoc documents a declaration or variable of the user's.
func (ip *Interp) userDoc(name string) string {
	ip.declMu.Lock()
	d := ip.decls[name]
	ip.declMu.Unlock()
	if d != nil {
		return strings.TrimSpace(d.signature + "\n\n" + d.doc)
	}
	if v, ok := ip.globals()[name]; ok && v.IsValid() && v.CanInterface() {
		return fmt.Sprintf("var %s %s = %s", name, v.Type(), display.Text(v.Interface()))
	}
	return ""
}

// memberDoc documents a method or field of a variable's (compiled) type.
func (ip *Interp) memberDoc(t reflect.Type, name string) string {
	if m, ok := t.MethodByName(name); ok {
		return fmt.Sprintf("func (%s) %s%s", t, name, strings.TrimPrefix(m.Type.String(), "func"))
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		if f, ok := st.FieldByName(name); ok {
			return fmt.Sprintf("field %s %s of %s", name, f.Type, st)
		}
	}
	return ""
}

// pkgDoc is the documentation of a package, read from its source.
type pkgDoc struct {
	doc  *doc.Package
	fset *token.FileSet
}

// packageDoc documents a member of the package at import path p.
func (ip *Interp) packageDoc(p, name string) string {
	d := ip.pkgDocs(p)
	if d == nil {
		// No source: the signature from the symbol table.
		if v, ok := ip.yi.Symbols(p)[p][name]; ok && v.IsValid() {
			return fmt.Sprintf("%s.%s %s", path.Base(p), name, v.Type())
		}
		return ""
	}
	for _, f := range d.doc.Funcs {
		if f.Name == name {
			return declDoc(d.fset, f.Decl, f.Doc)
		}
	}
	for _, t := range d.doc.Types {
		if t.Name == name {
			return declDoc(d.fset, t.Decl, t.Doc)
		}
		for _, f := range t.Funcs {
			if f.Name == name {
				return declDoc(d.fset, f.Decl, f.Doc)
			}
		}
		for _, vs := range [][]*doc.Value{t.Consts, t.Vars} {
			if s := valueDoc(d.fset, vs, name); s != "" {
				return s
			}
		}
	}
	for _, vs := range [][]*doc.Value{d.doc.Consts, d.doc.Vars} {
		if s := valueDoc(d.fset, vs, name); s != "" {
			return s
		}
	}
	return ""
}

func valueDoc(fset *token.FileSet, vs []*doc.Value, name string) string {
	for _, v := range vs {
		for _, n := range v.Names {
			if n == name {
				return declDoc(fset, v.Decl, v.Doc)
			}
		}
	}
	return ""
}

func declDoc(fset *token.FileSet, decl ast.Decl, text string) string {
	if fd, ok := decl.(*ast.FuncDecl); ok {
		decl = &ast.FuncDecl{Recv: fd.Recv, Name: fd.Name, Type: fd.Type}
	}
	var b bytes.Buffer
	_ = printer.Fprint(&b, fset, decl)
	return strings.TrimSpace(b.String() + "\n\n" + text)
}

// pkgDocs reads and caches the documentation of the package at import path
// p. Its source directory is that of a compiled function of the package (as
// the runtime records it), so it is found for the standard library, module
// dependencies and the project alike, on the machine that built the kernel.
func (ip *Interp) pkgDocs(p string) *pkgDoc {
	ip.declMu.Lock()
	d, ok := ip.docs[p]
	ip.declMu.Unlock()
	if ok {
		return d
	}
	d = loadDocs(ip.yi.Symbols(p)[p], p)
	ip.declMu.Lock()
	ip.docs[p] = d
	ip.declMu.Unlock()
	return d
}

func loadDocs(syms map[string]reflect.Value, p string) *pkgDoc {
	dir := ""
	for _, v := range syms {
		if v.Kind() != reflect.Func || v.IsNil() {
			continue
		}
		fn := runtime.FuncForPC(v.Pointer())
		if fn == nil {
			continue
		}
		file, _ := fn.FileLine(fn.Entry())
		if strings.HasSuffix(filepath.ToSlash(filepath.Dir(file)), p) || strings.Contains(file, "/"+path.Base(p)+"/") {
			dir = filepath.Dir(file)
			break
		}
	}
	if dir == "" {
		return nil
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		return nil
	}
	for name, pkg := range pkgs {
		if name == path.Base(p) || len(pkgs) == 1 {
			return &pkgDoc{doc: doc.New(pkg, p, 0), fset: fset}
		}
	}
	return nil
}
