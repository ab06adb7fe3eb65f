package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
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

// TestPrecisionPayback: --precision on the mean payback year targets the
// mean the headline table reports, over the trials that pay back (issue
// 19: every trial that never paid back made the interval ±NaN, so the
// rule ran to --max-iterations). The half-width is recomputed here from
// the summary's sd and the count of trials that pay back; a scenario
// that never pays back says so rather than printing ±NaN.
func TestPrecisionPayback(t *testing.T) {
	bg := context.Background()
	code, out, stderr := runCLI(t, bg, "run", "suffolk", "--precision", "1%", "--precision-output", "payback_years", "--max-iterations", "200000", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var rep struct {
		Iterations int    `json:"iterations"`
		StoppedBy  string `json:"stopped_by"`
		Precision  struct {
			Reached         bool
			Estimate        float64
			HalfWidth       float64 `json:"half_width"`
			TargetHalfWidth float64 `json:"target_half_width"`
			Trials          int     `json:"trials"`
			Finite          int     `json:"finite_trials"`
		}
		Summary struct {
			Payback struct {
				Mean   float64 `json:"mean"`
				SD     float64 `json:"sd"`
				PNever float64 `json:"p_never"`
			} `json:"payback_years"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	p, s := rep.Precision, rep.Summary.Payback
	if rep.StoppedBy != "precision" || !p.Reached || !(p.HalfWidth <= p.TargetHalfWidth) {
		t.Errorf("stopped by %q after %d trials: %+v", rep.StoppedBy, rep.Iterations, p)
	}
	if s.PNever == 0 {
		t.Fatal("no suffolk trial fails to pay back: the test needs some that do")
	}
	never := int(math.Round(s.PNever * float64(rep.Iterations)))
	if p.Trials != rep.Iterations || p.Finite != rep.Iterations-never {
		t.Errorf("over %d of %d trials; want %d of %d (p_never %g)", p.Finite, p.Trials, rep.Iterations-never, rep.Iterations, s.PNever)
	}
	if p.Estimate != s.Mean {
		t.Errorf("estimate %g, the table's mean %g", p.Estimate, s.Mean)
	}
	if want := 1.959963984540054 * s.SD / math.Sqrt(float64(p.Finite)); math.Abs(p.HalfWidth-want) > 1e-9*want {
		t.Errorf("half-width %g, want 1.96 sd/sqrt(m) = %g", p.HalfWidth, want)
	}
	code, out, stderr = runCLI(t, bg, "run", "suffolk", "--precision", "1%", "--precision-output", "payback_years", "--max-iterations", "200000")
	if code != 0 || !strings.Contains(out, "mean payback_years (over the "+strconv.Itoa(p.Finite)+" of "+strconv.Itoa(p.Trials)+" trials that pay back within the horizon) 95% interval ±") || strings.Contains(out, "NaN") {
		t.Errorf("exit %d, stderr %q; the stop line does not say what the mean is over:\n%.600s", code, stderr, out)
	}

	// Costs no saving repays: no trial pays back.
	base, err := os.ReadFile("testdata/base_valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "never.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(string(base), "amount: 5m,", "amount: 50bn,", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = runCLI(t, bg, "run", file, "--precision", "1%", "--precision-output", "payback_years", "--max-iterations", "20000")
	if code != 0 || !strings.Contains(out, "mean payback_years (over the 0 of 20000 trials that pay back within the horizon) has no interval (fewer than two trials pay back), target NOT reached") || strings.Contains(out, "NaN") {
		t.Errorf("exit %d, stderr %q:\n%.600s", code, stderr, out)
	}
}
