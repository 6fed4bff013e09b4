package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A notebook written by nbformat comes back from decode and encode byte for
// byte, and its sources split as nbformat splits them. testdata/nbformat.ipynb
// was written by /usr/bin/python3's nbformat 5 (nbformat.write) from cells
// with non-ASCII text, control characters, \f and U+2028 (line ends to
// Python), floats and nested metadata.
func TestEncodeAsNbformat(t *testing.T) {
	data, err := os.ReadFile("testdata/nbformat.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	nb, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := encode(nb); !bytes.Equal(got, data) {
		t.Errorf("encode(decode(testdata/nbformat.ipynb)) =\n%s\nwant\n%s", got, data)
	}
	for i, c := range nb["cells"].([]any) {
		lines := c.(map[string]any)["source"].([]any)
		src, _ := source(lines)
		if got := splitLines(src); !reflect.DeepEqual(got, lines) {
			t.Errorf("cell %d: splitLines(%q) = %q; want %q", i, src, got, lines)
		}
	}
}

// clean is a notebook with nothing to report; each case of TestCheck edits a copy.
const clean = `{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "intro",
   "metadata": {},
   "source": [
    "# Title"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "c01",
   "metadata": {
    "expect": {
     "numbers": [
      {
       "gt": 0,
       "pattern": "x = (?P<value>\\S+)"
      }
     ],
     "stdout": "x ="
    }
   },
   "outputs": [],
   "source": [
    "x := 1\n",
    "fmt.Println(\"x =\", x)"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "broken",
   "metadata": {
    "tags": [
     "raises-exception"
    ]
   },
   "outputs": [],
   "source": [
    "y := (2"
   ]
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Go (plasticnb)",
   "language": "go",
   "name": "plasticnb"
  },
  "language_info": {
   "file_extension": ".go",
   "mimetype": "text/x-go",
   "name": "go"
  },
  "plasticnb": {
   "min_images": 0
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
`

// edit returns clean with f applied to its decoded form, in nbformat's layout.
func edit(f func(nb map[string]any)) string {
	nb, err := decode([]byte(clean))
	if err != nil {
		panic(err)
	}
	f(nb)
	return string(encode(nb))
}

func cellOf(nb map[string]any, i int) map[string]any {
	return nb["cells"].([]any)[i].(map[string]any)
}

func metaOf(nb map[string]any, i int) map[string]any {
	return cellOf(nb, i)["metadata"].(map[string]any)
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		nb    string
		want  []string // the problems, in order
		fixed bool     // -strip -fix repairs them all
	}{
		{name: "clean", nb: clean, fixed: true},
		{name: "saved outputs", nb: edit(func(nb map[string]any) {
			cellOf(nb, 1)["outputs"] = []any{map[string]any{"output_type": "stream", "name": "stdout", "text": "x = 1\n"},
				map[string]any{"output_type": "display_data", "data": map[string]any{"image/png": "iVBORw0KGgo="}, "metadata": map[string]any{}}}
		}), want: []string{"cell 1 (id c01): saved outputs (2)"}, fixed: true},
		{name: "execution count", nb: edit(func(nb map[string]any) {
			cellOf(nb, 1)["execution_count"] = json.Number("7")
		}), want: []string{"cell 1 (id c01): saved execution count 7"}, fixed: true},
		{name: "Jupyter's cell metadata", nb: edit(func(nb map[string]any) {
			metaOf(nb, 1)["execution"] = map[string]any{"iopub.status.idle": "2026-12-01T10:00:00Z"}
			metaOf(nb, 1)["collapsed"] = false
			metaOf(nb, 0)["jp-MarkdownHeadingCollapsed"] = true
		}), want: []string{`cell 0 (id intro): unknown metadata "jp-MarkdownHeadingCollapsed"`,
			`cell 1 (id c01): unknown metadata "collapsed"`, `cell 1 (id c01): unknown metadata "execution"`}, fixed: true},
		{name: "Jupyter's notebook metadata", nb: edit(func(nb map[string]any) {
			m := nb["metadata"].(map[string]any)
			m["language_info"].(map[string]any)["version"] = "1.26.8"
			m["widgets"] = map[string]any{}
		}), want: []string{"unknown notebook metadata language_info.version", `unknown notebook metadata "widgets"`}, fixed: true},
		{name: "empty tags", nb: edit(func(nb map[string]any) { metaOf(nb, 1)["tags"] = []any{} }),
			want: []string{"cell 1 (id c01): empty metadata tags"}, fixed: true},
		{name: "badly formatted cell", nb: edit(func(nb map[string]any) {
			cellOf(nb, 1)["source"] = []any{"x:=1\n", "if x>0 {\n", "fmt.Println(\"x =\", x)\n", "}"}
		}), want: []string{"cell 1 (id c01): not gofmt-clean"}, fixed: true},
		{name: "not Go", nb: edit(func(nb map[string]any) { cellOf(nb, 1)["source"] = "x := 1\nfmt.Println(\"x =\" x)" }),
			want: []string{"cell 1 (id c01): not Go: line 2:"}},
		{name: "unknown expectation", nb: edit(func(nb map[string]any) {
			metaOf(nb, 1)["expect"].(map[string]any)["stdot"] = "x"
		}), want: []string{"cell 1 (id c01): unknown expectation expect.stdot"}},
		{name: "bad numbers check", nb: edit(func(nb map[string]any) {
			metaOf(nb, 1)["expect"].(map[string]any)["numbers"] = []any{map[string]any{"pattern": "x = (\\S+)", "gte": json.Number("0")}}
		}), want: []string{"cell 1 (id c01): unknown field expect.numbers[0].gte", "cell 1 (id c01): expect.numbers[0].pattern needs a group",
			"cell 1 (id c01): expect.numbers[0] has no bound"}},
		{name: "expectation of the wrong type", nb: edit(func(nb map[string]any) {
			metaOf(nb, 1)["expect"].(map[string]any)["mime"] = "image/png"
		}), want: []string{"cell 1 (id c01): expect.mime is not a list of strings"}},
		{name: "duplicate and missing ids", nb: edit(func(nb map[string]any) {
			cellOf(nb, 1)["id"] = "intro"
			delete(cellOf(nb, 2), "id")
		}), want: []string{"cell 1 (id intro): the same id as cell 0", "cell 2 (id ?): no id"}},
		{name: "attachment", nb: edit(func(nb map[string]any) { cellOf(nb, 0)["attachments"] = map[string]any{} }),
			want: []string{`cell 0 (id intro): unknown field "attachments"`}},
		{name: "bad min_images", nb: edit(func(nb map[string]any) {
			nb["metadata"].(map[string]any)["plasticnb"].(map[string]any)["min_images"] = json.Number("1.5")
		}), want: []string{"notebook metadata plasticnb.min_images = 1.5"}},
		{name: "not Jupyter's layout", nb: strings.ReplaceAll(clean, "\n ", "\n  "),
			want: []string{"not laid out as Jupyter saves notebooks"}, fixed: true},
	}
	for _, tt := range tests {
		r, err := check([]byte(tt.nb), options{})
		if err != nil {
			t.Errorf("%s: check: %v", tt.name, err)
			continue
		}
		if len(r.problems) != len(tt.want) {
			t.Errorf("%s: check found %q; want %q", tt.name, r.problems, tt.want)
			continue
		}
		for i, p := range r.problems {
			if !strings.HasPrefix(p.String(), tt.want[i]) {
				t.Errorf("%s: problem %d is %q; want %q...", tt.name, i, p, tt.want[i])
			}
		}
		if r.out != nil {
			t.Errorf("%s: check without -strip or -fix rewrote the notebook", tt.name)
		}

		r, err = check([]byte(tt.nb), options{strip: true, fix: true})
		if err != nil {
			t.Fatal(err)
		}
		out := tt.nb
		if r.out != nil {
			out = string(r.out)
		}
		again, err := check([]byte(out), options{})
		if err != nil {
			t.Fatal(err)
		}
		if tt.fixed && len(again.problems) > 0 {
			t.Errorf("%s: after -strip -fix, check finds %q; want nothing", tt.name, again.problems)
		}
		if !tt.fixed && len(again.problems) != len(tt.want) {
			t.Errorf("%s: after -strip -fix, check finds %q; want the %d problems it cannot repair", tt.name, again.problems, len(tt.want))
		}
		if tt.fixed && tt.name != "badly formatted cell" && tt.name != "not Jupyter's layout" && out != clean {
			t.Errorf("%s: -strip gives\n%s\nwant the clean notebook", tt.name, out)
		}
	}
}

