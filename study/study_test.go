package study

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

func TestNationalSumsAreas(t *testing.T) {
	run := func(s lgr.Sharing) *lgr.National {
		n, err := RunNational(context.Background(), NationalConfig{Unitaries: 1},
			lgr.NationalOptions{Options: engine.Options{Iterations: 2000, Seed: 1}, Sharing: s})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	n, ind := run(lgr.SharingFull), run(lgr.SharingNone)
	if len(n.Areas) != 21 || n.National.Population != 19_243_800 {
		t.Fatalf("%d areas, population %.0f", len(n.Areas), n.National.Population)
	}
	// The mean of a sum is the sum of the means.
	sum := 0.0
	for _, a := range n.Areas {
		sum += a.NPV.Mean
	}
	if math.Abs(sum-n.National.NPV.Mean) > 1e-6*math.Abs(sum) {
		t.Errorf("national mean NPV %g, sum of area means %g", n.National.NPV.Mean, sum)
	}
	// Independent areas: the national 90% width is far below the sum of
	// the areas' widths; with shared uncertainties it is wider than with
	// independent areas.
	wsum := 0.0
	for _, a := range ind.Areas {
		wsum += a.NPV.P95 - a.NPV.P5
	}
	wInd, wShared := ind.National.NPV.P95-ind.National.NPV.P5, n.National.NPV.P95-n.National.NPV.P5
	if !(wInd < wsum/2) {
		t.Errorf("independent: national 90%% width %g not below half the sum of area widths %g", wInd, wsum)
	}
	if !(wShared > 1.5*wInd) {
		t.Errorf("shared: national 90%% width %g not well above the independent %g", wShared, wInd)
	}
	// The same area, alone, has the same draws whichever way areas are run.
	if n.Areas[0].NPV.Mean == ind.Areas[0].NPV.Mean {
		t.Logf("note: area means equal")
	}
}

func TestNationalConfig(t *testing.T) {
	kent, _ := area.FindArea("Kent")
	c := NationalConfig{MinResidents: 500_000}
	k, _ := c.unitariesFor(kent)
	if k < 1 || smallestBalanced(kent, k) < 500_000 && k > 1 || (k < 5 && smallestBalanced(kent, k+1) >= 500_000) {
		t.Errorf("Kent (%.0f residents): %d unitaries of at least 500k", kent.Population, k)
	}
	c = NationalConfig{Unitaries: 1, PerArea: map[string]int{"Kent": 2}}
	if k, _ := c.unitariesFor(kent); k != 2 {
		t.Errorf("per-area: %d", k)
	}
	if _, err := NationalAreas(NationalConfig{Unitaries: 1, PerArea: map[string]int{"Kentt": 2}}); err == nil {
		t.Error("unknown area accepted")
	}
}

func TestBacktestWholeModel(t *testing.T) {
	rows, err := BacktestWholeModel(context.Background(), 4000, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no 2023 outturns placed")
	}
	for _, r := range rows {
		t.Logf("%s %s y%d realised %.1fm: P5 %.1fm P50 %.1fm P95 %.1fm, percentile %.2f", r.Case, r.Measure, r.Year, r.Realised/1e6, r.P5/1e6, r.P50/1e6, r.P95/1e6, r.Percentile)
		if !(r.P5 <= r.P50 && r.P50 <= r.P95) || r.Percentile < 0 || r.Percentile > 1 {
			t.Errorf("%s: inconsistent row %+v", r.Case, r)
		}
	}
}

// TestWholeModelHoldsOut: an area's own outturns never inform its
// prediction. Scaling every Somerset 2023 outturn by 1000 leaves Somerset's
// predictive quantiles bit-identical; scaling North Yorkshire's instead
// moves them (the refit without Somerset sees North Yorkshire's rows), so
// the test would catch a fit on every row.
func TestWholeModelHoldsOut(t *testing.T) {
	base, err := calibration.AllOutturns()
	if err != nil {
		t.Fatal(err)
	}
	somerset := func(scale string) WholeModelRow {
		rows := append([]calibration.Outturn(nil), base...)
		for i := range rows {
			if strings.HasPrefix(rows[i].Case, scale+" 2023") {
				rows[i].Realised *= 1000
			}
		}
		got, err := backtestWholeModel(context.Background(), rows, 2000, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			if strings.HasPrefix(r.Case, "Somerset 2023") {
				return r
			}
		}
		t.Fatal("no Somerset row")
		return WholeModelRow{}
	}
	ref := somerset("none")
	if own := somerset("Somerset"); own.P5 != ref.P5 || own.P50 != ref.P50 || own.P95 != ref.P95 {
		t.Errorf("Somerset's own outturns leak into its prediction: %+v vs %+v", own.placement, ref.placement)
	}
	if other := somerset("North Yorkshire"); other.P50 == ref.P50 {
		t.Errorf("North Yorkshire's outturns do not reach Somerset's refit: the test cannot fail")
	}
}

// TestBridge: the case's figure is reproduced exactly, the steps add up to
// the difference between it and devolve's headline, and the last state is
// devolve's own NPV (the mean NPV of the same scenario run directly).
func TestBridge(t *testing.T) {
	for _, det := range []bool{true, false} {
		b, err := RunBridge(context.Background(), "suffolk-2025", engine.Options{Iterations: 3000, Seed: 1}, det, nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(b.Reproduced-b.Published) > 1e-6 {
			t.Errorf("reproduced %v, published %v", b.Reproduced, b.Published)
		}
		sum := b.Reproduced
		for _, s := range b.Steps {
			sum += s.Mean
		}
		if math.Abs(sum-b.Devolve) > 1e-6*math.Abs(b.Devolve) {
			t.Errorf("steps sum to %v, devolve %v", sum, b.Devolve)
		}
		g, err := area.BuildArea(mustArea(t, "Suffolk"), area.AreaOptions{Unitaries: 1})
		if err != nil {
			t.Fatal(err)
		}
		c, _ := g.Compile()
		var want float64
		if det {
			want = c.Deterministic().Raw.Mean[c.OutNPV]
		} else {
			res, err := c.Run(context.Background(), engine.Options{Iterations: 3000, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			want = res.Raw.Mean[c.OutNPV]
		}
		if math.Abs(want-b.Devolve) > 1e-6*math.Abs(want) {
			t.Errorf("deterministic=%v: bridge ends at %v, devolve's NPV is %v", det, b.Devolve, want)
		}
	}
}

// TestBridgeNationalEndsAtNational: the PwC bridge ends at devolve
// national's own mean NPV (same seed, same shared inputs: the bridge shares
// the national inputs fully, as national --shared).
func TestBridgeNationalEndsAtNational(t *testing.T) {
	b, err := RunBridge(context.Background(), "pwc-ccn-2020", engine.Options{Iterations: 400, Seed: 3}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := RunNational(context.Background(), NationalConfig{Unitaries: 1}, lgr.NationalOptions{Options: engine.Options{Iterations: 400, Seed: 3}, Sharing: lgr.SharingFull})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(b.Devolve-n.National.NPV.Mean) > 1e-6*math.Abs(b.Devolve) {
		t.Errorf("bridge ends at %v, national mean NPV %v", b.Devolve, n.National.NPV.Mean)
	}
}
func mustArea(t *testing.T, name string) area.Area {
	t.Helper()
	a, err := area.FindArea(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var update = flag.Bool("update", false, "rewrite golden files")

// TestBridgeLines: a bridge's lines by year are devolve's own: for
// Suffolk, years 0-10 of the bridge's lines (its runs go to year 30) equal
// those of `devolve run` of the same area and seed, and for PwC's national
// case those of devolve national with the national inputs shared (as the
// bridge shares them), each area's totals in place of successors; the
// case's own net by year, discounted at its rate, is its reproduced figure;
// asking for lines changes no step of the bridge.
func TestBridgeLines(t *testing.T) {
	ctx := context.Background()
	real := &lgr.LinesView{Prices: lgr.Real}
	opt := engine.Options{Iterations: 2000, Seed: 1}
	b, err := RunBridge(ctx, "suffolk-2025", opt, false, real)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := RunBridge(ctx, "suffolk-2025", opt, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(plain.Steps) != fmt.Sprint(b.Steps) || plain.Devolve != b.Devolve || plain.YearLines != nil {
		t.Errorf("lines change the bridge: %v\n%v", plain.Steps, b.Steps)
	}
	g, err := area.BuildArea(mustArea(t, "Suffolk"), area.AreaOptions{Unitaries: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := g.Compile()
	res, err := c.WithLineYears().Run(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	want, err := res.Lines(*real)
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, got, want lgr.Band) {
		t.Helper()
		for _, p := range [][2]float64{{got.Mean, want.Mean}, {got.P5, want.P5}, {got.P50, want.P50}, {got.P95, want.P95}} {
			if math.Abs(p[0]-p[1]) > 1e-6*math.Max(1e3, math.Abs(p[1])) {
				t.Errorf("%s: bridge %+v, devolve %+v", what, got, want)
				return
			}
		}
	}
	if len(b.YearLines.Years) != 11 || len(b.CaseYears) != 11 || len(b.YearLines.Successors) != len(want.Successors) || len(b.YearLines.Lines) != len(want.Lines) {
		t.Fatalf("%d years, %d case years, %d successors, %d lines", len(b.YearLines.Years), len(b.CaseYears), len(b.YearLines.Successors), len(b.YearLines.Lines))
	}
	for y := range want.Years {
		same(fmt.Sprintf("year %d net", y), b.YearLines.Years[y].Net, want.Years[y].Net)
		same(fmt.Sprintf("year %d costs", y), b.YearLines.Years[y].Costs, want.Years[y].Costs)
		for l := range want.Lines {
			same(fmt.Sprintf("year %d %s", y, want.Lines[l].Name), b.YearLines.Lines[l].Years[y], want.Lines[l].Years[y])
		}
	}
	bc, _, err := LoadBridgeCase("suffolk-2025")
	if err != nil {
		t.Fatal(err)
	}
	h := 0.0
	for _, cy := range b.CaseYears[:bc.Horizon+1] {
		h += cy.Net / math.Pow(1+bc.DiscountRate, float64(cy.Year))
	}
	if math.Abs(h-b.Reproduced) > 1e-6*math.Abs(b.Reproduced) {
		t.Errorf("case by year gives %v, reproduced %v", h, b.Reproduced)
	}

	opt = engine.Options{Iterations: 300, Seed: 3}
	nb, err := RunBridge(ctx, "pwc-ccn-2020", opt, false, real)
	if err != nil {
		t.Fatal(err)
	}
	n, err := RunNational(ctx, NationalConfig{Unitaries: 1}, lgr.NationalOptions{Options: opt, Sharing: lgr.SharingFull, Lines: real})
	if err != nil {
		t.Fatal(err)
	}
	if nb.YearLines.SplitBy != "area" || len(nb.YearLines.Successors) != len(n.YearLines.Successors) {
		t.Fatalf("national bridge split by %q into %d", nb.YearLines.SplitBy, len(nb.YearLines.Successors))
	}
	for y := range n.YearLines.Years {
		same(fmt.Sprintf("England year %d net", y), nb.YearLines.Years[y].Net, n.YearLines.Years[y].Net)
		same(fmt.Sprintf("%s year %d net", n.YearLines.Successors[0].Name, y), nb.YearLines.Successors[0].Net[y], n.YearLines.Successors[0].Net[y])
	}
	if _, err := RunBridge(ctx, "suffolk-2025", opt, true, real); err == nil {
		t.Error("lines with a deterministic bridge: no error")
	}
}
