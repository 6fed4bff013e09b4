package learn

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/plasticnb/plasticnb/plasticlib/linalg"
)

// traceBlockRows is the number of factor rows contracted by one block
// product of the trace (Post_b^T Pre_b). At N = 200, T = 1000 and one
// power, 16 blocks of 64 rows: the last one, the only product left on the
// episode's path when the blocks run beside the primal steps, takes about a
// sixteenth of the whole product.
const traceBlockRows = 64

// traceBlockRows32 is traceBlockRows under Config.Precision Float32:
// OpenBLAS's sgemm runs these products at K = 64 no faster than its dgemm
// (43 against 55 GFLOP/s, measured on an AVX-512 Xeon), at K = 128 at
// ~88 GFLOP/s.
const traceBlockRows32 = 128

// traceProduct forms a trial's eligibility e = Post^T Pre (N x N) from its
// factor rows in fixed blocks of rows, b = 0, 1, ...:
// e = Post_0^T Pre_0, then e += Post_b^T Pre_b. The blocks are the same,
// and are added in the same order, whether they run on the episode's
// goroutine after the steps (serial) or on the worker while the steps run
// (overlapped), so both give the same e bit for bit.
//
// It holds no reference to its Learner, so that the worker goroutine does
// not keep the Learner alive: a cleanup on the Learner ends the worker.
type traceProduct struct {
	// blockRows is traceBlockRows, or traceBlockRows32 in float32.
	n, rows, blockRows int
	pre, post          []float64
	// colMajor: pre and post are N x rows (see Learner.colMajor).
	colMajor bool
	elig     blas64.General
	// Under Config.Precision Float32, pre32 and post32 hold the factor
	// rows instead of pre and post (step-major) and the blocks add up in
	// elig32 (N x N), which the episode widens into elig.
	pre32, post32, elig32 []float32

	// The worker, started by the first overlapped episode: sig wakes it
	// when blocks become ready (see claims).
	sig chan struct{}
	claims
	// The time per trial of the serial [0] and the overlapped [1] way
	// (0: not measured yet) and the trials chosen (see chooseOverlap);
	// read and written by the episode's goroutine only.
	perTrial [2]time.Duration
	trials   int
	// next is the next block the serial way adds (see inline; 0 at the
	// start of every trial).
	next int
}

// claims hands the blocks of a trial out, in order, to whoever takes the
// next one: the worker while the steps run, the episode's goroutine once
// they are done (so that a worker kept off its core by other processes
// delays the trial by one block at most). Blocks [0, ready) have their
// rows complete; [0, claimed) are taken; [0, finished) are added to e.
// One block is added at a time, in order, so the sum is the serial one.
type claims struct {
	mu                       sync.Mutex
	ready, claimed, finished int
}

// blocks returns the number of block products of a trial.
func (p *traceProduct) blocks() int { return (p.rows + p.blockRows - 1) / p.blockRows }

// blockEnd returns the row after the last of block b.
func (p *traceProduct) blockEnd(b int) int { return min((b+1)*p.blockRows, p.rows) }

// add adds block b's product to e (b = 0 overwrites e).
func (p *traceProduct) add(b int) {
	n, r0, r1 := p.n, b*p.blockRows, p.blockEnd(b)
	beta := 1.0
	if b == 0 {
		beta = 0
	}
	if p.pre32 != nil {
		linalg.Gemm32(blas.Trans, blas.NoTrans, n, n, r1-r0, 1, p.post32[r0*n:r1*n], n, p.pre32[r0*n:r1*n], n, float32(beta), p.elig32, n)
		return
	}
	e := p.elig.Data
	if p.colMajor {
		linalg.Gemm(blas.NoTrans, blas.Trans, n, n, r1-r0, 1, p.post[r0:], p.rows, p.pre[r0:], p.rows, beta, e, n)
		return
	}
	linalg.Gemm(blas.Trans, blas.NoTrans, n, n, r1-r0, 1, p.post[r0*n:r1*n], n, p.pre[r0*n:r1*n], n, beta, e, n)
}

// inline adds, on the episode's goroutine, the blocks not added yet whose
// rows are all below done: the serial way forms each block as soon as its
// rows are complete, while they are still in cache (measured: the whole
// trial's factor rows, 3.2 MB at N = 200, T = 1000, exceed a core's L2).
func (p *traceProduct) inline(done int) {
	for p.next < p.blocks() && p.blockEnd(p.next) <= done {
		p.add(p.next)
		p.next++
	}
}

// serial adds the blocks inline has not, on the calling goroutine.
func (p *traceProduct) serial() {
	if p.rows == 0 {
		clear(p.elig.Data)
		clear(p.elig32)
		return
	}
	for ; p.next < p.blocks(); p.next++ {
		p.add(p.next)
	}
}

