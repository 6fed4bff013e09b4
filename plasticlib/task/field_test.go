package task_test

import (
	"errors"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Configuration errors are *field.Error naming the field.
func TestFieldErrors(t *testing.T) {
	empty := task.Trial{}
	empty.Reset(10, 1)
	empty.EvalStart, empty.EvalEnd = 5, 5
	outOfRange := task.Trial{}
	outOfRange.Reset(10, 1)
	outOfRange.EvalStart, outOfRange.EvalEnd, outOfRange.Type = 0, 10, 4
	tests := []struct {
		name  string
		err   func() error
		field string
	}{
		{"DNMS Dt", func() error { c := task.DefaultDNMS(); c.Dt = 0; _, err := task.NewDNMS(c); return err }, "task.DNMSConfig.Dt"},
		{"context Dt", func() error { c := task.DefaultContext(); c.Dt = -1; _, err := task.NewContext(c); return err }, "task.ContextConfig.Dt"},
		{"evidence Dt", func() error { c := task.DefaultEvidence(); c.Dt = 0; _, err := task.NewEvidence(c); return err }, "task.EvidenceConfig.Dt"},
		{"no trial types", func() error { return task.Validate(task.Func{Types: 0, Inputs: 1, Length: 5}) }, "task NumTypes"},
		{"empty window", func() error { return empty.Check(2) }, "task.Trial.EvalStart, EvalEnd"},
		{"type out of range", func() error { return outOfRange.Check(2) }, "task.Trial.Type"},
	}
	for _, tt := range tests {
		err := tt.err()
		var fe *field.Error
		if !errors.As(err, &fe) || fe.Field != tt.field {
			t.Errorf("%s: error %v; want a *field.Error for %s", tt.name, err, tt.field)
		}
	}
	if err := empty.Check(2); !errors.Is(err, task.ErrEmptyWindow) {
		t.Errorf("Check of an empty window: %v; want it to wrap ErrEmptyWindow", err)
	}
}
