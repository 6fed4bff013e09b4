package learn_test

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// referenceDumpEnv names the environment variable that points the
// reference replay test at a dump of an instrumented build of Miconi's
// dnms/net.cpp (never part of this repository). With prefix P the dump is:
//
//	P_J0.txt      initial J, N rows of N numbers (J[i][j] from j to i)
//	P_win.txt     win, N rows of 3 numbers (column 0, the unused "go" input, is ignored)
//	P_allx0.txt   one line per trial: the N initial x (bias units already clamped)
//	P_allpert.txt one line per perturbation: trial step unit value (value = 16 * (2U - 1))
//	P_errs.csv    header line, then trial,type,error,... per trial
const referenceDumpEnv = "PLASTICLIB_REFERENCE_DUMP"

// replaySource is a rand.Source that returns queued words: it makes a
// Learner draw given numbers from its Streams.
type replaySource struct{ q []uint64 }

func (s *replaySource) Uint64() uint64 {
	if len(s.q) == 0 {
		panic("replaySource: no queued draw left")
	}
	u := s.q[0]
	s.q = s.q[1:]
	return u
}

// push queues the word for which rand.Rand.Float64 returns u (to 2^-53).
func (s *replaySource) push(u float64) {
	u = min(max(u, 0), 1-0x1p-53)
	s.q = append(s.q, uint64(math.Round(u*(1<<53))))
}

func readRows(t *testing.T, path, sep string) [][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]float64
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var row []float64
		for _, s := range strings.FieldsFunc(sc.Text(), func(r rune) bool { return strings.ContainsRune(sep, r) }) {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				row = nil // a header
				break
			}
			row = append(row, v)
		}
		if row != nil {
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestMatchesReferenceDump drives a Learner (Miconi cubic rule, DNMS,
// default configurations) with the reference code's initial weights,
// initial states and perturbations, and checks that every trial's error
// equals the reference's: network step, eligibility, baseline, clipping
// and warm-up are then the reference's exactly. Miconi's code changes the
// weights from trial 101 on, so WarmUp is 101 here. Skipped unless
// PLASTICLIB_REFERENCE_DUMP is set.
func TestMatchesReferenceDump(t *testing.T) {
	prefix := os.Getenv(referenceDumpEnv)
	if prefix == "" {
		t.Skip(referenceDumpEnv + " not set: no dump of the reference code to replay")
	}
	nc := network.DefaultConfig()
	net, err := network.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	j0, win := readRows(t, prefix+"_J0.txt", " "), readRows(t, prefix+"_win.txt", " ")
	for i := range nc.N {
		for j := range nc.N {
			net.J.Set(i, j, j0[i][j])
		}
		net.WIn.Set(i, 0, win[i][1])
		net.WIn.Set(i, 1, win[i][2])
	}
	x0 := readRows(t, prefix+"_allx0.txt", " ")
	perts := make([][][]float64, len(x0))
	for _, p := range readRows(t, prefix+"_allpert.txt", " ") {
		perts[int(p[0])] = append(perts[int(p[0])], p[1:])
	}
	want := readRows(t, prefix+"_errs.csv", ",")
	d, err := task.NewDNMS(task.DefaultDNMS())
	if err != nil {
		t.Fatal(err)
	}
	cfg := learn.DefaultConfig()
	cfg.WarmUp = 101
	l, err := learn.New(net, d, rule.MiconiCubic(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	state, pert := &replaySource{}, &replaySource{}
	l.Streams.State, l.Streams.Pert = rand.New(state), rand.New(pert)
	// SamplePerturbations draws the gap to the next event (a geometric
	// number of unit-steps, floor(log(1-U)/log(1-p))), then its value.
	n, total := nc.N, d.Steps()*nc.N
	logq := math.Log1p(-nc.PerturbProb)
	gap := func(g int) { pert.push(1 - math.Exp((float64(g)+0.5)*logq)) }
	episodes := min(len(x0), len(want))
	for ep := range episodes {
		for _, x := range x0[ep] {
			state.push((x/nc.InitX + 1) / 2)
		}
		pos := (nc.PerturbAfter + 1) * n
		for k, e := range perts[ep] {
			at := int(e[0])*n + int(e[1])
			if k == 0 {
				gap(at - pos)
			} else {
				gap(at - pos - 1)
			}
			pert.push((e[2]/nc.PerturbAmp + 1) / 2)
			pos = at
		}
		if len(perts[ep]) == 0 {
			gap(total - pos)
		} else {
			gap(total - pos - 1)
		}
		_, e, err := l.Episode()
		if err != nil {
			t.Fatal(err)
		}
		if len(state.q) != 0 || len(pert.q) != 0 {
			t.Fatalf("episode %d: %d state and %d perturbation draws left unused", ep, len(state.q), len(pert.q))
		}
		if w := want[ep][2]; math.Abs(e-w) > 1e-8*math.Max(1, math.Abs(w)) {
			t.Fatalf("episode %d: error %.12g; the reference's %.12g", ep, e, w)
		}
	}
	t.Logf("%d episodes (%d with learning) match the reference's errors", episodes, max(episodes-cfg.WarmUp, 0))
}
