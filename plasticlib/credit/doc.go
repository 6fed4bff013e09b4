// Package credit measures credit assignment: how well the weight change a
// three-factor rule makes after a trial follows the gradient of the error
// it should reduce.
//
// Backprop computes, by backpropagation through time, the exact gradient
// dE/dJ of one trial's error E (the mean |z - z*| over the evaluation
// window) with respect to the recurrent weights J, on that trial's own
// initial state, inputs and exploratory perturbations. The perturbations
// are additive and independent of J, so the mean of these per-trial
// gradients over trials estimates the gradient g of the expected error
// (ExpectedGradient).
//
// Align then samples the update u that a rule makes after one trial, from
// the same weights and baselines, on fresh trials, and reports
//
//	rho = E[-g.u] / (|g| sqrt(E|u|^2))
//
// the alignment of the rule's update with the descent direction. A rule
// whose updates followed -g exactly would have rho = 1; exact per-trial
// gradients (stochastic gradient descent) have rho = |g| / sqrt(E|g_m|^2)
// (Gradient.Oracle). For a step eta u near a minimum of curvature h in
// every direction, the best step decreases the expected error by
// |g|^2 rho^2 / (2h) per trial, so rho^2 ranks rules at their best
// learning rates, independently of the trace's scale: a rule that learns
// in 40% fewer trials needs rho^2 about 1.7 times as large.
//
// That ranking assumes the same curvature in every direction. AlongUpdates
// measures the curvature itself along a rule's updates, E[u^T H u] for
// the Hessian H of the expected error, by central differences of exact
// per-trial gradients along each sampled update, on independent trials;
// Isotropic gives the reference, tr(H) per synapse, along random
// directions. Under the second-order model the expected error changes by
// -eta' E[-g.u] + eta'^2/2 E[u^T H u] per step eta' u: with positive
// curvature the best step and its gain follow; with negative curvature
// the model sets no limit on the step.
//
// Everything is deterministic for fixed seeds. Estimates are unbiased:
// E[-g.u] uses a gradient from trials independent of the rule's, and
// |g|^2 is the product of the gradients of two independent halves of the
// gradient's trials.
//
// Layer: above network, task, rule and learn; imports nothing from
// kernel/ or plots/.
package credit
