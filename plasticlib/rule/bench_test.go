package rule_test

import (
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// BenchmarkPostTo times one step's post-synaptic factor at N = 200 for a
// single monomial per row, the presets' fast paths (dx^3) and the others
// (dx^5).
func BenchmarkPostTo(b *testing.B) {
	for _, l := range []int{3, 5} {
		b.Run([]string{3: "dx3", 5: "dx5"}[l], func(b *testing.B) {
			r, _ := rule.Zero(3, 5)
			r.Theta[3][l] = 1
			dx, dst := make([]float64, 200), make([]float64, 200)
			for i := range dx {
				dx[i] = float64(i-100) / 100
			}
			b.ReportAllocs()
			for b.Loop() {
				r.PostTo(dst, dx, 3, 0.5)
			}
		})
	}
}
