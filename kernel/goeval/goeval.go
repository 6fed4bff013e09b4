package goeval

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/plasticnb/plasticnb/kernel/capture"
	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/display"
	"github.com/plasticnb/plasticnb/kernel/plugins"
)

// Options configures an interpreter. The zero value is ready to use.
type Options struct {
	// Stdio, if not nil, is the capture of the process's standard output
	// and error: while a cell runs, Execute attaches the cell's output to
	// it, so that what compiled code prints reaches the cell, and the
	// interpreter writes the cell's own output through it too, so that
	// both keep their order. If nil, only what interpreted code prints
	// (fmt.Print*, log, os.Stdout in cells) reaches the cell.
	Stdio *capture.Stdio
	// Display sets how values are rendered (plot size). Zero: defaults.
	Display display.Config
	// Env is the environment cells see through os.Getenv and friends.
	// Nil means the process's environment.
	Env []string
	// Symbols are the compiled packages cells can import besides the
	// standard library, as yaegi export tables (kernel/symbols.Symbols in
	// the kernel: gonum, gonum/plot and the project's packages). goeval
	// itself imports none of them. Nil: the standard library only.
	Symbols interp.Exports
	// MaxDepth limits the nesting of calls of interpreted functions: past
	// it the cell fails with the depth and the function's line. Zero:
	// DefaultMaxDepth.
	MaxDepth int
	// Plugins builds the plugins of the magics %go get and %%compile
	// (magics.go). Nil: both fail saying that plugins are unavailable.
	Plugins *plugins.Builder
}

// Interp is a Go interpreter whose state persists from cell to cell. It
// implements cell.Interpreter.
type Interp struct {
	opts  Options
	yi    *interp.Interpreter
	disp  *display.Display
	guard *depthGuard

	known map[string][]string // importable packages by name (knownPackages), under declMu
	extra []interp.Exports    // tables of the plugins loaded (magics.go), under declMu

	execMu sync.Mutex // one Execute at a time

	mu   sync.Mutex // guards cur and last
	cur  *run       // the running cell, or nil
	last cell.Output

	stdin      *stdinReader
	emptyStdin *os.File // os.Stdin in cells: always at end of file

	declMu   sync.Mutex
	decls    map[string]*userDecl // the user's top-level declarations, by name
	imported map[string]string    // import paths by the name cells use
	hidden   int                  // hidden names made so far (index.go), under execMu
	// hasBundler: the user has declared a MIMEBundle or String method.
	hasBundler bool
	// globalVars is the interpreter's global variables and constants as
	// of the end of the last cell, for completion and inspection, which
	// must not touch yaegi's state while a cell runs.
	globalVars map[string]reflect.Value
	docs       map[string]*pkgDoc // package documentation, by import path
}

// run is one execution of a cell.
type run struct {
	ctx        context.Context
	out        cell.Output
	allowStdin bool
	file       string // the cell's name in positions, cellFile

	mu        sync.Mutex
	trace     []string // yaegi's panic lines, in the order printed
	goPanics  []*cell.Error
	cellEnded bool
	defers    []func() // deferred by the cell's statements, run at its end

	// unresolved and declared: the names the cell's parts use without
	// declaring them, and those they declare at the top level (for
	// undefinedError).
	unresolved []*ast.Ident
	declared   map[string]bool
}

// hookPath is the import path of the functions the kernel's source rewrites
// call; hookName is the name cells import it under.
const (
	hookPath = "plasticnb.internal/hook"
	hookName = "__plasticnb"
)

// cellFile is the file name of positions in cells: "cell:LINE:COL". It is
// the same for every cell, as yaegi scopes imports by file name.
const cellFile = "cell"

// displayImport is package display's import path; displayPath is the key
// of its symbols in yaegi's tables.
const (
	displayImport = "github.com/plasticnb/plasticnb/kernel/display"
	displayPath   = displayImport + "/display"
)

