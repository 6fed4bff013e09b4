package learn_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// small returns a quick configuration: N = 30, DNMS at dt = 10 ms.
func small(seed uint64) (network.Config, task.Task, learn.Config) {
	nc := network.DefaultConfig()
	nc.N, nc.Dt, nc.Seed = 30, 10, seed
	dc := task.DefaultDNMS()
	dc.Dt = 10
	d, _ := task.NewDNMS(dc)
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.WarmUp, cfg.Seed = 40, 4, seed
	return nc, d, cfg
}

func TestDeterministic(t *testing.T) {
	nc, d, cfg := small(7)
	a, err := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	for k := range a.Errors {
		if a.Errors[k] != b.Errors[k] || a.Types[k] != b.Types[k] || a.Rewards[k] != -a.Errors[k] {
			t.Fatalf("episode %d: %g/%d vs %g/%d; want bit-identical runs", k, a.Errors[k], a.Types[k], b.Errors[k], b.Types[k])
		}
	}
	if a.Types[5] != 1 {
		t.Errorf("cycled types: episode 5 has type %d; want 1", a.Types[5])
	}
	cfg.Seed = 8
	c, _ := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	if c.Errors[3] == a.Errors[3] {
		t.Errorf("different seeds gave the same error %g", c.Errors[3])
	}
}

