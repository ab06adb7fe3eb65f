package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryCommand runs every command once, small, and checks that it
// succeeds with output that parses (JSON where asked), so that
// `go test -cover ./cmd/devolve` exercises the whole CLI (backtest: TestBacktestCommand).
func TestEveryCommand(t *testing.T) {
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	dir := t.TempDir()
	csv := filepath.Join(dir, "ratios.csv")
	if err := os.WriteFile(csv, []byte("ratio\n1.1\n1.3\n0.9\n2.5\n1.05\n1.2\n1.6\n0.95\n1.4\n1.15\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		json bool   // stdout is one JSON document
		want string // stdout contains
	}{
		{[]string{"version"}, false, "devolve "},
		{[]string{"--version"}, false, "devolve "},
		{[]string{"help"}, false, "Commands:"},
		{[]string{"list"}, false, "suffolk"},
		{[]string{"areas"}, false, "Suffolk"},
		{[]string{"areas", "--format", "json"}, true, ""},
		{[]string{"areas", "--format", "markdown"}, false, "|"},
		{[]string{"validate", "suffolk", "reference-r"}, false, "ok"},
		{[]string{"run", "reference-r", "--iterations", "2000", "--quiet", "--format", "csv"}, false, ""},
		{[]string{"run", "reference-r", "--deterministic", "--format", "json"}, true, ""},
		{[]string{"area", "suffolk", "--iterations", "1000", "--quiet", "--format", "json"}, true, ""},
		{[]string{"area", "suffolk", "--group", "East=Ipswich,East Suffolk", "--group", "West=Babergh,Mid Suffolk,West Suffolk", "--iterations", "1000", "--quiet"}, false, ""},
		{[]string{"area", "suffolk", "--unitaries", "2", "--write", filepath.Join(dir, "suffolk2.yaml")}, false, "wrote"},
		{[]string{"run", filepath.Join(dir, "suffolk2.yaml"), "--iterations", "1000", "--quiet", "--out", filepath.Join(dir, "out")}, false, ""},
		{[]string{"run", filepath.Join(dir, "suffolk2.yaml"), "--iterations", "1000", "--quiet", "--out", filepath.Join(dir, "out")}, false, ""}, // replaces its own set
		{[]string{"national", "--iterations", "300", "--quiet", "--format", "json"}, true, ""},
		{[]string{"national", "--iterations", "300", "--quiet", "--lines", "--format", "markdown"}, false, "Lines by year"},
		{[]string{"scale", "suffolk", "--iterations", "500", "--format", "json"}, true, ""},
		{[]string{"scale", "Kent", "--unitaries", "2", "--iterations", "500", "--format", "csv"}, false, "systems,finance_erp.before"},
		{[]string{"scale", "--national", "--iterations", "200", "--quiet", "--format", "markdown"}, false, "councils become"},
		{[]string{"outcomes", "suffolk", "--iterations", "500", "--format", "json"}, true, ""},
		{[]string{"outcomes", "suffolk", "--iterations", "500", "--format", "csv"}, false, "posts_removed,total"},
		{[]string{"outcomes", "Kent", "--iterations", "500"}, false, "JUDGEMENT (no evidence)"},
		{[]string{"compare", "suffolk", "suffolk-two", "--iterations", "2000", "--quiet", "--switching", "--switch-trials", "200", "--format", "json"}, true, ""},
		{[]string{"sensitivity", "reference-r", "--n", "64", "--rank-trials", "500", "--switch-trials", "200", "--quiet", "--format", "json"}, true, ""},
		{[]string{"calibrate", "--list"}, false, "it-cost-overrun"},
		{[]string{"calibrate", "--quantiles", "10:6m,50:9m,90:25m", "--format", "json"}, true, ""},
		{[]string{"calibrate", "--pert", "6m,9m,25m"}, false, "pert"},
		{[]string{"calibrate", "--update", "savings"}, false, "Snippet"},
		{[]string{"calibrate", csv, "--column", "ratio", "--bootstrap", "20", "--format", "json"}, true, ""},
		{[]string{"bridge", "pwc-ccn-2020", "--iterations", "300", "--quiet", "--format", "json"}, true, ""},
		{[]string{"bridge", "suffolk-2025", "--iterations", "300", "--quiet", "--lines", "--prices", "cash", "--format", "json"}, true, `"case_by_year"`},
		{[]string{"bridge", "suffolk-2025", "--iterations", "300", "--quiet", "--lines", "--format", "markdown"}, false, "Lines by year"},
		{[]string{"report", "reference-r", "--iterations", "1000", "--quiet", "--out", filepath.Join(dir, "report.html")}, false, "wrote"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, stderr := runCLI(t, context.Background(), c.args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if c.json && !json.Valid([]byte(out)) {
				t.Errorf("stdout is not JSON: %.200s", out)
			}
			if !strings.Contains(out, c.want) {
				t.Errorf("stdout lacks %q: %.300s", c.want, out)
			}
		})
	}
}
