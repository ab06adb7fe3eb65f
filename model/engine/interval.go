package engine

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/mathext"
)

// Confidence is the coverage of every interval the engine reports: the
// precision rule's interval and the percentile intervals behind each
// percentile's Monte Carlo standard error.
const Confidence = 0.95

// z975 is the standard normal's 0.975 quantile: a 95% normal interval is
// mean ± z975 · MCSE.
const z975 = 1.959963984540054

// binomCDF is P(B <= k) for B ~ Binomial(n, p): I_{1-p}(n-k, k+1)
// (Abramowitz and Stegun 26.5.24), 1 for k >= n and 0 for k < 0.
func binomCDF(n, k int, p float64) float64 {
	switch {
	case k < 0:
		return 0
	case k >= n:
		return 1
	}
	return mathext.RegIncBeta(float64(n-k), float64(k+1), 1-p)
}

// QuantileCIRanks returns the 0-based ranks lo <= hi of the order
// statistics that bound a distribution-free interval for the p-quantile of
// the distribution n values were drawn from, with coverage at least
// Confidence: with B ~ Binomial(n, p) the number of values below the
// quantile, x_(lo) <= ξ_p < x_(hi) exactly when lo < B <= hi, so lo is
// the largest k with P(B <= k) <= α/2 and hi the smallest k with
// P(B <= k) >= 1-α/2 (David and Nagaraja 2003, §7.1; Hahn and Meeker 1991,
// §5.2). Where n is too small for such a lo (or hi) the rank is clamped
// to 0 (or n-1) and the coverage is less than stated. Ranks are cached by
// (n, p): they are the same for every output of a run.
func QuantileCIRanks(n int, p float64) (lo, hi int) {
	if n <= 1 {
		return 0, 0
	}
	key := ciKey{n, p}
	if r, ok := ciCache.Load(key); ok {
		v := r.([2]int)
		return v[0], v[1]
	}
	a := (1 - Confidence) / 2
	// lo: the largest k in [-1, n) with F(k) <= a (F(-1) = 0).
	l, h := -1, n-1
	for l < h {
		m := l + (h-l+1)/2
		if binomCDF(n, m, p) <= a {
			l = m
		} else {
			h = m - 1
		}
	}
	lo = max(l, 0)
	// hi: the smallest k in [0, n] with F(k) >= 1-a (F(n) = 1).
	l, h = 0, n
	for l < h {
		m := l + (h-l)/2
		if binomCDF(n, m, p) >= 1-a {
			h = m
		} else {
			l = m + 1
		}
	}
	hi = min(l, n-1)
	ciCache.Store(key, [2]int{lo, hi})
	return lo, hi
}

type ciKey struct {
	n int
	p float64
}

var ciCache sync.Map

// PercentileMCSE is the Monte Carlo standard error of a percentile read
// off its 95% order-statistic interval [lo, hi]: (hi - lo) / (2 · 1.96),
// the normal-equivalent standard error (as Stan's mcse_quantile does).
func PercentileMCSE(lo, hi float64) float64 { return (hi - lo) / (2 * z975) }

// ProbabilityMCSE is the Monte Carlo standard error of a proportion p
// estimated from n independent trials: sqrt(p(1-p)/n).
func ProbabilityMCSE(p float64, n int) float64 {
	if n <= 0 {
		return math.NaN()
	}
	return math.Sqrt(p * (1 - p) / float64(n))
}

// WilsonInterval is the 95% Wilson score interval for a proportion with k
// successes in n trials (Wilson 1927). Unlike the normal interval it does
// not collapse to a point when k is 0 or n, so a precision rule on a
// probability cannot stop on a run of identical outcomes.
func WilsonInterval(k, n int) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z975 * z975
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z975 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	return max(0, centre-half), min(1, centre+half)
}
