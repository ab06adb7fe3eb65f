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