// TestErrorPower: m = Ebar^Power reproduces Miconi's modulation at Power 1
// and m = 1 at Power 0 bit for bit, and another power changes the run.
func TestErrorPower(t *testing.T) {
	nc, d, cfg := small(3)
	run := func(m rule.Modulation, power float64) []float64 {
		r := rule.MiconiCubic()
		r.Modulation, r.Power = m, power
		h, err := learn.Run(context.Background(), nc, d, r, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return h.Errors
	}
	for _, tc := range []struct {
		power float64
		same  rule.Modulation
	}{{1, rule.MeanError}, {0, rule.Unit}} {
		got, want := run(rule.ErrorPower, tc.power), run(tc.same, 0)
		if !slices.Equal(got, want) {
			t.Errorf("Power %g: errors differ from modulation %s", tc.power, tc.same)
		}
	}
	if a, b := run(rule.ErrorPower, 2), run(rule.MeanError, 0); slices.Equal(a, b) {
		t.Errorf("Power 2 gave the same run as Power 1")
	}
}

// TestRuleBaselineDecay: a rule's own baseline decay replaces the
// configuration's bit for bit, and changes the run.
func TestRuleBaselineDecay(t *testing.T) {
	nc, d, cfg := small(3)
	run := func(own, def float64) []float64 {
		r := rule.MiconiCubic()
		r.BaselineDecay = own
		c := cfg
		c.BaselineDecay = def
		h, err := learn.Run(context.Background(), nc, d, r, c)
		if err != nil {
			t.Fatal(err)
		}
		return h.Errors
	}
	if got, want := run(0.5, 0.75), run(0, 0.5); !slices.Equal(got, want) {
		t.Errorf("rule a_R 0.5 under config 0.75 differs from config 0.5")
	}
	if a, b := run(0.5, 0.75), run(0, 0.75); slices.Equal(a, b) {
		t.Errorf("rule a_R 0.5 gave the same run as the config's 0.75")
	}
}

func TestCancel(t *testing.T) {
	nc, d, cfg := small(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	cfg.Progress = func(p learn.Progress) {
		calls++
		if p.Episode == 9 {
			cancel()
		}
	}
	h, err := learn.Run(ctx, nc, d, rule.MiconiCubic(), cfg)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("err = %v; want one wrapping context.Canceled and saying cancelled", err)
	}
	if h == nil || h.Len() != 10 || calls != 10 {
		t.Errorf("cancelled run kept %v episodes after %d progress calls; want 10, 10", h.Len(), calls)
	}
}

func TestStop(t *testing.T) {
	nc, d, cfg := small(1)
	cfg.Stop = func(h *learn.History) bool { return h.Len() == 13 }
	h, err := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	if err != nil || h.Len() != 13 {
		t.Errorf("Stop at 13: got %d episodes, err %v", h.Len(), err)
	}
}

func TestDivergence(t *testing.T) {
	nc, d, cfg := small(1)
	net, _ := network.New(nc)
	net.J.Set(4, 2, math.NaN())
	l, err := learn.New(net, d, rule.MiconiCubic(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Run(context.Background())
	var de *learn.DivergenceError
	if !errors.As(err, &de) || de.Episode != 0 || de.Step != 0 {
		t.Errorf("err = %v; want a *DivergenceError at episode 0, step 0", err)
	}
}

func TestInvalid(t *testing.T) {
	nc, d, cfg := small(1)
	bad := task.Func{Types: 2, Inputs: 2, Length: 10, Fill: func(*task.Trial, int, *rand.Rand) {}}
	tests := []struct {
		name, want string
		run        func() error
	}{
		{"empty window", "EvalStart", func() error {
			_, err := learn.Run(context.Background(), nc, bad, rule.MiconiCubic(), cfg)
			return err
		}},
		{"negative K", "rule.Rule.Theta", func() error {
			_, err := learn.Run(context.Background(), nc, d, rule.Rule{Eta: 1}, cfg)
			return err
		}},
		{"inputs", "NumInputs", func() error {
			c := nc
			c.NumInputs = 3
			_, err := learn.Run(context.Background(), c, d, rule.MiconiCubic(), cfg)
			return err
		}},
		{"dt", "Dt", func() error {
			c := nc
			c.Dt = 1
			_, err := learn.Run(context.Background(), c, d, rule.MiconiCubic(), cfg)
			return err
		}},
		{"baseline decay", "BaselineDecay", func() error {
			c := cfg
			c.BaselineDecay = 2
			_, err := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), c)
			return err
		}},
		{"network", "network.Config.N", func() error {
			c := nc
			c.N = -1
			_, err := learn.Run(context.Background(), c, d, rule.MiconiCubic(), cfg)
			return err
		}},
	}
	for _, tt := range tests {
		if err := tt.run(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v; want one naming %s", tt.name, err, tt.want)
		}
	}
}

// TestClipAndBaselines checks the trial-end update's clipping and the
// per-type baselines on a full-size DNMS trial.
func TestClipAndBaselines(t *testing.T) {
	nc, d, cfg := small(2)
	r := rule.MiconiCubic()
	r.Eta, r.MaxDW = 1e6, 1e-5 // every non-zero change saturates
	cfg.Record.DeltaJ = true
	cfg.Episodes, cfg.WarmUp = 9, 8 // one update, at episode 8 (type 0)
	net, _ := network.New(nc)
	l, _ := learn.New(net, d, r, cfg)
	h, err := l.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sat := 0
	for _, v := range h.DeltaJ.RawMatrix().Data {
		if math.Abs(v) > r.MaxDW*(1+1e-12) {
			t.Fatalf("|dJ| = %g > MaxDW %g", math.Abs(v), r.MaxDW)
		}
		if math.Abs(v) >= r.MaxDW*(1-1e-12) {
			sat++
		}
	}
	if sat < nc.N*nc.N/4 {
		t.Errorf("%d of %d changes at the clip; want most", sat, nc.N*nc.N)
	}
	// Baselines: Ebar_c <- 0.75 Ebar_c + 0.25 E over the type's episodes.
	want := make([]float64, 4)
	for k, e := range h.Errors {
		c := h.Types[k]
		want[c] = 0.75*want[c] + 0.25*e
	}
	for c := range want {
		if l.Baselines[c] != want[c] {
			t.Errorf("baseline %d = %g; want %g", c, l.Baselines[c], want[c])
		}
	}
}

// TestEpisodeAllocs: a whole episode allocates nothing, on either BLAS
// (the trace's products go through linalg.Gemm, which keeps gonum's
// pure-Go Dgemm from starting goroutines).
func TestEpisodeAllocs(t *testing.T) {
	for _, c := range []struct {
		r rule.Rule
		p linalg.Precision
	}{{rule.MiconiCubic(), linalg.Float64}, {rule.NodePert(), linalg.Float64}, {rule.MiconiCubic(), linalg.Float32}} {
		nc, d, cfg := small(3)
		cfg.WarmUp, cfg.Precision = 0, c.p
		net, _ := network.New(nc)
		l, err := learn.New(net, d, c.r, cfg)
		if err != nil {
			t.Fatal(err)
		}
		l.Episode()
		n := testing.AllocsPerRun(10, func() { l.Episode() })
		if n != 0 {
			t.Errorf("%s (%s BLAS, %v): an episode allocates %v times; want 0", c.r.Name, linalg.Backend(), c.p, n)
		}
	}
}

// TestFloat32: a run at Precision Float32 follows the float64 run: the
// first trial's error and eligibility agree to float32 rounding (1e-4
// relative here), later errors stay close, recording works; the uses it
// does not cover are errors naming the field.
func TestFloat32(t *testing.T) {
	nc, d, cfg := small(5)
	cfg.WarmUp = 1
	cfg.Record = learn.Record{Activity: []int{3}, Traces: []int{3}, Synapses: [][2]int{{0, 1}}}
	r := rule.MiconiCubic()
	r.Theta[1][1] = 0.5 // two active powers
	run := func(p linalg.Precision) (*learn.Learner, *learn.History, []float64) {
		cfg.Precision = p
		net, _ := network.New(nc)
		l, err := learn.New(net, d, r, cfg)
		if err != nil {
			t.Fatal(err)
		}
		cfg1 := l.Config
		l.Config.Episodes = 1
		if _, err := l.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		e0 := append([]float64(nil), l.Eligibility().RawMatrix().Data...)
		l.Config = cfg1
		h, err := l.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return l, h, e0
	}
	_, h64, e64 := run(linalg.Float64)
	l32, h32, e32 := run(linalg.Float32)
	scale := 0.0
	for _, v := range e64 {
		scale = max(scale, math.Abs(v))
	}
	for k := range e64 {
		if d := math.Abs(e32[k] - e64[k]); !(d <= 1e-4*scale) {
			t.Fatalf("first trial's eligibility [%d]: %g in float32, %g in float64", k, e32[k], e64[k])
		}
	}
	for ep, e := range h64.Errors {
		tol := 1e-4
		if ep > 0 {
			tol = 0.05
		}
		if d := math.Abs(h32.Errors[ep] - e); !(d <= tol*math.Abs(e)) {
			t.Errorf("episode %d: error %g in float32, %g in float64", ep, h32.Errors[ep], e)
		}
	}
	if len(h32.Activity) != 1 || len(h32.Traces) != 1 || h32.Activity[0].Rates.At(5, 2) == 0 {
		t.Errorf("float32 run: recorded %d activities, %d traces", len(h32.Activity), len(h32.Traces))
	}
	if l32.Net.X[0] == 0 {
		t.Error("float32 run: the Net's state was not stored back")
	}
	plastic := nc
	plastic.Readout, plastic.ReadoutPlastic = network.LinearReadout, true
	for _, c := range []struct {
		name string
		nc   network.Config
		r    rule.Rule
		p    linalg.Precision
	}{{"node perturbation", nc, rule.NodePert(), linalg.Float32}, {"plastic readout", plastic, rule.MiconiCubic(), linalg.Float32}, {"unknown", nc, r, 9}} {
		cfg.Precision = c.p
		net, _ := network.New(c.nc)
		if _, err := learn.New(net, d, c.r, cfg); err == nil || !strings.Contains(err.Error(), "learn.Config.Precision") {
			t.Errorf("%s under %v: err = %v; want one naming learn.Config.Precision", c.name, c.p, err)
		}
	}
}

func TestRecord(t *testing.T) {
	nc, d, cfg := small(4)
	cfg.Record = learn.Record{Activity: []int{2, 30}, Traces: []int{5}, Synapses: [][2]int{{0, 1}, {3, 4}}}
	h, err := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Activity) != 2 || h.Activity[1].Episode != 30 || len(h.Traces) != 1 || h.DeltaJ != nil {
		t.Fatalf("recorded %d activities, %d traces, DeltaJ %v", len(h.Activity), len(h.Traces), h.DeltaJ != nil)
	}
	a := h.Activity[0]
	if r, c := a.Rates.Dims(); r != 100 || c != 30 || a.Output[99] != a.Rates.At(99, 0) || a.Error != h.Errors[2] {
		t.Errorf("activity: %dx%d, z(T-1) %g vs r0 %g, error %g vs %g", r, c, a.Output[99], a.Rates.At(99, 0), a.Error, h.Errors[2])
	}
	if r, c := h.Traces[0].Values.Dims(); r != 100 || c != 2 || h.Traces[0].Values.At(2, 0) != 0 {
		t.Errorf("trace: %dx%d, value before TraceAfter %g", r, c, h.Traces[0].Values.At(2, 0))
	}
}

