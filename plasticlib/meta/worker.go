package meta

// parallel runs first and then span(0, np/2) on the calling goroutine and
// span(np/2, np) on the engine's worker goroutine (started by run), and
// waits for both. Without a worker (N < 32 or fewer than 2
// meta-parameters) it runs everything on the calling goroutine. The split
// is fixed, so results do not depend on scheduling; handing a stage to the
// worker allocates nothing.
func (e *Engine) parallel(np int, first func(), span func(lo, hi int)) {
	half := np / 2
	if e.jobs == nil || half == 0 {
		if first != nil {
			first()
		}
		span(0, np)
		return
	}
	e.job.span, e.job.lo, e.job.hi = span, half, np
	e.jobs <- struct{}{}
	if first != nil {
		first()
	}
	span(0, half)
	<-e.done
}

// startWorker starts the goroutine that runs the second half of every
// parallel stage of a run; stopWorker ends it.
func (e *Engine) startWorker() {
	if e.n < 32 || e.np < 2 {
		return
	}
	e.jobs, e.done = make(chan struct{}), make(chan struct{})
	go func(jobs <-chan struct{}, done chan<- struct{}) {
		for range jobs {
			e.job.span(e.job.lo, e.job.hi)
			done <- struct{}{}
		}
	}(e.jobs, e.done)
}

func (e *Engine) stopWorker() {
	if e.jobs != nil {
		close(e.jobs)
		e.jobs, e.done = nil, nil
	}
}