// The expectations kept through -strip are those run_notebooks.py reads.
func TestStripKeepsExpectations(t *testing.T) {
	nb := edit(func(nb map[string]any) {
		cellOf(nb, 1)["execution_count"] = json.Number("3")
		metaOf(nb, 1)["scrolled"] = true
	})
	r, err := check([]byte(nb), options{strip: true})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := decode(r.out)
	want, _ := decode([]byte(clean))
	if !reflect.DeepEqual(metaOf(got, 1), metaOf(want, 1)) || !reflect.DeepEqual(metaOf(got, 2), metaOf(want, 2)) {
		t.Errorf("-strip left cell metadata %v, %v; want %v, %v", metaOf(got, 1), metaOf(got, 2), metaOf(want, 1), metaOf(want, 2))
	}
}

func TestPrint(t *testing.T) {
	nb := edit(func(nb map[string]any) { cellOf(nb, 1)["source"] = "x:=1\nfmt.Println(\"x =\",x)" })
	r, err := check([]byte(nb), options{print: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cell 1 (id c01):\nx := 1\nfmt.Println(\"x =\", x)"}
	if !reflect.DeepEqual(r.formatted, want) {
		t.Errorf("-print gives %q; want %q", r.formatted, want)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.ipynb")
	dirty := filepath.Join(dir, "dirty.ipynb")
	os.WriteFile(good, []byte(clean), 0o644)
	os.WriteFile(dirty, []byte(edit(func(nb map[string]any) { cellOf(nb, 1)["execution_count"] = json.Number("2") })), 0o644)

	tests := []struct {
		args     []string
		code     int
		stdout   string // a line the output must contain
		wantFile string // dirty.ipynb afterwards
	}{
		{args: []string{good}, code: 0},
		{args: []string{good, dirty}, code: 1, stdout: dirty + ": cell 1 (id c01): saved execution count 2\n"},
		{args: []string{filepath.Join(dir, "missing.ipynb")}, code: 1},
		{args: []string{"-strip", dirty}, code: 0, stdout: "(repaired)", wantFile: clean},
		{args: []string{dirty}, code: 0},
		{args: []string{}, code: 2},
		{args: []string{"-bogus", good}, code: 2},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, &stdout, &stderr)
		if code != tt.code {
			t.Errorf("nbcheck %q: exit %d; want %d (stdout %q, stderr %q)", tt.args, code, tt.code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), tt.stdout) {
			t.Errorf("nbcheck %q printed %q; want %q in it", tt.args, stdout.String(), tt.stdout)
		}
		if tt.wantFile != "" {
			if got, _ := os.ReadFile(dirty); string(got) != tt.wantFile {
				t.Errorf("nbcheck %q left %s as\n%s\nwant\n%s", tt.args, dirty, got, tt.wantFile)
			}
		}
	}
}
