package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/render/report"
)

// TestReadmeOutputsAreCurrent: the README's "Real output" blocks are what
// the commands print now, so a change that moves a figure must refresh
// them. Every line of a block (but the "│ ..." lines that mark an excerpt)
// must appear in the command's output, in order.
func TestReadmeOutputsAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's commands (about 15 s)")
	}
	t.Parallel() // the README tests and the back-test share no state: they overlap
	readme := readReadme(t)
	for _, c := range []struct {
		first string // the block's first line
		args  []string
	}{
		{"Suffolk, 1 unitary (embedded:suffolk)", []string{"run", "--iterations", "100000"}},
		{"Comparison on common random numbers: 100000 iterations, seed 1", []string{"compare", "suffolk", "suffolk-two", "--iterations", "100000"}},
		{"Costs and savings by year, mean (P5 to P95), undiscounted, cash", []string{"run", "suffolk-two", "--iterations", "20000", "--lines", "--prices", "cash"}},
		{"Tornado: each input from its P10 to its P90", []string{"sensitivity"}},
		{"England's 21 two-tier areas, 1 unitary per area", []string{"national", "--unitaries", "1", "--iterations", "20000"}},
		{"Costs and savings by year, mean (P5 to P95), undiscounted, real, 2022/23 prices", []string{"national", "--lines", "--iterations", "20000"}},
		{"England's 21 two-tier areas, 1 unitary per area: 185 councils become 21", []string{"scale", "--national", "--iterations", "20000"}},
		{"England's 21 two-tier areas, 1 unitary per area: about ", []string{"outcomes", "--national", "--iterations", "20000"}},
		{"│ published: net over years 0-5, undiscounted                      │               │          │", []string{"bridge", "pwc-ccn-2020"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			t.Parallel()
			checkReadmeBlock(t, readme, c.first, c.args)
		})
	}
}

// checkReadmeBlock runs devolve with args and checks that every line of
// the README's output block holding first (but "│ ..." excerpt marks)
// appears in its output, in order.
func checkReadmeBlock(t *testing.T, readme, first string, args []string) {
	t.Helper()
	block := ""
	fenced := strings.Split(readme, "```") // odd pieces are inside fences
	for i := 1; i < len(fenced); i += 2 {
		if strings.Contains(fenced[i], first) {
			block = fenced[i]
			break
		}
	}
	if block == "" {
		t.Errorf("README.md has no output block containing %q", first)
		return
	}
	code, out, stderr := runCLI(t, context.Background(), args...)
	if code != exitOK {
		t.Errorf("devolve %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		return
	}
	pos := 0
	for _, line := range strings.Split(block, "\n") {
		if strings.TrimSpace(line) == "" || line == "│ ..." {
			continue
		}
		k := strings.Index(out[pos:], line)
		if k < 0 {
			t.Errorf("README.md's output of `devolve %s` is stale: %q is not in what it prints now (refresh the block)", strings.Join(args, " "), line)
			return
		}
		pos += k + len(line)
	}
}

// TestReadmeIntegrationTable: the README's value of effective integration
// (connected minus federated, 50,000 trials) is what `compare` measures now.
func TestReadmeIntegrationTable(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's comparisons")
	}
	t.Parallel()
	readme := readReadme(t)
	for _, area := range []string{"suffolk", "kent"} {
		code, out, stderr := runCLI(t, context.Background(), "compare", "../../scenarios/integration/"+area+"-connected.yaml",
			"../../scenarios/integration/"+area+"-federated.yaml", "--iterations", "50000", "--format", "json")
		if code != exitOK {
			t.Fatalf("compare %s: exit %d: %s", area, code, stderr)
		}
		var doc struct {
			Options []struct {
				NPV struct{ Mean float64 } `json:"npv"`
			} `json:"options"`
			Pairs []struct {
				Diff struct{ Mean, P5, P95 float64 } `json:"diff_npv"`
			} `json:"pairs"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Options) != 2 || len(doc.Pairs) != 1 {
			t.Fatalf("compare %s: %v", area, err)
		}
		d := doc.Pairs[0].Diff
		row := fmt.Sprintf("| %s | %s | **%s** (%s to %s) |", report.Money(doc.Options[0].NPV.Mean), report.Money(doc.Options[1].NPV.Mean),
			report.Money(-d.Mean), report.Money(-d.P95), report.Money(-d.P5))
		if !strings.Contains(readme, row) {
			t.Errorf("README.md's integration table is stale for %s: want a row with %q", area, row)
		}
	}
}

// TestReadmeReportHeadline: the report headline the README quotes is the
// one `devolve report suffolk suffolk-two --iterations 100000` writes now.
func TestReadmeReportHeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's report")
	}
	t.Parallel()
	out := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := runCLI(t, context.Background(), "report", "suffolk", "suffolk-two", "--out", out, "--iterations", "100000"); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`There is a (\d+% chance that Suffolk, 1 unitary pays back its costs by \S+ \(year \d+\))`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no payback headline in the report")
	}
	if !strings.Contains(strings.Join(strings.Fields(readReadme(t)), " "), string(m[1])) {
		t.Errorf("README.md quotes a stale report headline: the report now says %q", m[1])
	}
}

// TestReadmeOutcomesSuffolk: the chances of decline the README quotes for
// Suffolk, and its statement that the generated scenarios still assume
// gains at the horizon, are what `devolve outcomes Suffolk` gives now (so
// a change to the areas' quality defaults must rewrite the paragraph).
func TestReadmeOutcomesSuffolk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's outcomes")
	}
	t.Parallel() // with the README tests: no shared state, no timing or memory measured
	code, out, stderr := runCLI(t, context.Background(), "outcomes", "Suffolk", "--format", "json")
	if code != exitOK {
		t.Fatalf("outcomes: exit %d: %s", code, stderr)
	}
	var doc struct {
		Quality []struct {
			Indicator string  `json:"indicator"`
			Worst     float64 `json:"p_decline_in_some_year"`
			End       struct {
				Mean float64 `json:"mean"`
			} `json:"change_at_horizon"`
		} `json:"quality"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	q := map[string]float64{}
	gains := true
	for _, x := range doc.Quality {
		q[x.Indicator] = x.Worst
		if x.Indicator != "contacts_online" && !(x.End.Mean > 0) {
			gains = false
		}
	}
	readme := strings.Join(strings.Fields(readReadme(t)), " ")
	want := fmt.Sprintf("the chance of some year worse than the baseline is %.0f%% for Housing Benefit days, %.0f%% for planning on time and %.0f%% for contacts online",
		100*q["housing_benefit_new_claim_days"], 100*q["major_planning_on_time"], 100*q["contacts_online"])
	if !strings.Contains(readme, want) {
		t.Errorf("README.md's Suffolk outcomes are stale: want %q", want)
	}
	switch claim := "at the horizon the generated scenarios still assume small gains"; {
	case strings.Contains(readme, claim) && !gains:
		t.Errorf("README.md says %q, but the mean changes at the horizon are no longer gains: rewrite it", claim)
	case !strings.Contains(readme, claim) && gains:
		t.Errorf("README.md no longer says %q, but the mean changes at the horizon are gains", claim)
	}
}

func readReadme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
