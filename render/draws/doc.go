// Package draws lays out a run's per-trial draws as named columns (the
// headline outputs, then every input) and writes them as Parquet for
// researchers (pandas, R arrow, DuckDB, Polars). It computes nothing: the
// values are the engine's kept draws, bit for bit.
package draws
