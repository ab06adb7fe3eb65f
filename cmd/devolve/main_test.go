package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func runCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	bg := context.Background()
	for _, c := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no args", nil, exitUsage, "Commands:"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"version", []string{"version"}, exitOK, ""},
		{"list", []string{"list"}, exitOK, ""},
		{"run default", []string{"run", "--iterations", "2000"}, exitOK, ""},
		{"flags after file", []string{"run", "reference-r", "--iterations", "2000", "--format", "json"}, exitOK, ""},
		{"bad format", []string{"run", "--format", "xml"}, exitUsage, "--format: must be one of"},
		{"bad iterations", []string{"run", "--iterations", "0"}, exitUsage, "--iterations: must be between"},
		{"missing file", []string{"run", "no/such.yaml"}, exitUsage, "no/such.yaml: no such file"},
		{"invalid scenario", []string{"run", "../../scenarios/testdata/invalid/unknown_key.yaml"}, exitUsage, `horizn: unknown key (did you mean "horizon"?)`},
		{"validate ok", []string{"validate", "../../scenarios/reference-r.yaml", "suffolk"}, exitOK, ""},
		{"validate bad", []string{"validate", "../../scenarios/testdata/invalid/probability.yaml"}, exitUsage, "risks[0].probability"},
		{"draws without out", []string{"run", "--draws"}, exitUsage, "--draws: needs --out"},
		{"too much memory", []string{"run", "--iterations", "40000000", "--draws", "--out", "/tmp/never"}, exitUsage, "GB of memory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, bg, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, stderr)
			}
			if !strings.Contains(stderr, c.err) {
				t.Errorf("stderr %q does not contain %q", stderr, c.err)
			}
		})
	}
}

// TestJSONSchema checks the documented top-level and summary keys.
func TestJSONSchema(t *testing.T) {
	code, out, stderr := runCLI(t, context.Background(), "run", "suffolk", "--iterations", "3000", "--seed", "7", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "version", "seed", "iterations", "scenario_sha256", "summary"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing top-level key %q", k)
		}
	}
	if doc["seed"].(float64) != 7 || doc["iterations"].(float64) != 3000 {
		t.Errorf("seed/iterations not recorded: %v %v", doc["seed"], doc["iterations"])
	}
	sum := doc["summary"].(map[string]any)
	for _, k := range []string{"npv", "steady_state_saving", "one_off_cost", "payback_years", "p_npv_positive",
		"p_payback_within_5y", "years", "by_successor", "by_line", "service_quality"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("missing summary key %q", k)
		}
	}
	for _, k := range []string{"npv", "steady_state_saving", "one_off_cost", "payback_years"} {
		st := sum[k].(map[string]any)
		for _, f := range []string{"mean", "mcse", "sd", "p5", "p10", "p50", "p90", "p95"} {
			if _, ok := st[f]; !ok {
				t.Errorf("%s lacks %q", k, f)
			}
		}
	}
	y := sum["years"].([]any)[0].(map[string]any)
	for _, f := range []string{"year", "net", "cumulative"} {
		if _, ok := y[f]; !ok {
			t.Errorf("years[0] lacks %q", f)
		}
	}
}

// TestWorkersBitIdentical: the JSON output is byte-identical for 1 and 2 workers.
func TestWorkersBitIdentical(t *testing.T) {
	_, a, _ := runCLI(t, context.Background(), "run", "suffolk", "--iterations", "5000", "--workers", "1", "--format", "json")
	_, b, _ := runCLI(t, context.Background(), "run", "suffolk", "--iterations", "5000", "--workers", "2", "--format", "json")
	if a != b || a == "" {
		t.Error("outputs differ between 1 and 2 workers")
	}
}