// start starts the worker goroutine.
func (p *traceProduct) start() {
	p.sig = make(chan struct{}, 1)
	go work(p.sig, p)
}

// work adds the ready blocks each time it is woken, until sig is closed.
func work(sig <-chan struct{}, p *traceProduct) {
	for range sig {
		for {
			b, ok := p.claim(-1)
			if !ok {
				break
			}
			p.addInOrder(b)
		}
	}
}

// claim takes the next block if it is below limit (read under the lock
// when limit is p.ready: pass -1 for that).
func (p *traceProduct) claim(limit int) (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if limit < 0 {
		limit = p.ready
	}
	if p.claimed >= limit {
		return 0, false
	}
	p.claimed++
	return p.claimed - 1, true
}

// addInOrder adds claimed block b once block b-1 is added (by whichever
// goroutine claimed it).
func (p *traceProduct) addInOrder(b int) {
	for p.finishedCount() < b {
		runtime.Gosched()
	}
	p.add(b)
	p.mu.Lock()
	p.finished++
	p.mu.Unlock()
}

// finishedCount returns the number of blocks added.
func (p *traceProduct) finishedCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.finished
}

// stop ends the worker (the Learner's cleanup).
func stopWorker(sig chan struct{}) { close(sig) }

// cores is the process's concurrency budget for overlapped trace products:
// the number of episodes in flight, counted twice when one runs its trace
// beside its steps. An episode overlaps only when that leaves the count at
// most GOMAXPROCS, so seeds run in parallel on every core keep the serial
// path (a second goroutine per episode would only compete for the cores).
var cores atomic.Int64

// acquire counts an episode in flight and reports whether it may also use
// a second core.
func acquire(want bool) (overlap bool) {
	procs := int64(runtime.GOMAXPROCS(0))
	if want {
		for {
			c := cores.Load()
			if c+2 > procs {
				break
			}
			if cores.CompareAndSwap(c, c+2) {
				return true
			}
		}
	}
	cores.Add(1)
	return false
}

// release returns what acquire counted.
func release(overlap bool) {
	if overlap {
		cores.Add(-2)
		return
	}
	cores.Add(-1)
}

// reset starts a trial: no block is ready.
func (p *traceProduct) reset() {
	p.mu.Lock()
	p.ready, p.claimed, p.finished = 0, 0, 0
	p.mu.Unlock()
}

// handComplete makes ready every block whose rows are all below done and
// wakes the worker if that made any.
func (p *traceProduct) handComplete(done int) {
	r := done / p.blockRows
	if done >= p.rows {
		r = p.blocks()
	}
	p.mu.Lock()
	more := r > p.ready
	p.ready = max(p.ready, r)
	p.mu.Unlock()
	if more {
		select {
		case p.sig <- struct{}{}:
		default:
		}
	}
}

// complete adds the blocks the worker has not taken, each after the one
// before it is added, and returns once all are.
func (p *traceProduct) complete() {
	n := p.blocks()
	for {
		b, ok := p.claim(n)
		if !ok {
			break
		}
		p.addInOrder(b)
	}
	for p.finishedCount() < n {
		runtime.Gosched()
	}
}

// startWorker starts the trace worker of l, ended by a cleanup once l is
// unreachable.
func (l *Learner) startWorker() {
	if l.tp.sig != nil {
		return
	}
	l.tp.start()
	runtime.AddCleanup(l, stopWorker, l.tp.sig)
}

// chooseOverlap reports whether the next trial should overlap its trace
// with its steps: whichever of the two ways has taken less time per trial
// lately (an average over the trials that ran it), trying the other way
// every exploreEvery trials, and each way once at first. Overlapping
// pays when the second core is free; when other processes hold the
// cores, the worker's wake-ups and waits make it slower than the serial
// path (measured: 7.2 against 5.9 ms on a loaded machine). The blocks and
// their order are the same either way: only the time differs.
func (p *traceProduct) chooseOverlap() bool {
	p.trials++
	if p.perTrial[1] == 0 {
		return true
	}
	if p.perTrial[0] == 0 {
		return false
	}
	best := p.perTrial[1] <= p.perTrial[0]
	if p.trials%exploreEvery == 0 {
		return !best
	}
	return best
}

// exploreEvery is how often chooseOverlap tries the way it does not
// prefer.
const exploreEvery = 16

// record adds a trial's time to the average of its way.
func (p *traceProduct) record(overlap bool, d time.Duration) {
	i := 0
	if overlap {
		i = 1
	}
	if p.perTrial[i] == 0 {
		p.perTrial[i] = d
		return
	}
	p.perTrial[i] = (3*p.perTrial[i] + d) / 4
}
