// Package sensitivity explains what drives a model's output, for any
// function of a vector of independent uncertain inputs, not only devolve's:
//
//   - Sobol: first-order and total-order variance-based indices from
//     Saltelli sampling, with the Saltelli (2010) first-order and Jansen
//     (1999) total-order estimators, and 95% t-intervals across
//     independently scrambled replicates of the quasi-random design;
//   - Tornado: one-at-a-time swings of each input from its P10 to its P90
//     with the others at their medians;
//   - Spearman: rank correlation of each input with the output.
//
// Inputs may be grouped: a group moves as one (all members resampled, or
// swung to the same percentile, together). Results are plain data; rendering
// is elsewhere. Switching values for any model (SwitchingValues) and the
// difference of two models (Difference) are in model.go and difference.go;
// package explain applies all of these to a compiled scenario.
//
// References: Saltelli, Annoni, Azzini, Campolongo, Ratto and Tarantola
// (2010), "Variance based sensitivity analysis of model output. Design and
// estimator for the total sensitivity index", Computer Physics
// Communications 181(2), Table 2 (estimators b and f); Jansen (1999),
// Computer Physics Communications 117.
package sensitivity
