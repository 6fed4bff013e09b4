package rule_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

func TestFreeSet(t *testing.T) {
	count := func(m [][]bool) (n int, where []string) {
		for k, row := range m {
			for l, v := range row {
				if v {
					n++
					where = append(where, fmt.Sprintf("%d%d", k, l))
				}
			}
		}
		return n, where
	}
	for _, tc := range []struct {
		name, set string
		pre       []int
		want      []string
		err       string
	}{
		{"all rows all", "all", nil, nil, ""},
		{"odd of row 3", "odd", []int{3}, []string{"31", "33", "35"}, ""},
		{"odd-supra rows 1 and 3", "odd-supra", []int{1, 3}, []string{"13", "15", "33", "35"}, ""},
		{"unknown set", "even", nil, nil, `unknown set "even"`},
		{"power past K", "odd", []int{6}, nil, "power 6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := rule.FreeSet(tc.set, tc.pre, 5, 5)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			n, where := count(m)
			if tc.want == nil {
				if n != 36 {
					t.Fatalf("%d free, want 36", n)
				}
				return
			}
			if !slices.Equal(where, tc.want) {
				t.Fatalf("free %v, want %v", where, tc.want)
			}
		})
	}
}

func TestParsePowers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		err  bool
	}{{"", nil, false}, {"3", []int{3}, false}, {"1, 3,5", []int{1, 3, 5}, false}, {"7", nil, true}, {"a", nil, true}, {"1,,3", nil, true}} {
		got, err := rule.ParsePowers(tc.in, 5)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("ParsePowers(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}
