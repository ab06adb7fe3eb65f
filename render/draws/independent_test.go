package draws

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// hyparquetDir is where .ci/run installs hyparquet (npm install --prefix
// DIR hyparquet): $DEVOLVE_NPM_PREFIX, by default ~/.cache/devolve-npm.
func hyparquetDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DEVOLVE_NPM_PREFIX")
	if home, err := os.UserHomeDir(); dir == "" && err == nil {
		dir = filepath.Join(home, ".cache", "devolve-npm")
	}
	_, nodeErr := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", "hyparquet", "package.json"))
	if dir == "" || nodeErr != nil || modErr != nil {
		msg := "independent Parquet reader unavailable: needs node and hyparquet under $DEVOLVE_NPM_PREFIX or ~/.cache/devolve-npm (.ci/run installs them)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}

// TestParquetIndependentReader reads draws.parquet with hyparquet, a
// JavaScript implementation that shares no code with parquet-go: the same
// columns in order with their physical types, the manifest, and every
// value bit for bit.
func TestParquetIndependentReader(t *testing.T) {
	dir := hyparquetDir(t)
	const n = 2500
	res, m := suffolkRun(t, n, 9)
	names, cols := Columns(res)
	var buf bytes.Buffer
	if err := WriteParquet(&buf, m, names, cols); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	file := filepath.Join(work, "draws.parquet")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("testdata/read_parquet.mjs")
	if err != nil {
		t.Fatal(err)
	}
	// ESM imports resolve from the script's own directory.
	js := filepath.Join(dir, "devolve_read_parquet.mjs")
	if err := os.WriteFile(js, script, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", js, file).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got struct {
		Columns []struct {
			Name, Type string
		}
		Metadata  map[string]string
		RowGroups int
		Rows      [][]any
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Columns) != len(names)+1 || got.Columns[0].Name != "trial" || got.Columns[0].Type != "INT64" {
		t.Fatalf("columns %v", got.Columns[:min(3, len(got.Columns))])
	}
	for j, name := range names {
		if c := got.Columns[j+1]; c.Name != name || c.Type != "DOUBLE" {
			t.Errorf("column %d: %s %s, want %s DOUBLE", j+1, c.Name, c.Type, name)
		}
	}
	for k, want := range map[string]string{"seed": "9", "iterations": strconv.Itoa(n), "scenario_sha256": m.ScenarioSHA256,
		"scenario": m.Scenario, "source": m.Source, "version": m.Version} {
		if got.Metadata[k] != want {
			t.Errorf("metadata %s = %q, want %q", k, got.Metadata[k], want)
		}
	}
	if len(got.Rows) != n {
		t.Fatalf("%d rows, want %d", len(got.Rows), n)
	}
	for i, row := range got.Rows {
		if v, _ := row[0].(json.Number).Int64(); v != int64(i) {
			t.Fatalf("row %d has trial %v", i, row[0])
		}
		for j, c := range cols {
			var v float64
			switch x := row[j+1].(type) {
			case json.Number:
				v, _ = strconv.ParseFloat(string(x), 64)
			case string:
				v, _ = strconv.ParseFloat(x, 64) // "Infinity", "NaN"
			}
			if math.Float64bits(v) != math.Float64bits(c[i]) && !(math.IsNaN(v) && math.IsNaN(c[i])) {
				t.Fatalf("trial %d %s: hyparquet read %v, wrote %v", i, names[j], row[j+1], c[i])
			}
		}
	}
	t.Logf("hyparquet read %d trials x %d columns bit for bit", n, len(cols))
}
