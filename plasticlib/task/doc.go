// Package task defines the sparse-reward tasks a network learns (a trial's
// inputs, target and scored window, one reward at its end) and the small
// interface a user implements to add one.
//
// A Task fills a Trial: the inputs u(t) (Steps x NumInputs), the target
// z*(t) and the evaluation window [EvalStart, EvalEnd) over which the
// error mean |z - z*| is taken, for one of NumTypes trial types. Each type
// has its own reward baseline in the learner. The built-in tasks (DNMS,
// context-dependent integration, long-delay and variable-delay DNMS,
// evidence accumulation) take their timings in ms in a typed config and
// convert them with the config's Dt.
//
// A new task in a notebook cell is a Func:
//
//	tk := task.Func{Name: "go", Types: 2, Inputs: 1, Length: 500,
//		Fill: func(dst *task.Trial, typ int, rng *rand.Rand) {
//			dst.Set(0, 100, 0, 1)                         // channel 0 on during steps [0, 100)
//			dst.SetTarget(300, 500, float64(2*typ-1))    // target over [300, 500)
//			dst.EvalStart, dst.EvalEnd = 300, 500
//		}}
//
// Layer: plasticlib science layer, imports nothing else from plasticlib.
package task
