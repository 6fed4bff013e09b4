package task

import (
	"errors"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// EvidenceConfig configures evidence accumulation (a rate version of the
// e-prop cue task). Times in ms. NumCues cues of CueLen ms, one every
// CueEvery ms from CueStart, each on the left (channel 0) or right
// (channel 1) channel; a recall cue on channel 2 during the last RecallLen
// ms, over which the target sign(right - left) * Target is scored. Trial
// types: majority side = type%2 (0 left: target -Target, 1 right:
// +Target); type/2 = 0 easy (the majority side has NumCues or NumCues-1
// cues), 1 hard (a majority of one or two cues); positions are random.
type EvidenceConfig struct {
	Dt        float64 // time step in ms; default 1
	Duration  float64 // default 2250
	NumCues   int     // odd, default 7
	CueStart  float64 // default 1
	CueLen    float64 // default 100
	CueEvery  float64 // default 150
	RecallLen float64 // default 150
	Amplitude float64 // default 1
	Target    float64 // default 1
}

// DefaultEvidence returns the evidence-accumulation task with 7 cues of
// 100 ms, one every 150 ms, and the recall cue over the last 150 ms of a
// 2250 ms trial.
func DefaultEvidence() EvidenceConfig {
	return EvidenceConfig{Dt: 1, Duration: 2250, NumCues: 7, CueStart: 1, CueLen: 100, CueEvery: 150,
		RecallLen: 150, Amplitude: 1, Target: 1}
}

// Evidence is the evidence-accumulation task. Build it with NewEvidence.
type Evidence struct {
	cfg EvidenceConfig
	n   int
}

// NewEvidence validates c (errors name the field) and returns the task.
func NewEvidence(c EvidenceConfig) (*Evidence, error) {
	if !(c.Dt > 0) {
		return nil, field.Errorf("task.EvidenceConfig.Dt", "must be > 0, got %g", c.Dt)
	}
	n := steps(c.Duration, c.Dt)
	var errs []error
	if c.NumCues < 3 || c.NumCues > 63 || c.NumCues%2 == 0 {
		errs = append(errs, field.Errorf("task.EvidenceConfig.NumCues", "must be odd, in [3, 63], got %d", c.NumCues))
	}
	if r := steps(c.RecallLen, c.Dt); r <= 0 || r > n {
		errs = append(errs, field.Errorf("task.EvidenceConfig.RecallLen", "empty evaluation window: must be in [Dt, Duration], got %g ms", c.RecallLen))
	}
	if end := c.CueStart + float64(c.NumCues-1)*c.CueEvery + c.CueLen; end > c.Duration-c.RecallLen {
		errs = append(errs, field.Errorf("task.EvidenceConfig.CueEvery", "cues end at %g ms, after the recall cue", end))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Evidence{cfg: c, n: n}, nil
}

// Config returns the task's configuration.
func (e *Evidence) Config() EvidenceConfig { return e.cfg }
func (e *Evidence) Dt() float64            { return e.cfg.Dt }
func (e *Evidence) NumTypes() int          { return 4 }
func (e *Evidence) NumInputs() int         { return 3 }
func (e *Evidence) Steps() int             { return e.n }
func (e *Evidence) String() string         { return "evidence accumulation" }

// Trial fills dst with a trial of type typ.
func (e *Evidence) Trial(dst *Trial, typ int, rng *rand.Rand) {
	c, dt := e.cfg, e.cfg.Dt
	side := typ % 2
	nmaj := c.NumCues - rng.IntN(2) // easy: all or all but one
	if typ/2 == 1 {
		nmaj = c.NumCues/2 + 1 + rng.IntN(2) // hard: a majority of one or two
		if nmaj > c.NumCues {
			nmaj = c.NumCues
		}
	}
	// Choose which cues go to the majority side: a partial Fisher-Yates
	// over cue indices, without allocating.
	var onMaj uint64
	for k := 0; k < nmaj; k++ {
		for {
			j := rng.IntN(c.NumCues)
			if onMaj&(1<<j) == 0 {
				onMaj |= 1 << j
				break
			}
		}
	}
	for k := 0; k < c.NumCues; k++ {
		ch := 1 - side
		if onMaj&(1<<k) != 0 {
			ch = side
		}
		s := steps(c.CueStart+float64(k)*c.CueEvery, dt)
		dst.Set(s, s+steps(c.CueLen, dt), ch, c.Amplitude)
	}
	r := e.n - steps(c.RecallLen, dt)
	dst.Set(r, e.n, 2, c.Amplitude)
	dst.SetTarget(0, e.n, float64(2*side-1)*c.Target)
	dst.EvalStart, dst.EvalEnd = r, e.n
}
