package goeval

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/token"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// The Go runtime cannot recover from a failed allocation: "fatal error:
// out of memory" ends the process, and every variable of the session with
// it. So the kernel checks the large allocations of interpreted code
// before they happen. guardAllocs rewrites, in every part,
//
//   - make(T, n) and make(T, n, c) into make(T, __plasticnb.Make((T)(nil), n), ...),
//   - append(s, x...) into append(s[:__plasticnb.Grow(s, k)], x...), s a
//     name or a field (k the number of values appended, or len(x)),
//   - new([N]E) into __plasticnb.New((*[N]E)(nil)).(*[N]E),
//
// and the hooks panic, with the size asked for and the size free, when
// the allocation cannot fit in the memory available (MemAvailable of
// /proc/meminfo, or what is left under the cgroup's memory.max, less a
// margin). Allocations under checkFrom are not checked (no file is read).
// Compiled code (plasticlib, gonum) checks its own sizes.

// checkFrom is the smallest allocation the hooks check against the
// memory available.
const checkFrom = 64 << 20

// errMemory is the panic value of an allocation that cannot fit.
type errMemory struct {
	what        string
	asked, free uint64
}

func (e *errMemory) Error() string {
	return fmt.Sprintf("out of memory: %s asks for %s, and %s are free (the kernel refuses allocations that would not fit, to keep the session alive)",
		e.what, bytesString(e.asked), bytesString(e.free))
}

// bytesString writes a size in GiB, MiB or bytes.
func bytesString(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkAlloc panics with an errMemory if n elements of size bytes cannot
// fit in the memory available.
func checkAlloc(what string, n, size uint64) {
	asked := n * size
	if size != 0 && asked/size != n {
		asked = math.MaxUint64
	}
	if asked < checkFrom {
		return
	}
	if free, ok := FreeMemory(); ok && asked > free {
		panic(&errMemory{what: what, asked: asked, free: free})
	}
}

// count converts an integer or a float of integral value (an untyped
// constant passed as any) to a count; negative sizes are passed on for
// make to reject.
func count(n any) (uint64, bool) {
	v := reflect.ValueOf(n)
	switch {
	case v.CanInt():
		return uint64(v.Int()), v.Int() >= 0
	case v.CanUint():
		return v.Uint(), true
	case v.CanFloat():
		return uint64(v.Float()), v.Float() >= 0
	}
	return 0, false
}

// hookMake is __plasticnb.Make: it checks make(T, n) and returns n as an
// int.
func hookMake(zero any, n any) int {
	c, ok := count(n)
	if ok {
		t := reflect.TypeOf(zero)
		size := uint64(t.Elem().Size())
		if t.Kind() == reflect.Map {
			size += uint64(t.Key().Size())
		}
		checkAlloc(fmt.Sprintf("make(%v, %d)", t, c), c, size)
	}
	switch v := reflect.ValueOf(n); {
	case v.CanInt():
		return int(v.Int())
	case v.CanUint():
		return int(v.Uint())
	case v.CanFloat():
		return int(v.Float())
	}
	panic(fmt.Sprintf("make: size of type %T", n))
}

// hookGrow is __plasticnb.Grow: it checks the reallocation appending add
// elements to s may make (Go at most doubles the capacity) and returns
// len(s).
func hookGrow(s any, add int) int {
	v := reflect.ValueOf(s)
	n := v.Len()
	if n+add > v.Cap() {
		newCap := uint64(2*v.Cap() + add)
		checkAlloc(fmt.Sprintf("append to a %v of length %d", v.Type(), n), newCap, uint64(v.Type().Elem().Size()))
	}
	return n
}

// hookNew is __plasticnb.New: new of an array type.
func hookNew(ptr any) any {
	t := reflect.TypeOf(ptr).Elem()
	checkAlloc(fmt.Sprintf("new(%v)", t), 1, uint64(t.Size()))
	return reflect.New(t).Interface()
}

// guardAllocs applies the rewrites above to n.
func guardAllocs(n ast.Node) {
	astutil.Apply(n, nil, func(c *astutil.Cursor) bool {
		call, ok := c.Node().(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || len(call.Args) == 0 {
			return true
		}
		pos := call.Pos()
		hook := func(fn string, args ...ast.Expr) *ast.CallExpr {
			return &ast.CallExpr{Fun: &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: hookName}, Sel: ast.NewIdent(fn)},
				Lparen: pos, Args: args, Rparen: pos}
		}
		typed := func(t ast.Expr) ast.Expr { // (T)(nil)
			return &ast.CallExpr{Fun: &ast.ParenExpr{Lparen: pos, X: t, Rparen: pos}, Lparen: pos,
				Args: []ast.Expr{&ast.Ident{NamePos: pos, Name: "nil"}}, Rparen: pos}
		}
		switch id.Name {
		case "make":
			if len(call.Args) < 2 {
				return true
			}
			for i := 1; i < len(call.Args); i++ {
				call.Args[i] = hook("Make", typed(call.Args[0]), call.Args[i])
			}
		case "append":
			if len(call.Args) < 2 || !sideEffectFree(call.Args[0]) {
				return true
			}
			var add ast.Expr = &ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: strconv.Itoa(len(call.Args) - 1)}
			if call.Ellipsis.IsValid() {
				last := call.Args[len(call.Args)-1]
				if !sideEffectFree(last) {
					return true
				}
				add = &ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: "len"}, Lparen: pos, Args: []ast.Expr{last}, Rparen: pos}
			}
			call.Args[0] = &ast.SliceExpr{X: call.Args[0], Lbrack: pos, High: hook("Grow", call.Args[0], add), Rbrack: pos}
		case "new":
			if at, ok := call.Args[0].(*ast.ArrayType); ok && at.Len != nil && len(call.Args) == 1 {
				ptr := &ast.StarExpr{Star: pos, X: at}
				c.Replace(&ast.TypeAssertExpr{X: hook("New", typed(ptr)), Lparen: pos, Type: ptr, Rparen: pos})
			}
		}
		return true
	})
}

