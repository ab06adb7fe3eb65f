package calibration

import (
	"math"
)

// Proper scores of a predictive distribution against one outcome (Gneiting
// and Raftery 2007, JASA 102(477), sections 4.2 and 6.2): lower is better.

// IntervalScore is the interval score of the central (1-alpha) interval
// [lo, hi] at outcome x (Gneiting and Raftery 2007, eq. 43): the width plus
// 2/alpha times the distance by which x falls outside. A point forecast f is
// the interval [f, f]: its score is 2/alpha times the absolute error.
func IntervalScore(lo, hi, alpha, x float64) float64 {
	s := hi - lo
	if x < lo {
		s += 2 / alpha * (lo - x)
	}
	if x > hi {
		s += 2 / alpha * (x - hi)
	}
	return s
}

// crpsPoints is the number of integration points of CRPS on each side of
// the outcome.
const crpsPoints = 2000

// CRPS is the continuous ranked probability score of a predictive CDF at
// outcome x, the integral of (F(z) - 1{z >= x})^2 over z (Gneiting and
// Raftery 2007, eq. 20), integrated by Simpson's rule over [lo, hi], which
// must hold all but a negligible tail of F (e.g. its 1e-7 and 1-1e-7
// quantiles); outside [lo, hi] F is taken as 0 below and 1 above. The
// integral is split at x, where the integrand jumps. With logScale (lo > 0)
// the points are spaced evenly in log z, for right-skewed distributions on
// the positive axis. A point forecast's CRPS is its absolute error.
func CRPS(cdf func(float64) float64, lo, hi, x float64, logScale bool) float64 {
	return crps(cdf, lo, hi, x, logScale, crpsPoints)
}

// crps is CRPS with n integration intervals (even) on each side of x.
func crps(cdf func(float64) float64, lo, hi, x float64, logScale bool, n int) float64 {
	integrate := func(g func(float64) float64, a, b float64, logScale bool) float64 {
		return simpson(g, a, b, logScale, n)
	}
	s := 0.0
	switch {
	case x <= lo:
		s += lo - x
		s += integrate(func(z float64) float64 { f := 1 - cdf(z); return f * f }, lo, hi, logScale)
	case x >= hi:
		s += x - hi
		s += integrate(func(z float64) float64 { f := cdf(z); return f * f }, lo, hi, logScale)
	default:
		s += integrate(func(z float64) float64 { f := cdf(z); return f * f }, lo, x, logScale)
		s += integrate(func(z float64) float64 { f := 1 - cdf(z); return f * f }, x, hi, logScale)
	}
	return s
}

// simpson is Simpson's rule for g over [a, b] with n (even) intervals,
// evenly spaced in z or, with logScale, in log z (dz = z du).
func simpson(g func(float64) float64, a, b float64, logScale bool, n int) float64 {
	if !(b > a) {
		return 0
	}
	h := (b - a) / float64(n)
	at := func(i int) float64 { return g(a + float64(i)*h) }
	if logScale {
		la, lb := math.Log(a), math.Log(b)
		h = (lb - la) / float64(n)
		at = func(i int) float64 { z := math.Exp(la + float64(i)*h); return g(z) * z }
	}
	s := at(0) + at(n)
	for i := 1; i < n; i++ {
		if i%2 == 1 {
			s += 4 * at(i)
		} else {
			s += 2 * at(i)
		}
	}
	return s * h / 3
}

// Wilson returns the Wilson score interval for a binomial proportion, k
// successes in n trials, at two-sided level 1 - alpha (Wilson 1927; Brown,
// Cai and DasGupta 2001, Statistical Science 16(2), eq. 4): the p with
// |k/n - p| <= z sqrt(p(1-p)/n). n = 0 gives [0, 1].
func Wilson(k, n int, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	nf, p := float64(n), float64(k)/float64(n)
	d := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / d
	h := z / d * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	lo, hi = math.Max(0, c-h), math.Min(1, c+h)
	if k <= 0 {
		lo = 0 // exactly, not 1e-17 from rounding
	}
	if k >= n {
		hi = 1
	}
	return lo, hi
}

// Z95 is the standard normal 97.5% quantile, for 95% two-sided intervals.
const Z95 = 1.959963984540054
