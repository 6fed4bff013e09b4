package meta

import (
	"fmt"
	"math"
)

// Objective names what meta-learning maximises over a learning run's
// counted episodes (all, or the last Problem.LastM).
type Objective int

const (
	// MeanReward is the mean reward, minus the mean trial error (the
	// default, the paper's).
	MeanReward Objective = iota
	// SoftCorrect is the mean of sigmoid((Threshold - E) / Temperature)
	// over the trials: a smooth count of the correct trials (error below
	// Threshold), so that the meta-gradient weighs the trials near the
	// criterion and not the errors of trials already well below it, which
	// the episodes to criterion do not count. As Temperature goes to 0
	// it becomes the fraction of correct trials.
	SoftCorrect
)

var objectiveNames = [...]string{MeanReward: "mean-reward", SoftCorrect: "soft-correct"}

func (o Objective) String() string {
	if o < 0 || int(o) >= len(objectiveNames) {
		return ""
	}
	return objectiveNames[o]
}

// MarshalText writes the objective's name.
func (o Objective) MarshalText() ([]byte, error) {
	if o.String() == "" {
		return nil, fmt.Errorf("meta: unknown Objective %d", int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText reads an objective's name.
func (o *Objective) UnmarshalText(b []byte) error {
	for i, s := range objectiveNames {
		if s == string(b) {
			*o = Objective(i)
			return nil
		}
	}
	return fmt.Errorf("meta: unknown Objective %q (want mean-reward or soft-correct)", b)
}

// Defaults of SoftCorrect.
const (
	DefaultThreshold   = 1.0  // Miconi's: a trial is correct below error 1
	DefaultTemperature = 0.25 // a quarter of the threshold
)

// trialScore returns a trial's contribution to the objective and its
// derivative with respect to the trial's error E.
func (p *Problem) trialScore(E float64) (s, dsdE float64) {
	if p.Objective != SoftCorrect {
		return -E, -1
	}
	c, T := p.Threshold, p.Temperature
	if c == 0 {
		c = DefaultThreshold
	}
	if T == 0 {
		T = DefaultTemperature
	}
	sig := 1 / (1 + math.Exp(-(c-E)/T))
	return sig, -sig * (1 - sig) / T
}
