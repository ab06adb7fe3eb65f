package lgr

import "github.com/devolve-lgr/devolve/model/dist"

// Defaults live here, each with its source (docs/EVIDENCE.md sections named).

// DefaultHorizon is the appraisal horizon in years after vesting
// (EVIDENCE.md §9: 10 years default, 5 and 20 as sensitivities).
const DefaultHorizon = 10

// GreenBookSTPR is HM Treasury's Social Time Preference Rate: 3.5% real for
// years 0-30, 3.0% for 31-75, 2.5% for 76-125 (Green Book Annex A6; EVIDENCE.md §6).
var GreenBookSTPR = []DiscountBand{{0, 0.035}, {31, 0.030}, {76, 0.025}}

// DefaultITOverrun returns the IT cost-overrun multiplier (actual / estimate):
// with probability 5/6 a lognormal body with median 1.1 and 80th percentile
// 1.4, with probability 1/6 a "black swan" Pareto tail with minimum 1.5 and
// tail index 1.25 (the middle of 1.0-1.5), truncated at 8 (EVIDENCE.md
// §9, cost overrun; Flyvbjerg and Budzier 2011, HBR 89(9): one IT
// project in six a black swan; Flyvbjerg, Budzier et al. 2025, PMJ: alpha <= 1.5).
func DefaultITOverrun() dist.Distribution {
	body, _ := dist.LogNormalFromQuantiles(0.5, 1.1, 0.8, 1.4)
	p, _ := dist.NewPareto(1.5, 1.25)
	tail, _ := dist.NewTruncated(p, 1.5, 8)
	m, _ := dist.NewMixture([]dist.Distribution{body, tail}, []float64{5.0 / 6, 1.0 / 6})
	return m
}

// DefaultOtherOverrun returns the non-IT one-off cost multiplier (realised
// / projected): lognormal(mu 0.049, sigma 0.278), median 1.05, 90% interval
// 0.66-1.66: EVIDENCE.md §9's "median 1.05, p90 1.5" itself. No one-off cost
// outturn is a realised outcome (measured or audited), so
// calibration.FitDefaults has nothing to fit and returns its prior's
// lognormal (2026-12-06; the prior's sources, the 2009 wave, Cumbria and
// Northamptonshire, are calibration.OverrunPriorSources: their one-off
// costs are placed in-sample). calibration's TestDefaultsAreFitted fails if
// these constants drift from the fit.
func DefaultOtherOverrun() dist.Distribution {
	d, _ := dist.NewLogNormal(0.049, 0.278)
	return d
}

// GenericSavingsPhasing is the cumulative share of a steady-state saving
// reached at the end of years 1-4 of its ramp in generated scenarios and in
// calibration (before the ramp stretch T): linear over four years, the
// middle of EVIDENCE.md §9's "2 / 4 / 6 years to 100%". JUDGEMENT, drawing on no
// case's own plan; the fitted stretch T sets the speed. It replaces
// EVIDENCE.md §9's 10/40/40/10, which is one 2025 proposal's (Surrey County
// Council's) own phasing.
var GenericSavingsPhasing = []float64{0.25, 0.5, 0.75, 1.0}

// DefaultSavingRamp phases recurring savings in over three years from year 1,
// R's staff ramp and the middle of EVIDENCE.md §9's 2-6 year range ("Savings
// ramp-up"; Somerset 48% at year 2 with 100% targeted at year 3).
var DefaultSavingRamp = Ramp{Start: 1, Years: 3}

// DefaultContractEnd is used for a system category with no ContractEnd:
// uniform on years 1..5 (R; Dorset, North Yorkshire and Somerset ran legacy
// revenues and benefits systems 2-2.5 years, North Northamptonshire's IT
// disaggregation takes about 6; EVIDENCE.md §4b).
func DefaultContractEnd() dist.Distribution {
	d, _ := dist.NewUniformInt(1, 5)
	return d
}

