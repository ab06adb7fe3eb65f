// Package explain says what drives a compiled scenario's outputs, as plain
// data: the one-at-a-time tornado, rank correlations over a run, Sobol'
// indices with their intervals, switching values (for one option, or for
// the difference between two), the top drivers, and the share of the
// variance resting on inputs marked JUDGEMENT. devolve sensitivity,
// compare, report and serve call it and only render what it returns; it
// knows nothing of tables, charts or pages. The statistics themselves are
// model/sensitivity's, on any model; this package applies them to a
// scenario's model the one way devolve does (inputs grouped by
// lgr.GroupKey, fixed inputs left out).
package explain
