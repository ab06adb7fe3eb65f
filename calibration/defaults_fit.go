package calibration

import (
	"errors"
	"fmt"
	"math"

	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/gonum/stat/distuv"
)

// Standard normal quantiles used to match a lognormal to a central interval.
const (
	z90 = 1.2815515655446004 // Phi^-1(0.90)
	z95 = 1.6448536269514722 // Phi^-1(0.95)
)

// SavingsPhasing is the cumulative share of steady-state savings reached at
// the end of years 1, 2, 3, 4 after vesting in generated scenarios:
// lgr.GenericSavingsPhasing (linear over four years, JUDGEMENT, no case's
// own plan). With a ramp stretch T a saving's share in year y is
// lgr.RampShare(SavingsPhasing, y/T).
var SavingsPhasing = lgr.GenericSavingsPhasing

// FitPriors are FitDefaults' weakly-informative priors, built from the ranges
// of docs/EVIDENCE.md §9 where it gives one and labelled
// JUDGEMENT where it does not. Log ratios throughout.
type FitPriors struct {
	// One-off cost overrun: normal-inverse-gamma prior on (mu, sigma^2) of
	// the log ratio: mu | sigma^2 ~ N(OverrunMu0, sigma^2/OverrunKappa0),
	// sigma^2 ~ InvGamma(OverrunAlpha0, OverrunBeta0).
	OverrunMu0, OverrunKappa0, OverrunAlpha0, OverrunBeta0 float64
	// Savings: independent normal priors on the case-population mean of
	// log R (MuR, sd MuRSD) and of log T (MuT, MuTSD), and on the log of
	// their case-to-case sds (LogSR, LogSRSD; LogST, LogSTSD).
	MuR, MuRSD, LogSR, LogSRSD float64
	MuT, MuTSD, LogST, LogSTSD float64
	// GridPoints per hyperparameter and GridSD (prior sds either side of
	// each prior mean) set the posterior grid; the grid depends on the
	// priors only, never on the data (so a held-out row cannot move it).
	// GridPointsMuT, if set, is the number of points on the mu_T axis
	// instead (a common ramp is pinned down far more tightly than R).
	GridPoints    int
	GridPointsMuT int
	GridSD        float64
	// CommonRamp fits one ramp speed for every case (s_T = 0: the ramp is
	// pooled across cases by years since vesting, and its uncertainty is
	// that of mu_T alone); LogST and LogSTSD are then unused.
	CommonRamp bool
	// YearByYear fits each measured row year by year (its YearRatios and
	// YearCov, logLikMeasuredYears) instead of by its mean over years 1-5
	// with SE (logLikMeasured). Off by default: docs/MODEL.md, "The ramp,
	// measured", gives the fits and their held-out scores.
	YearByYear bool
	// MeasurementSD is the sd of the error in a published saving's log
	// ratio (rounding, scope and timing of the figures), added in
	// quadrature to s_R in each savings row's likelihood.
	MeasurementSD float64
	// TNodes is the number of slices over a case's log T in each savings
	// row's likelihood.
	TNodes int
}

// DefaultFitPriors returns the priors FitDefaults uses.
//
//   - Overrun: EVIDENCE.md §9's non-IT overrun "median 1.05, p90 1.5" gives
//     mu0 = ln 1.05 and s0 = ln(1.5/1.05)/z90 = 0.278; kappa0 = 1 (worth one
//     case for the mean) and sigma^2 ~ scaled-inverse-chi^2(2, s0^2), i.e.
//     alpha0 = 1, beta0 = s0^2 (worth two cases for the spread). Its
//     evidence is cases (OverrunPriorSources): a one-off cost row of those
//     cases is placed in-sample.
//   - R and T: priors that draw on no case (issue 20 item 3), JUDGEMENT:
//     the business case taken at its word, MuR = 0 (R's median 1) and MuT =
//     0 (the plan's speed), each with sd 0.5 (a factor of 1.65); the
//     case-to-case spread s_R with prior median 0.3 (a case's 90% range a
//     factor of 2.7 wide) and LogSRSD = 0.7 (a factor of 2 either way).
//     EVIDENCE.md §9's range for R (0.5 / 0.85 / 1.3) is not used: its
//     evidence is Somerset's year 2, Wiltshire's year 1 and the 2009 wave's
//     budgets, cases the back-test scores.
//   - T: MuT = 0 (the plan's speed) with sd 0.5, and a spread between
//     cases s_T with prior median 0.3 and LogSTSD 0.7, as s_R. The measured
//     rows are fitted by their mean over years 1-5 (YearByYear false): the
//     year-by-year fits (one ramp for every case, or one each) scored worse
//     on held-out cases (docs/MODEL.md, "The ramp, measured").
func DefaultFitPriors() FitPriors {
	s0 := math.Log(1.5/1.05) / z90
	return FitPriors{
		OverrunMu0: math.Log(1.05), OverrunKappa0: 1, OverrunAlpha0: 1, OverrunBeta0: s0 * s0,
		MuR: 0, MuRSD: 0.5, LogSR: math.Log(0.3), LogSRSD: 0.7,
		MuT: 0, MuTSD: 0.5, LogST: math.Log(0.3), LogSTSD: 0.7,
		GridPoints: 13, GridSD: 4, TNodes: 40, MeasurementSD: 0.1,
	}
}

