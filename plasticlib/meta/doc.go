// Package meta meta-learns three-factor plasticity rules:
// it computes the gradient of a learning run's mean reward with respect to
// the rule's meta-parameters phi (the coefficients theta_kl, optionally
// log tau_e, log tau_w, log eta and the modulation's exponent) by exact
// forward-mode tangent propagation through every step of every episode,
// and offers the truncated, finite-difference and evolution-strategies
// estimators behind the same Estimator interface.
//
// Engine replays a learning run of plasticlib/learn (same network, same
// random streams learn.NewStreams(seed), same update) and carries, for the
// P meta-parameters at once, the tangents dJ/dphi (P matrices N x N, kept
// across episodes), dx, dxbar, dr (N x P matrices) and the baselines'
// tangents. Each trial runs its primal pass first (recorded); then two
// goroutines (the caller and the engine's worker, which lives for the
// whole run) take half of the meta-parameters each through the recorded
// trial: dJ_p r(t-1) of all steps as one matrix product, the state
// tangents step by step, and the eligibility tangents de/dphi formed by
// contracting over time per-step factor matrices shared by all P (about
// 6 P N^2 T flops per trial), in row blocks that stay in cache. Memory is
// O(P N^2 + P T N) and does not grow with the number of episodes
// (TestGradientMemoryFlat; about 41 MB of heap at N = 200, P = 16 over
// both 100 and 1000 episodes, BenchmarkMetaGradientMemory). With
// Smooth.AbsEps = 0 and Smooth.Clip false the primal is the learner's
// (errors equal learn.Run's to rounding); the smooth |.| and the smooth
// clip make the objective differentiable for gradient checks and
// meta-training.
//
// The output is a neuron's rate or a linear readout z = W_out r, W_out
// fixed (tangent dz_p = W_out dr_p) or plastic (readout.go: W_out learns
// under the rule as the learner's does, and dz_p gains dW_out,p r, with
// dW_out,p carried across episodes as dJ_p is). ClipTangent bounds dJ_p
// only.
//
// Learn.Precision linalg.Float32 (an option, never the default) runs the
// primal steps and the P tangent propagations in float32 (Gemm32), with J,
// dJ/dphi_p, the update and its tangent, the baselines and the gradient
// kept in float64 (Problem says what runs in which). Measured: the
// gradient is within 2e-5 to 9e-4 (norm) of float64's and of central
// differences on the gradient-check problems (TestFloat32GradientCheck),
// and drifts with the length of the learning run as the tangents grow
// (3e-3 at 200 episodes of the benchmark problem, 0.04 at 500, the
// opposite direction at 1000: TestFloat32Drift); central differences of
// the float32 objective itself are off by 0.3-7% at best, so a
// finite-difference check needs float64.
//
// Engine.Gradient writes into the grad slice it is given and reads phi
// without keeping it; an Engine owns its workspace (allocated once by
// NewEngine) and must not be used by two goroutines at once. A learning
// run allocates its network (under float32 also its float32 copy), its
// worker and a few small slices, nothing per step, trial or episode.
//
// Estimator puts the exact, truncated, finite-difference and ES
// meta-gradients behind one interface (NewEstimator). Train is the outer
// loop: Adam or SGD with gradient-norm clipping, several training seeds per
// meta-iteration in parallel (common random numbers within an iteration,
// fresh seeds across), held-out seeds, a JSON checkpoint per iteration
// with resume, cancellation, and progress callbacks. Its Config is
// JSON-serialisable and reproduces a run bit for bit.
// ProbeGradient checks a config's first meta-gradient against the
// objective along the step it sets: central differences of every training
// and held-out seed's objective (common random numbers) at step lengths
// given, against the estimator's slope, which tells a Horizon's bias from
// a direction that is uphill only for the training seeds.
//
// In the chaotic regime state tangents may grow over a trial; Problem's
// Horizon (restart the state tangents every Horizon steps) and
// ClipTangent (bound the norm of each dJ/dphi_p) are the remedies, both
// biased (TestHorizonBias measures the bias against finite differences).
// Measured (plasticlib/cmd/metameasure, context integration, N = 50,
// from Miconi's rule, 4 seeds): the exact gradient's norm grows with trial
// length and episodes (5.7 at 350 ms x 25 episodes, 509 at 700 ms x 400,
// 2e7 at 1400 ms x 400) and its direction stops agreeing across seeds; with
// Horizon = 20 it stays at 2-11 and meta-training makes steady progress,
// which is why the quick-scale training test uses it. Config's default
// Precondition (BasisScale) scales each coefficient's step by the size of
// its basis term, which differ by orders of magnitude.
//
// Files, one concept each: problem.go (Problem, its validation, the
// typed error), engine.go (Engine, its workspace and the learning run that
// drives a trial's stages), primal.go (the primal pass and its factor
// rows), tangent.go (the state tangents through a recorded trial),
// trace.go (the primal eligibility and the trace tangents' contraction
// over time), update.go (the end-of-trial update and its tangent), readout.go (a
// plastic linear readout's trace, tangents and update),
// worker.go (the second goroutine that takes half of every stage),
// probe.go (ProbeGradient),
// work.go (the buffers of the primal record and the tangents, and the
// stages that run on them, in float64 or float32). The tiled matrix
// products they share are linalg.Gemm and linalg.Gemm32.
//
// Layer: above learn, network, task and rule; imports nothing from kernel/.
package meta
