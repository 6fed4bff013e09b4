package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
)

func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "eh.json")
	eh := rule.EH()
	eh.Eta = 1e-3
	if err := store.SaveRule(path, eh); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, rule string
		block      int
		want       string // "" for success
	}{
		{"theta33", "", 10, ""},
		{"saved rule", path, 10, ""},
		{"block", "", 0, "-block"},
		{"missing rule", filepath.Join(t.TempDir(), "none.json"), 10, "none.json"},
	} {
		err := run(options{N: 12, Dt: 10, Amp: 30, Eta: 0.01, MaxDW: 2e-4, Rule: tc.rule, Episodes: 20, First: 1, Seeds: 2, Block: tc.block})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v; want one naming %s", tc.name, err, tc.want)
		}
	}
}
