package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestSecondPassSameJSON: at 60,000 trials of reference model R (200,000 in the engine's own test), the
// bounded-memory second pass gives JSON identical to the kept draws' but
// for the fields that name the method.
func TestSecondPassSameJSON(t *testing.T) {
	bg := context.Background()
	args := []string{"run", "reference-r", "--iterations", "60000", "--seed", "3", "--format", "json", "--exact-percentiles"}
	code, kept, stderr := runCLI(t, bg, append(args, "kept")...)
	if code != 0 {
		t.Fatal(stderr)
	}
	code, bounded, stderr := runCLI(t, bg, append(args, "second-pass")...)
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.Contains(bounded, `"percentile_method": "second-pass"`) || !strings.Contains(bounded, `"passes": 2`) {
		t.Errorf("second pass not recorded")
	}
	bounded = strings.Replace(bounded, `"percentile_method": "second-pass"`, `"percentile_method": "kept"`, 1)
	bounded = strings.Replace(bounded, `"passes": 2`, `"passes": 1`, 1)
	if kept != bounded {
		t.Error("second-pass JSON differs from kept-draws JSON")
	}
}

// TestPrecisionRun: a precision run reports its stopping rule and
// achieved half-width, within target, identically for 1 and 2 workers;
// bad precision flags exit 2 naming the flag.
func TestPrecisionRun(t *testing.T) {
	bg := context.Background()
	var ref string
	for _, w := range []string{"1", "2"} {
		code, out, stderr := runCLI(t, bg, "run", "reference-r", "--precision", "1%", "--precision-stat", "p50", "--workers", w, "--format", "json")
		if code != 0 {
			t.Fatal(stderr)
		}
		if ref == "" {
			ref = out
		} else if out != ref {
			t.Error("precision run differs between 1 and 2 workers")
		}
	}
	var rep struct {
		Iterations int    `json:"iterations"`
		StoppedBy  string `json:"stopped_by"`
		Precision  struct {
			Reached         bool
			Estimate        float64
			HalfWidth       float64 `json:"half_width"`
			TargetHalfWidth float64 `json:"target_half_width"`
		}
		Summary struct {
			NPV struct {
				P50 float64 `json:"p50"`
			} `json:"npv"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(ref), &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.Precision
	if rep.StoppedBy != "precision" || !p.Reached || p.HalfWidth > p.TargetHalfWidth || p.TargetHalfWidth != 0.01*p.Estimate || p.Estimate != rep.Summary.NPV.P50 {
		t.Errorf("%d trials, stopped by %q: %+v (P50 %g)", rep.Iterations, rep.StoppedBy, p, rep.Summary.NPV.P50)
	}
	for _, c := range []struct{ args, err string }{
		{"--precision 0%", "--precision: must be a positive"},
		{"--precision abc", "--precision: must be a positive"},
		{"--precision 1% --iterations 5000", "--iterations: with --precision"},
		{"--precision 1% --precision-stat p7", "--precision-stat: must be"},
		{"--precision 1% --precision-output npvv", "--precision-output: must be"},
		{"--exact-percentiles sketch", "--exact-percentiles: must be"},
		{"--precision 1% --precision-stat p5 --exact-percentiles second-pass", "a percentile target is checked on the kept draws"},
		{"--precision 1% --precision-stat p5 --max-iterations 1000000000", "--max-iterations: a percentile target keeps every draw"},
	} {
		code, _, stderr := runCLI(t, bg, append([]string{"run", "reference-r"}, strings.Fields(c.args)...)...)
		if code != exitUsage || !strings.Contains(stderr, c.err) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.err)
		}
	}
}
