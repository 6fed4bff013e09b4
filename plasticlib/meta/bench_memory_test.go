package meta

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkMetaGradientMemory measures the memory of one exact
// meta-gradient at N = 200, P = 16 (K = L = 3, DNMS at dt = 5 ms) over 100
// and over 1000 episodes (one gradient per iteration; run with
// -benchtime 1x, each size in its own process for maxrss-MB to be its own):
// peak-heap-MB is the largest HeapInuse sampled every 5 ms during the call
// (engine included), alloc-MB the bytes allocated by the call (TotalAlloc),
// maxrss-MB the process's peak resident set (getrusage).
func BenchmarkMetaGradientMemory(b *testing.B) {
	for _, eps := range []int{100, 1000} {
		b.Run(fmt.Sprintf("episodes=%d", eps), func(b *testing.B) {
			p := benchProblem(b, 200, 3, eps)
			var peak, alloc uint64
			b.ResetTimer()
			for range b.N {
				runtime.GC()
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				stop := sampleHeap(5 * time.Millisecond)
				e, err := NewEngine(p)
				if err != nil {
					b.Fatal(err)
				}
				phi := e.Phi()
				if _, err := e.Gradient(phi, make([]float64, len(phi))); err != nil {
					b.Fatal(err)
				}
				pk := stop()
				runtime.ReadMemStats(&m1)
				runtime.KeepAlive(e)
				peak = max(peak, pk)
				alloc = max(alloc, m1.TotalAlloc-m0.TotalAlloc)
			}
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			b.ReportMetric(float64(alloc)/1e6, "alloc-MB")
			var u syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err == nil {
				b.ReportMetric(float64(u.Maxrss)/1e3, "maxrss-MB") // Linux: kilobytes
			}
		})
	}
}

// sampleHeap samples HeapInuse every d until the returned function is
// called, which returns the largest value seen (sampled once more at stop).
func sampleHeap(d time.Duration) func() uint64 {
	var (
		mu   sync.Mutex
		peak uint64
		quit = make(chan struct{})
		done = make(chan struct{})
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapInuse)
		mu.Unlock()
	}
	go func() {
		defer close(done)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		sample()
		close(quit)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
