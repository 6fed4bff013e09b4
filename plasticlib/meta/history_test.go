package meta

import (
	"reflect"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

func TestHistoryRule(t *testing.T) {
	start := rule.MiconiCubic()
	cfg := Config{Problem: Problem{Rule: start, Params: Params{LogEta: true}}}
	phi := cfg.Problem.Params.Get(start)
	moved := append([]float64(nil), phi...)
	moved[5] += 0.25
	tests := []struct {
		name    string
		phi     []float64
		wantErr bool
	}{
		{"unchanged", phi, false},
		{"moved", moved, false},
		{"wrong length", phi[:3], true},
	}
	for _, tt := range tests {
		h := &History{Config: cfg, Phi: tt.phi}
		got, err := h.Rule()
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: Rule() error %v; want error %v", tt.name, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		want, _ := cfg.Problem.Params.Apply(start, tt.phi)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Rule() = %v; want %v", tt.name, got, want)
		}
		if back := cfg.Problem.Params.Get(got); !reflect.DeepEqual(back, tt.phi) {
			t.Errorf("%s: Params.Get(Rule()) = %v; want %v", tt.name, back, tt.phi)
		}
	}
}
