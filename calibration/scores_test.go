package calibration

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestCRPSClosedForms checks the numerical CRPS against the closed forms
// for the normal (Gneiting et al. 2005, Monthly Weather Review 133, eq. 5)
// and the lognormal (Baran and Lerch 2015, QJRMS 141, eq. 5), at outcomes
// inside, in the tails of and outside the integration range.
func TestCRPSClosedForms(t *testing.T) {
	phi, Phi := distuv.UnitNormal.Prob, distuv.UnitNormal.CDF
	normal := func(mu, s, y float64) float64 {
		z := (y - mu) / s
		return s * (z*(2*Phi(z)-1) + 2*phi(z) - 1/math.Sqrt(math.Pi))
	}
	lognormal := func(mu, s, y float64) float64 {
		z := (math.Log(y) - mu) / s
		return y*(2*Phi(z)-1) - 2*math.Exp(mu+s*s/2)*(Phi(z-s)+Phi(s/math.Sqrt2)-1)
	}
	for _, c := range []struct{ mu, s, y float64 }{{0, 1, 0}, {0, 1, 0.7}, {2, 0.5, -1}, {1, 3, 20}, {0, 1, 9}} {
		d := distuv.Normal{Mu: c.mu, Sigma: c.s}
		got := CRPS(d.CDF, d.Quantile(1e-9), d.Quantile(1-1e-9), c.y, false)
		if want := normal(c.mu, c.s, c.y); math.Abs(got-want) > 1e-6*(1+want) {
			t.Errorf("normal(%g, %g) at %g: CRPS %.8f, closed form %.8f", c.mu, c.s, c.y, got, want)
		}
	}
	for _, c := range []struct{ mu, s, y float64 }{{0, 0.5, 1}, {0, 0.5, 0.3}, {0.1, 1, 4}, {-0.5, 0.3, 0.01}, {0, 0.8, 50}} {
		d := distuv.LogNormal{Mu: c.mu, Sigma: c.s}
		lo, hi := math.Exp(c.mu-6.5*c.s), math.Exp(c.mu+6.5*c.s)
		got := CRPS(d.CDF, lo, hi, c.y, true)
		if want := lognormal(c.mu, c.s, c.y); math.Abs(got-want) > 1e-5*(1+want) {
			t.Errorf("lognormal(%g, %g) at %g: CRPS %.8f, closed form %.8f", c.mu, c.s, c.y, got, want)
		}
	}
	// A point forecast (a step CDF) scores its absolute error.
	step := func(f float64) func(float64) float64 {
		return func(z float64) float64 {
			if z >= f {
				return 1
			}
			return 0
		}
	}
	if got := CRPS(step(1), 0.5, 1.5, 1.3, false); math.Abs(got-0.3) > 1e-3 {
		t.Errorf("point forecast 1 at 1.3: CRPS %g, want 0.3", got)
	}
}

func TestIntervalScore(t *testing.T) {
	for _, c := range []struct{ lo, hi, x, want float64 }{
		{1, 3, 2, 2}, {1, 3, 0, 2 + 20}, {1, 3, 4, 2 + 20}, {2, 2, 2.5, 10},
	} {
		if got := IntervalScore(c.lo, c.hi, 0.1, c.x); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("IntervalScore(%g, %g, 0.1, %g) = %g, want %g", c.lo, c.hi, c.x, got, c.want)
		}
	}
}

// TestWilson checks the Wilson interval against its definition (the p
// where the score statistic equals z) and against a published value
// (Newcombe 1998, Statistics in Medicine 17, Table I: 81/263 gives
// 0.2553-0.3662).
func TestWilson(t *testing.T) {
	for _, c := range []struct{ k, n int }{{11, 12}, {0, 10}, {10, 10}, {7, 15}, {81, 263}} {
		lo, hi := Wilson(c.k, c.n, Z95)
		p := float64(c.k) / float64(c.n)
		for _, b := range []float64{lo, hi} {
			score := math.Abs(p-b) / math.Sqrt(b*(1-b)/float64(c.n))
			if b > 0 && b < 1 && math.Abs(score-Z95) > 1e-9 {
				t.Errorf("Wilson(%d, %d): bound %g has score %g, want %g", c.k, c.n, b, score, Z95)
			}
		}
		if !(lo <= p && p <= hi) {
			t.Errorf("Wilson(%d, %d) = %g-%g does not hold %g", c.k, c.n, lo, hi, p)
		}
	}
	if lo, hi := Wilson(81, 263, Z95); math.Abs(lo-0.2553) > 5e-5 || math.Abs(hi-0.3662) > 5e-5 {
		t.Errorf("Wilson(81, 263) = %.4f-%.4f, Newcombe's Table I 0.2553-0.3662", lo, hi)
	}
}

// normalScores (the naive forecasts given a row's measurement noise) is
// checked against the numerical CRPS of the normal CDF and the interval
// score of the normal's own 5% and 95% quantiles; with no noise it is the
// point forecast's score.
func TestNormalScores(t *testing.T) {
	for _, c := range []struct{ mu, s, x float64 }{{1, 1.4, 0.2}, {0.8, 0.6, 3}, {1, 2.5, -4}, {0.5, 0.01, 0.52}} {
		d := distuv.Normal{Mu: c.mu, Sigma: c.s}
		crps, is := normalScores(c.mu, c.s, c.x)
		if want := CRPS(d.CDF, d.Quantile(1e-9), d.Quantile(1-1e-9), c.x, false); math.Abs(crps-want) > 1e-6*(1+want) {
			t.Errorf("N(%g, %g^2) at %g: CRPS %.8f, numerical %.8f", c.mu, c.s, c.x, crps, want)
		}
		if want := IntervalScore(d.Quantile(0.05), d.Quantile(0.95), 0.1, c.x); math.Abs(is-want) > 1e-9*(1+want) {
			t.Errorf("N(%g, %g^2) at %g: IS90 %.8f, from the quantiles %.8f", c.mu, c.s, c.x, is, want)
		}
	}
	if crps, is := normalScores(1, 0, 0.25); crps != 0.75 || is != 15 {
		t.Errorf("no noise: CRPS %g, IS90 %g; want the point forecast's 0.75 and 15", crps, is)
	}
}