func TestOutDirAndInterrupt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI(t, context.Background(), "run", "reference-r", "--iterations", "2000", "--out", dir, "--draws", "--format", "csv")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"summary.json", "summary.csv", "summary.md", "fan.svg", "fan.png", "scurve.png", "histogram.svg", "waterfall.png", "draws.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	draws, _ := os.ReadFile(filepath.Join(dir, "draws.csv"))
	if n := strings.Count(string(draws), "\n"); n != 2001 {
		t.Errorf("draws.csv has %d lines, want 2001 (a header, no comment line)", n)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 16 { // 4 data files, results.xlsx, draws.parquet, sips.json, 4 charts (no quality indicators) x PNG, SVG, manifest.json
		t.Errorf("out dir holds %d entries, want 16 (no temporary files)", len(entries))
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir2 := filepath.Join(t.TempDir(), "out2")
	code, _, stderr = runCLI(t, ctx, "run", "reference-r", "--iterations", "200000", "--out", dir2)
	if code != exitInterrupted || !strings.Contains(stderr, "interrupted") {
		t.Errorf("interrupted run: exit %d, stderr %q", code, stderr)
	}
	if entries, _ := os.ReadDir(dir2); len(entries) != 0 {
		t.Errorf("interrupted run left %d files", len(entries))
	}
}

// TestDeterministicMode: reference R at its medians, checked against the
// value of R's NPV with every input at its median, computed independently
// here from REFERENCE_MODEL.md.
func TestDeterministicMode(t *testing.T) {
	code, out, stderr := runCLI(t, context.Background(), "run", "reference-r", "--deterministic", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var doc struct {
		Summary struct {
			NPV struct{ Mean float64 } `json:"npv"`
		} `json:"summary"`
	}
	json.Unmarshal([]byte(out), &doc)
	if want := referenceRAtMedians(); abs(doc.Summary.NPV.Mean-want) > 1 {
		t.Errorf("deterministic NPV %.0f, hand calculation %.0f", doc.Summary.NPV.Mean, want)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestNationalOutDraws: national --out writes the summary set and, with
// --draws, every trial's national totals, whose mean is the summary's.
func TestNationalOutDraws(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nat")
	code, _, stderr := runCLI(t, context.Background(), "national", "--unitaries", "2", "--iterations", "300", "--out", dir, "--draws", "--quiet")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"summary.json", "summary.csv", "summary.md", "draws.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "draws.csv"))
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 301 {
		t.Fatalf("draws.csv: %d lines, want 301 (a header, no comment line)", len(lines))
	}
	sum := 0.0
	for _, l := range lines[1:] {
		v, err := strconv.ParseFloat(strings.Split(l, ",")[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		sum += v
	}
	var doc struct {
		National struct {
			NPV struct {
				Mean float64 `json:"mean"`
			} `json:"npv"`
		} `json:"national"`
	}
	js, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if m := sum / 300; math.Abs(m-doc.National.NPV.Mean) > 1e-6*math.Abs(m) {
		t.Errorf("mean of draws %v, summary mean %v", m, doc.National.NPV.Mean)
	}
	if code, _, _ := runCLI(t, context.Background(), "national", "--iterations", "10", "--draws"); code != 2 {
		t.Errorf("--draws without --out: exit %d, want 2", code)
	}
}

// TestNationalLines: national --lines gives England's costs and savings by
// year and by line, with each area's totals; the areas' net means add up
// to England's in the CSV, year by year, in the cash view too; --out adds
// the fan chart by year; --prices cash without --lines is a usage error.
func TestNationalLines(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nat")
	code, out, stderr := runCLI(t, context.Background(), "national", "--iterations", "400", "--quiet", "--lines", "--prices", "cash",
		"--format", "csv", "--out", dir)
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"national-fan.png", "national-fan.svg", "summary.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	england, areas := map[string]float64{}, map[string]float64{}
	nAreas := map[string]bool{}
	lines := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Split(l, ",")
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		switch {
		case strings.HasPrefix(f[1], "cash:line:"):
			lines++
		case !strings.HasPrefix(f[1], "cash:net["):
		case f[0] == "national":
			england[f[1]] = v
		default:
			areas[f[1]] += v
			nAreas[f[0]] = true
		}
	}
	if len(nAreas) != 21 || len(england) != 11 || lines == 0 {
		t.Fatalf("%d areas, %d years, %d line rows", len(nAreas), len(england), lines)
	}
	for k, v := range england {
		if math.Abs(areas[k]-v) > 1e-6*math.Max(1, math.Abs(v)) {
			t.Errorf("%s: areas sum to %.0f, England %.0f", k, areas[k], v)
		}
	}
	var doc struct {
		YearLines struct {
			Prices  string `json:"prices"`
			SplitBy string `json:"split_by"`
		} `json:"year_lines"`
	}
	js, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(js, &doc); err != nil || doc.YearLines.Prices != "cash" || doc.YearLines.SplitBy != "area" {
		t.Errorf("summary.json year_lines: %+v, %v", doc.YearLines, err)
	}
	if code, _, _ := runCLI(t, context.Background(), "national", "--iterations", "10", "--prices", "cash"); code != 2 {
		t.Errorf("--prices cash without --lines: exit %d, want 2", code)
	}
	if code, _, stderr := runCLI(t, context.Background(), "bridge", "suffolk-2025", "--lines", "--deterministic"); code != 2 || !strings.Contains(stderr, "--lines") {
		t.Errorf("bridge --lines --deterministic: exit %d: %s", code, stderr)
	}
}

// TestNationalSharingFlags: --shared and --independent choose the
// brackets and are recorded in the JSON; both together are a usage error.
func TestNationalSharingFlags(t *testing.T) {
	for _, c := range []struct {
		flag, want string
	}{{"", "fitted"}, {"--shared", "shared"}, {"--independent", "independent"}} {
		args := []string{"national", "--iterations", "200", "--quiet", "--format", "json"}
		if c.flag != "" {
			args = append(args, c.flag)
		}
		code, out, stderr := runCLI(t, context.Background(), args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		var doc struct {
			Sharing     string             `json:"sharing"`
			CommonShare map[string]float64 `json:"common_share"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Sharing != c.want || (c.want == "fitted") != (len(doc.CommonShare) == 3) {
			t.Errorf("%s: sharing %q, common shares %v", c.flag, doc.Sharing, doc.CommonShare)
		}
	}
	if code, _, stderr := runCLI(t, context.Background(), "national", "--shared", "--independent"); code != 2 || !strings.Contains(stderr, "not both") {
		t.Errorf("--shared --independent: exit %d: %s", code, stderr)
	}
}

// TestScaleUsage: devolve scale needs one of AREA and --national; a wrong
// area or too many unitaries is a usage error (exit 2) naming the problem;
// the summary sentence opens the table and is in the JSON.
func TestScaleUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"scale"}, "give an AREA or --national"},
		{[]string{"scale", "Suffolk", "--national"}, "give an AREA or --national"},
		{[]string{"scale", "Sufolk"}, "Suffolk"},
		{[]string{"scale", "Suffolk", "--unitaries", "9"}, "--unitaries"},
		{[]string{"scale", "Somerset", "--unitaries", "5", "--iterations", "10"}, "--unitaries: Somerset has 4 districts"},
		{[]string{"scale", "Suffolk", "--integration", "fast", "--iterations", "10"}, "--integration"},
	} {
		code, _, stderr := runCLI(t, context.Background(), c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	code, out, stderr := runCLI(t, context.Background(), "scale", "Suffolk", "--iterations", "500")
	if code != 0 || !strings.HasPrefix(out, "Suffolk, 1 unitary: 6 councils become 1;") {
		t.Errorf("exit %d (%s), output opens %.120q", code, stderr, out)
	}
	code, out, _ = runCLI(t, context.Background(), "scale", "Suffolk", "--iterations", "500", "--format", "json")
	var doc struct {
		Summary string `json:"summary"`
		Staff   struct {
			FTE struct{ Mid float64 } `json:"fte"`
		} `json:"staff_in_scope"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || !strings.Contains(doc.Summary, "councils become") || !(doc.Staff.FTE.Mid > 1000) {
		t.Errorf("json: exit %d, %v, %+v", code, err, doc)
	}
}

// TestOutcomesUsage: devolve outcomes takes an AREA or --national, never
// both; its table opens with the summary sentence.
func TestOutcomesUsage(t *testing.T) {
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	for _, args := range [][]string{{"outcomes"}, {"outcomes", "Suffolk", "--national"}} {
		if code, _, stderr := runCLI(t, context.Background(), args...); code != 2 || !strings.Contains(stderr, "give an AREA or --national") {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
	code, out, stderr := runCLI(t, context.Background(), "outcomes", "Suffolk", "--iterations", "500")
	if code != 0 || !strings.HasPrefix(out, "Suffolk, 1 unitary: about ") || !strings.Contains(out, "no measured gain in service quality") {
		t.Errorf("exit %d (%s): %.200q", code, stderr, out)
	}
}
