package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

// inputsOf returns the number of inputs of a shipped scenario compiled.
func inputsOf(t *testing.T, name string) int {
	t.Helper()
	ld, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return len(c.Model.Inputs)
}

// TestMemoryGuards: with a 50 MB budget, every command that runs the
// engine refuses a run too large for it with exit 2, before allocating,
// and the figure it gives covers what the run would keep, counted here
// independently from the trials and the values kept per trial: the
// headline outputs (6), every input where the command keeps them (run
// --draws, report, bridge), the line flows by year (report; national and
// bridge with --lines, national also their sums over areas), the per-year
// savings and net of a bridge, and the sums of national and bridge. Working memory and the per-year fans
// (at most 100,000 trials) add at most slack.
func TestMemoryGuards(t *testing.T) {
	old := memoryBudget
	memoryBudget = func() (int64, string) { return 50e6, "a test's budget" }
	defer func() { memoryBudget = old }()

	suffolk := float64(inputsOf(t, "suffolk"))
	// The report also keeps each line's flow by year for its first 100,000
	// trials (4 bytes each; lgr.Compiled.WithLineYears).
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	lineYears := float64(len(sc.Lines) * sc.Years)
	a, err := area.FindArea("Suffolk")
	if err != nil {
		t.Fatal(err)
	}
	g, err := area.BuildArea(a, area.AreaOptions{Unitaries: 1})
	if err != nil {
		t.Fatal(err)
	}
	gc, err := lgr.Compile(g.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	bridgeIn := float64(len(gc.Model.Inputs))
	// With --lines a run samples every line's flow by year for its first
	// 100,000 trials beside its fan outputs (net, cumulative, successors,
	// quality: lgr.Compiled.Sampled), 4 bytes each; national also holds
	// England's sums of the lines (the areas' lines, here Suffolk's count).
	areaLines, areaFan := float64(len(gc.Lines)), float64(2+len(gc.Indicators))
	// The number of groups a Sobol' analysis of Suffolk reports under
	// the default grouping, read from a small one's output.
	code, js, stderr := runCLI(t, context.Background(), "sensitivity", "suffolk", "--method", "sobol", "--n", "1024", "--format", "json")
	var sob struct{ Sobol []json.RawMessage }
	if err := json.Unmarshal([]byte(js), &sob); code != 0 || err != nil || len(sob.Sobol) == 0 {
		t.Fatalf("a small Sobol' analysis: exit %d, %v, %s", code, err, stderr)
	}
	sobolGroups := float64(len(sob.Sobol))
	const fanTrials = 1e5
	const slack = 80e6
	dir := t.TempDir()
	const n = 3_000_000
	for _, c := range []struct {
		name string
		args []string
		kept float64 // bytes, counted here
	}{
		{"run", []string{"run", "suffolk", "--iterations", "3000000", "--exact-percentiles", "kept"}, n * 6 * 8},
		{"run --draws", []string{"run", "suffolk", "--iterations", "3000000", "--draws", "--out", filepath.Join(dir, "run")}, n * (6 + suffolk) * 8},
		{"compare", []string{"compare", "suffolk", "suffolk-two", "--iterations", "3000000"}, 2 * n * 6 * 8},
		{"report", []string{"report", "suffolk", "--iterations", "3000000", "--out", filepath.Join(dir, "r.html")}, n*(6+suffolk)*8 + 1e5*lineYears*4},
		{"serve", []string{"serve", "suffolk", "--trials", "1000000", "--addr", "127.0.0.1:0"}, 1e6 * 6 * 8},
		{"national", []string{"national", "--iterations", "3000000"}, n*6*8 + n*4*8},
		{"bridge", []string{"bridge", "suffolk-2025", "--iterations", "3000000"}, n*(2*31+bridgeIn)*8 + n*4*(31*8+24) + n*8},
		{"national --lines", []string{"national", "--iterations", "3000000", "--lines"}, n*6*8 + n*4*8 + fanTrials*11*(areaFan+2*areaLines)*4},
		{"bridge --lines", []string{"bridge", "suffolk-2025", "--iterations", "3000000", "--lines"},
			n*(2*31+bridgeIn)*8 + n*4*(31*8+24) + n*8 + fanTrials*31*(areaFan+areaLines)*4},
		// sensitivity keeps every input and the output for its rank
		// correlations, plus the output's mid-ranks and one input's while
		// they are made (two 16-byte sort keys and an 8-byte rank a
		// trial); for the Sobol' design, A and B (N rows of every input),
		// the outputs at A, B and each group's AB_g (N each), and the
		// uniforms of one of the 32 replicates (2d a row), reused.
		{"sensitivity rank", []string{"sensitivity", "suffolk", "--method", "rank", "--rank-trials", "3000000"}, n*(suffolk+2)*8 + n*40},
		{"sensitivity sobol", []string{"sensitivity", "suffolk", "--method", "sobol", "--n", "3000000"}, n*(2*suffolk+sobolGroups+2)*8 + 2*(n/32)*suffolk*8},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, context.Background(), c.args...)
			if code != exitUsage || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and nothing written", code, out, stderr)
			}
			m := regexp.MustCompile(`would need ([0-9.]+) (GB|MB) of memory \(limit 50 MB: a test's budget\)`).FindStringSubmatch(stderr)
			if m == nil {
				t.Fatalf("stderr %q does not give the figure and the limit", stderr)
			}
			need, _ := strconv.ParseFloat(m[1], 64)
			need *= map[string]float64{"GB": 1e9, "MB": 1e6}[m[2]]
			// The message rounds to 0.1 GB or 1 MB.
			if !(need >= c.kept-0.05e9 && need <= c.kept+slack+0.05e9) {
				t.Errorf("needs %.3g bytes; the kept values alone are %.3g (slack %.3g)", need, c.kept, slack)
			}
			if strings.Contains(stderr, "panic") {
				t.Error(stderr)
			}
		})
	}
}
