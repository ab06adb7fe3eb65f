// Package calibration turns evidence into the distributions scenarios use,
// and checks those distributions against what happened: the reference data
// in data/ (with provenance in data/README.md) and back-tests of devolve's
// default predictive distributions against realised reorganisation outcomes.
package calibration
