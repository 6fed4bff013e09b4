package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// Delimiter separates the routing identities from the message proper.
const Delimiter = "<IDS|MSG>"

// Default limits of Config.
const (
	DefaultMaxSize   = 256 << 20 // bytes in all frames of a message
	DefaultMaxFrames = 1024      // frames in a message
)

// Errors of Decode. Each decoding error wraps one of them.
var (
	ErrTooLarge    = errors.New("message too large")
	ErrNoDelimiter = errors.New("no <IDS|MSG> delimiter")
	ErrShort       = errors.New("fewer than 5 frames after the delimiter")
	ErrSignature   = errors.New("bad signature")
	ErrHeader      = errors.New("bad header")
	ErrJSON        = errors.New("bad JSON")
)

// Config configures a Codec. The zero value signs nothing and applies the
// default limits.
type Config struct {
	// Key is the connection file's key; empty means messages are neither
	// signed nor verified, as the protocol specifies.
	Key []byte
	// MaxSize bounds the total bytes of a decoded message's frames;
	// 0 means DefaultMaxSize.
	MaxSize int
	// MaxFrames bounds the number of frames of a decoded message;
	// 0 means DefaultMaxFrames.
	MaxFrames int
}

// Codec signs, verifies, encodes and decodes messages. It is safe for
// concurrent use.
type Codec struct {
	key       []byte
	maxSize   int
	maxFrames int
	macs      sync.Pool // of hash.Hash keyed with key
}

// NewCodec returns a Codec for cfg.
func NewCodec(cfg Config) (*Codec, error) {
	if cfg.MaxSize < 0 {
		return nil, fmt.Errorf("wire: Config.MaxSize %d is negative", cfg.MaxSize)
	}
	if cfg.MaxFrames < 0 {
		return nil, fmt.Errorf("wire: Config.MaxFrames %d is negative", cfg.MaxFrames)
	}
	c := &Codec{key: bytes.Clone(cfg.Key), maxSize: cfg.MaxSize, maxFrames: cfg.MaxFrames}
	if c.maxSize == 0 {
		c.maxSize = DefaultMaxSize
	}
	if c.maxFrames == 0 {
		c.maxFrames = DefaultMaxFrames
	}
	c.macs.New = func() any { return hmac.New(sha256.New, c.key) }
	return c, nil
}

// sign returns the HMAC-SHA256 of the four JSON parts, nil without a key.
func (c *Codec) sign(parts [][]byte) []byte {
	if len(c.key) == 0 {
		return nil
	}
	mac := c.macs.Get().(hash.Hash)
	mac.Reset()
	for _, p := range parts {
		mac.Write(p)
	}
	sum := mac.Sum(nil)
	c.macs.Put(mac)
	return sum
}

// verify reports whether sig (hex) signs parts; without a key everything
// verifies. The comparison takes constant time.
func (c *Codec) verify(sig []byte, parts [][]byte) bool {
	if len(c.key) == 0 {
		return true
	}
	want := c.sign(parts)
	got := make([]byte, hex.DecodedLen(len(sig)))
	n, err := hex.Decode(got, sig)
	if err != nil || n != len(want) {
		return false
	}
	return hmac.Equal(got[:n], want)
}

var emptyObject = []byte("{}")

// Encode frames m, signing it: identities, delimiter, signature, header,
// parent header, metadata, content, buffers.
func (c *Codec) Encode(m *Message) ([][]byte, error) {
	header, err := json.Marshal(&m.Header)
	if err != nil {
		return nil, fmt.Errorf("wire: encoding header: %w", err)
	}
	parent := emptyObject
	if m.Parent != nil {
		if parent, err = json.Marshal(m.Parent); err != nil {
			return nil, fmt.Errorf("wire: encoding parent header: %w", err)
		}
	}
	metadata, content := []byte(m.Metadata), []byte(m.Content)
	if len(metadata) == 0 {
		metadata = emptyObject
	}
	if len(content) == 0 {
		content = emptyObject
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	parts := [][]byte{header, parent, metadata, content}
	sig := c.sign(parts)
	hexSig := make([]byte, hex.EncodedLen(len(sig)))
	hex.Encode(hexSig, sig)
	frames = append(frames, []byte(Delimiter), hexSig)
	frames = append(frames, parts...)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

// Decode parses frames into a message. It checks the limits, then the
// signature, and only then parses JSON: a message that fails verification
// is rejected unread. The returned message's Identities and Buffers alias
// frames.
func (c *Codec) Decode(frames [][]byte) (*Message, error) {
	if len(frames) > c.maxFrames {
		return nil, fmt.Errorf("wire: %w: %d frames, limit %d", ErrTooLarge, len(frames), c.maxFrames)
	}
	size := 0
	for _, f := range frames {
		size += len(f)
	}
	if size > c.maxSize {
		return nil, fmt.Errorf("wire: %w: %d bytes, limit %d", ErrTooLarge, size, c.maxSize)
	}
	d := -1
	for i, f := range frames {
		if string(f) == Delimiter {
			d = i
			break
		}
	}
	if d < 0 {
		return nil, fmt.Errorf("wire: %w in %d frames", ErrNoDelimiter, len(frames))
	}
	if len(frames) < d+6 {
		return nil, fmt.Errorf("wire: %w: %d", ErrShort, len(frames)-d-1)
	}
	parts := frames[d+2 : d+6]
	if !c.verify(frames[d+1], parts) {
		return nil, fmt.Errorf("wire: %w", ErrSignature)
	}
	m := &Message{Identities: frames[:d:d]}
	if len(frames) > d+6 {
		m.Buffers = frames[d+6:]
	}
	if err := json.Unmarshal(parts[0], &m.Header); err != nil {
		return nil, fmt.Errorf("wire: %w: %v", ErrHeader, err)
	}
	if m.Header.MsgID == "" || m.Header.MsgType == "" {
		return nil, fmt.Errorf("wire: %w: msg_id %q, msg_type %q", ErrHeader, m.Header.MsgID, m.Header.MsgType)
	}
	var parent Header
	if err := json.Unmarshal(parts[1], &parent); err != nil {
		return nil, fmt.Errorf("wire: %w: parent header: %v", ErrHeader, err)
	}
	if parent != (Header{}) {
		m.Parent = &parent
	}
	for i, name := range [2]string{"metadata", "content"} {
		p := parts[2+i]
		if !isObject(p) {
			return nil, fmt.Errorf("wire: %w: %s is not a JSON object", ErrJSON, name)
		}
	}
	m.Metadata = json.RawMessage(parts[2])
	m.Content = json.RawMessage(parts[3])
	return m, nil
}

// isObject reports whether p is one valid JSON object.
func isObject(p []byte) bool {
	p = bytes.TrimLeft(p, " \t\r\n")
	return len(p) > 0 && p[0] == '{' && json.Valid(p)
}
