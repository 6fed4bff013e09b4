// Package linalg selects the BLAS implementation that plasticlib's matrix
// products run on.
//
// Built with the build tag "openblas" (and cgo), importing this package
// registers OpenBLAS, bound through gonum.org/v1/netlib/blas/netlib, as the
// implementation behind gonum's blas64 (and so behind gonum/mat), and sets
// OpenBLAS to a single thread: plasticlib parallelises across seeds and
// tangents with goroutines, and OpenBLAS's own threads make the small
// products of a time step far slower. Without the tag, gonum's pure-Go BLAS
// (the blas64 default) is used.
//
// What goes through blas64, and so through OpenBLAS when it is selected:
// the once-per-trial eligibility product of plasticlib/learn (a
// 200 x 1000 x 200 Dgemm: 1.7 ms in OpenBLAS, 5-12 ms in pure Go). The
// per-step matrix-vector product of network.Step deliberately stays on
// gonum's pure-Go Dgemv, which is as fast at N = 200 and lets goroutines
// run networks side by side without OpenBLAS's buffer lock.
//
// The package holds no mutable state of its own: the selection is made once,
// in init, on blas64's process-wide implementation. It is the lowest layer of
// plasticlib and imports nothing else from it.
package linalg
