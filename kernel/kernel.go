package kernel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/comm"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

// Transport moves the frames of messages; *transport.Sockets implements
// it, and tests implement it in memory. Recv blocks until a message arrives
// on the channel (shell, control or stdin) and fails once the transport is
// closed; Send may be called concurrently.
type Transport interface {
	Recv(ch wire.Channel) ([][]byte, error)
	Send(ch wire.Channel, frames [][]byte) error
}

// SubscriberWaiter is implemented by a Transport whose iopub drops what is
// broadcast before a subscriber has joined (*transport.Sockets): the kernel
// then waits, for a short while after it starts, for a subscriber before
// its first broadcasts, so that the first request's busy and idle reach the
// frontend.
type SubscriberWaiter interface {
	WaitSubscriber(d time.Duration) bool
}

// The kernel waits for an iopub subscriber for at most subscriberWait before
// a broadcast, and only during the first subscriberBudget of the session.
const (
	subscriberWait   = 300 * time.Millisecond
	subscriberBudget = time.Second
)

// HelpLink is an entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// DefaultHelpLinks returns the help links of Config's zero value: gonum,
// gonum/plot and the project.
func DefaultHelpLinks() []HelpLink {
	return []HelpLink{
		{"gonum", "https://pkg.go.dev/gonum.org/v1/gonum"},
		{"gonum/plot", "https://pkg.go.dev/gonum.org/v1/plot"},
		{"plasticnb", "https://pkg.go.dev/github.com/plasticnb/plasticnb"},
		{"Go", "https://go.dev/doc/"},
	}
}

// DefaultLanguage returns the language_info of Go as this kernel reports
// it; the kernel fills the fields an Interpreter leaves empty from it.
func DefaultLanguage() cell.LanguageInfo {
	v := strings.TrimPrefix(runtime.Version(), "go")
	return cell.LanguageInfo{
		Name:           "go",
		Version:        v,
		MIMEType:       "text/x-go",
		FileExtension:  ".go",
		CodeMirrorMode: "go",
		PygmentsLexer:  "go",
		Banner:         "plasticnb: Go " + v + " notebooks with gonum, gonum/plot and plasticlib",
	}
}

// Default sizes of Config.
const (
	DefaultQueueSize = 1024
	implementation   = "plasticnb"
)

// Config configures a Kernel. Interpreter is required; the zero value of
// every other field works.
type Config struct {
	// Interpreter runs the cells.
	Interpreter cell.Interpreter
	// Key signs and verifies messages; empty means no signing.
	Key []byte
	// Log receives the kernel's own messages (dropped messages, send
	// errors); nil discards them.
	Log *log.Logger
	// Version is the implementation_version of kernel_info_reply;
	// "" means "dev".
	Version string
	// HelpLinks are kernel_info_reply's help_links; nil means
	// DefaultHelpLinks().
	HelpLinks []HelpLink
	// MaxMessageSize bounds an incoming message's bytes; 0 means
	// wire.DefaultMaxSize.
	MaxMessageSize int
	// QueueSize is how many shell requests may wait while one runs;
	// 0 means DefaultQueueSize.
	QueueSize int
	// CommTargets accept the comms the frontend opens, by target name
	// (widget.Targets() for ipywidgets); nil means none: a comm_open is
	// then answered by a comm_close.
	CommTargets map[string]comm.Target
	// FlushOutput, if not nil, waits until the output written so far has
	// been published (capture.Stdio.Flush): the kernel calls it after a
	// comm message's handler, so that what the handler printed has the
	// message as parent and comes before its idle.
	FlushOutput func()
}

