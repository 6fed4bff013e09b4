package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// The metadata a notebook may carry: what the kernel, Jupyter and
// test/notebooks/run_notebooks.py read. Jupyter adds more when a notebook is
// run and saved (language_info's version and lexers, a cell's "execution"
// times, "collapsed", "scrolled"...): --strip removes it.
var (
	notebookMeta = map[string]map[string]bool{
		"kernelspec":    {"name": true, "display_name": true, "language": true},
		"language_info": {"name": true, "file_extension": true, "mimetype": true},
		"plasticnb":     {"min_images": true},
	}
	notebookKeys = map[string]bool{"cells": true, "metadata": true, "nbformat": true, "nbformat_minor": true}
	cellKeys     = map[string]bool{"cell_type": true, "id": true, "metadata": true, "source": true}
	// expectKeys are the expectations run_notebooks.py checks. An unknown one
	// (a typo) is an error that --strip leaves alone: it was meant as a test.
	expectKeys  = map[string]bool{"stdout": true, "mime": true, "result": true, "error": true, "numbers": true}
	numbersKeys = map[string]bool{"pattern": true, "gt": true, "ge": true, "lt": true, "le": true}
)

// options says what to repair in place.
type options struct {
	strip bool // drop outputs, execution counts and unknown Jupyter metadata
	fix   bool // gofmt the Go cells
	print bool // print the gofmt'd source of each cell that is not gofmt-clean
}

// problem is one thing wrong with a notebook; fixed says that the rewrite
// the options asked for repairs it.
type problem struct {
	cell  int    // index in "cells", or -1 for the notebook itself
	id    string // the cell's id
	msg   string
	fixed bool
}

func (p problem) String() string {
	if p.cell < 0 {
		return p.msg
	}
	return fmt.Sprintf("cell %d (id %s): %s", p.cell, p.id, p.msg)
}

// result is what check found in one notebook.
type result struct {
	problems  []problem
	formatted []string // with print: "cell i (id x):\n<gofmt'd source>"
	out       []byte   // the repaired notebook, when options asked for a repair and it differs
}

// check reads a notebook's bytes, reports what is wrong, and with strip or
// fix returns the repaired notebook.
func check(data []byte, opt options) (*result, error) {
	nb, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("not a notebook: %v", err)
	}
	r := &result{}
	nbProblem := func(msg string, fixed bool) {
		r.problems = append(r.problems, problem{cell: -1, msg: msg, fixed: fixed})
	}
	for _, k := range sortedKeys(nb) {
		if !notebookKeys[k] {
			nbProblem(fmt.Sprintf("unknown top-level field %q", k), false)
		}
	}
	if v, _ := nb["nbformat"].(json.Number); v.String() != "4" {
		nbProblem(fmt.Sprintf("nbformat %v, want 4", nb["nbformat"]), false)
	}
	meta, ok := nb["metadata"].(map[string]any)
	if !ok {
		nbProblem(`no "metadata" object`, false)
		meta = map[string]any{}
	}
	for _, k := range sortedKeys(meta) {
		known, ok := notebookMeta[k]
		if !ok {
			nbProblem(fmt.Sprintf("unknown notebook metadata %q", k), opt.strip)
			if opt.strip {
				delete(meta, k)
			}
			continue
		}
		sub, ok := meta[k].(map[string]any)
		if !ok {
			nbProblem(fmt.Sprintf("notebook metadata %q is not an object", k), false)
			continue
		}
		for _, kk := range sortedKeys(sub) {
			if !known[kk] {
				nbProblem(fmt.Sprintf("unknown notebook metadata %s.%s", k, kk), opt.strip)
				if opt.strip {
					delete(sub, kk)
				}
			}
		}
	}
	if ks, _ := meta["kernelspec"].(map[string]any); ks["name"] == nil {
		nbProblem("no kernelspec name in the notebook metadata", false)
	}
	if pn, ok := meta["plasticnb"].(map[string]any); ok {
		if n, ok := pn["min_images"].(json.Number); !ok || !isCount(n) {
			nbProblem(fmt.Sprintf("notebook metadata plasticnb.min_images = %v, want a whole number >= 0", pn["min_images"]), false)
		}
	}

	cells, ok := nb["cells"].([]any)
	if !ok {
		nbProblem(`no "cells" list`, false)
	}
	ids := map[string]int{}
	for i, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			r.problems = append(r.problems, problem{cell: i, id: "?", msg: "not an object"})
			continue
		}
		id, _ := cell["id"].(string)
		if id == "" {
			id = "?"
			r.problems = append(r.problems, problem{cell: i, id: id, msg: "no id"})
		} else if j, dup := ids[id]; dup {
			r.problems = append(r.problems, problem{cell: i, id: id, msg: fmt.Sprintf("the same id as cell %d", j)})
		} else {
			ids[id] = i
		}
		checkCell(r, i, id, cell, opt)
	}
	if opt.strip || opt.fix {
		if out := encode(nb); !bytes.Equal(out, data) {
			r.out = out
		}
	} else if !bytes.Equal(encode(nb), data) && !hasUnfixed(r.problems) {
		nbProblem("not laid out as Jupyter saves notebooks (sorted keys, one-space indent): --strip rewrites it", false)
	}
	return r, nil
}

