package wire

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"
)

// dateLayout is ISO 8601 with microseconds, as Jupyter writes it.
const dateLayout = "2006-01-02T15:04:05.000000Z07:00"

// Session makes the messages one kernel sends: each gets a fresh msg_id
// (the session id and a counter), the session id, the protocol version and
// the current time. It is safe for concurrent use.
type Session struct {
	id       string
	username string
	n        atomic.Uint64
}

// NewSession returns a session with a random id and the given username
// ("kernel" if empty).
func NewSession(username string) *Session {
	if username == "" {
		username = "kernel"
	}
	return &Session{id: NewID(), username: username}
}

// ID returns the session id.
func (s *Session) ID() string { return s.id }

// NewID returns a random version 4 UUID.
func NewID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Header returns a fresh header of type t.
func (s *Session) Header(t MsgType) Header {
	return Header{
		MsgID:    s.id + "_" + strconv.FormatUint(s.n.Add(1), 10),
		Session:  s.id,
		Username: s.username,
		Date:     time.Now().UTC().Format(dateLayout),
		MsgType:  t,
		Version:  ProtocolVersion,
	}
}

// New returns a message of type t answering parent (nil for none), with
// content marshalled from content.
func (s *Session) New(t MsgType, parent *Header, content any) (*Message, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("wire: encoding %s content: %w", t, err)
	}
	return &Message{Header: s.Header(t), Parent: parent, Content: c}, nil
}
