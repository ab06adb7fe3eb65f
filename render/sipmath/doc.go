// Package sipmath exports a run's output samples as a SIPmath 3.0 library
// (the open standard of ProbabilityManagement.org, read by its Excel tools,
// ChanceCalc and Frontline's Analytic Solver): each output becomes a
// "virtual SIP", a metalog quantile function fitted to the run's draws and
// driven by Hubbard's HDR portable random number generator, and a Gaussian
// copula carries the outputs' dependence (the correlation of their normal
// scores), so a consumer generates coherent trials of NPV, one-off cost and
// the rest on any platform. It computes only the fit: the draws are the
// engine's.
//
// The layout follows ProbabilityManagement.org's reference implementation
// (PySIPmath, PySIP3library.Json with dependence "dependent") and validates
// against the schema its tests use (testdata/README.md).
package sipmath