func ExampleRun() {
	nc := network.DefaultConfig()
	nc.N = 50
	d, _ := task.NewDNMS(task.DefaultDNMS())
	cfg := learn.DefaultConfig()
	cfg.Episodes = 8
	h, err := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	fmt.Println(h.Len(), h.Types[:5], err)
	// Output: 8 [0 1 2 3 0] <nil>
}

func ExampleNew() {
	nc := network.DefaultConfig()
	nc.N, nc.Dt = 50, 5
	dc := task.DefaultDNMS()
	dc.Dt = 5
	d, _ := task.NewDNMS(dc)
	net, _ := network.New(nc)
	cfg := learn.DefaultConfig()
	cfg.Episodes = 4
	l, _ := learn.New(net, d, rule.EH(), cfg)
	h, _ := l.Run(context.Background())
	typ, e, err := l.Episode() // one more episode, no history
	fmt.Println(h.Len(), l.Done, typ, e > 0, err)
	// Output: 4 5 0 true <nil>
}

// TestStreamsReplay: a loop of its own (as meta-learning writes) replays
// a learner's episodes from the same seed through Streams.Next.
func TestStreamsReplay(t *testing.T) {
	nc, d, cfg := small(6)
	cfg.Order = task.Random
	h, err := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	net, _ := network.New(nc)
	s := learn.NewStreams(cfg.Seed)
	var tr task.Trial
	var p network.Perturbations
	for ep := range 10 {
		typ, err := s.Next(&tr, &p, net, d, cfg.Order, ep)
		if err != nil || typ != h.Types[ep] {
			t.Fatalf("episode %d: replayed type %d (err %v); want %d", ep, typ, err, h.Types[ep])
		}
		z := make([]float64, tr.Steps())
		for step := range tr.Steps() {
			u, xi := p.At(step)
			net.Step(tr.Input(step), u, xi)
			z[step] = net.Z
		}
		if ep < cfg.WarmUp && tr.Error(z) != h.Errors[ep] {
			t.Fatalf("episode %d (no learning yet): replayed error %g; want %g", ep, tr.Error(z), h.Errors[ep])
		}
	}
}

