package task_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// on returns the steps [first, last] where channel ch is non-zero (-1, -1 if never).
func on(tr *task.Trial, ch int) (first, last int) {
	first, last = -1, -1
	for t := 0; t < tr.Steps(); t++ {
		if tr.Input(t)[ch] != 0 {
			if first < 0 {
				first = t
			}
			last = t
		}
	}
	return first, last
}

func TestDNMS(t *testing.T) {
	d, err := task.NewDNMS(task.DefaultDNMS())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var tr task.Trial
	tests := []struct {
		typ    int
		a, b   [2]int // [first, last] steps on channels A and B
		target float64
	}{
		{0, [2]int{1, 599}, [2]int{-1, -1}, -0.98},
		{1, [2]int{1, 200}, [2]int{400, 599}, 0.98},
		{2, [2]int{400, 599}, [2]int{1, 200}, 0.98},
		{3, [2]int{-1, -1}, [2]int{1, 599}, -0.98},
	}
	for _, tt := range tests {
		if err := task.Generate(d, &tr, tt.typ, rng); err != nil {
			t.Fatal(err)
		}
		if f, l := on(&tr, 0); f != tt.a[0] || l != tt.a[1] {
			t.Errorf("type %d: channel A on [%d, %d]; want %v", tt.typ, f, l, tt.a)
		}
		if f, l := on(&tr, 1); f != tt.b[0] || l != tt.b[1] {
			t.Errorf("type %d: channel B on [%d, %d]; want %v", tt.typ, f, l, tt.b)
		}
		if tr.EvalStart != 800 || tr.EvalEnd != 1000 || tr.Target[900] != tt.target {
			t.Errorf("type %d: window [%d, %d) target %g; want [800, 1000) %g", tt.typ, tr.EvalStart, tr.EvalEnd, tr.Target[900], tt.target)
		}
		if tt.typ == 0 && (tr.Input(300)[0] != 0 || tr.Input(200)[0] != 1) {
			t.Errorf("type 0: the delay is not silent")
		}
	}
	// The same task at dt = 5 ms has 200 steps, window [160, 200).
	c := task.DefaultDNMS()
	c.Dt = 5
	d5, _ := task.NewDNMS(c)
	task.Generate(d5, &tr, 1, rng)
	if f, l := on(&tr, 1); d5.Steps() != 200 || tr.EvalStart != 160 || f != 80 || l != 119 {
		t.Errorf("dt=5: steps %d window %d stim2 [%d %d]; want 200, 160, [80 119]", d5.Steps(), tr.EvalStart, f, l)
	}
}

func TestDNMSVariants(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var tr task.Trial
	ld, _ := task.NewDNMS(task.LongDelayDNMS())
	task.Generate(ld, &tr, 1, rng)
	if f, l := on(&tr, 1); ld.Steps() != 2000 || f != 1400 || l != 1799 || tr.EvalStart != 1800 {
		t.Errorf("long delay: steps %d, stim2 [%d %d], eval %d", ld.Steps(), f, l, tr.EvalStart)
	}
	vd, _ := task.NewDNMS(task.VariableDelayDNMS())
	seen := map[int]bool{}
	for range 200 {
		task.Generate(vd, &tr, 1, rng)
		f1, l1 := on(&tr, 0)
		f2, l2 := on(&tr, 1)
		if f1 != 1 || l1 != 300 || l2-f2 != 299 || f2-301 < 300 || f2-301 > 800 || l2 >= tr.EvalStart {
			t.Fatalf("variable delay: stim1 [%d %d] stim2 [%d %d] eval %d", f1, l1, f2, l2, tr.EvalStart)
		}
		seen[(f2-301)/100] = true
	}
	if len(seen) < 5 {
		t.Errorf("variable delay: delays cover only %d of the 100-ms bins", len(seen))
	}
}

func TestContext(t *testing.T) {
	x, err := task.NewContext(task.DefaultContext())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	var tr task.Trial
	for typ := range 4 {
		ctx, sign := typ/2, float64(2*(typ%2)-1)
		mean := 0.0
		const reps = 40
		for range reps {
			task.Generate(x, &tr, typ, rng)
			for t0 := 1; t0 < 500; t0++ {
				mean += tr.Input(t0)[ctx]
			}
		}
		mean /= reps * 499
		if math.Abs(mean-sign*0.25) > 0.02 {
			t.Errorf("type %d: mean attended input %g; want %g", typ, mean, sign*0.25)
		}
		if tr.Input(0)[0] != 0 || tr.Input(500)[0] != 0 || tr.Input(600)[2+ctx] != 1 || tr.Input(600)[3-ctx] != 0 {
			t.Errorf("type %d: wrong stimulus period or context channels", typ)
		}
		if tr.Target[600] != sign || tr.EvalStart != 500 || tr.EvalEnd != 700 {
			t.Errorf("type %d: target %g window [%d, %d)", typ, tr.Target[600], tr.EvalStart, tr.EvalEnd)
		}
	}
}

