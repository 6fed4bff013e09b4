package eval_test

import (
	"errors"
	"math"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// Criterion.Validate's errors are *field.Error naming the field.
func TestCriterionFieldErrors(t *testing.T) {
	ok := eval.DefaultCriterion()
	tests := []struct {
		change func(*eval.Criterion)
		field  string
	}{
		{func(c *eval.Criterion) { c.Window = 0 }, "eval.Criterion.Window"},
		{func(c *eval.Criterion) { c.Fraction = 1.5 }, "eval.Criterion.Fraction"},
		{func(c *eval.Criterion) { c.Threshold = math.Inf(1) }, "eval.Criterion.Threshold"},
	}
	for _, tt := range tests {
		c := ok
		tt.change(&c)
		err := c.Validate()
		var fe *field.Error
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%+v.Validate() = %v; want a *field.Error for %s", c, err, tt.field)
		}
	}
}
