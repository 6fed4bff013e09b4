package goeval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/traefik/yaegi/interp"
)

// DefaultMaxDepth is the default limit on nested calls of interpreted
// functions (Options.MaxDepth). yaegi uses about 2 KB of Go stack per
// interpreted call (a recursion 100000 deep took 0.26 s and 220 MB of
// stack here), and Go ends the process, uncatchably, when a goroutine's
// stack passes 1 GB: the limit stays well below that, and above what
// real cells reach.
const DefaultMaxDepth = 100000

// depthGuard counts the interpreted calls in progress and stops the
// evaluation when they nest past the limit, or when it is interrupted.
//
// Every function a cell declares (and every function literal that calls
// something) starts by deferring __plasticnb.Leave and calling
// __plasticnb.Enter(pos), returning zeros when Enter says so (guardBody
// gives the exact form). Once the guard has tripped, Enter returns true,
// so that each new call returns at once with zero results. This matters because yaegi cannot stop a recursion by itself:
// its interrupt stops the frames that were running, but every call made
// afterwards starts a new frame that runs (the reason an interrupt did
// not stop an endless recursion), and unwinding a panic through d
// interpreted frames takes time quadratic in d (3.4 s for 10000 frames,
// over a minute for 100000), so a panic cannot do it either.
//
// The count is over all goroutines of the interpreter: a recursion in a
// goroutine trips it as well.
type depthGuard struct {
	limit int64
	depth atomic.Int64
	// tripped is the cause of the stop, nil while cells run normally.
	tripped atomic.Pointer[error]

	mu     sync.Mutex
	cancel context.CancelCauseFunc // of the running evaluation
	names  map[int]string          // function names by position, for the message
	fset   *token.FileSet
}

// errDepth is the cause of an evaluation stopped by the depth limit.
type errDepth struct {
	depth int64
	limit int64
	fn    string
	pos   string
}

func (e *errDepth) Error() string {
	return fmt.Sprintf("runtime error: recursion too deep: %d nested calls, in %s at %s (an endless recursion? the limit is %d: Options.MaxDepth, PLASTICNB_MAX_DEPTH)",
		e.depth, e.fn, e.pos, e.limit)
}

// stopWait bounds how long a stopped evaluation waits for its calls to
// return. Unwinding 20000 frames takes well under a second on an idle
// core, but once did not finish within 3 s on 2 cores busy with other
// test packages (a CI rehearsal).
const stopWait = 15 * time.Second

// drainWait bounds how long a stopped evaluation waits for yaegi's own
// goroutine to leave Interpreter.Execute. ExecuteWithContext returns as
// soon as it is cancelled, while that goroutine goes on to run the
// program's global-variable initialisation on the interpreter's root
// frame, which resets its slots: when that happened after the next cell
// had started, the next cell's value was lost (TestInterrupt, about 1 run
// in 30 on 2 busy cores). A goroutine blocked in a compiled call
// (time.Sleep) never leaves, hence the bound.
const drainWait = 500 * time.Millisecond

// stale counts the goroutines that stopped evaluations, of any
// interpreter in the process, left inside yaegi's Interpreter.Execute
// (blocked in a compiled call), as counted after the last stop.
var stale atomic.Int64

// executing counts the goroutines inside yaegi's Interpreter.Execute, from
// their stacks (yaegi offers no other handle on them).
func executing() int {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Count(buf[:n], []byte("interp.(*Interpreter).Execute("))
		}
		buf = make([]byte, 2*len(buf))
	}
}

// errInterrupted is the cause of an evaluation stopped by an interrupt.
var errInterrupted = errors.New("the cell was interrupted")

// enter is Enter: it counts a call, and reports whether the call must
// return at once. The call stays counted only when enter returns false,
// and then *in is set in the same compiled call, so that leave (deferred
// before enter is called) uncounts exactly the calls that were counted.
func (g *depthGuard) enter(pos int, in *bool) bool {
	d := g.depth.Add(1)
	if g.tripped.Load() != nil {
		g.depth.Add(-1)
		return true
	}
	if d > g.limit {
		g.mu.Lock()
		name := g.names[pos]
		g.mu.Unlock()
		g.trip(&errDepth{depth: d, limit: g.limit, fn: name, pos: g.fset.Position(token.Pos(pos)).String()})
		g.depth.Add(-1)
		return true
	}
	*in = true
	return false
}

// leave is Leave: it uncounts the call if enter counted it.
func (g *depthGuard) leave(in *bool) {
	if *in {
		g.depth.Add(-1)
	}
}

// trip stops the running evaluation with cause err (the first cause
// wins).
func (g *depthGuard) trip(err error) {
	if !g.tripped.CompareAndSwap(nil, &err) {
		return
	}
	g.mu.Lock()
	cancel := g.cancel
	g.mu.Unlock()
	if cancel != nil {
		cancel(err)
	}
}

