// Package rule defines three-factor plasticity rules: the
// polynomial family H(r, dx) = sum_{k<=K, l<=L} Theta[k][l] r^k dx^l of a
// pre-synaptic rate r_j(t-1) and a post-synaptic fluctuation dx_i(t),
// accumulated in an eligibility trace with decay tau_e, and turned into a
// weight change at trial end by the reward prediction error, modulated by
// m(Ebar), with weight decay tau_w and clipping to [-MaxDW, MaxDW].
//
// H is separable, H = sum_k r^k P_k(dx) with P_k(dx) = sum_l Theta[k][l]
// dx^l, which is what makes a trial's eligibility one matrix product: see
// PreTo and PostTo. Node perturbation (Fiete & Seung 2006) is its own Kind:
// the post factor is the exploratory perturbation xi_i(t) itself.
//
// Rules print as a coefficient table (String) and marshal to readable JSON
// with Theta as rows. Layer: plasticlib science layer, imports nothing else
// from plasticlib.
package rule
