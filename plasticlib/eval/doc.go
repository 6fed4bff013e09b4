// Package eval measures learning: episodes to criterion
// with censoring, runs of many seeds in parallel on all cores (results
// identical to a serial run, in seed order), and medians with
// interquartile ranges over seeds.
//
// Layer: above learn; imports nothing from kernel/.
package eval
