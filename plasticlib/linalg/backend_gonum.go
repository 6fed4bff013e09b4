//go:build !(openblas && cgo)

package linalg

// Backend reports the BLAS implementation in use: "gonum" (pure Go) here.
func Backend() string { return "gonum" }

// Threads reports the number of threads a BLAS call uses: always 1 for
// gonum's pure-Go BLAS.
func Threads() int { return 1 }

// Core reports the CPU kernels in use: "go" (gonum's own) here.
func Core() string { return "go" }

// CoreDetected reports "go", as Core.
func CoreDetected() string { return "go" }
