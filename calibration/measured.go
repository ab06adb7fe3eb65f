package calibration

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Measured savings: what `devolve evidence` measured against what each
// business case claimed (docs/MODEL.md, "Measured outcomes").

// MeasuredOutcome is the outcome whose measured change is set against a
// business case's claimed saving: total service spending less education,
// public health, police and fire (outcome (b) of `devolve evidence`). The
// lines a merger touches (outcome (a)) move with recharging and
// reclassification between lines when councils merge (the 2023 wave's
// first year: -29% on those lines, +0% on services as a whole), so a fall
// there need not be a saving.
const MeasuredOutcome = OutcomeCoreServices

// MeasuredEstimator is the estimator of the measured rows: the synthetic
// control (difference-in-differences is reported beside it by `devolve
// evidence`).
const MeasuredEstimator = EstimatorSC

// MeasuredYears is the last year after vesting averaged into a measured
// row: years 1-5, the business cases' own horizon.
const MeasuredYears = 5

// QualityMeasured is the quality flag of a measured row.
const QualityMeasured = "measured"

// MeasuredClaim is one business case's claimed steady-state saving matched
// to one successor council of `devolve evidence`
// (calibration/data/measured_claims.csv).
type MeasuredClaim struct {
	Case      string
	Successor string
	// ClaimGBP is the claimed saving a year in pounds of PriceYear, the
	// calendar year the case was written in.
	ClaimGBP  float64
	PriceYear int
	// ClaimKind is what the claim is (ClaimKinds): a pre-vesting proposal's
	// figure, a government expectation, or a post-vesting transformation
	// case.
	ClaimKind string
	Source    string
	URL       string
	Notes     string
}

// ClaimKinds are the kinds of a measured claim (measured_claims.csv's
// claim_kind): "proposal" (a pre-vesting business case's central or only
// figure), "government expectation" (what DCLG expected), "post-vesting
// transformation case" (a programme the successor adopted after vesting:
// BCP's 2020 case, the only BCP-specific figure found).
var ClaimKinds = []string{"proposal", "government expectation", "post-vesting transformation case"}

// MeasuredClaims reads data/measured_claims.csv.
func MeasuredClaims() ([]MeasuredClaim, error) {
	rows, err := readCSV("measured_claims.csv")
	if err != nil {
		return nil, err
	}
	var out []MeasuredClaim
	for i, r := range rows {
		v, err := strconv.ParseFloat(r["claim_gbp"], 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("measured_claims.csv row %d (%s): claim_gbp must be a positive number (got %q)", i+2, r["case"], r["claim_gbp"])
		}
		if r["case"] == "" || r["successors"] == "" || r["claim_source"] == "" || r["url"] == "" {
			return nil, fmt.Errorf("measured_claims.csv row %d: case, successors, claim_source and url are required", i+2)
		}
		py, err := strconv.Atoi(r["price_year"])
		if err != nil {
			return nil, fmt.Errorf("measured_claims.csv row %d (%s): price_year must be a year (got %q)", i+2, r["case"], r["price_year"])
		}
		if _, err := RealFactor(py); err != nil {
			return nil, fmt.Errorf("measured_claims.csv row %d (%s): price_year: %w", i+2, r["case"], err)
		}
		if !slices.Contains(ClaimKinds, r["claim_kind"]) {
			return nil, fmt.Errorf("measured_claims.csv row %d (%s): claim_kind must be one of %s (got %q)", i+2, r["case"], strings.Join(ClaimKinds, ", "), r["claim_kind"])
		}
		out = append(out, MeasuredClaim{Case: r["case"], Successor: r["successors"], ClaimGBP: v, PriceYear: py,
			ClaimKind: r["claim_kind"], Source: r["claim_source"], URL: r["url"], Notes: r["notes"]})
	}
	return out, nil
}

