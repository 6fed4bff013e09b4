package goeval

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"io"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/traefik/yaegi/interp"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/plugins"
)

// The plugin magics (kernel/plugins):
//
//	%go get MODULE[@VERSION]   (lines at the top of a cell)
//	%%compile                  (a cell's first line)
//
// "%go get" builds (or loads from the cache) a plugin of the module's
// packages and registers their export tables, so that a later import of
// them runs compiled code. "%%compile" builds a plugin of the cell's
// declarations and dot-imports its table, so that later cells call the
// cell's functions, use its types and variables by their names, at native
// speed.

// magicLine matches a line magic at the top of a cell.
var magicLine = regexp.MustCompile(`^\s*%(\S*)\s*(.*?)\s*$`)

// magics runs the magics of a cell. It returns the code left to
// interpret, with the magic lines blanked so that positions keep naming
// the cell's lines, and done if nothing is left (a %%compile cell).
func (ip *Interp) magics(ctx context.Context, r *run, code string) (rest string, done bool, cerr *cell.Error) {
	lines := strings.SplitAfter(code, "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		if strings.HasPrefix(t, "%%compile") {
			if i > 0 && strings.TrimSpace(strings.Join(lines[:i], "")) != "" || strings.TrimSpace(strings.TrimPrefix(t, "%%compile")) != "" {
				return "", true, magicError("%%compile takes no arguments and must be the cell's first line")
			}
			return "", true, ip.compileCell(ctx, r, strings.Join(lines[i+1:], ""), i+2)
		}
		if strings.HasPrefix(t, "%%") {
			return "", true, magicError(fmt.Sprintf("cell:%d:1: unknown cell magic %s: the kernel knows %%%%compile", i+1, strings.Fields(t)[0]))
		}
		m := magicLine.FindStringSubmatch(t)
		if m == nil || !strings.HasPrefix(t, "%") {
			break // Go code: the magics are over
		}
		arg, ok := strings.CutPrefix(t, "%go get")
		if !ok || arg != "" && arg[0] != ' ' && arg[0] != '\t' {
			return "", true, magicError(fmt.Sprintf("cell:%d:1: unknown magic %%%s: the kernel knows %%go get MODULE[@VERSION] and %%%%compile", i+1, m[1]))
		}
		if e := ip.goGet(ctx, arg); e != nil {
			return "", true, e
		}
		lines[i] = "\n"
		if !strings.HasSuffix(line, "\n") {
			lines[i] = ""
		}
	}
	rest = strings.Join(lines, "")
	return rest, strings.TrimSpace(rest) == "", nil
}

func magicError(msg string) *cell.Error {
	return &cell.Error{Name: "MagicError", Value: msg, Traceback: []string{msg}}
}

// progress is where the magics report what they do: the cell's stdout.
func (ip *Interp) progress() io.Writer { return &streamWriter{ip: ip, name: "stdout"} }

// goGet runs "%go get ARG".
func (ip *Interp) goGet(ctx context.Context, arg string) *cell.Error {
	spec, err := plugins.ParseSpec(arg)
	if err != nil {
		return magicError(err.Error())
	}
	if ip.opts.Plugins == nil {
		return magicError("%go get: plugins are unavailable: this interpreter has no plugin builder")
	}
	t0 := time.Now()
	l, err := ip.opts.Plugins.GoGet(ctx, spec, ip.progress())
	if err != nil {
		return ip.pluginError(ctx, err)
	}
	if err := ip.use(l.Symbols); err != nil {
		return magicError(fmt.Sprintf("%%go get %s: registering its packages: %v", spec, err))
	}
	how := "built"
	if l.Cached {
		how = "cached"
	}
	fmt.Fprintf(ip.progress(), "%s %s: import %s (plugin %s, %.2f s)\n", spec.Path, l.Version, quoteAll(l.Packages), how, time.Since(t0).Seconds())
	return nil
}

// use registers compiled packages' tables and makes their names known to
// the missing-import hints.
func (ip *Interp) use(t interp.Exports) error {
	if err := ip.yi.Use(t); err != nil {
		return err
	}
	ip.declMu.Lock()
	ip.extra = append(ip.extra, t)
	ip.known = nil
	ip.declMu.Unlock()
	return nil
}

func quoteAll(ps []string) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = fmt.Sprintf("%q", p)
	}
	return strings.Join(q, ", ")
}

