// Package lgr is the domain model of local government reorganisation: the
// predecessor and successor councils, the systems to consolidate, workforce,
// democracy, other costs and benefits, risks and service quality. A Scenario
// (plain Go values: it knows nothing of files) is checked by Validate and
// compiled by Compile into an engine.Model, whose evaluation (eval.go: a
// block of trials at a time, step by step) computes yearly cash flows by line, NPV, payback, one-off cost, steady-state
// saving, benefit-cost ratio and service-quality indicators. Summarize turns an
// engine.Result into a Report.
//
// Conventions: money is in pounds, real terms at the scenario's price base;
// rates and shares are fractions; years are integers relative to vesting:
// t = 0 is the year before vesting day, t = 1 the new councils' first year.
// docs/MODEL.md states every equation.
package lgr
