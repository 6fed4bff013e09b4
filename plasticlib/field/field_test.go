package field_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

var errSentinel = errors.New("sentinel")

func TestErrorf(t *testing.T) {
	tests := []struct {
		field, format string
		args          []any
		want          string
		wraps         error
	}{
		{"network.Config.N", "must be > 0, got %d", []any{0}, "network.Config.N: must be > 0, got 0", nil},
		{"task NumTypes", "must be > 0, got %d", []any{-1}, "task NumTypes: must be > 0, got -1", nil},
		{"task.Trial.EvalStart, EvalEnd", "[%d, %d): %w", []any{3, 3, errSentinel}, "task.Trial.EvalStart, EvalEnd: [3, 3): sentinel", errSentinel},
	}
	for _, tt := range tests {
		err := field.Errorf(tt.field, tt.format, tt.args...)
		if err.Error() != tt.want {
			t.Errorf("Errorf(%q, %q, %v) = %q; want %q", tt.field, tt.format, tt.args, err, tt.want)
		}
		var fe *field.Error
		if !errors.As(fmt.Errorf("outer: %w", errors.Join(errors.New("other"), err)), &fe) || fe.Field != tt.field {
			t.Errorf("Errorf(%q, ...): errors.As through a join gives %v; want the *Error of %q", tt.field, fe, tt.field)
		}
		if tt.wraps != nil && !errors.Is(err, tt.wraps) {
			t.Errorf("Errorf(%q, %q, ...) does not wrap %v", tt.field, tt.format, tt.wraps)
		}
		if tt.wraps == nil && errors.Unwrap(err) != nil {
			t.Errorf("Errorf(%q, %q, ...) wraps %v; want nothing", tt.field, tt.format, errors.Unwrap(err))
		}
	}
}

// A configuration error names the field; errors.As tells it from others.
func ExampleError() {
	err := fmt.Errorf("building the network: %w", field.Errorf("network.Config.N", "must be > 0, got %d", 0))
	var fe *field.Error
	if errors.As(err, &fe) {
		fmt.Println(fe.Field, "|", fe.Reason)
	}
	fmt.Println(err)
	// Output:
	// network.Config.N | must be > 0, got 0
	// building the network: network.Config.N: must be > 0, got 0
}
