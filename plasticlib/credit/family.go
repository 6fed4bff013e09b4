package credit

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/mat"

	"github.com/plasticnb/plasticnb/plasticlib/field"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

// FamilyFit is the best rule of the polynomial family H(r, dx) =
// sum_kl theta_kl r^k dx^l at one set of weights: with J fixed, a trial's
// activity does not depend on the rule, so the update of any theta is
// sum_kl theta_kl u_kl, u_kl the update of the single term r^k dx^l, and
// the alignment of theta is
//
//	rho(theta) = theta.p / (|g| sqrt(theta^T Q theta)),
//	p_kl = E[-g.u_kl],  Q_kl,k'l' = E[u_kl.u_k'l']
//
// which theta = Q^-1 p maximises, at rho*^2 = p^T Q^-1 p / |g|^2.
// Coefficients are indexed k*(L+1)+l.
type FamilyFit struct {
	K, L int
	// Base is the alignment of the base rule's theta (the rule passed
	// to Family), computed from p and Q: the same value Align gives for
	// that rule, unclipped, on the same seed.
	Base float64
	// Terms[k*(L+1)+l] is the alignment of the single term r^k dx^l.
	Terms []float64
	// Best is the in-sample rho* of Q^-1 p over all trials, biased upward
	// by the fit's noise; HeldOut is the honest estimate: the fit to each
	// half of the trials (alternate cycles of trial types) measured on
	// the other half, the two averaged.
	Best, HeldOut float64
	// Theta is Q^-1 p over all trials, scaled so that its update has the
	// base rule's rms at the base rule's eta.
	Theta [][]float64
	// Trials is the number of trials.
	Trials int
}

