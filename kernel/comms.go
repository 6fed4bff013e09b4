package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/plasticnb/plasticnb/kernel/comm"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

// Comms: the dispatcher's side of package comm. Comm messages from the
// frontend are shell messages: they wait in the shell queue like any other
// request, so a comm handler never runs behind a cell's back, and a cell
// never sees a handler change its state between two of its statements (as
// with ipykernel, whose shell handles one message at a time). A running cell
// may let them in between its statements by calling Poll (comm.Manager.Poll,
// widget.UI.Poll), as jupyter-ui-poll does for ipykernel: the comm messages
// then run on the cell's goroutine, ahead of the other requests queued,
// which keep their order.

// Comms returns the session's comm manager; cells reach it through
// comm.FromContext(display.CellContext()).
func (k *Kernel) Comms() *comm.Manager { return k.comms }

// commSender publishes what the comm manager sends on iopub, with the shell
// request being handled as parent: the execute_request of the running cell,
// or the comm_msg whose handler sends.
type commSender struct{ k *Kernel }

func (s commSender) SendComm(kind comm.Kind, content any) error {
	k := s.k
	if k.t == nil {
		return errors.New("kernel: comm message before Serve")
	}
	k.publish(k.handling.Load(), wire.MsgType(kind), content)
	return nil
}

// Context returns the context of what runs now: the running cell's, or
// that of the comm message whose handler runs (cancelled by an interrupt),
// or context.Background().
func (s commSender) Context() context.Context {
	k := s.k
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.runCtx != nil {
		return k.runCtx
	}
	return context.Background()
}

func (s commSender) ParentID() string {
	if h := s.k.handling.Load(); h != nil {
		return h.MsgID
	}
	return ""
}

// Poll handles, on the calling goroutine, the comm messages that have
// arrived while a cell runs, and returns how many. Other shell requests it
// finds are held, in order, for the shell worker. It does nothing when no
// cell runs (the shell worker handles everything then) or when a Poll is
// already under way (a handler that polls).
func (s commSender) Poll() int {
	k := s.k
	if !k.pollMu.TryLock() {
		return 0
	}
	defer k.pollMu.Unlock()
	k.mu.Lock()
	running := k.cellRuns
	k.mu.Unlock()
	if !running {
		return 0
	}
	cellHeader := k.handling.Load()
	defer k.handling.Store(cellHeader)
	n := 0
	for {
		select {
		case m := <-k.queue:
			switch m.Header.MsgType {
			case wire.CommOpen, wire.CommMsg, wire.CommClose:
				k.handling.Store(&m.Header)
				k.status(m, "busy")
				k.deliverComm(m)
				k.status(m, "idle")
				n++
			default:
				k.held = append(k.held, m)
			}
		default:
			return n
		}
	}
}

func (k *Kernel) commInfo(m *wire.Message) {
	var c commInfoRequest
	if !k.decode(m, wire.CommInfoReply, &c) {
		return
	}
	comms := map[string]commInfo{}
	for id, target := range k.comms.Info(c.TargetName) {
		comms[id] = commInfo{TargetName: target}
	}
	k.reply(wire.Shell, m, wire.CommInfoReply, commInfoReply{Status: "ok", Comms: comms})
}

// deliverComm hands a comm_open, comm_msg or comm_close to the comm
// manager. What goes wrong is logged and answered, never fatal: a message
// for an unknown comm or target is answered by a comm_close of that id, a
// handler's panic by an error output, bad data (a handler's error) by a
// line on stderr, all with the message as parent.
func (k *Kernel) deliverComm(m *wire.Message) {
	k.commParent.Store(&m.Header)
	defer k.commParent.Store(nil)
	// Outside a cell the handler gets a context of its own, which an
	// interrupt cancels (in a cell's Poll it has the cell's).
	k.mu.Lock()
	own := k.runCtx == nil
	if own {
		ctx, cancel := context.WithCancel(context.Background())
		k.cancelCell, k.runCtx = cancel, ctx
		defer func() {
			k.mu.Lock()
			k.cancelCell, k.runCtx = nil, nil
			k.mu.Unlock()
			cancel()
		}()
	}
	k.mu.Unlock()
	kind := comm.Kind(m.Header.MsgType)
	err := k.comms.Deliver(kind, m.Content)
	if k.flushOutput != nil {
		k.flushOutput()
	}
	if err == nil {
		return
	}
	k.log.Printf("shell: %v", err)
	var de *comm.DeliveryError
	id := ""
	if errors.As(err, &de) {
		id = de.CommID
	}
	var pe *comm.PanicError
	switch {
	case errors.As(err, &pe):
		tb := []string{fmt.Sprintf("panic in the handler of %s %s: %v", kind, id, pe.Value)}
		tb = append(tb, strings.Split(strings.TrimRight(string(pe.Stack), "\n"), "\n")...)
		k.publish(&m.Header, wire.Error, errorBroadcast{EName: "panic", EValue: fmt.Sprint(pe.Value), Traceback: tb})
		if kind == comm.Open && id != "" {
			k.closeComm(m, id)
		}
	case id == "" || kind == comm.Close:
		// Nothing to answer: no comm to close, or it is closing.
	case kind == comm.Open || errors.Is(err, comm.ErrUnknownComm):
		k.closeComm(m, id)
	default:
		k.publish(&m.Header, wire.Stream, streamContent{Name: "stderr", Text: "plasticnb: " + err.Error() + "\n"})
	}
}

// closeComm tells the frontend that the comm id does not exist (any more).
func (k *Kernel) closeComm(m *wire.Message, id string) {
	k.publish(&m.Header, wire.CommClose, comm.Content{CommID: id, Data: json.RawMessage("{}")})
}
