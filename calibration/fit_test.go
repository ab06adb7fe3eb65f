package calibration

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"gonum.org/v1/gonum/mathext"
)

func draws(d dist.Distribution, n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = d.Sample(r)
	}
	return x
}

func fitOf(t *testing.T, rep *Report, family string) Fit {
	t.Helper()
	for _, f := range rep.Fits {
		if f.Family == family {
			return f
		}
	}
	t.Fatalf("no %s fit", family)
	return Fit{}
}

// TestRecovery: data drawn (seeded) from a known distribution give back its
// parameters within 4 standard errors (the fit's own, from the observed
// information), and the true family ranks first by AIC.
func TestRecovery(t *testing.T) {
	gam, _ := dist.NewGamma(3, 2)
	ln, _ := dist.NewLogNormal(1, 0.5)
	nrm, _ := dist.NewNormal(10, 2)
	bet, _ := dist.NewBeta(2, 5, 0, 10)
	for _, c := range []struct {
		family string
		d      dist.Distribution
		want   map[string]float64
		opt    FitOptions
	}{
		{"normal", nrm, map[string]float64{"mean": 10, "sd": 2}, FitOptions{}},
		{"lognormal", ln, map[string]float64{"mu": 1, "sigma": 0.5}, FitOptions{}},
		{"gamma", gam, map[string]float64{"shape": 3, "rate": 2}, FitOptions{}},
		{"beta", bet, map[string]float64{"alpha": 2, "beta": 5}, FitOptions{HasRange: true, Lower: 0, Upper: 10}},
	} {
		t.Run(c.family, func(t *testing.T) {
			x := draws(c.d, 1000, 7)
			c.opt.Bootstrap = 3
			c.opt.Families = []string{"normal", "lognormal", "gamma", "weibull"}
			if c.opt.HasRange {
				c.opt.Families = append(c.opt.Families, "beta")
			}
			if c.family == "normal" {
				c.opt.Families = []string{"normal"}
			}
			rep, err := FitData(x, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			f := fitOf(t, rep, c.family)
			for k, v := range c.want {
				if se := f.SE[k]; !(math.Abs(f.Params[k]-v) < 4*se) {
					t.Errorf("%s = %g, true %g, se %g", k, f.Params[k], v, se)
				}
			}
			if rep.Fits[0].Family != c.family {
				t.Errorf("best AIC %s, true family %s", rep.Fits[0].Family, c.family)
			}
		})
	}
	// Weibull: distuv-based sampler.
	w := weibull{}
	w.d.K, w.d.Lambda = 1.5, 2
	rep, err := FitData(draws(w, 2000, 8), FitOptions{Families: []string{"weibull", "gamma"}, Bootstrap: 3})
	if err != nil {
		t.Fatal(err)
	}
	f := fitOf(t, rep, "weibull")
	if math.Abs(f.Params["shape"]-1.5) > 4*f.SE["shape"] || math.Abs(f.Params["scale"]-2) > 4*f.SE["scale"] {
		t.Errorf("weibull %v se %v", f.Params, f.SE)
	}
}

// TestGammaStandardErrors checks the observed-information standard errors
// against the analytic Fisher information of the gamma (shape k, rate b):
// I = n [[trigamma(k), -1/b], [-1/b, k/b^2]].
func TestGammaStandardErrors(t *testing.T) {
	gam, _ := dist.NewGamma(3, 2)
	n := 5000.0
	rep, err := FitData(draws(gam, int(n), 9), FitOptions{Families: []string{"gamma"}, Bootstrap: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := rep.Fits[0]
	k, b := f.Params["shape"], f.Params["rate"]
	h := 1e-5
	tri := (mathext.Digamma(k+h) - mathext.Digamma(k-h)) / (2 * h)
	det := n * n * (tri*k/(b*b) - 1/(b*b))
	seK := math.Sqrt(n * k / (b * b) / det)
	seB := math.Sqrt(n * tri / det)
	if math.Abs(f.SE["shape"]/seK-1) > 0.02 || math.Abs(f.SE["rate"]/seB-1) > 0.02 {
		t.Errorf("se shape %g (Fisher %g), rate %g (Fisher %g)", f.SE["shape"], seK, f.SE["rate"], seB)
	}
}

// TestMixtureRecovery: a body and a heavy tail, the shape of IT overruns.
func TestMixtureRecovery(t *testing.T) {
	a, _ := dist.NewLogNormal(0.1, 0.2)
	b, _ := dist.NewLogNormal(1.2, 0.5)
	m, _ := dist.NewMixture([]dist.Distribution{a, b}, []float64{0.8, 0.2})
	rep, err := FitData(draws(m, 4000, 11), FitOptions{Families: []string{"lognormal_mixture", "lognormal"}, Bootstrap: 10})
	if err != nil {
		t.Fatal(err)
	}
	f := fitOf(t, rep, "lognormal_mixture")
	for k, v := range map[string]float64{"weight1": 0.8, "mu1": 0.1, "sigma1": 0.2, "mu2": 1.2, "sigma2": 0.5} {
		if math.Abs(f.Params[k]-v) > 4*f.SE[k] {
			t.Errorf("%s = %g, true %g, se %g", k, f.Params[k], v, f.SE[k])
		}
	}
	if rep.Fits[0].Family != "lognormal_mixture" {
		t.Errorf("mixture not preferred by AIC: %s", rep.Fits[0].Family)
	}
}

// TestKSPValuesUniform: under the true family, bootstrap KS p-values are
// close to uniform: over 200 data sets of 40 lognormal points, the share
// below 0.1 lies within the 99.9% binomial band around 0.1 (0.04 to 0.18)
// and the mean p-value near 0.5 (0.43 to 0.57).
func TestKSPValuesUniform(t *testing.T) {
	ln, _ := dist.NewLogNormal(0, 1)
	below, sum := 0, 0.0
	const reps = 200
	for i := 0; i < reps; i++ {
		rep, err := FitData(draws(ln, 40, uint64(100+i)), FitOptions{Families: []string{"lognormal"}, Bootstrap: 99, Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		p := rep.Fits[0].KSP
		sum += p
		if p < 0.1 {
			below++
		}
	}
	frac, mean := float64(below)/reps, sum/reps
	t.Logf("share of p < 0.1: %.3f; mean p %.3f", frac, mean)
	if frac < 0.04 || frac > 0.18 || mean < 0.43 || mean > 0.57 {
		t.Errorf("KS p-values not uniform: share below 0.1 %.3f, mean %.3f", frac, mean)
	}
}

func TestFitErrors(t *testing.T) {
	if _, err := FitData([]float64{1, 2}, FitOptions{}); err == nil {
		t.Error("two points accepted")
	}
	if _, err := FitData([]float64{1, math.NaN(), 3}, FitOptions{}); err == nil {
		t.Error("NaN accepted")
	}
	if _, err := FitData([]float64{-1, 2, 3, 4}, FitOptions{Families: []string{"lognormal"}}); err == nil {
		t.Error("non-positive data accepted for lognormal")
	}
	rep, err := FitData([]float64{-1, 2, 3, 4}, FitOptions{Bootstrap: 5})
	if err != nil || rep.Fits[0].Family != "normal" || len(rep.Warnings) == 0 {
		t.Errorf("mixed-sign data: %v %+v", err, rep)
	}
}

// TestBootstrapCDFIsBuilds: the lognormal's bootstrap refits read the CDF
// without building sampling tables; the p-values are bit-identical to
// those from the built distributions' CDFs.
func TestBootstrapCDFIsBuilds(t *testing.T) {
	ln, _ := dist.NewLogNormal(0, 1)
	fast := families(0, 0)["lognormal"]
	slow := fast
	slow.cdf = nil
	for seed := uint64(1); seed <= 3; seed++ {
		x := draws(ln, 40, 100+seed)
		sorted := append([]float64(nil), x...)
		sort.Float64s(sorted)
		a, err := fitOne(context.Background(), "lognormal", fast, x, sorted, 99, seed)
		if err != nil {
			t.Fatal(err)
		}
		b, err := fitOne(context.Background(), "lognormal", slow, x, sorted, 99, seed)
		if err != nil {
			t.Fatal(err)
		}
		if a.KSP != b.KSP || a.ADP != b.ADP || a.Refits != b.Refits || a.KS != b.KS {
			t.Errorf("seed %d: KS p %v AD p %v refits %d, with built distributions %v %v %d", seed, a.KSP, a.ADP, a.Refits, b.KSP, b.ADP, b.Refits)
		}
	}
	if _, err := fast.cdf([]float64{0, 0}); err == nil {
		t.Error("sigma 0 accepted")
	}
}
