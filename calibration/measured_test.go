package calibration

import (
	"math"
	"reflect"
	"slices"
	"strings"
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

// TestPlaceboCorrelation: the correlation between years is the uncentred
// correlation of the placebo areas' gaps over the areas present in both
// (worked by hand below), and a pairwise matrix that is not positive
// definite is shrunk towards the identity until it is.
func TestPlaceboCorrelation(t *testing.T) {
	g := func(areas string, v ...float64) []PlaceboGap {
		var out []PlaceboGap
		for i, a := range strings.Fields(areas) {
			out = append(out, PlaceboGap{a, v[i]})
		}
		return out
	}
	// Year 1: a 1, b 2, c -1, d 0.5; year 2: a 2, b 1, c -2 (d missing).
	// Over a, b, c: sum xy = 2 + 2 + 2 = 6, sum x^2 = 6, sum y^2 = 9: 6/sqrt(54).
	c := placeboCorrelation([][]PlaceboGap{g("a b c d", 1, 2, -1, 0.5), g("a b c", 2, 1, -2)})
	want := 6 / math.Sqrt(54)
	if math.Abs(c[1]-want) > 1e-15 || c[2] != c[1] || c[0] != 1 || c[3] != 1 {
		t.Errorf("correlation %v, want off-diagonal %v", c, want)
	}
	// Three years whose pairwise correlations (0.9, 0.9, -0.9) admit no
	// joint distribution: shrunk until positive definite.
	x := g("a b c d", 1, -1, 1, -1)
	y := g("a b c d", 1, -1, 1, -0.6)
	z := g("a b c d", -1, 1, -1, 0.6)
	bad := placeboCorrelation([][]PlaceboGap{x, y, z})
	if _, ok := cholesky(bad, 3); !ok {
		t.Errorf("not positive definite after shrinking: %v", bad)
	}
	// The measured rows: the mean of the years is the row's ratio, and its
	// SE the mean of the years' sds (perfect correlation: an upper bound).
	rows, err := MeasuredOutturns()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range rows {
		n := len(o.Years)
		if len(o.YearRatios) != n || len(o.YearCov) != n*n {
			t.Fatalf("%s: %d years, %d ratios, %d covariances", o.Case, n, len(o.YearRatios), len(o.YearCov))
		}
		sd, m := 0.0, 0.0
		for i := range n {
			m += o.YearRatios[i] / float64(n)
			sd += math.Sqrt(o.YearCov[i*n+i]) / float64(n)
		}
		if math.Abs(m-o.Ratio()) > 1e-12 || math.Abs(sd-o.SE/o.Projected) > 1e-12 {
			t.Errorf("%s: mean of years %.6f (ratio %.6f), mean of the years' sds %.6f (SE/claim %.6f)", o.Case, m, o.Ratio(), sd, o.SE/o.Projected)
		}
	}
}

// TestPooledByYear: the precision-weighted pool by year, worked by hand,
// and the shipped measured rows' pool (logged: docs/MODEL.md, "The ramp,
// measured"), with and without North Yorkshire and Somerset (the 2023
// cases the whole-model back-test scores).
func TestPooledByYear(t *testing.T) {
	rows := []Outturn{
		{Kind: KindMeasured, Years: []int{1, 2}, YearRatios: []float64{1, 2}, YearCov: []float64{1, 0.5, 0.5, 4}},
		{Kind: KindMeasured, Years: []int{1}, YearRatios: []float64{4}, YearCov: []float64{0.25}},
		{Kind: KindCouncilReported, Years: []int{1}, YearRatios: []float64{100}, YearCov: []float64{1}},
	}
	// Year 1: weights 1 and 4: (1 + 16) / 5 = 3.4, SE 1/sqrt(5); year 2: 2, SE 2.
	got := PooledByYear(rows, nil)
	want := []YearPool{{1, 2, 3.4, 1 / math.Sqrt(5)}, {2, 1, 2, 2}}
	if len(got) != 2 || math.Abs(got[0].Ratio-want[0].Ratio) > 1e-12 || math.Abs(got[0].SE-want[0].SE) > 1e-12 || got[0].Cases != 2 || got[1] != want[1] {
		t.Errorf("pooled %+v, want %+v", got, want)
	}
	if got := PooledByYear(rows, func(o Outturn) bool { return len(o.Years) == 1 }); len(got) != 2 || got[0] != (YearPool{1, 1, 1, 1}) {
		t.Errorf("skipping the second row: %+v", got)
	}
	measured, err := MeasuredOutturns()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		skip func(Outturn) bool
	}{
		{"all 16 measured rows", nil},
		{"without North Yorkshire and Somerset", func(o Outturn) bool {
			return o.SourceCase == "North Yorkshire 2023" || o.SourceCase == "Somerset 2023"
		}},
	} {
		pool := PooledByYear(measured, c.skip)
		if len(pool) != MeasuredYears {
			t.Fatalf("%s: %d years pooled, want %d", c.name, len(pool), MeasuredYears)
		}
		var later, wl float64
		for _, p := range pool[1:] {
			later += p.Ratio / (p.SE * p.SE)
			wl += 1 / (p.SE * p.SE)
		}
		for _, p := range pool {
			t.Logf("%s: year %d: %2d rows, %.2f of the claim (se %.2f)", c.name, p.Year, p.Cases, p.Ratio, p.SE)
		}
		t.Logf("%s: years 2-%d pooled %.2f (se %.2f); year 1 over it %.2f", c.name, MeasuredYears, later/wl, 1/math.Sqrt(wl), pool[0].Ratio/(later/wl))
	}
}
