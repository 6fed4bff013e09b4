package goeval

import "github.com/plasticnb/plasticnb/kernel/cell"

// Complete returns completions at cursor.
func (ip *Interp) Complete(code string, cursor int) cell.Completion {
	return cell.Completion{Start: cursor, End: cursor}
}

// Inspect returns the documentation of the identifier at cursor.
func (ip *Interp) Inspect(code string, cursor int, detail int) cell.Inspection {
	return cell.Inspection{}
}

// IsComplete reports whether code is ready to run.
func (ip *Interp) IsComplete(code string) (cell.Completeness, string) {
	return cell.Complete, ""
}
