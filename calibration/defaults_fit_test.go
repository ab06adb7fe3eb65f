package calibration

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestOverrunConjugate checks the weighted normal-inverse-gamma update
// against a brute-force grid posterior over (mu, sigma) with the same prior
// density and weighted likelihood, and the predictive 5% and 95% quantiles
// of a new log ratio.
func TestOverrunConjugate(t *testing.T) {
	rows := []Outturn{
		{Measure: MeasureOneOffCost, Projected: 10, Realised: 14.5, Quality: "reported", Kind: KindAudited},
		{Measure: MeasureOneOffCost, Projected: 10, Realised: 9, Quality: "official", Kind: KindAudited},
		{Measure: MeasureOneOffCost, Projected: 10, Realised: 12, Quality: "vendor", Kind: KindAudited},
		{Measure: MeasureOneOffCost, Projected: 10, Realised: 30, Quality: "budgeted not realised", Kind: KindBudget},
		{Measure: MeasureOneOffCost, Projected: 10, Realised: 50, Quality: "official", Kind: KindCouncilReported},
		{Measure: MeasureSavings, Year: 2, Basis: BasisSteady, Projected: 10, Realised: 5, Quality: "reported", Kind: KindAudited},
	}
	pr := DefaultFitPriors()
	pr.GridPoints = 5 // the savings part is not under test
	f, err := newFitter(rows, pr)
	if err != nil {
		t.Fatal(err)
	}
	fit := f.fit(-1)
	// Grid: mu in [-1.5, 1.5], sigma in (0, 3]; prior density
	// N(mu; mu0, sigma^2/kappa0) InvGamma(sigma^2; alpha0, beta0) times the
	// Jacobian 2 sigma of sigma^2 -> sigma.
	const nm, ns = 600, 600
	type pt struct{ mu, s, w float64 }
	var pts []pt
	tot := 0.0
	for i := 0; i < nm; i++ {
		mu := -1.5 + 3*(float64(i)+0.5)/nm
		for j := 0; j < ns; j++ {
			s := 3 * (float64(j) + 0.5) / ns
			s2 := s * s
			lp := distuv.Normal{Mu: pr.OverrunMu0, Sigma: s / math.Sqrt(pr.OverrunKappa0)}.LogProb(mu) +
				pr.OverrunAlpha0*math.Log(pr.OverrunBeta0) - lgamma(pr.OverrunAlpha0) - (pr.OverrunAlpha0+1)*math.Log(s2) - pr.OverrunBeta0/s2 +
				math.Log(2*s)
			for _, o := range rows {
				if o.Measure == MeasureOneOffCost {
					lp += o.Weight() * distuv.Normal{Mu: mu, Sigma: s}.LogProb(math.Log(o.Ratio()))
				}
			}
			pts = append(pts, pt{mu, s, math.Exp(lp)})
			tot += math.Exp(lp)
		}
	}
	cdf := func(x float64) float64 {
		c := 0.0
		for _, p := range pts {
			c += p.w * 0.5 * math.Erfc(-(x-p.mu)/(p.s*math.Sqrt2))
		}
		return c / tot
	}
	lo := fit.OtherOverrun.Mu - z95*fit.OtherOverrun.Sigma
	hi := fit.OtherOverrun.Mu + z95*fit.OtherOverrun.Sigma
	if got := cdf(lo); math.Abs(got-0.05) > 2e-3 {
		t.Errorf("grid posterior predictive CDF at the fitted P5 %g: %g, want 0.05", math.Exp(lo), got)
	}
	if got := cdf(hi); math.Abs(got-0.95) > 2e-3 {
		t.Errorf("grid posterior predictive CDF at the fitted P95 %g: %g, want 0.95", math.Exp(hi), got)
	}
	if fit.CostRows != 3 || fit.CostWeight != 2.5 {
		t.Errorf("cost rows %d weight %g, want 3 and 2.5", fit.CostRows, fit.CostWeight)
	}
}

func lgamma(x float64) float64 { v, _ := math.Lgamma(x); return v }