// OverrunPriorSources are the cases EVIDENCE.md §9's non-IT overrun range
// ("median 1.05, p90 1.5"; evidence: 2009 wave 0.98, Cumbria 0.98,
// Northamptonshire 1.45-1.47, NSW Hilltops 1.3) draws on, as case ids of
// reorganisation_outturns.csv (the case column without its bracket): a
// one-off cost of these cases, or of their wave, is placed
// in-sample. The priors of R and T draw on no case.
var OverrunPriorSources = []string{"2009 wave", "Cumbria 2023", "Northamptonshire 2021"}

// LogNormalParams are a lognormal's mu and sigma (of the log).
type LogNormalParams struct {
	Mu    float64 `json:"mu"`
	Sigma float64 `json:"sigma"`
}

// Quantile returns the lognormal's p-quantile.
func (l LogNormalParams) Quantile(p float64) float64 {
	return math.Exp(l.Mu + l.Sigma*distuv.UnitNormal.Quantile(p))
}

// DefaultsFit is FitDefaults' result: the three lognormal defaults and how
// they were obtained.
type DefaultsFit struct {
	// OtherOverrun is the non-IT one-off cost overrun (realised /
	// projected), SavingsRealisation the savings-realisation factor R and
	// RampStretch the ramp stretch T: each a lognormal whose central 90%
	// interval is that of the posterior predictive for a new
	// case.
	OtherOverrun       LogNormalParams `json:"other_overrun"`
	SavingsRealisation LogNormalParams `json:"savings_realisation"`
	RampStretch        LogNormalParams `json:"ramp_stretch"`
	// CostRows and SavingsRows count the rows fitted (weight > 0);
	// CostWeight and SavingsWeight sum their weights.
	CostRows      int     `json:"cost_rows"`
	CostWeight    float64 `json:"cost_weight"`
	SavingsRows   int     `json:"savings_rows"`
	SavingsWeight float64 `json:"savings_weight"`
	// OverrunDF and OverrunScale are the Student-t posterior predictive of
	// a new case's log overrun (location OtherOverrun.Mu).
	OverrunDF    float64 `json:"overrun_predictive_df"`
	OverrunScale float64 `json:"overrun_predictive_scale"`
	// Hyper gives the posterior mean and sd of the savings
	// hyperparameters mu_R, s_R, mu_T, s_T.
	Hyper map[string][2]float64 `json:"hyper"`
	// EdgeMass is the posterior mass on the grid's outer cells (should be
	// small: a large value means the grid cuts the posterior off).
	EdgeMass float64 `json:"edge_mass"`
	// CommonShare splits each fitted default's uncertainty for a new case
	// into a part every new case shares and a part of its own: the share
	// of the variance of a new case's log value that is posterior
	// uncertainty about the population mean, common to all new cases
	// (Var(mu | data) / (Var(mu | data) + E[s^2 | data]) for R and T;
	// 1/(kappa_n + 1) for the overrun), keyed by the model's input names
	// savings_realisation, ramp_stretch and other_overrun. Two new areas'
	// log values correlate by exactly this share (docs/MODEL.md §12).
	CommonShare map[string]float64 `json:"common_share"`
}

// FitDefaults fits the non-IT overrun, the savings-realisation factor R and
// the ramp stretch T to the outturns, each row weighted by its quality
// (QualityWeight), with the priors of DefaultFitPriors (docs/MODEL.md,
// "Calibration on outturns"):
//
//   - One-off costs: log ratio ~ N(mu, sigma^2) with a normal-inverse-gamma
//     prior; weighted conjugate update; the posterior predictive of a new
//     case's log ratio is Student-t.
//   - Savings: case i's ratio = R_i C(y_i/T_i) / C_plan(y_i) with log R_i ~
//     N(mu_R, s_R^2) and log T_i ~ N(mu_T, s_T^2) independently; the
//     posterior of (mu_R, s_R, mu_T, s_T) is computed on a grid (each row's
//     likelihood integrates over its T_i by quadrature, raised to the
//     row's weight); the posterior predictive of a new case's log R and
//     log T are normal mixtures.
//
// Each default is the lognormal with the posterior predictive's 5% and 95%
// quantiles (its central 90% interval; the median may differ slightly, as
// the predictive of log R is a little skewed).
func FitDefaults(rows []Outturn) (*DefaultsFit, error) {
	f, err := newFitter(rows, DefaultFitPriors())
	if err != nil {
		return nil, err
	}
	return f.fit(-1), nil
}

