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
// an upper bound on the error of the mean). Money is in PriceBase prices:
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
		var years []int
		var saving, se, cf float64
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
			saving += real * (e.Counterfactual - e.Actual)
			se += real * e.Counterfactual * (e.Hi - e.Lo) / (2 * Z95)
			cf += real * e.Counterfactual
			vesting = e.VestingYear
		}
		realClaim, err := RealFactor(c.PriceYear)
		if err != nil {
			return nil, fmt.Errorf("measured claim %s: %w", c.Case, err)
		}
		claim := realClaim * c.ClaimGBP
		if len(years) == 0 {
			return nil, fmt.Errorf("measured claim %s (%s): no measured effect in years 1-%d", c.Case, c.Successor, MeasuredYears)
		}
		n := float64(len(years))
		slices.Sort(years)
		ys := make([]string, len(years))
		for i, y := range years {
			ys[i] = strconv.Itoa(y)
		}
		name := fmt.Sprintf("%s (measured: %s)", c.Case, c.Successor)
		out = append(out, Outturn{Case: name, Measure: MeasureSavings, Year: years[len(years)-1], Years: years, Basis: BasisSteady,
			Projected: claim, Realised: saving / n, ProjectedGBP: claim, RealisedGBP: saving / n, SE: se / n,
			ProjectedSource: fmt.Sprintf("%s [%s; £%.1fm a year in %d prices = £%.1fm in %s prices]",
				c.Source, c.ClaimKind, c.ClaimGBP/1e6, c.PriceYear, claim/1e6, PriceBase),
			RealisedSource: fmt.Sprintf("devolve evidence: %s, %s, mean of years %s after vesting (%d), counterfactual £%.0fm a year, %s prices",
				MeasuredOutcome.Label(), MeasuredEstimator, strings.Join(ys, ", "), vesting, cf/n/1e6, PriceBase),
			Quality: QualityMeasured, Kind: KindMeasured, KindReason: "measured from MHCLG revenue outturn against a synthetic control of councils not reorganised",
			SourceCase: c.Case})
	}
	return out, nil
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