// Kernel dispatches the messages of one kernel session.
type Kernel struct {
	interp    cell.Interpreter
	codec     *wire.Codec
	sess      *wire.Session
	log       *log.Logger
	version   string
	helpLinks []HelpLink
	t         Transport

	queue chan *wire.Message // shell requests, in order

	// Owned by the shell worker.
	count    int     // execution count of the last counted execution
	aborting int     // queued requests left to abort after a failed cell
	hist     history // the session's cells

	mu         sync.Mutex
	cancelCell context.CancelFunc // cancels the running cell or comm handler, or nil
	runCtx     context.Context    // the context of the running cell or comm handler, or nil
	cellRuns   bool               // a cell runs (Poll may deliver comm messages)
	input      chan string        // awaits an input_reply, or nil
	served     bool

	stop chan bool // receives the restart flag of a shutdown request

	comms       *comm.Manager
	flushOutput func()
	// pollMu guards held: the shell requests a running cell's Poll took
	// out of the queue to reach the comm messages behind them, in order.
	pollMu sync.Mutex
	held   []*wire.Message
	// handling is the header of the shell request being handled, the
	// parent of the comm messages the kernel sends; nil before the first.
	handling atomic.Pointer[wire.Header]
	// commParent is the comm message being delivered, or nil: the parent
	// of what a comm handler publishes through a cell's output after the
	// cell has ended (see publisher.header).
	commParent atomic.Pointer[wire.Header]

	started    time.Time   // when Serve started
	iopubReady atomic.Bool // no need to wait for an iopub subscriber
}

// New returns a kernel for cfg.
func New(cfg Config) (*Kernel, error) {
	if cfg.Interpreter == nil {
		return nil, errors.New("kernel: Config.Interpreter is nil")
	}
	if cfg.QueueSize < 0 {
		return nil, fmt.Errorf("kernel: Config.QueueSize %d is negative", cfg.QueueSize)
	}
	codec, err := wire.NewCodec(wire.Config{Key: cfg.Key, MaxSize: cfg.MaxMessageSize})
	if err != nil {
		return nil, fmt.Errorf("kernel: Config.MaxMessageSize: %w", err)
	}
	k := &Kernel{
		interp:    cfg.Interpreter,
		codec:     codec,
		sess:      wire.NewSession("kernel"),
		log:       cfg.Log,
		version:   cfg.Version,
		helpLinks: cfg.HelpLinks,
		stop:      make(chan bool, 1),
	}
	if k.log == nil {
		k.log = log.New(io.Discard, "", 0)
	}
	if k.version == "" {
		k.version = "dev"
	}
	if k.helpLinks == nil {
		k.helpLinks = DefaultHelpLinks()
	}
	if cfg.QueueSize == 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	k.queue = make(chan *wire.Message, cfg.QueueSize)
	k.comms = comm.NewManager(commSender{k})
	k.flushOutput = cfg.FlushOutput
	for name, t := range cfg.CommTargets {
		k.comms.Register(name, t)
	}
	return k, nil
}

// Serve receives and answers requests on t until a shutdown_request has
// been answered (it then returns the request's restart flag), ctx is done
// (it returns ctx.Err()), or t fails (it returns the error). A running cell
// is interrupted when Serve returns. Serve may be called once; the caller
// closes t afterwards, which ends Serve's goroutines blocked in Recv.
func (k *Kernel) Serve(ctx context.Context, t Transport) (restart bool, err error) {
	k.mu.Lock()
	if k.served {
		k.mu.Unlock()
		return false, errors.New("kernel: Serve called twice")
	}
	k.served = true
	k.mu.Unlock()
	k.t = t
	k.started = time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer k.Interrupt()

	errc := make(chan error, 3)
	go k.receive(ctx, wire.Shell, func(m *wire.Message) {
		select {
		case k.queue <- m:
		case <-ctx.Done():
		}
	}, errc)
	go k.receive(ctx, wire.Control, k.handleControl, errc)
	go k.receive(ctx, wire.Stdin, k.handleStdin, errc)
	go k.shellWorker(ctx)
	k.publish(nil, wire.Status, statusContent{"starting"})

	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case restart := <-k.stop:
		return restart, nil
	case err := <-errc:
		return false, err
	}
}

