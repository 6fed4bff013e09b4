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
// the trace products of plasticlib/learn (a 200 x 1000 x 200 product per
// trial, in blocks) and plasticlib/meta's products, through Gemm (which
// tiles them on gonum's backend so that gonum's Dgemm neither starts
// goroutines nor allocates). The per-step matrix-vector product of
// network.Step goes through MatVec instead: an assembly kernel (AVX-512, or
// AVX + FMA3, in linalg/internal/fma: Go assembly cannot share a package
// with cgo) or gonum's pure-Go Dgemv, without a cgo call per step, so that
// goroutines can run networks side by side without OpenBLAS's buffer lock.
// Neither allocates; both mutate only their output argument, which must
// not alias the inputs. Tanh is math.Tanh over a slice, bit for bit, on
// the same assembly kernels' CPUs vectorised.
//
// OpenBLAS picks its CPU kernels when it is loaded; where it does not know
// the CPU and falls back to its oldest x86-64 kernels (Prescott), linalg
// selects the newest the CPU supports instead, unless OPENBLAS_CORETYPE
// says otherwise (Core, CoreDetected).
//
// Precision selects float64 (the default) or float32 for a computation
// that offers both; the float32 counterparts are MatVec32, Tanh32 and
// Gemm32 (blas32, through OpenBLAS's sgemm when it is selected).
//
// The package holds no mutable state of its own: the selection is made once,
// in init, on blas64's process-wide implementation (and the CPU's features
// are read once). It is the lowest layer of
// plasticlib and imports nothing else from it.
package linalg
