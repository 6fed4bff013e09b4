package task

import (
	"errors"
	"math"
	"math/rand/v2"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// steps converts a duration in ms to a number of steps of dt ms.
func steps(ms, dt float64) int { return int(math.Round(ms / dt)) }

// DNMSConfig configures delayed non-match-to-sample (sequential XOR) and
// its variants. Times are in ms from trial start. Trial types: 0 = AA,
// 1 = AB, 2 = BA, 3 = BB (first letter: stimulus 1's channel); the target
// is -Target for a match (AA, BB) and +Target for a non-match.
type DNMSConfig struct {
	// Dt is the time step in ms; it must equal the network's. Default 1.
	Dt float64
	// Duration of a trial. Default 1000.
	Duration float64
	// Stim1Start, Stim1Len: stimulus 1 on channel A (0) or B (1).
	// Default 1, 200.
	Stim1Start, Stim1Len float64
	// Stim2Start, Stim2Len: stimulus 2. Default 400, 200. Ignored
	// (replaced by Stim1Start+Stim1Len+delay) when DelayMax > 0.
	Stim2Start, Stim2Len float64
	// DelayMin, DelayMax: when DelayMax > 0, the delay between the end of
	// stimulus 1 and the start of stimulus 2 is drawn from
	// Uniform(DelayMin, DelayMax) each trial (variable-delay DNMS).
	// Default 0, 0 (fixed delay).
	DelayMin, DelayMax float64
	// Amplitude of the stimuli. Default 1.
	Amplitude float64
	// EvalLen: the error is scored over the last EvalLen ms. Default 200.
	EvalLen float64
	// Target magnitude. Default 0.98.
	Target float64
}

// DefaultDNMS returns Miconi's DNMS: 1000 ms, stimuli at 1-200 and
// 400-600, scored over 800-1000.
func DefaultDNMS() DNMSConfig {
	return DNMSConfig{Dt: 1, Duration: 1000, Stim1Start: 1, Stim1Len: 200, Stim2Start: 400, Stim2Len: 200,
		Amplitude: 1, EvalLen: 200, Target: 0.98}
}

// LongDelayDNMS returns long-delay DNMS: 2000 ms, stimuli of 400 ms at 1
// and 1400, scored over the last 200 ms.
func LongDelayDNMS() DNMSConfig {
	c := DefaultDNMS()
	c.Duration, c.Stim1Len, c.Stim2Start, c.Stim2Len = 2000, 400, 1400, 400
	return c
}

// VariableDelayDNMS returns variable-delay DNMS: stimuli of 300 ms, delay
// ~ Uniform(300, 800) ms, 1700 ms trials scored over the last 200 ms.
func VariableDelayDNMS() DNMSConfig {
	c := DefaultDNMS()
	c.Duration, c.Stim1Len, c.Stim2Len, c.DelayMin, c.DelayMax = 1700, 300, 300, 300, 800
	return c
}

// DNMS is the delayed non-match-to-sample task. Build it with NewDNMS.
type DNMS struct {
	cfg DNMSConfig
	n   int
}

// NewDNMS validates c (errors name the field) and returns the task.
func NewDNMS(c DNMSConfig) (*DNMS, error) {
	var errs []error
	if !(c.Dt > 0) {
		errs = append(errs, field.Errorf("task.DNMSConfig.Dt", "must be > 0, got %g", c.Dt))
	} else {
		if steps(c.Duration, c.Dt) <= 0 {
			errs = append(errs, field.Errorf("task.DNMSConfig.Duration", "must be at least one step, got %g ms", c.Duration))
		}
		if c.EvalLen > c.Duration || steps(c.EvalLen, c.Dt) <= 0 {
			errs = append(errs, field.Errorf("task.DNMSConfig.EvalLen", "empty evaluation window: must be in [Dt, Duration], got %g ms", c.EvalLen))
		}
	}
	if c.Stim1Start < 0 || c.Stim1Len < 0 || c.Stim2Start < 0 || c.Stim2Len < 0 {
		errs = append(errs, field.Errorf("task.DNMSConfig.Stim1Start", "stimulus times must be >= 0"))
	}
	if c.DelayMax > 0 && !(c.DelayMin >= 0 && c.DelayMin <= c.DelayMax) {
		errs = append(errs, field.Errorf("task.DNMSConfig.DelayMin", "must be in [0, DelayMax], got %g", c.DelayMin))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &DNMS{cfg: c, n: steps(c.Duration, c.Dt)}, nil
}

// Config returns the task's configuration.
func (d *DNMS) Config() DNMSConfig { return d.cfg }
func (d *DNMS) Dt() float64        { return d.cfg.Dt }
func (d *DNMS) NumTypes() int      { return 4 }
func (d *DNMS) NumInputs() int     { return 2 }
func (d *DNMS) Steps() int         { return d.n }
func (d *DNMS) String() string     { return "DNMS" }

// Trial fills dst with a trial of type typ (0 AA, 1 AB, 2 BA, 3 BB).
func (d *DNMS) Trial(dst *Trial, typ int, rng *rand.Rand) {
	c, dt := d.cfg, d.cfg.Dt
	ch1, ch2 := typ/2, typ%2
	s1 := steps(c.Stim1Start, dt)
	dst.Set(s1, s1+steps(c.Stim1Len, dt), ch1, c.Amplitude)
	s2 := steps(c.Stim2Start, dt)
	if c.DelayMax > 0 {
		delay := c.DelayMin + (c.DelayMax-c.DelayMin)*rng.Float64()
		s2 = steps(c.Stim1Start+c.Stim1Len+delay, dt)
	}
	dst.Set(s2, s2+steps(c.Stim2Len, dt), ch2, c.Amplitude)
	v := c.Target
	if ch1 == ch2 {
		v = -v
	}
	dst.SetTarget(0, d.n, v)
	dst.EvalStart, dst.EvalEnd = d.n-steps(c.EvalLen, dt), d.n
}