// Interrupt cancels the running cell, if any, and reports whether there
// was one. It is what interrupt_request and SIGINT do.
func (k *Kernel) Interrupt() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cancelCell == nil {
		return false
	}
	k.cancelCell()
	return true
}

// receive decodes the messages arriving on ch and passes them to handle.
// Messages that fail to decode (bad signature, malformed frames) are logged
// and dropped.
func (k *Kernel) receive(ctx context.Context, ch wire.Channel, handle func(*wire.Message), errc chan<- error) {
	for {
		frames, err := k.t.Recv(ch)
		if err != nil {
			if ctx.Err() == nil {
				errc <- fmt.Errorf("kernel: receiving on %v: %w", ch, err)
			}
			return
		}
		m, err := k.codec.Decode(frames)
		if err != nil {
			k.log.Printf("%v: dropping a message: %v", ch, err)
			continue
		}
		handle(m)
	}
}

// shellWorker handles the shell requests one at a time, in order.
func (k *Kernel) shellWorker(ctx context.Context) {
	for {
		if m := k.nextHeld(); m != nil {
			k.handleShell(ctx, m)
			continue
		}
		select {
		case <-ctx.Done():
			return
		case m := <-k.queue:
			k.handleShell(ctx, m)
		}
	}
}

// nextHeld returns the oldest request a Poll held back, or nil.
func (k *Kernel) nextHeld() *wire.Message {
	k.pollMu.Lock()
	defer k.pollMu.Unlock()
	if len(k.held) == 0 {
		return nil
	}
	m := k.held[0]
	k.held = k.held[1:]
	return m
}

// queued returns how many shell requests wait.
func (k *Kernel) queued() int {
	k.pollMu.Lock()
	defer k.pollMu.Unlock()
	return len(k.held) + len(k.queue)
}

// handleShell answers one shell request between busy and idle.
func (k *Kernel) handleShell(ctx context.Context, m *wire.Message) {
	k.handling.Store(&m.Header)
	k.status(m, "busy")
	restart, shutdown := k.dispatchShell(ctx, m)
	k.status(m, "idle")
	if shutdown {
		k.signalStop(restart)
	}
}

func (k *Kernel) dispatchShell(ctx context.Context, m *wire.Message) (restart, shutdown bool) {
	if k.aborting > 0 {
		k.aborting--
		if m.Header.MsgType == wire.ExecuteRequest {
			k.reply(wire.Shell, m, wire.ExecuteReply, executeReply{Status: "aborted", ExecutionCount: k.count,
				UserExpressions: map[string]any{}, Payload: []any{}})
			return false, false
		}
	}
	switch m.Header.MsgType {
	case wire.ExecuteRequest:
		k.execute(ctx, m)
	case wire.KernelInfoRequest:
		k.kernelInfo(wire.Shell, m)
	case wire.CompleteRequest:
		k.complete(m)
	case wire.InspectRequest:
		k.inspect(m)
	case wire.IsCompleteRequest:
		k.isComplete(m)
	case wire.HistoryRequest:
		k.history(m)
	case wire.CommInfoRequest:
		k.commInfo(m)
	case wire.CommOpen, wire.CommMsg, wire.CommClose:
		k.deliverComm(m)
	case wire.ShutdownRequest:
		return k.shutdown(wire.Shell, m), true
	default:
		k.unknown(wire.Shell, m)
	}
	return false, false
}

// handleControl answers one control request between busy and idle. It
// runs on the control receiver's goroutine, concurrently with the shell.
func (k *Kernel) handleControl(m *wire.Message) {
	k.status(m, "busy")
	var restart, shutdown bool
	switch m.Header.MsgType {
	case wire.InterruptRequest:
		k.Interrupt()
		k.reply(wire.Control, m, wire.InterruptReply, okReply{"ok"})
	case wire.ShutdownRequest:
		restart, shutdown = k.shutdown(wire.Control, m), true
	case wire.KernelInfoRequest:
		k.kernelInfo(wire.Control, m)
	default:
		k.unknown(wire.Control, m)
	}
	k.status(m, "idle")
	if shutdown {
		k.signalStop(restart)
	}
}