// fitter holds what every fold of the leave-one-out back-test shares: the
// rows, the priors and the savings rows' likelihood tables on the grid.
type fitter struct {
	rows []Outturn
	pr   FitPriors
	g    savingsGrid
	// logLik[i] is row i's log-likelihood over the grid (nil for one-off
	// costs and for rows of weight 0).
	logLik [][]float64
	// sources[i] are the cases row i draws on (RowSources).
	sources [][]string
}

func newFitter(rows []Outturn, pr FitPriors) (*fitter, error) {
	f := &fitter{rows: rows, pr: pr, g: newSavingsGrid(pr), logLik: make([][]float64, len(rows)), sources: RowSources(rows)}
	var nc, ns float64
	for i, o := range rows {
		if !(o.Projected > 0) || !(o.Realised > 0 || o.Kind == KindMeasured) || math.IsInf(o.Ratio(), 0) || math.IsNaN(o.Ratio()) {
			return nil, fmt.Errorf("outturn %d (%s): projected and realised must be positive", i, o.Case)
		}
		w := o.Weight()
		switch o.Measure {
		case MeasureOneOffCost:
			nc += w
		case MeasureSavings:
			ns += w
			if w > 0 {
				f.logLik[i] = f.g.rowLogLik(pr, o)
			}
		}
	}
	if ns == 0 {
		return nil, errors.New("FitDefaults needs at least one saving that is a realised outcome (measured or audited)")
	}
	_ = nc // no one-off cost outcome: the overrun is the prior's (fitSkipping)
	return f, nil
}

// fit fits on every row except row exclude (-1: none). Row exclude's data
// are never read, so its value cannot leak into its own prediction.
func (f *fitter) fit(exclude int) *DefaultsFit {
	skip := make([]bool, len(f.rows))
	if exclude >= 0 {
		skip[exclude] = true
	}
	return f.fitSkipping(skip)
}

// fitSkipping fits on every row i with !skip[i]; skipped rows' data are
// never read.
func (f *fitter) fitSkipping(skip []bool) *DefaultsFit {
	out := &DefaultsFit{}
	// One-off costs: weighted normal-inverse-gamma update, in row order.
	var n, sy float64
	for i, o := range f.rows {
		if skip[i] || o.Measure != MeasureOneOffCost || o.Weight() == 0 {
			continue
		}
		n += o.Weight()
		sy += o.Weight() * math.Log(o.Ratio())
		out.CostRows++
	}
	ybar := 0.0 // no cost row in the fold: the posterior is the prior
	if n > 0 {
		ybar = sy / n
	}
	var ss float64
	for i, o := range f.rows {
		if skip[i] || o.Measure != MeasureOneOffCost || o.Weight() == 0 {
			continue
		}
		d := math.Log(o.Ratio()) - ybar
		ss += o.Weight() * d * d
	}
	pr := f.pr
	kn := pr.OverrunKappa0 + n
	mn := (pr.OverrunKappa0*pr.OverrunMu0 + n*ybar) / kn
	an := pr.OverrunAlpha0 + n/2
	bn := pr.OverrunBeta0 + ss/2 + pr.OverrunKappa0*n*(ybar-pr.OverrunMu0)*(ybar-pr.OverrunMu0)/(2*kn)
	out.CostWeight = n
	out.OverrunDF = 2 * an
	out.OverrunScale = math.Sqrt(bn * (kn + 1) / (an * kn))
	t95 := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: out.OverrunDF}.Quantile(0.95)
	out.OtherOverrun = LogNormalParams{Mu: mn, Sigma: out.OverrunScale * t95 / z95}
	// Given sigma^2, mu | data ~ N(mn, sigma^2/kn) and a new case's log
	// ratio ~ N(mu, sigma^2): the common share of its variance is
	// (1/kn) / (1/kn + 1) whatever sigma^2 is.
	out.CommonShare = map[string]float64{"other_overrun": 1 / (kn + 1)}
	if n == 0 {
		// No one-off cost that is a realised outcome: the default is the
		// prior's own lognormal (EVIDENCE.md §9's median 1.05, p90 1.5, whose
		// sources are OverrunPriorSources), not the Student-t predictive of
		// an empty sample (df 2: a 90% interval of 0.3-3.5 from no data).
		out.OtherOverrun = LogNormalParams{Mu: pr.OverrunMu0, Sigma: math.Sqrt(pr.OverrunBeta0 / pr.OverrunAlpha0)}
		out.OverrunDF, out.OverrunScale = math.Inf(1), out.OtherOverrun.Sigma
		// The common share stays the prior's 1/(kappa0 + 1): its mean is
		// as uncertain as one case.
	}

	// Savings: grid posterior.
	lp := append([]float64(nil), f.g.logPrior...)
	for i, o := range f.rows {
		if skip[i] || f.logLik[i] == nil {
			continue
		}
		w := o.Weight()
		for k, l := range f.logLik[i] {
			lp[k] += w * l
		}
		out.SavingsRows++
		out.SavingsWeight += w
	}
	post := normalise(lp)
	out.SavingsRealisation, out.RampStretch, out.Hyper, out.EdgeMass = f.g.predictive(post)
	out.CommonShare["savings_realisation"], out.CommonShare["ramp_stretch"] = f.g.commonShares(post)
	return out
}

