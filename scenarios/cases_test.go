package scenarios

import (
	"math"
	"testing"
)

// TestPublishedCases runs each shipped business case deterministically
// (every input at its stated point value) and checks it reproduces the
// published figures (shared/EVIDENCE.md §3c, §4a, §4b), and a hand calculation
// of its discounted figures.
func TestPublishedCases(t *testing.T) {
	d := func(t float64) float64 { return math.Pow(1.035, -t) }
	annuity := func(from, to int) float64 {
		s := 0.0
		for y := from; y <= to; y++ {
			s += d(float64(y))
		}
		return s
	}
	for _, c := range []struct {
		name                     string
		oneOff, steady, fiveYear float64
		payback                  float64
		successorNPV             map[string]float64
	}{
		{"leicestershire-2014", 13e6, 31.4e6, -13e6 + 5*31.4e6, 1,
			map[string]float64{"Leicestershire Council": -13e6 + 31.4e6*annuity(1, 5)}},
		{"northamptonshire-2018", 29.9e6, 12.1e6, -29.9e6 + 5*12.1e6, 3,
			map[string]float64{"West Northamptonshire": -14.9e6 + 6.0e6*annuity(1, 5), "North Northamptonshire": -15.0e6 + 6.1e6*annuity(1, 5)}},
		{"cornwall-2009", 42.582e6, 71.592e6 / 4, 29.010e6, 3, nil},
		{"suffolk-2025", 18.9e6, 39.4e6, 78.2e6, 2, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ld, err := Load(c.name)
			if err != nil {
				t.Fatal(err)
			}
			cp, err := ld.Compile()
			if err != nil {
				t.Fatal(err)
			}
			s := cp.Deterministic().Summarize()
			for _, chk := range []struct {
				what      string
				got, want float64
			}{
				{"one-off cost", s.OneOffCost.Mean, c.oneOff},
				{"steady-state saving", s.SteadyStateSaving.Mean, c.steady},
				{"net over years 0-5 (0-4 for a 4-year horizon)", s.FiveYearNet.Mean, c.fiveYear},
				{"payback year", s.PaybackYears.P50, c.payback},
			} {
				if math.Abs(chk.got-chk.want) > 1 {
					t.Errorf("%s = %.0f, published %.0f", chk.what, chk.got, chk.want)
				}
			}
			for _, bs := range s.BySuccessor {
				if want, ok := c.successorNPV[bs.Name]; ok && math.Abs(bs.NPV.Mean-want) > 1 {
					t.Errorf("%s NPV %.0f, hand calculation %.0f", bs.Name, bs.NPV.Mean, want)
				}
			}
		})
	}
}
