package meta

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// benchProblem: DNMS at dt = 5 ms (T = 200 steps), N units, a random
// (K+1) x (K+1) rule, all theta_kl meta-parameters (P = (K+1)^2).
func benchProblem(b testing.TB, n, k, episodes int) Problem {
	nc := network.DefaultConfig()
	nc.N, nc.Dt = n, 5
	dc := task.DefaultDNMS()
	dc.Dt = 5
	tk, err := task.NewDNMS(dc)
	if err != nil {
		b.Fatal(err)
	}
	r, err := rule.Random(k, k, 0.1, 1)
	if err != nil {
		b.Fatal(err)
	}
	lc := learn.DefaultConfig()
	lc.Episodes, lc.WarmUp = episodes, 0
	return Problem{Net: nc, Task: tk, Rule: r, Learn: lc, Smooth: Smooth{AbsEps: 1e-4, Clip: true}}
}

func benchGradient(b *testing.B, n, k int) { benchGradientAt(b, n, k, linalg.Float64) }

func benchGradientAt(b *testing.B, n, k int, prec linalg.Precision) {
	p := benchProblem(b, n, k, b.N)
	p.Learn.Precision = prec
	benchEngine(b, p, false)
}

// benchEngine times one meta-gradient of p over its b.N episodes, with the
// activity tangents frozen (the truncated estimator) when frozen.
func benchEngine(b *testing.B, p Problem, frozen bool) {
	e, err := newEngine(p, frozen)
	if err != nil {
		b.Fatal(err)
	}
	phi := e.Phi()
	g := make([]float64, len(phi))
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	if _, err := e.Gradient(phi, g); err != nil {
		b.Fatal(err)
	}
	reportCPU(b, c0)
}

// cpuTime is the process's user + system CPU time.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// reportCPU reports the CPU time per iteration since c0 (cpu-ms/op) and
// the CPU utilisation, CPU time / wall time (2 = both cores busy).
func reportCPU(b *testing.B, c0 time.Duration) {
	c := cpuTime() - c0
	b.ReportMetric(c.Seconds()*1e3/float64(b.N), "cpu-ms/op")
	b.ReportMetric(c.Seconds()/b.Elapsed().Seconds(), "cpu/wall")
}

// BenchmarkMetaGradientDNMS100 is the exact meta-gradient per episode at
// N = 100, P = 16 (K = L = 3), DNMS at dt = 5 ms (T = 200).
func BenchmarkMetaGradientDNMS100(b *testing.B) { benchGradient(b, 100, 3) }

// BenchmarkMetaGradientDNMS100F32 is the same at Learn.Precision Float32
// (primal steps and tangents in float32).
func BenchmarkMetaGradientDNMS100F32(b *testing.B) { benchGradientAt(b, 100, 3, linalg.Float32) }

// BenchmarkCost compares the exact meta-gradient per episode with a plain
// learning episode, for P = 9, 16, 36 at N = 50, 100, 200.
func BenchmarkCost(b *testing.B) {
	for _, n := range []int{50, 100, 200} {
		b.Run(fmt.Sprintf("N=%d/plain", n), func(b *testing.B) {
			p := benchProblem(b, n, 3, b.N)
			l, err := learn.New(mustNet(b, p.Net), p.Task, p.Rule, p.Learn)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuTime()
			if _, err := l.Run(context.Background()); err != nil {
				b.Fatal(err)
			}
			reportCPU(b, c0)
		})
		for _, k := range []int{2, 3, 5} {
			b.Run(fmt.Sprintf("N=%d/P=%d", n, (k+1)*(k+1)), func(b *testing.B) { benchGradient(b, n, k) })
		}
	}
}

func mustNet(b *testing.B, c network.Config) *network.Net {
	net, err := network.New(c)
	if err != nil {
		b.Fatal(err)
	}
	return net
}

// BenchmarkTruncatedContext200 is one episode of the truncated estimator
// at the paper setting of context integration (N = 200, dt = 1 ms, 700
// steps, theta_33 without the clip), with theta_31, theta_33 and theta_35
// free (P = 3, one pre-synaptic power): the per-trial cost of notebook
// 04's paper-scale meta-training, against BenchmarkContext200Primal, the
// same episodes without meta-parameters.
func BenchmarkTruncatedContext200(b *testing.B) { benchContext200(b, true) }

// BenchmarkContext200Primal is BenchmarkTruncatedContext200's episodes
// with every coefficient frozen: the primal learning run alone.
func BenchmarkContext200Primal(b *testing.B) { benchContext200(b, false) }

func benchContext200(b *testing.B, free bool) {
	nc := network.DefaultConfig()
	nc.N, nc.PerturbAmp = 200, 30
	cc := task.DefaultContext()
	cc.Bias = 1
	tk, err := task.NewContext(cc)
	if err != nil {
		b.Fatal(err)
	}
	nc.NumInputs = tk.NumInputs()
	r, err := rule.MiconiCubicBasis(5)
	if err != nil {
		b.Fatal(err)
	}
	r.Eta, r.MaxDW = 0.003, 0
	frozen := make([][]bool, 6)
	for k := range frozen {
		frozen[k] = make([]bool, 6)
		for l := range frozen[k] {
			frozen[k][l] = !(free && k == 3 && l%2 == 1)
		}
	}
	lc := learn.DefaultConfig()
	lc.Episodes, lc.WarmUp = b.N, 0
	benchEngine(b, Problem{Net: nc, Task: tk, Rule: r, Learn: lc, Params: Params{Frozen: frozen}, Smooth: Smooth{AbsEps: 1e-4}}, true)
}
