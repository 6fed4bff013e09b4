package sweep

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
)

// Group is one cell of the table: a rule under a condition, over seeds.
type Group struct {
	Rule, Condition string
	// Results in seed order (the runs found).
	Results []*Result
	// Missing is the number of the cell's runs without a result.
	Missing int
}

// Outcomes returns each found run's episodes to criterion.
func (g *Group) Outcomes() []eval.Outcome {
	out := make([]eval.Outcome, len(g.Results))
	for k, r := range g.Results {
		out[k] = r.Outcome()
	}
	return out
}

// Histories returns the found runs' learning histories (for learning curves).
func (g *Group) Histories() []*learn.History {
	hs := make([]*learn.History, len(g.Results))
	for k, r := range g.Results {
		hs[k] = r.History()
	}
	return hs
}

// Stats is the median, IQR and censored count of episodes to criterion.
func (g *Group) Stats() eval.Summary { return eval.SummarizeOutcomes(g.Outcomes()) }

// MeanError is the mean trial error over every episode of the found runs.
func (g *Group) MeanError() float64 { return eval.MeanError(g.Histories()) }

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// String is the group's summary line: "rule on condition: episodes to
// criterion: median M, IQR A-B, censored C/N; mean error E".
func (g *Group) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on %s: ", g.Rule, g.Condition)
	if len(g.Results) == 0 {
		fmt.Fprintf(&b, "no results (%d runs missing)", g.Missing)
		return b.String()
	}
	s := g.Stats()
	fmt.Fprintf(&b, "episodes to criterion: median %s, IQR %s-%s, censored %d/%d; mean error %.4f",
		num(s.Median), num(s.Q1), num(s.Q3), s.Censored, s.N, g.MeanError())
	if g.Missing > 0 {
		fmt.Fprintf(&b, " (%d runs missing)", g.Missing)
	}
	return b.String()
}

// Summary is a sweep's table read back from its directory.
type Summary struct {
	// Rules and Conditions in the spec's order; Groups[i*len(Conditions)+j]
	// is rule i under condition j.
	Rules, Conditions []string
	Groups            []*Group
}

// Group returns the cell of rule under condition, nil if there is none.
func (s *Summary) Group(rule, condition string) *Group {
	for _, g := range s.Groups {
		if g.Rule == rule && g.Condition == condition {
			return g
		}
	}
	return nil
}

// String is one line per group.
func (s *Summary) String() string {
	var b strings.Builder
	for _, g := range s.Groups {
		b.WriteString(g.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Summarize reads the sweep in dir: its manifest and every result file.
// A missing result counts in Group.Missing; a file that does not hold its
// job's result is an error.
func Summarize(dir string) (*Summary, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	s := &Summary{}
	index := map[[2]string]*Group{}
	for _, j := range m.Jobs {
		key := [2]string{j.RuleName, j.Condition}
		g := index[key]
		if g == nil {
			g = &Group{Rule: j.RuleName, Condition: j.Condition}
			index[key] = g
			s.Groups = append(s.Groups, g)
			if !slices.Contains(s.Rules, j.RuleName) {
				s.Rules = append(s.Rules, j.RuleName)
			}
			if !slices.Contains(s.Conditions, j.Condition) {
				s.Conditions = append(s.Conditions, j.Condition)
			}
		}
		res, err := readResult(dir, j)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			g.Missing++
		case err != nil:
			return nil, err
		default:
			g.Results = append(g.Results, res)
		}
	}
	return s, nil
}
