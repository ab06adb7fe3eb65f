package calibration

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
)

func outturns(t *testing.T) []Outturn {
	t.Helper()
	rows, err := AllOutturns()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 8 {
		t.Fatalf("%d outturn rows", len(rows))
	}
	return rows
}

var (
	shippedOnce   sync.Once
	shippedFitter *fitter
	shippedErr    error
)

// shipped is the fitter on the shipped outturns with the default priors,
// built once for the tests that need the full grid.
func shipped(t *testing.T) *fitter {
	t.Helper()
	rows := outturns(t)
	shippedOnce.Do(func() { shippedFitter, shippedErr = newFitter(rows, DefaultFitPriors()) })
	if shippedErr != nil {
		t.Fatal(shippedErr)
	}
	return shippedFitter
}

func TestLeaveOneOut(t *testing.T) {
	f := shipped(t)
	rows := f.rows
	rep := f.leaveOneOut()
	for _, r := range rep.Rows {
		t.Logf("%-26s %-12s y%d %-9s ratio %.2f | LOO [%.2f, %.2f] P%.1f %v | old [%.2f, %.2f] P%.1f %v",
			r.Case, r.Measure, r.Year, r.Basis, r.Ratio, r.LOO.P5, r.LOO.P95, 100*r.LOO.Percentile, r.LOO.Inside90,
			r.Old.P5, r.Old.P95, 100*r.Old.Percentile, r.Old.Inside90)
		for _, p := range []Placement{r.LOO, r.Old} {
			if !(p.P5 < p.P50 && p.P50 < p.P95) || p.Percentile < 0 || p.Percentile > 1 {
				t.Errorf("%s: placement %+v", r.Case, p)
			}
			if math.Abs(p.P5GBP-r.Projected*p.P5) > 1e-6*math.Abs(p.P5GBP) {
				t.Errorf("%s: P5 in pounds %g, want %g", r.Case, p.P5GBP, r.Projected*p.P5)
			}
		}
	}
	for i, c := range rep.Coverage {
		t.Logf("%-12s LOO %d/%d log width %.2f | old %d/%d log width %.2f", c.Measure, c.Inside, c.N, c.MeanLogWidth,
			rep.OldCoverage[i].Inside, rep.OldCoverage[i].N, rep.OldCoverage[i].MeanLogWidth)
	}
	all := rep.Coverage[2]
	if all.Measure != "all" || all.N != len(rows) || all.N != rep.Coverage[0].N+rep.Coverage[1].N {
		t.Errorf("coverage rows %+v", rep.Coverage)
	}
	// The old defaults' placements by hand: Northamptonshire's ratio (£43.5m
	// in 2020 pounds against £29.9m in 2018 pounds, both restated in
	// 2024-25 prices by the hand deflator table) in the lognormal with
	// median 1.05 and P90 1.5.
	sigma := math.Log(1.5/1.05) / z90
	z := math.Log(43.5/handDeflator[2020]*handDeflator[2018]/29.9/1.05) / sigma
	if got, want := rep.Rows[0].Old.Percentile, 0.5*math.Erfc(-z/math.Sqrt2); rep.Rows[0].Case != "Northamptonshire 2021" || math.Abs(got-want) > 1e-9 {
		t.Errorf("%s old percentile %g, hand %g", rep.Rows[0].Case, got, want)
	}
}

// TestLeaveOneOutNoLeak: a held-out row's own value never reaches its own
// prediction. Changing it to an absurd number leaves its leave-one-out
// predictive distribution bit-identical; and the check can fail: a fit
// that includes the row does change.
func TestLeaveOneOutNoLeak(t *testing.T) {
	rows, pr, f := coarseFitter(t)
	probe := []float64{0.05, 0.3, 0.7, 1, 1.3, 2, 5}
	for j, o := range rows {
		changed := append([]Outturn(nil), rows...)
		changed[j] = absurd(o)
		g, err := newFitter(changed, pr)
		if err != nil {
			t.Fatal(err)
		}
		a, b := f.looRow(j), g.looRow(j)
		for _, x := range probe {
			if a.CDF(x) != b.CDF(x) {
				t.Errorf("row %d (%s %s): held-out value leaks: CDF(%g) %v -> %v", j, o.Case, o.Measure, x, a.CDF(x), b.CDF(x))
			}
		}
		if fa, fb := *f.fit(j), *g.fit(j); fa.OtherOverrun != fb.OtherOverrun || fa.SavingsRealisation != fb.SavingsRealisation || fa.RampStretch != fb.RampStretch {
			t.Errorf("row %d: fitted parameters differ: %+v vs %+v", j, fa, fb)
		}
		if o.Weight() == 0 {
			continue // a weight-0 row is never fitted, even when not held out
		}
		// Control: fitted with the row included, the change shows.
		inA := f.fit(-1).Predictive("").Row(o)
		inB := g.fit(-1).Predictive("").Row(o)
		same := true
		for _, x := range probe {
			same = same && inA.CDF(x) == inB.CDF(x)
		}
		if same {
			t.Errorf("row %d (%s): the leak check cannot fail: including the row does not change the fit", j, o.Case)
		}
	}
}

