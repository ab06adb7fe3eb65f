package dist

import (
	"math"
	"math/rand/v2"

	"github.com/devolve-lgr/devolve/internal/fielderr"
)

// Distribution is a univariate probability distribution.
type Distribution interface {
	// Sample draws one value using r. It must not allocate.
	Sample(r *rand.Rand) float64
	// Quantile returns the value x with CDF(x) = p, for p in [0, 1].
	Quantile(p float64) float64
	// CDF returns P(X <= x).
	CDF(x float64) float64
	// Mean returns E[X].
	Mean() float64
}

// Z95 is the standard normal 95th percentile, used to turn 90% intervals into
// lognormal and normal parameters.
const Z95 = 1.6448536269514722

func finite(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fielderr.New(name, "must be a finite number (got %v)", v)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// invertCDF finds x with cdf(x) = p by bisection on [lo, hi], widening the
// bracket if needed. Used for families without a closed-form quantile.
func invertCDF(cdf func(float64) float64, p, lo, hi float64) float64 {
	for i := 0; cdf(lo) > p && i < 200; i++ {
		lo -= (hi - lo) + 1
	}
	for i := 0; cdf(hi) < p && i < 200; i++ {
		hi += (hi - lo) + 1
	}
	for i := 0; i < 200; i++ {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		if cdf(mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}

// Median returns the 50th percentile of d.
func Median(d Distribution) float64 { return d.Quantile(0.5) }