// normalise turns log weights into probabilities summing to 1 (in place).
func normalise(lp []float64) []float64 {
	m := math.Inf(-1)
	for _, v := range lp {
		m = math.Max(m, v)
	}
	s := 0.0
	for k, v := range lp {
		lp[k] = math.Exp(v - m)
		s += lp[k]
	}
	for k := range lp {
		lp[k] /= s
	}
	return lp
}

// savingsGrid is the grid over (mu_R, s_R, mu_T, s_T), flat index ((a nb +
// b) nc + c) nd + d with na, nb, nc, nd the axes' lengths (dims).
type savingsGrid struct {
	muR, sR, muT, sT []float64
	logPrior         []float64
	edgesZ, sliceP   []float64
	measSD           float64
	yearByYear       bool
}

// dims returns the lengths of the four axes.
func (g *savingsGrid) dims() (na, nb, nc, nd int) {
	return len(g.muR), len(g.sR), len(g.muT), len(g.sT)
}

func axis(mean, sd float64, n int, width float64) []float64 {
	a := make([]float64, n)
	for i := range a {
		a[i] = mean + sd*width*(2*float64(i)/float64(n-1)-1)
	}
	return a
}

func newSavingsGrid(pr FitPriors) savingsGrid {
	n, nc := pr.GridPoints, pr.GridPoints
	if pr.GridPointsMuT > 0 {
		nc = pr.GridPointsMuT
	}
	g := savingsGrid{
		muR: axis(pr.MuR, pr.MuRSD, n, pr.GridSD), sR: axis(pr.LogSR, pr.LogSRSD, n, pr.GridSD),
		muT: axis(pr.MuT, pr.MuTSD, nc, pr.GridSD)}
	sq := func(x float64) float64 { return x * x }
	lpR, lpSR, lpT := make([]float64, n), make([]float64, n), make([]float64, nc)
	for i := 0; i < n; i++ {
		lpR[i] = -0.5 * sq((g.muR[i]-pr.MuR)/pr.MuRSD)
		lpSR[i] = -0.5 * sq((g.sR[i]-pr.LogSR)/pr.LogSRSD)
	}
	for i := 0; i < nc; i++ {
		lpT[i] = -0.5 * sq((g.muT[i]-pr.MuT)/pr.MuTSD)
	}
	var lpST []float64
	if pr.CommonRamp {
		g.sT, lpST = []float64{0}, []float64{0}
	} else {
		g.sT, lpST = axis(pr.LogST, pr.LogSTSD, n, pr.GridSD), make([]float64, n)
		for i := range lpST {
			lpST[i] = -0.5 * sq((g.sT[i]-pr.LogST)/pr.LogSTSD)
			g.sT[i] = math.Exp(g.sT[i])
		}
	}
	// The sd axes are regular in log sd, and the priors are normal in log
	// sd, so no Jacobian enters.
	for i := range g.sR {
		g.sR[i] = math.Exp(g.sR[i])
	}
	na, nb, _, nd := g.dims()
	g.logPrior = make([]float64, na*nb*nc*nd)
	for a := 0; a < na; a++ {
		for b := 0; b < nb; b++ {
			for c := 0; c < nc; c++ {
				for d := 0; d < nd; d++ {
					g.logPrior[((a*nb+b)*nc+c)*nd+d] = lpR[a] + lpSR[b] + lpT[c] + lpST[d]
				}
			}
		}
	}
	// Quadrature over z = (log T - mu_T)/s_T: K slices of equal width in z
	// over [-5.5, 5.5] (the mass beyond, 4e-8, is dropped), slice j weighted
	// by its probability.
	g.measSD = pr.MeasurementSD
	g.yearByYear = pr.YearByYear
	k := pr.TNodes
	g.edgesZ = make([]float64, k+1)
	g.sliceP = make([]float64, k)
	for j := range g.edgesZ {
		g.edgesZ[j] = -5.5 + 11*float64(j)/float64(k)
	}
	for j := range g.sliceP {
		g.sliceP[j] = distuv.UnitNormal.CDF(g.edgesZ[j+1]) - distuv.UnitNormal.CDF(g.edgesZ[j])
	}
	return g
}

