// Package plots draws the figures of the paper "Meta-learning three-factor
// plasticity rules for structured credit assignment with sparse feedback"
// (Maoutsa 2025, figure 1) and the views a user of plasticlib needs to see
// credit assignment at work: basis functions and coefficients of a rule, the
// learned H(r, dx), learning curves over seeds, episodes to criterion,
// eligibility traces, activity, the structure of the weight change, gradient
// checks and cost scaling.
//
// It is the presentation layer on top of gonum.org/v1/plot. It may import
// plasticlib (the science) but never kernel/...: a notebook shows a figure
// inline because *Figure has the method MIMEBundle() map[string]any, the
// kernel's display contract, not because plots knows about the kernel.
//
// # Figures
//
// Every figure function returns (*Figure, error). A Figure is drawn lazily:
// it saves to .png, .svg and .pdf by file extension at any size
// (Figure.Save, with sizes from gonum.org/v1/plot/vg such as vg.Centimeter
// and vg.Inch), encodes to a writer (Figure.Encode), and exposes its
// gonum/plot plots (Figure.Plot, Figure.Plots) for further editing. Grid lays
// several figures out with panel letters, so a notebook rebuilds the paper's
// figure 1 as one image.
//
// The figures, with the panel of the paper's figure 1 each one draws:
//
//	TaskSchematic            a   inputs, target, scored window per trial type (task.Task)
//	BasisGrid                c   the basis functions r^k dx^l
//	Theta                    d,f coefficient matrix of a rule (rule.Rule), cells labelled
//	HSurface                 f   H(r, dx) of a rule with a colour bar
//	MetaTraining             e   objective and final performance (fraction correct) vs meta-iteration
//	MetaHistory              e   the same from a plasticlib/meta run (held-out performance)
//	EvolveHistory            e   the same from a plasticlib/evolve run (train and held-out)
//	CoefficientTrajectories  e   each coefficient vs meta-iteration (MetaCoefficients,
//	                             EvolveCoefficients: from a run's history)
//	LearningCurves           g   median and IQR over seeds, several rules ([]*learn.History)
//	EpisodesToCriterion      h   strip plot per rule/condition, censored runs marked (eval.Outcome)
//	Generalisation               rules x conditions table of episodes to criterion
//	EligibilityTraces            e_ij(t) across a trial, stimuli shaded, reward marked (learn.Trace)
//	Activity                     rates of every unit, output and target (learn.Activity)
//	Spectrum, SingularValues     eigenvalues of J before/after, singular values of dJ
//	GradientCheck, Cost          tangent vs finite differences, cost vs N and P
//
// Grid composes them; the package example "figure1" rebuilds figure 1. A
// Grid of default size is at most 20 cm wide, the width at which a notebook
// shows it, and keeps every panel's text at least 0.8 of the house size
// (GridConfig.MinScale), so that figure 1's labels stay readable there.
//
// # Validation
//
// Figure functions validate their data and return an error naming the
// offending input (empty, NaN or infinite values, mismatched lengths) rather
// than panicking or returning a blank image. Inputs are never modified.
//
// # House style
//
// All figures share one style (see style.go): sans-serif text sized to stay
// readable at notebook width, at most about six major ticks per axis, the
// colour-blind-safe Okabe–Ito palette for categories with one fixed colour
// per rule name (RuleColor) in every figure, and Moreland's smooth blue–red
// diverging map centred on zero for signed quantities. There is no
// package-level mutable state: the style is applied per plot and gonum/plot's
// global defaults are left alone.
package plots