// TestDefaultsAreFitted: model/lgr's defaults are FitDefaults on the shipped
// outturns, to the rounding of the constants written there.
func TestDefaultsAreFitted(t *testing.T) {
	fit := shipped(t).fit(-1) // FitDefaults(Outturns()), built once for the tests
	for _, c := range []struct {
		name string
		d    dist.Distribution
		want LogNormalParams
	}{
		{"DefaultOtherOverrun", lgr.DefaultOtherOverrun(), fit.OtherOverrun},
		{"DefaultSavingsRealisation", lgr.DefaultSavingsRealisation(), fit.SavingsRealisation},
		{"DefaultRampStretch", lgr.DefaultRampStretch(), fit.RampStretch},
	} {
		ln, ok := c.d.(dist.LogNormal)
		if !ok {
			t.Errorf("%s is %T, want the fitted lognormal %+v", c.name, c.d, c.want)
			continue
		}
		mu, sigma := ln.Params()
		if math.Abs(mu-c.want.Mu) > 5e-4+1e-12 || math.Abs(sigma-c.want.Sigma) > 5e-4+1e-12 {
			t.Errorf("%s: lognormal(%g, %g); FitDefaults(Outturns()) gives (%.4f, %.4f): refit and rewrite model/lgr/defaults.go",
				c.name, mu, sigma, c.want.Mu, c.want.Sigma)
		}
	}
}

// TestCommonShareIsFitted: model/lgr's DefaultCommonShare is FitDefaults'
// common share on the shipped outturns, to the rounding written there, and
// every national input it names is one RunNational shares.
func TestCommonShareIsFitted(t *testing.T) {
	fit := shipped(t).fit(-1)
	if len(fit.CommonShare) != len(lgr.DefaultCommonShare) {
		t.Errorf("fit gives common shares %v, model/lgr has %v", fit.CommonShare, lgr.DefaultCommonShare)
	}
	for name, want := range fit.CommonShare {
		got, ok := lgr.DefaultCommonShare[name]
		if !ok || math.Abs(got-want) > 5e-4+1e-12 {
			t.Errorf("DefaultCommonShare[%q] = %v; FitDefaults(Outturns()) gives %.4f: refit and rewrite model/lgr/defaults.go", name, got, want)
		}
		if !(want > 0 && want <= 1) || !slices.Contains(lgr.SharedInputs, name) {
			t.Errorf("common share of %q: %v (want a fraction of a national input)", name, want)
		}
	}
	// Recomputed from the hyperparameters' posterior means and sds (found
	// by predictive, a separate pass): Var(mu) / (Var(mu) + E[s]^2 + Var(s)).
	for name, h := range map[string]string{"savings_realisation": "R", "ramp_stretch": "T"} {
		mu, s := fit.Hyper["mu_"+h], fit.Hyper["s_"+h]
		want := mu[1] * mu[1] / (mu[1]*mu[1] + s[0]*s[0] + s[1]*s[1])
		if got := fit.CommonShare[name]; math.Abs(got-want) > 1e-9 {
			t.Errorf("common share of %s %.6f, from the hyperparameter moments %.6f", name, got, want)
		}
	}
	// The overrun: kappa_n = kappa_0 + the fitted cost weight.
	if got, want := fit.CommonShare["other_overrun"], 1/(DefaultFitPriors().OverrunKappa0+fit.CostWeight+1); math.Abs(got-want) > 1e-12 {
		t.Errorf("overrun common share %v, want 1/(kappa_0 + weight + 1) = %v", got, want)
	}
}

