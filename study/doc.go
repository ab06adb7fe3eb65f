// Package study runs the engine over many generated or published scenarios
// to answer one question each: national (every two-tier area reorganised,
// summed on shared uncertainties), bridge (a published business case's
// figure stepped to devolve's), backtest (the 2023 reorganisations predicted
// with their own outturns held out) and published (published estimates
// placed in devolve's distribution). Each returns plain data; commands
// render it. The evidence study lives in calibration.
package study
