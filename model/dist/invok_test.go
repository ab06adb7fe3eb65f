package dist

import (
	"fmt"
	"math"
	"testing"
)

// invOKStepByStep is invOK's check as first written, one step at a time:
// the midpoint's u-error, then each of the invMonoSteps-1 interior steps
// no lower than the one before (to slack) and no higher than r.x (to
// slack). It is the reference TestInvOKClauses holds invOK to.
func invOKStepByStep(c *[6]float64, l, r invNode, cdf func(float64) float64) bool {
	if !(math.Abs(cdf(poly5(c, 0.5))-(l.u+r.u)/2) <= invUTol) {
		return false
	}
	slack := 64 * 0x1p-52 * max(math.Abs(l.x), math.Abs(r.x))
	prev := l.x
	for k := 1; k < invMonoSteps; k++ {
		x := poly5(c, float64(k)/invMonoSteps)
		if x < prev-slack || x > r.x+slack {
			return false
		}
		prev = x
	}
	return true
}

// TestInvOKClauses pins each clause of invOK's monotonicity check, which
// no shipped table exercises one by one (every table is the same with any
// one of them dropped): on [0, 1], with a CDF that always meets the u-error
// (so only the steps decide), polynomials that
//   - dip between steps k and k+1 for every k from 0 (l.x itself) to 62:
//     p(t) = (t - t0)^3/3 - eps t + t0^3/3 with t0 midway between the two
//     steps and eps = (1/128)^2, so p decreases only on |t - t0| < 1/128
//     and p(k+1) < p(k) by about 6e-7: rejected, whichever of the three
//     steps of a group of three, or which two groups, the pair falls in;
//   - dip by 32 ulps of the interval's scale between two steps (inside
//     the 64-ulp slack): accepted;
//   - rise above r.x + slack only at the last step, t = 63/64 (p = t +
//     0.02 t^5): rejected;
//   - p(t) = t: accepted.
//
// invOK must agree with invOKStepByStep and with the stated answer on each.
// Each of invOK's clauses fails this test when dropped, as do the running
// lower bound taken from the wrong step and a 16-ulp slack, except the
// bounds above on the first two steps of a group (x0 > hi, x1 > hi): a
// step above r.x + slack is followed by one that is too (caught there) or
// one that falls by more than the slack from it (caught as a fall), but
// for values within the slack of r.x, so those two are not pinned.
func TestInvOKClauses(t *testing.T) {
	l, r := invNode{x: 0, u: 0}, invNode{x: 1, u: 1}
	cdf := func(float64) float64 { return 0.5 } // the u-error always met
	dip := func(t0, eps float64) [6]float64 {
		return [6]float64{0, t0*t0 - eps, -t0, 1.0 / 3}
	}
	type poly struct {
		name string
		c    [6]float64
		ok   bool
	}
	var cases []poly
	const h = 1.0 / invMonoSteps
	for k := 0; k < invMonoSteps-1; k++ {
		t0 := (float64(k) + 0.5) * h
		cases = append(cases, poly{fmt.Sprintf("dip between steps %d and %d", k, k+1), dip(t0, h*h/4), false})
	}
	// Over one step, p rises by (2/3)(h/2)^3 - eps h: eps chosen so that it
	// falls by 32 ulps of 1 between steps 20 and 21.
	fall := 32 * 0x1p-52
	eps := (2.0/3*math.Pow(h/2, 3) + fall) / h
	cases = append(cases,
		poly{"dip of 32 ulps (inside the slack)", dip(20.5*h, eps), true},
		poly{"above r.x at the last step only", [6]float64{0, 1, 0, 0, 0, 0.02}, false},
		poly{"p(t) = t", [6]float64{0, 1}, true},
	)
	for _, p := range cases {
		want := invOKStepByStep(&p.c, l, r, cdf)
		if want != p.ok {
			t.Fatalf("%s: the step-by-step check says %v, the construction %v (the test's polynomial is wrong)", p.name, want, p.ok)
		}
		if got := invOK(&p.c, l, r, cdf); got != want {
			t.Errorf("%s: invOK %v, step by step %v", p.name, got, want)
		}
	}
}