// TestRowDistributionMonteCarlo checks a saving's predictive CDF (a
// quadrature over T) and its quantiles against simulation of R x C(y/T) /
// C_plan(y). Seed 7, 200,000 draws: tolerance 5 sd of an empirical CDF.
func TestRowDistributionMonteCarlo(t *testing.T) {
	r, _ := dist.NewLogNormal(-0.1, 0.4)
	st, _ := dist.NewLogNormal(0.1, 0.35)
	p := Predictive{Realisation: r, RampStretch: st}
	rng := rand.New(rand.NewPCG(7, 0))
	const n = 200_000
	for _, o := range []Outturn{
		{Measure: MeasureSavings, Year: 1, Basis: BasisSameYear},
		{Measure: MeasureSavings, Year: 2, Basis: BasisSteady},
		{Measure: MeasureSavings, Year: 3, Basis: BasisSameYear},
	} {
		rd := p.Row(o)
		x := make([]float64, n)
		for i := range x {
			tt := st.Sample(rng)
			c := lgr.RampShare(SavingsPhasing, float64(o.Year)/tt)
			if o.Basis == BasisSameYear {
				c /= SavingsPhasing[o.Year-1]
			}
			x[i] = r.Sample(rng) * c
		}
		sort.Float64s(x)
		for _, q := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
			v := x[int(q*n)]
			tol := 5 * math.Sqrt(q*(1-q)/n)
			if got := rd.CDF(v); math.Abs(got-q) > tol+1.0/rampNodes {
				t.Errorf("year %d %s: CDF at the simulated %g-quantile %g is %g", o.Year, o.Basis, q, v, got)
			}
			if got := rd.CDF(rd.Quantile(q)); math.Abs(got-q) > 1e-9 {
				t.Errorf("year %d %s: CDF(Quantile(%g)) = %g", o.Year, o.Basis, q, got)
			}
		}
	}
}

func TestOutturnsRejectBadRows(t *testing.T) {
	good := map[string]string{"case": "A", "measure": "savings", "year_after_vesting": "2", "basis": "steady",
		"projected_gbp": "10", "realised_gbp": "5", "projected_price_year": "2020", "realised_price_year": "2024",
		"quality": "reported", "kind": "council-reported", "kind_reason": "a council's statement"}
	rows, err := parseOutturns([]map[string]string{good})
	if err != nil {
		t.Fatalf("good row: %v", err)
	}
	// Restated in 2024-25 prices by the hand deflator table: £10 of 2020,
	// £5 of 2024.
	if got, want := rows[0].Projected, 10*100/handDeflator[2020]; math.Abs(got-want) > 1e-12 {
		t.Errorf("projected £%v in 2024-25 prices, want £%v", got, want)
	}
	if got := rows[0].Realised; math.Abs(got-5) > 1e-12 {
		t.Errorf("realised £%v in 2024-25 prices, want £5", got)
	}
	for key, bad := range map[string]string{"basis": "eventually", "year_after_vesting": "0", "projected_gbp": "-1",
		"realised_gbp": "x", "quality": "rumour", "measure": "npv", "kind": "measured", "kind_reason": "",
		"projected_price_year": "", "realised_price_year": "1066"} {
		r := map[string]string{}
		for k, v := range good {
			r[k] = v
		}
		r[key] = bad
		if _, err := parseOutturns([]map[string]string{r}); err == nil {
			t.Errorf("%s = %q accepted", key, bad)
		}
	}
}

// TestCoverageGroups counts hand-made placements into every coverage
// group: realised outcomes are every quality but a budget, per measure too.
func TestCoverageGroups(t *testing.T) {
	in, out := Placement{P5: 0.5, P95: 2, Inside90: true, LogWidth: math.Log(4)}, Placement{P5: 1, P95: math.E, Inside90: false, LogWidth: 1}
	row := func(m, q, kind string, overlaps bool, p Placement) BacktestRow {
		o := Outturn{Measure: m, Quality: q, Kind: kind, Overlaps: overlaps}
		return BacktestRow{Outturn: o, Weight: o.Weight(), LOO: p}
	}
	rows := []BacktestRow{
		row(MeasureOneOffCost, "official", KindAudited, false, in),
		row(MeasureSavings, QualityMeasured, KindMeasured, false, out),
		row(MeasureSavings, QualityMeasured, KindMeasured, false, in),
		row(MeasureSavings, "reported", KindCouncilReported, false, in),
		row(MeasureSavings, QualityBudgeted, KindBudget, false, out),
		row(MeasureSavings, QualityBudgeted, KindBudget, true, in),
		row(MeasureSavings, "official", KindEstimate, false, out),
	}
	want := map[string][2]int{ // n, inside
		MeasureOneOffCost: {1, 1}, MeasureSavings: {6, 3}, "all": {7, 4}, "independent": {6, 3},
		"realised": {3, 2}, "realised_one_off_cost": {1, 1}, "realised_savings": {2, 1},
		KindCouncilReported: {1, 1}, KindBudget: {2, 1}, KindEstimate: {1, 0},
	}
	cov := coverage(rows, func(r BacktestRow) Placement { return r.LOO })
	if len(cov) != len(CoverageGroups) {
		t.Fatalf("%d groups, want %d", len(cov), len(CoverageGroups))
	}
	for _, c := range cov {
		w, ok := want[c.Measure]
		if !ok || c.N != w[0] || c.Inside != w[1] {
			t.Errorf("%s: n %d inside %d, want %v", c.Measure, c.N, c.Inside, w)
		}
	}
	// realised: widths ln(4) and 1 and ln(4); mean.
	for _, c := range cov {
		if c.Measure == "realised" {
			if want := (2*math.Log(4) + 1) / 3; math.Abs(c.MeanLogWidth-want) > 1e-12 {
				t.Errorf("realised mean log width %g, want %g", c.MeanLogWidth, want)
			}
		}
	}
}

