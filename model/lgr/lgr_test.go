package lgr

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

func fixed(v float64) dist.Distribution { return dist.Fixed{V: v} }

// tiny is a scenario whose every input is fixed, so that a hand calculation
// gives every output exactly.
func tiny() *Scenario {
	return &Scenario{
		Name: "tiny", Horizon: 4,
		Discount:           []DiscountBand{{0, 0.10}},
		ITOverrun:          fixed(1.5),
		OtherOverrun:       fixed(1),
		SavingsRealisation: fixed(1),
		Predecessors: []Predecessor{
			{Name: "C", Kind: County, Population: 300},
			{Name: "A", Kind: District, Population: 100},
			{Name: "B", Kind: District, Population: 200},
		},
		Successors: []Successor{{Name: "U", Predecessors: []string{"C", "A", "B"}}},
		Systems: []SystemCategory{{
			Name: "fin", Counts: map[string]int{"C": 1, "A": 1, "B": 1},
			Licence: fixed(100), Migration: fixed(40), ContractEnd: fixed(2),
		}},
		Workforce: []WorkforceFunction{{
			Name: "back_office", FTE: fixed(10), Reduction: fixed(0.1), CostPerFTE: fixed(1000),
			RedundancyPerFTE: fixed(500), Ramp: Ramp{Start: 1, Years: 2},
		}},
		Items: []Item{{Name: "prog", Amount: fixed(300), Start: 0, Profile: []float64{0.5, 0.5}}},
	}
}

// TestHandCalculation checks a deterministic run against the cash flow
// worked by hand (docs/MODEL.md equations):
//
//	systems: 3 before, 1 after: 2 decommissioned, 2 migrated.
//	migration 2 * 40 * 1.5 / 2 = 60 in years 1 and 2;
//	licence saving 2 * 100 = 200 from year 2.
//	staff: 10 * 0.1 = 1 FTE removed; saving 1000 * min(1, t/2): 500, 1000, 1000, 1000;
//	redundancy 500 in year 1. programme 150 in years 0 and 1.
//	net: t0 -150; t1 -150-60-500+500 = -210; t2 -60+200+1000 = 1140; t3 1200; t4 1200.
func TestHandCalculation(t *testing.T) {
	c, err := Compile(tiny())
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	out := func(k int) float64 { return res.Raw.Mean[k] }
	net := []float64{-150, -210, 1140, 1200, 1200}
	npv, cum, payback := 0.0, 0.0, math.Inf(1)
	for i, v := range net {
		if got := out(c.OutNet + i); math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
		npv += v / math.Pow(1.1, float64(i))
		cum += v
		if cum >= 0 && math.IsInf(payback, 1) {
			payback = float64(i)
		}
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"npv", out(c.OutNPV), npv},
		{"one_off", out(c.OutOneOff), 300 + 120 + 500},
		{"steady", out(c.OutSteady), 1200},
		{"payback", out(c.OutPayback), payback},
		{"five_year", out(c.OutFiveYear), 3180},
	}
	for _, ch := range checks {
		if math.Abs(ch.got-ch.want) > 1e-9*math.Max(1, math.Abs(ch.want)) {
			t.Errorf("%s = %g, want %g", ch.name, ch.got, ch.want)
		}
	}
	if payback != 2 {
		t.Errorf("hand payback %g, expected 2", payback)
	}
}