// savingsShape is C(y/T)/C_plan(y): what a ramp stretch T does to a
// saving's ratio realised/projected at year y, before realisation.
func savingsShape(o Outturn, t float64) float64 {
	if len(o.Years) > 0 { // a measured row: the mean over its years
		c := 0.0
		for _, y := range o.Years {
			c += lgr.RampShare(SavingsPhasing, float64(y)/t)
		}
		return c / float64(len(o.Years))
	}
	c := lgr.RampShare(SavingsPhasing, float64(o.Year)/t)
	if o.Basis == BasisSameYear {
		c /= lgr.RampShare(SavingsPhasing, float64(o.Year))
	}
	return c
}

// logLik returns a savings row's log-likelihood (the density of its log
// ratio lr) at every grid point. Given a case's T the log ratio is
// N(mu_R + h(T), s_R^2) with h(T) = log(C(y/T)/C_plan(y)). Over T =
// exp(mu_T + s_T z), z ~ N(0, 1) cut into slices of probability p_j,
// e = lr - h(T) rises with z from e_j to e_j+1 in slice j, and the slice
// contributes p_j [Phi((e_j+1 - mu_R)/s_R) - Phi((e_j - mu_R)/s_R)] /
// (e_j+1 - e_j): the density of log R averaged over the slice, e taken as
// uniform within it. Unlike a node rule this stays accurate when s_R is
// small beside the spread of h over a slice.
func (g *savingsGrid) logLik(o Outturn) []float64 {
	na, nb, nc, nd := g.dims()
	out := make([]float64, na*nb*nc*nd)
	lr := math.Log(o.Ratio())
	e := make([]float64, len(g.edgesZ))
	tail := make([]float64, len(g.edgesZ))
	for c := 0; c < nc; c++ {
		for dd := 0; dd < nd; dd++ {
			for j, z := range g.edgesZ {
				e[j] = lr - math.Log(savingsShape(o, math.Exp(g.muT[c]+g.sT[dd]*z)))
			}
			for b := 0; b < nb; b++ {
				for a := 0; a < na; a++ {
					out[((a*nb+b)*nc+c)*nd+dd] = sliceLogDensity(e, tail, g.sliceP, g.muR[a], math.Hypot(g.sR[b], g.measSD))
				}
			}
		}
	}
	return out
}

// Quadrature nodes of a measured row's likelihood: equal-probability
// midpoints of log R (measuredRNodes) and log T (measuredTNodes).
const (
	measuredRNodes = 16
	measuredTNodes = 8
)

// logLikMeasured returns a measured row's log-likelihood at every grid
// point. The measured saving over the claim, x, is R S(T) + e with e ~
// N(0, (SE/claim)^2), S(T) the mean over the row's years of C(y/T), and
// log R ~ N(mu_R, s_R^2), log T ~ N(mu_T, s_T^2): the normal density of x
// averaged over R and T by equal-probability midpoint nodes. The error is
// additive in pounds because a measured saving can be zero or negative.
func (g *savingsGrid) logLikMeasured(o Outturn) []float64 {
	na, nb, nc, nd := g.dims()
	out := make([]float64, na*nb*nc*nd)
	x, sd := o.Ratio(), o.SE/o.Projected
	zr, zt := make([]float64, measuredRNodes), make([]float64, measuredTNodes)
	for k := range zr {
		zr[k] = distuv.UnitNormal.Quantile((float64(k) + 0.5) / float64(len(zr)))
	}
	for j := range zt {
		zt[j] = distuv.UnitNormal.Quantile((float64(j) + 0.5) / float64(len(zt)))
	}
	// shape[(c nd + d) J + j]: S(T) at the T node j of grid point (c, d).
	shape := make([]float64, nc*nd*len(zt))
	for c := 0; c < nc; c++ {
		for dd := 0; dd < nd; dd++ {
			for j, z := range zt {
				shape[(c*nd+dd)*len(zt)+j] = savingsShape(o, math.Exp(g.muT[c]+g.sT[dd]*z))
			}
		}
	}
	r := make([]float64, len(zr))
	norm := 1 / (sd * math.Sqrt(2*math.Pi) * float64(len(zr)*len(zt)))
	for a := 0; a < na; a++ {
		for b := 0; b < nb; b++ {
			for k, z := range zr {
				r[k] = math.Exp(g.muR[a] + g.sR[b]*z)
			}
			for cd := 0; cd < nc*nd; cd++ {
				sum := 0.0
				for _, sh := range shape[cd*len(zt) : (cd+1)*len(zt)] {
					for _, rk := range r {
						u := (x - rk*sh) / sd
						sum += math.Exp(-0.5 * u * u)
					}
				}
				out[(a*nb+b)*nc*nd+cd] = math.Log(math.Max(sum*norm, 1e-300))
			}
		}
	}
	return out
}