// New returns an interpreter with the standard library, gonum, gonum/plot
// and the project's packages importable, and package display's Show, Clear
// and Progress bound to its own Display, which publishes to the running
// cell's output. New takes tens of milliseconds (see doc.go): a kernel can
// run it concurrently with its socket setup.
func New(opts Options) (*Interp, error) {
	ip := &Interp{opts: opts, decls: map[string]*userDecl{}, imported: map[string]string{}, docs: map[string]*pkgDoc{}}
	ip.stdin = &stdinReader{ip: ip}
	ip.disp = display.NewWithConfig(cellSink{ip}, opts.Display)
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	ip.yi = interp.New(interp.Options{
		Stdin:  ip.stdin,
		Stdout: &streamWriter{ip: ip, name: "stdout"},
		Stderr: &streamWriter{ip: ip, name: "stderr"},
		Env:    env,
		Args:   []string{"plasticnb"},
	})
	ip.guard = &depthGuard{limit: int64(opts.MaxDepth), names: map[int]string{}, fset: ip.yi.FileSet()}
	if err := ip.yi.Use(stdlib.Symbols); err != nil {
		return nil, fmt.Errorf("goeval: loading the standard library symbols: %w", err)
	}
	for i, src := range genericSources {
		// Each its own file: yaegi scopes imports by file name.
		f, err := parser.ParseFile(ip.yi.FileSet(), fmt.Sprintf("plasticnb-generic%d.go", i), src, 0)
		if err == nil {
			_, err = ip.yi.CompileAST(f)
		}
		if err != nil {
			return nil, fmt.Errorf("goeval: compiling the standard library's generic functions: %w", err)
		}
	}
	if ip.opts.Symbols != nil {
		if err := ip.yi.Use(ip.opts.Symbols); err != nil {
			return nil, fmt.Errorf("goeval: loading the package symbols: %w", err)
		}
	}
	if err := ip.yi.Use(ip.boundSymbols()); err != nil {
		return nil, fmt.Errorf("goeval: binding package display: %w", err)
	}
	// os.Stdin in cells is empty: the kernel's own standard input is a pipe
	// nobody writes to, and a compiled read of it could not be interrupted.
	// fmt.Scan* read through the frontend instead (stdinReader).
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("goeval: making an empty standard input: %w", err)
	}
	w.Close()
	ip.emptyStdin = r
	if err := ip.yi.Use(interp.Exports{"os/os": {"Stdin": reflect.ValueOf(&ip.emptyStdin).Elem()}}); err != nil {
		return nil, fmt.Errorf("goeval: binding os.Stdin: %w", err)
	}
	// The hooks are imported under the cells' file name: yaegi scopes
	// imports by file name.
	// Package display is imported for every cell, as "display".
	hook, err := parser.ParseFile(ip.yi.FileSet(), cellFile, "package main\nimport "+hookName+` "`+hookPath+`"`+"\nimport \""+displayImport+`"`, 0)
	if err == nil {
		var prog *interp.Program
		if prog, err = ip.compile(hook); err == nil {
			_, err = ip.yi.Execute(prog)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("goeval: importing the kernel hooks: %w", err)
	}
	ip.imported["display"] = displayImport
	return ip, nil
}

// boundSymbols returns the symbols bound to this interpreter: package
// display's Show, Clear and Progress as methods of ip's Display, and the
// hooks the source rewrites call.
func (ip *Interp) boundSymbols() interp.Exports {
	show := reflect.ValueOf(ip.disp.Show)
	value := reflect.ValueOf(func(v any) any { return v })
	ex := interp.Exports{
		displayPath: {
			"Show":        show,
			"Clear":       reflect.ValueOf(ip.disp.Clear),
			"Progress":    reflect.ValueOf(ip.disp.Progress),
			"CellContext": reflect.ValueOf(ip.cellContext),
		},
		hookPath + "/hook": {
			"GoPanic": reflect.ValueOf(ip.goPanic),
			"Defer":   reflect.ValueOf(ip.cellDefer),
			"Value":   value,
			"Enter":   reflect.ValueOf(ip.guard.enter),
			"Leave":   reflect.ValueOf(ip.guard.leave),
			"Make":    reflect.ValueOf(hookMake),
			"Grow":    reflect.ValueOf(hookGrow),
			"New":     reflect.ValueOf(hookNew),
		},
	}
	// Interpreted values with a MIMEBundle method reach Show wrapped so
	// that the compiled side sees the method.
	ex["."] = map[string]reflect.Value{"MapTypes": reflect.ValueOf(map[reflect.Value][]reflect.Type{
		show:  {reflect.TypeOf((*display.MIMEBundler)(nil)).Elem()},
		value: {reflect.TypeOf((*display.MIMEBundler)(nil)).Elem(), reflect.TypeOf((*fmt.Stringer)(nil)).Elem()},
	})}
	return ex
}

