// Package network is the rate recurrent neural network of plasticlib:
// N units with membrane time constant Tau, integrated with
// time step Dt, rates r = f(x) (tanh by default), recurrent weights J, fixed
// input weights WIn, clamped bias units, a neuron-0 or linear readout, and
// sparse exploratory perturbations.
//
// A Config holds every parameter; DefaultConfig returns Miconi's (2017)
// reference values, and New validates a Config (errors name the field) and
// draws the weights from the Config's Seed, deterministically.
//
// Net.Step advances the state by one time step and allocates nothing. It
// mutates the Net's state slices (X, R, RPrev, DX, XBar) in place; R and
// RPrev are swapped, not copied, so hold on to the Net, not to the slices.
// Perturbation events are drawn ahead of a trial by SamplePerturbations, so
// that a whole trial is a deterministic function of the weights and of the
// random streams (what meta-learning with common random numbers needs).
//
// Layer: plasticlib's lowest science layer; imports gonum and
// plasticlib/linalg only.
package network
