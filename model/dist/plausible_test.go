package dist

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestPlausibleStream: CheckPlausible skips its draws for a lognormal
// because they could say nothing the quantiles it checks do not. A
// lognormal draws one uniform through its inverse table (monotone, the
// inverse of its own CDF) or, without a table, exp of one normal draw;
// from CheckPlausible's fixed stream every uniform lies strictly between
// the levels checked (1e-6 and 1 - 1e-6) and every normal between their z
// values (±4.75), so every draw lies between the quantiles checked. A PERT
// whose ends are in range is not drawn from either. Checking builds no
// inverse table (issue 19: 20,000 distinct lognormals took
// 1.9 GB to validate).
func TestPlausibleStream(t *testing.T) {
	r := rand.New(rand.NewPCG(plausibleSeed1, plausibleSeed2))
	for i := range plausibleDraws {
		if u := r.Float64(); !(u > 1e-6 && u < 1-1e-6) {
			t.Errorf("uniform %d of the stream is %g", i, u)
		}
	}
	z := distuv.UnitNormal.Quantile(1 - 1e-6)
	r = rand.New(rand.NewPCG(plausibleSeed1, plausibleSeed2))
	for i := range plausibleDraws {
		if x := r.NormFloat64(); math.Abs(x) >= z {
			t.Errorf("normal %d of the stream is %g (z = %g)", i, x, z)
		}
	}
	l, err := LogNormalFromQuantiles(0.05, 1.0002e6, 0.95, 3.0002e6) // parameters no other test uses
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPERT(1, 2.0002, 10, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []Distribution{l, p} {
		if err := CheckPlausible(d); err != nil {
			t.Fatal(err)
		}
	}
	if l.inv.iv != nil || p.inv.iv != nil {
		t.Error("CheckPlausible built an inverse table")
	}
	// Too wide a lognormal is still refused, at its quantiles.
	wide, err := NewLogNormal(35, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPlausible(wide); err == nil {
		t.Error("a lognormal reaching 1e16 passed")
	}
}
