package draws

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"testing"

	"github.com/devolve-lgr/devolve/internal/runtest"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/parquet-go/parquet-go"
)

// suffolkRun runs the embedded default scenario with every input kept.
func suffolkRun(t *testing.T, n int, seed uint64) (*lgr.Result, Manifest) {
	t.Helper()
	ld, res := runtest.Run(t, "suffolk", engine.Options{Iterations: n, Seed: seed, KeepInputs: true})
	return res, Manifest{Scenario: ld.Scenario.Name, Source: ld.Source, ScenarioSHA256: ld.SHA256,
		Version: "test", Seed: seed, Iterations: n}
}

// readBack opens a Parquet file and returns its column names, the values
// of every column by trial (trial column as float64), and the file.
func readBack(t *testing.T, data []byte) ([]string, [][]float64, *parquet.File) {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, path := range f.Schema().Columns() {
		names = append(names, path[0])
	}
	cols := make([][]float64, len(names))
	r := parquet.NewReader(bytes.NewReader(data))
	defer r.Close()
	buf := make([]parquet.Row, 100)
	for {
		k, err := r.ReadRows(buf)
		for _, row := range buf[:k] {
			for _, v := range row {
				j := v.Column()
				if j == 0 {
					if v.Kind() != parquet.Int64 {
						t.Fatalf("trial column has kind %v, want INT64", v.Kind())
					}
					cols[0] = append(cols[0], float64(v.Int64()))
					continue
				}
				if v.Kind() != parquet.Double {
					t.Fatalf("column %s has kind %v, want DOUBLE", names[j], v.Kind())
				}
				cols[j] = append(cols[j], v.Double())
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return names, cols, f
}

func TestParquetRoundTrip(t *testing.T) {
	const n = 3000
	res, m := suffolkRun(t, n, 7)
	names, cols := Columns(res)
	if len(names) != 6+len(res.C.Model.Inputs) {
		t.Fatalf("%d columns, want 6 headline + %d inputs", len(names), len(res.C.Model.Inputs))
	}
	var buf bytes.Buffer
	if err := WriteParquet(&buf, m, names, cols); err != nil {
		t.Fatal(err)
	}
	gotNames, got, f := readBack(t, buf.Bytes())

	t.Run("columns in order", func(t *testing.T) {
		want := append([]string{"trial"}, names...)
		if len(gotNames) != len(want) {
			t.Fatalf("got %d columns, want %d", len(gotNames), len(want))
		}
		for i := range want {
			if gotNames[i] != want[i] {
				t.Errorf("column %d is %q, want %q", i, gotNames[i], want[i])
			}
		}
	})
	t.Run("values bit-identical", func(t *testing.T) {
		if f.NumRows() != n {
			t.Fatalf("%d rows, want %d", f.NumRows(), n)
		}
		for i := 0; i < n; i++ {
			if got[0][i] != float64(i) {
				t.Fatalf("trial %d numbered %v", i, got[0][i])
			}
		}
		infs := 0
		for j, c := range cols {
			for i, v := range c {
				if math.Float64bits(got[j+1][i]) != math.Float64bits(v) {
					t.Fatalf("%s trial %d: read %v, wrote %v", names[j], i, got[j+1][i], v)
				}
				if math.IsInf(v, 1) {
					infs++
				}
			}
		}
		t.Logf("%d columns x %d trials identical (%d +Inf payback years among them)", len(cols), n, infs)
	})
	t.Run("manifest in metadata", func(t *testing.T) {
		for k, want := range map[string]string{
			"scenario": m.Scenario, "source": m.Source, "scenario_sha256": m.ScenarioSHA256,
			"version": m.Version, "seed": "7", "iterations": strconv.Itoa(n),
		} {
			if v, ok := f.Lookup(k); !ok || v != want {
				t.Errorf("metadata %s = %q (present %v), want %q", k, v, ok, want)
			}
		}
		if len(m.ScenarioSHA256) != 64 {
			t.Errorf("scenario sha256 %q is not 64 hex digits", m.ScenarioSHA256)
		}
	})
}

// TestParquetRowGroups checks that trials are cut into row groups of
// RowGroupRows (so the writer's memory is bounded) and stay in order.
func TestParquetRowGroups(t *testing.T) {
	n := RowGroupRows + 5
	a, b := make([]float64, n), make([]float64, n)
	for i := range a {
		a[i] = float64(i) * 0.5
		b[i] = -float64(i)
	}
	var buf bytes.Buffer
	if err := WriteParquet(&buf, Manifest{}, []string{"z", "a.b"}, [][]float64{a, b}); err != nil {
		t.Fatal(err)
	}
	names, got, f := readBack(t, buf.Bytes())
	if g := len(f.RowGroups()); g != 2 {
		t.Errorf("%d row groups, want 2", g)
	}
	if names[1] != "z" || names[2] != "a.b" {
		t.Errorf("columns %v, want trial, z, a.b in that order", names)
	}
	for i := 0; i < n; i++ {
		if got[0][i] != float64(i) || got[1][i] != a[i] || got[2][i] != b[i] {
			t.Fatalf("trial %d read as %v %v %v", i, got[0][i], got[1][i], got[2][i])
		}
	}
}

func TestParquetErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		names []string
		cols  [][]float64
	}{
		"ragged":     {[]string{"a", "b"}, [][]float64{{1, 2}, {1}}},
		"count":      {[]string{"a"}, [][]float64{{1}, {2}}},
		"duplicate":  {[]string{"a", "a"}, [][]float64{{1}, {2}}},
		"trial name": {[]string{"trial"}, [][]float64{{1}}},
	} {
		t.Run(name, func(t *testing.T) {
			if err := WriteParquet(io.Discard, Manifest{}, tc.names, tc.cols); err == nil {
				t.Error("no error")
			}
		})
	}
}
