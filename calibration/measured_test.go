package calibration

import (
	"math"
	"reflect"
	"slices"
	"testing"
)

// handDeflator is the GDP deflator at market prices, calendar years, 2024
// = 100, for the years the test below needs, copied by hand from the same
// transcription of HM Treasury's December 2025 Quarterly National Accounts
// release as data/gdp_deflator.csv (GDPDeflatorSource). It is a second copy
// of one source, not an independent reading of the Treasury's file: it
// guards the shipped table against edits, not against a transcription error.
var handDeflator = map[int]float64{
	2007: 64.7322, 2009: 68.217, 2010: 69.1217, 2011: 70.834, 2012: 71.9294, 2013: 73.4795,
	2016: 76.4554, 2018: 79.1606, 2020: 85.2137, 2023: 96.2507, 2024: 100,
}

func TestGDPDeflatorSpotValues(t *testing.T) {
	for y, want := range handDeflator {
		f, err := RealFactor(y)
		if err != nil {
			t.Fatal(err)
		}
		if got := 100 / f; math.Abs(got-want) > 1e-9 {
			t.Errorf("deflator %d: %v, want %v", y, got, want)
		}
	}
	if _, err := RealFactor(1900); err == nil {
		t.Error("RealFactor(1900): want an error for a year outside the series")
	}
}

// TestMeasuredRowsInRealPrices recomputes Cornwall 2009's measured row by
// hand: each year's synthetic-control saving (counterfactual less actual,
// cash of its financial year) restated in 2024-25 prices by the hand
// deflator table, averaged over years 1-5, against the 2007 claim (£15.4m)
// restated the same way. Before the claims and outturns were put on one
// price base the row set cash of 2009-14 against pounds of 2007 and the
// ratio was about 8% higher.
func TestMeasuredRowsInRealPrices(t *testing.T) {
	rows, err := MeasuredOutturns()
	if err != nil {
		t.Fatal(err)
	}
	effects, err := MeasuredEffects()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(rows, func(o Outturn) bool { return o.SourceCase == "Cornwall 2009" })
	if i < 0 {
		t.Fatal("no measured row for Cornwall 2009")
	}
	var saving, cash float64
	n := 0
	for _, e := range effects {
		if e.Successor != "Cornwall UA" || e.Outcome != OutcomeCoreServices || e.Estimator != EstimatorSC || e.Year < 1 || e.Year > 5 {
			continue
		}
		fy := map[string]int{"2009-10": 2009, "2010-11": 2010, "2011-12": 2011, "2012-13": 2012, "2013-14": 2013}[e.FinancialYear]
		if fy == 0 {
			t.Fatalf("Cornwall year %d is financial year %q", e.Year, e.FinancialYear)
		}
		saving += (e.Counterfactual - e.Actual) * 100 / handDeflator[fy]
		cash += e.Counterfactual - e.Actual
		n++
	}
	if n != 5 {
		t.Fatalf("Cornwall: %d measured years, want 5", n)
	}
	claim := 15.4e6 * 100 / handDeflator[2007]
	want := saving / 5 / claim
	got := rows[i].Ratio()
	t.Logf("Cornwall 2009: real ratio %.4f (saving £%.2fm, claim £%.2fm, 2024-25 prices); cash against 2007 pounds %.4f",
		got, saving/5/1e6, claim/1e6, cash/5/15.4e6)
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("Cornwall 2009 measured ratio %.6f, by hand in 2024-25 prices %.6f", got, want)
	}
	if math.Abs(rows[i].ProjectedGBP-claim) > 1e-3 {
		t.Errorf("Cornwall 2009 claim £%.0f, want £%.0f in 2024-25 prices", rows[i].ProjectedGBP, claim)
	}
}

// TestMeasuredSensitivity refits R on variants of the measured rows and
// logs the shipped default's median and 90% interval beside each, for
// docs/MODEL.md ("Measured rows: sensitivity"): every successor's last
// pre-vesting year left out of the fit (the 2009 wave's 2008-09, its shadow
// year, may carry transition costs), North Yorkshire's high claim with
// transformation (£58.5m) in place of its base £30m, and BCP's post-vesting
// transformation case left out. It checks only that each refit is finite
// and that each variant changed what it should.
func TestMeasuredSensitivity(t *testing.T) {
	if testing.Short() {
		t.Skip("reruns the evidence analysis")
	}
	claims, err := MeasuredClaims()
	if err != nil {
		t.Fatal(err)
	}
	base, err := MeasuredOutturns()
	if err != nil {
		t.Fatal(err)
	}
	ant, err := AnalyseEvidence(EvidenceOptions{AnticipationYears: 1})
	if err != nil {
		t.Fatal(err)
	}
	var antEffects []MeasuredEffect
	for _, s := range ant.Successors {
		for _, f := range s.Fits {
			antEffects = append(antEffects, f.Effects...)
		}
	}
	antRows, err := measuredOutturns(claims, antEffects)
	if err != nil {
		t.Fatal(err)
	}
	nyHigh := slices.Clone(base)
	for i := range nyHigh {
		if nyHigh[i].SourceCase == "North Yorkshire 2023" {
			nyHigh[i].Projected *= 58.5 / 30
		}
	}
	noBCP := slices.DeleteFunc(slices.Clone(base), func(o Outturn) bool { return o.SourceCase == "BCP 2019" })
	for _, c := range []struct {
		name string
		rows []Outturn
	}{
		{"as shipped", base},
		{"last pre-vesting year not fitted", antRows},
		{"North Yorkshire's claim with transformation (£58.5m)", nyHigh},
		{"without BCP's post-vesting case", noBCP},
	} {
		fit, err := FitDefaults(c.rows)
		if err != nil {
			t.Fatal(err)
		}
		r := fit.SavingsRealisation
		if math.IsNaN(r.Mu) || !(r.Sigma > 0) {
			t.Errorf("%s: R %+v", c.name, r)
		}
		var sm, sc float64
		for _, o := range c.rows {
			sm += o.Realised
			sc += o.Projected
		}
		q := func(z float64) float64 { return math.Exp(r.Mu + z*r.Sigma) }
		t.Logf("%-55s %2d rows: measured £%.0fm a year against £%.0fm claimed; R median %.2f, 90%% %.2f-%.2f (lognormal %.3f, %.3f); mu_R %.2f (sd %.2f)",
			c.name, len(c.rows), sm/1e6, sc/1e6, q(0), q(-z95), q(z95), r.Mu, r.Sigma, fit.Hyper["mu_R"][0], fit.Hyper["mu_R"][1])
	}
	if len(noBCP) != len(base)-1 {
		t.Errorf("without BCP: %d rows of %d", len(noBCP), len(base))
	}
	if reflect.DeepEqual(antRows, base) {
		t.Error("leaving the last pre-vesting year out changed no measured row")
	}
}