func hasUnfixed(ps []problem) bool {
	for _, p := range ps {
		if !p.fixed {
			return true
		}
	}
	return false
}

func checkCell(r *result, i int, id string, cell map[string]any, opt options) {
	add := func(msg string, fixed bool) {
		r.problems = append(r.problems, problem{cell: i, id: id, msg: msg, fixed: fixed})
	}
	kind, _ := cell["cell_type"].(string)
	code := kind == "code"
	switch kind {
	case "code", "markdown", "raw":
	default:
		add(fmt.Sprintf("cell_type %q, want code, markdown or raw", cell["cell_type"]), false)
	}
	for _, k := range sortedKeys(cell) {
		switch {
		case cellKeys[k]:
		case code && k == "outputs":
			if outs, _ := cell[k].([]any); len(outs) > 0 {
				add(fmt.Sprintf("saved outputs (%d)", len(outs)), opt.strip)
				if opt.strip {
					cell[k] = []any{}
				}
			}
		case code && k == "execution_count":
			if cell[k] != nil {
				add(fmt.Sprintf("saved execution count %v", cell[k]), opt.strip)
				if opt.strip {
					cell[k] = nil
				}
			}
		default:
			add(fmt.Sprintf("unknown field %q", k), false)
		}
	}
	if code {
		if _, ok := cell["outputs"]; !ok {
			add(`no "outputs" (a code cell has "outputs": [])`, opt.strip)
			if opt.strip {
				cell["outputs"] = []any{}
			}
		}
		if _, ok := cell["execution_count"]; !ok {
			add(`no "execution_count" (a code cell has "execution_count": null)`, opt.strip)
			if opt.strip {
				cell["execution_count"] = nil
			}
		}
	}
	meta, ok := cell["metadata"].(map[string]any)
	if !ok {
		add(`no "metadata" object`, false)
		meta = map[string]any{}
	}
	for _, k := range sortedKeys(meta) {
		switch k {
		case "expect":
			if !code {
				add(`"expect" on a cell that is not code`, false)
			}
			for _, msg := range checkExpect(meta[k]) {
				add(msg, false)
			}
		case "tags":
			tags, ok := meta[k].([]any)
			if !ok {
				add("metadata tags is not a list", false)
			} else if len(tags) == 0 {
				add("empty metadata tags", opt.strip)
				if opt.strip {
					delete(meta, k)
				}
			}
			for _, t := range tags {
				if _, ok := t.(string); !ok {
					add(fmt.Sprintf("metadata tag %v is not a string", t), false)
				}
			}
		default:
			add(fmt.Sprintf("unknown metadata %q", k), opt.strip)
			if opt.strip {
				delete(meta, k)
			}
		}
	}
	src, ok := source(cell["source"])
	if !ok {
		add("source is neither a string nor a list of strings", false)
		return
	}
	if !code {
		return
	}
	formatted, err := formatCell(src)
	if err != nil {
		if !raisesException(meta) { // a cell that must fail may be broken Go on purpose
			add("not Go: "+err.Error(), false)
		}
		return
	}
	if formatted == src {
		return
	}
	add("not gofmt-clean (--fix formats it, --print shows the result)", opt.fix)
	if opt.print {
		r.formatted = append(r.formatted, fmt.Sprintf("cell %d (id %s):\n%s", i, id, formatted))
	}
	if opt.fix {
		cell["source"] = splitLines(formatted)
	}
}

