package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
)

// Work runs array task index's share of the sweep in out: the jobs of
// share file's entry index (a JSON list of lists of indices into the
// manifest's jobs) that have no result yet, workers at a time (0: one
// per CPU). The sweep command's worker mode calls it in each Slurm array
// task.
func Work(ctx context.Context, out, shareFile string, index, workers int) error {
	m, err := ReadManifest(out)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(shareFile)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	var share [][]int
	if err := json.Unmarshal(b, &share); err != nil {
		return fmt.Errorf("sweep: %s: %w", shareFile, err)
	}
	if index < 0 || index >= len(share) {
		return fmt.Errorf("sweep: array task index %d out of range [0, %d)", index, len(share))
	}
	var todo []int
	for _, k := range share[index] {
		if k < 0 || k >= len(m.Jobs) {
			return fmt.Errorf("sweep: %s: job %d out of range [0, %d)", shareFile, k, len(m.Jobs))
		}
		if _, err := readResult(out, m.Jobs[k]); err != nil {
			todo = append(todo, k)
		}
	}
	fmt.Printf("array task %d: %d runs, %d to do\n", index, len(share[index]), len(todo))
	return runJobs(ctx, out, m.Jobs, todo, workers, func(k int) {
		j := m.Jobs[k]
		fmt.Printf("done: %s on %s, seed %d -> %s\n", j.RuleName, j.Condition, j.Seed, j.Path())
	})
}