// Quadrature of a measured row's year-by-year likelihood
// (logLikMeasuredYears): over z = (log R - mu_R)/s_R,
// the midpoint rule with yearsRNodes nodes of equal width on
// [-yearsZMax, yearsZMax], each weighted by the normal density (the
// weights normalised to sum to 1); over log T, measuredTNodes
// equal-probability midpoints (one node with one ramp for every case).
// Equal-probability midpoints in z (16 or 32 of them, as logLikMeasured)
// left the tails, where a case with R far from the median sits, too coarse
// once s_R is near 1, as it is year by year: mu_R moved by 0.005 from 16
// to 32 nodes.
const (
	yearsRNodes = 160
	yearsZMax   = 8
)

// logLikMeasuredYears returns a measured row's log-likelihood at every grid
// point. The measured saving over the claim in each of the row's years y,
// x_y, is R C(y/T) + e_y with e ~ N(0, V) (V = YearCov: each year's
// placebo variance, the years correlated as the placebo areas' errors
// are), and log R ~ N(mu_R, s_R^2), log T ~ N(mu_T, s_T^2): the
// multivariate normal density of x averaged over R and T
// (yearsRNodes). A row without YearRatios is the scalar case: the mean
// ratio with sd SE/claim and shape S(T) = mean_y C(y/T). The error is additive in pounds because a measured
// saving can be zero or negative.
func (g *savingsGrid) logLikMeasuredYears(o Outturn) []float64 {
	na, nb, nc, nd := g.dims()
	out := make([]float64, na*nb*nc*nd)
	zr, zt := make([]float64, yearsRNodes), make([]float64, measuredTNodes)
	if nd == 1 && g.sT[0] == 0 { // one ramp for every case: T = exp(mu_T)
		zt = zt[:1]
	}
	wr := make([]float64, len(zr))
	wsum := 0.0
	for k := range zr {
		zr[k] = -yearsZMax + 2*yearsZMax*(float64(k)+0.5)/float64(len(zr))
		wr[k] = math.Exp(-0.5 * zr[k] * zr[k])
		wsum += wr[k]
	}
	for k := range wr {
		wr[k] /= wsum
	}
	for j := range zt {
		zt[j] = distuv.UnitNormal.Quantile((float64(j) + 0.5) / float64(len(zt)))
	}
	// The density is exp(-(xPx - 2 R A + R^2 B)/2) / norm with P = V^-1,
	// A = c'Px and B = c'Pc for the ramp vector c(T); in the scalar case
	// P = (claim/SE)^2 and c = S(T).
	var xs []float64 // the data vector
	var prec []float64
	logNorm := 0.0 // log of (2 pi)^(m/2) |V|^(1/2)
	if m := len(o.YearRatios); m > 0 && len(o.YearCov) == m*m {
		xs = o.YearRatios
		l, ok := cholesky(o.YearCov, m)
		if !ok {
			panic("calibration: a measured row's YearCov is not positive definite")
		}
		prec = invFromCholesky(l, m)
		for i := range m {
			logNorm += math.Log(l[i*m+i])
		}
		logNorm += 0.5 * float64(m) * math.Log(2*math.Pi)
	} else {
		sd := o.SE / o.Projected
		xs = []float64{o.Ratio()}
		prec = []float64{1 / (sd * sd)}
		logNorm = math.Log(sd * math.Sqrt(2*math.Pi))
	}
	m := len(xs)
	quadForm := func(u, v []float64) float64 {
		q := 0.0
		for i := range m {
			for j := range m {
				q += u[i] * prec[i*m+j] * v[j]
			}
		}
		return q
	}
	xPx := quadForm(xs, xs)
	// A and B at the T node j of grid point (c, d): index (c n + d) J + j.
	nt := len(zt)
	A, B := make([]float64, nc*nd*nt), make([]float64, nc*nd*nt)
	cv := make([]float64, m)
	for c := 0; c < nc; c++ {
		for dd := 0; dd < nd; dd++ {
			for j, z := range zt {
				T := math.Exp(g.muT[c] + g.sT[dd]*z)
				if len(o.YearRatios) > 0 && len(o.YearCov) == m*m {
					for i, y := range o.Years {
						cv[i] = lgr.RampShare(SavingsPhasing, float64(y)/T)
					}
				} else {
					cv[0] = savingsShape(o, T)
				}
				k := (c*nd+dd)*nt + j
				A[k], B[k] = quadForm(cv, xs), quadForm(cv, cv)
			}
		}
	}
	// qMin, the least quadratic form over every R > 0 and T node, is taken
	// out before exponentiating so that the best cells never underflow.
	qMin := xPx
	for j := range A {
		if A[j] > 0 && B[j] > 0 {
			qMin = math.Min(qMin, xPx-A[j]*A[j]/B[j])
		}
	}
	r := make([]float64, len(zr))
	logNodes := math.Log(float64(nt)) + 0.5*qMin
	for a := 0; a < na; a++ {
		for b := 0; b < nb; b++ {
			for k, z := range zr {
				r[k] = math.Exp(g.muR[a] + g.sR[b]*z)
			}
			for cd := 0; cd < nc*nd; cd++ {
				sum := 0.0
				for j := cd * nt; j < (cd+1)*nt; j++ {
					aj, bj := A[j], B[j]
					for k, rk := range r {
						sum += wr[k] * math.Exp(-0.5*(xPx-qMin-2*rk*aj+rk*rk*bj))
					}
				}
				out[(a*nb+b)*nc*nd+cd] = math.Log(math.Max(sum, 1e-300)) - logNodes - logNorm
			}
		}
	}
	return out
}