// snapshotGlobals records the global variables after a cell. yaegi's
// Globals can panic while the interpreter is in a bad state (after an
// interrupt, during compilation): then the previous snapshot stays.
func (ip *Interp) snapshotGlobals() {
	defer func() { _ = recover() }()
	g := ip.yi.Globals()
	ip.declMu.Lock()
	ip.globalVars = g
	ip.declMu.Unlock()
}

// globals returns the global variables as of the end of the last cell.
func (ip *Interp) globals() map[string]reflect.Value {
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	return ip.globalVars
}

// cellContext returns the running cell's context, or, when no cell runs,
// context.Background().
func (ip *Interp) cellContext() context.Context {
	if r := ip.current(); r != nil {
		return r.ctx
	}
	return context.Background()
}

// Language describes Go for kernel_info_reply.
func (ip *Interp) Language() cell.LanguageInfo {
	return cell.LanguageInfo{
		Name:           "go",
		Version:        strings.TrimPrefix(runtime.Version(), "go"),
		MIMEType:       "text/x-go",
		FileExtension:  ".go",
		CodeMirrorMode: "go",
		PygmentsLexer:  "go",
		Banner: "plasticnb: Go " + strings.TrimPrefix(runtime.Version(), "go") +
			" cells interpreted by yaegi v0.16.1, with gonum, gonum/plot and plasticlib compiled in",
	}
}

func (ip *Interp) current() *run {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	return ip.cur
}

// output returns the running cell's output, or the last cell's.
func (ip *Interp) output() cell.Output {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	if ip.cur != nil {
		return ip.cur.out
	}
	return ip.last
}

// Execute runs a cell: its imports first, then its declarations and
// statements in order, each run of them as one evaluation. See the package
// documentation.
func (ip *Interp) Execute(ctx context.Context, req cell.Request, out cell.Output) cell.Result {
	ip.execMu.Lock()
	defer ip.execMu.Unlock()
	r := &run{ctx: ctx, out: out, allowStdin: req.AllowStdin, file: cellFile}
	ip.mu.Lock()
	ip.cur, ip.last = r, out
	ip.mu.Unlock()
	ip.stdin.reset()
	if ip.opts.Stdio != nil {
		detach := ip.opts.Stdio.Attach(out)
		defer detach()
	}
	defer func() {
		ip.snapshotGlobals()
		ip.mu.Lock()
		ip.cur = nil
		ip.mu.Unlock()
		r.mu.Lock()
		r.cellEnded = true
		r.mu.Unlock()
	}()

	var res cell.Result
	code, done, err := ip.magics(ctx, r, req.Code)
	var v any
	var hasValue bool
	if !done {
		v, hasValue, err = ip.eval(ctx, r, code)
	}
	if derr := r.runDefers(); err == nil {
		err = derr
	}
	switch {
	case err != nil:
		res.Err = err
	case hasValue && !req.Silent:
		b := ip.render(v)
		res.Value = &b
	}
	if res.Err == nil {
		r.mu.Lock()
		if len(r.goPanics) > 0 {
			res.Err = r.goPanics[0]
		}
		r.mu.Unlock()
	}
	if len(req.UserExpressions) > 0 {
		res.UserExpressions = ip.userExpressions(ctx, r, req.UserExpressions)
	}
	return res
}