// TestSavingsGridPriorPredictive: with every savings row at weight 0 the
// grid posterior is the prior, and the matched lognormal of a new case's R
// must reproduce the prior predictive's 90% interval of log R computed
// independently by Monte Carlo over the (grid-truncated) prior. Seed 3.
func TestSavingsGridPriorPredictive(t *testing.T) {
	pr := DefaultFitPriors()
	g := newSavingsGrid(pr)
	post := normalise(append([]float64(nil), g.logPrior...))
	r, tt, _, edge := g.predictive(post)
	t.Logf("prior predictive: R %+v, T %+v, edge mass %.3f", r, tt, edge)
	// Independent: the prior predictive of log R is a continuous normal
	// scale mixture; the grid (19 points over +-3.5 sd) approximates it.
	// Closed form of its quantiles by a fine 1-D quadrature over log s_R.
	cdf := func(x float64) float64 {
		const n = 4000
		c := 0.0
		for i := 0; i < n; i++ {
			z := distuv.UnitNormal.Quantile((float64(i) + 0.5) / n)
			s := math.Exp(pr.LogSR + pr.LogSRSD*z)
			// mu_R ~ N(MuR, MuRSD^2) integrates out exactly.
			c += distuv.Normal{Mu: pr.MuR, Sigma: math.Hypot(s, pr.MuRSD)}.CDF(x)
		}
		return c / n
	}
	for _, c := range []struct {
		x, p float64
	}{{r.Mu - z95*r.Sigma, 0.05}, {r.Mu + z95*r.Sigma, 0.95}} {
		if got := cdf(c.x); math.Abs(got-c.p) > 0.005 {
			t.Errorf("prior predictive CDF of log R at the grid's %g quantile %g: %g", c.p, c.x, got)
		}
	}
}

// TestSavingsQuadrature: the row likelihood's slices over T and the
// grid's resolution are fine enough. The default slices against ten times
// as many (on a 9-point grid, to be quick); and the default grid (13
// points) against 17 (on the shipped outturns 13, 17 and 25 points agree to
// 0.001 in mu and sigma; 9 points, 0.5 apart in mu_R against a posterior sd
// of 0.3, moved mu by 0.05).
func TestSavingsQuadrature(t *testing.T) {
	rows := outturns(t)
	fitWith := func(points, slices int) *DefaultsFit {
		pr := DefaultFitPriors()
		pr.GridPoints, pr.TNodes = points, slices
		f, err := newFitter(rows, pr)
		if err != nil {
			t.Fatal(err)
		}
		return f.fit(-1)
	}
	d := DefaultFitPriors()
	near := func(what string, a, b *DefaultsFit, tol float64) {
		t.Helper()
		for _, c := range [][2]LogNormalParams{{a.SavingsRealisation, b.SavingsRealisation}, {a.RampStretch, b.RampStretch}} {
			if math.Abs(c[0].Mu-c[1].Mu) > tol || math.Abs(c[0].Sigma-c[1].Sigma) > tol {
				t.Errorf("%s: %+v vs %+v", what, c[0], c[1])
			}
		}
	}
	near("slices", fitWith(9, d.TNodes), fitWith(9, 10*d.TNodes), 0.003)
	near("grid", fitWith(17, d.TNodes), shipped(t).fit(-1), 0.002)
}

// TestFoldWithoutCosts: a fold that holds out the only one-off cost falls
// back to the prior predictive (finite, and the prior's median 1.05).
func TestFoldWithoutCosts(t *testing.T) {
	rows := []Outturn{
		{Case: "c", Measure: MeasureOneOffCost, Projected: 10, Realised: 20, Quality: "official", Kind: KindAudited},
		{Case: "s", Measure: MeasureSavings, Year: 2, Basis: BasisSteady, Projected: 10, Realised: 5, Quality: "reported", Kind: KindAudited},
	}
	pr := DefaultFitPriors()
	pr.GridPoints = 5
	f, err := newFitter(rows, pr)
	if err != nil {
		t.Fatal(err)
	}
	fit := f.fit(0)
	if fit.CostRows != 0 || math.Abs(math.Exp(fit.OtherOverrun.Mu)-1.05) > 1e-12 || !(fit.OtherOverrun.Sigma > 0) || math.IsInf(fit.OtherOverrun.Sigma, 0) {
		t.Errorf("fold without costs: %+v", fit.OtherOverrun)
	}
}
