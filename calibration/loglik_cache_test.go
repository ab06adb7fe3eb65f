package calibration

import (
	"slices"
	"testing"
)

// TestRowLogLikCache: a remembered table is the one computed afresh, bit
// for bit; a second fit of the same row shares it; and a row whose value
// differs gets its own table (so a held-out row's change cannot be served
// an old table).
func TestRowLogLikCache(t *testing.T) {
	rows := outturns(t)
	pr := DefaultFitPriors()
	pr.GridPoints = 5
	g := newSavingsGrid(pr)
	tested := 0
	for _, o := range rows {
		if o.Measure != MeasureSavings || o.Weight() == 0 {
			continue
		}
		fresh := g.logLik(o)
		if o.SE > 0 {
			fresh = g.logLikMeasured(o)
		}
		a, b := g.rowLogLik(pr, o), g.rowLogLik(pr, o)
		if !slices.Equal(a, fresh) || &a[0] != &b[0] {
			t.Errorf("%s: cached table differs from a fresh one or is not shared", o.Case)
		}
		changed := o
		changed.Realised *= 2
		changed.YearRatios = slices.Clone(o.YearRatios)
		for i := range changed.YearRatios {
			changed.YearRatios[i] *= 2
		}
		if c := g.rowLogLik(pr, changed); slices.Equal(c, a) {
			t.Errorf("%s: a changed row was served the old table", o.Case)
		}
		tested++
	}
	if tested < 10 {
		t.Errorf("%d savings rows with weight, want at least 10", tested)
	}
}
