package calibration

import (
	"embed"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/internal/csvdata"
)

//go:embed data/*.csv
var dataFS embed.FS

func readCSV(name string) ([]map[string]string, error) {
	return csvdata.Read(dataFS, "data/"+name)
}

// Measures of an outturn.
const (
	MeasureOneOffCost = "one_off_cost"
	MeasureSavings    = "savings"
)

// Bases of a saving's projected figure.
const (
	// BasisSameYear: the projected figure is the business case's own
	// figure for the same year after vesting as the realised one.
	BasisSameYear = "same_year"
	// BasisSteady: the projected figure is the steady-state (full) annual
	// saving.
	BasisSteady = "steady"
)

// QualityWeight is the weight of an outturn's log ratio in FitDefaults, by
// its quality flag (calibration/data/README.md). Audited or official figures
// and councils' own statements count fully; a vendor's claim or a figure
// whose date or attribution is uncertain counts half; a budgeted (not
// realised) saving is not an outturn, so it is only back-tested, never
// fitted. JUDGEMENT, stated in docs/MODEL.md.
var QualityWeight = map[string]float64{
	QualityMeasured: 1,
	"audited":       1,
	"official":      1,
	"reported":      1,
	"uncertain":     0.5,
	"vendor":        0.5,
	QualityBudgeted: 0,
}

// QualityBudgeted flags a saving written into a budget, not shown to have
// been achieved: every other row is a realised outcome.
const QualityBudgeted = "budgeted not realised"

// IsRealised says whether the row is a realised outcome, not a budget.
func (o Outturn) IsRealised() bool { return o.Quality != QualityBudgeted }

// Kinds of evidence, strongest first (calibration/data/README.md): what a
// figure is, as opposed to its Quality (who published it).
const (
	// KindMeasured (declared with the evidence study): measured from
	// national statistics against a counterfactual (MeasuredEffects).

	// KindAudited: a statement of accounts or an external auditor's figure.
	KindAudited = "audited"
	// KindCouncilReported: a council's (or its programme's) own statement
	// of what was spent or saved, not audited.
	KindCouncilReported = "council-reported"
	// KindBudget: a figure written into a budget or a pre-vesting plan, not
	// shown to have been spent or achieved.
	KindBudget = "budget"
	// KindEstimate: a forecast or a third party's estimate (a consultant's,
	// a government stocktake's forecast outturn, an "expected" run-rate).
	KindEstimate = "estimate"
)

// Kinds lists the kinds of evidence, strongest first.
var Kinds = []string{KindMeasured, KindAudited, KindCouncilReported, KindBudget, KindEstimate}

// IsOutcome says whether a kind of evidence is a realised outcome: only
// measured and audited figures are (docs/MODEL.md, "Evidence by kind").
func IsOutcome(kind string) bool { return kind == KindMeasured || kind == KindAudited }

// Outturn is one projected-versus-realised figure of a past reorganisation.
type Outturn struct {
	Case string `json:"case"`
	// Measure is one_off_cost or savings.
	Measure string `json:"measure"`
	// Year is, for savings, the year after vesting of the realised figure
	// (1 = the first year of the new councils).
	Year int `json:"year_after_vesting,omitempty"`
	// Basis is, for savings, what the projected figure is: same_year or
	// steady.
	Basis string `json:"basis,omitempty"`
	// Projected and Realised are in PriceBase (2024-25) prices: the
	// file's cash figures restated from ProjectedPriceYear and
	// RealisedPriceYear by RealFactor; ProjectedGBP and RealisedGBP are the
	// same figures (so their ratio is a ratio of real values).
	Projected, Realised float64 `json:"-"`
	ProjectedGBP        float64 `json:"projected_gbp"`
	RealisedGBP         float64 `json:"realised_gbp"`
	// ProjectedPriceYear and RealisedPriceYear are the calendar years
	// whose pounds the published figures are in (0 for a measured row,
	// which is built in PriceBase prices).
	ProjectedPriceYear int    `json:"projected_price_year,omitempty"`
	RealisedPriceYear  int    `json:"realised_price_year,omitempty"`
	ProjectedSource    string `json:"projected_source"`
	RealisedSource     string `json:"realised_source"`
	Quality            string `json:"quality"`
	// Kind is what the realised figure is (Kinds): measured, audited,
	// council-reported, budget or estimate; KindReason says why.
	Kind       string `json:"kind"`
	KindReason string `json:"kind_reason"`
	// Years are, for a measured row, the years after vesting whose
	// measured savings Realised averages (Year is the last); SE is the
	// standard error of Realised in pounds (0 for a published figure).
	Years []int   `json:"years_after_vesting,omitempty"`
	SE    float64 `json:"se_gbp,omitempty"`
	// YearRatios and YearCov are, for a measured row, the measured saving
	// of each of Years over the claim (PriceBase prices) and their
	// covariance (row-major, len(Years)^2, in the same units): each year's
	// variance from its placebo interval, the correlation between years
	// from the placebo areas' gaps. The fit's likelihood reads the years
	// one by one through them, so the ramp is fitted to the measured path.
	YearRatios []float64 `json:"-"`
	YearCov    []float64 `json:"-"`
	// SourceCase is, for a measured row, the case id (as in this file's
	// case column) whose business case it measures.
	SourceCase string `json:"source_case,omitempty"`
	// Overlaps is set when the row's notes say it is a component of another
	// row ("overlaps: ..."): it is back-tested but not counted in the
	// coverage of independent rows.
	Overlaps bool `json:"overlaps,omitempty"`
}

