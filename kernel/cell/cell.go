// Package cell is the contract between the kernel's message dispatcher
// (package kernel) and a language interpreter (package kernel/goeval): what
// an execute, complete, inspect or is_complete request asks and what the
// interpreter answers, and the Output through which a running cell
// publishes. It holds types only; it imports nothing of the transport, and
// an interpreter never sees a socket or a wire message.
//
// Offsets (cursor positions, completion ranges) are byte offsets into the
// cell's code, which is valid UTF-8; the dispatcher converts them to and
// from the protocol's Unicode code points.
//
// It is a leaf: it imports only the standard library, so that the
// dispatcher, the output capture and the display layer (kernel/display,
// which renders plots on top of these types) can all share it without the
// dispatcher reaching gonum/plot. A test (layers_test.go in package kernel)
// keeps it so.
package cell

import "context"

// Request is one execute_request as the interpreter sees it.
type Request struct {
	Code string
	// Silent: publish nothing and do not count the execution.
	Silent bool
	// StoreHistory: record the cell in the session history.
	StoreHistory bool
	// UserExpressions are evaluated after the code, by name.
	UserExpressions map[string]string
	// AllowStdin reports whether the frontend answers input requests.
	AllowStdin bool
	// ExecutionCount is the count this execution is reported under.
	ExecutionCount int
}

// Error is a failed cell, as the protocol's error output carries it.
type Error struct {
	Name      string   // ename, e.g. "CompileError", "panic", "Interrupted"
	Value     string   // evalue: a one-line message
	Traceback []string // lines shown to the user; may hold ANSI colour codes
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Result is what an execution produced besides what it streamed.
type Result struct {
	// Value is the rendering of the cell's trailing expression, nil if the
	// cell had none (or its value was discarded).
	Value *Bundle
	// Err is non-nil if the cell failed (compile error, panic, interrupt).
	Err *Error
	// UserExpressions maps each requested name to its result: a Bundle on
	// success or an *Error.
	UserExpressions map[string]any
}

// Output is how a running cell reaches the frontend: Sink for
// streams and rich output, and Input for reading from stdin.
type Output interface {
	Sink
	// Input asks the frontend for a line (input_request on the stdin
	// channel) and blocks until the reply; it returns an error if the
	// frontend does not allow stdin or the request is interrupted.
	Input(ctx context.Context, prompt string, password bool) (string, error)
}

// Completion answers complete_request.
type Completion struct {
	Matches    []string
	Start, End int // byte offsets of the text the matches replace
}

// Inspection answers inspect_request.
type Inspection struct {
	Found bool
	Data  Bundle
}

// Completeness is the status of is_complete_reply.
type Completeness string

// The is_complete statuses.
const (
	Complete   Completeness = "complete"
	Incomplete Completeness = "incomplete"
	Invalid    Completeness = "invalid"
	Unknown    Completeness = "unknown"
)

// Interpreter runs cells with state kept between them. The dispatcher calls
// Execute for one cell at a time; Complete, Inspect and IsComplete may be
// called while a cell runs and must not block on it.
type Interpreter interface {
	// Execute runs req.Code. Cancelling ctx interrupts the cell; Execute
	// then returns promptly with an Err named "Interrupted".
	Execute(ctx context.Context, req Request, out Output) Result
	Complete(code string, cursor int) Completion
	Inspect(code string, cursor int, detail int) Inspection
	// IsComplete reports whether code is ready to run and, when it is
	// incomplete, the indentation for the next line.
	IsComplete(code string) (status Completeness, indent string)
	// Language describes the language for kernel_info_reply.
	Language() LanguageInfo
}

// LanguageInfo is kernel_info_reply's language_info plus banner.
type LanguageInfo struct {
	Name, Version, MIMEType, FileExtension string
	CodeMirrorMode, PygmentsLexer          string
	Banner                                 string
}
