package goeval

// The standard library's generic functions are not in yaegi's symbol
// tables (a compiled generic function has no reflect.Value), and yaegi
// v0.16.1 ships as interpreted source only part of slices (Index,
// Contains, Equal, Insert, ...), maps (Clone, Copy, Equal, DeleteFunc) and
// cmp: its slices/sort.go is disabled ("FIXME: support the following" in
// its stdlib/generic), so slices.Sort, slices.Max and the other sorting
// functions, and maps.Keys and maps.Values, are undefined. New compiles
// the source below, the kernel's own, into the same packages.
//
// slices.Sort of a []int, []float64 or []string calls package sort's
// compiled functions; other element types sort in interpreted code. Range
// over functions does not work in yaegi v0.16.1, so maps.Keys and
// maps.Values return a func(yield func(K) bool) (an iter.Seq[K] in Go) to
// pass to slices.Collect or slices.Sorted: slices.Sorted(maps.Keys(m)).
//
// The canary in generics_test.go fails once yaegi defines slices.Sort
// itself: then this file is to be deleted.

// genericSources are compiled by New, in order.
var genericSources = []string{`package slices

import (
	"cmp"
	"sort"
)

// Sort sorts x in increasing order (NaNs first, as Go's slices.Sort).
func Sort[E cmp.Ordered](x []E) {
	switch v := any(x).(type) {
	case []int:
		sort.Ints(v)
		return
	case []float64:
		sort.Float64s(v)
		return
	case []string:
		sort.Strings(v)
		return
	}
	SortFunc(x, func(a, b E) int { return cmp.Compare(a, b) })
}

// SortFunc sorts x by cmp (a heap sort: not stable).
func SortFunc[E any](x []E, cmp func(a, b E) int) {
	n := len(x)
	for i := n/2 - 1; i >= 0; i-- {
		siftDown(x, i, n, cmp)
	}
	for end := n - 1; end > 0; end-- {
		x[0], x[end] = x[end], x[0]
		siftDown(x, 0, end, cmp)
	}
}

func siftDown[E any](x []E, root, n int, cmp func(a, b E) int) {
	for {
		child := 2*root + 1
		if child >= n {
			return
		}
		if child+1 < n && cmp(x[child], x[child+1]) < 0 {
			child++
		}
		if cmp(x[root], x[child]) >= 0 {
			return
		}
		x[root], x[child] = x[child], x[root]
		root = child
	}
}

// SortStableFunc sorts x by cmp, keeping the order of equal elements (a bottom-up merge sort).
func SortStableFunc[E any](x []E, cmp func(a, b E) int) {
	buf := make([]E, len(x))
	for width := 1; width < len(x); width *= 2 {
		for lo := 0; lo < len(x); lo += 2 * width {
			mid, hi := lo+width, lo+2*width
			if mid > len(x) {
				mid = len(x)
			}
			if hi > len(x) {
				hi = len(x)
			}
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if cmp(x[j], x[i]) < 0 {
					buf[k] = x[j]
					j++
				} else {
					buf[k] = x[i]
					i++
				}
				k++
			}
			k += copy(buf[k:], x[i:mid])
			copy(buf[k:], x[j:hi])
		}
		copy(x, buf)
	}
}

// IsSorted reports whether x is sorted in increasing order.
func IsSorted[E cmp.Ordered](x []E) bool {
	for i := 1; i < len(x); i++ {
		if cmp.Less(x[i], x[i-1]) {
			return false
		}
	}
	return true
}

// Min returns the smallest element of x; it panics if x is empty.
func Min[E cmp.Ordered](x []E) E {
	if len(x) == 0 {
		panic("slices.Min: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if v < m {
			m = v
		}
	}
	return m
}

// Max returns the largest element of x; it panics if x is empty.
func Max[E cmp.Ordered](x []E) E {
	if len(x) == 0 {
		panic("slices.Max: empty list")
	}
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

// BinarySearch finds target in the sorted x: its position (or where it
// would be inserted) and whether it is there.
func BinarySearch[E cmp.Ordered](x []E, target E) (int, bool) {
	lo, hi := 0, len(x)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if cmp.Less(x[mid], target) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(x) && cmp.Compare(x[lo], target) == 0
}

// Collect returns the values of seq in a new slice.
func Collect[E any](seq func(yield func(E) bool)) []E {
	var s []E
	seq(func(v E) bool {
		s = append(s, v)
		return true
	})
	return s
}

// Sorted returns the values of seq in a new, sorted slice.
func Sorted[E cmp.Ordered](seq func(yield func(E) bool)) []E {
	s := Collect(seq)
	Sort(s)
	return s
}
`, `package maps

// Keys returns a sequence of the keys of m, in no particular order.
func Keys[K comparable, V any](m map[K]V) func(yield func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Values returns a sequence of the values of m, in no particular order.
func Values[K comparable, V any](m map[K]V) func(yield func(V) bool) {
	return func(yield func(V) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}
`}
