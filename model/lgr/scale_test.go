package lgr

import (
	"context"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// TestScaleHandCalculation: tiny's one category, by hand: 3 systems (C, A,
// B) into 1: 2 retired, none new, 2 migrated; licence 100 each, so 200 a
// year retired; both contracts end in year 2; one-off IT 2 x 40 x 1.5 =
// 120 (the programme item is not IT).
func TestScaleHandCalculation(t *testing.T) {
	c, err := Compile(tiny())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := RunScale(context.Background(), []NationalArea{{Name: "T", Compiled: c}}, NationalOptions{Options: engine.Options{Iterations: 5, Seed: 1}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := SystemCount{Category: "fin", Before: 3, After: 1, Retired: 2, New: 0, Migrations: 2}
	if len(sc.Systems) != 1 || sc.Systems[0] != want {
		t.Errorf("systems %+v, want %+v", sc.Systems, want)
	}
	d := sc.Draws
	for tr := range d.ITOneOff {
		if d.ITOneOff[tr] != 120 || d.LicenceRetired[tr] != 200 || d.LicenceNew[tr] != 0 || d.ContractsEnding[2][tr] != 2 || d.ContractsEnding[1][tr] != 0 {
			t.Fatalf("trial %d: IT %v, licences retired %v new %v, ending in year 1 %v, year 2 %v", tr, d.ITOneOff[tr], d.LicenceRetired[tr],
				d.LicenceNew[tr], d.ContractsEnding[1][tr], d.ContractsEnding[2][tr])
		}
	}
}

// TestScaleAgreesWithCashFlow: with uncertain licences and contract ends
// and R fixed at 1, the undiscounted licence line of the cash flow is, trial
// by trial, the retired licences a year times the years from the contract
// end to the horizon, and the IT one-off equals the undiscounted migration
// line; RunScale reads the inputs, the cash flow computes the lines, so
// the two are independent paths.
func TestScaleAgreesWithCashFlow(t *testing.T) {
	s := tiny()
	s.Systems[0].Licence, _ = dist.NewUniform(50, 150)
	s.Systems[0].ContractEnd, _ = dist.NewUniformInt(1, 4)
	s.ITOverrun, _ = dist.NewLogNormal(0.1, 0.3)
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	opt := engine.Options{Iterations: 3000, Seed: 9, Sampling: engine.Sobol}
	sc, err := RunScale(context.Background(), []NationalArea{{Name: "T", Compiled: c}}, NationalOptions{Options: opt}, nil)
	if err != nil {
		t.Fatal(err)
	}
	u := *s
	u.Discount = []DiscountBand{{0, 0}}
	cu, err := Compile(&u)
	if err != nil {
		t.Fatal(err)
	}
	lic, mig := -1, -1
	for l, ln := range cu.Lines {
		switch ln.Name {
		case "systems.fin.licence":
			lic = cu.OutLine + l
		case "systems.fin.migration":
			mig = cu.OutLine + l
		}
	}
	opt.Keep = []int{lic, mig}
	raw, err := engine.Run(context.Background(), cu.Model, opt)
	if err != nil {
		t.Fatal(err)
	}
	H := cu.Years - 1
	for tr := 0; tr < opt.Iterations; tr++ {
		end := 0
		for y := 1; y <= H; y++ {
			if sc.Draws.ContractsEnding[y][tr] > 0 {
				end = y
			}
		}
		want := sc.Draws.LicenceRetired[tr] * float64(H-end+1)
		if got := raw.Kept[0][tr]; math.Abs(got-want) > 1e-9*want {
			t.Fatalf("trial %d: licence line %v, retired licences %v a year from year %d: %v", tr, got, sc.Draws.LicenceRetired[tr], end, want)
		}
		if got := raw.Kept[1][tr]; math.Abs(got-sc.Draws.ITOneOff[tr]) > 1e-9*got {
			t.Fatalf("trial %d: migration line %v, IT one-off %v", tr, got, sc.Draws.ITOneOff[tr])
		}
	}
}

// TestScaleStaffAndQuality: a staff saving on a cost base named
// back_office_staff, full from year 1 (ramp not stretched), no gates: the
// undiscounted saving line is, trial by trial, RunScale's saving at full
// effect times the H years it runs; posts are that saving over the trial's
// cost per FTE (its range, £40k to £50k, brackets saving / posts). An
// indicator worked by hand: baseline 20 days (lower is better), effect -2
// from year 1, a 3-day dip while systems migrate (years 1-2): change +2 at
// the horizon, worst year -1, positive meaning better.
func TestScaleStaffAndQuality(t *testing.T) {
	s := tiny()
	s.Workforce, s.Items = nil, nil
	s.RampStretch = fixed(1)
	s.SavingsRealisation, _ = dist.NewLogNormal(0, 0.3)
	base, _ := dist.NewUniform(800, 1200)
	red, _ := dist.NewUniform(0.05, 0.15)
	s.CostBases = []CostBase{{Name: "back_office_staff", Amount: base}, {Name: "third_party", Amount: fixed(500)}}
	s.Savings = []Saving{
		{Name: "bo", Base: []string{"back_office_staff"}, Reduction: red, Ramp: Ramp{Start: 1, Profile: []float64{1}}},
		{Name: "proc", Base: []string{"third_party"}, Reduction: fixed(0.1), Ramp: Ramp{Start: 1, Profile: []float64{1}}},
	}
	s.Quality = []Indicator{{Name: "days", Unit: "days", LowerIsBetter: true, Baseline: fixed(20), Effect: fixed(-2),
		Ramp: Ramp{Start: 1, Years: 1}, Disruption: fixed(3)}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	cpf, _ := dist.NewUniform(40e3, 50e3)
	opt := engine.Options{Iterations: 2000, Seed: 4, Sampling: engine.MonteCarlo}
	sc, err := RunScale(context.Background(), []NationalArea{{Name: "T", Population: 1, Compiled: c}}, NationalOptions{Options: opt}, cpf)
	if err != nil {
		t.Fatal(err)
	}
	d := sc.Draws
	if len(d.Functions) != 1 || d.Functions[0] != "back_office" || len(d.Indicators) != 1 {
		t.Fatalf("functions %v, indicators %v", d.Functions, d.Indicators)
	}
	u := *s
	u.Discount = []DiscountBand{{0, 0}}
	cu, _ := Compile(&u)
	line := -1
	for l, ln := range cu.Lines {
		if ln.Name == "savings.bo" {
			line = cu.OutLine + l
		}
	}
	opt.Keep = []int{line}
	raw, err := engine.Run(context.Background(), cu.Model, opt)
	if err != nil {
		t.Fatal(err)
	}
	H := float64(cu.Years - 1)
	for tr := range d.ITOneOff {
		if got, want := raw.Kept[0][tr], d.StaffSaving[0][tr]*H; math.Abs(got-want) > 1e-9*want {
			t.Fatalf("trial %d: saving line %v, RunScale's %v a year x %v years", tr, got, d.StaffSaving[0][tr], H)
		}
		if r := d.StaffSaving[0][tr] / d.Posts[0][tr]; !(r >= 40e3 && r <= 50e3) {
			t.Fatalf("trial %d: cost per post %v outside £40k-£50k", tr, r)
		}
		if b := d.StaffBase[0][tr]; !(b >= 800 && b <= 1200) {
			t.Fatalf("trial %d: staff base %v", tr, b)
		}
		if d.QualityEnd[0][tr] != 2 || d.QualityWorst[0][tr] != -1 {
			t.Fatalf("trial %d: quality change %v at the horizon, %v in the worst year; want 2 and -1", tr, d.QualityEnd[0][tr], d.QualityWorst[0][tr])
		}
	}
}
