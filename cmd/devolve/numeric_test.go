package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/notation"
	"go.yaml.in/yaml/v3"
)

// failWriter fails every write, as a closed pipe does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// TestCalibrateJSONWriteError: a failure to write the JSON document is
// reported with exit status 1 and a message, on every calibrate path that
// writes JSON (fit, expert quantiles, --list, --update).
func TestCalibrateJSONWriteError(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/good.csv"
	os.WriteFile(good, []byte("ratio\n1.1\n1.3\n0.9\n2.5\n1.05\n1.2\n1.6\n0.95\n"), 0o644)
	for _, args := range [][]string{
		{"calibrate", good, "--column", "ratio", "--bootstrap", "5", "--format", "json"},
		{"calibrate", "--quantiles", "10:6m,50:9m,90:25m", "--format", "json"},
		{"calibrate", "--list", "--format", "json"},
		{"calibrate", "--update", "savings", "--format", "json"},
	} {
		var stderr bytes.Buffer
		code := run(context.Background(), args, failWriter{}, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "writing JSON") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and a message", args[1:], code, stderr.String())
		}
	}
}

// minimalScenario is scenarios/testdata/minimal.yaml with its name and
// system name replaced.
func minimalScenario(name, system string) string {
	return `name: ` + name + `
predecessors:
  - {name: Shire, kind: county, population: 300000}
  - {name: Northtown, kind: district, population: 100000}
  - {name: Southtown, kind: district, population: 200000}
successors:
  - {name: Shire Council, predecessors: [Shire, Northtown, Southtown]}
systems:
  - name: ` + system + `
    per_kind: {county: 1, district: 1}
    licence: 50k to 200k
    migration: {dist: pert, min: 100k, mode: 200k, max: 600k}
workforce:
  - {name: back_office, fte: 500, reduction: 10%, cost_per_fte: 45k, redundancy_per_fte: 30k}
`
}

// readCSV parses a CSV file, failing the test if it is not valid CSV with
// the same number of fields on every row (a comment line fails it: Excel,
// pandas and R read one as data).
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll() // FieldsPerRecord 0: every row as long as the first
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return recs
}

// TestHostileNames: a scenario and a system named with a newline, terminal
// escape sequences (clear screen, red), a comma and a right-to-left
// override. The table output carries none of those characters raw;
// summary.csv and draws.csv stay valid CSV (the names' newline once split
// summary.csv's comment line into a data row).
func TestHostileNames(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evil.yaml")
	os.WriteFile(path, []byte(minimalScenario(`"Evil\e[2J\e[31m\nsecond line\u202e"`, `"fin\e[1mance\nx,y"`)), 0o644)
	bad := func(what, s string) {
		t.Helper()
		if strings.ContainsAny(s, "\x1b\u202e") || strings.Contains(s, "Evil\n") || strings.Contains(s, "fin\x1b") {
			t.Errorf("%s output carries a raw control character:\n%q", what, s)
		}
	}
	bg := context.Background()
	code, out, stderr := runCLI(t, bg, "run", path, "--iterations", "500", "--out", filepath.Join(dir, "out"), "--draws")
	if code != 0 {
		t.Fatal(stderr)
	}
	bad("run", out)
	code, out, stderr = runCLI(t, bg, "sensitivity", path, "--n", "64", "--rank-trials", "200", "--switch-trials", "100")
	if code != 0 {
		t.Fatal(stderr)
	}
	bad("sensitivity", out)
	if !strings.Contains(out, `Fin\x1b[1mance\nx,y systems`) { // the category's label, escaped
		t.Errorf("sensitivity table does not show the escaped system name:\n%s", out)
	}
	for _, f := range []string{"summary.csv", "draws.csv"} {
		recs := readCSV(t, filepath.Join(dir, "out", f))
		if len(recs) < 2 {
			t.Errorf("%s: %d records", f, len(recs))
		}
	}
	recs := readCSV(t, filepath.Join(dir, "out", "draws.csv"))
	found := false
	for _, h := range recs[0] {
		found = found || strings.HasPrefix(h, "systems.fin\x1b[1mance\nx,y")
	}
	if !found {
		t.Errorf("draws.csv header lost the system's name as written: %q", recs[0])
	}
}

