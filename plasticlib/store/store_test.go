package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/store"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

func TestNetworkRoundTrip(t *testing.T) {
	for _, edit := range []func(*network.Config){
		func(c *network.Config) {},
		func(c *network.Config) { c.ConnProb, c.Readout, c.Dale = 0.3, network.LinearReadout, true },
	} {
		c := network.DefaultConfig()
		c.N = 16
		edit(&c)
		net, err := network.New(c)
		if err != nil {
			t.Fatal(err)
		}
		net.J.Set(2, 3, 0.125) // a change the seed cannot reproduce
		net.XBar[5] = 0.5
		dir := t.TempDir()
		if err := store.SaveNetwork(dir, net); err != nil {
			t.Fatal(err)
		}
		got, err := store.LoadNetwork(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got.Config.ConnProb != c.ConnProb || got.Config.Readout != c.Readout || got.J.At(2, 3) != 0.125 || got.XBar[5] != 0.5 {
			t.Errorf("loaded network differs: config %+v, J[2][3] %g", got.Config, got.J.At(2, 3))
		}
		for k, v := range net.J.RawMatrix().Data {
			if got.J.RawMatrix().Data[k] != v {
				t.Fatalf("J[%d] = %g; want %g", k, got.J.RawMatrix().Data[k], v)
			}
		}
		if (net.WOut == nil) != (got.WOut == nil) || (net.Mask == nil) != (got.Mask == nil) {
			t.Errorf("readout or mask lost")
		}
	}
}

func TestLoadNetworkShapeMismatch(t *testing.T) {
	c := network.DefaultConfig()
	c.N = 16
	net, _ := network.New(c)
	dir := t.TempDir()
	store.SaveNetwork(dir, net)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"N": 20, "Dt": 1, "Tau": 30, "G": 1.5, "ConnProb": 1, "NumInputs": 2, "InputHigh": 1}`), 0o644)
	if _, err := store.LoadNetwork(dir); err == nil || !strings.Contains(err.Error(), "J.npy") {
		t.Errorf("LoadNetwork with a wrong shape: err = %v; want one naming J.npy", err)
	}
}

func TestRuleRoundTrip(t *testing.T) {
	r, _ := rule.Random(2, 4, 0.2, 3)
	path := filepath.Join(t.TempDir(), "rule.json")
	if err := store.SaveRule(path, r); err != nil {
		t.Fatal(err)
	}
	got, err := store.LoadRule(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != r.String() {
		t.Errorf("LoadRule = %v; want %v", got, r)
	}
	os.WriteFile(path, []byte(`{"theta": [], "eta": 0.1}`), 0o644)
	if _, err := store.LoadRule(path); err == nil {
		t.Errorf("LoadRule of a rule without theta succeeded")
	}
}

func TestHistoryRoundTrip(t *testing.T) {
	nc := network.DefaultConfig()
	nc.N, nc.Dt = 20, 10
	dc := task.DefaultDNMS()
	dc.Dt = 10
	d, _ := task.NewDNMS(dc)
	cfg := learn.DefaultConfig()
	cfg.Episodes, cfg.WarmUp = 6, 1
	cfg.Record = learn.Record{Activity: []int{1}, Traces: []int{4}, Synapses: [][2]int{{0, 1}}, DeltaJ: true}
	h, err := learn.Run(context.Background(), nc, d, rule.MiconiCubic(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := store.SaveHistory(dir, h); err != nil {
		t.Fatal(err)
	}
	got, err := store.LoadHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 6 || got.Errors[3] != h.Errors[3] || got.Types[5] != h.Types[5] || got.Rewards[2] != h.Rewards[2] {
		t.Errorf("loaded history %+v differs", got)
	}
	if got.DeltaJ.At(3, 4) != h.DeltaJ.At(3, 4) || got.Activity[0].Rates.At(7, 3) != h.Activity[0].Rates.At(7, 3) ||
		got.Activity[0].Output[9] != h.Activity[0].Output[9] || got.Traces[0].Values.At(50, 0) != h.Traces[0].Values.At(50, 0) {
		t.Errorf("loaded arrays differ")
	}
}

func ExampleSaveRule() {
	dir, _ := os.MkdirTemp("", "store")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "miconi.json")
	store.SaveRule(path, rule.MiconiCubic())
	r, err := store.LoadRule(path)
	fmt.Println(r.Name, r.Theta[3][3], err)
	// Output: miconi-cubic 1 <nil>
}

func ExampleSaveNetwork() {
	dir, _ := os.MkdirTemp("", "store")
	defer os.RemoveAll(dir)
	c := network.DefaultConfig()
	c.N = 20
	net, _ := network.New(c)
	store.SaveNetwork(dir, net) // J.npy opens in Python with numpy.load
	back, err := store.LoadNetwork(dir)
	fmt.Println(back.J.At(3, 4) == net.J.At(3, 4), err)
	// Output: true <nil>
}

func ExampleSaveHistory() {
	dir, _ := os.MkdirTemp("", "store")
	defer os.RemoveAll(dir)
	h := &learn.History{Errors: []float64{1, 0.5}, Rewards: []float64{-1, -0.5}, Types: []int{0, 1}}
	store.SaveHistory(dir, h)
	back, err := store.LoadHistory(dir)
	fmt.Println(back.Errors, back.Types, err)
	// Output: [1 0.5] [0 1] <nil>
}
