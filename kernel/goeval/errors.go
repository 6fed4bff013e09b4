package goeval

import (
	"context"
	"errors"
	"fmt"
	"go/scanner"
	"regexp"
	"strings"

	"github.com/traefik/yaegi/interp"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// compileError converts a parse or compile error.
func compileError(err error) *cell.Error {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := &cell.Error{Name: "CompileError", Value: list[0].Error()}
		for _, x := range list {
			e.Traceback = append(e.Traceback, x.Error())
		}
		if len(list) > 1 {
			e.Value += fmt.Sprintf(" (and %d more errors)", len(list)-1)
		}
		return e
	}
	msg := betterWording(err.Error())
	if strings.HasSuffix(msg, "constant definition loop") {
		// yaegi's message for most uses of an undefined name.
		msg += " (an undefined name, or a name used before its declaration?)"
	}
	return &cell.Error{Name: "CompileError", Value: msg, Traceback: []string{msg}}
}

// panicLine matches the lines yaegi prints on its standard error while a
// panic unwinds interpreted frames: "cell[3]:2:5: panic: main.f(...)".
var panicLine = regexp.MustCompile(`^(\S+:\d+:\d+): panic: (.*)\(\.\.\.\)\n?$`)

// runError converts an error of a running cell: an interrupt, a panic, or
// an error returned by the interpreter.
func (ip *Interp) runError(ctx context.Context, r *run, err error) *cell.Error {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return &cell.Error{Name: "Interrupted", Value: "the cell was interrupted",
			Traceback: []string{"Interrupted: the cell was interrupted"}}
	}
	r.mu.Lock()
	trace := r.trace
	r.trace = nil
	r.mu.Unlock()
	var depth *errDepth
	if errors.As(err, &depth) {
		return panicError("panic", depth, nil)
	}
	var p interp.Panic
	if errors.As(err, &p) {
		return panicError("panic", p.Value, trace)
	}
	msg := err.Error()
	if strings.HasPrefix(msg, r.file+":") {
		return &cell.Error{Name: "CompileError", Value: msg, Traceback: []string{msg}}
	}
	return panicError("panic", msg, trace)
}

// panicError builds the error of a panic: its value and the interpreted
// frames it went through, innermost first.
func panicError(name string, value any, trace []string) *cell.Error {
	msg := fmt.Sprint(value)
	if e, ok := value.(error); ok {
		msg = e.Error()
	}
	detail := ""
	if goMsg, ok := runtimeError(msg); ok {
		msg, detail = goMsg, "    (yaegi: "+fmt.Sprint(value)+")"
	}
	e := &cell.Error{Name: name, Value: msg, Traceback: []string{name + ": " + msg}}
	if detail != "" {
		e.Traceback = append(e.Traceback, detail)
	}
	for _, l := range trace {
		if m := panicLine.FindStringSubmatch(l); m != nil {
			fn := strings.TrimPrefix(m[2], "main.")
			switch fn {
			case "main":
				fn = "cell"
			case mainName:
				fn = "main"
			}
			e.Traceback = append(e.Traceback, fmt.Sprintf("    %s in %s", m[1], fn))
		}
	}
	return e
}

// runtimeError translates the reflect panics by which yaegi reports Go
// runtime errors into Go's own messages.
func runtimeError(msg string) (string, bool) {
	switch {
	case strings.HasPrefix(msg, "reflect: call of reflect.Value.") && strings.HasSuffix(msg, " on zero Value"),
		strings.HasPrefix(msg, "reflect: call of reflect.Value.") && strings.Contains(msg, "on nil"):
		return "runtime error: invalid memory address or nil pointer dereference", true
	case msg == "reflect: slice index out of range", msg == "reflect: array index out of range",
		msg == "reflect: string index out of range":
		return "runtime error: index out of range", true
	}
	return msg, false
}

// cellDefer is called by the rewrite of a defer statement in a cell's
// statements: f runs when the cell ends.
func (ip *Interp) cellDefer(f func()) {
	if r := ip.current(); r != nil {
		r.mu.Lock()
		r.defers = append(r.defers, f)
		r.mu.Unlock()
	}
}

// runDefers runs the cell's deferred functions, last first, and returns
// the error of the first that panicked.
func (r *run) runDefers() (first *cell.Error) {
	r.mu.Lock()
	defers := r.defers
	r.defers = nil
	r.mu.Unlock()
	for i := len(defers) - 1; i >= 0; i-- {
		func() {
			defer func() {
				if x := recover(); x != nil && first == nil {
					first = panicError("panic", x, nil)
				}
			}()
			defers[i]()
		}()
	}
	return first
}

// goPanic is called by the recover that the rewrite of go statements adds
// to each goroutine a cell starts.
func (ip *Interp) goPanic(v any) {
	r := ip.current()
	if r == nil {
		ip.reportLatePanic(v)
		return
	}
	r.mu.Lock()
	trace := r.trace
	r.trace = nil
	e := panicError("panic", v, trace)
	e.Value = "in a goroutine: " + e.Value
	e.Traceback[0] = "panic in a goroutine: " + fmt.Sprint(v)
	ended := r.cellEnded
	if !ended {
		r.goPanics = append(r.goPanics, e)
	}
	r.mu.Unlock()
	if ended {
		ip.reportLatePanic(v)
	}
}

// reportLatePanic reports a panic of a goroutine that outlived its cell on
// the last cell's standard error.
func (ip *Interp) reportLatePanic(v any) {
	if out := ip.output(); out != nil {
		out.Stream("stderr", fmt.Sprintf("panic in a goroutine (recovered after its cell ended): %v\n", v))
	}
}
