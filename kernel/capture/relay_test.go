package capture

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

func TestRelayMain(t *testing.T) {
	for _, tc := range []struct {
		name, in, fatal string
	}{
		{name: "plain output", in: "hello\nworld"},
		{name: "fatal error", in: "partial line, then\nfatal error: concurrent map writes\n\ngoroutine 51 [running]:\n",
			fatal: "fatal error: concurrent map writes\n"},
		{name: "out of memory", in: "runtime: out of memory: cannot allocate 34359738368-byte block (3866624 sized)\nfatal error: out of memory\n",
			fatal: "runtime: out of memory: cannot allocate 34359738368-byte block (3866624 sized)\nfatal error: out of memory\n"},
		{name: "after a flush marker", in: markerPrefix + "3\x00fatal error: concurrent map writes\n", fatal: "fatal error: concurrent map writes\n"},
		{name: "not at a line start", in: "x fatal error: no\n"},
		{name: "a long line is cut", in: "fatal error: " + strings.Repeat("x", 1000) + "\n", fatal: "fatal error: " + strings.Repeat("x", 256-13)},
	} {
		// One byte per read: lines split across reads are still found.
		var out, errOut bytes.Buffer
		if code := RelayMain(iotest.OneByteReader(strings.NewReader(tc.in)), &out, &errOut); code != 0 {
			t.Errorf("%s: exit status %d", tc.name, code)
		}
		if out.String() != tc.in {
			t.Errorf("%s: relayed %q, want %q", tc.name, out.String(), tc.in)
		}
		if errOut.String() != tc.fatal {
			t.Errorf("%s: copied %q to stderr, want %q", tc.name, errOut.String(), tc.fatal)
		}
	}
}