// sideEffectFree reports whether x is a name or a chain of field
// selections (x, x.f, pkg.V.f), which can be evaluated twice.
func sideEffectFree(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return sideEffectFree(x.X)
	}
	return false
}

// FreeMemory returns the memory available to the process, in bytes, less
// a margin (5% of the total, at least 256 MiB): MemAvailable of
// /proc/meminfo, or less if the process's cgroup has a lower memory.max.
// ok is false where /proc/meminfo cannot be read.
func FreeMemory() (free uint64, ok bool) {
	avail, total, ok := meminfo()
	if !ok {
		return 0, false
	}
	if max, cur, ok := cgroupMemory(); ok && max < total {
		total = max
		if max > cur && max-cur < avail {
			avail = max - cur
		} else if max <= cur {
			avail = 0
		}
	}
	margin := max(total/20, 256<<20)
	if avail < margin {
		return 0, true
	}
	return avail - margin, true
}

// meminfo reads MemAvailable and MemTotal from /proc/meminfo, in bytes.
func meminfo() (avail, total uint64, ok bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	found := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseUint(fields[1], 10, 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "MemAvailable:":
			avail, found = kb<<10, found+1
		case "MemTotal:":
			total, found = kb<<10, found+1
		}
	}
	return avail, total, found == 2
}

// cgroupMemory reads the cgroup v2 memory.max and memory.current of the
// process, where it has a limit.
func cgroupMemory() (limit, current uint64, ok bool) {
	read := func(name string) (uint64, bool) {
		b, err := os.ReadFile("/sys/fs/cgroup/" + name)
		if err != nil {
			return 0, false
		}
		v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
		return v, err == nil
	}
	if limit, ok = read("memory.max"); !ok {
		return 0, 0, false
	}
	current, ok = read("memory.current")
	return limit, current, ok
}

// SoftMemoryLimit returns a soft memory limit for the kernel process
// (for debug.SetMemoryLimit): 90% of the memory available when it is
// called plus what the process uses already, so that the collector works
// harder before the machine swaps. ok is false where the memory available
// cannot be read.
func SoftMemoryLimit(inUse uint64) (limit int64, ok bool) {
	avail, total, ok := meminfo()
	if !ok {
		return 0, false
	}
	if max, _, ok := cgroupMemory(); ok && max < total {
		avail = min(avail, max)
	}
	return int64(float64(avail+inUse) * 0.9), true
}
