// Package chart draws devolve's charts with gonum.org/v1/plot: the fan chart
// of cumulative net cash flow (one option or several overlaid), the S-curve
// and histogram of NPV, the tornado and Sobol indices of a sensitivity
// analysis, the waterfall of present values by line, and service-quality
// indicators over time with their bands.
//
// Functions take plain data (this package's own types, or the model's
// summaries) and return a *plot.Plot; Write renders any of them as PNG or
// SVG. Charts use the plot package's default, embedded fonts, so a PNG is
// the same on every machine. Money axes are in millions of pounds, real
// terms at the scenario's price base.
package chart