func TestEvidence(t *testing.T) {
	e, err := task.NewEvidence(task.DefaultEvidence())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	var tr task.Trial
	for typ := range 4 {
		for range 20 {
			task.Generate(e, &tr, typ, rng)
			count := [2]int{}
			for k := range 7 {
				s := 1 + 150*k
				for ch := range 2 {
					if tr.Input(s)[ch] == 1 && tr.Input(s + 99)[ch] == 1 && tr.Input(s + 100)[ch] == 0 {
						count[ch]++
					}
				}
			}
			side := typ % 2
			margin := count[side] - count[1-side]
			if count[0]+count[1] != 7 || margin <= 0 || (typ/2 == 0 && margin < 5) || (typ/2 == 1 && margin > 3) {
				t.Fatalf("type %d: cues left/right = %v", typ, count)
			}
			if f, l := on(&tr, 2); f != 2100 || l != 2249 || tr.EvalStart != 2100 || tr.Target[2200] != float64(2*side-1) {
				t.Fatalf("type %d: recall [%d %d], eval %d, target %g", typ, f, l, tr.EvalStart, tr.Target[2200])
			}
		}
	}
}

func TestBadConfigs(t *testing.T) {
	c := task.DefaultDNMS()
	c.EvalLen = 0
	if _, err := task.NewDNMS(c); err == nil || !strings.Contains(err.Error(), "EvalLen") {
		t.Errorf("NewDNMS(EvalLen=0) = %v; want an error naming EvalLen", err)
	}
	x := task.DefaultContext()
	x.EvalStart = 700
	if _, err := task.NewContext(x); err == nil || !strings.Contains(err.Error(), "EvalStart") {
		t.Errorf("NewContext(empty window) = %v; want an error naming EvalStart", err)
	}
	f := task.Func{Types: 1, Length: 10, Fill: func(*task.Trial, int, *rand.Rand) {}}
	var tr task.Trial
	if err := task.Generate(f, &tr, 0, nil); !errors.Is(err, task.ErrEmptyWindow) {
		t.Errorf("Generate(no window) = %v; want ErrEmptyWindow", err)
	}
}

func TestError(t *testing.T) {
	tr := task.Trial{}
	tr.Reset(4, 0)
	tr.SetTarget(0, 4, 1)
	tr.EvalStart, tr.EvalEnd = 2, 4
	if got := tr.Error([]float64{9, 9, 0.5, -1}); got != (0.5+2)/2 {
		t.Errorf("Error = %g; want 1.25", got)
	}
}

func ExampleFunc() {
	// A "go/no-go" task in a few lines: respond +1 after a pulse on
	// channel 0 for type 1, -1 for type 0.
	tk := task.Func{Name: "go/no-go", Types: 2, Inputs: 1, Length: 300,
		Fill: func(dst *task.Trial, typ int, rng *rand.Rand) {
			if typ == 1 {
				dst.Set(0, 50, 0, 1)
			}
			dst.SetTarget(0, 300, float64(2*typ-1))
			dst.EvalStart, dst.EvalEnd = 200, 300
		}}
	var tr task.Trial
	err := task.Generate(tk, &tr, 1, nil)
	fmt.Println(err, tr.Input(10)[0], tr.Target[250], tr.EvalEnd-tr.EvalStart)
	// Output: <nil> 1 1 100
}

func ExampleNewDNMS() {
	d, _ := task.NewDNMS(task.DefaultDNMS())
	var tr task.Trial
	task.Generate(d, &tr, 2, rand.New(rand.NewPCG(0, 0))) // BA: a non-match
	fmt.Println(d.Steps(), d.NumTypes(), tr.Input(100), tr.Input(500), tr.Target[999])
	// Output: 1000 4 [0 1] [1 0] 0.98
}

func ExampleNewContext() {
	x, _ := task.NewContext(task.DefaultContext())
	var tr task.Trial
	task.Generate(x, &tr, 3, rand.New(rand.NewPCG(0, 0))) // context 1, attended sign +
	fmt.Println(x.Steps(), x.NumInputs(), tr.Input(600)[2:], tr.Target[650], tr.EvalStart, tr.EvalEnd)
	// Output: 700 4 [0 1] 1 500 700
}

func ExampleNewEvidence() {
	e, _ := task.NewEvidence(task.DefaultEvidence())
	var tr task.Trial
	task.Generate(e, &tr, 0, rand.New(rand.NewPCG(0, 0))) // majority left, easy
	fmt.Println(e.Steps(), tr.Input(2200)[2], tr.Target[2200], tr.EvalStart)
	// Output: 2250 1 -1 2100
}