// TestDeterministicDraws: `run --deterministic --draws` writes one row with
// a value under every column of the header (it wrote a 57-column header of
// reference model R over 7-column rows).
func TestDeterministicDraws(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI(t, context.Background(), "run", "reference-r", "--deterministic", "--draws", "--out", dir)
	if code != 0 {
		t.Fatal(stderr)
	}
	recs := readCSV(t, filepath.Join(dir, "draws.csv"))
	if len(recs) != 2 || len(recs[0]) < 20 {
		t.Fatalf("draws.csv: %d records of %d fields", len(recs), len(recs[0]))
	}
	for i, v := range recs[1][1:] {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			t.Errorf("column %s: %q", recs[0][i+1], v)
		}
	}
}

// TestCompareTies: identical options tie in every trial (common random
// numbers): each ranks first in half the trials (not 100% and 0%), and
// the pair reports P(B better) 0 with every trial tied. With a third,
// different option the shares still sum to 1 and the identical pair's
// shares are equal.
func TestCompareTies(t *testing.T) {
	var doc struct {
		Pairs []struct {
			PBBetter float64 `json:"p_b_better"`
			PTie     float64 `json:"p_tie"`
		} `json:"pairs"`
		PRankFirst map[string]float64 `json:"p_rank_first"`
	}
	code, out, stderr := runCLI(t, context.Background(), "compare", "suffolk", "suffolk", "--iterations", "2000", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for name, p := range doc.PRankFirst {
		if p != 0.5 {
			t.Errorf("%s ranks first in %g of trials, want 0.5", name, p)
		}
	}
	if len(doc.Pairs) != 1 || doc.Pairs[0].PTie != 1 || doc.Pairs[0].PBBetter != 0 {
		t.Errorf("pair %+v, want p_tie 1 and p_b_better 0", doc.Pairs)
	}
	code, out, stderr = runCLI(t, context.Background(), "compare", "suffolk", "suffolk-two", "suffolk", "--iterations", "2000", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	doc.PRankFirst = nil
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, p := range doc.PRankFirst {
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 || len(doc.PRankFirst) != 3 {
		t.Errorf("p_rank_first %v sums to %g", doc.PRankFirst, sum)
	}
	var same []float64
	for name, p := range doc.PRankFirst {
		if strings.HasPrefix(name, "Suffolk, 1 unitary") {
			same = append(same, p)
		}
	}
	if len(same) != 2 || same[0] != same[1] {
		t.Errorf("identical options rank first unequally: %v", doc.PRankFirst)
	}
}

// TestSensitivityAllFixed: a scenario with no uncertain input lists every
// input as left out and no tornado, rank, Sobol or switching rows (it
// listed phantom inputs "0", "1", ... before).
func TestSensitivityAllFixed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixed.yaml")
	os.WriteFile(path, []byte(`name: all fixed
it_overrun: 1
other_overrun: 1
savings_realisation: 1
predecessors:
  - {name: Shire, kind: county, population: 300000}
  - {name: Northtown, kind: district, population: 100000}
successors:
  - {name: Shire Council, predecessors: [Shire, Northtown]}
systems:
  - name: finance
    per_kind: {county: 1, district: 1}
    licence: 100k
    migration: 200k
    contract_end: 3
workforce:
  - {name: back_office, fte: 500, reduction: 10%, cost_per_fte: 45k, redundancy_per_fte: 30k}
`), 0o644)
	code, out, stderr := runCLI(t, context.Background(), "sensitivity", path, "--n", "64", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tornado", "rank", "sobol", "switching"} {
		if v, ok := doc[k]; ok {
			t.Errorf("%s: %v (nothing is uncertain)", k, v)
		}
	}
	if fixed, _ := doc["fixed_inputs"].([]any); len(fixed) < 5 {
		t.Errorf("fixed_inputs %v", doc["fixed_inputs"])
	}
	if strings.Contains(out, `"input": "0"`) {
		t.Errorf("phantom input in %s", out)
	}
}

// TestCalibratePanel: the shipped illustrative panel pools both its
// quantities; each pool's weights sum to 1, and its snippet, read by the
// scenario notation, has the pool's median (to the snippet's six digits).
// A bad panel exits 2 naming the file and line.
func TestCalibratePanel(t *testing.T) {
	panel := filepath.Join("..", "..", "calibration", "data", "example_panel.csv")
	code, out, stderr := runCLI(t, context.Background(), "calibrate", "--panel", panel, "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var doc struct {
		Quantities []struct {
			Quantity string  `json:"quantity"`
			P50      float64 `json:"p50"`
			Snippet  string  `json:"snippet"`
			Experts  []struct {
				Weight float64 `json:"weight"`
			} `json:"experts"`
		} `json:"quantities"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Quantities) != 2 || doc.Quantities[0].Quantity != "it_overrun" {
		t.Fatalf("quantities %+v", doc.Quantities)
	}
	for _, q := range doc.Quantities {
		sum := 0.0
		for _, e := range q.Experts {
			sum += e.Weight
		}
		if len(q.Experts) != 4 || math.Abs(sum-1) > 1e-12 {
			t.Errorf("%s: %d experts, weights sum to %g", q.Quantity, len(q.Experts), sum)
		}
		var spec any
		if err := yaml.Unmarshal([]byte(q.Snippet), &spec); err != nil {
			t.Fatalf("%s: %v", q.Snippet, err)
		}
		d, err := notation.FromSpec(spec, nil)
		if err != nil {
			t.Fatalf("%s: %v", q.Snippet, err)
		}
		if m := d.Quantile(0.5); math.Abs(m/q.P50-1) > 1e-5 {
			t.Errorf("%s: snippet's median %g, pool's %g", q.Quantity, m, q.P50)
		}
	}
	code, out, _ = runCLI(t, context.Background(), "calibrate", "--panel", panel)
	if code != 0 || !strings.Contains(out, "linear pool") || !strings.Contains(out, "it_overrun: {dist: mixture") {
		t.Errorf("table output:\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("expert,quantity,percentile,value\nA,q,10,5\nA,q,150,6\n"), 0o644)
	code, _, stderr = runCLI(t, context.Background(), "calibrate", "--panel", bad)
	if code != 2 || !strings.Contains(stderr, "bad.csv") || !strings.Contains(stderr, "line 3, column percentile") {
		t.Errorf("bad panel: exit %d, %s", code, stderr)
	}
}

// TestCalibrateNaNStandardErrors: a fit whose observed information is not
// positive definite (a two-lognormal mixture with one component on the
// single point 1000) writes its standard errors as JSON null, with a
// warning, and exits 0 (it exited 1 with no output and no message).
func TestCalibrateNaNStandardErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.csv")
	os.WriteFile(path, []byte("x\n1\n2\n3\n4\n5\n6\n7\n8\n9\n1000\n"), 0o644)
	code, out, stderr := runCLI(t, context.Background(), "calibrate", path, "--column", "x", "--families", "lognormal_mixture", "--bootstrap", "5", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Fits []struct {
			SE       map[string]*float64 `json:"se"`
			Warnings []string            `json:"warnings"`
		} `json:"fits"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(doc.Fits) != 1 || doc.Fits[0].SE["mu1"] != nil || len(doc.Fits[0].Warnings) == 0 {
		t.Errorf("fits %+v", doc.Fits)
	}
}
