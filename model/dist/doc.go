// Package dist holds the probability distributions that devolve's inputs are
// drawn from: fixed, uniform, uniform integer, triangular, PERT, normal,
// lognormal, beta, gamma, bernoulli, discrete and mixture, with optional
// truncation and a location shift.
//
// Every family implements Distribution. Distributions are immutable values:
// they hold no random generator, and Sample takes one explicitly, so no code
// path touches a global generator. CDF, Quantile and Mean come from gonum's
// stat/distuv where it has the family; Sample is written here so that it does
// not allocate (distuv's Rand builds a new rand.Rand on every call when given a
// source), and each sampler is checked against the distuv CDF in the tests.
//
// PERT and beta with both shapes at least 1, and the lognormal, are sampled
// by numerical inversion of the CDF (invert.go: Hörmann and Leydold's HINV,
// quintic Hermite interpolation with u-error at most 1e-11 at every
// interval's midpoint, built once by the constructor): one uniform and a
// polynomial per draw, three times cheaper than the ratio of two gamma
// variates and than exp of a normal. The lognormal's inverse covers its
// central 1 - 2e-13 of mass (a uniform beyond returns the cut point).
// Normal draws use math/rand/v2's ziggurat, gamma Marsaglia and Tsang (2000).
//
// Constructors validate their parameters and return an error naming the
// offending parameter; they never panic on user input.
package dist
