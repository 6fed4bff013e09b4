//go:build !amd64

package fma

// MatVec4 reports false: no kernel on this architecture.
func MatVec4(y []float64, a []float64, lda int, x []float64, m, n int) bool { return false }

// Kernel reports "": no kernel on this architecture.
func Kernel() string { return "" }

// Tanh sets nothing and reports 0: no kernel on this architecture.
func Tanh(dst, src []float64) int { return 0 }

// MatVec4F32 reports false: no kernel on this architecture.
func MatVec4F32(y []float32, a []float32, lda int, x []float32, m, n int) bool { return false }

// Widen sets nothing and reports 0: no kernel on this architecture.
func Widen(dst []float64, src []float32) int { return 0 }

// Narrow sets nothing and reports 0: no kernel on this architecture.
func Narrow(dst []float32, src []float64) int { return 0 }
