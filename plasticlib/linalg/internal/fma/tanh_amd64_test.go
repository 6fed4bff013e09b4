package fma

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tanhInputs returns values that exercise every branch of math.Tanh and
// the boundaries between them, plus random ones at several scales.
func tanhInputs() []float64 {
	xs := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 1e-300, -5e-324, 1e300, -1e300,
		0.625, math.Nextafter(0.625, 0), math.Nextafter(0.625, 1), 44.014845965556525, 44.01484596555653, 44.0148459655566,
		0.3466, 1, -1, 19, 20, 21, 22, 88, 709, 710}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range []float64{1e-8, 1e-3, 0.1, 0.5, 1, 2, 5, 30} {
		for range 4000 {
			xs = append(xs, s*rng.NormFloat64())
		}
	}
	for range 4000 {
		xs = append(xs, rng.Float64()*50-25)
	}
	for len(xs)%8 != 0 {
		xs = append(xs, 0.7)
	}
	return xs
}

// TestTanhKernels: both kernels give math.Tanh bit for bit (NaN for NaN),
// in place too.
func TestTanhKernels(t *testing.T) {
	kernels := []struct {
		name string
		ok   bool
		f    func(dst, src *float64, n int)
	}{{"avx512", hasAVX512, tanhAVX512}, {"fma", hasFMA, tanhFMA}}
	xs := tanhInputs()
	for _, k := range kernels {
		if !k.ok {
			t.Logf("%s: not supported by this CPU", k.name)
			continue
		}
		got := make([]float64, len(xs))
		k.f(&got[0], &xs[0], len(xs))
		inPlace := append([]float64(nil), xs...)
		k.f(&inPlace[0], &inPlace[0], len(inPlace))
		bad := 0
		for i, x := range xs {
			want := math.Tanh(x)
			for _, g := range []float64{got[i], inPlace[i]} {
				if math.Float64bits(g) != math.Float64bits(want) && !(math.IsNaN(g) && math.IsNaN(want)) {
					if bad < 10 {
						t.Errorf("%s: tanh(%v) = %v (%#x); math.Tanh gives %v (%#x)", k.name, x, g, math.Float64bits(g), want, math.Float64bits(want))
					}
					bad++
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d differ", k.name, bad, 2*len(xs))
		}
	}
}

// TestConvertKernels: the widening and narrowing kernels equal Go's
// conversions bit for bit (rounding, overflow to Inf, subnormals, NaN).
func TestConvertKernels(t *testing.T) {
	src64 := append(tanhInputs(), 1e39, -1e39, 1e-40, 1+0x1p-24, 1+0x1p-23+0x1p-24, 3.4028235677973366e38)
	for len(src64)%8 != 0 {
		src64 = append(src64, 0.1)
	}
	src32 := make([]float32, len(src64))
	for i, v := range src64 {
		src32[i] = float32(v)
	}
	for _, k := range []struct {
		name   string
		ok     bool
		widen  func(*float64, *float32, int)
		narrow func(*float32, *float64, int)
	}{{"avx512", hasAVX512, widen8, narrow8}, {"avx", hasFMA, widen4, narrow4}} {
		if !k.ok {
			continue
		}
		w, n := make([]float64, len(src32)), make([]float32, len(src64))
		k.widen(&w[0], &src32[0], len(src32))
		k.narrow(&n[0], &src64[0], len(src64))
		for i := range src64 {
			if math.Float64bits(w[i]) != math.Float64bits(float64(src32[i])) {
				t.Fatalf("%s: widen(%v) = %v", k.name, src32[i], w[i])
			}
			if math.Float32bits(n[i]) != math.Float32bits(float32(src64[i])) {
				t.Fatalf("%s: narrow(%v) = %v; Go gives %v", k.name, src64[i], n[i], float32(src64[i]))
			}
		}
	}
}