// pluginError is the cell error of a failed magic.
func (ip *Interp) pluginError(ctx context.Context, err error) *cell.Error {
	if ctx.Err() != nil {
		return &cell.Error{Name: "Interrupted", Value: "interrupted while building a plugin", Traceback: []string{"interrupted while building a plugin"}}
	}
	return magicError(err.Error())
}

// compiledUndefined matches the Go compiler's "undefined: x" in a cell.
var compiledUndefined = regexp.MustCompile(`(?m)^(cell:\d+:\d+): undefined: (\w+)$`)

// compileCell runs a %%compile cell whose declarations start at line
// first of the cell.
func (ip *Interp) compileCell(ctx context.Context, r *run, code string, first int) *cell.Error {
	c, err := plugins.CellPackage(code, first)
	if err != nil {
		return compileError(err)
	}
	if ip.opts.Plugins == nil {
		return magicError("%%compile: plugins are unavailable: this interpreter has no plugin builder")
	}
	t0 := time.Now()
	l, err := ip.opts.Plugins.Compile(ctx, c, ip.progress())
	var be *plugins.BuildError
	if errors.As(err, &be) {
		msg := compiledUndefined.ReplaceAllStringFunc(be.Output, func(s string) string {
			m := compiledUndefined.FindStringSubmatch(s)
			if what := ip.interpretedName(m[2]); what != "" {
				return fmt.Sprintf("%s: undefined: %s (%s is %s, which a %%%%compile cell cannot see: it sees its own declarations, its imports and the compiled packages; move %s into this cell)", m[1], m[2], m[2], what, m[2])
			}
			return s
		})
		return &cell.Error{Name: "CompileError", Value: msg, Traceback: strings.Split(msg, "\n")}
	}
	if err != nil {
		return ip.pluginError(ctx, err)
	}
	if err := ip.use(l.Symbols); err != nil {
		return magicError(fmt.Sprintf("%%%%compile: registering the cell's names: %v", err))
	}
	// Dot-import the cell's table into the cells' file: its names become
	// the cells' own, shadowing earlier ones.
	f, err := parser.ParseFile(ip.yi.FileSet(), cellFile, fmt.Sprintf("package main\nimport . %q", c.ImportPath), 0)
	if err == nil {
		var prog *interp.Program
		if prog, err = ip.compile(f); err == nil {
			_, err = ip.yi.Execute(prog)
		}
	}
	if err != nil {
		return magicError(fmt.Sprintf("%%%%compile: importing the cell's names: %v", err))
	}
	ip.recordCompiled(l.Symbols[c.ImportPath+"/"+c.Name])
	how := "compiled"
	if l.Cached {
		how = "loaded the cached plugin"
	}
	fmt.Fprintf(ip.progress(), "%s %s (%.2f s)\n", how, strings.Join(c.Names, ", "), time.Since(t0).Seconds())
	return nil
}

// interpretedName says what name is if interpreted cells declared it, or
// returns "".
func (ip *Interp) interpretedName(name string) string {
	if _, ok := ip.globals()[name]; ok {
		return "a variable of an interpreted cell"
	}
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	d := ip.decls[name]
	switch {
	case d == nil:
		return ""
	case d.compiled:
		return "declared by another %%compile cell"
	case d.isType:
		return "a type of an interpreted cell"
	}
	return "declared in an interpreted cell"
}

// recordCompiled records the names of a %%compile cell as the user's
// declarations.
func (ip *Interp) recordCompiled(syms map[string]reflect.Value) {
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	for name, v := range syms {
		d := &userDecl{compiled: true, signature: name + " (compiled by %%compile)"}
		switch {
		case v.Kind() == reflect.Func:
			d.results = v.Type().NumOut()
			d.signature = name + " " + strings.TrimPrefix(v.Type().String(), "func") + " (compiled by %%compile)"
		case v.CanAddr():
			d.variable = true
		case v.Kind() == reflect.Pointer && v.IsNil():
			d.isType = true
			d.signature = "type " + name + " " + v.Type().Elem().String() + " (compiled by %%compile)"
		}
		ip.decls[name] = d
	}
}

// isCompiledVar reports whether name is a variable of a %%compile cell.
func (ip *Interp) isCompiledVar(name string) bool {
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	d := ip.decls[name]
	return d != nil && d.compiled && d.variable
}
