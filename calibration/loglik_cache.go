package calibration

import (
	"fmt"
	"sync"
)

// likCache remembers savings rows' log-likelihood tables: a table is a
// pure function of the priors (which fix the grid), the row's values that
// the likelihood reads and SavingsPhasing, so every fit of the same row on
// the same grid (each hold-out fold of the back-tests, each area of the
// whole-model back-test) shares one computation. Tables are never written
// after they are made. At most likCacheBytes are kept; beyond that tables
// are computed afresh.
var likCache struct {
	sync.Mutex
	tables map[string][]float64
	bytes  int
}

// likCacheBytes bounds likCache (a table on the default 13-point grid is
// 13^4 float64s, 228 KB).
const likCacheBytes = 64 << 20

// rowLogLik is g.logLikMeasuredYears(o) for a measured row fitted year by
// year, g.logLikMeasured(o) for another measured row (SE > 0), else
// g.logLik(o), remembered in likCache; g must be newSavingsGrid(pr).
func (g *savingsGrid) rowLogLik(pr FitPriors, o Outturn) []float64 {
	measured := o.SE > 0
	key := fmt.Sprintf("%v|%v|%v|%v|%v|%q|%v|%v|%v|%v|%v", measured, pr, o.Realised, o.Projected, o.SE, o.Basis, o.Year, o.Years, o.YearRatios, o.YearCov, SavingsPhasing)
	likCache.Lock()
	t, ok := likCache.tables[key]
	likCache.Unlock()
	if ok {
		return t
	}
	switch {
	case measured && g.yearByYear && len(o.YearRatios) > 0:
		t = g.logLikMeasuredYears(o)
	case measured:
		t = g.logLikMeasured(o)
	default:
		t = g.logLik(o)
	}
	likCache.Lock()
	defer likCache.Unlock()
	if likCache.tables == nil {
		likCache.tables = make(map[string][]float64)
	}
	if _, ok := likCache.tables[key]; !ok && likCache.bytes+8*len(t) <= likCacheBytes {
		likCache.tables[key] = t
		likCache.bytes += 8 * len(t)
	}
	return t
}
