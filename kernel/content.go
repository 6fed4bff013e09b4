package kernel

import (
	"encoding/json"

	"github.com/plasticnb/plasticnb/kernel/cell"
)

// The contents of the requests the kernel reads and of the replies and
// broadcasts it sends, as protocol 5.3 defines them.

type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"` // default true
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`   // default true
	StopOnError     *bool             `json:"stop_on_error"` // default true
}

type executeReply struct {
	Status          string         `json:"status"` // "ok" or "aborted"
	ExecutionCount  int            `json:"execution_count"`
	UserExpressions map[string]any `json:"user_expressions"`
	Payload         []any          `json:"payload"`
}

type executeErrorReply struct {
	Status         string   `json:"status"` // "error"
	ExecutionCount int      `json:"execution_count"`
	EName          string   `json:"ename"`
	EValue         string   `json:"evalue"`
	Traceback      []string `json:"traceback"`
}

// errorReply is the content of a reply with status "error", and of a
// user expression that failed.
type errorReply struct {
	Status    string   `json:"status"`
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

type errorBroadcast struct {
	EName     string   `json:"ename"`
	EValue    string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

type executeInput struct {
	Code           string `json:"code"`
	ExecutionCount int    `json:"execution_count"`
}

type executeResult struct {
	ExecutionCount int               `json:"execution_count"`
	Data           map[cell.MIME]any `json:"data"`
	Metadata       map[cell.MIME]any `json:"metadata"`
}

type displayData struct {
	Data      map[cell.MIME]any `json:"data"`
	Metadata  map[cell.MIME]any `json:"metadata"`
	Transient *transient        `json:"transient,omitempty"`
}

type transient struct {
	DisplayID string `json:"display_id"`
}

type userExpressionOK struct {
	Status   string            `json:"status"`
	Data     map[cell.MIME]any `json:"data"`
	Metadata map[cell.MIME]any `json:"metadata"`
}

type streamContent struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

type clearOutput struct {
	Wait bool `json:"wait"`
}

type statusContent struct {
	ExecutionState string `json:"execution_state"`
}

type inputRequest struct {
	Prompt   string `json:"prompt"`
	Password bool   `json:"password"`
}

type inputReply struct {
	Value string `json:"value"`
}

type kernelInfoReply struct {
	Status                string       `json:"status"`
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          languageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
	HelpLinks             []HelpLink   `json:"help_links"`
	Debugger              bool         `json:"debugger"`
}

type languageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	MIMEType          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	CodeMirrorMode    string `json:"codemirror_mode"`
	PygmentsLexer     string `json:"pygments_lexer"`
	NBConvertExporter string `json:"nbconvert_exporter"`
}

type completeRequest struct {
	Code      string `json:"code"`
	CursorPos *int   `json:"cursor_pos"` // default: the end of code
}

type completeReply struct {
	Status      string          `json:"status"`
	Matches     []string        `json:"matches"`
	CursorStart int             `json:"cursor_start"`
	CursorEnd   int             `json:"cursor_end"`
	Metadata    json.RawMessage `json:"metadata"`
}

type inspectRequest struct {
	Code        string `json:"code"`
	CursorPos   *int   `json:"cursor_pos"`
	DetailLevel int    `json:"detail_level"`
}

type inspectReply struct {
	Status   string            `json:"status"`
	Found    bool              `json:"found"`
	Data     map[cell.MIME]any `json:"data"`
	Metadata map[cell.MIME]any `json:"metadata"`
}

type isCompleteRequest struct {
	Code string `json:"code"`
}

type isCompleteReply struct {
	Status string  `json:"status"`
	Indent *string `json:"indent,omitempty"`
}

type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

type historyReply struct {
	Status  string  `json:"status"`
	History [][]any `json:"history"`
}

type commInfoRequest struct {
	TargetName string `json:"target_name"`
}

type commInfoReply struct {
	Status string              `json:"status"`
	Comms  map[string]commInfo `json:"comms"`
}

type commInfo struct {
	TargetName string `json:"target_name"`
}

type shutdownContent struct {
	Status  string `json:"status,omitempty"`
	Restart bool   `json:"restart"`
}

type okReply struct {
	Status string `json:"status"`
}

// orTrue returns *b, or true if b is nil.
func orTrue(b *bool) bool { return b == nil || *b }

// nonNil returns m, or an empty map if m is nil, so that it encodes as {}.
func nonNil(m map[cell.MIME]any) map[cell.MIME]any {
	if m == nil {
		return map[cell.MIME]any{}
	}
	return m
}
