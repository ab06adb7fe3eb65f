package lgr

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// uncertainTiny is tiny with uncertain realisation, ramp, staff and
// licences, so that an area's NPV has spread from its own inputs and from
// the shared ones.
func uncertainTiny(t *testing.T) *Compiled {
	t.Helper()
	s := tiny()
	must := func(d dist.Distribution, err error) dist.Distribution {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	s.SavingsRealisation = must(dist.NewLogNormal(0, 0.5))
	s.Workforce[0].FTE = must(dist.NewUniform(5, 15))
	s.Workforce[0].CostPerFTE = must(dist.NewLogNormal(math.Log(1000), 0.3))
	s.Systems[0].Licence = must(dist.NewUniform(50, 150))
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func copiesOf(c *Compiled, n int) []NationalArea {
	areas := make([]NationalArea, n)
	for i := range areas {
		areas[i] = NationalArea{Name: fmt.Sprintf("A%d", i), Population: 1, Compiled: c}
	}
	return areas
}

// TestNationalIndependentAreasUncorrelated: two areas with identical inputs
// run with Independent draw their own inputs, so their NPVs are
// uncorrelated and the variance of the total is the sum of the areas'
// (to 5 standard errors of a correlation, 5/sqrt(n)), under every sampling
// method. Fails before: under Sobol every area took the same design
// dimensions, so the two areas' draws were tied (correlation near ±1 at the
// coarsest digit).
func TestNationalIndependentAreasUncorrelated(t *testing.T) {
	c := uncertainTiny(t)
	const n = 8192
	for _, s := range []engine.Sampling{engine.MonteCarlo, engine.LatinHypercube, engine.Sobol} {
		t.Run(s.String(), func(t *testing.T) {
			nat, err := RunNational(context.Background(), copiesOf(c, 2), NationalOptions{
				Options: engine.Options{Iterations: n, Seed: 7, Sampling: s}, Sharing: SharingNone})
			if err != nil {
				t.Fatal(err)
			}
			sd := func(x Short) float64 { return x.MCSE * math.Sqrt(n) }
			va, vb, vt := sd(nat.Areas[0].NPV), sd(nat.Areas[1].NPV), sd(nat.National.NPV)
			rho := (vt*vt - va*va - vb*vb) / (2 * va * vb)
			if math.Abs(rho) > 5/math.Sqrt(n) {
				t.Errorf("correlation of two independent areas' NPV %.3f (tolerance %.3f)", rho, 5/math.Sqrt(n))
			}
		})
	}
}

// TestNationalSobolErrorAsPrinted: over 16 seeds, the spread of the
// national total's mean and median under Sobol sampling is no larger than
// the Monte Carlo standard error the national table prints (up to the
// chance that a 16-seed sd exceeds its expectation: the sd of an sd
// estimate from 16 replicates is about 18%, so 1.6 times is 3 of them).
// Fails before: areas reusing the same dimensions gave a spread several
// times the printed error.
func TestNationalSobolErrorAsPrinted(t *testing.T) {
	if testing.Short() {
		t.Skip("16 national runs")
	}
	c := uncertainTiny(t)
	areas := copiesOf(c, 6)
	const n, seeds = 2048, 16
	var means, p50s []float64
	var mcse, p50mcse float64
	for seed := uint64(1); seed <= seeds; seed++ {
		nat, err := RunNational(context.Background(), areas, NationalOptions{
			Options: engine.Options{Iterations: n, Seed: seed, Sampling: engine.Sobol}, Sharing: SharingNone})
		if err != nil {
			t.Fatal(err)
		}
		means = append(means, nat.National.NPV.Mean)
		p50s = append(p50s, nat.National.NPV.P50)
		mcse += nat.National.NPV.MCSE / seeds
		p50mcse += nat.National.NPV.P50MCSE / seeds
	}
	sdOf := func(x []float64) float64 {
		m := 0.0
		for _, v := range x {
			m += v / float64(len(x))
		}
		s := 0.0
		for _, v := range x {
			s += (v - m) * (v - m)
		}
		return math.Sqrt(s / float64(len(x)-1))
	}
	if sd := sdOf(means); sd > 1.6*mcse {
		t.Errorf("national mean NPV: spread over %d seeds %.4g, printed MCSE %.4g", seeds, sd, mcse)
	}
	if sd := sdOf(p50s); sd > 1.6*p50mcse {
		t.Errorf("national P50 NPV: spread over %d seeds %.4g, printed MCSE %.4g", seeds, sd, p50mcse)
	}
}

// TestNationalCommonShare: with every input fixed but R ~ lognormal(0,
// sigma), an area's NPV is linear in R, so two areas' NPVs correlate as
// their R do: for log values correlated by c, (exp(c sigma^2) - 1) /
// (exp(sigma^2) - 1) (the lognormal's correlation, an analytic value). The
// marginal is unchanged: the area's mean NPV matches the independent run's
// within 5 MCSE. Sharing none and sharing all bracket it (0 and 1).
func TestNationalCommonShare(t *testing.T) {
	s := tiny()
	const sigma, n = 0.5, 8192
	s.SavingsRealisation, _ = dist.NewLogNormal(0, sigma)
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	run := func(sh Sharing, common map[string]float64, samp engine.Sampling) *National {
		t.Helper()
		nat, err := RunNational(context.Background(), copiesOf(c, 2), NationalOptions{
			Options: engine.Options{Iterations: n, Seed: 3, Sampling: samp}, Sharing: sh, CommonShare: common})
		if err != nil {
			t.Fatal(err)
		}
		return nat
	}
	corrOf := func(nat *National) float64 {
		sd := func(x Short) float64 { return x.MCSE * math.Sqrt(n) }
		va, vb, vt := sd(nat.Areas[0].NPV), sd(nat.Areas[1].NPV), sd(nat.National.NPV)
		return (vt*vt - va*va - vb*vb) / (2 * va * vb)
	}
	lnCorr := func(c float64) float64 { return math.Expm1(c*sigma*sigma) / math.Expm1(sigma*sigma) }
	tol := 5 / math.Sqrt(n)
	for _, samp := range []engine.Sampling{engine.MonteCarlo, engine.Sobol} {
		for _, tc := range []struct {
			name   string
			sh     Sharing
			common map[string]float64
			want   float64
		}{
			{"share 0.4", SharingFitted, map[string]float64{"savings_realisation": 0.4}, lnCorr(0.4)},
			{"fitted default", SharingFitted, nil, lnCorr(DefaultCommonShare["savings_realisation"])},
			{"independent", SharingNone, nil, 0},
			{"shared", SharingFull, nil, 1},
		} {
			t.Run(samp.String()+"/"+tc.name, func(t *testing.T) {
				nat := run(tc.sh, tc.common, samp)
				if got := corrOf(nat); math.Abs(got-tc.want) > tol {
					t.Errorf("correlation of two areas' NPV %.4f, want %.4f ± %.4f", got, tc.want, tol)
				}
				ind := run(SharingNone, nil, samp)
				a, b := nat.Areas[0].NPV, ind.Areas[0].NPV
				if math.Abs(a.Mean-b.Mean) > 5*math.Hypot(a.MCSE, b.MCSE) {
					t.Errorf("area mean NPV %.4g, independent run's %.4g (MCSE %.2g)", a.Mean, b.Mean, a.MCSE)
				}
			})
		}
	}
}

// TestNationalWorkers: a national run shared in part gives bit-identical
// results with 1 and 3 workers.
func TestNationalWorkers(t *testing.T) {
	c := uncertainTiny(t)
	var got [2]*National
	for i, w := range []int{1, 3} {
		nat, err := RunNational(context.Background(), copiesOf(c, 3), NationalOptions{
			Options: engine.Options{Iterations: 5000, Seed: 11, Sampling: engine.Sobol, Workers: w}})
		if err != nil {
			t.Fatal(err)
		}
		got[i] = nat
	}
	if fmt.Sprintf("%+v", got[0].National) != fmt.Sprintf("%+v", got[1].National) || fmt.Sprintf("%+v", got[0].Areas) != fmt.Sprintf("%+v", got[1].Areas) {
		t.Errorf("1 worker: %+v\n3 workers: %+v", got[0].National, got[1].National)
	}
	if got[0].Sharing != "fitted" || got[0].CommonShare["savings_realisation"] != DefaultCommonShare["savings_realisation"] {
		t.Errorf("sharing %q, common shares %v", got[0].Sharing, got[0].CommonShare)
	}
}

// TestNationalCommonRandomNumbers: two national runs whose areas differ
// only by an extra fixed item keep common random numbers under Sobol'
// sampling: every input they share takes the same values, so the national
// NPV differs by the same amount in every trial. Fails with dimensions
// handed out area after area (an extra input in one area shifted every
// later area's dimensions).
func TestNationalCommonRandomNumbers(t *testing.T) {
	base := uncertainTiny(t)
	s := *base.Scenario
	s.Items = append(append([]Item(nil), s.Items...), Item{Name: "extra", Amount: fixed(50), Start: 1, Profile: []float64{1}})
	more, err := Compile(&s)
	if err != nil {
		t.Fatal(err)
	}
	if len(more.Model.Inputs) <= len(base.Model.Inputs) {
		t.Fatalf("the extra item adds no input (%d, %d)", len(more.Model.Inputs), len(base.Model.Inputs))
	}
	run := func(areas []NationalArea) []float64 {
		nat, err := RunNational(context.Background(), areas, NationalOptions{
			Options: engine.Options{Iterations: 3000, Seed: 5, Sampling: engine.Sobol}, KeepDraws: true})
		if err != nil {
			t.Fatal(err)
		}
		return nat.Draws["npv"]
	}
	a := run(copiesOf(base, 3))
	mixed := copiesOf(base, 3)
	mixed[0].Compiled = more
	b := run(mixed)
	d0 := b[0] - a[0]
	for i := range a {
		if d := b[i] - a[i]; math.Abs(d-d0) > 1e-6*math.Abs(a[i]) {
			t.Fatalf("trial %d: national NPV differs by %g, trial 0 by %g: common random numbers lost", i, d, d0)
		}
	}
}

// TestNationalYearLines: a national run's costs and savings by year are
// the areas' lines summed line by line and trial by trial. Checked against
// figures worked by hand (the fixed "prog" item: 150 an area in years 0
// and 1; the "extra" item of one area only: 50 in year 1), against the
// national net cash flow by year computed by another route (the areas'
// net outputs, summed in RunNational), against the areas' own totals, and
// in cash terms at a fixed 2% inflation against the real view times
// 1.02^(years from the price base). The result is the same for any number
// of workers.
func TestNationalYearLines(t *testing.T) {
	base := uncertainTiny(t)
	s := *base.Scenario
	s.PriceBase, s.VestingYear = "2024/25", 2026
	s0 := s
	s0.Items = append(append([]Item(nil), s.Items...), Item{Name: "extra", Amount: fixed(50), Start: 1, Profile: []float64{1}})
	plain, err := Compile(&s)
	if err != nil {
		t.Fatal(err)
	}
	more, err := Compile(&s0)
	if err != nil {
		t.Fatal(err)
	}
	areas := copiesOf(plain, 3)
	areas[0].Compiled = more
	run := func(v LinesView, workers int) *National {
		t.Helper()
		nat, err := RunNational(context.Background(), areas, NationalOptions{
			Options: engine.Options{Iterations: 4000, Seed: 5, Sampling: engine.Sobol, Workers: workers}, Lines: &v})
		if err != nil {
			t.Fatal(err)
		}
		if nat.YearLines == nil {
			t.Fatal("no lines by year")
		}
		return nat
	}
	nat := run(LinesView{Prices: Real}, 2)
	yl := nat.YearLines
	line := func(name string) LineYearsSeries {
		t.Helper()
		for _, l := range yl.Lines {
			if l.Name == name {
				return l
			}
		}
		t.Fatalf("no line %s in %d lines", name, len(yl.Lines))
		return LineYearsSeries{}
	}
	for y := 0; y < plain.Years; y++ {
		wantProg, wantExtra := 0.0, 0.0
		if y <= 1 {
			wantProg = 3 * 150
		}
		if y == 1 {
			wantExtra = 50
		}
		for _, c := range []struct {
			name string
			want float64
		}{{"items.prog", wantProg}, {"items.extra", wantExtra}} {
			b := line(c.name).Years[y]
			for _, v := range []float64{b.Mean, b.P5, b.P50, b.P95} {
				if math.Abs(v-c.want) > 1e-3 {
					t.Errorf("%s year %d: %+v, want %g in every trial", c.name, y, b, c.want)
					break
				}
			}
		}
		got, want := yl.Years[y].Net, nat.National.Years[y].Net
		scale := math.Max(1, math.Abs(want.Mean))
		if math.Abs(got.Mean-want.Mean) > 1e-9*scale {
			t.Errorf("year %d: lines' mean net %.4f, national net %.4f", y, got.Mean, want.Mean)
		}
		for _, p := range [][2]float64{{got.P5, want.P5}, {got.P50, want.P50}, {got.P95, want.P95}} {
			if math.Abs(p[0]-p[1]) > 1e-4*math.Max(scale, math.Abs(want.P95)) {
				t.Errorf("year %d: lines' net percentiles %+v, national net %+v", y, got, want)
				break
			}
		}
		areaSum := 0.0
		for _, a := range yl.Successors {
			areaSum += a.Net[y].Mean
		}
		if math.Abs(areaSum-got.Mean) > 1e-9*scale {
			t.Errorf("year %d: areas' net means sum to %.4f, national %.4f", y, areaSum, got.Mean)
		}
		cum := 0.0
		for k := 0; k <= y; k++ {
			cum += nat.National.Years[k].Net.Mean
		}
		if c := nat.National.Years[y].Cumulative.Mean; math.Abs(c-cum) > 1e-9*math.Max(1, math.Abs(c)) {
			t.Errorf("year %d: cumulative mean %.4f, sum of nets %.4f", y, c, cum)
		}
	}
	if len(yl.Successors) != 3 || yl.Successors[0].Name != "A0" || nat.National.Years[0].CalendarYear != 2025 {
		t.Errorf("areas %d (%v), year 0 is %d", len(yl.Successors), yl.Successors, nat.National.Years[0].CalendarYear)
	}
	two := fixed(0.02)
	cash := run(LinesView{Prices: Cash, Inflation: two, Source: "2%"}, 2).YearLines
	for y := range cash.Years {
		f := math.Pow(1.02, float64(2026-1+y-2024))
		for _, p := range [][2]float64{{cash.Years[y].Net.Mean, yl.Years[y].Net.Mean}, {cash.Years[y].Costs.P50, yl.Years[y].Costs.P50}} {
			if math.Abs(p[0]-f*p[1]) > 1e-5*math.Max(1, math.Abs(p[0])) {
				t.Errorf("year %d: cash %.4f, real %.4f x %.5f", y, p[0], p[1], f)
			}
		}
	}
	if cash.Inflation != "2%" || cash.Prices != "cash" {
		t.Errorf("cash view states %q, %q", cash.Prices, cash.Inflation)
	}
	if one := run(LinesView{Prices: Real}, 1); fmt.Sprintf("%+v", one.YearLines) != fmt.Sprintf("%+v", yl) ||
		fmt.Sprintf("%+v", one.National) != fmt.Sprintf("%+v", nat.National) {
		t.Error("1 worker and 2 workers differ")
	}
}

// TestSummariseTotalsOnly: what a LineSum keeps of each area (summarise
// with totalsOnly, which skips the successors' and lines' bands) is, bit
// for bit, the totals by year of the full summary, in the real and the
// cash view.
func TestSummariseTotalsOnly(t *testing.T) {
	s := *uncertainTiny(t).Scenario
	s.PriceBase, s.VestingYear = "2024/25", 2026
	c, err := Compile(&s)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.WithLineYears().Run(context.Background(), engine.Options{Iterations: 3000, Seed: 9, Sampling: engine.Sobol})
	if err != nil {
		t.Fatal(err)
	}
	d, err := r.lineDraws()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Prices{Real, Cash} {
		full, err := d.summarise(p, fixed(0.02), "2%", false)
		if err != nil {
			t.Fatal(err)
		}
		totals, err := d.summarise(p, fixed(0.02), "2%", true)
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Lines) == 0 || len(full.Successors) == 0 || totals.Lines != nil || totals.Successors != nil {
			t.Fatalf("%v: full has %d lines and %d successors; totals only %d and %d", p, len(full.Lines), len(full.Successors), len(totals.Lines), len(totals.Successors))
		}
		if g, w := fmt.Sprintf("%#v %q %q", totals.Years, totals.Prices, totals.Inflation), fmt.Sprintf("%#v %q %q", full.Years, full.Prices, full.Inflation); g != w {
			t.Errorf("%v: totals only %s, full %s", p, g, w)
		}
	}
}
