package meta

import (
	"fmt"
	"math"

	"github.com/plasticnb/plasticnb/plasticlib/rule"
)

// Params selects the meta-parameters phi. The theta_kl come first (row
// by row, k then l, those not frozen), then log tau_e, log tau_w, log eta
// the modulation's exponent and logit a_R when selected.
type Params struct {
	// Frozen[k][l] true keeps theta_kl fixed; nil (or a short row) means
	// every coefficient is a meta-parameter.
	Frozen [][]bool `json:"frozen,omitempty"`
	// NoTheta freezes every theta_kl.
	NoTheta bool `json:"no_theta,omitempty"`
	// LogTauE, LogTauW, LogEta add log tau_e, log tau_w (the rule's TauE,
	// TauW must then be finite, > 0) and log eta.
	LogTauE bool `json:"log_tau_e,omitempty"`
	LogTauW bool `json:"log_tau_w,omitempty"`
	LogEta  bool `json:"log_eta,omitempty"`
	// Power adds the exponent of the modulation m(Ebar) = Ebar^power
	// (rule.ErrorPower): Get reads it as 1 under rule.MeanError and 0
	// under rule.Unit, and Apply sets the modulation to ErrorPower.
	Power bool `json:"power,omitempty"`
	// Baseline adds logit a_R = ln(a_R / (1 - a_R)), the decay of the
	// reward baseline the third factor compares against (Ebar <- a_R Ebar
	// + (1 - a_R) E), carried by the rule as its BaselineDecay, which must
	// then be set, in (0, 1).
	Baseline bool `json:"baseline,omitempty"`
}

// FreeTheta returns Params whose meta-parameters are the coefficients
// free marks (free[k][l] true, as rule.FreeSet gives them), every other
// theta_kl frozen; set LogEta and the others on the result.
func FreeTheta(free [][]bool) Params {
	frozen := make([][]bool, len(free))
	for k, row := range free {
		frozen[k] = make([]bool, len(row))
		for l, f := range row {
			frozen[k][l] = !f
		}
	}
	return Params{Frozen: frozen}
}

// kind of a meta-parameter.
const (
	kindTheta = iota
	kindLogTauE
	kindLogTauW
	kindLogEta
	kindPower
	kindBaseline
)

type param struct {
	kind int
	k, l int
}

func (ps Params) list(r rule.Rule) []param {
	var out []param
	if !ps.NoTheta {
		for k, row := range r.Theta {
			for l := range row {
				if k < len(ps.Frozen) && l < len(ps.Frozen[k]) && ps.Frozen[k][l] {
					continue
				}
				out = append(out, param{kind: kindTheta, k: k, l: l})
			}
		}
	}
	if ps.LogTauE {
		out = append(out, param{kind: kindLogTauE})
	}
	if ps.LogTauW {
		out = append(out, param{kind: kindLogTauW})
	}
	if ps.LogEta {
		out = append(out, param{kind: kindLogEta})
	}
	if ps.Power {
		out = append(out, param{kind: kindPower})
	}
	if ps.Baseline {
		out = append(out, param{kind: kindBaseline})
	}
	return out
}

func (p param) String() string {
	switch p.kind {
	case kindLogTauE:
		return "log_tau_e"
	case kindLogTauW:
		return "log_tau_w"
	case kindLogEta:
		return "log_eta"
	case kindPower:
		return "power"
	case kindBaseline:
		return "logit_a_R"
	}
	return fmt.Sprintf("theta[%d][%d]", p.k, p.l)
}

// Names returns the names of the meta-parameters of r in phi's order
// ("theta[k][l]", "log_tau_e", "log_tau_w", "log_eta", "power",
// "logit_a_R").
func (ps Params) Names(r rule.Rule) []string {
	l := ps.list(r)
	s := make([]string, len(l))
	for i, p := range l {
		s[i] = p.String()
	}
	return s
}

// Get returns phi for rule r.
func (ps Params) Get(r rule.Rule) []float64 {
	l := ps.list(r)
	phi := make([]float64, len(l))
	for i, p := range l {
		switch p.kind {
		case kindTheta:
			phi[i] = r.Theta[p.k][p.l]
		case kindLogTauE:
			phi[i] = math.Log(r.TauE)
		case kindLogTauW:
			phi[i] = math.Log(r.TauW)
		case kindLogEta:
			phi[i] = math.Log(r.Eta)
		case kindPower:
			phi[i] = modulationPower(r)
		case kindBaseline:
			phi[i] = math.Log(r.BaselineDecay / (1 - r.BaselineDecay))
		}
	}
	return phi
}

// Apply returns a copy of r with the meta-parameters set from phi; r is
// not modified. len(phi) must be len(Names(r)).
func (ps Params) Apply(r rule.Rule, phi []float64) (rule.Rule, error) {
	l := ps.list(r)
	if len(phi) != len(l) {
		return r, fmt.Errorf("meta: phi has %d values, the rule has %d meta-parameters", len(phi), len(l))
	}
	c := r.Clone()
	for i, p := range l {
		switch p.kind {
		case kindTheta:
			c.Theta[p.k][p.l] = phi[i]
		case kindLogTauE:
			c.TauE = math.Exp(phi[i])
		case kindLogTauW:
			c.TauW = math.Exp(phi[i])
		case kindLogEta:
			c.Eta = math.Exp(phi[i])
		case kindPower:
			c.Modulation, c.Power = rule.ErrorPower, phi[i]
		case kindBaseline:
			c.BaselineDecay = 1 / (1 + math.Exp(-phi[i]))
		}
	}
	return c, nil
}

// modulationPower is the exponent of r's modulation: m = Ebar^power.
func modulationPower(r rule.Rule) float64 {
	switch r.Modulation {
	case rule.Unit:
		return 0
	case rule.ErrorPower:
		return r.Power
	}
	return 1
}
