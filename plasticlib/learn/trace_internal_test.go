package learn

import (
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// TestOverlapBitForBit: a run whose trace products run beside the steps
// (two cores) ends with the same weights, errors and last eligibility, bit
// for bit, as the same run with Config.Serial, for one and for several
// active powers (blocks ending inside a step's rows), in float64 and in
// float32.
func TestOverlapBitForBit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	dense, err := rule.Random(2, 2, 0.1, 3)
	if err != nil {
		t.Fatal(err)
	}
	dense.Eta = 1e-3
	for _, c := range []struct {
		r rule.Rule
		p linalg.Precision
	}{{rule.MiconiCubic(), linalg.Float64}, {dense, linalg.Float64}, {dense, linalg.Float32}} {
		r := c.r
		run := func(serial bool) (*Learner, []float64) {
			nc := network.DefaultConfig()
			nc.N = 40
			d, err := task.NewDNMS(task.DefaultDNMS())
			if err != nil {
				t.Fatal(err)
			}
			cfg := DefaultConfig()
			cfg.WarmUp, cfg.Seed, cfg.Serial, cfg.Precision = 0, 7, serial, c.p
			net, err := network.New(nc)
			if err != nil {
				t.Fatal(err)
			}
			l, err := New(net, d, r, cfg)
			if err != nil {
				t.Fatal(err)
			}
			var errs []float64
			for range 12 {
				if l.tp != nil {
					l.tp.perTrial = [2]time.Duration{} // overlap whenever a core is free
				}
				_, e, err := l.Episode()
				if err != nil {
					t.Fatal(err)
				}
				errs = append(errs, e)
			}
			return l, errs
		}
		ls, es := run(true)
		lo, eo := run(false)
		if ls.tp.sig != nil {
			t.Errorf("%s: the serial run started a trace worker", r.Name)
		}
		if lo.tp.sig == nil {
			t.Fatalf("%s: the overlapped run never overlapped (cores in flight %d)", r.Name, cores.Load())
		}
		for ep := range es {
			if math.Float64bits(es[ep]) != math.Float64bits(eo[ep]) {
				t.Errorf("%s: episode %d error %v overlapped, %v serial", r.Name, ep, eo[ep], es[ep])
			}
		}
		for name, pair := range map[string][2][]float64{
			"J":    {ls.Net.J.RawMatrix().Data, lo.Net.J.RawMatrix().Data},
			"elig": {ls.elig.RawMatrix().Data, lo.elig.RawMatrix().Data},
		} {
			for k := range pair[0] {
				if math.Float64bits(pair[0][k]) != math.Float64bits(pair[1][k]) {
					t.Fatalf("%s: %s[%d] = %v overlapped, %v serial", r.Name, name, k, pair[1][k], pair[0][k])
				}
			}
		}
	}
}

// TestCoresBudget: episodes acquire a second core only while the budget
// has one, and release what they acquired.
func TestCoresBudget(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	c0 := cores.Load()
	if c0 != 0 {
		t.Skipf("%d episodes in flight elsewhere", c0)
	}
	a := acquire(true)
	b := acquire(true)
	if !a || b {
		t.Errorf("acquire(true) twice on 2 cores = %v, %v; want true, false", a, b)
	}
	release(b)
	release(a)
	if c := cores.Load(); c != 0 {
		t.Errorf("cores after release = %d; want 0", c)
	}
	if acquire(false) {
		t.Error("acquire(false) = true")
	}
	release(false)
}

// TestChooseOverlap: each way is tried once, then the faster one is
// chosen, with the other tried every exploreEvery trials; a way that
// becomes slower loses the choice.
func TestChooseOverlap(t *testing.T) {
	p := &traceProduct{}
	run := func(serial, overlapped time.Duration) (chose [2]int) {
		for range 4 * exploreEvery {
			o := p.chooseOverlap()
			d := serial
			if o {
				d = overlapped
				chose[1]++
			} else {
				chose[0]++
			}
			p.record(o, d)
		}
		return chose
	}
	if c := run(6*time.Millisecond, 5*time.Millisecond); c[1] < c[0] || c[0] < 3 {
		t.Errorf("overlap faster: chose serial %d, overlapped %d times; want mostly overlapped, serial every %d", c[0], c[1], exploreEvery)
	}
	if c := run(6*time.Millisecond, 8*time.Millisecond); c[0] < c[1] || c[1] < 3 {
		t.Errorf("overlap slower: chose serial %d, overlapped %d times; want mostly serial, overlapped every %d", c[0], c[1], exploreEvery)
	}
}

// TestWorkerEnds: the trace worker of a Learner that is no longer
// reachable ends (its cleanup closes the worker's channel).
func TestWorkerEnds(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	before := runtime.NumGoroutine()
	func() {
		nc := network.DefaultConfig()
		nc.N = 40
		d, err := task.NewDNMS(task.DefaultDNMS())
		if err != nil {
			t.Fatal(err)
		}
		net, err := network.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		l, err := New(net, d, rule.MiconiCubic(), DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := l.Episode(); err != nil {
			t.Fatal(err)
		}
		if l.tp.sig == nil {
			t.Skip("the episode did not overlap (no core to spare)")
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines 5 s after the Learner became unreachable; %d before it", runtime.NumGoroutine(), before)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
