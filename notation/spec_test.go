package notation

import (
	"math"
	"strings"
	"testing"
)

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"1200000", 1.2e6}, {"1,200,000", 1.2e6}, {"£1.2m", 1.2e6}, {"450k", 450e3},
		{"15%", 0.15}, {"2.5bn", 2.5e9}, {"-£3m", -3e6}, {" 45K ", 45e3},
		{"1,500", 1500}, {"£1,200.5k", 1.2005e6}, {"-£12,345,678", -12345678}, {"1,000%", 10},
	} {
		got, err := ParseAmount(c.in)
		if err != nil || math.Abs(got-c.want) > 1e-9*math.Abs(c.want) {
			t.Errorf("ParseAmount(%q) = %g, %v; want %g", c.in, got, err, c.want)
		}
	}
	// Commas other than thousands separators (issue 19: "2,5%" was read as
	// 25%, "5,5m" as £55m).
	for _, bad := range []string{"", "abc", "nan", "inf", "£", "1.2mm",
		"2,5%", "5,5m", "1,2345", "12,34,567", ",500", "1,500,", "1.5,000", "1,,500", "1, 500", "1,500.2,5"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) accepted", bad)
		}
	}
}

func TestFromSpec(t *testing.T) {
	for _, c := range []struct {
		name string
		spec any
		mean float64
		p    float64 // a quantile level to check, with its value
		q    float64
	}{
		{"number", 1200000, 1.2e6, 0.5, 1.2e6},
		{"money", "£1.2m", 1.2e6, 0.5, 1.2e6},
		{"range lognormal", "15m to 45m", math.NaN(), 0.95, 45e6},
		{"range normal", "-5m to 5m", 0, 0.05, -5e6},
		{"pert", map[string]any{"dist": "pert", "min": "60k", "mode": "150k", "max": "500k"}, (60e3 + 600e3 + 500e3) / 6, math.NaN(), 0},
		{"lognormal p10 p90", map[string]any{"dist": "lognormal", "p10": 6e6, "p90": "25m"}, math.NaN(), 0.9, 25e6},
		{"lognormal median", map[string]any{"dist": "lognormal", "median": 1.1, "p80": 1.4}, math.NaN(), 0.5, 1.1},
		{"normal", map[string]any{"dist": "normal", "mean": "45k", "sd": "3k"}, 45e3, 0.5, 45e3},
		{"uniform_int", map[string]any{"dist": "uniform_int", "min": 1, "max": 5}, 3, 0.5, 3},
		{"shifted", map[string]any{"dist": "uniform", "min": 0, "max": 1, "shift": 1}, 1.5, 0.5, 1.5},
		{"gamma scale", map[string]any{"dist": "gamma", "shape": 2, "scale": 3}, 6, math.NaN(), 0},
		{"mixture", map[string]any{"dist": "mixture", "weights": []any{0.25, 0.75},
			"components": []any{1.0, map[string]any{"dist": "fixed", "value": 3}}}, 2.5, 0.2, 1},
		{"truncated", map[string]any{"dist": "normal", "mean": 0, "sd": 1, "truncate": []any{0, nil}}, math.Sqrt(2 / math.Pi), 0.5, 0.6744897501960817},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := FromSpec(c.spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !math.IsNaN(c.mean) && math.Abs(d.Mean()-c.mean) > 1e-3*math.Max(1, math.Abs(c.mean)) {
				t.Errorf("mean %g, want %g", d.Mean(), c.mean)
			}
			if !math.IsNaN(c.p) && math.Abs(d.Quantile(c.p)-c.q) > 1e-6*math.Max(1, math.Abs(c.q)) {
				t.Errorf("quantile(%g) = %g, want %g", c.p, d.Quantile(c.p), c.q)
			}
		})
	}
}

func TestFromSpecErrors(t *testing.T) {
	for _, c := range []struct {
		spec any
		want string
	}{
		{map[string]any{"dist": "lognormal", "p5": 45e6, "p95": 15e6}, "p95: must be greater than p5"},
		{map[string]any{"dist": "pertt", "min": 1}, `did you mean "pert"`},
		{map[string]any{"dist": "pert", "min": 1, "mod": 2, "max": 3}, `mod: unknown key for dist pert (did you mean "mode"?)`},
		{map[string]any{"dist": "bernoulli", "p": 1.5}, "p: must be a probability in [0, 1]"},
		{map[string]any{"dist": "mixture", "weights": []any{0.5, 0.6}, "components": []any{1, 2}}, "weights: must sum to 1"},
		{map[string]any{"dist": "normal", "mean": math.NaN(), "sd": 1}, "mean: must be a finite number"},
		{"10m to 5m", "upper end must be greater"},
		{true, "expected a number"},
	} {
		_, err := FromSpec(c.spec, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FromSpec(%v) error %v, want it to contain %q", c.spec, err, c.want)
		}
	}
}

// TestEqualPercentileLevels (issue 19): p50 and p50.0 (or median and p50)
// are one level given twice: always the same error, naming the later key,
// never a message that changes from run to run.
func TestEqualPercentileLevels(t *testing.T) {
	for _, spec := range []map[string]any{
		{"dist": "lognormal", "p50": 10, "p50.0": 12},
		{"dist": "lognormal", "median": 10, "p50": 11},
		{"dist": "metalog", "p10": 1, "p50": 2, "p50.00": 3, "p90": 5},
	} {
		var first string
		for i := range 50 {
			_, err := FromSpec(spec, nil)
			if err == nil || !strings.Contains(err.Error(), "same percentile level") {
				t.Fatalf("%v: %v", spec, err)
			}
			if i == 0 {
				first = err.Error()
			} else if err.Error() != first {
				t.Fatalf("%v: message changes: %q then %q", spec, first, err)
			}
		}
	}
}
