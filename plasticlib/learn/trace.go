package learn

import (
	"runtime"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// traceBlockRows is the number of factor rows contracted by one block
// product of the trace (Post_b^T Pre_b). At N = 200, T = 1000 and one
// power, 16 blocks of 64 rows: the last one, the only product left on the
// episode's path when the blocks run beside the primal steps, takes about a
// sixteenth of the whole product.
const traceBlockRows = 64

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
	n, rows   int
	pre, post []float64
	// colMajor: pre and post are N x rows (see Learner.colMajor).
	colMajor bool
	elig     blas64.General

	// The worker, started by the first overlapped episode: jobs carries
	// the index of each block whose rows are complete, -1 ends the trial
	// (done then receives once all its blocks are added).
	jobs chan int
	done chan struct{}
}

// blocks returns the number of block products of a trial.
func (p *traceProduct) blocks() int { return (p.rows + traceBlockRows - 1) / traceBlockRows }

// blockEnd returns the row after the last of block b.
func (p *traceProduct) blockEnd(b int) int { return min((b+1)*traceBlockRows, p.rows) }

// add adds block b's product to e (b = 0 overwrites e).
func (p *traceProduct) add(b int) {
	n, r0, r1 := p.n, b*traceBlockRows, p.blockEnd(b)
	beta := 1.0
	if b == 0 {
		beta = 0
	}
	if p.colMajor {
		post := blas64.General{Rows: n, Cols: r1 - r0, Stride: p.rows, Data: p.post[r0:]}
		pre := blas64.General{Rows: n, Cols: r1 - r0, Stride: p.rows, Data: p.pre[r0:]}
		blas64.Gemm(blas.NoTrans, blas.Trans, 1, post, pre, beta, p.elig)
		return
	}
	post := blas64.General{Rows: r1 - r0, Cols: n, Stride: n, Data: p.post[r0*n : r1*n]}
	pre := blas64.General{Rows: r1 - r0, Cols: n, Stride: n, Data: p.pre[r0*n : r1*n]}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, post, pre, beta, p.elig)
}

// serial forms e on the calling goroutine.
func (p *traceProduct) serial() {
	if p.rows == 0 {
		clear(p.elig.Data)
		return
	}
	for b := range p.blocks() {
		p.add(b)
	}
}

// start starts the worker goroutine.
func (p *traceProduct) start() {
	p.jobs = make(chan int, p.blocks()+1)
	p.done = make(chan struct{})
	go work(p.jobs, p.done, p)
}

// work runs the blocks it is handed until jobs is closed.
func work(jobs <-chan int, done chan<- struct{}, p *traceProduct) {
	for b := range jobs {
		if b < 0 {
			done <- struct{}{}
			continue
		}
		p.add(b)
	}
}

// stop ends the worker (the Learner's cleanup).
func stopWorker(jobs chan int) { close(jobs) }

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

// handComplete hands the worker every block from next on whose rows are
// all below done, and returns the next block not handed.
func (p *traceProduct) handComplete(next, done int) int {
	for next < p.blocks() && p.blockEnd(next) <= done {
		p.jobs <- next
		next++
	}
	return next
}

// wait waits until the worker has added every block handed to it.
func (p *traceProduct) wait() {
	p.jobs <- -1
	<-p.done
}

// startWorker starts the trace worker of l, ended by a cleanup once l is
// unreachable.
func (l *Learner) startWorker() {
	if l.tp.jobs != nil {
		return
	}
	l.tp.start()
	runtime.AddCleanup(l, stopWorker, l.tp.jobs)
}