// Ratio is realised / projected.
func (o Outturn) Ratio() float64 { return o.Realised / o.Projected }

// Weight is the outturn's weight in FitDefaults: 0 unless the row is a
// realised outcome (IsOutcome of its Kind: measured or audited), else
// QualityWeight of its quality flag. Council-reported figures, budgets and
// estimates are back-tested and shown beside, never fitted.
func (o Outturn) Weight() float64 {
	if !IsOutcome(o.Kind) {
		return 0
	}
	return QualityWeight[o.Quality]
}

// Outturns reads data/reorganisation_outturns.csv and checks every row.
func Outturns() ([]Outturn, error) {
	rows, err := readCSV("reorganisation_outturns.csv")
	if err != nil {
		return nil, err
	}
	return parseOutturns(rows)
}

func parseOutturns(rows []map[string]string) ([]Outturn, error) {
	var out []Outturn
	var errs []error
	qualities := make([]string, 0, len(QualityWeight))
	for q := range QualityWeight {
		qualities = append(qualities, q)
	}
	sort.Strings(qualities)
	for i, r := range rows {
		bad := func(col, format string, a ...any) {
			errs = append(errs, fmt.Errorf("reorganisation_outturns.csv row %d (%s): %s: %s", i+2, r["case"], col, fmt.Sprintf(format, a...)))
		}
		o := Outturn{Case: r["case"], Measure: r["measure"], Basis: r["basis"], ProjectedSource: r["projected_source"],
			RealisedSource: r["realised_source"], Quality: r["quality"],
			Kind: r["kind"], KindReason: r["kind_reason"], Overlaps: strings.Contains(r["notes"], "overlaps: ")}
		for _, c := range []struct {
			col string
			v   *float64
		}{{"projected_gbp", &o.Projected}, {"realised_gbp", &o.Realised}} {
			v, err := strconv.ParseFloat(r[c.col], 64)
			if err != nil || !(v > 0) || math.IsInf(v, 0) {
				bad(c.col, "must be a positive number (got %q)", r[c.col])
			}
			*c.v = v
		}
		for _, c := range []struct {
			col string
			y   *int
			v   *float64
		}{{"projected_price_year", &o.ProjectedPriceYear, &o.Projected}, {"realised_price_year", &o.RealisedPriceYear, &o.Realised}} {
			y, err := strconv.Atoi(r[c.col])
			if err != nil {
				bad(c.col, "must be a year (got %q)", r[c.col])
				continue
			}
			f, err := RealFactor(y)
			if err != nil {
				bad(c.col, "%v", err)
				continue
			}
			*c.y = y
			*c.v *= f
		}
		o.ProjectedGBP, o.RealisedGBP = o.Projected, o.Realised
		if _, ok := QualityWeight[o.Quality]; !ok || o.Quality == QualityMeasured {
			bad("quality", "must be one of %s (got %q)", strings.Join(qualities, ", "), o.Quality)
		}
		if !slices.Contains(Kinds, o.Kind) {
			bad("kind", "must be one of %s (got %q)", strings.Join(Kinds, ", "), o.Kind)
		} else if o.Kind == KindMeasured {
			bad("kind", "measured rows come from calibration.MeasuredEffects, not from this file")
		}
		if o.KindReason == "" {
			bad("kind_reason", "say why the row is of its kind")
		}
		switch o.Measure {
		case MeasureOneOffCost:
			if o.Basis != "" {
				bad("basis", "only savings have a basis (got %q)", o.Basis)
			}
		case MeasureSavings:
			y, err := strconv.Atoi(r["year_after_vesting"])
			if err != nil || y < 1 {
				bad("year_after_vesting", "a saving needs a whole year >= 1 (got %q)", r["year_after_vesting"])
			}
			o.Year = y
			if o.Basis != BasisSameYear && o.Basis != BasisSteady {
				bad("basis", "a saving's basis must be %s or %s (got %q)", BasisSameYear, BasisSteady, o.Basis)
			}
		default:
			bad("measure", "must be %s or %s (got %q)", MeasureOneOffCost, MeasureSavings, o.Measure)
		}
		out = append(out, o)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
