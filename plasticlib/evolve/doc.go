// Package evolve meta-learns three-factor rules by evolution strategies on
// whole learning runs: antithetic Gaussian perturbations of the rule's
// coefficients, each scored by the learning speed it gives (the mean
// performance over a learning run of a setting's task, on fresh networks),
// with common random numbers across the perturbations of one iteration.
//
// Where plasticlib/meta differentiates one learning run exactly (tangent
// propagation), evolve needs nothing but learning runs, so it works for
// every network option learn supports (a linear readout, fixed or plastic,
// Dale's law, sparse J) and optimises the very quantity that episodes to
// criterion measures. Its cost is 2 x Pairs x Seeds learning runs per
// iteration, run in parallel: in this process by default, or through an
// Executor (Config.Executor) that receives each iteration's runs
// (History.Runs), such as package sweep's, which runs them as result files
// locally or as a Slurm job array and resumes an interrupted iteration from
// the runs it finished. The training does not depend on the executor.
//
// Coefficients live in scaled coordinates u_kl = theta_kl / s_kl, where
// s_kl makes the end-of-trial trace of basis term r^k dx^l as large as
// that of the reference term (theta_33 by default; see Scales): one sigma
// then means a comparable change of the rule in every direction, although
// the raw traces of the terms differ by orders of magnitude.
//
// The package sits above learn, rule, setting and eval; it imports nothing
// of the kernel or plots. Train allocates per iteration; the learning runs
// inside it allocate nothing per step.
package evolve
