package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestSwitchingReading: a switching value's reading gives the statistic's
// sign on each side of the value. The statistic has its P1 sign below the
// value (the input runs from P1 up to P99), so a benefit whose NPV is
// negative at P1 turns positive above the value, and a cost whose NPV is
// positive at P1 turns negative above it.
func TestSwitchingReading(t *testing.T) {
	v, p := 3.3, 0.99
	for _, c := range []struct {
		atP1, atP99 float64
		want        string
	}{
		{-1e6, 2e6, "mean is negative below 3.3, positive above"},
		{1e6, -2e6, "mean is positive below 3.3, negative above"},
	} {
		r := &SensitivityReport{Output: "npv", Switching: []SwitchRow{{Input: "x", Statistic: "mean", Value: &v, Percentile: &p, AtP1: c.atP1, AtP99: c.atP99}}}
		for _, format := range []string{"table", "markdown"} {
			write, _ := SensitivityRenderer(format)
			var out bytes.Buffer
			if err := write(&out, r); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), c.want) {
				t.Errorf("%s, P1 %g, P99 %g: want %q in\n%s", format, c.atP1, c.atP99, c.want, out.String())
			}
		}
	}
}
