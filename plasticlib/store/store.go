package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sbinet/npyio"
	"gonum.org/v1/gonum/mat"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	return nil
}

func writeNpy(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := npyio.Write(f, v); err != nil {
		f.Close()
		return fmt.Errorf("store: %s: %w", path, err)
	}
	return f.Close()
}

func readNpy(path string, ptr any) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer f.Close()
	if err := npyio.Read(f, ptr); err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	return nil
}

// readDense reads a matrix from path and checks its shape.
func readDense(path string, rows, cols int) (*mat.Dense, error) {
	var m mat.Dense
	if err := readNpy(path, &m); err != nil {
		return nil, err
	}
	if r, c := m.Dims(); r != rows || c != cols {
		return nil, fmt.Errorf("store: %s: shape %dx%d, want %dx%d", path, r, c, rows, cols)
	}
	return &m, nil
}

// SaveRule writes r to path as readable JSON (see rule.Rule.JSON).
func SaveRule(path string, r rule.Rule) error {
	b, err := r.JSON()
	if err != nil {
		return fmt.Errorf("store: %s: %w", path, err)
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// LoadRule reads and validates a rule written by SaveRule (or any JSON of
// a rule.Rule).
func LoadRule(path string) (rule.Rule, error) {
	var r rule.Rule
	if err := readJSON(path, &r); err != nil {
		return rule.Rule{}, err
	}
	if err := r.Validate(); err != nil {
		return rule.Rule{}, fmt.Errorf("store: %s: %w", path, err)
	}
	return r, nil
}

// Files of a saved network.
const (
	netConfigFile = "config.json"
	netJFile      = "J.npy"
	netWInFile    = "W_in.npy"
	netWOutFile   = "W_out.npy"
	netMaskFile   = "mask.npy"
	netXBarFile   = "xbar.npy"
)

// SaveNetwork writes net into directory dir (created if needed):
// config.json, J.npy (N x N), W_in.npy (N x NumInputs), W_out.npy (linear
// readout), mask.npy (N*N booleans, sparse networks) and xbar.npy (the
// fluctuation filter's state).
func SaveNetwork(dir string, net *network.Net) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := writeJSON(filepath.Join(dir, netConfigFile), net.Config); err != nil {
		return err
	}
	if err := writeNpy(filepath.Join(dir, netJFile), net.J); err != nil {
		return err
	}
	if net.WIn != nil {
		if err := writeNpy(filepath.Join(dir, netWInFile), net.WIn); err != nil {
			return err
		}
	}
	if net.WOut != nil {
		if err := writeNpy(filepath.Join(dir, netWOutFile), net.WOut); err != nil {
			return err
		}
	}
	if net.Mask != nil {
		if err := writeNpy(filepath.Join(dir, netMaskFile), net.Mask); err != nil {
			return err
		}
	}
	return writeNpy(filepath.Join(dir, netXBarFile), net.XBar)
}

// LoadNetwork reads a network written by SaveNetwork: it validates the
// configuration, then replaces the weights drawn from its seed by the
// saved ones (checking their shapes).
func LoadNetwork(dir string) (*network.Net, error) {
	var c network.Config
	if err := readJSON(filepath.Join(dir, netConfigFile), &c); err != nil {
		return nil, err
	}
	net, err := network.New(c)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", filepath.Join(dir, netConfigFile), err)
	}
	j, err := readDense(filepath.Join(dir, netJFile), c.N, c.N)
	if err != nil {
		return nil, err
	}
	net.J.Copy(j)
	if net.WIn != nil {
		w, err := readDense(filepath.Join(dir, netWInFile), c.N, c.NumInputs)
		if err != nil {
			return nil, err
		}
		net.WIn.Copy(w)
	}
	if err := readVec(filepath.Join(dir, netWOutFile), net.WOut); err != nil {
		return nil, err
	}
	if net.Mask != nil {
		var m []bool
		path := filepath.Join(dir, netMaskFile)
		if err := readNpy(path, &m); err != nil {
			return nil, err
		}
		if len(m) != len(net.Mask) {
			return nil, fmt.Errorf("store: %s: %d entries, want %d", path, len(m), len(net.Mask))
		}
		copy(net.Mask, m)
	}
	if err := readVec(filepath.Join(dir, netXBarFile), net.XBar); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return net, nil
}

// readVec reads a vector into dst (nothing to do when dst is nil).
func readVec(path string, dst []float64) error {
	if dst == nil {
		return nil
	}
	var v []float64
	if err := readNpy(path, &v); err != nil {
		return err
	}
	if len(v) != len(dst) {
		return fmt.Errorf("store: %s: %d values, want %d", path, len(v), len(dst))
	}
	copy(dst, v)
	return nil
}

// npyFile is an array to write and its file name.
type npyFile struct {
	name string
	v    any
}

