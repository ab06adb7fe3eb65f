package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompareJSON: documented keys; common random numbers make the paired
// interval narrower than the independent one; rank-first shares sum to 1.
func TestCompareJSON(t *testing.T) {
	code, out, stderr := runCLI(t, context.Background(), "compare", "suffolk", "suffolk-two", "--iterations", "5000", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var doc struct {
		Options []map[string]any `json:"options"`
		Pairs   []struct {
			A, B                 string
			DiffNPV              map[string]float64 `json:"diff_npv"`
			IndependentHalfwidth float64            `json:"independent_halfwidth"`
			PairedHalfwidth      float64            `json:"paired_halfwidth"`
			PBBetter             *float64           `json:"p_b_better"`
		} `json:"pairs"`
		PRankFirst map[string]float64 `json:"p_rank_first"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Options) != 2 || len(doc.Pairs) != 1 {
		t.Fatalf("options %d, pairs %d", len(doc.Options), len(doc.Pairs))
	}
	for _, k := range []string{"name", "npv", "one_off_cost", "steady_state_saving"} {
		if _, ok := doc.Options[0][k]; !ok {
			t.Errorf("option lacks %q", k)
		}
	}
	p := doc.Pairs[0]
	if p.PBBetter == nil || p.DiffNPV["mean"] == 0 {
		t.Errorf("pair incomplete: %+v", p)
	}
	if !(p.PairedHalfwidth < p.IndependentHalfwidth) {
		t.Errorf("paired half-width %g not below independent %g", p.PairedHalfwidth, p.IndependentHalfwidth)
	}
	sum := 0.0
	for _, v := range doc.PRankFirst {
		sum += v
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("p_rank_first sums to %g", sum)
	}
	// The mean difference equals the difference of the means.
	a := doc.Options[0]["npv"].(map[string]any)["mean"].(float64)
	b := doc.Options[1]["npv"].(map[string]any)["mean"].(float64)
	if math.Abs(p.DiffNPV["mean"]-(b-a)) > 1e-6*math.Abs(b-a) {
		t.Errorf("diff mean %g vs %g", p.DiffNPV["mean"], b-a)
	}
}

func TestSensitivityJSON(t *testing.T) {
	code, out, stderr := runCLI(t, context.Background(), "sensitivity", "reference-r", "--n", "1024",
		"--rank-trials", "2000", "--switch-trials", "1000", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var doc map[string][]map[string]any
	json.Unmarshal([]byte(out), &doc)
	for section, keys := range map[string][]string{
		"tornado":   {"input", "low", "high", "base", "swing"},
		"rank":      {"input", "spearman"},
		"sobol":     {"input", "s1", "s1_lo", "s1_hi", "st", "st_lo", "st_hi"},
		"switching": {"input", "value", "percentile", "none"},
	} {
		rows := doc[section]
		if len(rows) == 0 {
			t.Errorf("no %s rows", section)
			continue
		}
		for _, k := range keys {
			if _, ok := rows[0][k]; !ok {
				t.Errorf("%s lacks %q", section, k)
			}
		}
	}
	// R's largest swing is the back-office workforce (reduction share).
	if top := doc["tornado"][0]["input"]; top != "workforce.back_office" {
		t.Errorf("largest tornado swing %v", top)
	}
	code, _, stderr = runCLI(t, context.Background(), "sensitivity", "reference-r", "--output", "payback_years")
	if code != exitUsage {
		t.Errorf("payback output accepted: %d %s", code, stderr)
	}
}

func TestCalibrateCLI(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/good.csv"
	os.WriteFile(good, []byte("case,ratio\na,1.1\nb,1.3\nc,0.9\nd,2.5\ne,1.05\nf,1.2\ng,1.6\nh,0.95\n"), 0o644)
	os.WriteFile(dir+"/nan.csv", []byte("ratio\n1\nnan\n2\n"), 0o644)
	os.WriteFile(dir+"/neg.csv", []byte("ratio\n1\n-2\n3\n4\n"), 0o644)
	os.WriteFile(dir+"/two.csv", []byte("ratio\n1\n2\n"), 0o644)
	bg := context.Background()
	code, out, stderr := runCLI(t, bg, "calibrate", good, "--column", "ratio", "--bootstrap", "20", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var doc struct {
		N    int `json:"n"`
		Fits []struct {
			Family  string             `json:"family"`
			Params  map[string]float64 `json:"params"`
			AIC     *float64           `json:"aic"`
			KSP     *float64           `json:"ks_p"`
			ADP     *float64           `json:"ad_p"`
			Snippet string             `json:"snippet"`
		} `json:"fits"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.N != 8 || len(doc.Fits) < 4 || doc.Fits[0].AIC == nil || doc.Fits[0].KSP == nil || doc.Fits[0].Snippet == "" || len(doc.Warnings) == 0 {
		t.Errorf("calibrate json: %+v", doc)
	}
	for i := 1; i < len(doc.Fits); i++ {
		if *doc.Fits[i].AIC < *doc.Fits[i-1].AIC {
			t.Error("fits not sorted best first")
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"calibrate", good, "--column", "ratoi"}, `did you mean "ratio"`},
		{[]string{"calibrate", dir + "/nan.csv", "--column", "ratio"}, "row 3"},
		{[]string{"calibrate", dir + "/neg.csv", "--column", "ratio", "--families", "lognormal"}, "lognormal needs positive values"},
		{[]string{"calibrate", dir + "/two.csv", "--column", "ratio"}, "too few points"},
		{[]string{"calibrate", "--quantiles", "10:6m,50:5m"}, "quantiles must increase"},
	} {
		code, _, stderr := runCLI(t, bg, c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, stderr, c.want)
		}
	}
	if code, out, _ := runCLI(t, bg, "calibrate", "--list"); code != 0 || !strings.Contains(out, "it-cost-overrun") {
		t.Errorf("--list: %d %s", code, out)
	}
}