// userExpressions evaluates each expression and renders its value.
func (ip *Interp) userExpressions(ctx context.Context, r *run, exprs map[string]string) map[string]any {
	m := make(map[string]any, len(exprs))
	for name, src := range exprs {
		if _, err := parser.ParseExpr(src); err != nil {
			m[name] = &cell.Error{Name: "SyntaxError", Value: err.Error()}
			continue
		}
		v, ok, err := ip.eval(ctx, r, src)
		switch {
		case err != nil:
			m[name] = err
		case !ok:
			m[name] = &cell.Error{Name: "ValueError", Value: "the expression has no value"}
		default:
			m[name] = ip.disp.Render(v)
		}
	}
	return m
}

// compiled is one part of a cell, parsed and rewritten.
type compiled struct {
	kind partKind
	node ast.Node // *ast.File for imports and declarations, *ast.BlockStmt for statements
	// value: the part ends with an expression statement whose value is
	// the cell's value.
	value bool
	// unresolved: the identifiers the part uses and does not declare.
	unresolved []*ast.Ident
}

// eval parses the whole cell, then compiles and runs its parts in order.
// It returns the value of the cell's trailing expression, if any.
func (ip *Interp) eval(ctx context.Context, r *run, code string) (v any, hasValue bool, cerr *cell.Error) {
	var parts []part
	for _, p := range splitCell(code) {
		if p.kind != partPackage {
			parts = append(parts, p)
		}
	}
	var progs []compiled
	for i, p := range parts {
		c, err := ip.parsePart(r.file, code, p)
		if err != nil {
			return nil, false, compileError(err)
		}
		c.value = c.value && i == len(parts)-1
		r.noteNames(c.unresolved, c.node)
		progs = append(progs, c)
	}
	for i := range progs {
		if progs[i].kind == partImport {
			if err := ip.dropImported(progs[i].node.(*ast.File)); err != nil {
				return nil, false, err
			}
		}
	}
	ip.recordDecls(progs)
	if callsMain(progs) {
		// A whole program pasted into a cell: run it.
		line, col := lineCol(code, len(code))
		src := fmt.Sprintf("package main; func main() {\n//line %s:%d:%d\n%s()\n}", cellFile, line, col, mainName)
		f, err := parser.ParseFile(ip.yi.FileSet(), cellFile, src, 0)
		if err != nil {
			return nil, false, compileError(err)
		}
		progs = append(progs, compiled{kind: partStmt, node: f.Decls[0].(*ast.FuncDecl).Body})
	}
	if n := len(progs); n > 0 && progs[n-1].value {
		ip.wrapValue(progs[n-1].node.(*ast.BlockStmt))
	}
	for _, c := range progs {
		if f, ok := c.node.(*ast.File); ok && len(f.Decls) == 0 {
			continue // imports all done by earlier cells
		}
		var rv reflect.Value
		if body, ok := c.node.(*ast.BlockStmt); ok && slices.ContainsFunc(body.List, ip.needsTyping) {
			// yaegi cannot type an index of a compiled value or a call of
			// a generic function in a declaration outside functions, and a
			// failed compilation can leave its scope broken: run the
			// statements apart, with those expressions typed (index.go).
			var cerr *cell.Error
			if rv, cerr = ip.runApart(ctx, r, body); cerr != nil {
				return nil, false, cerr
			}
		} else {
			prog, err := ip.compile(c.node)
			if err != nil && strings.HasSuffix(err.Error(), "nil type") && rangeInts(c.node, true, nil) {
				// Most likely a range over an integer variable, which
				// yaegi cannot compile: retry with those loops rewritten.
				// (yaegi has logged "nil type" on the process's standard
				// error.)
				if prog, err = ip.compile(c.node); err != nil {
					err = fmt.Errorf("%v (yaegi v0.16.1 cannot range over an integer: write for i := 0; i < n; i++)", err)
				}
			}
			if err != nil {
				return nil, false, ip.compileFailed(r, err)
			}
			if rv, err = ip.guard.execute(ctx, ip.yi, prog); err != nil {
				return nil, false, ip.runError(ctx, r, err)
			}
		}
		if c.kind == partImport {
			ip.recordImports(c.node.(*ast.File))
		}
		if c.value && rv.IsValid() && rv.Type() == noValue {
			continue // a call of an interpreted function without results
		}
		if c.value && rv.IsValid() && rv.CanInterface() {
			v, hasValue = rv.Interface(), true
			switch v.(type) {
			case *display.Handle, *display.ProgressBar:
				// display.Show(x) and display.Progress(...) have shown
				// their output already.
				v, hasValue = nil, false
			}
		}
	}
	return v, hasValue, nil
}