// historyMeta is history.json: everything but the arrays.
type historyMeta struct {
	First    int            `json:"first"`
	Episodes int            `json:"episodes"`
	Activity []activityMeta `json:"activity,omitempty"`
	Traces   []traceMeta    `json:"traces,omitempty"`
	DeltaJ   bool           `json:"delta_j"`
}

type activityMeta struct {
	Episode   int     `json:"episode"`
	Type      int     `json:"type"`
	EvalStart int     `json:"eval_start"`
	EvalEnd   int     `json:"eval_end"`
	Error     float64 `json:"error"`
}

type traceMeta struct {
	Episode  int      `json:"episode"`
	Type     int      `json:"type"`
	Synapses [][2]int `json:"synapses"`
}

// SaveHistory writes h into directory dir (created if needed):
// history.json (what was recorded), errors.npy, types.npy (int64),
// delta_j.npy, and for each recorded trial activity-<episode>-rates.npy
// (T x N), -output.npy and -target.npy, and trace-<episode>.npy (T x
// synapses). Rewards are -errors and not stored.
func SaveHistory(dir string, h *learn.History) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	meta := historyMeta{First: h.First, Episodes: h.Len(), DeltaJ: h.DeltaJ != nil}
	types := make([]int64, len(h.Types))
	for k, t := range h.Types {
		types[k] = int64(t)
	}
	files := []npyFile{{"errors.npy", h.Errors}, {"types.npy", types}}
	if h.DeltaJ != nil {
		files = append(files, npyFile{"delta_j.npy", h.DeltaJ})
	}
	for _, a := range h.Activity {
		meta.Activity = append(meta.Activity, activityMeta{a.Episode, a.Type, a.EvalStart, a.EvalEnd, a.Error})
		p := fmt.Sprintf("activity-%d-", a.Episode)
		files = append(files, []npyFile{{p + "rates.npy", a.Rates}, {p + "output.npy", a.Output}, {p + "target.npy", a.Target}}...)
	}
	for _, tr := range h.Traces {
		meta.Traces = append(meta.Traces, traceMeta{tr.Episode, tr.Type, tr.Synapses})
		files = append(files, npyFile{fmt.Sprintf("trace-%d.npy", tr.Episode), tr.Values})
	}
	for _, f := range files {
		if err := writeNpy(filepath.Join(dir, f.name), f.v); err != nil {
			return err
		}
	}
	return writeJSON(filepath.Join(dir, "history.json"), meta)
}

// LoadHistory reads a history written by SaveHistory.
func LoadHistory(dir string) (*learn.History, error) {
	var meta historyMeta
	if err := readJSON(filepath.Join(dir, "history.json"), &meta); err != nil {
		return nil, err
	}
	h := &learn.History{First: meta.First}
	path := func(name string) string { return filepath.Join(dir, name) }
	if err := readNpy(path("errors.npy"), &h.Errors); err != nil {
		return nil, err
	}
	var types []int64
	if err := readNpy(path("types.npy"), &types); err != nil {
		return nil, err
	}
	if len(h.Errors) != meta.Episodes || len(types) != meta.Episodes {
		return nil, fmt.Errorf("store: %s: %d errors and %d types for %d episodes", dir, len(h.Errors), len(types), meta.Episodes)
	}
	h.Rewards = make([]float64, len(h.Errors))
	h.Types = make([]int, len(types))
	for k, e := range h.Errors {
		h.Rewards[k] = -e
		h.Types[k] = int(types[k])
	}
	if meta.DeltaJ {
		h.DeltaJ = new(mat.Dense)
		if err := readNpy(path("delta_j.npy"), h.DeltaJ); err != nil {
			return nil, err
		}
	}
	for _, am := range meta.Activity {
		a := learn.Activity{Episode: am.Episode, Type: am.Type, EvalStart: am.EvalStart, EvalEnd: am.EvalEnd, Error: am.Error, Rates: new(mat.Dense)}
		p := fmt.Sprintf("activity-%d-", am.Episode)
		for _, f := range []struct {
			name string
			ptr  any
		}{{p + "rates.npy", a.Rates}, {p + "output.npy", &a.Output}, {p + "target.npy", &a.Target}} {
			if err := readNpy(path(f.name), f.ptr); err != nil {
				return nil, err
			}
		}
		h.Activity = append(h.Activity, a)
	}
	for _, tm := range meta.Traces {
		tr := learn.Trace{Episode: tm.Episode, Type: tm.Type, Synapses: tm.Synapses, Values: new(mat.Dense)}
		if err := readNpy(path(fmt.Sprintf("trace-%d.npy", tm.Episode)), tr.Values); err != nil {
			return nil, err
		}
		h.Traces = append(h.Traces, tr)
	}
	return h, nil
}
