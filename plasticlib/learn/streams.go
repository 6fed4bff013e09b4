package learn

import (
	"fmt"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Random stream identifiers (the PCG's second seed word), per Config.Seed.
const (
	streamTrial = 0x747269616c // task randomness and random trial order
	streamState = 0x7374617465 // initial state of each trial
	streamPert  = 0x7065727462 // exploratory perturbations
)

// Streams are the random streams of a learning run. None of their draws
// depends on the weights or the rule, so a run is a deterministic function
// of the rule for fixed seeds: what meta-learning with common random
// numbers needs. A tangent-propagating loop replays a Learner's episodes
// by calling Next with its own Streams made from the same seed.
type Streams struct {
	Trial *rand.Rand // trial types (random order) and the task's randomness
	State *rand.Rand // each trial's initial state
	Pert  *rand.Rand // exploratory perturbations
}

// NewStreams returns the streams of seed.
func NewStreams(seed uint64) Streams {
	return Streams{
		Trial: rand.New(rand.NewPCG(seed, streamTrial)),
		State: rand.New(rand.NewPCG(seed, streamState)),
		Pert:  rand.New(rand.NewPCG(seed, streamPert)),
	}
}

// Next prepares episode ep: it picks the trial type, fills trial and pert,
// and sets net's initial state (network.Net.StartTrial), drawing from s
// in a fixed order. It allocates only when trial or pert grow.
func (s Streams) Next(trial *task.Trial, pert *network.Perturbations, net *network.Net, tk task.Task, order task.Order, ep int) (typ int, err error) {
	typ = order.Pick(ep, tk.NumTypes(), s.Trial)
	if err := task.Generate(tk, trial, typ, s.Trial); err != nil {
		return typ, fmt.Errorf("learn: episode %d: %w", ep, err)
	}
	if got, want := trial.Steps(), tk.Steps(); got != want {
		return typ, fmt.Errorf("learn: episode %d: the task made a trial of %d steps, Steps() says %d", ep, got, want)
	}
	net.Config.SamplePerturbations(pert, trial.Steps(), s.Pert)
	net.StartTrial(s.State)
	return typ, nil
}