// TestCompareSwitchingLabels: compare --switching names each input group
// by its label in plain words (the scenario's own names escaped, as
// elsewhere), never by its internal group key, and gives the switching
// value in the input's unit. B adds to A a saving (hostile name) whose
// value decides which option is better, and a fixed running cost.
func TestCompareSwitchingLabels(t *testing.T) {
	dir := t.TempDir()
	base := strings.SplitN(minimalScenario("A", `"fin\e[1mance\nx,y"`), "\n", 2)[1]
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	os.WriteFile(a, []byte("name: A\n"+base), 0o644)
	os.WriteFile(b, []byte("name: B\n"+base+`items:
  - {name: "sha\e[1mred\nservice", kind: saving, amount: {dist: uniform, min: 0, max: 2m}, recurring: true}
  - {name: running_cost, kind: cost, amount: 1m, recurring: true}
`), 0o644)
	args := []string{"compare", a, b, "--iterations", "1000", "--switching", "--switch-trials", "400"}
	code, out, stderr := runCLI(t, context.Background(), append(args, "--format", "json")...)
	if code != exitOK {
		t.Fatal(stderr)
	}
	var doc struct {
		Switching []struct {
			Input string `json:"input"`
			Label string `json:"label"`
			Unit  string `json:"unit"`
			None  bool   `json:"none"`
		} `json:"switching"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	switches := 0
	for _, s := range doc.Switching {
		if s.Label == "" || s.Label == s.Input {
			t.Errorf("group %q has label %q", s.Input, s.Label)
		}
		keys[s.Input] = true
		if !s.None {
			switches++
		}
	}
	if switches == 0 {
		t.Fatal("nothing switches: the test's scenarios no longer test the table")
	}
	code, out, stderr = runCLI(t, context.Background(), args...)
	if code != exitOK {
		t.Fatal(stderr)
	}
	_, table, _ := strings.Cut(out, "Switching values:")
	table, _, _ = strings.Cut(table, "pairs cannot change")
	if strings.ContainsAny(table, "\x1b") {
		t.Errorf("the switching table carries a raw escape:\n%q", table)
	}
	for _, want := range []string{`Sha\x1b[1mred\nservice: annual saving at full effect`, "a year"} {
		if !strings.Contains(table, want) {
			t.Errorf("the switching table lacks %q:\n%s", want, table)
		}
	}
	for k := range keys {
		if strings.Contains(table, k) {
			t.Errorf("the switching table shows the internal group key %q:\n%s", k, table)
		}
	}
}
