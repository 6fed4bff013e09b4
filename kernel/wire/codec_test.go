package wire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/plasticnb/plasticnb/kernel/wire"
)

func newCodec(t testing.TB, key string) *wire.Codec {
	t.Helper()
	c, err := wire.NewCodec(wire.Config{Key: []byte(key), MaxSize: 1 << 16, MaxFrames: 16})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sample() *wire.Message {
	return &wire.Message{
		Identities: [][]byte{[]byte("peer-1")},
		Header: wire.Header{MsgID: "m1", Session: "s", Username: "u",
			Date: "2026-01-02T03:04:05.000006Z", MsgType: wire.ExecuteRequest, Version: "5.3"},
		Parent:   &wire.Header{MsgID: "p1", MsgType: wire.KernelInfoRequest},
		Metadata: json.RawMessage(`{"a":1}`),
		Content:  json.RawMessage(`{"code":"x := \"é\"","silent":false}`),
		Buffers:  [][]byte{{0, 1, 2}},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, key := range []string{"", "secret"} {
		c := newCodec(t, key)
		m := sample()
		frames, err := c.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Decode(frames)
		if err != nil {
			t.Fatalf("key %q: Decode(Encode(m)) error %v", key, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("key %q: Decode(Encode(m)) = %+v; want %+v", key, got, m)
		}
	}
}

func TestEncodeEmpty(t *testing.T) {
	c := newCodec(t, "k")
	frames, err := c.Encode(&wire.Message{Header: wire.Header{MsgID: "1", MsgType: wire.Status}})
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 6 || string(frames[0]) != wire.Delimiter || len(frames[1]) != 64 {
		t.Fatalf("Encode(no identities) = %q; want delimiter, 64-hex signature, 4 parts", frames)
	}
	for i, want := range []string{"{}", "{}", "{}"} {
		if got := string(frames[3+i]); got != want {
			t.Errorf("frame %d = %q; want %q", 3+i, got, want)
		}
	}
}

// frames encodes sample() with key "secret" and lets edit change the frames.
func frames(t *testing.T, edit func([][]byte) [][]byte) [][]byte {
	f, err := newCodec(t, "secret").Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	return edit(f)
}

func TestDecodeErrors(t *testing.T) {
	// Frames of sample(): 0 identity, 1 delimiter, 2 signature, 3 header,
	// 4 parent, 5 metadata, 6 content, 7 buffer.
	set := func(i int, v string) func([][]byte) [][]byte {
		return func(f [][]byte) [][]byte { f[i] = []byte(v); return f }
	}
	for _, tc := range []struct {
		name string
		edit func([][]byte) [][]byte
		want error
	}{
		{"no delimiter", set(1, "<IDS|MSG"), wire.ErrNoDelimiter},
		{"short", func(f [][]byte) [][]byte { return f[:6] }, wire.ErrShort},
		{"missing signature", set(2, ""), wire.ErrSignature},
		{"wrong signature", set(2, string(bytes.Repeat([]byte("ab"), 32))), wire.ErrSignature},
		{"non-hex signature", set(2, string(bytes.Repeat([]byte("zz"), 32))), wire.ErrSignature},
		{"tampered content", set(6, `{"code":"os.Exit(1)"}`), wire.ErrSignature},
		{"tampered header", set(3, `{"msg_id":"m2","msg_type":"execute_request"}`), wire.ErrSignature},
		{"too many frames", func(f [][]byte) [][]byte {
			for range 20 {
				f = append(f, nil)
			}
			return f
		}, wire.ErrTooLarge},
		{"too many bytes", func(f [][]byte) [][]byte { return append(f, make([]byte, 1<<16)) }, wire.ErrTooLarge},
	} {
		_, err := newCodec(t, "secret").Decode(frames(t, tc.edit))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Decode error = %v; want %v", tc.name, err, tc.want)
		}
	}
}

// TestDecodeJSON checks the JSON parts without a key, so that the
// signature does not mask them.
func TestDecodeJSON(t *testing.T) {
	c := newCodec(t, "")
	for _, tc := range []struct {
		name                              string
		header, parent, metadata, content string
		want                              error
	}{
		{"ok", `{"msg_id":"1","msg_type":"x"}`, `{}`, `{}`, `{}`, nil},
		{"header not JSON", `{"msg_id":`, `{}`, `{}`, `{}`, wire.ErrHeader},
		{"header without msg_id", `{"msg_type":"x"}`, `{}`, `{}`, `{}`, wire.ErrHeader},
		{"header without msg_type", `{"msg_id":"1"}`, `{}`, `{}`, `{}`, wire.ErrHeader},
		{"parent array", `{"msg_id":"1","msg_type":"x"}`, `[]`, `{}`, `{}`, wire.ErrHeader},
		{"metadata array", `{"msg_id":"1","msg_type":"x"}`, `{}`, `[1]`, `{}`, wire.ErrJSON},
		{"content truncated", `{"msg_id":"1","msg_type":"x"}`, `{}`, `{}`, `{"a":`, wire.ErrJSON},
		{"content empty", `{"msg_id":"1","msg_type":"x"}`, `{}`, `{}`, ``, wire.ErrJSON},
	} {
		f := [][]byte{[]byte(wire.Delimiter), nil, []byte(tc.header), []byte(tc.parent), []byte(tc.metadata), []byte(tc.content)}
		_, err := c.Decode(f)
		if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
			t.Errorf("%s: Decode error = %v; want %v", tc.name, err, tc.want)
		}
	}
}

func TestNewCodecErrors(t *testing.T) {
	for _, cfg := range []wire.Config{{MaxSize: -1}, {MaxFrames: -1}} {
		if _, err := wire.NewCodec(cfg); err == nil {
			t.Errorf("NewCodec(%+v) = nil error; want one", cfg)
		}
	}
}

func TestReplyType(t *testing.T) {
	for _, tc := range []struct {
		in   wire.MsgType
		want wire.MsgType
		ok   bool
	}{
		{wire.ExecuteRequest, wire.ExecuteReply, true},
		{"foo_request", "foo_reply", true},
		{"_request", "", false},
		{wire.Status, "", false},
	} {
		got, ok := tc.in.ReplyType()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q.ReplyType() = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSessionFreshIDs(t *testing.T) {
	s := wire.NewSession("")
	seen := map[string]bool{}
	for range 100 {
		h := s.Header(wire.Status)
		if seen[h.MsgID] {
			t.Fatalf("duplicate msg_id %q", h.MsgID)
		}
		seen[h.MsgID] = true
		if h.Version != wire.ProtocolVersion || h.Session != s.ID() || h.Username != "kernel" {
			t.Fatalf("Header = %+v; want version %s, session %s, username kernel", h, wire.ProtocolVersion, s.ID())
		}
	}
}

// FuzzDecode feeds arbitrary frames to Decode; whatever decodes must
// survive an Encode/Decode round trip unchanged.
func FuzzDecode(f *testing.F) {
	c := newCodec(f, "")
	m := sample()
	m.Parent = nil
	good, _ := c.Encode(m)
	f.Add(bytes.Join(good, []byte{0xff}))
	f.Add([]byte("<IDS|MSG>\xff\xff{}\xff{}\xff{}\xff{}"))
	f.Add([]byte(`<IDS|MSG>` + "\xff\xff" + `{"msg_id":"1","msg_type":"x"}` + "\xff{}\xff{}\xff{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bytes.Split(data, []byte{0xff})
		m, err := c.Decode(in)
		if err != nil {
			return
		}
		out, err := c.Encode(m)
		if err != nil {
			t.Fatalf("Encode(Decode(%q)) error %v", in, err)
		}
		m2, err := c.Decode(out)
		if err != nil {
			t.Fatalf("Decode(Encode(Decode(%q))) error %v", in, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip of %q: %+v != %+v", in, m2, m)
		}
	})
}

func BenchmarkEncodeDecode(b *testing.B) {
	c := newCodec(b, "secret")
	m := sample()
	b.ReportAllocs()
	for b.Loop() {
		f, err := c.Encode(m)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Decode(f); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleCodec() {
	c, _ := wire.NewCodec(wire.Config{Key: []byte("connection-key")})
	s := wire.NewSession("kernel")
	msg, _ := s.New(wire.Status, nil, map[string]string{"execution_state": "idle"})
	frames, _ := c.Encode(msg)
	got, err := c.Decode(frames)
	fmt.Println(got.Header.MsgType, string(got.Content), err)

	frames[len(frames)-1] = []byte(`{"execution_state":"busy"}`) // tampered
	_, err = c.Decode(frames)
	fmt.Println(err)
	// Output:
	// status {"execution_state":"idle"} <nil>
	// wire: bad signature
}
