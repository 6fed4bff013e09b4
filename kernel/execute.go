package kernel

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/comm"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

// execute runs an execute_request: execute_input, the cell's outputs,
// execute_result or error on iopub, then the reply.
func (k *Kernel) execute(ctx context.Context, m *wire.Message) {
	var c executeRequest
	if err := m.DecodeContent(&c); err != nil {
		k.log.Printf("shell: %v", err)
		k.reply(wire.Shell, m, wire.ExecuteReply, executeErrorReply{Status: "error", ExecutionCount: k.count,
			EName: "BadRequest", EValue: err.Error(), Traceback: []string{err.Error()}})
		return
	}
	storeHistory := orTrue(c.StoreHistory) && !c.Silent
	if storeHistory {
		k.count++
		k.hist.add(k.count, c.Code)
	}
	count := k.count
	if !c.Silent {
		k.publish(&m.Header, wire.ExecuteInput, executeInput{Code: c.Code, ExecutionCount: count})
	}

	cellCtx, cancel := context.WithCancel(comm.NewContext(ctx, k.comms))
	k.mu.Lock()
	k.cancelCell, k.runCtx, k.cellRuns = cancel, cellCtx, true
	k.mu.Unlock()
	out := &publisher{k: k, parent: &m.Header, ids: m.Identities, allowStdin: orTrue(c.AllowStdin)}
	res := k.interp.Execute(cellCtx, cell.Request{
		Code:            c.Code,
		Silent:          c.Silent,
		StoreHistory:    storeHistory,
		UserExpressions: c.UserExpressions,
		AllowStdin:      out.allowStdin,
		ExecutionCount:  count,
	}, out)
	// A Poll by one of the cell's goroutines finishes before the cell
	// counts as ended; later ones do nothing.
	k.pollMu.Lock()
	k.mu.Lock()
	k.cancelCell, k.runCtx, k.cellRuns = nil, nil, false
	k.mu.Unlock()
	k.pollMu.Unlock()
	cancel()
	out.ended.Store(true)

	if e := res.Err; e != nil {
		tb := e.Traceback
		if tb == nil {
			tb = []string{e.Name + ": " + e.Value}
		}
		if !c.Silent {
			k.publish(&m.Header, wire.Error, errorBroadcast{EName: e.Name, EValue: e.Value, Traceback: tb})
		}
		k.reply(wire.Shell, m, wire.ExecuteReply, executeErrorReply{Status: "error", ExecutionCount: count,
			EName: e.Name, EValue: e.Value, Traceback: tb})
		if orTrue(c.StopOnError) {
			k.aborting = k.queued()
		}
		return
	}
	if res.Value != nil && !c.Silent {
		k.publish(&m.Header, wire.ExecuteResult, executeResult{ExecutionCount: count,
			Data: nonNil(res.Value.Data), Metadata: nonNil(res.Value.Metadata)})
	}
	k.reply(wire.Shell, m, wire.ExecuteReply, executeReply{Status: "ok", ExecutionCount: count,
		UserExpressions: userExpressions(c.UserExpressions, res.UserExpressions), Payload: []any{}})
}

// userExpressions converts the interpreter's results of the requested
// expressions to the protocol's form; an expression it did not answer is
// reported as an error.
func userExpressions(asked map[string]string, got map[string]any) map[string]any {
	out := make(map[string]any, len(asked))
	for name := range asked {
		switch v := got[name].(type) {
		case cell.Bundle:
			out[name] = userExpressionOK{Status: "ok", Data: nonNil(v.Data), Metadata: nonNil(v.Metadata)}
		case *cell.Bundle:
			out[name] = userExpressionOK{Status: "ok", Data: nonNil(v.Data), Metadata: nonNil(v.Metadata)}
		case *cell.Error:
			out[name] = errorReply{Status: "error", EName: v.Name, EValue: v.Value, Traceback: nonNilStrings(v.Traceback)}
		default:
			msg := fmt.Sprintf("no result for user expression %q", name)
			out[name] = errorReply{Status: "error", EName: "KernelError", EValue: msg, Traceback: []string{msg}}
		}
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// publisher is the cell.Output of one execution: it publishes on iopub
// with the execute_request as parent, and asks for input on stdin. It is
// safe for concurrent use, as the transport serialises sends.
type publisher struct {
	k          *Kernel
	parent     *wire.Header
	ids        [][]byte // the requester's identity, for input_request
	allowStdin bool
	ended      atomic.Bool // the execution has returned
}

// header is the parent of what p publishes: the execute_request; but once
// the cell has ended, while a comm message is being delivered, that
// message, so that what a widget's callback shows reaches the cell of the
// widget it came from (the interpreter keeps sending a finished cell's
// output to its last publisher).
func (p *publisher) header() *wire.Header {
	if p.ended.Load() {
		if h := p.k.commParent.Load(); h != nil {
			return h
		}
	}
	return p.parent
}

var _ cell.Output = (*publisher)(nil)

func (p *publisher) Stream(name, text string) {
	if text == "" {
		return
	}
	p.k.publish(p.header(), wire.Stream, streamContent{Name: name, Text: text})
}

func (p *publisher) Publish(b cell.Bundle, displayID string, update bool) {
	c := displayData{Data: nonNil(b.Data), Metadata: nonNil(b.Metadata)}
	if displayID != "" {
		c.Transient = &transient{DisplayID: displayID}
	}
	t := wire.DisplayData
	if update && displayID != "" {
		t = wire.UpdateDisplayData
	}
	p.k.publish(p.header(), t, c)
}

func (p *publisher) Clear(wait bool) {
	p.k.publish(p.header(), wire.ClearOutput, clearOutput{Wait: wait})
}

// ErrStdinNotAllowed is returned by a cell's Input when the frontend does
// not answer input requests (allow_stdin false).
var ErrStdinNotAllowed = errors.New("reading from stdin is not supported by this frontend (allow_stdin is false)")

// Input sends an input_request on stdin and waits for the input_reply or
// the end of ctx (an interrupt).
func (p *publisher) Input(ctx context.Context, prompt string, password bool) (string, error) {
	if !p.allowStdin {
		return "", ErrStdinNotAllowed
	}
	w := make(chan string, 1)
	k := p.k
	k.mu.Lock()
	if k.input != nil {
		k.mu.Unlock()
		return "", errors.New("another input request is pending")
	}
	k.input = w
	k.mu.Unlock()
	if err := k.send(wire.Stdin, p.ids, p.parent, wire.InputRequest, inputRequest{Prompt: prompt, Password: password}); err != nil {
		k.dropInput(w)
		return "", err
	}
	select {
	case v := <-w:
		return v, nil
	case <-ctx.Done():
		k.dropInput(w)
		return "", ctx.Err()
	}
}

// dropInput stops waiting for an input_reply on w.
func (k *Kernel) dropInput(w chan string) {
	k.mu.Lock()
	if k.input == w {
		k.input = nil
	}
	k.mu.Unlock()
}