// MeasuredOutturns returns one savings row per measured claim: the
// measured saving (counterfactual less actual spending on MeasuredOutcome,
// by MeasuredEstimator) averaged over years 1 to MeasuredYears after
// vesting, leaving out years flagged covid (2020-21, 2021-22), against the
// claimed steady-state saving. Realised may be negative (spending rose
// against the counterfactual). SE is the standard error of the measured
// saving: each year's 95% placebo interval read as +-1.96 sd, in pounds
// (counterfactual x (Hi - Lo) / 3.92), averaged over the years as if the
// years' errors were perfectly correlated (they share one counterfactual:
// an upper bound on the error of the mean). YearRatios and YearCov give
// the years one by one, the correlation between years estimated from the
// placebo areas' gaps (placeboCorrelation), for the year-by-year fit
// (FitPriors.YearByYear). Money is in PriceBase prices:
// each year's saving and error restated by RealFactor of the calendar year
// its financial year begins in, the claim by RealFactor of its PriceYear.
func MeasuredOutturns() ([]Outturn, error) {
	claims, err := MeasuredClaims()
	if err != nil {
		return nil, err
	}
	effects, err := MeasuredEffects()
	if err != nil {
		return nil, err
	}
	return measuredOutturns(claims, effects)
}

func measuredOutturns(claims []MeasuredClaim, effects []MeasuredEffect) ([]Outturn, error) {
	var out []Outturn
	for _, c := range claims {
		realClaim, err := RealFactor(c.PriceYear)
		if err != nil {
			return nil, fmt.Errorf("measured claim %s: %w", c.Case, err)
		}
		claim := realClaim * c.ClaimGBP
		var years []int
		var savings, sds []float64 // by year, PriceBase pounds
		var gaps [][]PlaceboGap    // placebo gaps by year
		var cf float64
		vesting := 0
		for _, e := range effects {
			if e.Successor != c.Successor || e.Outcome != MeasuredOutcome || e.Estimator != MeasuredEstimator ||
				e.Year < 1 || e.Year > MeasuredYears || slices.Contains(e.Flags, FlagCovid) {
				continue
			}
			fy, err := financialYearStart(e.FinancialYear)
			if err != nil {
				return nil, fmt.Errorf("measured claim %s (%s): %w", c.Case, c.Successor, err)
			}
			real, err := RealFactor(fy)
			if err != nil {
				return nil, fmt.Errorf("measured claim %s (%s): %w", c.Case, c.Successor, err)
			}
			years = append(years, e.Year)
			savings = append(savings, real*(e.Counterfactual-e.Actual))
			sds = append(sds, real*e.Counterfactual*(e.Hi-e.Lo)/(2*Z95))
			gaps = append(gaps, e.PlaceboGaps)
			cf += real * e.Counterfactual
			vesting = e.VestingYear
		}
		if len(years) == 0 {
			return nil, fmt.Errorf("measured claim %s (%s): no measured effect in years 1-%d", c.Case, c.Successor, MeasuredYears)
		}
		if !slices.IsSorted(years) {
			return nil, fmt.Errorf("measured claim %s (%s): years after vesting out of order %v", c.Case, c.Successor, years)
		}
		n := len(years)
		corr := placeboCorrelation(gaps)
		ratios := make([]float64, n)
		cov := make([]float64, n*n)
		var saving, se float64
		for i := range years {
			saving += savings[i]
			se += sds[i]
			ratios[i] = savings[i] / claim
			for j := range years {
				cov[i*n+j] = sds[i] * sds[j] * corr[i*n+j] / (claim * claim)
			}
		}
		fn := float64(n)
		ys := make([]string, n)
		for i, y := range years {
			ys[i] = strconv.Itoa(y)
		}
		name := fmt.Sprintf("%s (measured: %s)", c.Case, c.Successor)
		out = append(out, Outturn{Case: name, Measure: MeasureSavings, Year: years[n-1], Years: years, Basis: BasisSteady,
			Projected: claim, Realised: saving / fn, ProjectedGBP: claim, RealisedGBP: saving / fn, SE: se / fn,
			YearRatios: ratios, YearCov: cov,
			ProjectedSource: fmt.Sprintf("%s [%s; £%.1fm a year in %d prices = £%.1fm in %s prices]",
				c.Source, c.ClaimKind, c.ClaimGBP/1e6, c.PriceYear, claim/1e6, PriceBase),
			RealisedSource: fmt.Sprintf("devolve evidence: %s, %s, mean of years %s after vesting (%d), counterfactual £%.0fm a year, %s prices",
				MeasuredOutcome.Label(), MeasuredEstimator, strings.Join(ys, ", "), vesting, cf/fn/1e6, PriceBase),
			Quality: QualityMeasured, Kind: KindMeasured, KindReason: "measured from MHCLG revenue outturn against a synthetic control of councils not reorganised",
			SourceCase: c.Case})
	}
	return out, nil
}

