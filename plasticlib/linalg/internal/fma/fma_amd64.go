// Package fma holds linalg's assembly kernel (AVX + FMA3 on amd64): Go
// assembly cannot share a package with linalg's cgo.
package fma

//go:noescape
func dot4FMA(a *float64, lda int, x *float64, n int, y *float64)

//go:noescape
func dot4AVX512(a *float64, lda int, x *float64, n int, y *float64)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// hasFMA reports whether the CPU and the OS support AVX with FMA3 (what
// dot4FMA runs on).
var hasFMA = func() bool {
	_, _, c, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if c&fma == 0 || c&osxsave == 0 || c&avx == 0 {
		return false
	}
	eax, _ := xgetbv()
	return eax&6 == 6 // the OS saves XMM and YMM state
}()

// hasAVX512 reports whether the CPU and the OS support AVX-512F (what
// dot4AVX512 runs on).
var hasAVX512 = func() bool {
	if !hasFMA {
		return false
	}
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	eax, _ := xgetbv()
	return b&(1<<16) != 0 && eax&0xe6 == 0xe6 // and the OS saves opmask and ZMM state
}()

// Kernel names the kernel MatVec4 runs: "avx512", "fma" or "" (none).
func Kernel() string {
	switch {
	case hasAVX512:
		return "avx512"
	case hasFMA:
		return "fma"
	}
	return ""
}

// MatVec4 computes rows [0, m&^3) of y = A x over the first n&^3 columns
// (A row-major, row stride lda) through the assembly kernel, and reports
// true; without AVX and FMA3 (or with n < 4) it does nothing and reports
// false. The caller checks the lengths.
func MatVec4(y []float64, a []float64, lda int, x []float64, m, n int) bool {
	if !hasFMA || n < 4 {
		return false
	}
	n4 := n &^ 3
	if hasAVX512 && n >= 8 {
		n8 := n &^ 7
		for i := 0; i+4 <= m; i += 4 {
			dot4AVX512(&a[i*lda], lda, &x[0], n8, &y[i])
		}
		if n8 < n4 { // columns n8..n8+3
			var t [4]float64
			for i := 0; i+4 <= m; i += 4 {
				dot4FMA(&a[i*lda+n8], lda, &x[n8], 4, &t[0])
				for r := range 4 {
					y[i+r] += t[r]
				}
			}
		}
		return true
	}
	for i := 0; i+4 <= m; i += 4 {
		dot4FMA(&a[i*lda], lda, &x[0], n4, &y[i])
	}
	return true
}

//go:noescape
func tanhAVX512(dst, src *float64, n int)

//go:noescape
func tanhFMA(dst, src *float64, n int)

// Tanh sets dst[i] = math.Tanh(src[i]), bit for bit, for the first
// len(src)&^7 (AVX-512) or len(src)&^3 (AVX + FMA3) elements through the
// assembly kernel and returns how many it set (0 without the kernels).
// dst may be src; the caller checks that dst is long enough.
func Tanh(dst, src []float64) int {
	switch {
	case hasAVX512 && len(src) >= 8:
		n := len(src) &^ 7
		tanhAVX512(&dst[0], &src[0], n)
		return n
	case hasFMA && len(src) >= 4:
		n := len(src) &^ 3
		tanhFMA(&dst[0], &src[0], n)
		return n
	}
	return 0
}

//go:noescape
func dot4FMAS(a *float32, lda int, x *float32, n int, y *float32)

//go:noescape
func dot4AVX512S(a *float32, lda int, x *float32, n int, y *float32)

// MatVec4F32 is MatVec4 on float32: rows [0, m&^3) of y = A x over the
// first n&^7 columns; false (nothing done) without AVX and FMA3 or with
// n < 8.
func MatVec4F32(y []float32, a []float32, lda int, x []float32, m, n int) bool {
	if !hasFMA || n < 8 {
		return false
	}
	n8 := n &^ 7
	if hasAVX512 {
		for i := 0; i+4 <= m; i += 4 {
			dot4AVX512S(&a[i*lda], lda, &x[0], n8, &y[i])
		}
		return true
	}
	for i := 0; i+4 <= m; i += 4 {
		dot4FMAS(&a[i*lda], lda, &x[0], n8, &y[i])
	}
	return true
}

//go:noescape
func widen8(dst *float64, src *float32, n int)

//go:noescape
func widen4(dst *float64, src *float32, n int)

//go:noescape
func narrow8(dst *float32, src *float64, n int)

//go:noescape
func narrow4(dst *float32, src *float64, n int)

// Widen sets dst[i] = float64(src[i]) for the first len(src)&^7 (AVX-512)
// or len(src)&^3 (AVX) elements and returns how many it set (0 without
// the kernels); the caller checks that dst is long enough.
func Widen(dst []float64, src []float32) int {
	switch {
	case hasAVX512 && len(src) >= 8:
		n := len(src) &^ 7
		widen8(&dst[0], &src[0], n)
		return n
	case hasFMA && len(src) >= 4:
		n := len(src) &^ 3
		widen4(&dst[0], &src[0], n)
		return n
	}
	return 0
}

// Narrow is Widen's converse: dst[i] = float32(src[i]), rounded to
// nearest as Go's conversion rounds.
func Narrow(dst []float32, src []float64) int {
	switch {
	case hasAVX512 && len(src) >= 8:
		n := len(src) &^ 7
		narrow8(&dst[0], &src[0], n)
		return n
	case hasFMA && len(src) >= 4:
		n := len(src) &^ 3
		narrow4(&dst[0], &src[0], n)
		return n
	}
	return 0
}
