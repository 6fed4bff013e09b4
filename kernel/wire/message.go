package wire

import (
	"encoding/json"
	"fmt"
)

// ProtocolVersion is the messaging protocol version the kernel speaks; it is
// every header's version.
const ProtocolVersion = "5.3"

// MsgType is a header's msg_type.
type MsgType string

// The message types of protocol 5.3 the kernel knows.
const (
	KernelInfoRequest MsgType = "kernel_info_request"
	KernelInfoReply   MsgType = "kernel_info_reply"
	ExecuteRequest    MsgType = "execute_request"
	ExecuteReply      MsgType = "execute_reply"
	CompleteRequest   MsgType = "complete_request"
	CompleteReply     MsgType = "complete_reply"
	InspectRequest    MsgType = "inspect_request"
	InspectReply      MsgType = "inspect_reply"
	IsCompleteRequest MsgType = "is_complete_request"
	IsCompleteReply   MsgType = "is_complete_reply"
	HistoryRequest    MsgType = "history_request"
	HistoryReply      MsgType = "history_reply"
	CommInfoRequest   MsgType = "comm_info_request"
	CommInfoReply     MsgType = "comm_info_reply"
	CommOpen          MsgType = "comm_open"
	CommMsg           MsgType = "comm_msg"
	CommClose         MsgType = "comm_close"
	ShutdownRequest   MsgType = "shutdown_request"
	ShutdownReply     MsgType = "shutdown_reply"
	InterruptRequest  MsgType = "interrupt_request"
	InterruptReply    MsgType = "interrupt_reply"
	InputRequest      MsgType = "input_request"
	InputReply        MsgType = "input_reply"
	Status            MsgType = "status"
	ExecuteInput      MsgType = "execute_input"
	ExecuteResult     MsgType = "execute_result"
	Stream            MsgType = "stream"
	DisplayData       MsgType = "display_data"
	UpdateDisplayData MsgType = "update_display_data"
	ClearOutput       MsgType = "clear_output"
	Error             MsgType = "error"
	requestSuffix             = "_request"
	replySuffix               = "_reply"
)

// ReplyType returns the reply type of a request type ("x_request" ->
// "x_reply"), and false if t is not a request.
func (t MsgType) ReplyType() (MsgType, bool) {
	s := string(t)
	if len(s) <= len(requestSuffix) || s[len(s)-len(requestSuffix):] != requestSuffix {
		return "", false
	}
	return MsgType(s[:len(s)-len(requestSuffix)] + replySuffix), true
}

// Channel names the socket a message travels on.
type Channel int

// The kernel's channels. The heartbeat carries no messages and is not one.
const (
	Shell Channel = iota
	Control
	Stdin
	IOPub
)

func (c Channel) String() string {
	switch c {
	case Shell:
		return "shell"
	case Control:
		return "control"
	case Stdin:
		return "stdin"
	case IOPub:
		return "iopub"
	}
	return fmt.Sprintf("channel(%d)", int(c))
}

// Header is a message header (and, as a message's parent, the header of
// the message it answers).
type Header struct {
	MsgID    string  `json:"msg_id"`
	Session  string  `json:"session"`
	Username string  `json:"username"`
	Date     string  `json:"date,omitempty"`
	MsgType  MsgType `json:"msg_type"`
	Version  string  `json:"version"`
}

// Message is one protocol message.
type Message struct {
	// Identities are the routing frames before the delimiter: on a ROUTER
	// socket the peer to answer, on iopub the topic.
	Identities [][]byte
	Header     Header
	// Parent is the header of the request this message answers, nil if
	// none (encoded as {}).
	Parent *Header
	// Metadata and Content are JSON objects; nil encodes as {}.
	Metadata json.RawMessage
	Content  json.RawMessage
	// Buffers are the raw binary frames after the content.
	Buffers [][]byte
}

// DecodeContent unmarshals the message's content into v.
func (m *Message) DecodeContent(v any) error {
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("wire: %s content: %w", m.Header.MsgType, err)
	}
	return nil
}
