package rule

import (
	"fmt"
	"strconv"
	"strings"
)

// FreeSetNames lists the coefficient sets FreeSet knows.
func FreeSetNames() []string { return []string{"all", "odd", "odd-supra"} }

// FreeSet returns which coefficients Theta[k][l] of a (k+1) x (l+1) basis
// a meta-learner changes: those of the named set (see FreeSetNames: all;
// odd in dx, so that H(r, -dx) = -H(r, dx); odd and at least cubic in dx)
// in the rows of the pre-synaptic powers pre (nil: every row). Each active
// power adds a trace product per trial, so fewer rows run faster.
func FreeSet(name string, pre []int, k, l int) ([][]bool, error) {
	rows := make([]bool, k+1)
	for a := range rows {
		rows[a] = pre == nil
	}
	for _, a := range pre {
		if a < 0 || a > k {
			return nil, fmt.Errorf("rule.FreeSet: pre-synaptic power %d is not from 0 to K = %d", a, k)
		}
		rows[a] = true
	}
	out := make([][]bool, k+1)
	for a := range out {
		out[a] = make([]bool, l+1)
		if !rows[a] {
			continue
		}
		for b := range out[a] {
			switch name {
			case "all":
				out[a][b] = true
			case "odd":
				out[a][b] = b%2 == 1
			case "odd-supra":
				out[a][b] = b%2 == 1 && b >= 3
			default:
				return nil, fmt.Errorf("rule.FreeSet: unknown set %q (want one of %s)", name, strings.Join(FreeSetNames(), ", "))
			}
		}
	}
	return out, nil
}

// ParsePowers reads a comma-separated list of pre-synaptic powers, each
// from 0 to k ("3" or "1,3,5"); the empty string gives nil (every power).
func ParsePowers(s string, k int) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		a, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || a < 0 || a > k {
			return nil, fmt.Errorf("%q is not a pre-synaptic power from 0 to K = %d", f, k)
		}
		out = append(out, a)
	}
	return out, nil
}
