// Package meta meta-learns three-factor plasticity rules (spec section 4):
// it computes the gradient of a learning run's mean reward with respect to
// the rule's meta-parameters phi (the coefficients theta_kl, optionally
// log tau_e, log tau_w and log eta) by exact forward-mode tangent
// propagation through every step of every episode, and offers the
// truncated, finite-difference and evolution-strategies estimators behind
// the same Estimator interface.
//
// Engine replays a learning run of plasticlib/learn (same network, same
// random streams learn.NewStreams(seed), same update) and carries, for the
// P meta-parameters at once, the tangents dJ/dphi (P matrices N x N, kept
// across episodes), dx, dxbar, dr (N x P matrices), the eligibility
// tangents de/dphi (formed once per trial from per-step factor matrices by
// matrix products, as the primal trace is) and the baselines' tangents.
// Memory is O(P N^2 + P T (K+1) N) and does not grow with the number of
// episodes. With Smooth.AbsEps = 0 and Smooth.Clip false the primal is the
// learner's (errors equal learn.Run's to rounding); the smooth |.| and the
// smooth clip make the objective differentiable for gradient checks and
// meta-training.
//
// Engine.Gradient writes into the grad slice it is given and reads phi
// without keeping it; an Engine owns its workspace (allocated once by
// NewEngine) and must not be used by two goroutines at once. A learning
// run allocates its network and a few small slices, nothing per step or
// per episode beyond a goroutine per trial (the trace tangents are split
// between two goroutines).
//
// Estimator puts the exact, truncated, finite-difference and ES
// meta-gradients behind one interface (NewEstimator). Train is the outer
// loop: Adam or SGD with gradient-norm clipping, several training seeds per
// meta-iteration in parallel (common random numbers within an iteration,
// fresh seeds across), held-out seeds, a JSON checkpoint per iteration
// with resume, cancellation, and progress callbacks. Its Config is
// JSON-serialisable and reproduces a run bit for bit.
//
// In the chaotic regime state tangents may grow over a trial; Problem's
// Horizon (restart the state tangents every Horizon steps) and
// ClipTangent (bound the norm of each dJ/dphi_p) are the remedies, both
// biased (TestHorizonBias measures the bias against finite differences).
//
// Layer: above learn, network, task and rule; imports nothing from kernel/.
package meta
