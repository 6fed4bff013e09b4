package rule_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// Rule.Validate's errors are *field.Error naming the field (Theta with its index).
func TestFieldErrors(t *testing.T) {
	tests := []struct {
		change func(*rule.Rule)
		field  string
	}{
		{func(r *rule.Rule) { r.Eta = -1 }, "rule.Rule.Eta"},
		{func(r *rule.Rule) { r.Theta[1][1] = math.NaN() }, "rule.Rule.Theta"},
	}
	for _, tt := range tests {
		r := rule.MiconiCubic()
		tt.change(&r)
		err := r.Validate()
		var fe *field.Error
		if !errors.As(err, &fe) || !strings.HasPrefix(fe.Field, tt.field) {
			t.Errorf("Validate() = %v; want a *field.Error for %s", err, tt.field)
		}
	}
}
