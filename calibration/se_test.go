package calibration

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// TestStandardErrorsAnalytic: the standard errors against the inverse
// Fisher information in closed form, for data from 1e-3 to 1e7 in
// magnitude (seed 1, n = 200):
//
//	normal:      se(mean) = sd/sqrt(n), se(sd) = sd/sqrt(2n)
//	lognormal:   the same for mu and sigma
//	exponential: se(rate) = rate/sqrt(n)
//	gamma:       the inverse of n [[trigamma(a), -1/b], [-1/b, a/b^2]]
//	             (observed = expected information for the gamma)
//
// at the fitted parameters. An absolute finite-difference step gave NaN
// near 5e5 and an exponential rate's SE 37 times too large there (549
// times at 1e7); the relative steps agree to 1e-6.
func TestStandardErrorsAnalytic(t *testing.T) {
	const n = 200
	trigamma := func(a float64) float64 { // independent: a central difference of digamma
		const h = 1e-5
		return (mathext.Digamma(a+h) - mathext.Digamma(a-h)) / (2 * h)
	}
	for _, scale := range []float64{1e-3, 1, 1e3, 5e5, 1e7} {
		r := rand.New(rand.NewPCG(1, 2))
		nx := make([]float64, n)
		ex := make([]float64, n)
		for i := range nx {
			nx[i] = scale * (10 + r.NormFloat64())
			ex[i] = scale * r.ExpFloat64() * (1 + r.Float64())
		}
		check := func(family, param string, f Fit, want float64) {
			t.Helper()
			got := f.SE[param]
			if rel := math.Abs(got/want - 1); !(rel < 1e-5) {
				t.Errorf("scale %g, %s %s: se %.8g, analytic %.8g (relative error %.2g)", scale, family, param, got, want, rel)
			}
		}
		rep, err := FitData(nx, FitOptions{Families: []string{"normal", "lognormal"}, Bootstrap: 2})
		if err != nil {
			t.Fatal(err)
		}
		f := fitOf(t, rep, "normal")
		sd := f.Params["sd"]
		check("normal", "mean", f, sd/math.Sqrt(n))
		check("normal", "sd", f, sd/math.Sqrt(2*n))
		f = fitOf(t, rep, "lognormal")
		sg := f.Params["sigma"]
		check("lognormal", "mu", f, sg/math.Sqrt(n))
		check("lognormal", "sigma", f, sg/math.Sqrt(2*n))

		rep, err = FitData(ex, FitOptions{Families: []string{"exponential", "gamma"}, Bootstrap: 2})
		if err != nil {
			t.Fatal(err)
		}
		f = fitOf(t, rep, "exponential")
		check("exponential", "rate", f, f.Params["rate"]/math.Sqrt(n))
		f = fitOf(t, rep, "gamma")
		a, b := f.Params["shape"], f.Params["rate"]
		info := mat.NewSymDense(2, []float64{n * trigamma(a), -n / b, -n / b, n * a / (b * b)})
		var cov mat.Dense
		if err := cov.Inverse(info); err != nil {
			t.Fatal(err)
		}
		check("gamma", "shape", f, math.Sqrt(cov.At(0, 0)))
		check("gamma", "rate", f, math.Sqrt(cov.At(1, 1)))
	}
}

// TestOptimiserStatus: a likelihood without a maximum (it grows without
// bound in the parameter) is an error, not whatever point the optimiser
// stopped at.
func TestOptimiserStatus(t *testing.T) {
	f := family{names: []string{"a"},
		start:   func([]float64) []float64 { return []float64{1} },
		toTheta: logs, fromTheta: exps,
		logpdf: func(p []float64, x float64) float64 { return p[0] },
	}
	if p, err := mle(context.Background(), f, []float64{1, 2, 3}); err == nil {
		t.Errorf("unbounded likelihood fitted: %v", p)
	}
}

// TestBootstrapFailedRefits: resamples whose refit fails are left out of
// the p-values' denominator. A normal family whose every refit fails
// gives p = 1/(0+1) = 1 (it gave 1/(nb+1) before); one whose every other
// refit fails counts half the resamples.
func TestBootstrapFailedRefits(t *testing.T) {
	nd, err := dist.NewNormal(10, 2)
	if err != nil {
		t.Fatal(err)
	}
	x := draws(nd, 50, 3)
	sorted := append([]float64(nil), x...)
	sort.Float64s(sorted)
	for _, c := range []struct {
		name  string
		fails func(call int) bool
		want  int
	}{
		{"all fail", func(call int) bool { return call > 0 }, 0},
		{"half fail", func(call int) bool { return call > 0 && call%2 == 0 }, 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := families(0, 0)["normal"]
			calls := 0
			closed := f.closed
			f.closed = func(y []float64) []float64 {
				defer func() { calls++ }()
				if c.fails(calls) {
					return []float64{math.NaN(), 1}
				}
				return closed(y)
			}
			fit, err := fitOne(context.Background(), "normal", f, x, sorted, 20, 1)
			if err != nil {
				t.Fatal(err)
			}
			if fit.Refits != c.want {
				t.Errorf("refits %d, want %d", fit.Refits, c.want)
			}
			for _, p := range []float64{fit.KSP, fit.ADP} {
				if k := p * float64(fit.Refits+1); math.Abs(k-math.Round(k)) > 1e-9 || p > 1 || p <= 0 {
					t.Errorf("p-value %g is not a count over %d refits + 1", p, fit.Refits)
				}
			}
			if c.want == 0 && (fit.KSP != 1 || len(fit.Warnings) == 0) {
				t.Errorf("all refits failed: KS p %g, warnings %v", fit.KSP, fit.Warnings)
			}
		})
	}
}
