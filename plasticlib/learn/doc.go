// Package learn runs the inner learning loop: a network
// performs episodes (trials) of a task, a three-factor rule accumulates an
// eligibility trace during each trial, and at trial end, after a warm-up,
// the weights change by -eta m(Ebar_c) (E - Ebar_c) e - J/tau_w, clipped,
// with E the trial's error and Ebar_c a running baseline per trial type,
// updated after the weight change.
//
// The rule is separable, so the learner does not update N^2 traces per
// step: it stores, for each step t > TraceAfter and each pre-synaptic power
// k the rule uses, the pre factors r_j(t-1)^k and the post factors
// sum_l theta_kl dx_i(t)^l (times lambda_e^(T-1-t)), and forms the trial's
// eligibility as one matrix product, through gonum's BLAS (OpenBLAS with
// the "openblas" build tag, see plasticlib/linalg), in fixed blocks of
// factor rows added in a fixed order (trace.go). When the process has a
// core to spare (a concurrency budget shared by all Learners, against
// GOMAXPROCS) and that has been the faster way lately, the blocks run on a
// second goroutine, one per Learner, while the steps run; otherwise, or
// with Config.Serial, on the episode's goroutine, each block as soon as its
// rows are complete. Both ways give the same results bit for bit.
//
// Config.Precision Float32 runs a trial's primal in float32 (the network's
// steps on a network.Net32, the factor rows, the block products) for
// speed; the weights, the error, the baselines and the update stay
// float64. Float64 is the default.
//
// A Learner owns its workspace, allocated once by New; a time step
// allocates nothing. Randomness comes from Config.Seed (Streams: trials,
// initial states, perturbations, none of which depends on the weights) and
// the network's own Seed (weights), so the same seeds give bit-identical
// histories, whatever runs beside them. A loop of one's own (meta-learning
// carrying tangents) replays a run's episodes with NewStreams(seed).Next.
//
// Layer: above network, task and rule; imports nothing from kernel/.
package learn
