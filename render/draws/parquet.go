package draws

import (
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// Manifest identifies the run that made a file; it is stored in the Parquet
// file's key-value metadata under the keys named in its field comments.
type Manifest struct {
	Scenario       string // "scenario": the scenario's name
	Source         string // "source": file path or embedded name
	ScenarioSHA256 string // "scenario_sha256"
	Version        string // "version": devolve's version
	Seed           uint64 // "seed"
	Iterations     int    // "iterations"
}

// RowGroupRows is the number of trials in each Parquet row group: the
// writer holds one row group in memory at a time (at most 64 Ki trials of
// every column) whatever the number of trials.
const RowGroupRows = 65536

// batchRows is how many rows are built and handed to the writer at once.
const batchRows = 1024

// WriteParquet writes one row per trial: a trial column (int64, 0-based, in
// trial order) and one float64 column per entry of names, in that order,
// with m in the key-value metadata. Every column of cols must hold the same
// number of trials. Payback years are +Inf where a trial never pays back
// and a benefit-cost ratio may be NaN, exactly as the engine computed them.
func WriteParquet(w io.Writer, m Manifest, names []string, cols [][]float64) error {
	if len(names) != len(cols) {
		return fmt.Errorf("draws: %d names for %d columns", len(names), len(cols))
	}
	n := 0
	if len(cols) > 0 {
		n = len(cols[0])
	}
	for i, c := range cols {
		if len(c) != n {
			return fmt.Errorf("draws: column %s has %d trials, want %d", names[i], len(c), n)
		}
	}
	seen := map[string]bool{"trial": true}
	for _, name := range names {
		if seen[name] {
			return fmt.Errorf("draws: column name %q used twice", name)
		}
		seen[name] = true
	}
	schema := parquet.NewSchema("devolve_draws", newOrdered(names))
	pw := parquet.NewWriter(w, schema,
		parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(RowGroupRows),
		parquet.CreatedBy("devolve", m.Version, ""),
		parquet.KeyValueMetadata("scenario", m.Scenario),
		parquet.KeyValueMetadata("source", m.Source),
		parquet.KeyValueMetadata("scenario_sha256", m.ScenarioSHA256),
		parquet.KeyValueMetadata("version", m.Version),
		parquet.KeyValueMetadata("seed", strconv.FormatUint(m.Seed, 10)),
		parquet.KeyValueMetadata("iterations", strconv.Itoa(m.Iterations)),
	)
	width := len(cols) + 1
	vals := make([]parquet.Value, batchRows*width)
	rows := make([]parquet.Row, batchRows)
	for start := 0; start < n; start += batchRows {
		k := min(batchRows, n-start)
		for i := 0; i < k; i++ {
			t := start + i
			row := vals[i*width : (i+1)*width : (i+1)*width]
			row[0] = parquet.Int64Value(int64(t)).Level(0, 0, 0)
			for j, c := range cols {
				row[j+1] = parquet.DoubleValue(c[t]).Level(0, 0, j+1)
			}
			rows[i] = row
		}
		if _, err := pw.WriteRows(rows[:k]); err != nil {
			return fmt.Errorf("draws: %w", err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("draws: %w", err)
	}
	return nil
}

// ordered is a Parquet group whose columns keep the order given (trial,
// then names) rather than parquet.Group's alphabetical order.
type ordered struct {
	parquet.Group
	fields []parquet.Field
}

func newOrdered(names []string) ordered {
	g := parquet.Group{"trial": parquet.Leaf(parquet.Int64Type)}
	fields := []parquet.Field{field{g["trial"], "trial"}}
	for _, name := range names {
		g[name] = parquet.Leaf(parquet.DoubleType)
		fields = append(fields, field{g[name], name})
	}
	return ordered{g, fields}
}

// Fields returns the columns in their given order.
func (o ordered) Fields() []parquet.Field { return o.fields }

// field is one named column of an ordered group. Rows are written as
// parquet.Row values, so Value (used when writing Go structs) is not needed.
type field struct {
	parquet.Node
	name string
}

func (f field) Name() string                      { return f.name }
func (f field) Value(reflect.Value) reflect.Value { return reflect.Value{} }
