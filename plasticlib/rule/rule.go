package rule

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"

	"github.com/plasticnb/plasticnb/plasticlib/field"
)

// Kind selects the rule's post-synaptic factor.
type Kind int

const (
	// Polynomial: H(r, dx) = sum Theta[k][l] r^k dx^l (the default).
	Polynomial Kind = iota
	// NodePerturbation: e_ij += r_j(t-1) xi_i(t) at the steps where unit i
	// is perturbed (Theta is ignored).
	NodePerturbation
)

// Modulation is the factor m(Ebar) multiplying the weight change.
type Modulation int

const (
	// MeanError: m(Ebar) = Ebar, the trial type's baseline (Miconi's code;
	// the default).
	MeanError Modulation = iota
	// Unit: m = 1.
	Unit
	// ErrorPower: m(Ebar) = Ebar^Power (Rule.Power): a step that shrinks
	// faster (Power > 1) or slower (Power < 1) than Miconi's as the trial
	// type's error falls. Power 1 is MeanError, Power 0 is Unit.
	ErrorPower
)

var (
	kindNames = [...]string{Polynomial: "polynomial", NodePerturbation: "node-perturbation"}
	modNames  = [...]string{MeanError: "mean-error", Unit: "one", ErrorPower: "error-power"}
)

func name[T ~int](v T, names []string) string {
	if v < 0 || int(v) >= len(names) {
		return ""
	}
	return names[v]
}

func parse[T ~int](dst *T, b []byte, names []string, what string) error {
	for i, s := range names {
		if s == string(b) {
			*dst = T(i)
			return nil
		}
	}
	return fmt.Errorf("rule: unknown %s %q", what, b)
}

func (k Kind) String() string                     { return name(k, kindNames[:]) }
func (k Kind) MarshalText() ([]byte, error)       { return text(k.String(), "Kind", int(k)) }
func (k *Kind) UnmarshalText(b []byte) error      { return parse(k, b, kindNames[:], "Kind") }
func (m Modulation) String() string               { return name(m, modNames[:]) }
func (m Modulation) MarshalText() ([]byte, error) { return text(m.String(), "Modulation", int(m)) }
func (m *Modulation) UnmarshalText(b []byte) error {
	return parse(m, b, modNames[:], "Modulation")
}

func text(s, what string, v int) ([]byte, error) {
	if s == "" {
		return nil, fmt.Errorf("rule: unknown %s %d", what, v)
	}
	return []byte(s), nil
}

// M returns the rule's modulation m(ebar) and its derivative dm/debar
// (0 at ebar <= 0, where a power below 1 has none: baselines start at 0).
func (r Rule) M(ebar float64) (m, dm float64) {
	switch r.Modulation {
	case Unit:
		return 1, 0
	case ErrorPower:
		if ebar <= 0 {
			return math.Pow(max(ebar, 0), r.Power), 0
		}
		m = math.Pow(ebar, r.Power)
		return m, r.Power * m / ebar
	}
	return ebar, 1
}

// Rule is a three-factor plasticity rule. Build one from a preset
// (MiconiCubic, EH, NodePert, Zero, Random) or New, then change fields.
type Rule struct {
	// Name labels the rule in tables and plots.
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Theta[k][l] multiplies r^k dx^l; (K+1) rows of (L+1) coefficients.
	Theta [][]float64 `json:"theta"`
	// TauE is the eligibility time constant in ms, lambda_e =
	// exp(-Dt/TauE); 0 means infinity (lambda_e = 1, Miconi).
	TauE float64 `json:"tau_e"`
	// TauW is the weight-decay time constant in episodes (dJ includes
	// -J/TauW); 0 means infinity (no decay, the default).
	TauW float64 `json:"tau_w"`
	// Eta is the learning rate (0.1 for Miconi's DNMS, 0.01 for context
	// integration, 0.001 for node perturbation).
	Eta float64 `json:"eta"`
	// MaxDW clips each weight change to [-MaxDW, MaxDW]; 0 means no
	// clipping (3e-4 for DNMS, 2e-4 for context integration).
	MaxDW float64 `json:"max_dw"`
	// Modulation is m(Ebar). Default MeanError (Miconi).
	Modulation Modulation `json:"modulation"`
	// Power is the exponent of Modulation ErrorPower, m = Ebar^Power
	// (ignored by the others).
	Power float64 `json:"power,omitempty"`
	// BaselineDecay, when > 0, is the decay a_R of the per-type reward
	// baseline this rule's third factor compares against, Ebar <- a_R
	// Ebar + (1 - a_R) E, in place of the learning configuration's
	// (learn.Config.BaselineDecay); 0 keeps the configuration's. A rule
	// meta-learned with its baseline (meta.Params.Baseline) carries it.
	BaselineDecay float64 `json:"baseline_decay,omitempty"`
}

