package setting

import (
	"encoding/json"
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
)

// parse returns the setting of the command line args (AddFlags).
func parse(t *testing.T, args ...string) (Setting, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := AddFlags(fs, Context, Miconi)
	if err := fs.Parse(args); err != nil {
		return Setting{}, err
	}
	return f.Setting()
}

// Every override, given as Overrides, changes the setting as its flag
// does, and Flags.Overrides gives back what was given.
func TestOverride(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		changed     func(Setting) any
		want        any
	}{
		{"n", "40", func(s Setting) any { return s.Net.N }, 40},
		{"dt", "10", func(s Setting) any { return [2]float64{s.Net.Dt, s.ContextCfg.Dt} }, [2]float64{10, 10}},
		{"amp", "3", func(s Setting) any { return s.Net.PerturbAmp }, 3.0},
		{"pprob", "0.01", func(s Setting) any { return s.Net.PerturbProb }, 0.01},
		{"initx", "0.5", func(s Setting) any { return s.Net.InitX }, 0.5},
		{"bias", "0.25", func(s Setting) any { return s.ContextCfg.Bias }, 0.25},
		{"noise", "0.2", func(s Setting) any { return s.ContextCfg.Noise }, 0.2},
		{"readout", "linear", func(s Setting) any { return s.Net.Readout.String() }, "linear"},
		{"threshold", "0.5", func(s Setting) any { return s.Criterion.Threshold }, 0.5},
		{"episodes", "77", func(s Setting) any { return s.Learn.Episodes }, 77},
		{"baseline", "0.9", func(s Setting) any { return s.Learn.BaselineDecay }, 0.9},
		{"eta", "0.02", func(s Setting) any { return [2]float64{s.Eta, s.NodePertEta} }, [2]float64{0.02, 0.02}},
		{"maxdw", "1e-3", func(s Setting) any { return s.MaxDW }, 1e-3},
	} {
		base := MustLookup(Context, Miconi)
		got, err := Override(base, Overrides{tc.name: tc.value})
		if err != nil {
			t.Errorf("-%s %s: %v", tc.name, tc.value, err)
			continue
		}
		if v := tc.changed(got); !reflect.DeepEqual(v, tc.want) {
			t.Errorf("-%s %s: got %v; want %v", tc.name, tc.value, v, tc.want)
		}
		if tc.changed(base) == tc.changed(got) {
			t.Errorf("-%s %s changes nothing of the base setting: the test proves nothing", tc.name, tc.value)
		}
		flagged, err := parse(t, "-"+tc.name, tc.value)
		if err != nil || !reflect.DeepEqual(flagged, got) {
			t.Errorf("-%s %s: Override differs from the flag (%v)", tc.name, tc.value, err)
		}
	}
	// A plastic readout, which needs a linear one.
	got, err := Override(MustLookup(Context, Miconi), Overrides{"readout": "linear", "plastic-readout": "true"})
	if err != nil || !got.Net.ReadoutPlastic {
		t.Errorf("plastic-readout: %v, %v; want a plastic readout", got.Net.ReadoutPlastic, err)
	}

	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	f := AddOverrideFlags(fs)
	if err := fs.Parse([]string{"-bias", "0.5", "-n", "30", "-plastic-readout"}); err != nil {
		t.Fatal(err)
	}
	if o := f.Overrides(); !reflect.DeepEqual(o, Overrides{"bias": "0.5", "n": "30", "plastic-readout": "true"}) {
		t.Errorf("Overrides() = %v", o)
	}
	if fs.Lookup("task") != nil {
		t.Error("AddOverrideFlags registered -task")
	}
	if len(OverrideNames()) != 14 {
		t.Errorf("%d override names; want the 14 flags", len(OverrideNames()))
	}
}

func TestOverrideErrors(t *testing.T) {
	for _, tc := range []struct {
		task string
		o    Overrides
		want string
	}{
		{Context, Overrides{"bais": "1"}, `unknown setting override "bais" (want one of n, dt`},
		{Context, Overrides{"n": "many"}, `-n: parse error`},
		{DNMS, Overrides{"bias": "0.5"}, "-bias and -noise apply to -task context only, not dnms"},
		{Context, Overrides{"readout": "softmax"}, "-readout"},
		{Context, Overrides{"episodes": "0"}, "-episodes: must be >= 1"},
		{Context, Overrides{"threshold": "-1"}, "-threshold"},
		{Context, Overrides{"baseline": "1.5"}, "-baseline: learn.Config.BaselineDecay: must be in [0, 1]"},
	} {
		_, err := Override(MustLookup(tc.task, Miconi), tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v on %s: err = %v; want one containing %q", tc.o, tc.task, err, tc.want)
		}
	}
}

func TestOverridesJSON(t *testing.T) {
	var o Overrides
	if err := json.Unmarshal([]byte(`{"bias": 0.5, "readout": "linear", "plastic-readout": true, "n": 40}`), &o); err != nil {
		t.Fatal(err)
	}
	if want := (Overrides{"bias": "0.5", "readout": "linear", "plastic-readout": "true", "n": "40"}); !reflect.DeepEqual(o, want) {
		t.Errorf("got %v; want %v", o, want)
	}
	if err := json.Unmarshal([]byte(`{"bias": [1]}`), &o); err == nil || !strings.Contains(err.Error(), `setting override "bias"`) {
		t.Errorf("a list: err = %v", err)
	}
}