// invFromCholesky returns a^-1 (row-major) from the Cholesky factor l of
// a (n x n).
func invFromCholesky(l []float64, n int) []float64 {
	inv := make([]float64, n*n)
	col := make([]float64, n)
	for c := range n {
		// Solve L y = e_c, then L' x = y.
		for i := range n {
			s := 0.0
			if i == c {
				s = 1
			}
			for k := 0; k < i; k++ {
				s -= l[i*n+k] * col[k]
			}
			col[i] = s / l[i*n+i]
		}
		for i := n - 1; i >= 0; i-- {
			s := col[i]
			for k := i + 1; k < n; k++ {
				s -= l[k*n+i] * inv[k*n+c]
			}
			inv[i*n+c] = s / l[i*n+i]
		}
	}
	return inv
}

// sliceLogDensity is the log of sum_j p_j x (the normal N(mu, s^2) density
// averaged over [e_j, e_j+1]); tail is scratch space.
func sliceLogDensity(e, tail, p []float64, mu, s float64) float64 {
	// tail[j] is the smaller tail beyond standardised edge u: Phi(u) for
	// u < 0, 1 - Phi(u) for u >= 0 (so that differences do not cancel).
	for j, v := range e {
		u := (v - mu) / s
		tail[j] = 0
		if math.Abs(u) < 9 { // beyond, the tail is below 1e-19: taken as 0
			tail[j] = 0.5 * math.Erfc(math.Abs(u)/math.Sqrt2)
		}
		if u >= 0 {
			tail[j] = -tail[j] // marks the upper side
		}
	}
	sum := 0.0
	for j := range p {
		w := e[j+1] - e[j]
		if w <= 1e-9*s { // h flat over the slice (C at its last knot): a point
			u := (e[j] - mu) / s
			sum += p[j] * math.Exp(-0.5*u*u) / (s * math.Sqrt(2*math.Pi))
			continue
		}
		a, b := tail[j], tail[j+1]
		var m float64
		switch {
		case a <= 0 && b <= 0: // both above mu: Q(a) - Q(b)
			m = b - a
		case a > 0 && b > 0: // both below: Phi(b) - Phi(a)
			m = b - a
		default: // a below, b above: 1 - Phi(a) - Q(b)
			m = 1 - a + b
		}
		sum += p[j] * m / w
	}
	if sum > 1e-300 {
		return math.Log(sum)
	}
	// Far in the tails every slice underflows: the log density at the
	// nearest edge (an upper bound, tight in the limit).
	best := math.Inf(1)
	for _, v := range e {
		best = math.Min(best, math.Abs(v-mu)/s)
	}
	return -0.5*best*best - math.Log(s*math.Sqrt(2*math.Pi))
}