// handleStdin delivers an input_reply to the cell waiting for it.
func (k *Kernel) handleStdin(m *wire.Message) {
	if m.Header.MsgType != wire.InputReply {
		k.log.Printf("stdin: ignoring a %s", m.Header.MsgType)
		return
	}
	var c inputReply
	if err := m.DecodeContent(&c); err != nil {
		k.log.Printf("stdin: %v", err)
		return
	}
	k.mu.Lock()
	w := k.input
	k.input = nil
	k.mu.Unlock()
	if w == nil {
		k.log.Printf("stdin: an input_reply nobody waits for")
		return
	}
	w <- c.Value
}

// shutdown answers a shutdown_request and returns its restart flag.
func (k *Kernel) shutdown(ch wire.Channel, m *wire.Message) (restart bool) {
	var c shutdownContent
	if err := m.DecodeContent(&c); err != nil {
		k.log.Printf("%v: %v", ch, err)
	}
	k.Interrupt()
	k.reply(ch, m, wire.ShutdownReply, shutdownContent{Status: "ok", Restart: c.Restart})
	return c.Restart
}

func (k *Kernel) signalStop(restart bool) {
	select {
	case k.stop <- restart:
	default: // a shutdown is already under way
	}
}

// unknown logs a message of an unknown type and, if it is a request,
// answers it with an error reply.
func (k *Kernel) unknown(ch wire.Channel, m *wire.Message) {
	k.log.Printf("%v: unknown message type %q", ch, m.Header.MsgType)
	if rt, ok := m.Header.MsgType.ReplyType(); ok {
		k.reply(ch, m, rt, errorReply{Status: "error", EName: "UnknownMessageType",
			EValue: fmt.Sprintf("plasticnb does not handle %s on %v", m.Header.MsgType, ch), Traceback: []string{}})
	}
}

// status publishes the kernel's execution state for the request m.
func (k *Kernel) status(m *wire.Message, state string) {
	k.awaitSubscriber()
	k.publish(&m.Header, wire.Status, statusContent{state})
}

// awaitSubscriber waits, early in the session, until iopub has a
// subscriber (see SubscriberWaiter).
func (k *Kernel) awaitSubscriber() {
	if k.iopubReady.Load() {
		return
	}
	w, ok := k.t.(SubscriberWaiter)
	left := subscriberBudget - time.Since(k.started)
	if !ok || left <= 0 || w.WaitSubscriber(min(left, subscriberWait)) {
		k.iopubReady.Store(true)
	}
}

// reply sends a reply to m on ch, the channel m arrived on.
func (k *Kernel) reply(ch wire.Channel, m *wire.Message, t wire.MsgType, content any) {
	k.send(ch, m.Identities, &m.Header, t, content)
}

// publish broadcasts on iopub, with parent as the parent header.
func (k *Kernel) publish(parent *wire.Header, t wire.MsgType, content any) {
	topic := []byte("kernel." + k.sess.ID() + "." + string(t))
	k.send(wire.IOPub, [][]byte{topic}, parent, t, content)
}

// send encodes and sends a message, logging failures: a frontend that went
// away must not stop the kernel. The error is for callers that wait for an
// answer.
func (k *Kernel) send(ch wire.Channel, ids [][]byte, parent *wire.Header, t wire.MsgType, content any) error {
	msg, err := k.sess.New(t, parent, content)
	if err == nil {
		msg.Identities = ids
		var frames [][]byte
		if frames, err = k.codec.Encode(msg); err == nil {
			err = k.t.Send(ch, frames)
		}
	}
	if err != nil {
		err = fmt.Errorf("%v: sending %s: %w", ch, t, err)
		k.log.Print(err)
	}
	return err
}
