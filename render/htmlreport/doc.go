// Package htmlreport writes devolve's self-contained HTML report: a headline
// in words computed from the draws, the run manifest, charts as inline SVG,
// tables, the assumptions log (every input with its distribution and its
// measured influence on NPV), the uncertainties the model does not
// quantify, and, for several scenarios, their comparison on common random
// numbers. The page loads nothing from the network: no fonts, scripts or
// images outside the file.
//
// It also holds the headline (Headline) that the what-if page shares.
package htmlreport
