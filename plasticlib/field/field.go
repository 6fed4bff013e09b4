// Package field is the configuration error of plasticlib: a value that
// makes no sense (N <= 0, a trial with no steps) is reported as an *Error
// naming the field, from the constructor or Validate method that checked
// it. network, task, rule, learn and eval return it; a caller tells a
// configuration error from a run's failure with errors.As:
//
//	var fe *field.Error
//	if errors.As(err, &fe) { ... fe.Field ... }
//
// Validate methods that find several bad fields join them (errors.Join);
// errors.As finds the first.
//
// Layer: a leaf; imports only the standard library.
package field

import (
	"errors"
	"fmt"
)

// Error is a configuration error naming the offending field.
type Error struct {
	// Field is the field's qualified name, as a caller writes it:
	// "network.Config.N", "learn.Config.Record.Synapses", or for a value
	// an interface method returns, "task NumTypes".
	Field string
	// Reason says what is wrong, with the value: "must be > 0, got 0".
	Reason string
	// Err is the error Reason wraps (%w in Errorf), or nil.
	Err error
}

// Error returns "Field: Reason".
func (e *Error) Error() string { return e.Field + ": " + e.Reason }

// Unwrap returns the wrapped error, so that errors.Is sees through an Error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error for field, with the reason formatted as
// fmt.Errorf formats it (a %w verb wraps its operand).
func Errorf(field, format string, args ...any) error {
	reason := fmt.Errorf(format, args...)
	return &Error{Field: field, Reason: reason.Error(), Err: errors.Unwrap(reason)}
}
