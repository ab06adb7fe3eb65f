package study

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// TestScaleSuffolk checks devolve scale's figures for Suffolk against the
// shipped data read here: councils (the county and its districts), one
// system per council per service in the generic inventory (districts'
// services at districts, county services at the county), all but one
// retired for one unitary, and the staff cost base summed from the RSX
// service lines (all but education, police, fire and public health).
func TestScaleSuffolk(t *testing.T) {
	a := mustArea(t, "Suffolk")
	r, err := RunScale(context.Background(), ScaleConfig{Area: "Suffolk", AreaOptions: area.AreaOptions{Unitaries: 1}},
		lgr.NationalOptions{Options: engine.Options{Iterations: 2000, Seed: 1, Sampling: engine.Sobol}})
	if err != nil {
		t.Fatal(err)
	}
	councils := 1 + len(a.Districts)
	if r.CouncilsBefore != councils || r.CouncilsAfter != 1 {
		t.Errorf("councils %d into %d, want %d into 1", r.CouncilsBefore, r.CouncilsAfter, councils)
	}
	for _, s := range r.Systems {
		want := councils // county, district and unitary kinds
		switch s.Category {
		case "revenues_benefits", "planning_building_control", "housing", "licensing_env_health", "elections_registration":
			want = len(a.Districts)
		case "social_care":
			want = 1
		}
		if s.Before != want || s.After != 1 || s.Retired != want-1 || s.Inventory {
			t.Errorf("%s: %+v, want %d before, 1 after, %d retired, generic", s.Category, s, want, want-1)
		}
	}
	if !r.GenericInventory {
		t.Error("a generated area's inventory is generic and must say so")
	}
	staff := 0.0
	for _, c := range append([]area.Council{a.County}, a.Districts...) {
		for svc, sp := range c.Services {
			switch svc {
			case "education", "police", "fire_rescue", "public_health", "total":
			default:
				staff += sp.Employees
			}
		}
	}
	if math.Abs(staff-r.Staff.CostPerYear) > 1 {
		t.Errorf("staff cost base %.0f, from the services data %.0f", r.Staff.CostPerYear, staff)
	}
	// FTE: cost over £40k-£50k a post (no derived part in Suffolk), so the
	// 90% interval is the cost over £50k to the cost over £40k.
	if math.Abs(r.Staff.FTE.P5-staff/50e3) > 1e-9*staff || math.Abs(r.Staff.FTE.P95-staff/40e3) > 1e-9*staff || r.Staff.DerivedPerYear != 0 {
		t.Errorf("FTE %+v for £%.0f a year", r.Staff.FTE, staff)
	}
	// Every retired system's contract ends in some year.
	sum, retired := 0.0, 0
	for _, y := range r.ContractsEnding {
		sum += y.Mean
	}
	for _, s := range r.Systems {
		retired += s.Retired
	}
	if math.Abs(sum-float64(retired)) > 1e-9 {
		t.Errorf("contracts ending sum to %v, %d systems retired", sum, retired)
	}
	if !(r.ITOneOff.P5 > 0 && r.ITOneOff.P5 < r.ITOneOff.P50 && r.ITOneOff.P50 < r.ITOneOff.P95) || !(r.LicenceRetired.Mean > 0) {
		t.Errorf("IT one-off %+v, licences %+v", r.ITOneOff, r.LicenceRetired)
	}
}