// callsMain reports whether a cell holds a program: declarations including
// func main(), and no statements.
func callsMain(progs []compiled) bool {
	hasMain := false
	for _, c := range progs {
		switch n := c.node.(type) {
		case *ast.BlockStmt:
			return false
		case *ast.File:
			for _, d := range n.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == mainName && fd.Type.Params.NumFields() == 0 {
					hasMain = true
				}
			}
		}
	}
	return hasMain
}

// wrapValue makes a trailing expression of an interpreted type with a
// MIMEBundle method render as its bundle, and one with a String method as
// its string: once the user has declared such a method, the trailing expression x (not a call, or a call of a
// function of the user's with one result) becomes __plasticnb.Value(x),
// whose argument yaegi wraps so that the compiled renderer sees the
// method.
func (ip *Interp) wrapValue(body *ast.BlockStmt) {
	ip.declMu.Lock()
	defer ip.declMu.Unlock()
	if !ip.hasBundler {
		return
	}
	es := body.List[len(body.List)-1].(*ast.ExprStmt)
	if call, ok := es.X.(*ast.CallExpr); ok {
		id, ok := call.Fun.(*ast.Ident)
		if !ok || ip.decls[id.Name] == nil {
			return
		}
		// A call of a function with one result, or a conversion.
		if d := ip.decls[id.Name]; d.results != 1 && !(d.isType && len(call.Args) == 1) {
			return
		}
	}
	// "v := x; __plasticnb.Value(v)": yaegi wraps a variable passed to a
	// compiled function, not the result of a call.
	tmp := ast.NewIdent("__plasticnbValue")
	assign := &ast.AssignStmt{Lhs: []ast.Expr{tmp}, Tok: token.DEFINE, TokPos: es.X.Pos(), Rhs: []ast.Expr{es.X}}
	es.X = &ast.CallExpr{
		Fun:    &ast.SelectorExpr{X: ast.NewIdent(hookName), Sel: ast.NewIdent("Value")},
		Lparen: es.X.Pos(), Args: []ast.Expr{ast.NewIdent(tmp.Name)}, Rparen: es.X.End(),
	}
	body.List = append(body.List[:len(body.List)-1], assign, es)
}

// render renders the value of a cell. A value of an interpreted type with
// a MIMEBundle method arrives wrapped by yaegi (a struct with an IValue
// field): its text/plain fallback shows the value, not the wrapper.
func (ip *Interp) render(v any) display.Bundle {
	b := ip.disp.Render(v)
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return b
	}
	inner := rv.FieldByName("IValue")
	if !inner.IsValid() || !inner.CanInterface() {
		return b
	}
	if m, ok := v.(display.MIMEBundler); ok {
		if _, has := m.MIMEBundle()[string(display.MIMEPlain)]; !has {
			// IValue does not hold the whole value in yaegi v0.16.1; the
			// variable wrapValue assigned does.
			if g, ok := ip.yi.Globals()["__plasticnbValue"]; ok && g.IsValid() && g.CanInterface() {
				b.Data[display.MIMEPlain] = display.Text(g.Interface())
			}
		}
	}
	return b
}

// noValue is the type of what yaegi returns for a declaration or a call of
// an interpreted function without results.
var noValue = reflect.TypeOf((*any)(nil))

// compile compiles a part, turning a panic of yaegi's compiler into an
// error.
func (ip *Interp) compile(n ast.Node) (prog *interp.Program, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("the interpreter failed on this code: %v", x)
		}
	}()
	return quietly(func() (*interp.Program, error) { return ip.yi.CompileAST(n) })
}

// compileFailed converts the error of a part that did not compile: a name
// the cell uses that nothing declares, if there is one, is the error.
func (ip *Interp) compileFailed(r *run, err error) *cell.Error {
	if e := ip.undefinedError(r); e != nil {
		return e
	}
	return compileError(err)
}