func ExampleStreams_Next() {
	nc := network.DefaultConfig()
	nc.N = 20
	net, _ := network.New(nc)
	d, _ := task.NewDNMS(task.DefaultDNMS())
	s := learn.NewStreams(1)
	var tr task.Trial
	var p network.Perturbations
	typ, err := s.Next(&tr, &p, net, d, task.Cycle, 6)
	fmt.Println(typ, tr.Steps(), p.Count() > 0, err)
	// Output: 2 1000 true <nil>
}

func TestLinearReadout(t *testing.T) {
	for _, plastic := range []bool{false, true} {
		nc, d, cfg := small(9)
		nc.Readout, nc.ReadoutPlastic = network.LinearReadout, plastic
		net, err := network.New(nc)
		if err != nil {
			t.Fatal(err)
		}
		w0 := append([]float64(nil), net.WOut...)
		l, _ := learn.New(net, d, rule.MiconiCubic(), cfg)
		h, err := l.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		changed := false
		for j := range w0 {
			if net.WOut[j] != w0[j] {
				changed = true
			}
		}
		if changed != plastic {
			t.Errorf("ReadoutPlastic = %v: WOut changed = %v", plastic, changed)
		}
		if h.Errors[0] <= 0 {
			t.Errorf("error %g", h.Errors[0])
		}
	}
}

func TestConfigJSON(t *testing.T) {
	cfg := learn.DefaultConfig()
	cfg.Order = task.Random
	cfg.Progress = func(learn.Progress) {}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var back learn.Config
	if err := json.Unmarshal(b, &back); err != nil || back.Order != task.Random || back.WarmUp != 100 {
		t.Errorf("round trip of %s: %+v, %v", b, back, err)
	}
}
