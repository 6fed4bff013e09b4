package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

// Job is one learning run, fully configured: its result depends on
// nothing else.
type Job struct {
	// RuleName and Condition label the run's row and column in the table.
	RuleName  string `json:"rule_name"`
	Condition string `json:"condition"`
	// Setting is the resolved setting (overrides applied), Rule the rule as
	// it learns (the setting's eta and clip).
	Setting setting.Setting `json:"setting"`
	Rule    rule.Rule       `json:"rule"`
	Seed    uint64          `json:"seed"`
	// StopAtCriterion ends the run once it meets Setting.Criterion.
	StopAtCriterion bool `json:"stop_at_criterion"`
}

// ID is the hex SHA-256 of the job's JSON: equal jobs, equal IDs.
func (j Job) ID() string {
	b, err := json.Marshal(j)
	if err != nil {
		panic(fmt.Sprintf("sweep: job not serialisable: %v", err)) // a bug: every field is plain data
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func slug(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}

// Path is the job's result file relative to a sweep's directory:
// runs/<rule>/<condition>/seed-<seed>-<first 16 hex digits of the ID>.json.
func (j Job) Path() string {
	return filepath.Join("runs", slug(j.RuleName), slug(j.Condition), fmt.Sprintf("seed-%d-%s.json", j.Seed, j.ID()[:16]))
}

// Format tags result files.
const Format = "plasticnb-sweep-run/1"

// Result is the content of a result file.
type Result struct {
	Format string `json:"format"`
	ID     string `json:"id"`
	Job    Job    `json:"job"`
	// Episodes to criterion (the run's length when not Reached).
	Episodes int  `json:"episodes"`
	Reached  bool `json:"reached"`
	// Diverged holds the divergence error of a run whose state became
	// non-finite (the history stops there); it counts as censored at the
	// setting's episode cap.
	Diverged string `json:"diverged,omitempty"`
	// The learning history, one entry per episode.
	Errors  []float64 `json:"errors"`
	Types   []int     `json:"types"`
	Rewards []float64 `json:"rewards"`
}

// Outcome is the run's episodes to criterion.
func (r *Result) Outcome() eval.Outcome {
	if r.Diverged != "" {
		return eval.Outcome{Episodes: r.Job.Setting.Learn.Episodes, Censored: true}
	}
	return eval.Outcome{Episodes: r.Episodes, Censored: !r.Reached}
}

// History returns the learning history.
func (r *Result) History() *learn.History {
	return &learn.History{Errors: r.Errors, Types: r.Types, Rewards: r.Rewards}
}

// Do makes the job's learning run and returns its result. A cancelled run
// returns an error and no result.
func (j Job) Do(ctx context.Context) (*Result, error) {
	h, err := j.Setting.Run(ctx, j.Rule, j.Seed, j.StopAtCriterion)
	res := &Result{Format: Format, ID: j.ID(), Job: j}
	var div *learn.DivergenceError
	switch {
	case errors.As(err, &div):
		res.Diverged = div.Error()
	case err != nil:
		return nil, err
	}
	res.Errors, res.Types, res.Rewards = h.Errors, h.Types, h.Rewards
	res.Episodes, res.Reached = j.Setting.Criterion.Episodes(h.Errors)
	return res, nil
}

// writeResult writes res to dir/res.Job.Path() atomically: a temporary
// file in the same directory, synced, then renamed over the final name,
// so a reader sees the whole file or none.
func writeResult(dir string, res *Result) error {
	path := filepath.Join(dir, res.Job.Path())
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("sweep: %s: %w", path, err)
	}
	if err := store.WriteFileAtomic(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("sweep: writing %s: %w", path, err)
	}
	return nil
}

// readResult reads job j's result from dir; a missing file is
// fs.ErrNotExist, and a file that does not hold this job's result is an
// error naming the path.
func readResult(dir string, j Job) (*Result, error) {
	path := filepath.Join(dir, j.Path())
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var res Result
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("sweep: %s: %w", path, err)
	}
	if res.Format != Format || res.ID != j.ID() || len(res.Types) != len(res.Errors) || len(res.Rewards) != len(res.Errors) {
		return nil, fmt.Errorf("sweep: %s: not the result of job %s", path, j.ID()[:16])
	}
	return &res, nil
}

// done reports whether job j's result file exists (not whether it parses).
func done(dir string, j Job) bool {
	_, err := os.Stat(filepath.Join(dir, j.Path()))
	return err == nil
}