// TestHandCalculationLongHorizon is TestHandCalculation over a horizon of
// eight years (t = 0..8), so that the five-year net (years 0-5) is not the
// whole cash flow: years 6-8 must stay out of it, and the steady state is
// the last year's net. Worked by hand from the same flows: t5..t8 each
// 1200.
func TestHandCalculationLongHorizon(t *testing.T) {
	s := tiny()
	s.Horizon = 8
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	out := func(k int) float64 { return res.Raw.Mean[k] }
	net := []float64{-150, -210, 1140, 1200, 1200, 1200, 1200, 1200, 1200}
	npv := 0.0
	for i, v := range net {
		if got := out(c.OutNet + i); math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
		npv += v / math.Pow(1.1, float64(i))
	}
	// -150 - 210 + 1140 + 1200 + 1200 + 1200 (years 0-5 only).
	for _, ch := range []struct {
		name      string
		got, want float64
	}{
		{"five_year", out(c.OutFiveYear), 4380},
		{"npv", out(c.OutNPV), npv},
		{"steady", out(c.OutSteady), 1200},
		{"payback", out(c.OutPayback), 2},
		{"cum[8]", out(c.OutCum + 8), 7980},
	} {
		if math.Abs(ch.got-ch.want) > 1e-9*math.Max(1, math.Abs(ch.want)) {
			t.Errorf("%s = %g, want %g", ch.name, ch.got, ch.want)
		}
	}
}

// TestDisaggregation: a county-only system category split across two
// successors must be re-provided: one new licence from year 1 and one
// migration, with nothing decommissioned. The cost emerges from the counts.
func TestDisaggregation(t *testing.T) {
	s := tiny()
	s.Successors = []Successor{{Name: "N", Predecessors: []string{"C", "A"}}, {Name: "S", Predecessors: []string{"C", "B"}}}
	s.Systems = []SystemCategory{{Name: "care", Counts: map[string]int{"C": 1},
		Licence: fixed(100), Migration: fixed(40), ContractEnd: fixed(2)}}
	s.Workforce, s.Items = nil, nil
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	// migration 1 * 40 * 1.5 / 2 = 30 in years 1, 2; licence -100 from year 1.
	want := []float64{0, -130, -130, -100, -100}
	for i, v := range want {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
	}
	// County shares follow district population: N 1/3, S 2/3.
	if p := c.SuccessorPopulation; p[0] != 100 || p[1] != 200 {
		t.Errorf("successor populations %v, want [100 200]", p)
	}
	// S, with the larger share, keeps the county system; the migration lands on N.
	for _, ln := range c.Lines {
		if ln.Name == "systems.care.migration" && (ln.Share[0] != 1 || ln.Share[1] != 0) {
			t.Errorf("migration share %v, want [1 0]", ln.Share)
		}
	}
	// Same category in one unitary: nothing to do.
	s.Successors = []Successor{{Name: "U", Predecessors: []string{"C", "A", "B"}}}
	c1, _ := Compile(s)
	if npv := c1.Deterministic().Raw.Mean[c1.OutNPV]; npv != 0 {
		t.Errorf("single unitary county-only system NPV %g, want 0", npv)
	}
}

// TestMigrationPerConsolidation: with PerConsolidation a category costs one
// migration per successor that consolidates anything, not one per system
// migrated. Hand worked from tiny(): one unitary from C, A, B keeps one
// system and migrates two; per consolidation that is 1 x 40 x 1.5 / 2 = 30 in
// years 1 and 2 (per system, 60). Two successors N (C, A) and S (C, B): each
// has two sources and keeps one (N keeps A, S the county's), so 2 projects
// however the counts grow; with 3 systems in A, N migrates 4 but still
// costs one project.
func TestMigrationPerConsolidation(t *testing.T) {
	migration := func(s *Scenario) float64 {
		c, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		// The only one-off line left is the migration.
		return c.Deterministic().Raw.Mean[c.OutOneOff]
	}
	s := tiny()
	s.Workforce, s.Items = nil, nil
	if got := migration(s); math.Abs(got-120) > 1e-9 {
		t.Errorf("per system: migration %g, want 2 x 40 x 1.5 = 120", got)
	}
	s.Systems[0].PerConsolidation = true
	if got := migration(s); math.Abs(got-60) > 1e-9 {
		t.Errorf("per consolidation: migration %g, want 1 x 40 x 1.5 = 60", got)
	}
	s.Successors = []Successor{{Name: "N", Predecessors: []string{"C", "A"}}, {Name: "S", Predecessors: []string{"C", "B"}}}
	s.Systems[0].Counts = map[string]int{"C": 1, "A": 3, "B": 1}
	if got := migration(s); math.Abs(got-120) > 1e-9 {
		t.Errorf("two successors per consolidation: migration %g, want 2 x 40 x 1.5 = 120", got)
	}
	s.Systems[0].PerConsolidation = false
	// N: sources C 1 + A 3, keeps 1 (A's): migrates 3; S: sources 2, keeps 1: 1.
	if got := migration(s); math.Abs(got-240) > 1e-9 {
		t.Errorf("two successors per system: migration %g, want 4 x 40 x 1.5 = 240", got)
	}
}

