//go:build !amd64

package fma

// MatVec4 reports false: no kernel on this architecture.
func MatVec4(y []float64, a []float64, lda int, x []float64, m, n int) bool { return false }

// Kernel reports "": no kernel on this architecture.
func Kernel() string { return "" }
