package sweep

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// local runs the jobs on goroutines of this process.
type local struct{ workers int }

func (l local) execute(ctx context.Context, out string, jobs []Job, todo []int, t *tracker, o *Options) (string, error) {
	return "", runJobs(ctx, out, jobs, todo, l.workers, t.finished)
}

// runJobs runs jobs[k] for k in todo on workers goroutines (0: one per
// CPU), writing each result as it finishes and calling finished(k). When
// ctx is done the jobs not started are skipped and the running ones stop
// without a result.
func runJobs(ctx context.Context, out string, jobs []Job, todo []int, workers int, finished func(int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan int)
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for range min(workers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				j := jobs[k]
				res, err := j.Do(ctx)
				if err == nil {
					err = writeResult(out, res)
				}
				if err != nil {
					if ctx.Err() == nil {
						fail(fmt.Errorf("sweep: %s on %s, seed %d: %w", j.RuleName, j.Condition, j.Seed, err))
					}
					continue
				}
				finished(k)
			}
		}()
	}
	for _, k := range todo {
		if ctx.Err() != nil {
			break
		}
		select {
		case next <- k:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		errs = append(errs, fmt.Errorf("sweep: interrupted (finished results are kept): %w", err))
	}
	return errors.Join(errs...)
}
