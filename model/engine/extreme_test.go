package engine

import (
	"math"
	"testing"
)

// TestSummarizeExtremes: summaries of values spanning more than the largest
// double (a normal with sd 1e308 panicked with an index out of range),
// of infinities and of NaN never panic, and their percentiles are the
// type-7 values of the sorted data.
func TestSummarizeExtremes(t *testing.T) {
	for name, x := range map[string][]float64{
		"±1e308":      {-1e308, 1e308, 0, 5, -1.7e308, 1.7e308, 3},
		"with inf":    {math.Inf(1), -1e308, 1e308, math.Inf(-1), 2},
		"with NaN":    {math.NaN(), 1e308, -1e308, 1},
		"max doubles": {math.MaxFloat64, -math.MaxFloat64, math.MaxFloat64, -math.MaxFloat64},
	} {
		t.Run(name, func(t *testing.T) {
			s := Summarize(x)
			q := Quantiles(x, []float64{0, 0.5, 1})
			sorted := sortedCopy(x)
			n := len(x)
			for i, p := range []float64{0, 0.5, 1} {
				h := p * float64(n-1)
				lo := int(h)
				want := sorted[lo]
				if frac := h - float64(lo); frac > 0 && !math.IsNaN(sorted[lo]) {
					want = sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
				}
				if !(q[i] == want || math.IsNaN(q[i]) && math.IsNaN(want)) {
					t.Errorf("quantile %g = %g, want %g (sorted %v)", p, q[i], want, sorted)
				}
			}
			_ = s
		})
	}
}

func sortedCopy(x []float64) []float64 {
	s := append([]float64(nil), x...)
	// insertion sort with NaN first, as slices.Sort orders them
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func less(a, b float64) bool { return (math.IsNaN(a) && !math.IsNaN(b)) || a < b }
