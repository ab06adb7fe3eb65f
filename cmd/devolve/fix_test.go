package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/render/report"
)

func TestRunFix(t *testing.T) {
	bg := context.Background()
	code, out, stderr := runCLI(t, bg, "run", "suffolk", "--iterations", "3000", "--fix", "it_overrun=2.5", "--format", "json", "--quiet")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var fixed report.RunReport
	if err := json.Unmarshal([]byte(out), &fixed); err != nil {
		t.Fatal(err)
	}
	_, out, _ = runCLI(t, bg, "run", "suffolk", "--iterations", "3000", "--format", "json", "--quiet")
	var free report.RunReport
	if err := json.Unmarshal([]byte(out), &free); err != nil {
		t.Fatal(err)
	}
	if fixed.Fixed["it_overrun"] != 2.5 || free.Fixed != nil {
		t.Errorf("fixed %v, free %v", fixed.Fixed, free.Fixed)
	}
	// An overrun factor of 2.5 is above its median: one-off costs rise.
	if !(fixed.Summary.OneOffCost.P50 > free.Summary.OneOffCost.P50) {
		t.Errorf("one-off cost P50 %v with it_overrun=2.5, %v without", fixed.Summary.OneOffCost.P50, free.Summary.OneOffCost.P50)
	}
	for _, bad := range []string{"nope=1", "it_overrun=x", "it_overrun", "it_overrun=Inf"} {
		code, _, stderr := runCLI(t, bg, "run", "suffolk", "--iterations", "100", "--fix", bad)
		if code != exitUsage || !strings.Contains(stderr, "fix") {
			t.Errorf("--fix %s: exit %d, %q", bad, code, stderr)
		}
	}
}

// TestCompareFix: compare --fix fixes the input in every option that has
// it (both options' one-off costs rise with it_overrun above its median),
// records it, and refuses a name no option has or a value it cannot take.
func TestCompareFix(t *testing.T) {
	bg := context.Background()
	var reps [2]report.CompareReport
	for i, extra := range [][]string{nil, {"--fix", "it_overrun=2.5"}} {
		code, out, stderr := runCLI(t, bg, append([]string{"compare", "suffolk", "suffolk-two", "--iterations", "2000", "--format", "json"}, extra...)...)
		if code != exitOK {
			t.Fatal(stderr)
		}
		if err := json.Unmarshal([]byte(out), &reps[i]); err != nil {
			t.Fatal(err)
		}
	}
	free, fixed := reps[0], reps[1]
	if fixed.Fixed["it_overrun"] != 2.5 || free.Fixed != nil {
		t.Errorf("fixed %v, free %v", fixed.Fixed, free.Fixed)
	}
	for i := range free.Options {
		if !(fixed.Options[i].OneOffCost.P50 > free.Options[i].OneOffCost.P50) {
			t.Errorf("option %d: one-off cost P50 %v with it_overrun=2.5, %v without", i+1, fixed.Options[i].OneOffCost.P50, free.Options[i].OneOffCost.P50)
		}
	}
	code, out, _ := runCLI(t, bg, "compare", "suffolk", "suffolk-two", "--iterations", "2000", "--fix", "it_overrun=2.5")
	if code != exitOK || !strings.Contains(out, "inputs fixed (--fix) in every option that has them: it_overrun=2.5") {
		t.Errorf("compare's table does not say what is fixed:\n%s", out)
	}
	for bad, want := range map[string]string{"nope=1": "no such input in any option", "it_overrun=x": "-fix", "it_overrun=-2": "outside the input's range"} {
		code, _, stderr := runCLI(t, bg, "compare", "suffolk", "suffolk-two", "--iterations", "100", "--fix", bad)
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("--fix %s: exit %d, %q", bad, code, stderr)
		}
	}
}
