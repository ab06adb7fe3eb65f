package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/calibration"
)

// TestBacktestCommand: a bad format, the documented JSON keys, and the
// coverage agreeing with the rows (table and Markdown: render/report's
// TestBacktestRenderer).
func TestBacktestCommand(t *testing.T) {
	t.Parallel() // overlaps the README tests
	bg := context.Background()
	if code, _, stderr := runCLI(t, bg, "backtest", "--format", "xml"); code != exitUsage || !strings.Contains(stderr, "--format: must be") {
		t.Errorf("bad format: exit %d, stderr %q", code, stderr)
	}
	charts := filepath.Join(t.TempDir(), "charts")
	code, out, stderr := runCLI(t, bg, "backtest", "--format", "json", "--out", charts)
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	backtestChartsInWords(t, charts)
	var doc struct {
		Version  string `json:"version"`
		Sections []struct {
			Key  string          `json:"key"`
			Data json.RawMessage `json:"data"`
		} `json:"sections"`
	}
	var outturns struct {
		Rows []struct {
			Case  string  `json:"case"`
			Ratio float64 `json:"ratio"`
			LOO   struct {
				P5, P95    float64
				Percentile float64 `json:"percentile"`
				Inside     bool    `json:"inside_90"`
			} `json:"loo"`
		} `json:"rows"`
		Coverage []struct {
			Measure string `json:"measure"`
			N       int    `json:"n"`
			Inside  int    `json:"inside_90"`
		} `json:"coverage"`
		Fit map[string]any `json:"fit"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != version || len(doc.Sections) == 0 || doc.Sections[0].Key != "outturns" {
		t.Fatalf("document %+v", doc)
	}
	if err := json.Unmarshal(doc.Sections[0].Data, &outturns); err != nil {
		t.Fatal(err)
	}
	d := outturns
	inside := 0
	for _, r := range d.Rows {
		if r.LOO.Inside != (r.LOO.Percentile >= 0.05 && r.LOO.Percentile <= 0.95) || (r.LOO.Inside != (r.Ratio >= r.LOO.P5 && r.Ratio <= r.LOO.P95)) {
			t.Errorf("%s: inside %v, percentile %g, ratio %g in [%g, %g]", r.Case, r.LOO.Inside, r.LOO.Percentile, r.Ratio, r.LOO.P5, r.LOO.P95)
		}
		if r.LOO.Inside {
			inside++
		}
	}
	var all bool
	for _, c := range d.Coverage {
		if c.Measure == "all" {
			all = true
			if c.N != len(d.Rows) || c.Inside != inside {
				t.Errorf("coverage all %d of %d, rows say %d of %d", c.Inside, c.N, inside, len(d.Rows))
			}
		}
	}
	if !all || d.Fit["ramp_stretch"] == nil {
		t.Errorf("coverage %+v fit %v", d.Coverage, d.Fit)
	}
	var keys []string
	for _, s := range doc.Sections {
		keys = append(keys, s.Key)
	}
	if strings.Join(keys, ",") != "outturns,whole_model_2023,published_cases" {
		t.Errorf("sections %v", keys)
	}
	var published []struct {
		Measure   string  `json:"measure"`
		Published float64 `json:"published_gbp"`
		P5        float64 `json:"p5"`
		P95       float64 `json:"p95"`
		Inside    bool    `json:"inside_90"`
	}
	if err := json.Unmarshal(doc.Sections[2].Data, &published); err != nil || len(published) == 0 {
		t.Fatalf("published_cases: %v, %d rows", err, len(published))
	}
	for _, r := range published {
		if r.Inside != (r.Published >= r.P5 && r.Published <= r.P95) {
			t.Errorf("published %+v", r)
		}
	}
}

// snakeCase is an identifier written for machines (one_off_cost,
// whole_model_2023): the back-test charts have no key path a user writes,
// so none belongs in them.
var snakeCase = regexp.MustCompile(`\b[a-z0-9]+_[a-z0-9_]+\b`)

// backtestChartsInWords is the plain-words scan (TestPlainWords) of the
// back-test's charts: no internal name, no number in exponent notation, no
// snake_case identifier, and every label says its measure in full.
func backtestChartsInWords(t *testing.T, dir string) {
	t.Helper()
	names := []string{calibration.MeasureOneOffCost, calibration.BasisSameYear, "FitDefaults", "LeaveOneOut",
		"steady_state_saving", "five_year_net", "whole_model_2023", "published_cases"}
	for _, f := range []string{"backtest-outturns.svg", "backtest-whole-model.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		text := visibleText(string(b))
		scan(t, f, text, names)
		if m := snakeCase.FindAllString(text, 5); len(m) > 0 {
			t.Errorf("%s: identifiers %q", f, m)
		}
		// A long case name may be shortened, never what is measured.
		for rest := text; strings.Contains(rest, "…"); {
			_, rest, _ = strings.Cut(rest, "…")
			if !strings.HasPrefix(rest, ": one-off cost") && !strings.HasPrefix(rest, ": savings, year ") {
				t.Errorf("%s: a label is cut short: %q", f, "…"+rest[:min(len(rest), 40)])
			}
		}
		if !strings.Contains(text, ": one-off cost") || !strings.Contains(text, ": savings, year ") {
			t.Errorf("%s: labels do not say their measure: %q", f, text)
		}
	}
}
