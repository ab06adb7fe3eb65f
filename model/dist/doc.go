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
// Constructors validate their parameters and return an error naming the
// offending parameter; they never panic on user input.
package dist
