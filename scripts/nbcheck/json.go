package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// decode reads a notebook's JSON keeping numbers as written (json.Number), so
// that encode gives back the same bytes.
func decode(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var nb map[string]any
	if err := dec.Decode(&nb); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the notebook's JSON object")
	}
	return nb, nil
}

// encode writes v the way nbformat (and so Jupyter) saves a notebook:
// json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) and a final
// newline. A notebook saved by Jupyter comes back from decode and encode
// byte for byte, so rewriting one (--strip, --fix) changes only what was
// meant to change.
func encode(v any) []byte {
	var b bytes.Buffer
	encodeValue(&b, v, 0)
	b.WriteByte('\n')
	return b.Bytes()
}

func encodeValue(b *bytes.Buffer, v any, depth int) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		b.WriteString(v.String())
	case string:
		encodeString(b, v)
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			encodeValue(b, e, depth+1)
		}
		newline(b, depth)
		b.WriteByte(']')
	case map[string]any:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // byte order of UTF-8 is code point order, as Python sorts
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(b, depth+1)
			encodeString(b, k)
			b.WriteString(": ")
			encodeValue(b, v[k], depth+1)
		}
		newline(b, depth)
		b.WriteByte('}')
	default:
		panic(fmt.Sprintf("nbcheck: cannot encode %T", v)) // decode never yields other types
	}
}

func newline(b *bytes.Buffer, depth int) {
	b.WriteByte('\n')
	b.WriteString(strings.Repeat(" ", depth))
}

// encodeString escapes as Python's json module does with ensure_ascii=False:
// the quote, the backslash and the control characters below U+0020, nothing else.
func encodeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