// DefaultSavingsRealisation returns the savings-realisation factor R
// (achieved / business case once the ramp is complete): lognormal(mu
// -0.204, sigma 0.556), median 0.82, 90% interval 0.33-2.04. Fitted with
// DefaultRampStretch by calibration.FitDefaults on the 16 measured savings
// of calibration.MeasuredOutturns (`devolve evidence`: each successor's
// measured fall in spending against a synthetic control, years 1-5, against
// its business case's claim, both in 2024-25 prices; 2026-12-06): a case's measured saving over its
// claim is R S(T) + error, with the measurement's own standard error;
// hierarchical lognormal R and T with priors that draw on no case (R's
// median 1), posterior on a grid, the lognormal matching the posterior
// predictive's central 90% interval (docs/MODEL.md, "Calibration on
// outturns"). Council-reported figures, budgets and estimates are not
// fitted. calibration's TestDefaultsAreFitted fails if these constants
// drift from the fit.
func DefaultSavingsRealisation() dist.Distribution {
	d, _ := dist.NewLogNormal(-0.204, 0.556)
	return d
}

// DefaultCommonShare is, for each national input FitDefaults fits, the
// share of a new area's uncertainty (the variance of the input's normal
// score; for a lognormal, of its log) that every new area has in common:
// posterior uncertainty about the mean across reorganisations, against the
// case-to-case spread each area draws for itself. calibration.FitDefaults
// on the measured savings (calibration.MeasuredOutturns, 2024-25 prices,
// 2026-12-06) gives Var(mu_R)/(Var(mu_R) + E s_R^2) = 0.470 for savings
// realisation R, 0.479 for the ramp stretch T and, with no one-off cost outcome to fit,
// the prior's 1/(kappa_0 + 1) = 0.5 for the non-IT overrun
// (DefaultsFit.CommonShare): noisy measurements leave the mean across
// reorganisations about as uncertain as one case's departure from it; calibration's TestCommonShareIsFitted
// fails if these drift from the fit. A national run (RunNational) by
// default correlates areas' normal scores by exactly these shares
// (docs/MODEL.md §12).
var DefaultCommonShare = map[string]float64{
	"savings_realisation": 0.470,
	"ramp_stretch":        0.479,
	"other_overrun":       0.5,
}

// GreenBookOptimismBias gives HM Treasury's optimism-bias adjustments for
// capital expenditure (upper, lower; fractions) by project type: Green Book
// supplementary guidance on optimism bias (Mott MacDonald 2002), Table 2
// (EVIDENCE.md §6); outsourcing is its operating-cost row. The upper bound
// applies at the outset and falls towards the lower as risks are managed.
var GreenBookOptimismBias = map[string][2]float64{
	"standard_buildings":             {0.24, 0.02},
	"non_standard_buildings":         {0.51, 0.04},
	"standard_civil_engineering":     {0.44, 0.03},
	"non_standard_civil_engineering": {0.66, 0.06},
	"equipment_development":          {2.00, 0.10},
	"outsourcing":                    {0.41, 0.00},
}

// DefaultRampStretch returns the savings ramp-stretch factor T (a saving's
// share in year t is C((t-start+1)/T); 1 = as planned, 2 = twice as slow):
// lognormal(mu 0.053, sigma 0.664), median 1.05, 90% interval 0.35-3.14.
// Fitted with DefaultSavingsRealisation by calibration.FitDefaults on the
// measured savings (2026-12-06), with a prior that draws on no case (the
// plan's speed, T = 1). calibration's TestDefaultsAreFitted fails if these
// constants drift from the fit.
func DefaultRampStretch() dist.Distribution {
	d, _ := dist.NewLogNormal(0.053, 0.664)
	return d
}

// DefaultInflation returns the annual inflation rate a cash view of the
// lines by year assumes when the scenario gives none (inflation:), and
// DefaultInflationSource states it. PERT(1.5%, 2.0%, 3.5%): the mode is the
// Bank of England's 2% CPI target, which the OBR's March 2025 Economic and
// fiscal outlook expects CPI to reach from 2027 (3.2% in 2025, 2.1% in
// 2026); the range is JUDGEMENT. The rate applies to every year from the
// price base on, so for a price base before 2025/26 it understates the
// outturn inflation since (CPI averaged about 7% in 2023).
func DefaultInflation() dist.Distribution {
	d, err := dist.NewPERT(0.015, 0.02, 0.035, 4)
	if err != nil {
		panic("lgr: DefaultInflation: " + err.Error())
	}
	return d
}

// DefaultInflationSource states DefaultInflation in outputs.
const DefaultInflationSource = "inflation PERT(1.5%, 2.0%, 3.5%) a year from the price base: mode the Bank of England's 2% CPI target, which the OBR (March 2025) expects from 2027; range JUDGEMENT; outturn inflation since the price base is not applied year by year"
