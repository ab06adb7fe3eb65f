package calibration

import (
	"math"
	"testing"
)

func TestBacktest(t *testing.T) {
	rows, err := Outturns()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 6 {
		t.Fatalf("%d outturn rows", len(rows))
	}
	bt, coverage := Backtest(rows)
	for _, r := range bt {
		t.Logf("%-26s %-12s ratio %.2f percentile %.3f inside %v", r.Case, r.Measure, r.Ratio, r.Percentile, r.Inside90)
	}
	t.Logf("coverage %.2f", coverage)
	// Northamptonshire by hand: ln(43.5/29.9 / 1.05) / sigma, sigma = ln(1.5/1.05)/z90.
	sigma := math.Log(1.5/1.05) / 1.2815515655446004
	z := math.Log(43.5/29.9/1.05) / sigma
	want := 0.5 * math.Erfc(-z/math.Sqrt2)
	if got := bt[0].Percentile; math.Abs(got-want) > 1e-9 {
		t.Errorf("Northamptonshire percentile %g, hand %g", got, want)
	}
}