// checkExpect returns what is wrong with a cell's "expect" metadata, in the
// terms of run_notebooks.py.
func checkExpect(v any) []string {
	e, ok := v.(map[string]any)
	if !ok {
		return []string{`metadata "expect" is not an object`}
	}
	var msgs []string
	for _, k := range sortedKeys(e) {
		if !expectKeys[k] {
			msgs = append(msgs, fmt.Sprintf("unknown expectation expect.%s (known: error, mime, numbers, result, stdout)", k))
			continue
		}
		switch k {
		case "stdout", "result", "error":
			if _, ok := e[k].(string); !ok {
				msgs = append(msgs, fmt.Sprintf("expect.%s is not a string", k))
			}
		case "mime":
			if !stringList(e[k]) {
				msgs = append(msgs, "expect.mime is not a list of strings")
			}
		case "numbers":
			checks, ok := e[k].([]any)
			if !ok {
				msgs = append(msgs, "expect.numbers is not a list")
				continue
			}
			for j, c := range checks {
				msgs = append(msgs, checkNumbers(j, c)...)
			}
		}
	}
	return msgs
}

func checkNumbers(j int, v any) []string {
	c, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("expect.numbers[%d] is not an object", j)}
	}
	var msgs []string
	bounds := 0
	for _, k := range sortedKeys(c) {
		switch {
		case !numbersKeys[k]:
			msgs = append(msgs, fmt.Sprintf("unknown field expect.numbers[%d].%s (known: pattern, gt, ge, lt, le)", j, k))
		case k == "pattern":
			if p, ok := c[k].(string); !ok || !strings.Contains(p, "(?P<value>") {
				msgs = append(msgs, fmt.Sprintf("expect.numbers[%d].pattern needs a group (?P<value>...)", j))
			}
		default:
			if _, ok := c[k].(json.Number); !ok {
				msgs = append(msgs, fmt.Sprintf("expect.numbers[%d].%s is not a number", j, k))
			}
			bounds++
		}
	}
	if _, ok := c["pattern"]; !ok {
		msgs = append(msgs, fmt.Sprintf("expect.numbers[%d] has no pattern", j))
	}
	if bounds == 0 {
		msgs = append(msgs, fmt.Sprintf("expect.numbers[%d] has no bound (gt, ge, lt or le)", j))
	}
	return msgs
}

func raisesException(meta map[string]any) bool {
	tags, _ := meta["tags"].([]any)
	for _, t := range tags {
		if t == "raises-exception" {
			return true
		}
	}
	return false
}

// source joins a cell's source, which nbformat allows as a string or a list of lines.
func source(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []any:
		var b strings.Builder
		for _, l := range v {
			s, ok := l.(string)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

// splitLines is nbformat's form of a source: Python's str.splitlines(True),
// lines with their line ends, where a line also ends at \r, \v, \f, \x1c-\x1e,
// U+0085, U+2028 and U+2029.
func splitLines(s string) []any {
	out := []any{}
	start := 0
	for i, r := range s {
		switch r {
		case '\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\u0085', '\u2028', '\u2029':
		case '\r':
			if strings.HasPrefix(s[i+1:], "\n") {
				continue // \r\n ends one line
			}
		default:
			continue
		}
		end := i + utf8.RuneLen(r)
		out = append(out, s[start:end])
		start = end
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func stringList(v any) bool {
	l, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range l {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

func isCount(n json.Number) bool {
	i, err := n.Int64()
	return err == nil && i >= 0
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