// Family measures the polynomial family of base's size (K, L) on trials
// trials of tk from net's weights, running averages and the baselines,
// as Align does (trial m is episode m of a run seeded by seed, so that
// Family and Align on the same seed share their trials). The updates are
// base's, -eta m(Ebar)(E - Ebar) e with base's modulation, eligibility
// decay and TraceAfter from lc, without clip or weight decay: the family
// is linear in theta only then. It covers unconstrained networks (no
// mask, no Dale) with the neuron readout or a fixed linear one.
func Family(ctx context.Context, net *network.Net, baselines []float64, tk task.Task, base rule.Rule, lc learn.Config, g *Gradient, trials int, seed uint64) (*FamilyFit, error) {
	n := net.Config.N
	var errs []error
	if base.Kind != rule.Polynomial {
		errs = append(errs, field.Errorf("credit.Family base", "must be a polynomial rule, got %v", base.Kind))
	}
	if net.Mask != nil || net.Config.Dale {
		errs = append(errs, errors.New("credit.Family: the network has structural constraints (mask or Dale), under which updates are not linear in theta"))
	}
	if net.WOut != nil && net.Config.ReadoutPlastic {
		errs = append(errs, errors.New("credit.Family: a plastic readout is not covered (g covers J only)"))
	}
	if len(baselines) != tk.NumTypes() {
		errs = append(errs, field.Errorf("credit.Family baselines", "%d values for %d trial types", len(baselines), tk.NumTypes()))
	}
	if g == nil || len(g.G) != n*n || g.Norm == 0 {
		errs = append(errs, errors.New("credit.Family: the gradient does not fit the network, or is zero"))
	}
	if trials <= 2*tk.NumTypes() {
		errs = append(errs, field.Errorf("credit.Family trials", "must be more than two cycles of trial types (%d), got %d", 2*tk.NumTypes(), trials))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	K, L := base.K(), base.L()
	nt := (K + 1) * (L + 1)
	halves := bothHalves(func(h int) familySum {
		return sumFamily(ctx, net, baselines, tk, base, lc, g, trials, seed, h)
	})
	if err := errors.Join(halves[0].err, halves[1].err); err != nil {
		return nil, err
	}
	avg := func(hs ...familySum) (*mat.VecDense, *mat.SymDense) {
		p, q := mat.NewVecDense(nt, nil), mat.NewSymDense(nt, nil)
		c := 0
		for _, h := range hs {
			c += h.count
		}
		for _, h := range hs {
			for a := range nt {
				p.SetVec(a, p.AtVec(a)+h.p[a]/float64(c))
				for b := a; b < nt; b++ {
					q.SetSym(a, b, q.At(a, b)+h.q[a*nt+b]/float64(c))
				}
			}
		}
		return p, q
	}
	rho := func(th, p *mat.VecDense, q *mat.SymDense) float64 {
		v := mat.Inner(th, q, th)
		if v <= 0 {
			return 0
		}
		return mat.Dot(th, p) / (g.Norm * math.Sqrt(v))
	}
	p, q := avg(halves[0], halves[1])
	fit := &FamilyFit{K: K, L: L, Terms: make([]float64, nt), Trials: trials}
	for a := range nt {
		if v := q.At(a, a); v > 0 {
			fit.Terms[a] = p.AtVec(a) / (g.Norm * math.Sqrt(v))
		}
	}
	b := mat.NewVecDense(nt, nil)
	for k := range K + 1 {
		for l := range L + 1 {
			b.SetVec(k*(L+1)+l, base.Theta[k][l])
		}
	}
	fit.Base = rho(b, p, q)
	best, err := solve(q, p)
	if err != nil {
		return nil, err
	}
	fit.Best = rho(best, p, q)
	for h := range 2 {
		ph, qh := avg(halves[h])
		po, qo := avg(halves[1-h])
		th, err := solve(qh, ph)
		if err != nil {
			return nil, err
		}
		fit.HeldOut += rho(th, po, qo) / 2
	}
	// Same update rms as the base rule at the base rule's eta.
	if vb, vt := mat.Inner(b, q, b), mat.Inner(best, q, best); vb > 0 && vt > 0 {
		best.ScaleVec(math.Sqrt(vb/vt), best)
	}
	fit.Theta = make([][]float64, K+1)
	for k := range fit.Theta {
		fit.Theta[k] = make([]float64, L+1)
		for l := range L + 1 {
			fit.Theta[k][l] = best.AtVec(k*(L+1) + l)
		}
	}
	return fit, nil
}

// solve returns Q^-1 p, with a ridge of 1e-10 of Q's mean diagonal
// (powers of dx are nearly collinear) and terms that never move (Q_aa =
// 0, such as r^k dx^0 on a trial without fluctuations) left at 0.
func solve(q *mat.SymDense, p *mat.VecDense) (*mat.VecDense, error) {
	nt := p.Len()
	tr := 0.0
	for a := range nt {
		tr += q.At(a, a)
	}
	r := mat.NewSymDense(nt, nil)
	r.CopySym(q)
	for a := range nt {
		d := q.At(a, a)
		if d == 0 {
			d = 1
		}
		r.SetSym(a, a, d+1e-10*tr/float64(nt))
	}
	var ch mat.Cholesky
	if !ch.Factorize(r) {
		return nil, errors.New("credit.Family: the terms' Gram matrix is not positive definite")
	}
	x := mat.NewVecDense(nt, nil)
	if err := ch.SolveVecTo(x, p); err != nil {
		return nil, fmt.Errorf("credit.Family: %w", err)
	}
	return x, nil
}

// familySum sums p and Q (upper triangle, row-major nt x nt) over one
// half's trials.
type familySum struct {
	p, q  []float64
	count int
	err   error
}

func sumFamily(ctx context.Context, net *network.Net, baselines []float64, tk task.Task, base rule.Rule, lc learn.Config, g *Gradient, trials int, seed uint64, h int) familySum {
	n, types, steps := net.Config.N, tk.NumTypes(), tk.Steps()
	K, L := base.K(), base.L()
	nk, nl := K+1, L+1
	nt := nk * nl
	out := familySum{p: make([]float64, nt), q: make([]float64, nt*nt)}
	traced := max(steps-(lc.TraceAfter+1), 0)
	pre := make([]float64, traced*nk*n)  // row t: r(t-1)^0, ..., r(t-1)^K
	post := make([]float64, traced*nl*n) // row t: dx(t)^0, ..., dx(t)^L, times lambda^(T-1-t)
	eAll := make([]float64, nl*n*nk*n)   // (L+1)N x (K+1)N: block (l, k) is e_kl
	terms := make([]float64, nt*n*n)     // row k*nl+l: e_kl, flattened
	gram := make([]float64, nt*nt)
	z := make([]float64, steps)
	lambda := base.LambdaE(net.Config.Dt)
	lamPow := make([]float64, steps)
	for d, p := 0, 1.0; d < steps; d++ {
		lamPow[d] = p
		p *= lambda
	}
	work := net.Clone()
	streams := learn.NewStreams(seed)
	var tr task.Trial
	var pert network.Perturbations
	for m := range trials {
		if err := ctx.Err(); err != nil {
			out.err = fmt.Errorf("credit: family cancelled after %d of %d trials: %w", m, trials, err)
			return out
		}
		copy(work.XBar, net.XBar)
		work.ZBar = net.ZBar
		typ, err := streams.Next(&tr, &pert, work, tk, task.Cycle, m)
		if err != nil {
			out.err = err
			return out
		}
		if (m/types)%2 != h { // the other half's trial (drawn all the same)
			continue
		}
		for t := range steps {
			units, xi := pert.At(t)
			work.Step(tr.Input(t), units, xi)
			z[t] = work.Z
			if t <= lc.TraceAfter {
				continue
			}
			row := t - lc.TraceAfter - 1
			for k := range nk {
				rule.PreTo(pre[(row*nk+k)*n:(row*nk+k+1)*n], work.RPrev, k)
			}
			s := lamPow[steps-1-t]
			for l := range nl {
				dst := post[(row*nl+l)*n : (row*nl+l+1)*n]
				rule.PreTo(dst, work.DX, l) // dx^l, the same powers as r^k
				if s != 1 {
					for i := range dst {
						dst[i] *= s
					}
				}
			}
		}
		if ok, unit := work.Finite(); !ok {
			out.err = fmt.Errorf("credit: family trial %d diverged (unit %d)", m, unit)
			return out
		}
		e := tr.Error(z)
		ebar := baselines[typ]
		mod, _ := base.M(ebar)
		c := -base.Eta * mod * (e - ebar)
		// eAll = post^T pre: every term's eligibility in one product.
		linalg.Gemm(blas.Trans, blas.NoTrans, nl*n, nk*n, traced, c, post, nl*n, pre, nk*n, 0, eAll, nk*n)
		for k := range nk {
			for l := range nl {
				dst := terms[(k*nl+l)*n*n : (k*nl+l+1)*n*n]
				for i := range n {
					copy(dst[i*n:(i+1)*n], eAll[(l*n+i)*nk*n+k*n:(l*n+i)*nk*n+(k+1)*n])
				}
				d := 0.0
				for x, v := range dst {
					d -= g.G[x] * v
				}
				out.p[k*nl+l] += d
			}
		}
		linalg.Gemm(blas.NoTrans, blas.Trans, nt, nt, n*n, 1, terms, n*n, terms, n*n, 0, gram, nt)
		for x, v := range gram {
			out.q[x] += v
		}
		out.count++
	}
	return out
}
