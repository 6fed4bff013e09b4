package eval

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// RunSeeds calls run for each seed on up to workers goroutines (workers
// <= 0 means runtime.GOMAXPROCS) and returns the results in seed order.
// Each call must depend only on its seed (give each its own random
// streams): the results are then identical to a serial run. When ctx is
// cancelled, seeds not started are skipped; the error joins every seed's
// error (wrapped with the seed).
func RunSeeds[T any](ctx context.Context, seeds []uint64, workers int, run func(ctx context.Context, seed uint64) (T, error)) ([]T, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]T, len(seeds))
	errs := make([]error, len(seeds))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(seeds)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				r, err := run(ctx, seeds[k])
				out[k] = r
				if err != nil {
					errs[k] = fmt.Errorf("seed %d: %w", seeds[k], err)
				}
			}
		}()
	}
	for k := range seeds {
		if err := ctx.Err(); err != nil {
			errs[k] = fmt.Errorf("seed %d not run: %w", seeds[k], err)
			continue
		}
		next <- k
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

// Seeds returns the seeds first, first+1, ..., first+n-1.
func Seeds(first uint64, n int) []uint64 {
	s := make([]uint64, n)
	for k := range s {
		s[k] = first + uint64(k)
	}
	return s
}
