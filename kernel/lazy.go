package kernel

import (
	"context"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// Lazy returns an Interpreter that builds the real one with newInterp in
// its own goroutine, started at once, so that the kernel can answer
// kernel_info while the interpreter loads. Language never waits: it returns
// lang until the interpreter exists; the other methods wait for newInterp (Execute also for ctx). If
// newInterp fails, every execution fails with its error.
func Lazy(lang cell.LanguageInfo, newInterp func() (cell.Interpreter, error)) cell.Interpreter {
	l := &lazy{lang: lang, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.ip, l.err = newInterp()
	}()
	return l
}

type lazy struct {
	lang cell.LanguageInfo
	done chan struct{}
	ip   cell.Interpreter // valid after done, if err is nil
	err  error
}

func (l *lazy) ready() bool {
	<-l.done
	return l.err == nil
}

func (l *lazy) Execute(ctx context.Context, req cell.Request, out cell.Output) cell.Result {
	select {
	case <-l.done:
	case <-ctx.Done():
		return cell.Result{Err: &cell.Error{Name: "Interrupted", Value: "interrupted while the interpreter was starting"}}
	}
	if l.err != nil {
		return cell.Result{Err: &cell.Error{Name: "KernelError", Value: "the Go interpreter failed to start: " + l.err.Error()}}
	}
	return l.ip.Execute(ctx, req, out)
}

func (l *lazy) Complete(code string, cursor int) cell.Completion {
	if !l.ready() {
		return cell.Completion{Start: cursor, End: cursor}
	}
	return l.ip.Complete(code, cursor)
}

func (l *lazy) Inspect(code string, cursor, detail int) cell.Inspection {
	if !l.ready() {
		return cell.Inspection{}
	}
	return l.ip.Inspect(code, cursor, detail)
}

func (l *lazy) IsComplete(code string) (cell.Completeness, string) {
	if !l.ready() {
		return cell.Unknown, ""
	}
	return l.ip.IsComplete(code)
}

// Language returns the interpreter's LanguageInfo once it exists, lang
// before.
func (l *lazy) Language() cell.LanguageInfo {
	select {
	case <-l.done:
		if l.err == nil {
			return l.ip.Language()
		}
	default:
	}
	return l.lang
}
