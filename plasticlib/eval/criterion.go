package eval

import (
	"fmt"
	"math"
	"slices"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// Criterion defines "learned": at least Fraction of the last Window
// episodes were correct, that is had an error below Threshold.
type Criterion struct {
	Window    int     // default 100
	Fraction  float64 // default 0.95
	Threshold float64 // default 1 (Miconi's "correct"; 0.5 is a stricter option)
}

// DefaultCriterion returns Miconi (2017)'s criterion: 95 of the last 100
// episodes correct, a trial being correct when its error is below 1 (with
// targets of +-1: the output ends on the right side).
func DefaultCriterion() Criterion { return Criterion{Window: 100, Fraction: 0.95, Threshold: 1} }

// Correct reports whether a trial with error e counts as correct.
func (c Criterion) Correct(e float64) bool { return e < c.Threshold }

// Performance returns the fraction of correct trials among errors (NaN
// for none): the paper's "performance".
func (c Criterion) Performance(errors []float64) float64 {
	if len(errors) == 0 {
		return math.NaN()
	}
	n := 0
	for _, e := range errors {
		if c.Correct(e) {
			n++
		}
	}
	return float64(n) / float64(len(errors))
}

// PerformanceCurve returns, for each episode k, the fraction of correct
// trials over the window of up to Window episodes ending at k (the
// paper's learning-curve panel).
func (c Criterion) PerformanceCurve(errors []float64) []float64 {
	out := make([]float64, len(errors))
	n := 0
	for k, e := range errors {
		if c.Correct(e) {
			n++
		}
		if k >= c.Window && c.Correct(errors[k-c.Window]) {
			n--
		}
		out[k] = float64(n) / float64(min(k+1, c.Window))
	}
	return out
}

// Validate reports invalid fields, naming them.
func (c Criterion) Validate() error {
	switch {
	case c.Window <= 0:
		return field.Errorf("eval.Criterion.Window", "must be > 0, got %d", c.Window)
	case !(c.Fraction > 0 && c.Fraction <= 1):
		return field.Errorf("eval.Criterion.Fraction", "must be in (0, 1], got %g", c.Fraction)
	case !(c.Threshold > 0) || math.IsInf(c.Threshold, 0):
		return field.Errorf("eval.Criterion.Threshold", "must be finite and > 0, got %g", c.Threshold)
	}
	return nil
}

// Episodes returns the number of episodes after which the criterion was
// first met, n+1 for the first 0-based episode n whose window
// [n-Window+1, n] qualifies (the reference's convention: 3834 for its
// seed 1), and whether it was met at all. errors[k] is episode k's error.
func (c Criterion) Episodes(errors []float64) (n int, reached bool) {
	need := int(math.Ceil(c.Fraction*float64(c.Window) - 1e-9))
	below := 0
	for k, e := range errors {
		if c.Correct(e) {
			below++
		}
		if k >= c.Window && c.Correct(errors[k-c.Window]) {
			below--
		}
		if k >= c.Window-1 && below >= need {
			return k + 1, true
		}
	}
	return len(errors), false
}

// Outcome is one run's episodes to criterion.
type Outcome struct {
	// Episodes to criterion, or the number of episodes run when Censored.
	Episodes int
	// Censored: the criterion was not met within the run.
	Censored bool
}

// Summary is a median and interquartile range over seeds.
type Summary struct {
	N              int // number of values
	Median, Q1, Q3 float64
	Min, Max       float64
	Censored       int // number of censored values (summaries of Outcomes)
}

func (s Summary) String() string {
	c := ""
	if s.Censored > 0 {
		c = fmt.Sprintf(", %d censored", s.Censored)
	}
	return fmt.Sprintf("median %.4g [IQR %.4g-%.4g, range %.4g-%.4g] over %d%s", s.Median, s.Q1, s.Q3, s.Min, s.Max, s.N, c)
}

// quantile returns the p-quantile of sorted xs by linear interpolation
// between order statistics (type 7, the default of R and numpy).
func quantile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	h := p * float64(len(xs)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

// Summarize returns the median, quartiles and range of xs (NaN for none).
func Summarize(xs []float64) Summary {
	s := slices.Clone(xs)
	slices.Sort(s)
	out := Summary{N: len(s), Median: quantile(s, 0.5), Q1: quantile(s, 0.25), Q3: quantile(s, 0.75),
		Min: math.NaN(), Max: math.NaN()}
	if len(s) > 0 {
		out.Min, out.Max = s[0], s[len(s)-1]
	}
	return out
}

// SummarizeOutcomes summarises episodes to criterion over seeds. A
// censored run counts at its cap (a lower bound), so the median is exact
// as long as fewer than half of the runs are censored; Censored says how
// many were.
func SummarizeOutcomes(os []Outcome) Summary {
	xs := make([]float64, len(os))
	c := 0
	for k, o := range os {
		xs[k] = float64(o.Episodes)
		if o.Censored {
			c++
		}
	}
	s := Summarize(xs)
	s.Censored = c
	return s
}
