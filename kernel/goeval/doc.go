// Package goeval is the kernel's Go interpreter: it runs notebook cells
// with github.com/traefik/yaegi v0.16.1, keeping their state from cell to
// cell, and answers completion, inspection and is_complete requests. Its
// *Interp implements cell.Interpreter.
//
// It is the interpreter layer: it sees cell.Request and cell.Output, never
// a socket or a wire message, and imports nothing of kernel/wire,
// kernel/transport or package kernel.
//
// # Cells
//
// A cell may mix imports, declarations (func, methods, type, var, const,
// generic functions) and statements in any order. yaegi cannot evaluate
// such a mix at once, so Execute cuts the cell into its top-level units
// with go/scanner, moves the imports first, and merges adjacent
// declarations and adjacent statements into parts. Each part is parsed
// with go/parser behind a //line directive, so every position (compile
// errors, panic tracebacks) names the cell's own line and column, as in
// "cell:3:5: undefined: x"; the parts are then rewritten (below),
// compiled and run in order. A cell stops at its first failing part.
//
// Declarations and variables live in one global scope shared by all cells:
// a later cell may redefine a function or a variable (x := "now a string"
// after x := 1), and see everything earlier cells declared. Imports too
// are shared: a cell may import a package again (re-running a cell), which
// does nothing, but not import another package under a name already in
// use. Package display is imported for every cell, as display. A package
// clause is ignored, and a cell holding only declarations including
// func main() (a whole program pasted in) runs main. (yaegi runs a
// function named main after every later compilation once one exists, so
// the kernel renames main in cells.)
//
// # Magics: %go get and %%compile
//
// Lines "%go get MODULE[@VERSION]" at the top of a cell fetch a module and
// load a plugin of its packages (kernel/plugins, Options.Plugins), so
// that a later import of them runs compiled code; the rest of the cell
// runs as Go, its lines keeping their numbers. A cell whose first line is
// "%%compile" is compiled, not interpreted: its declarations become a
// plugin whose table of names (unexported ones too) is registered under
// a path of its own and dot-imported into the cells' file, so that later
// cells call its functions, use its types (real compiled types: a value
// is a task.Task where its methods say so) and read and assign its
// variables (assignments become "*&v = x": yaegi takes a dot-imported
// variable for a constant) by their names. Its compile errors name the
// cell's lines, and a name an interpreted cell declared is said to be
// one. With Options.Plugins nil or unavailable, both magics fail with one
// sentence saying why (magics.go).
//
// # Values and output
//
// If the cell's last statement is an expression, its value is the cell's
// Result.Value, rendered by display.Render: text/plain for ordinary values,
// formatted with %+v, strings unquoted (as gophernotes shows them), and
// rich bundles for display.Markdown/HTML/LaTeX/SVG/PNG, image.Image,
// *plot.Plot (PNG, 800x600) and values with a MIMEBundle method, also of
// types declared in cells (whose String method is used for text/plain
// too). Calls of printing functions (fmt.Print*,
// fmt.Fprint*, log.*, print, println), calls of interpreted functions
// without results, and the *display.Handle and
// *display.ProgressBar that display.Show and display.Progress return show
// no value.
//
// What the cell prints streams to out as it is written: fmt.Print*, log,
// and package display. With Options.Stdio set, output of compiled code
// (plasticlib, gonum, os.Stdout and os.Stderr written directly) is
// captured from the process's file descriptors and streamed too, and the
// interpreter writes its own output through the same descriptors so that
// order is kept within each stream; Execute returns after everything the
// cell printed has been delivered. Output of goroutines that outlive their
// cell goes to the last cell's output.
//
// Standard input: fmt.Scan, fmt.Scanln and fmt.Scanf read lines that
// Output.Input asks the frontend for (input_request) when the request
// allows stdin; otherwise they return an error saying that the frontend
// does not allow input. os.Stdin itself is empty.
//
// Package display's Show, Clear and Progress are bound, in this
// interpreter's symbol table, to the methods of a display.Display whose
// sink is the running cell's output, and display.CellContext to the
// running cell's context.
//
// # Errors
//
// Every failure is a Result.Err and leaves the interpreter usable with its
// state intact:
//
//   - "CompileError": a syntax or type error, its value naming the cell
//     line and column;
//   - "panic": a panic, nil dereference, out-of-range index, write to a nil
//     map, with a traceback of the interpreted functions it went through
//     (yaegi's own panic lines on standard error are diverted into it, never
//     shown as stream output);
//   - "panic" with the value "in a goroutine: ..." for a panic in a
//     goroutine the cell started. The goroutine's own deferred calls run
//     before the kernel's recover, so a cell that waits for the goroutine
//     with a WaitGroup may end first: the panic is then reported on the
//     stderr of the last cell instead, as soon as it is recovered;
//   - "Interrupted": the context of Execute was cancelled. yaegi stops
//     interpreted code (loops, time.Sleep, channel operations) within
//     milliseconds; a long call into compiled code stops only if it watches
//     a context: pass it display.CellContext(), the running cell's context
//     (plasticlib's long calls take one).
//
// # Guards: depth, memory, names
//
// Two more rewrites keep a cell from taking the kernel down (depth.go,
// memory.go):
//
//   - each function a cell declares that calls anything interpreted
//     starts with a check of the nesting of interpreted calls: past
//     Options.MaxDepth (DefaultMaxDepth, 100000; PLASTICNB_MAX_DEPTH in
//     the kernel) the cell fails with "recursion too deep: N nested
//     calls, in f at cell:L:C", and after an interrupt every new call
//     returns at once, so that an interrupt stops a deep recursion too
//     (yaegi alone keeps calling). The state survives. It costs a
//     call-heavy function about 0.7 µs per call;
//   - make, append growth (of a name or a field) and new of an array type
//     are checked, from 64 MiB up, against the memory available
//     (MemAvailable, or the cgroup's memory.max, less 5% of the total):
//     one that cannot fit panics with "out of memory: make([]float64,
//     4294967296) asks for 32.0 GiB, and 21.7 GiB are free". Other
//     allocations (var of a large array, a string concatenation) are not
//     checked. Each check is a call into compiled code: a loop of 10^6
//     single appends takes 0.5-0.7 s with it, 0.15-0.2 s without (2-core
//     machine). The kernel sets a soft memory limit of 90% of the memory
//     available at start (unless GOMEMLIMIT is set).
//
// When a part fails to compile, a name that nothing declares is the
// error: "undefined: network (add import
// "github.com/plasticnb/plasticnb/plasticlib/network")" where yaegi would
// say "constant definition loop" or crash (undefined.go). yaegi's
// compiler log lines ("nil type") are kept out of the cells' output, and
// an import of a package the kernel does not hold says so instead of
// speaking of GOPATH.
//
// The standard library's slices.Sort, SortFunc, SortStableFunc, IsSorted,
// Min, Max, BinarySearch, Collect, Sorted and maps.Keys and Values, which
// yaegi does not ship, are the kernel's own interpreted source
// (generics.go); maps.Keys returns a func to pass to slices.Sorted or
// slices.Collect (range over functions does not work). Declaring a
// variable outside functions straight from one of them whose result type
// depends on the argument ("ks := slices.Collect(maps.Keys(m))") can fail;
// declare it with its type or inside a function.
//
// # Source rewrites for yaegi v0.16.1
//
// yaegi v0.16.1 is the newest release the module proxy serves (a
// pseudo-version of its main branch is refused: "This module version is
// not available"), so the workarounds stay. Those with their own file
// have a canary test on bare yaegi that fails once upstream fixes the bug
// (canary_test.go, generics_test.go).
//
// Each part is rewritten before it is compiled:
//
//   - Each go statement recovers a panic of its goroutine and reports it to
//     the cell (unrecovered, a panic in an interpreted goroutine ends the
//     whole process). "go f(x, y)" becomes "func() { a, b := x, y; go
//     func() { defer recover...; f(a, b) }() }()", so the arguments are still
//     evaluated at the go statement.
//   - A function literal made inside a loop gets its own copies of the
//     loop-scoped variables it reads but does not assign: Go 1.22's
//     per-iteration loop variables, and a fix for yaegi issues 1594, 1634
//     and 1713, where closures made in a loop (also those passed to compiled
//     code, such as plotter.NewFunction or sort.Slice) all share one
//     variable.
//   - "r, err := ..." at the top of a function body whose parameter or named
//     result is err assigns that err instead of declaring a new one (yaegi
//     issue 1640).
//   - An assignment to an exported variable of a compiled package,
//     "plotter.DefaultLineStyle = ..." or "plotter.DefaultFontSize = 20",
//     becomes "*&pkg.V = ...": yaegi v0.16.1 silently loses the first and
//     rejects the second ("cannot assign to ... constant").
//   - A comma-ok declaration in a cell's statements outside functions,
//     "v, ok := m[k]" or "v, ok := x.(T)", also as the init of an if or a
//     switch, on which yaegi fails with "nil type", becomes
//     "v := m[k]; var ok bool; func() { v, ok = m[k] }()" (the index
//     expression is evaluated twice) or "var v T; ...". "v, ok := <-ch" is
//     left as it is and still fails.
//   - A defer in a cell's statements outside functions, which yaegi runs at
//     the start of every later evaluation, runs when the cell ends, last
//     first (its function and arguments evaluated at the defer statement).
//   - A type switch binding a variable ("switch v := x.(type)") outside
//     functions, on which yaegi's compiler panics, runs inside a function
//     literal (not if it continues or jumps out of the switch).
//   - "for i := range n" over an integer (Go 1.22), which yaegi cannot
//     compile, becomes a counting loop: at once for literals, len(...),
//     arithmetic and integer variables of earlier cells; for other
//     operands after yaegi fails with "nil type" (yaegi has then logged
//     "nil type" on standard error, which shows in the cell).
//   - A parallel assignment whose values include a call, "n.N, n.Dt = 50,
//     f()", of which yaegi assigns only the calls' values (also inside
//     functions), assigns through temporaries: the places' indexes first,
//     then the values in order, as Go specifies.
//   - A statement outside functions holding, in a nested block, a
//     declaration of several variables from one call ("n, err :=
//     strconv.Atoi(s)" in a loop body), which yaegi does not declare
//     ("undefined: n") or fails to compile, runs in a function literal
//     (not if it returns or jumps out).
//   - A part whose declarations outside functions index a value
//     ("v := hist.Errors[i]", "x := m.RawMatrix().Data[0] * 2"), which
//     yaegi cannot type when the value is of a compiled type (and after
//     which its scope can stay broken), runs one statement at a time; each
//     indexed operand that is not a variable is evaluated first into a
//     hidden variable, and the index runs inside "func() E { return
//     x[i] }()", E being the element type read from the value (index.go).
//     A declaration from a call of a generic function of a cell with one
//     result ("y := Max(a, b) + 1"), which yaegi cannot type there either
//     ("nil reflect type"), evaluates the call first into a hidden
//     variable h := any(Max(a, b)) and declares from h.(T), T the type of
//     the value. A compile error in a later statement of such a part is
//     then reported after the earlier statements have run.
//
// The cell corpus in corpus_test.go shows each of these.
//
// # What remains (yaegi v0.16.1 limitations the kernel does not fix)
//
//   - A closure made in a loop that assigns a loop-scoped variable still
//     shares it across iterations, and &v of a loop variable is the same
//     pointer on every iteration (pre-Go 1.22).
//   - A type cannot be redefined with a different structure: the first
//     definition stays ("too many values in struct literal"); use a new
//     name.
//   - Range over functions (Go 1.23 iterators) is not supported, nor are
//     the generic functions of the standard library that neither yaegi
//     nor generics.go provide (slices.Reverse fails in yaegi's own
//     source).
//   - "v, ok := <-ch" outside functions fails ("nil type"); receive inside
//     a function, or use a select.
//   - Inferring two type parameters from a function literal argument
//     fails; write the type arguments out.
//   - Declaring variables outside functions from a generic function of a
//     cell with several results ("a, b := Pair(x)"), or from the function
//     itself ("f := Id[int]"), fails; a generic function returning an
//     interface gives the variable the dynamic type of what it returned
//     (or any, if that type cannot be named).
//   - A panic in a goroutine started by compiled code that calls back into
//     interpreted code is not recovered and ends the process.
//   - os.Stdin in a cell is empty (at end of file): read input with
//     fmt.Scan*, which asks the frontend, not with bufio.NewReader(os.Stdin).
//     (yaegi binds only fmt's Scan functions to the interpreter's input.)
//   - display.Show wraps a value of a cell's type with a MIMEBundle method
//     so that its bundle is used; Handle.Update does not (it shows the
//     value's text): pass such values to Show, or call their MIMEBundle
//     and Update with a display.Bundle.
//   - An interrupted cell whose compiled call ignores its context keeps
//     running in the background; the next cell then shares the interpreter
//     with it.
//   - Interpreted code runs about 85 times slower than compiled Go: keep
//     heavy loops in compiled packages, or in a %%compile cell.
//
// # Cost
//
// New takes about 8 ms and 2 MB (BenchmarkNew, 2-core machine): the
// symbol tables are copied into the interpreter. A trivial cell
// (x := 1) takes about 30 µs, a cell whose value is an 800x600 plot about
// 25 ms including the PNG encoding (go test -bench . ./kernel/goeval).
package goeval
