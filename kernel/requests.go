package kernel

import (
	"encoding/json"

	"github.com/plasticnb/plasticnb/kernel/cell"
	"github.com/plasticnb/plasticnb/kernel/wire"
)

// The requests other than execute.

func (k *Kernel) kernelInfo(ch wire.Channel, m *wire.Message) {
	l, d := k.interp.Language(), DefaultLanguage()
	for _, f := range []struct {
		dst *string
		def string
	}{
		{&l.Name, d.Name}, {&l.Version, d.Version}, {&l.MIMEType, d.MIMEType},
		{&l.FileExtension, d.FileExtension}, {&l.CodeMirrorMode, d.CodeMirrorMode},
		{&l.PygmentsLexer, d.PygmentsLexer}, {&l.Banner, d.Banner},
	} {
		if *f.dst == "" {
			*f.dst = f.def
		}
	}
	k.reply(ch, m, wire.KernelInfoReply, kernelInfoReply{
		Status:                "ok",
		ProtocolVersion:       wire.ProtocolVersion,
		Implementation:        implementation,
		ImplementationVersion: k.version,
		LanguageInfo: languageInfo{Name: l.Name, Version: l.Version, MIMEType: l.MIMEType,
			FileExtension: l.FileExtension, CodeMirrorMode: l.CodeMirrorMode,
			PygmentsLexer: l.PygmentsLexer, NBConvertExporter: "script"},
		Banner:    l.Banner,
		HelpLinks: k.helpLinks,
	})
}

// decode decodes m's content into v, answering a bad request with an
// error reply; it reports whether to go on.
func (k *Kernel) decode(m *wire.Message, reply wire.MsgType, v any) bool {
	if err := m.DecodeContent(v); err != nil {
		k.log.Printf("shell: %v", err)
		k.reply(wire.Shell, m, reply, errorReply{Status: "error", EName: "BadRequest", EValue: err.Error(), Traceback: []string{err.Error()}})
		return false
	}
	return true
}

// cursor returns the byte offset of a request's cursor_pos (the end of
// code if absent) and the unit the frontend counts in.
func cursor(code string, pos *int) (int, offsetUnit) {
	if pos == nil {
		return len(code), codePoints
	}
	u := guessUnit(code, *pos)
	return byteOffset(code, *pos, u), u
}

func (k *Kernel) complete(m *wire.Message) {
	var c completeRequest
	if !k.decode(m, wire.CompleteReply, &c) {
		return
	}
	off, u := cursor(c.Code, c.CursorPos)
	res := k.interp.Complete(c.Code, off)
	start, end := res.Start, res.End
	if len(res.Matches) == 0 || start < 0 || end > len(c.Code) || start > end {
		start, end = off, off
	}
	matches := res.Matches
	if matches == nil {
		matches = []string{}
	}
	k.reply(wire.Shell, m, wire.CompleteReply, completeReply{Status: "ok", Matches: matches,
		CursorStart: unitOffset(c.Code, start, u), CursorEnd: unitOffset(c.Code, end, u),
		Metadata: json.RawMessage("{}")})
}

func (k *Kernel) inspect(m *wire.Message) {
	var c inspectRequest
	if !k.decode(m, wire.InspectReply, &c) {
		return
	}
	off, _ := cursor(c.Code, c.CursorPos)
	res := k.interp.Inspect(c.Code, off, c.DetailLevel)
	k.reply(wire.Shell, m, wire.InspectReply, inspectReply{Status: "ok", Found: res.Found,
		Data: nonNil(res.Data.Data), Metadata: nonNil(res.Data.Metadata)})
}

func (k *Kernel) isComplete(m *wire.Message) {
	var c isCompleteRequest
	if !k.decode(m, wire.IsCompleteReply, &c) {
		return
	}
	status, indent := k.interp.IsComplete(c.Code)
	r := isCompleteReply{Status: string(status)}
	switch status {
	case cell.Incomplete:
		r.Indent = &indent
	case cell.Complete, cell.Invalid, cell.Unknown:
	default:
		r.Status = string(cell.Unknown)
	}
	k.reply(wire.Shell, m, wire.IsCompleteReply, r)
}

func (k *Kernel) history(m *wire.Message) {
	var c historyRequest
	if !k.decode(m, wire.HistoryReply, &c) {
		return
	}
	var entries []histEntry
	switch c.HistAccessType {
	case "tail":
		entries = k.hist.tail(c.N)
	case "range":
		entries = k.hist.span(c.Session, c.Start, c.Stop)
	case "search":
		entries = k.hist.search(c.Pattern, c.N, c.Unique)
	default:
		k.log.Printf("shell: history_request with hist_access_type %q", c.HistAccessType)
	}
	out := make([][]any, len(entries))
	for i, e := range entries {
		if c.Output {
			out[i] = []any{historySession, e.line, []any{e.input, nil}}
		} else {
			out[i] = []any{historySession, e.line, e.input}
		}
	}
	k.reply(wire.Shell, m, wire.HistoryReply, historyReply{Status: "ok", History: out})
}