// parsePart parses one part of the cell into the interpreter's file set,
// with positions naming the cell's lines and columns, and applies the
// source rewrites.
func (ip *Interp) parsePart(file, code string, p part) (compiled, error) {
	c, err := parsePart(ip.yi.FileSet(), file, code, p)
	if err != nil {
		return c, err
	}
	pkgs := ip.imports(code)
	isVar := func(pkg, name string) bool {
		if pkg == "" {
			return ip.isCompiledVar(name)
		}
		p, ok := pkgs[pkg]
		if !ok {
			return false
		}
		v, ok := ip.yi.Symbols(p)[p][name]
		return ok && v.IsValid() && v.CanAddr() // variables are stored addressable
	}
	isInt := func(name string) bool {
		v, ok := ip.globals()[name]
		return ok && v.IsValid() && v.CanInt()
	}
	rewrite(ip.yi.FileSet(), c.node, isVar, isInt)
	guardCalls(c.node, ip.guard, pkgs)
	guardAllocs(c.node)
	return c, nil
}

// parsePart parses one part of the cell into fset: statements inside a
// function body, imports and declarations in a file. A //line directive
// makes positions name the cell's lines and columns.
func parsePart(fset *token.FileSet, file, code string, p part) (compiled, error) {
	line, col := lineCol(code, p.start)
	directive := fmt.Sprintf("//line %s:%d:%d\n", file, line, col)
	text := code[p.start:p.end]
	mode := parser.ParseComments | parser.DeclarationErrors
	if p.kind == partStmt {
		src := "package main; func main() {\n" + directive + text + "\n}"
		f, err := parser.ParseFile(fset, file, src, mode)
		if err != nil {
			return compiled{}, atEnd(err, code, p)
		}
		body := f.Decls[0].(*ast.FuncDecl).Body
		c := compiled{kind: p.kind, node: body, unresolved: f.Unresolved}
		if n := len(body.List); n > 0 {
			if es, ok := body.List[n-1].(*ast.ExprStmt); ok && showsValue(es.X) {
				c.value = true
			}
		}
		return c, nil
	}
	src := "package main\n" + directive + text + "\n"
	f, err := parser.ParseFile(fset, file, src, mode)
	if err != nil {
		return compiled{}, atEnd(err, code, p)
	}
	return compiled{kind: p.kind, node: f, unresolved: f.Unresolved}, nil
}

// atEnd rewrites parse errors found in the wrapper after the part (its
// closing brace) into "unexpected end of the cell" at the part's end.
func atEnd(err error, code string, p part) error {
	var list scanner.ErrorList
	if !errors.As(err, &list) {
		return err
	}
	line, col := lineCol(code, p.end)
	for _, e := range list {
		if e.Pos.Line > line || e.Pos.Line == line && e.Pos.Column > col {
			e.Pos.Line, e.Pos.Column = line, col
			e.Msg = "unexpected end of the cell (" + e.Msg + ")"
		}
	}
	return list
}

// showsValue reports whether a trailing expression statement shows its
// value: not a call of a printing function (fmt.Print*, fmt.Fprint*,
// log.*, print, println), whose results nobody wants to see.
func showsValue(x ast.Expr) bool {
	call, ok := x.(*ast.CallExpr)
	if !ok {
		return true
	}
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name != "print" && fn.Name != "println"
	case *ast.SelectorExpr:
		pkg, ok := fn.X.(*ast.Ident)
		if !ok {
			return true
		}
		switch pkg.Name {
		case "fmt":
			return !strings.HasPrefix(fn.Sel.Name, "Print") && !strings.HasPrefix(fn.Sel.Name, "Fprint")
		case "log":
			return false
		}
	}
	return true
}

// lineCol returns the 1-based line and column (in bytes) of offset off.
func lineCol(code string, off int) (line, col int) {
	line = 1 + strings.Count(code[:off], "\n")
	col = off - strings.LastIndexByte(code[:off], '\n')
	return line, col
}