// Decay returns the reward baseline's decay a_R under this rule: its
// BaselineDecay when set (> 0), else def, the learning configuration's.
func (r Rule) Decay(def float64) float64 {
	if r.BaselineDecay > 0 {
		return r.BaselineDecay
	}
	return def
}

// New returns a polynomial rule with a zero (K+1) x (L+1) Theta and
// Miconi's DNMS learning parameters; K or L negative is an error.
func New(name string, k, l int) (Rule, error) {
	if k < 0 {
		return Rule{}, fmt.Errorf("rule.New: K must be >= 0, got %d", k)
	}
	if l < 0 {
		return Rule{}, fmt.Errorf("rule.New: L must be >= 0, got %d", l)
	}
	th := make([][]float64, k+1)
	for i := range th {
		th[i] = make([]float64, l+1)
	}
	return Rule{Name: name, Theta: th, Eta: 0.1, MaxDW: 3e-4}, nil
}

func must(r Rule, err error) Rule {
	if err != nil {
		panic(err)
	}
	return r
}

// MiconiCubic is Miconi's rule, (r dx)^3 = r^3 dx^3: Theta[3][3] = 1 on a
// K = L = 3 basis, eta = 0.1, MaxDW = 3e-4 (DNMS).
func MiconiCubic() Rule {
	r := must(New("miconi-cubic", 3, 3))
	r.Theta[3][3] = 1
	return r
}

// MiconiCubicBasis is Miconi's rule on a larger K = L = k basis (k >= 3),
// named "Miconi θ33", with his DNMS learning parameters: the start of
// meta-training in a K = L = k family.
func MiconiCubicBasis(k int) (Rule, error) {
	if k < 3 {
		return Rule{}, fmt.Errorf("rule.MiconiCubicBasis: K must be >= 3 (the rule is theta_33), got %d", k)
	}
	r, err := New("Miconi θ33", k, k)
	if err != nil {
		return r, err
	}
	r.Theta[3][3] = 1
	return r, nil
}

// EH is the linear fluctuation-Hebbian rule r dx: Theta[1][1] = 1 on a
// K = L = 3 basis, with Miconi's DNMS learning parameters.
func EH() Rule {
	r := must(New("eh", 3, 3))
	r.Theta[1][1] = 1
	return r
}

// NodePert is node perturbation (Fiete & Seung 2006): e_ij += r_j(t-1)
// xi_i(t) at perturbed steps, eta = 0.001, MaxDW = 3e-4.
func NodePert() Rule {
	return Rule{Name: "node-perturbation", Kind: NodePerturbation, Theta: [][]float64{{0}}, Eta: 0.001, MaxDW: 3e-4}
}

// Zero is the zero rule on a (K+1) x (L+1) basis (it never changes J).
func Zero(k, l int) (Rule, error) {
	return New("zero", k, l)
}

// Random returns a rule with Theta[k][l] ~ scale * Normal(0,1), drawn from
// seed, and Miconi's DNMS learning parameters.
func Random(k, l int, scale float64, seed uint64) (Rule, error) {
	r, err := New(fmt.Sprintf("random-%d", seed), k, l)
	if err != nil {
		return r, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x72756c65)) // stream "rule"
	for _, row := range r.Theta {
		for j := range row {
			row[j] = scale * rng.NormFloat64()
		}
	}
	return r, nil
}

// K returns the highest pre-synaptic power.
func (r Rule) K() int { return len(r.Theta) - 1 }

// L returns the highest post-synaptic power.
func (r Rule) L() int {
	if len(r.Theta) == 0 {
		return -1
	}
	return len(r.Theta[0]) - 1
}

