package credit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// Gradient is the gradient of the expected trial error with respect to J
// at one set of weights, estimated from per-trial exact gradients.
type Gradient struct {
	// G is the mean of the per-trial gradients (N*N, row-major like J).
	G []float64
	// Norm is |g|, estimated without the upward bias of |G|: the square
	// root of g1.g2, g1 and g2 the means over two independent halves of
	// the trials (0 when that product is negative: no gradient detected).
	Norm float64
	// PerTrialRMS is sqrt(mean |g_m|^2) over the trials.
	PerTrialRMS float64
	// Error is the mean error of the trials and Trials their number.
	Error  float64
	Trials int
}

// Oracle is the alignment rho of exact per-trial gradients, Norm /
// PerTrialRMS: the value stochastic gradient descent would have.
func (g *Gradient) Oracle() float64 {
	if g.PerTrialRMS == 0 {
		return 0
	}
	return g.Norm / g.PerTrialRMS
}

// ExpectedGradient estimates the gradient of the expected error of tk on
// net (its weights, not its state: each trial starts as learn.Streams
// draws it, with net's InitX and perturbations) from trials trials (even,
// >= 2), trial types in turn (task.Cycle). Trial m draws from
// learn.NewStreams(seed) as episode m of a learning run would. The two
// halves (alternate cycles of trial types) run on two goroutines, each
// summing its trials in order, so the result does not depend on the
// machine. net is not changed. ctx is checked before every trial.
func ExpectedGradient(ctx context.Context, net *network.Net, tk task.Task, trials int, seed uint64) (*Gradient, error) {
	if trials < 2 || trials%2 != 0 {
		return nil, field.Errorf("credit.ExpectedGradient trials", "must be even and >= 2, got %d", trials)
	}
	if err := task.Validate(tk); err != nil {
		return nil, err
	}
	n, types := net.Config.N, tk.NumTypes()
	if trials <= types {
		return nil, field.Errorf("credit.ExpectedGradient trials", "%d trials of %d types leave the second half empty: use more than %d", trials, types, types)
	}
	halves := bothHalves(func(h int) halfSum { return sumHalf(ctx, net, tk, trials, seed, h) })
	if err := errors.Join(halves[0].err, halves[1].err); err != nil {
		return nil, err
	}
	g := &Gradient{G: make([]float64, n*n), Trials: trials}
	a, b := halves[0], halves[1]
	g.Error = (a.err0 + b.err0) / float64(trials)
	g.PerTrialRMS = math.Sqrt((a.sq + b.sq) / float64(trials))
	dot := 0.0
	for k := range g.G {
		g.G[k] = (a.g[k] + b.g[k]) / float64(trials)
		dot += a.g[k] / float64(a.count) * b.g[k] / float64(b.count)
	}
	if dot > 0 {
		g.Norm = math.Sqrt(dot)
	}
	return g, nil
}

// bothHalves returns f(0) and f(1), computed on two goroutines: the two
// halves of a measurement's trials (alternate cycles of trial types).
func bothHalves[T any](f func(h int) T) [2]T {
	var out [2]T
	var wg sync.WaitGroup
	for h := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[h] = f(h)
		}()
	}
	wg.Wait()
	return out
}

// halfSum is one half of ExpectedGradient's trials: the sum of their
// gradients, squared norms and errors.
type halfSum struct {
	g        []float64
	sq, err0 float64
	count    int
	err      error
}

// sumHalf sums the gradients of the trials m < trials with (m / types)
// mod 2 == h, in order, on a clone of net.
func sumHalf(ctx context.Context, net *network.Net, tk task.Task, trials int, seed uint64, h int) halfSum {
	n, types := net.Config.N, tk.NumTypes()
	out := halfSum{g: make([]float64, n*n)}
	work := net.Clone()
	bp := NewBackprop(n, tk.Steps())
	streams := learn.NewStreams(seed)
	var tr task.Trial
	var pert network.Perturbations
	gm := make([]float64, n*n)
	for m := range trials {
		if err := ctx.Err(); err != nil {
			out.err = fmt.Errorf("credit: gradient cancelled after %d of %d trials: %w", m, trials, err)
			return out
		}
		// Both halves draw every trial, so that trial m is the same
		// whichever half computes it; only its own half's are run.
		if _, err := streams.Next(&tr, &pert, work, tk, task.Cycle, m); err != nil {
			out.err = err
			return out
		}
		if (m/types)%2 != h {
			continue
		}
		e, err := bp.Trial(work, &tr, &pert, gm)
		if err != nil {
			out.err = fmt.Errorf("credit: gradient trial %d: %w", m, err)
			return out
		}
		out.err0 += e
		out.count++
		for k, v := range gm {
			out.g[k] += v
			out.sq += v * v
		}
	}
	return out
}

