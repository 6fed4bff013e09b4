package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/plasticnb/plasticnb/kernel/wire"
)

// DefaultSendTimeout is Config.SendTimeout's default.
const DefaultSendTimeout = 10 * time.Second

// Config configures Bind. The zero value works.
type Config struct {
	// Log receives zmq4's and the heartbeat's messages; nil discards them.
	Log *log.Logger
	// SendTimeout bounds how long a Send may block (a ROUTER with no peer
	// yet); 0 means DefaultSendTimeout.
	SendTimeout time.Duration
}

// ErrClosed is returned by Recv and Send on closed Sockets.
var ErrClosed = errors.New("transport: sockets closed")

// Sockets are the kernel's bound sockets. Recv and Send may be called
// concurrently, also for the same channel.
type Sockets struct {
	info   ConnectionInfo
	socks  [4]zmq4.Socket // indexed by wire.Channel
	locks  [4]sync.Mutex  // serialise writes per socket
	hb     zmq4.Socket
	cancel context.CancelFunc
	hbDone chan struct{}
	log    *log.Logger

	mu         sync.Mutex
	closed     bool
	subscribed bool // iopub has had a subscriber
}

// Bind creates the five sockets of info and binds them, then starts
// answering the heartbeat. A port of 0 binds a free port; Info reports the
// ports bound. An error names the socket, address and cause ("busy" when
// the port is in use); no socket stays open after an error.
func Bind(info ConnectionInfo, cfg Config) (*Sockets, error) {
	if err := info.normalize(); err != nil {
		return nil, fmt.Errorf("transport: %w", err)
	}
	if cfg.SendTimeout == 0 {
		cfg.SendTimeout = DefaultSendTimeout
	}
	if cfg.SendTimeout < 0 {
		return nil, fmt.Errorf("transport: Config.SendTimeout %v is negative", cfg.SendTimeout)
	}
	lg := cfg.Log
	if lg == nil {
		lg = log.New(io.Discard, "", 0)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sockets{info: info, cancel: cancel, hbDone: make(chan struct{}), log: lg}
	opts := []zmq4.Option{zmq4.WithLogger(lg), zmq4.WithTimeout(cfg.SendTimeout)}
	s.socks[wire.Shell] = zmq4.NewRouter(ctx, opts...)
	s.socks[wire.Control] = zmq4.NewRouter(ctx, opts...)
	s.socks[wire.Stdin] = zmq4.NewRouter(ctx, opts...)
	s.socks[wire.IOPub] = zmq4.NewPub(ctx, opts...)
	s.hb = zmq4.NewRep(ctx, opts...)
	all := []zmq4.Socket{s.socks[wire.Shell], s.socks[wire.Control], s.socks[wire.Stdin], s.socks[wire.IOPub], s.hb}
	for i, p := range s.info.ports() {
		if err := s.listen(all[i], p); err != nil {
			s.closeSockets()
			close(s.hbDone)
			return nil, err
		}
	}
	go s.heartbeat()
	return s, nil
}

// listen binds sock to the port p, recording the port bound if p was 0.
func (s *Sockets) listen(sock zmq4.Socket, p portField) error {
	ep := s.info.endpoint(*p.port)
	if err := sock.Listen(ep); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("transport: %s %d on %s is busy (address already in use)", p.field, *p.port, s.info.IP)
		}
		return fmt.Errorf("transport: cannot bind %s %d (%s): %w", p.field, *p.port, ep, err)
	}
	if a, ok := sock.Addr().(*net.TCPAddr); ok {
		*p.port = a.Port
	}
	return nil
}

// heartbeat echoes every ping until the sockets close. It blocks in Recv:
// no polling.
func (s *Sockets) heartbeat() {
	defer close(s.hbDone)
	for {
		msg, err := s.hb.Recv()
		if err != nil {
			if s.isClosed() {
				return
			}
			s.log.Printf("heartbeat: %v", err)
			continue
		}
		if err := s.hb.Send(msg); err != nil && !s.isClosed() {
			s.log.Printf("heartbeat: %v", err)
		}
	}
}

// subscriberPoll is how often WaitSubscriber looks for a subscriber: zmq4
// has no event for it.
const subscriberPoll = time.Millisecond

// WaitSubscriber waits until the iopub socket has a subscriber, for at most
// d, and reports whether it has one. Once a subscriber has been seen it
// returns true at once. A kernel calls it before its first broadcasts, which
// a PUB socket would drop if the frontend's subscription had not arrived
// yet (jupyter_client then waits 0.2 s and asks kernel_info again).
func (s *Sockets) WaitSubscriber(d time.Duration) bool {
	s.mu.Lock()
	ok := s.subscribed
	s.mu.Unlock()
	if ok {
		return true
	}
	topics, _ := s.socks[wire.IOPub].(zmq4.Topics)
	if topics == nil {
		return false
	}
	deadline := time.Now().Add(d)
	for len(topics.Topics()) == 0 {
		if time.Now().After(deadline) || s.isClosed() {
			return false
		}
		time.Sleep(subscriberPoll)
	}
	s.mu.Lock()
	s.subscribed = true
	s.mu.Unlock()
	return true
}

// Info returns the connection info with the ports actually bound.
func (s *Sockets) Info() ConnectionInfo { return s.info }

// Recv blocks until a message arrives on ch (shell, control or stdin) and
// returns its frames, the routing identity first.
func (s *Sockets) Recv(ch wire.Channel) ([][]byte, error) {
	if ch == wire.IOPub || ch < 0 || int(ch) >= len(s.socks) {
		return nil, fmt.Errorf("transport: cannot receive on %v", ch)
	}
	msg, err := s.socks[ch].Recv()
	if err != nil {
		if s.isClosed() {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("transport: %v: %w", ch, err)
	}
	return msg.Frames, nil
}

// Send sends frames on ch. On a ROUTER socket the first frame is the peer's
// identity; on iopub it is the topic.
func (s *Sockets) Send(ch wire.Channel, frames [][]byte) error {
	if ch < 0 || int(ch) >= len(s.socks) {
		return fmt.Errorf("transport: cannot send on %v", ch)
	}
	if len(frames) == 0 {
		return fmt.Errorf("transport: empty message on %v", ch)
	}
	if s.isClosed() {
		return ErrClosed
	}
	s.locks[ch].Lock()
	err := s.socks[ch].SendMulti(zmq4.NewMsgFrom(frames...))
	s.locks[ch].Unlock()
	if err != nil {
		if s.isClosed() {
			return ErrClosed
		}
		return fmt.Errorf("transport: %v: %w", ch, err)
	}
	return nil
}

func (s *Sockets) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close closes the sockets and waits for the heartbeat to stop. Blocked
// Recv calls return ErrClosed.
func (s *Sockets) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	err := s.closeSockets()
	<-s.hbDone
	return err
}

func (s *Sockets) closeSockets() error {
	s.cancel()
	var first error
	for _, sock := range append(s.socks[:], s.hb) {
		if err := sock.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