// TestOutcomesSuffolk: posts by function sum to the total trial by trial
// (checked through the means), enabling spend after is below before by the
// enabling saving per resident, every indicator carries evidence or is
// labelled judgement, and the measured changes are devolve evidence's
// pooled 2009 wave with a counterfactual per resident that is positive.
func TestOutcomesSuffolk(t *testing.T) {
	r, err := RunOutcomes(context.Background(), ScaleConfig{Area: "Suffolk", AreaOptions: area.AreaOptions{Unitaries: 1}},
		lgr.NationalOptions{Options: engine.Options{Iterations: 2000, Seed: 1, Sampling: engine.Sobol}})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	var enabling FunctionPosts
	for _, f := range r.Posts {
		sum += f.Posts.Mean
		if f.Function == "enabling_support" {
			enabling = f
		}
	}
	if len(r.Posts) != 3 || math.Abs(sum-r.PostsTotal.Mean) > 1e-9*sum {
		t.Errorf("posts by function %+v sum to %v, total %v", r.Posts, sum, r.PostsTotal.Mean)
	}
	if got, want := r.Enabling.Before.Mean-r.Enabling.After.Mean, enabling.Saving.Mean/r.Residents; math.Abs(got-want) > 1e-9*want {
		t.Errorf("enabling spend falls by %v a resident, its saving is %v a resident", got, want)
	}
	for _, q := range r.Quality {
		if len(q.Evidence) == 0 || (q.Indicator == "contacts_online") != q.Judgement {
			t.Errorf("%s: judgement %v, evidence %+v", q.Indicator, q.Judgement, q.Evidence)
		}
		if !(q.PDeclineWorst >= q.PDeclineEnd) {
			t.Errorf("%s: P(worse in some year) %v below P(worse at the horizon) %v", q.Indicator, q.PDeclineWorst, q.PDeclineEnd)
		}
	}
	found := false
	for _, m := range r.Measured {
		if m.Wave == "2009" && m.Outcome == "merger_lines" {
			found = true
			if m.Members != 9 || !(m.PerResident < 0) || m.PerResident/m.Effect <= 0 || m.Kind != "measured" {
				t.Errorf("2009 merger lines: %+v", m)
			}
		}
	}
	if !found {
		t.Error("no measured 2009 wave")
	}
	checkMeasuredPerResident(t, r)
}

// checkMeasuredPerResident recomputes the 2009 wave's change a resident on
// the lines a merger touches from devolve evidence's series: each
// successor's counterfactual in years 1-5, cash of its financial year
// restated in the run's price base by the GDP deflator (the deflator read
// directly from calibration.GDPDeflator), averaged, over Census 2021
// residents, averaged over the wave, times the wave's effect. In cash, as
// before, the figure was about a fifth smaller.
func checkMeasuredPerResident(t *testing.T, r *OutcomesResult) {
	t.Helper()
	ev, err := calibration.DefaultEvidence()
	if err != nil {
		t.Fatal(err)
	}
	defl, err := calibration.GDPDeflator()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := strconv.Atoi(r.PriceBase[:4])
	sum, n := 0.0, 0
	for _, se := range ev.Successors {
		if se.Wave != "2009" {
			continue
		}
		code, err := calibration.SuccessorONSCode(se.Successor)
		if err != nil {
			t.Fatal(err)
		}
		pop, ok := area.Residents(code)
		if !ok {
			t.Fatalf("%s: no residents", se.Successor)
		}
		for _, f := range se.Fits {
			if f.Estimator != calibration.EstimatorSC || f.Outcome != calibration.OutcomeMergerLines {
				continue
			}
			cf, m := 0.0, 0
			for _, y := range f.Series {
				if y.Year >= 1 && y.Year <= 5 && y.Counterfactual > 0 {
					fy, _ := strconv.Atoi(y.FinancialYear[:4])
					cf += y.Counterfactual * defl[base] / defl[fy]
					m++
				}
			}
			sum += cf / float64(m) / pop
			n++
		}
	}
	for _, m := range r.Measured {
		if m.Wave == "2009" && m.Outcome == string(calibration.OutcomeMergerLines) {
			want := m.Effect * sum / float64(n)
			t.Logf("2009 merger lines: %.2f a resident in %s prices (recomputed %.2f)", m.PerResident, r.PriceBase, want)
			if n != 9 || math.Abs(m.PerResident-want) > 1e-9*math.Abs(want) {
				t.Errorf("2009 merger lines: %.6f a resident, recomputed %.6f from %d successors", m.PerResident, want, n)
			}
		}
	}
}
