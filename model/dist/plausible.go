package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MaxMagnitude bounds the values an input may take (±1e16, just above
// MaxUniformInt): no count of people, systems or years, and no amount in
// pounds, comes near it, and beyond it sums over thousands of trials and
// years lose all precision before they overflow.
const MaxMagnitude = 1e16

// plausibleDraws is how many draws CheckPlausible takes, from a PCG
// seeded with plausibleSeed1 and plausibleSeed2.
const (
	plausibleDraws = 256
	plausibleSeed1 = 0x5eed
	plausibleSeed2 = 0xd157
)

// CheckPlausible returns an error when d has no finite mean (a Pareto with
// alpha <= 1 and no truncation) or when its central 99.9998% reaches
// beyond ±MaxMagnitude (a normal with sd 1e308, a lognormal with mu 800, a
// gamma with a tiny rate): such inputs make the outputs infinite or NaN.
func CheckPlausible(d Distribution) error {
	if m := d.Mean(); math.IsNaN(m) || math.IsInf(m, 0) {
		return fmt.Errorf("has no finite mean (got %v); a Pareto needs alpha > 1 or a truncate: [lo, hi]", m)
	}
	if x, ok := d.(ScaledBeta); ok && x.inv != nil && max(math.Abs(x.lo), math.Abs(x.hi)) <= MaxMagnitude {
		// Both shapes at least 1 (a PERT): every value and every draw
		// lies between its ends; its quantiles would build its inverse
		// table (some 30 kB) while a file is read. (With a shape below 1
		// the gamma draws can both underflow, and their ratio is NaN.)
		return nil
	}
	for _, p := range []float64{1e-6, 0.5, 1 - 1e-6} {
		q := d.Quantile(p)
		if math.IsNaN(q) || math.Abs(q) > MaxMagnitude {
			return fmt.Errorf("its values reach %g (at the %.4g percentile); inputs must stay within ±%g", q, 100*p, MaxMagnitude)
		}
	}
	// Quantiles can look sound while the sampler overflows (a beta with
	// shapes near 0): draw a few with a fixed stream. Not for a lognormal,
	// whose draws from that stream lie between the quantiles just checked
	// (it inverts its own CDF, or takes exp of a normal draw; the stream's
	// uniforms lie in [0.0038, 0.997] and its normals in [-2.95, 2.69]:
	// TestPlausibleStream): drawing would only build its inverse table,
	// some 30 kB, while a file is read.
	if _, ok := d.(LogNormal); ok {
		return nil
	}
	r := rand.New(rand.NewPCG(plausibleSeed1, plausibleSeed2))
	for i := 0; i < plausibleDraws; i++ {
		if x := d.Sample(r); math.IsNaN(x) || math.Abs(x) > MaxMagnitude {
			return fmt.Errorf("draws %g; inputs must be finite and stay within ±%g", x, MaxMagnitude)
		}
	}
	return nil
}