// TestRiskDelay: a certain risk delaying licence savings by one year.
func TestRiskDelay(t *testing.T) {
	s := tiny()
	s.Workforce, s.Items = nil, nil
	s.Risks = []Risk{{Name: "slip", Probability: 1, Delay: fixed(1), Cost: fixed(7), Hits: []string{"systems.fin.licence"}}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	// without the risk: 0, -60, 140, 200, 200; licence shifted: 0, -60, -60, 200, 200; risk cost 7 in year 1.
	want := []float64{0, -67, -60, 200, 200}
	for i, v := range want {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
	}
}

// TestRiskDelayYearByYear: a one-year slip of the workforce saving and of
// a recurring saving item (lines held as amount x profile) shifts them by a
// year. Saving 0, 0, 500, 1000, 1000; item 40 a year from year 1, slipped to
// year 2 on; programme (a cost: not delayed) 150 in years 0-1; redundancy
// 500 in year 1; systems as in TestHandCalculation. Net: -150, -710, 680,
// 1240, 1240.
func TestRiskDelayYearByYear(t *testing.T) {
	s := tiny()
	s.Items = append(s.Items, Item{Name: "shared", Benefit: true, Recurring: true, Amount: fixed(40), Ramp: Ramp{Start: 1}})
	s.Risks = []Risk{{Name: "slip", Probability: 1, Delay: fixed(1), Hits: []string{"workforce.back_office.saving", "items.shared"}}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	for i, v := range []float64{-150, -710, 680, 1240, 1240} {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
	}
	if got := res.Raw.Mean[c.OutOneOff]; math.Abs(got-(300+120+500)) > 1e-9 {
		t.Errorf("one-off %g, want 920", got)
	}
}

func TestGreenBookDiscount(t *testing.T) {
	d := discountFactors(nil, 41)
	if want := math.Pow(1.035, -30); math.Abs(d[30]/want-1) > 1e-12 {
		t.Errorf("D(30) = %g, want %g", d[30], want)
	}
	if want := math.Pow(1.035, -30) * math.Pow(1.03, -10); math.Abs(d[40]/want-1) > 1e-12 {
		t.Errorf("D(40) = %g, want %g", d[40], want)
	}
}

func TestValidateReportsEverything(t *testing.T) {
	s := tiny()
	s.Predecessors[1].Population = 0
	s.Successors = append(s.Successors, Successor{Name: "V", Predecessors: []string{"A", "Zed"}})
	s.Risks = []Risk{{Name: "r", Probability: 1.5}}
	err := s.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"predecessors[1].population: must be a positive number",
		`successors[1].predecessors[0]: "A" is already in successor "U"`,
		`successors[1].predecessors[1]: unknown predecessor "Zed"`,
		"risks[0].probability: must be a probability in [0, 1]",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

// TestEvalDoesNotAllocate checks the per-trial evaluation allocates nothing.
func TestEvalDoesNotAllocate(t *testing.T) {
	c, err := Compile(tiny())
	if err != nil {
		t.Fatal(err)
	}
	eval := c.Model.TrialEval()
	in := c.Model.Medians()
	out := make([]float64, len(c.Model.Outputs))
	if a := testing.AllocsPerRun(100, func() { eval(in, out) }); a != 0 {
		t.Errorf("%v allocations per trial", a)
	}
}

func TestRunMatchesDeterministicWhenFixed(t *testing.T) {
	c, _ := Compile(tiny())
	res, err := c.Run(context.Background(), engine.Options{Iterations: 3000, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summarize()
	det := c.Deterministic().Summarize()
	if s.NPV.SD > 1e-9 || math.Abs(s.NPV.Mean-det.NPV.Mean) > 1e-9 || s.NPV.P50 != det.NPV.P50 || s.PaybackYears.P50 != 2 {
		t.Errorf("fixed scenario: run %+v vs deterministic %+v", s.NPV, det.NPV)
	}
}

// TestInventory: systems listed one by one. The unitary keeps the county's
// system; the districts' are decommissioned, each saving its own licence
// from its own contract end: A's 100 from year 2, B's 50 from year 1; two
// migrations of 40 x 1.5 over years 1..2 (the latest contract end): 60 a year.
func TestInventory(t *testing.T) {
	s := tiny()
	s.Workforce, s.Items = nil, nil
	s.Systems = []SystemCategory{{Name: "fin", Migration: fixed(40), Inventory: []InventoryRow{
		{Predecessor: "C", Product: "SAP", Licence: fixed(700), ContractEnd: fixed(3)},
		{Predecessor: "A", Product: "Unit4", Licence: fixed(100), ContractEnd: fixed(2)},
		{Predecessor: "B", Product: "Civica", Licence: fixed(50), ContractEnd: fixed(1)},
	}}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	want := []float64{0, 50 - 60, 150 - 60, 150, 150}
	for i, v := range want {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
	}
	// Split in two: the county system is kept by its home (B's successor,
	// the larger); A's successor keeps A's system; only B's is decommissioned.
	s.Successors = []Successor{{Name: "N", Predecessors: []string{"C", "A"}}, {Name: "S", Predecessors: []string{"C", "B"}}}
	c, err = Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res = c.Deterministic()
	// migrations: N sources 2 (C, A), keeps A: 1; S sources 2 (C, B), keeps C: 1.
	// licence: B's 50 from year 1. Migration 2 x 40 x 1.5 / 1 (B's end, year 1) = 120 in year 1.
	want = []float64{0, 50 - 120, 50, 50, 50}
	for i, v := range want {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("split: net[%d] = %g, want %g", i, got, v)
		}
	}
}

// TestPaybackCountsFromFirstCashFlow: with nothing happening in year 0, a
// cost in year 1 and savings after, payback is the year the cumulative net
// turns non-negative (4), not year 0.
func TestPaybackCountsFromFirstCashFlow(t *testing.T) {
	s := tiny()
	s.Systems, s.Workforce = nil, nil
	s.Items = []Item{{Name: "cost", Amount: fixed(250), Start: 1}, {Name: "saving", Benefit: true, Recurring: true, Amount: fixed(100), Start: 2}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	// net: 0, -250, 100, 100, 100; cumulative: 0, -250, -150, -50, 50.
	if p := c.Deterministic().Raw.Mean[c.OutPayback]; p != 4 {
		t.Errorf("payback %g, want 4", p)
	}
	s.Items = []Item{{Name: "saving", Benefit: true, Recurring: true, Amount: fixed(100), Start: 2}}
	c, _ = Compile(s)
	if p := c.Deterministic().Raw.Mean[c.OutPayback]; p != 2 {
		t.Errorf("savings only: payback %g, want 2 (the first year with cash flow)", p)
	}
}

// TestQualityAndDemocracy checks an indicator, its channel-shift value and
// the democracy lines by hand. fin migrates in years 1..2 (contract end 2).
// Indicator: baseline 0.6, effect +0.1 over a 2-year ramp from year 1, dip
// 0.05 while migrating: 0.6, 0.6, 0.65, 0.7, 0.7. Value per unit = 1000
// contacts x (3 - 1) = 2000: 0, 0, 100, 200, 200 (non-cashable: not in net).
// Democracy: 10 seats x 5 + elections 20 from year 1 = 70 a year.
func TestQualityAndDemocracy(t *testing.T) {
	s := tiny()
	s.Workforce, s.Items = nil, nil
	s.Predecessors[0].Councillors, s.Predecessors[1].Councillors, s.Predecessors[2].Councillors = 10, 5, 5
	s.Successors[0].Councillors = 10
	s.Democracy = &Democracy{Allowance: fixed(5), ElectionSaving: fixed(20)}
	s.Quality = []Indicator{{Name: "online", Baseline: fixed(0.6), Effect: fixed(0.1), Ramp: Ramp{Start: 1, Years: 2},
		Disruption: fixed(0.05), ChannelShift: &ChannelShift{ContactsPerYear: fixed(1000), CostOffline: fixed(3), CostOnline: fixed(1)}}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	wantQ := []float64{0.6, 0.6, 0.65, 0.7, 0.7}
	for i, v := range wantQ {
		if got := res.Raw.Mean[c.OutQuality+i]; math.Abs(got-v) > 1e-12 {
			t.Errorf("quality[%d] = %g, want %g", i, got, v)
		}
	}
	// Systems as in TestHandCalculation (0, -60, 140, 200, 200) plus democracy 70 from year 1.
	wantNet := []float64{0, 10, 210, 270, 270}
	for i, v := range wantNet {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
	}
	for l, ln := range c.Lines {
		if ln.Name == "quality.online" {
			want := 0.0
			for i, v := range []float64{0, 0, 100, 200, 200} {
				want += v * c.Discount[i]
			}
			if got := res.Raw.Mean[c.OutLine+l]; math.Abs(got-want) > 1e-9 || ln.Cashable {
				t.Errorf("quality value PV %g (cashable %v), want %g, non-cashable", got, ln.Cashable, want)
			}
		}
	}
}

// TestSystemOptions: dual running, migration years, exit fees, a target of
// two systems and explicit county shares, by hand.
func TestSystemOptions(t *testing.T) {
	s := tiny()
	s.Workforce, s.Items = nil, nil
	s.Systems[0].DualRunning = fixed(1)    // licences saved from year 3 instead of 2
	s.Systems[0].MigrationYears = fixed(1) // migration all in year 1
	s.Systems[0].ExitFee = fixed(7)        // per decommissioned system, in year 2
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	// 2 decommissioned, 2 migrated: migration 2 x 40 x 1.5 = 120 in year 1;
	// exit 2 x 7 x 1.5 = 21 in year 2; licence 200 from year 3.
	want := []float64{0, -120, -21, 200, 200}
	res := c.Deterministic()
	for i, v := range want {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("net[%d] = %g, want %g", i, got, v)
		}
	}
	// Keep two systems: one decommissioned, one migrated.
	s = tiny()
	s.Workforce, s.Items = nil, nil
	s.Systems[0].Target = map[string]int{"U": 2}
	c, _ = Compile(s)
	res = c.Deterministic()
	want = []float64{0, -30, 70, 100, 100} // migration 40 x 1.5 / 2 over years 1-2; licence 100 from year 2
	for i, v := range want {
		if got := res.Raw.Mean[c.OutNet+i]; math.Abs(got-v) > 1e-9 {
			t.Errorf("target 2: net[%d] = %g, want %g", i, got, v)
		}
	}
	// Explicit shares: the county 90% to N (smaller), so N keeps its systems.
	s = tiny()
	s.Workforce, s.Items = nil, nil
	s.Successors = []Successor{{Name: "N", Predecessors: []string{"C", "A"}, Shares: map[string]float64{"C": 0.9}},
		{Name: "S", Predecessors: []string{"C", "B"}, Shares: map[string]float64{"C": 0.1}}}
	c, err = Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, ln := range c.Lines {
		// N (home of the county system) migrates A's; S keeps B's and migrates the county's data.
		if ln.Name == "systems.fin.migration" && (ln.Share[0] != 0.5 || ln.Share[1] != 0.5) {
			t.Errorf("migration shares %v, want [0.5 0.5]", ln.Share)
		}
	}
}
