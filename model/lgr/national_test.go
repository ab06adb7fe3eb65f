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