// predictive returns the lognormals matching the posterior predictive of a
// new case's R and T (the central 90% interval of the normal
// mixtures of log R and log T), the hyperparameters' posterior means and
// sds, and the posterior mass on the grid's outer cells.
//
// With one ramp for every case (s_T = 0) a new case's log T is mu_T, whose
// grid posterior is a set of point masses: T's lognormal is then the
// normal with mu_T's posterior mean and sd (the grid's moments are
// accurate where its quantiles would snap to grid points).
func (g *savingsGrid) predictive(post []float64) (r, t LogNormalParams, hyper map[string][2]float64, edge float64) {
	na, nb, nc, nd := g.dims()
	wR := make([]float64, na*nb) // over (a, b)
	wT := make([]float64, nc*nd) // over (c, d)
	var m [4][2]float64          // sums of x and x^2 per hyperparameter
	for a := 0; a < na; a++ {
		for b := 0; b < nb; b++ {
			for c := 0; c < nc; c++ {
				for d := 0; d < nd; d++ {
					p := post[((a*nb+b)*nc+c)*nd+d]
					wR[a*nb+b] += p
					wT[c*nd+d] += p
					for h, x := range [4]float64{g.muR[a], g.sR[b], g.muT[c], g.sT[d]} {
						m[h][0] += p * x
						m[h][1] += p * x * x
					}
					// An axis of one point (a fixed s_T) has no edge.
					if a == 0 || a == na-1 || b == 0 || b == nb-1 || c == 0 || c == nc-1 || (nd > 1 && (d == 0 || d == nd-1)) {
						edge += p
					}
				}
			}
		}
	}
	hyper = map[string][2]float64{}
	for h, name := range []string{"mu_R", "s_R", "mu_T", "s_T"} {
		hyper[name] = [2]float64{m[h][0], math.Sqrt(math.Max(0, m[h][1]-m[h][0]*m[h][0]))}
	}
	t = LogNormalParams{Mu: hyper["mu_T"][0], Sigma: hyper["mu_T"][1]}
	if nd > 1 || g.sT[0] > 0 {
		t = matchMixture(wT, g.muT, g.sT)
	}
	return matchMixture(wR, g.muR, g.sR), t, hyper, edge
}

// commonShares returns, for log R and for log T, the share of a new
// case's predictive variance that is posterior variance of the population
// mean: Var(mu | data) / (Var(mu | data) + E[s^2 | data]) (the law of total
// variance: a new case's log value is mu + s z, z ~ N(0, 1) independent of
// the hyperparameters). Two new cases share mu but draw their own z, so
// their log values correlate by this share.
func (g *savingsGrid) commonShares(post []float64) (r, t float64) {
	na, nb, nc, nd := g.dims()
	var m [6]float64 // E mu_R, E mu_R^2, E s_R^2, E mu_T, E mu_T^2, E s_T^2
	for a := 0; a < na; a++ {
		for b := 0; b < nb; b++ {
			for c := 0; c < nc; c++ {
				for d := 0; d < nd; d++ {
					p := post[((a*nb+b)*nc+c)*nd+d]
					m[0] += p * g.muR[a]
					m[1] += p * g.muR[a] * g.muR[a]
					m[2] += p * g.sR[b] * g.sR[b]
					m[3] += p * g.muT[c]
					m[4] += p * g.muT[c] * g.muT[c]
					m[5] += p * g.sT[d] * g.sT[d]
				}
			}
		}
	}
	vR, vT := math.Max(0, m[1]-m[0]*m[0]), math.Max(0, m[4]-m[3]*m[3])
	return vR / (vR + m[2]), vT / (vT + m[5])
}

// matchMixture returns the lognormal whose log has the same 5% and 95%
// quantiles as the normal mixture sum_ab w[a len(s) + b] N(mu[a], s[b]^2).
func matchMixture(w, mu, s []float64) LogNormalParams {
	n, ns := len(mu), len(s)
	cdf := func(x float64) float64 {
		f := 0.0
		for a := 0; a < n; a++ {
			for b := 0; b < ns; b++ {
				if p := w[a*ns+b]; p > 0 {
					f += p * 0.5 * math.Erfc(-(x-mu[a])/(s[b]*math.Sqrt2))
				}
			}
		}
		return f
	}
	lo, hi := mu[0]-12*s[ns-1], mu[n-1]+12*s[ns-1]
	q := func(p float64) float64 {
		a, b := lo, hi
		for i := 0; i < 100 && b-a > 1e-12; i++ {
			c := 0.5 * (a + b)
			if cdf(c) < p {
				a = c
			} else {
				b = c
			}
		}
		return 0.5 * (a + b)
	}
	q05, q95 := q(0.05), q(0.95)
	return LogNormalParams{Mu: 0.5 * (q05 + q95), Sigma: (q95 - q05) / (2 * z95)}
}