// Alignment is how a rule's trial-end update u follows -g.
type Alignment struct {
	// Rule is the rule's name.
	Rule string
	// Rho is E[-g.u] / (|g| sqrt(E|u|^2)) and RhoSE its standard error
	// over the rule's trials (the gradient's own noise not included).
	Rho, RhoSE float64
	// MeanCos is the cosine between the mean update and -g.
	MeanCos float64
	// Descent is E[-g.u], the first-order decrease of the expected error
	// per trial at the rule's own learning rate, and UpdateRMS is
	// sqrt(E|u|^2).
	Descent, UpdateRMS float64
	// Trials is the number of the rule's trials, and Descents their
	// -g.u, trial by trial (rules measured on the same seed share their
	// trials: compare them pairwise).
	Trials   int
	Descents []float64
}

// Align samples the update that r makes after one trial of tk, trials
// times, each from net's weights, running averages (XBar, ZBar) and
// the baselines (one per trial type), and measures it against g. Trial m
// is episode m of a learning run seeded by seed (trial types in turn):
// use a seed other than the gradient's. lc gives the rest of the learning
// configuration (BaselineDecay is irrelevant; WarmUp is ignored: every
// trial updates). u is the change of J the learner applies, clip, decay
// and structural constraints included. net is not changed.
func Align(ctx context.Context, net *network.Net, baselines []float64, tk task.Task, r rule.Rule, lc learn.Config, g *Gradient, trials int, seed uint64) (Alignment, error) {
	a := Alignment{Rule: r.Name, Trials: trials}
	n := net.Config.N
	if trials < 2 {
		return a, field.Errorf("credit.Align trials", "must be >= 2, got %d", trials)
	}
	if g == nil || len(g.G) != n*n {
		return a, errors.New("credit.Align: the gradient does not fit the network")
	}
	if len(baselines) != tk.NumTypes() {
		return a, field.Errorf("credit.Align baselines", "%d values for %d trial types", len(baselines), tk.NumTypes())
	}
	us, err := newUpdates(net, baselines, tk, r, lc, seed)
	if err != nil {
		return a, err
	}
	ubar := make([]float64, n*n)
	sum, sumSq, uu := 0.0, 0.0, 0.0
	a.Descents = make([]float64, trials)
	for m := range trials {
		if err := ctx.Err(); err != nil {
			return a, fmt.Errorf("credit: alignment of %s cancelled after %d of %d trials: %w", r.Name, m, trials, err)
		}
		u, err := us.at(m)
		if err != nil {
			return a, err
		}
		p, q := 0.0, 0.0
		for k, v := range u {
			ubar[k] += v
			p -= g.G[k] * v
			q += v * v
		}
		a.Descents[m] = p
		sum += p
		sumSq += p * p
		uu += q
	}
	t := float64(trials)
	a.Descent = sum / t
	a.UpdateRMS = math.Sqrt(uu / t)
	se := math.Sqrt(max(sumSq/t-a.Descent*a.Descent, 0) / (t - 1))
	if den := g.Norm * a.UpdateRMS; den > 0 {
		a.Rho, a.RhoSE = a.Descent/den, se/den
	}
	dot, norm, gg := 0.0, 0.0, 0.0
	for k, v := range ubar {
		dot -= g.G[k] * v
		norm += v * v
		gg += g.G[k] * g.G[k]
	}
	if norm > 0 && gg > 0 {
		a.MeanCos = dot / math.Sqrt(norm*gg)
	}
	return a, nil
}

// updates samples the update a rule makes after one trial, each from the
// same weights, running averages and baselines: update m follows episode
// m of a learning run seeded by seed, trial types in turn, every trial
// updating (no warm-up).
type updates struct {
	net, work *network.Net
	l         *learn.Learner
	baselines []float64
	u         []float64
}

func newUpdates(net *network.Net, baselines []float64, tk task.Task, r rule.Rule, lc learn.Config, seed uint64) (*updates, error) {
	lc.WarmUp, lc.Seed, lc.Order = 0, seed, task.Cycle
	lc.Stop, lc.Progress = nil, nil
	lc.Record = learn.Record{}
	work := net.Clone()
	l, err := learn.New(work, tk, r, lc)
	if err != nil {
		return nil, err
	}
	return &updates{net: net, work: work, l: l, baselines: baselines, u: make([]float64, len(net.J.RawMatrix().Data))}, nil
}

// at returns update m (episodes must come in order, as the learner's
// streams draw them), in a buffer reused by the next call.
func (s *updates) at(m int) ([]float64, error) {
	j0 := s.net.J.RawMatrix().Data
	jd := s.work.J.RawMatrix().Data
	copy(jd, j0)
	copy(s.work.XBar, s.net.XBar)
	s.work.ZBar = s.net.ZBar
	copy(s.l.Baselines, s.baselines)
	s.l.Done = m
	if _, _, err := s.l.Episode(); err != nil {
		return nil, fmt.Errorf("credit: %s, trial %d: %w", s.l.Rule.Name, m, err)
	}
	for k, v := range jd {
		s.u[k] = v - j0[k]
	}
	return s.u, nil
}