// placeboCorrelation returns the correlation matrix (row-major) of one
// unit's errors in the given years, estimated from the placebo areas' gaps
// in those years (gaps[i]: year i's, by area): for each pair of years, sum
// g_i g_j / sqrt(sum g_i^2 sum g_j^2) over the areas with both (in year
// i's order), uncentred like the placebo spread the intervals use
// (the errors are about zero). Pairwise estimates need not make a valid
// correlation matrix: while it is not positive definite it is shrunk
// towards the identity, C <- 0.9 C + 0.1 I. Years with too few areas in
// common (fewer than 3) are taken as uncorrelated.
func placeboCorrelation(gaps [][]PlaceboGap) []float64 {
	n := len(gaps)
	c := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if i == j {
				c[i*n+j] = 1
				continue
			}
			other := make(map[string]float64, len(gaps[j]))
			for _, g := range gaps[j] {
				other[g.Area] = g.Gap
			}
			var sij, sii, sjj float64
			k := 0
			for _, g := range gaps[i] {
				y, ok := other[g.Area]
				if !ok {
					continue
				}
				x := g.Gap
				sij += x * y
				sii += x * x
				sjj += y * y
				k++
			}
			if k >= 3 && sii > 0 && sjj > 0 {
				c[i*n+j] = sij / math.Sqrt(sii*sjj)
			}
		}
	}
	for range 100 {
		if _, ok := cholesky(c, n); ok {
			return c
		}
		for i := range n {
			for j := range n {
				if i != j {
					c[i*n+j] *= 0.9
				}
			}
		}
	}
	panic("calibration: placeboCorrelation did not reach a positive-definite matrix")
}

// cholesky returns the lower-triangular L (row-major) with L L' = a, and
// whether a (n x n, symmetric) is positive definite.
func cholesky(a []float64, n int) ([]float64, bool) {
	l := make([]float64, n*n)
	for i := range n {
		for j := 0; j <= i; j++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= l[i*n+k] * l[j*n+k]
			}
			if i == j {
				if !(s > 1e-12) {
					return nil, false
				}
				l[i*n+i] = math.Sqrt(s)
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	return l, true
}

// AllOutturns returns the published rows of reorganisation_outturns.csv
// followed by the measured rows (MeasuredOutturns): what FitDefaults and
// the back-test use. Only the measured (and any audited) rows have weight
// in a fit; the others are back-tested beside them.
func AllOutturns() ([]Outturn, error) {
	rows, err := Outturns()
	if err != nil {
		return nil, err
	}
	m, err := MeasuredOutturns()
	if err != nil {
		return nil, err
	}
	return append(rows, m...), nil
}

// YearPool is the measured saving over the claim in one year after
// vesting, pooled across measured rows (PooledByYear).
type YearPool struct {
	// Year is the year after vesting; Cases the rows measured in it.
	Year, Cases int
	// Ratio is the precision-weighted mean of the rows' savings over their
	// claims in Year, SE its standard error.
	Ratio, SE float64
}

// PooledByYear pools the measured rows' savings over their claims by year
// after vesting (docs/MODEL.md, "The ramp, measured"): for each year, the
// precision-weighted mean of the rows' YearRatios in that year (weights 1 /
// the year's variance, the diagonal of YearCov), with standard error 1 /
// sqrt(sum of weights), the rows taken as independent (the 2009 wave's
// share donors, so its errors are somewhat correlated and the SE a little
// low). Rows for which skip returns true are left out (a held-out case);
// years are in increasing order.
func PooledByYear(rows []Outturn, skip func(Outturn) bool) []YearPool {
	sw, swx, n := map[int]float64{}, map[int]float64{}, map[int]int{}
	for _, o := range rows {
		if o.Kind != KindMeasured || (skip != nil && skip(o)) {
			continue
		}
		m := len(o.YearRatios)
		for i, y := range o.Years {
			if i >= m || len(o.YearCov) != m*m || !(o.YearCov[i*m+i] > 0) {
				continue
			}
			w := 1 / o.YearCov[i*m+i]
			sw[y] += w
			swx[y] += w * o.YearRatios[i]
			n[y]++
		}
	}
	var out []YearPool
	for y := range sw {
		out = append(out, YearPool{Year: y, Cases: n[y], Ratio: swx[y] / sw[y], SE: 1 / math.Sqrt(sw[y])})
	}
	slices.SortFunc(out, func(a, b YearPool) int { return a.Year - b.Year })
	return out
}
