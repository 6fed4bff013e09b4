package meta

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/task"
)

func tinyConfig(t *testing.T) Config {
	p := tiny(t, "dnms")
	p.Task = nil
	p.Smooth = Smooth{AbsEps: 1e-4, Clip: true}
	dc := task.DefaultDNMS()
	dc.Dt = 10
	cfg := DefaultConfig(p, TaskSpec{DNMS: &dc})
	cfg.Iterations = 4
	cfg.EvalSeeds = cfg.EvalSeeds[:2]
	return cfg
}

func TestTrainReproducibleAndResume(t *testing.T) {
	ctx := context.Background()
	cfg := tinyConfig(t)
	h1, err := Train(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(h1.Records) != 4 {
		t.Fatalf("%d records, want 4", len(h1.Records))
	}
	// The config, saved as JSON and loaded back, reproduces the run bit for bit.
	b, err := json.Marshal(h1.Config)
	if err != nil {
		t.Fatal(err)
	}
	var cfg2 Config
	if err := json.Unmarshal(b, &cfg2); err != nil {
		t.Fatal(err)
	}
	h2, err := Train(ctx, cfg2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h1.Records, h2.Records) || !reflect.DeepEqual(h1.Phi, h2.Phi) {
		t.Fatalf("rerun from the saved config differs:\n%v\n%v", h1.Records, h2.Records)
	}
	// Resume: 2 iterations with a checkpoint, then 4, equals 4 straight.
	path := filepath.Join(t.TempDir(), "ckpt.json")
	c := cfg
	c.Checkpoint, c.Iterations = path, 2
	if _, err := Train(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.Iterations = 4
	h3, err := Train(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(h1.Records, h3.Records) || !reflect.DeepEqual(h1.Phi, h3.Phi) {
		t.Fatalf("resumed run differs")
	}
	// A checkpoint from another config is refused, naming the field.
	c.LR = 0.02
	if _, err := Train(ctx, c); err == nil || !strings.Contains(err.Error(), "lr") {
		t.Fatalf("other config: err = %v, want a refusal naming lr", err)
	}
}

func TestTrainCancel(t *testing.T) {
	cfg := tinyConfig(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	episodes := 0
	cfg.EpisodeProgress = func(int, float64) { episodes++ }
	cfg.Progress = func(r Record) {
		if r.Iteration == 1 {
			cancel()
		}
	}
	h, err := Train(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(h.Records) != 2 {
		t.Fatalf("%d records after cancel at iteration 1, want 2", len(h.Records))
	}
	if episodes != 2*cfg.Problem.Learn.Episodes {
		t.Errorf("%d episode callbacks, want %d", episodes, 2*cfg.Problem.Learn.Episodes)
	}
}

func TestTrainNonFinite(t *testing.T) {
	cfg := tinyConfig(t)
	// A task whose target turns NaN from the 5th trial on.
	n := 0
	cfg.Problem.Task = task.Func{Name: "nan", Types: 2, Inputs: 2, Length: 50,
		Fill: func(dst *task.Trial, typ int, rng *rand.Rand) {
			v := 1.0
			if n++; n > 4 {
				v = math.NaN()
			}
			dst.SetTarget(40, 50, v)
			dst.EvalStart, dst.EvalEnd = 40, 50
		}}
	cfg.Seeds, cfg.EvalSeeds = 1, nil
	_, err := Train(context.Background(), cfg)
	var nf *NonFiniteError
	if !errors.As(err, &nf) || nf.Iteration != 0 || nf.Episode != 4 {
		t.Fatalf("err = %v, want a NonFiniteError at iteration 0, episode 4", err)
	}
}