// Clone returns a deep copy of r.
func (r Rule) Clone() Rule {
	c := r
	c.Theta = make([][]float64, len(r.Theta))
	for k, row := range r.Theta {
		c.Theta[k] = append([]float64(nil), row...)
	}
	return c
}

func ok(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Validate reports invalid fields: no Theta (K < 0), ragged rows (L
// differing), non-finite coefficients, negative TauE, TauW, Eta, MaxDW or
// Power, BaselineDecay outside [0, 1], unknown Kind or Modulation. Errors
// name the field.
func (r Rule) Validate() error {
	var errs []error
	add := func(name, format string, args ...any) {
		errs = append(errs, field.Errorf("rule.Rule."+name, format, args...))
	}
	if r.Kind == Polynomial {
		if len(r.Theta) == 0 {
			add("Theta", "K must be >= 0: no rows")
		} else if len(r.Theta[0]) == 0 {
			add("Theta", "L must be >= 0: empty rows")
		}
		for k, row := range r.Theta {
			if len(row) != len(r.Theta[0]) {
				add(fmt.Sprintf("Theta[%d]", k), "has %d coefficients, row 0 has %d", len(row), len(r.Theta[0]))
			}
			for l, v := range row {
				if !ok(v) {
					add(fmt.Sprintf("Theta[%d][%d]", k, l), "not finite: %g", v)
				}
			}
		}
	}
	if r.Kind.String() == "" {
		add("Kind", "unknown value %d", r.Kind)
	}
	if r.Modulation.String() == "" {
		add("Modulation", "unknown value %d", r.Modulation)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"TauE", r.TauE}, {"TauW", r.TauW}, {"Eta", r.Eta}, {"MaxDW", r.MaxDW}, {"Power", r.Power}} {
		if !(f.v >= 0) || !ok(f.v) {
			add(f.name, "must be finite and >= 0, got %g", f.v)
		}
	}
	if !(r.BaselineDecay >= 0 && r.BaselineDecay <= 1) {
		add("BaselineDecay", "must be in [0, 1] (0: the learning configuration's), got %g", r.BaselineDecay)
	}
	return errors.Join(errs...)
}

// LambdaE returns the eligibility decay per step of dt ms, exp(-dt/TauE)
// (1 when TauE = 0, meaning infinity).
func (r Rule) LambdaE(dt float64) float64 {
	if r.TauE == 0 {
		return 1
	}
	return math.Exp(-dt / r.TauE)
}

// H returns H(pre, dx) = sum Theta[k][l] pre^k dx^l.
func (r Rule) H(pre, dx float64) float64 {
	s, pk := 0.0, 1.0
	for _, row := range r.Theta {
		s += pk * poly(row, dx)
		pk *= pre
	}
	return s
}

// ipow returns x^n for n >= 1 by repeated products: math.Pow cost a
// single dx^5 rule a third of its trial time at N = 200
// (BenchmarkPostTo).
func ipow(x float64, n int) float64 {
	p := x
	for range n - 1 {
		p *= x
	}
	return p
}

// poly evaluates sum_l c[l] x^l by Horner's rule.
func poly(c []float64, x float64) float64 {
	s := 0.0
	for l := len(c) - 1; l >= 0; l-- {
		s = s*x + c[l]
	}
	return s
}

// ActivePowers returns the pre-synaptic powers k whose row of Theta has a
// non-zero coefficient: the rank of a step's eligibility increment. It
// allocates.
func (r Rule) ActivePowers() []int {
	var ks []int
	for k, row := range r.Theta {
		for _, v := range row {
			if v != 0 {
				ks = append(ks, k)
				break
			}
		}
	}
	return ks
}

// PreTo writes r_j^k into dst[j] for each unit j: the pre-synaptic factor
// of power k. It allocates nothing.
func PreTo(dst, rates []float64, k int) {
	dst = dst[:len(rates)]
	switch k {
	case 0:
		for j := range dst {
			dst[j] = 1
		}
	case 1:
		copy(dst, rates)
	case 2:
		for j, v := range rates {
			dst[j] = v * v
		}
	case 3:
		for j, v := range rates {
			dst[j] = v * v * v
		}
	default:
		for j, v := range rates {
			dst[j] = ipow(v, k)
		}
	}
}

// PostTo writes P_k(dx_i) = sum_l Theta[k][l] dx_i^l into dst[i] for each
// unit i, scaled by scale: the post-synaptic factor of power k. It
// allocates nothing.
func (r Rule) PostTo(dst, dx []float64, k int, scale float64) {
	row := r.Theta[k]
	dst = dst[:len(dx)]
	// Fast path for a single monomial (the presets).
	single, ls, cs := true, -1, 0.0
	for l, v := range row {
		if v != 0 {
			if ls >= 0 {
				single = false
				break
			}
			ls, cs = l, v
		}
	}
	if single {
		c := cs * scale
		switch ls {
		case -1:
			clear(dst)
		case 0:
			for i := range dst {
				dst[i] = c
			}
		case 1:
			for i, v := range dx {
				dst[i] = c * v
			}
		case 3:
			for i, v := range dx {
				dst[i] = c * v * v * v
			}
		default:
			for i, v := range dx {
				dst[i] = c * ipow(v, ls)
			}
		}
		return
	}
	for i, v := range dx {
		dst[i] = scale * poly(row, v)
	}
}

// String prints the rule as a coefficient table, rows the pre-synaptic
// power k, columns the post-synaptic power l, then its parameters.
func (r Rule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rule %q (%s", r.Name, r.Kind)
	tauE, tauW := "inf", "inf"
	if r.TauE != 0 {
		tauE = fmt.Sprintf("%g ms", r.TauE)
	}
	if r.TauW != 0 {
		tauW = fmt.Sprintf("%g episodes", r.TauW)
	}
	mod := r.Modulation.String()
	if r.Modulation == ErrorPower {
		mod = fmt.Sprintf("Ebar^%g", r.Power)
	}
	baseline := ""
	if r.BaselineDecay > 0 {
		baseline = fmt.Sprintf(" a_R=%g", r.BaselineDecay)
	}
	fmt.Fprintf(&b, "): eta=%g maxdw=%g tau_e=%s tau_w=%s m=%s%s\n", r.Eta, r.MaxDW, tauE, tauW, mod, baseline)
	if r.Kind != Polynomial || len(r.Theta) == 0 {
		return b.String()
	}
	b.WriteString("  r^k \\ dx^l")
	for l := range r.Theta[0] {
		fmt.Fprintf(&b, " %9s", fmt.Sprintf("dx^%d", l))
	}
	b.WriteByte('\n')
	for k, row := range r.Theta {
		fmt.Fprintf(&b, "  %-11s", fmt.Sprintf("r^%d", k))
		for _, v := range row {
			fmt.Fprintf(&b, " %9.4g", v)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// numArray matches a JSON array of numbers spread over lines.
var numArray = regexp.MustCompile(`\[[-0-9.eE+,\s]*\]`)

// JSON returns r as indented, readable JSON, Theta one row per line.
// json.Marshal works too (compact); both load back with json.Unmarshal.
func (r Rule) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return numArray.ReplaceAllFunc(b, func(m []byte) []byte {
		s := strings.Join(strings.Fields(string(m)), " ")
		return []byte(strings.NewReplacer("[ ", "[", " ]", "]").Replace(s))
	}), nil
}

// UnmarshalJSON reads a rule written by MarshalJSON and validates it.
func (r *Rule) UnmarshalJSON(data []byte) error {
	type plain Rule
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*r = Rule(p)
	return r.Validate()
}

// PresetNames lists the names Preset knows, in a fixed order.
func PresetNames() []string { return []string{"miconi-cubic", "eh", "node-perturbation", "zero"} }

// Preset returns the named preset rule (see PresetNames), with Miconi's
// DNMS learning parameters: give it a task's with setting.Setting.Rule.
func Preset(name string) (Rule, error) {
	switch name {
	case "miconi-cubic":
		return MiconiCubic(), nil
	case "eh":
		return EH(), nil
	case "node-perturbation":
		return NodePert(), nil
	case "zero":
		r, err := Zero(3, 3)
		r.Eta, r.MaxDW = 0.1, 3e-4
		return r, err
	}
	return Rule{}, fmt.Errorf("rule: unknown preset %q (want one of %s)", name, strings.Join(PresetNames(), ", "))
}