// TestCaseGroups: rows of one reorganisation share a group, a bracketed
// suffix is dropped, and a wave's aggregate takes in every row of its year.
func TestCaseGroups(t *testing.T) {
	rows := []Outturn{{Case: "Somerset 2023"}, {Case: "Somerset 2023 (staff)"}, {Case: "Dorset 2019"},
		{Case: "2009 wave (9 unitaries)"}, {Case: "Wiltshire 2009"}, {Case: "Wiltshire 2009 (Hansard)"}, {Case: "Cornwall 2009"}}
	want := []string{"Somerset 2023", "Somerset 2023", "Dorset 2019", "2009 wave", "2009 wave", "2009 wave", "2009 wave"}
	got := CaseGroups(rows)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: group %q, want %q", rows[i].Case, got[i], want[i])
		}
	}
	// Without an aggregate row, each council is its own group.
	if g := CaseGroups(rows[4:]); g[0] != "Wiltshire 2009" || g[1] != "Wiltshire 2009" || g[2] != "Cornwall 2009" {
		t.Errorf("groups without a wave: %v", g)
	}
}

// TestLeaveCaseOutNoLeak: setting every row of a held-out case group to an
// absurd value leaves that group's leave-case-out predictives bit-identical;
// the control, a fit on every row, does change.
func TestLeaveCaseOutNoLeak(t *testing.T) {
	rows, pr, f := coarseFitter(t)
	groups := CaseGroups(rows)
	probe := []float64{-1, 0.05, 0.3, 0.7, 1, 1.3, 2, 5}
	tested := 0
	for j := range rows {
		changed := append([]Outturn(nil), rows...)
		weighted := false
		for i := range changed {
			if f.shares(i, j) {
				changed[i] = absurd(changed[i])
				weighted = weighted || changed[i].Weight() > 0
			}
		}
		g, err := newFitter(changed, pr)
		if err != nil {
			t.Fatal(err)
		}
		a, b := f.lcoRow(j, groups), g.lcoRow(j, groups)
		for _, x := range probe {
			if a.CDF(x) != b.CDF(x) {
				t.Errorf("%s: held-out values leak: CDF(%g) %v -> %v", rows[j].Case, x, a.CDF(x), b.CDF(x))
			}
		}
		if weighted {
			tested++
			if fa, fb := *f.fit(-1), *g.fit(-1); fa.SavingsRealisation == fb.SavingsRealisation {
				t.Errorf("%s: the leak check cannot fail: including it does not change the fit", rows[j].Case)
			}
		}
	}
	if tested < 15 {
		t.Errorf("%d rows with weight tested, want at least 15", tested)
	}
}

// absurd returns o with every value the likelihood reads set to 1e15 times
// its projection.
func absurd(o Outturn) Outturn {
	o.Realised = 1e15 * o.Projected
	o.YearRatios = slices.Clone(o.YearRatios)
	for i := range o.YearRatios {
		o.YearRatios[i] = 1e15
	}
	return o
}

// coarseFitter fits the shipped outturns on a coarse grid: the no-leak
// tests check the folds' bookkeeping, not the grid's resolution.
func coarseFitter(t *testing.T) ([]Outturn, FitPriors, *fitter) {
	t.Helper()
	rows := outturns(t)
	pr := DefaultFitPriors()
	pr.GridPoints = 7
	f, err := newFitter(rows, pr)
	if err != nil {
		t.Fatal(err)
	}
	return rows, pr, f
}