// execute runs prog under ctx with the guard armed. When the evaluation
// is stopped (interrupt or depth limit), it waits for the stopped calls to
// return (at most stopWait) before returning the cause, so that the next
// cell does not share the interpreter with a runaway recursion.
func (g *depthGuard) execute(ctx context.Context, yi *interp.Interpreter, prog *interp.Program) (rv reflect.Value, err error) {
	// A goroutine of an earlier cell may have tripped the guard after its
	// cell ended: new calls run again (and trip it again if it recurses on).
	g.tripped.Store(nil)
	base := g.depth.Load()
	ectx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	g.mu.Lock()
	g.cancel = cancel
	g.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { g.trip(errInterrupted) })
	defer stop()
	defer func() {
		g.mu.Lock()
		g.cancel = nil
		g.mu.Unlock()
	}()
	rv, err = yi.ExecuteWithContext(ectx, prog)
	if ectx.Err() == nil {
		return rv, err
	}
	cause := context.Cause(ectx)
	for deadline := time.Now().Add(stopWait); g.depth.Load() > base && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	// Counted only here: a stack dump on every cell cost a trivial cell
	// 65 us (BenchmarkTrivialCell, 108 -> 176 us).
	for deadline := time.Now().Add(drainWait); int64(executing()) > stale.Load() && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	stale.Store(int64(executing()))
	g.tripped.Store(nil)
	if errors.Is(cause, errInterrupted) || ctx.Err() != nil {
		return rv, ctx.Err()
	}
	return rv, cause
}

// named records the name of the function declared at pos.
func (g *depthGuard) named(pos token.Pos, name string) {
	g.mu.Lock()
	g.names[int(pos)] = name
	g.mu.Unlock()
}

// guardCalls adds the depth guard to the functions declared in n (see
// depthGuard). Functions that call nothing but the builtins and compiled
// packages' functions are left alone: they cannot recurse. The guard
// costs a call-heavy function about 0.7 µs per call (fib(24): 0.13 s
// without it, 0.22-0.34 s with it, on the 2-core machine).
func guardCalls(n ast.Node, g *depthGuard, pkgs map[string]string) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch f := n.(type) {
		case *ast.FuncDecl:
			if f.Body != nil && callsInterpreted(f.Body, pkgs) {
				name := f.Name.Name
				if name == mainName {
					name = "main"
				}
				if f.Recv != nil && len(f.Recv.List) > 0 {
					name = recvName(f.Recv.List[0].Type) + "." + name
				}
				g.named(f.Pos(), name)
				guardBody(f.Pos(), f.Type, f.Body)
			}
		case *ast.FuncLit:
			if callsInterpreted(f.Body, pkgs) {
				g.named(f.Pos(), "a function literal")
				guardBody(f.Pos(), f.Type, f.Body)
			}
		}
		return true
	})
}

// inName is the guarded function's local that pairs Enter with Leave.
const inName = hookName + "In"

// guardBody prepends "__plasticnbIn := false; defer
// __plasticnb.Leave(&__plasticnbIn); if __plasticnb.Enter(pos,
// &__plasticnbIn) { return *new(T1), ... }" to body.
//
// Leave is deferred before Enter counts the call: yaegi stops a frame
// between any two of its statements when the evaluation is stopped, and
// runs the deferred calls registered so far. With the order "if Enter
// ...; defer Leave()", a stop that fell between the two left the call
// counted for ever: the next stop then waited stopWait for a count that
// never came back (TestInterruptStopsDeepRecursion, 2 stops in 40).
//
// The new statements take the position of the body's first statement:
// yaegi names a frame in a panic's traceback by its body's first node.
func guardBody(fn token.Pos, ft *ast.FuncType, body *ast.BlockStmt) {
	pos := body.Lbrace
	if len(body.List) > 0 {
		pos = body.List[0].Pos()
	}
	ret := &ast.ReturnStmt{Return: pos}
	if ft.Results != nil {
		named := false
		for _, f := range ft.Results.List {
			if len(f.Names) > 0 {
				named = true
				break
			}
			ret.Results = append(ret.Results, &ast.StarExpr{Star: pos, X: &ast.CallExpr{
				Fun: &ast.Ident{NamePos: pos, Name: "new"}, Lparen: pos, Args: []ast.Expr{f.Type}, Rparen: pos}})
		}
		if named {
			ret.Results = nil
		}
	}
	hook := func(fn string, args ...ast.Expr) *ast.CallExpr {
		return &ast.CallExpr{Fun: &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: hookName}, Sel: ast.NewIdent(fn)},
			Lparen: pos, Args: args, Rparen: pos}
	}
	in := func() ast.Expr {
		return &ast.UnaryExpr{OpPos: pos, Op: token.AND, X: &ast.Ident{NamePos: pos, Name: inName}}
	}
	decl := &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: pos, Name: inName}}, TokPos: pos, Tok: token.DEFINE,
		Rhs: []ast.Expr{&ast.Ident{NamePos: pos, Name: "false"}}}
	leave := &ast.DeferStmt{Defer: pos, Call: hook("Leave", in())}
	enter := &ast.IfStmt{If: pos, Cond: hook("Enter", &ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: fmt.Sprint(int(fn))}, in()),
		Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{ret}, Rbrace: pos}}
	body.List = append([]ast.Stmt{decl, leave, enter}, body.List...)
}

// predeclared are the predeclared functions and types: calling them never
// recurses.
var predeclared = map[string]bool{}

func init() {
	for _, name := range strings.Fields(`append cap clear close complex copy delete imag len make max min new panic print println real recover
		bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any`) {
		predeclared[name] = true
	}
}

// callsInterpreted reports whether body calls anything but predeclared
// functions, conversions and functions of compiled packages (pkg.F, pkg
// an import).
func callsInterpreted(body *ast.BlockStmt, pkgs map[string]string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			found = !predeclared[fn.Name]
		case *ast.SelectorExpr:
			id, ok := fn.X.(*ast.Ident)
			found = !ok || (pkgs[id.Name] == "" && id.Name != hookName)
		case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StarExpr:
		default:
			found = true
		}
		return !found
	})
	return found
}
