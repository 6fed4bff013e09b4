package goeval

import (
	"github.com/plasticnb/plasticnb/kernel/symbols"

	"bytes"
	"context"
	"log"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// TestInterruptStopsDeepRecursion interrupts a cell that recurses deep,
// forever, under the depth limit (yaegi alone keeps calling after an
// interrupt), and checks that the kernel answers the next cell with its
// state. The interrupt comes at 30 different times, each 7 ms later
// than the one before, so that it falls between every two statements of
// the guarded function: with Leave deferred after Enter had counted the
// call, 2 stops in 40 left a call counted and waited stopWait.
func TestInterruptStopsDeepRecursion(t *testing.T) {
	ip := newInterp(t)
	run := func(ctx context.Context, code string) cell.Result {
		return ip.Execute(ctx, cell.Request{Code: code}, &recorder{})
	}
	run(context.Background(), "keep := 3\nfunc deep(n int) int {\n  if n == 0 {\n    return 0\n  }\n  return deep(n-1) + 1\n}")
	for i := range 30 {
		after := time.Duration(10+7*i) * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(after, cancel)
		start := time.Now()
		res := run(ctx, "for {\n  deep(20000)\n}")
		if res.Err == nil || res.Err.Name != "Interrupted" {
			t.Fatalf("recursion interrupted after %v: error %v; want Interrupted", after, res.Err)
		}
		if d := time.Since(start) - after; d >= stopWait {
			t.Errorf("interrupted after %v, the recursion took %v more to stop", after, d)
		}
		if d := ip.guard.depth.Load(); d != 0 {
			t.Fatalf("interrupted after %v, %d interpreted calls are counted in progress; want 0", after, d)
		}
	}
	res := run(context.Background(), "keep + deep(2)")
	if res.Err != nil || res.Value == nil || res.Value.Data["text/plain"] != "5" {
		t.Errorf("after the interrupts: %v %v; want 5", res.Err, res.Value)
	}
}

// TestDepthTrippedByGoroutine: a goroutine that outlives its cell and
// recurses forever trips the guard; later cells still run.
func TestDepthTrippedByGoroutine(t *testing.T) {
	ip := newInterp(t)
	res := ip.Execute(context.Background(), cell.Request{Code: "func forever(n int) int { return forever(n+1) + 1 }\ngo forever(0)"}, &recorder{})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for ip.guard.tripped.Load() == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	for ip.guard.depth.Load() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	res = ip.Execute(context.Background(), cell.Request{Code: "func one() int { return 1 }\nfunc two() int { return 1 + one() }\ntwo()"}, &recorder{})
	if res.Err != nil || res.Value == nil || res.Value.Data["text/plain"] != "2" {
		t.Errorf("after a goroutine tripped the guard: %v %v; want 2", res.Value, res.Err)
	}
}

func TestMaxDepthOption(t *testing.T) {
	for _, tc := range []struct {
		max  int
		n    int
		want string // error prefix, "" for none
	}{
		{max: 100, n: 50},
		{max: 100, n: 150, want: "panic: runtime error: recursion too deep: 101 nested calls, in down at cell:1:1"},
		{max: 0, n: 1000},
	} {
		ip, err := New(Options{Symbols: symbols.Symbols, MaxDepth: tc.max})
		if err != nil {
			t.Fatal(err)
		}
		res := ip.Execute(context.Background(), cell.Request{Code: "func down(n int) int { if n == 0 { return 0 }; return down(n-1) }\ndown(" + strconv.Itoa(tc.n) + ")"}, &recorder{})
		got := ""
		if res.Err != nil {
			got = res.Err.Name + ": " + res.Err.Value
		}
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) {
			t.Errorf("MaxDepth %d, down(%d): error %q; want %q", tc.max, tc.n, got, tc.want)
		}
	}
}

// TestNoInterpreterLogLines checks that what yaegi's compiler logs before
// it panics ("nil type", from a range over an integer parameter) never
// reaches the standard logger, whose output is the cell's.
func TestNoInterpreterLogLines(t *testing.T) {
	var buf bytes.Buffer
	w := log.Writer()
	log.SetOutput(&buf)
	defer log.SetOutput(w)
	ip := newInterp(t)
	res := ip.Execute(context.Background(), cell.Request{Code: "func f(n int) int {\n  s := 0\n  for i := range n {\n    s += i\n  }\n  return s\n}\nf(4)"}, &recorder{})
	if res.Err != nil || res.Value == nil || res.Value.Data["text/plain"] != "6" {
		t.Fatalf("f(4) = %v, %v; want 6", res.Value, res.Err)
	}
	if buf.Len() != 0 {
		t.Errorf("the standard logger got %q; want nothing", buf.String())
	}
}
