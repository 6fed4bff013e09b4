// Package plasticlib is the science library of plasticnb: rate recurrent
// networks that learn sparse-reward tasks with local three-factor
// plasticity rules (Miconi 2017), and the meta-learning of those rules
// (Maoutsa 2025). This package holds no code; its sub-packages, from the
// bottom up (imports point down only; nothing imports kernel/):
//
//	linalg   the BLAS backend: OpenBLAS (build tag "openblas") or pure Go
//	network  the rate RNN: Config, weights, state, Step, perturbations
//	task     the Task interface, task.Func, and the built-in tasks
//	rule     three-factor rules: the polynomial family H(r, dx), presets
//	learn    the inner loop: episodes, eligibility, trial-end update, History
//	eval     episodes to criterion, parallel seeds, medians and IQRs
//	credit   exact gradients of a trial's error (BPTT) and how well a rule's
//	         update follows them; the best rule of the polynomial family
//	store    save and load networks, rules and histories (JSON, .npy)
//
// A minimal run:
//
//	nc := network.DefaultConfig()
//	d, _ := task.NewDNMS(task.DefaultDNMS())
//	cfg := learn.DefaultConfig()
//	cfg.Episodes = 3000
//	h, err := learn.Run(ctx, nc, d, rule.MiconiCubic(), cfg)
//	n, ok := eval.DefaultCriterion().Episodes(h.Errors)
package plasticlib
