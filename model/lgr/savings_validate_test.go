package lgr

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// TestSavingsValidation: each hostile input of a cost-base saving is an
// error at its key path (regressions: a reduction of 150%, a negative cost
// base or cost to achieve, and a ramp stretch or migration slip that can be
// zero or negative used to validate).
func TestSavingsValidation(t *testing.T) {
	u, _ := dist.NewUniform(-1, 1)
	for _, c := range []struct {
		name string
		edit func(s *Scenario)
		want string
	}{
		{"reduction above 1", func(s *Scenario) { s.Savings[0].Reduction = fixed(1.5) }, "savings[0].reduction: must be a fraction"},
		{"negative reduction", func(s *Scenario) { s.Savings[0].Reduction = fixed(-0.1) }, "savings[0].reduction: must be a fraction"},
		{"negative cost base", func(s *Scenario) { s.CostBases[0].Amount = fixed(-1) }, "cost_bases[0].amount: must not be negative"},
		{"negative amount", func(s *Scenario) { s.Savings[1].Base, s.Savings[1].Amount = nil, fixed(-1) }, "savings[1].amount: must not be negative"},
		{"negative cost to achieve", func(s *Scenario) { s.Savings[0].CostToAchieve = fixed(-2) }, "savings[0].cost_to_achieve: must not be negative"},
		{"stretch reaches below 0", func(s *Scenario) { s.RampStretch = u }, "ramp_stretch: must be a positive factor"},
		{"stretch 0", func(s *Scenario) { s.RampStretch = fixed(0) }, "ramp_stretch: must be a positive factor"},
		{"slip reaches below 0", func(s *Scenario) { s.MigrationSlip = u }, "migration_slip: must be a positive factor"},
		{"NaN scale", func(s *Scenario) { s.Savings[0].Scale = math.NaN() }, "savings[0].scale"},
		{"unknown gate", func(s *Scenario) { s.Savings[0].EnabledBy = []string{"nope"} }, `savings[0].enabled_by[0]: unknown system category "nope"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := gated(4)
			c.edit(s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
			if _, err := Compile(s); err == nil {
				t.Error("compiled")
			}
		})
	}
}

// TestSavingNonPositiveStretchStaysFinite: a model whose ramp stretch or
// migration slip is set after validation at 0 or below still
// evaluates to finite outputs: evalSaving floors the stretch at 1e-9 (full
// effect at the start) and a slipped migration lasts at least a year.
func TestSavingNonPositiveStretchStaysFinite(t *testing.T) {
	s := gated(4)
	s.MigrationSlip = fixed(1)
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{0, -1, -1e300} {
		// Injected past validation and past Fix (which refuses values
		// outside an input's range): the engine must still stay finite.
		f := *c
		m := *c.Model
		m.Inputs = slices.Clone(m.Inputs)
		for j := range m.Inputs {
			if n := m.Inputs[j].Name; n == "ramp_stretch" || n == "migration_slip" {
				m.Inputs[j].Dist = fixed(v)
			}
		}
		f.Model = &m
		res, err := f.Run(t.Context(), engine.Options{Iterations: 64, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		for k, m := range res.Raw.Mean {
			if math.IsNaN(m) || math.IsInf(m, 0) {
				if k == c.OutPayback || k == c.OutBCR {
					continue // +Inf payback and NaN ratio are defined outcomes
				}
				t.Errorf("stretch and slip %v: output %d is %v", v, k, m)
			}
		}
		// Both migrations shrink to the 1-year minimum, so both savings
		// start in year 2, at full effect at once: 1200 + 500.
		if got := res.Raw.Mean[c.OutSavings+2]; math.Abs(got-1700) > 1e-6 {
			t.Errorf("stretch %v: year-2 savings %v", v, got)
		}
	}
}

// TestCostProfileLongerThanHorizon: a cost profile longer than the horizon
// costs what its years within the horizon say (and the evaluation stops at
// the horizon: a 300,001-entry profile took 54 s for 50,000 trials, 1.2 s
// after); a start past the horizon costs nothing.
func TestCostProfileLongerThanHorizon(t *testing.T) {
	long := make([]float64, 5000)
	long[0], long[1], long[4999] = 0.25, 0.5, 0.25
	s := gated(4)
	s.Savings[0].CostProfile = long
	_, net := savingsByYear(t, s)
	// enabling starts in year 3 at 600, then 1200; cost 2400 x 0.25 in
	// year 3 and 2400 x 0.5 in year 4; the last 0.25 falls past year 8.
	// Years 3 and 4: the saving less its cost, 600 - 600 and 1200 - 1200.
	want := []float64{0, 0, 0, 0, 0, 1450, 1700, 1700, 1700}
	for y := range want {
		if math.Abs(net[y]-want[y]) > 1e-9 {
			t.Errorf("year %d: net %v, want %v", y, net[y], want[y])
		}
	}
	s = gated(4)
	s.Savings[0].Ramp.Start = 50 // past the horizon of 8
	save, net := savingsByYear(t, s)
	for y := range save {
		if c := save[y] - net[y]; math.Abs(c) > 1e-9 {
			t.Errorf("year %d: a saving starting in year 50 costs %v", y, c)
		}
	}
}

// TestRiskDelayCountsOnce: a risk that hits both an enabling system's
// licence line and the saving (no hits: every saving line) delays the
// saving by its delay once. enabling starts in year 3 without the risk;
// a 2-year delay, through either line or both, moves it to year 5 (it
// moved it to year 7 before: the delay counted through the gate and again
// on the saving).
func TestRiskDelayCountsOnce(t *testing.T) {
	want := []float64{0, 0, 0, 0, 0, 600, 1200, 1200, 1200}
	for _, hits := range [][]string{nil, {"savings."}, {"systems.finA"}, {"systems.finA", "savings.enabling"}} {
		s := gated(4)
		s.Savings = s.Savings[:1]
		s.Savings[0].CostToAchieve = nil
		s.Risks = []Risk{{Name: "r", Probability: 1, Delay: fixed(2), Hits: hits}}
		save, _ := savingsByYear(t, s)
		for y := range want {
			if math.Abs(save[y]-want[y]) > 1e-9 {
				t.Errorf("hits %v: year %d: %v, want %v", hits, y, save[y], want[y])
			}
		}
	}
	// Two risks, one on the system and one on the saving, add up: 2 + 1.
	s := gated(4)
	s.Savings = s.Savings[:1]
	s.Savings[0].CostToAchieve = nil
	s.Risks = []Risk{{Name: "sys", Probability: 1, Delay: fixed(2), Hits: []string{"systems.finA"}},
		{Name: "own", Probability: 1, Delay: fixed(1), Hits: []string{"savings.enabling"}}}
	save, _ := savingsByYear(t, s)
	if save[5] != 0 || save[6] != 600 || save[7] != 1200 {
		t.Errorf("two risks: %v, want the saving from year 6", save)
	}
}

// TestFixRefusesValuesOutsideRange: run --fix cannot set an input to a
// value it cannot take (a ramp stretch below zero, a reduction of 500%).
func TestFixRefusesValuesOutsideRange(t *testing.T) {
	s := gated(4)
	ln, err := dist.NewLogNormal(0, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	s.RampStretch = ln
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fix(map[string]float64{"ramp_stretch": -1}); err == nil || !strings.Contains(err.Error(), "outside the input's range") {
		t.Errorf("ramp_stretch -1 accepted: %v", err)
	}
	if _, err := c.Fix(map[string]float64{"ramp_stretch": 1.7}); err != nil {
		t.Errorf("ramp_stretch 1.7 refused: %v", err)
	}
}

// TestValidateErrorOrder: the range checks (which run after the tables
// their quantiles read are built in parallel) report in the place where
// they are checked among the other errors, as when each ran at once.
func TestValidateErrorOrder(t *testing.T) {
	s := gated(4)
	s.Predecessors[0].Population = -1
	s.Predecessors[0].StaffFTE = fixed(-5)
	s.Predecessors[0].Councillors = -1
	s.Savings[0].Base = []string{"staff", "nope"}
	pert, err := dist.NewPERT(0.5, 0.9, 1.4, dist.PERTLambda)
	if err != nil {
		t.Fatal(err)
	}
	s.Savings[0].Reduction = pert
	s.Savings[0].Scale = -1
	s.Savings[0].EnabledBy = []string{"nope"}
	err = s.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	msg, at := err.Error(), -1
	for _, path := range []string{"predecessors[0].population", "predecessors[0].staff_fte: must not be negative",
		"predecessors[0].councillors", "savings[0].base[1]", "savings[0].reduction: must be a fraction",
		"savings[0].scale", "savings[0].enabled_by[0]"} {
		i := strings.Index(msg, path)
		if i <= at {
			t.Fatalf("%q missing or out of order in:\n%s", path, msg)
		}
		at = i
	}
}
