package lgr

import (
	"math"
	"testing"
)

// gated is tiny() with two system categories migrating over 2 and 4 years
// and two cost-base savings, each enabled by one of them.
func gated(migB float64) *Scenario {
	s := tiny()
	s.Systems = []SystemCategory{
		{Name: "finA", Counts: map[string]int{"C": 1, "A": 1}, Licence: fixed(0), Migration: fixed(0), ContractEnd: fixed(1), MigrationYears: fixed(2)},
		{Name: "crmB", Counts: map[string]int{"C": 1, "A": 1}, Licence: fixed(0), Migration: fixed(0), ContractEnd: fixed(1), MigrationYears: fixed(migB)},
	}
	s.Workforce, s.Items = nil, nil
	s.Horizon = 8
	s.RampStretch = fixed(1)
	s.CostBases = []CostBase{{Name: "staff", Amount: fixed(10000)}, {Name: "spend", Amount: fixed(5000)}}
	s.Savings = []Saving{
		{Name: "enabling", Base: []string{"staff", "spend"}, Reduction: fixed(0.1), Scale: 0.8,
			Ramp: Ramp{Profile: []float64{0.5, 1}}, EnabledBy: []string{"finA"},
			CostToAchieve: fixed(2), CostProfile: []float64{0.25, 0.75}},
		{Name: "contact", Base: []string{"staff"}, Reduction: fixed(0.05),
			Ramp: Ramp{Profile: []float64{0.5, 1}}, EnabledBy: []string{"crmB"}},
	}
	return s
}

func savingsByYear(t *testing.T, s *Scenario) (save, net []float64) {
	t.Helper()
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	for y := 0; y < c.Years; y++ {
		save = append(save, res.Raw.Mean[c.OutSavings+y])
		net = append(net, res.Raw.Mean[c.OutNet+y])
	}
	return save, net
}

// TestCostBaseSavingsByHand: enabling = (10000 + 5000) x 10% x 0.8 = 1200 a
// year at full effect; finA migrates over years 1-2, so it starts in year 3:
// 600, then 1200. Its cost to achieve, 2 x 1200 = 2400, is paid 600 in year
// 3 and 1800 in year 4. contact = 10000 x 5% = 500; crmB migrates over
// years 1-4, so it starts in year 5: 250, then 500.
func TestCostBaseSavingsByHand(t *testing.T) {
	save, net := savingsByYear(t, gated(4))
	wantSave := []float64{0, 0, 0, 600, 1200, 1200 + 250, 1700, 1700, 1700}
	wantNet := []float64{0, 0, 0, 0, 1200 - 1800, 1450, 1700, 1700, 1700}
	for y := range wantSave {
		if math.Abs(save[y]-wantSave[y]) > 1e-9 || math.Abs(net[y]-wantNet[y]) > 1e-9 {
			t.Errorf("year %d: savings %v net %v, want %v and %v", y, save[y], net[y], wantSave[y], wantNet[y])
		}
	}
}

// TestGatingDelaysExactlyTheLinesItEnables: crmB's migration taking one
// year longer delays the contact saving by exactly one year and leaves the
// enabling saving (gated by finA) untouched.
func TestGatingDelaysExactlyTheLinesItEnables(t *testing.T) {
	line := func(s *Scenario, name string) []float64 {
		c, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		// Flows by year of one line: run the scenario with only that saving.
		_ = c
		var keep []Saving
		for _, sv := range s.Savings {
			if sv.Name == name {
				sv.CostToAchieve = nil
				keep = append(keep, sv)
			}
		}
		s2 := *s
		s2.Savings = keep
		save, _ := savingsByYear(t, &s2)
		return save
	}
	for _, name := range []string{"enabling", "contact"} {
		a, b := line(gated(4), name), line(gated(5), name)
		for y := range a {
			want := a[y]
			if name == "contact" {
				want = 0
				if y >= 1 {
					want = a[y-1]
				}
			}
			if b[y] != want {
				t.Errorf("%s year %d: %v with crmB slower, want %v (was %v)", name, y, b[y], want, a[y])
			}
		}
	}
}

// TestRiskOnEnablingSystemDelaysSaving: a risk delaying crmB's licence
// savings by 2 years delays the saving crmB enables by 2 years.
func TestRiskOnEnablingSystemDelaysSaving(t *testing.T) {
	s := gated(4)
	s.Savings = s.Savings[1:]
	base, _ := savingsByYear(t, s)
	s.Risks = []Risk{{Name: "legacy", Probability: 1, Delay: fixed(2), Hits: []string{"systems.crmB"}}}
	hit, _ := savingsByYear(t, s)
	for y := range base {
		want := 0.0
		if y >= 2 {
			want = base[y-2]
		}
		if hit[y] != want {
			t.Errorf("year %d: %v, want %v", y, hit[y], want)
		}
	}
}

// TestRampStretchAndSlip: a stretch of 2 halves the ramp's pace (shares
// C(x/2): 0.25, 0.5, 0.75, 1); a migration slip of 1.5 on a 2-year
// migration makes it 3 years.
func TestRampStretchAndSlip(t *testing.T) {
	s := gated(4)
	s.Savings = s.Savings[1:]
	s.RampStretch = fixed(2)
	save, _ := savingsByYear(t, s)
	want := []float64{0, 0, 0, 0, 0, 125, 250, 375, 500}
	for y := range want {
		if math.Abs(save[y]-want[y]) > 1e-9 {
			t.Errorf("stretch: year %d: %v, want %v", y, save[y], want[y])
		}
	}
	s = gated(2)
	s.Savings = s.Savings[1:]
	s.MigrationSlip = fixed(1.5)
	save, _ = savingsByYear(t, s)
	want = []float64{0, 0, 0, 0, 250, 500, 500, 500, 500}
	for y := range want {
		if math.Abs(save[y]-want[y]) > 1e-9 {
			t.Errorf("slip: year %d: %v, want %v", y, save[y], want[y])
		}
	}
}
