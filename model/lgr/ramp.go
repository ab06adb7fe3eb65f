package lgr

import "math"

// RampShare returns C(x), the share of a saving reached x years after its
// start (x = t - start + 1 in year t, or that divided by the trial's ramp
// stretch), where C is the piecewise-linear interpolation of the cumulative
// profile cum through the knots (0, 0), (1, cum[0]), (2, cum[1]), ..., and
// constant at cum[len(cum)-1] after the last knot. C(x) = 0 for x <= 0; a NaN
// x gives NaN. It does not allocate. It panics if cum is empty (a
// programmer's error: scenarios validate their profiles).
func RampShare(cum []float64, x float64) float64 {
	n := len(cum)
	if n == 0 {
		panic("lgr: RampShare: empty cumulative profile")
	}
	if !(x > 0) {
		if math.IsNaN(x) {
			return x
		}
		return 0
	}
	if x >= float64(n) {
		return cum[n-1]
	}
	k := int(x) // floor, as 0 < x < n
	lo := 0.0
	if k > 0 {
		lo = cum[k-1]
	}
	return lo + (x-float64(k))*(cum[k]-lo)
}
