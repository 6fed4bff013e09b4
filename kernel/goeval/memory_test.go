package goeval

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// recovered runs f and returns its panic value.
func recovered(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func TestAllocationHooks(t *testing.T) {
	if _, ok := FreeMemory(); !ok {
		t.Skip("no /proc/meminfo")
	}
	var b byte
	// A slice header with a capacity of 1 TiB, which allocates nothing.
	hugeFull := unsafe.Slice(&b, 1<<40)
	for _, tc := range []struct {
		name string
		f    func()
		want string // prefix of the errMemory message; "" for no panic
	}{
		{"make small", func() { hookMake([]float64(nil), 1000) }, ""},
		{"make untyped float constant", func() { hookMake([]float64(nil), 1e3) }, ""},
		{"make negative passes on", func() { hookMake([]float64(nil), -1) }, ""},
		{"make 1 TiB", func() { hookMake([]float64(nil), int64(1)<<37) }, "out of memory: make([]float64, 137438953472) asks for 1024.0 GiB, and "},
		{"make overflowing", func() { hookMake([]float64(nil), uint64(1)<<62) }, "out of memory: make([]float64, 4611686018427387904) asks for "},
		{"make map", func() { hookMake(map[int64]int64(nil), 1<<36) }, "out of memory: make(map[int64]int64, 68719476736) asks for 1024.0 GiB"},
		{"make chan", func() { hookMake((chan [1024]byte)(nil), 1<<30) }, "out of memory: make(chan [1024]uint8, 1073741824) asks for 1024.0 GiB"},
		{"grow within capacity", func() { hookGrow(hugeFull[:0], 1) }, ""},
		{"grow a full 1 TiB slice", func() { hookGrow(hugeFull, 1) }, "out of memory: append to a []uint8 of length 1099511627776 asks for 2048.0 GiB"},
		{"new 1 TiB array", func() { hookNew((*[1 << 40]byte)(nil)) }, "out of memory: new([1099511627776]uint8) asks for 1024.0 GiB"},
	} {
		v := recovered(tc.f)
		var e *errMemory
		if err, ok := v.(error); ok {
			errors.As(err, &e)
		}
		switch {
		case tc.want == "" && v != nil:
			t.Errorf("%s: panicked with %v; want no panic", tc.name, v)
		case tc.want != "" && (e == nil || !strings.HasPrefix(e.Error(), tc.want)):
			t.Errorf("%s: panic %v; want %q...", tc.name, v, tc.want)
		}
	}
}

func TestBytesString(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		want string
	}{{100, "100 bytes"}, {3 << 20, "3.0 MiB"}, {32 << 30, "32.0 GiB"}} {
		if got := bytesString(tc.n); got != tc.want {
			t.Errorf("bytesString(%d) = %q; want %q", tc.n, got, tc.want)
		}
	}
}

func TestSoftMemoryLimit(t *testing.T) {
	limit, ok := SoftMemoryLimit(1 << 20)
	if !ok {
		t.Skip("no /proc/meminfo")
	}
	free, _ := FreeMemory()
	if limit <= 0 || uint64(limit) < free/2 {
		t.Errorf("SoftMemoryLimit = %d; want at least half of the %d bytes free", limit, free)
	}
}

func ExampleFreeMemory() {
	free, ok := FreeMemory()
	fmt.Println(ok, free > 0)
	// Output: true true
}
