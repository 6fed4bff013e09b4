package goeval

import (
	"fmt"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// bareEval runs src on a yaegi interpreter with only the standard
// library, as upstream ships it.
func bareEval(t *testing.T, decl, expr string) (any, error) {
	t.Helper()
	yi := interp.New(interp.Options{})
	if err := yi.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	v, err := quietly(func() (v any, err error) {
		defer func() { // yaegi's compiler panics on some bugs
			if x := recover(); x != nil {
				err = fmt.Errorf("panic: %v", x)
			}
		}()
		if _, err := yi.Eval(decl); err != nil {
			return nil, err
		}
		rv, err := yi.Eval(expr)
		if err != nil || !rv.IsValid() || !rv.CanInterface() {
			return nil, err
		}
		return rv.Interface(), nil
	})
	return v, err
}

// TestCanaryLoopClosures: closures made in a loop share the loop variable
// on yaegi v0.16.1 (issues 1594, 1634, 1713), which loopvars.go works
// around. It fails once yaegi gives each iteration its own variable.
func TestCanaryLoopClosures(t *testing.T) {
	v, err := bareEval(t, "func g() int {\n  var fs []func() int\n  for i := 0; i < 2; i++ { fs = append(fs, func() int { return i }) }\n  return fs[0]()\n}", "g()")
	if err != nil {
		t.Fatal(err)
	}
	if v == 0 {
		t.Errorf("bare yaegi gives the first closure its own i (0): the bug is fixed upstream, delete loopvars.go")
	}
}

// TestCanaryRangeInt: yaegi v0.16.1 cannot compile a range over an
// integer variable, which rangeint.go works around. It fails once yaegi
// compiles it.
func TestCanaryRangeInt(t *testing.T) {
	_, err := bareEval(t, "func f(n int) int { s := 0; for i := range n { s += i }; return s }", "f(4)")
	if err == nil || !strings.Contains(err.Error(), "nil type") {
		t.Errorf("bare yaegi compiles a range over an integer: the bug is fixed upstream, delete rangeint.go")
	}
}
