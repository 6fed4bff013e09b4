package kernel

import (
	"regexp"
	"strings"
)

// historySession is the session number of the current session in history
// replies: the kernel keeps no history across sessions.
const historySession = 1

// histEntry is one cell of the session's history.
type histEntry struct {
	line  int // the execution count
	input string
}

// history is the session's cells in execution order.
type history struct {
	entries []histEntry
}

func (h *history) add(line int, input string) {
	h.entries = append(h.entries, histEntry{line, input})
}

// tail returns the last n entries (all if n is nil or negative).
func (h *history) tail(n *int) []histEntry {
	if n == nil || *n < 0 || *n >= len(h.entries) {
		return h.entries
	}
	return h.entries[len(h.entries)-*n:]
}

// span returns the entries of session with start <= line < stop (to the
// end if stop is nil). Session 0 and historySession are this session; any
// other has no entries.
func (h *history) span(session, start int, stop *int) []histEntry {
	if session != 0 && session != historySession {
		return nil
	}
	var out []histEntry
	for _, e := range h.entries {
		if e.line >= start && (stop == nil || e.line < *stop) {
			out = append(out, e)
		}
	}
	return out
}

// search returns the entries whose input matches the glob pattern (* any
// text, ? one character), the last n of them if n is set, keeping only the
// latest of equal inputs if unique.
func (h *history) search(pattern string, n *int, unique bool) []histEntry {
	re := globRegexp(pattern)
	var out []histEntry
	seen := map[string]bool{}
	for i := len(h.entries) - 1; i >= 0; i-- {
		e := h.entries[i]
		if !re.MatchString(e.input) || (unique && seen[e.input]) {
			continue
		}
		seen[e.input] = true
		out = append(out, e)
		if n != nil && *n > 0 && len(out) == *n {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// globRegexp compiles a glob pattern to an anchored regexp; an empty
// pattern matches everything.
func globRegexp(pattern string) *regexp.Regexp {
	if pattern == "" {
		pattern = "*"
	}
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}
