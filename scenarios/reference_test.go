package scenarios

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// referenceValues is shared/bench/reference_values.json: R's answer from
// 100,000,000 trials of an independent hand-written implementation.
type referenceValues struct {
	NPV struct {
		Mean, SD, P5, P50, P95 float64
	} `json:"npv"`
	Steady struct {
		Mean, SD, P5, P50, P95 float64
	} `json:"steady"`
	PNPVPositive float64 `json:"p_npv_positive"`
	PPaybackLE5  float64 `json:"p_payback_le_5"`
}

func readReference(t *testing.T) referenceValues {
	t.Helper()
	data, err := os.ReadFile("testdata/reference_values.json")
	if err != nil {
		t.Fatal(err)
	}
	var rv referenceValues
	if err := json.Unmarshal(data, &rv); err != nil {
		t.Fatal(err)
	}
	return rv
}

// TestReferenceModelR runs scenarios/reference-r.yaml at 1,000,000 trials
// (seed 20261127) and checks it against the reference answer with the
// tolerances of shared/bench/reference_values.json: mean NPV within 4 Monte
// Carlo standard errors; P5, P50 and P95 of NPV each within 1% of the
// reference NPV standard deviation. Steady-state saving and the two
// probabilities are checked within 4 standard errors too.
func TestReferenceModelR(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000,000 trials")
	}
	rv := readReference(t)
	ld, err := Load("reference-r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := lgr.Compile(ld.Scenario)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1_000_000
	res, err := c.Run(context.Background(), engine.Options{Iterations: n, Seed: 20261127})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summarize()
	mcse := rv.NPV.SD / math.Sqrt(n)
	t.Logf("NPV mean %.0f (ref %.0f, diff %.2f MCSE); p5 %.0f (ref %.0f), p50 %.0f (ref %.0f), p95 %.0f (ref %.0f)",
		s.NPV.Mean, rv.NPV.Mean, (s.NPV.Mean-rv.NPV.Mean)/mcse, s.NPV.P5, rv.NPV.P5, s.NPV.P50, rv.NPV.P50, s.NPV.P95, rv.NPV.P95)
	if d := math.Abs(s.NPV.Mean - rv.NPV.Mean); d > 4*mcse {
		t.Errorf("NPV mean %.0f differs from reference %.0f by %.1f MCSE (> 4)", s.NPV.Mean, rv.NPV.Mean, d/mcse)
	}
	tol := 0.01 * rv.NPV.SD
	for _, q := range []struct {
		name      string
		got, want float64
	}{{"p5", s.NPV.P5, rv.NPV.P5}, {"p50", s.NPV.P50, rv.NPV.P50}, {"p95", s.NPV.P95, rv.NPV.P95}} {
		if d := math.Abs(q.got - q.want); d > tol {
			t.Errorf("NPV %s %.0f differs from reference %.0f by %.0f (> %.0f, 1%% of sd)", q.name, q.got, q.want, d, tol)
		}
	}
	if d := math.Abs(s.NPV.SD - rv.NPV.SD); d > 0.01*rv.NPV.SD {
		t.Errorf("NPV sd %.0f vs reference %.0f", s.NPV.SD, rv.NPV.SD)
	}
	smcse := rv.Steady.SD / math.Sqrt(n)
	if d := math.Abs(s.SteadyStateSaving.Mean - rv.Steady.Mean); d > 4*smcse {
		t.Errorf("steady mean %.0f vs reference %.0f (%.1f MCSE)", s.SteadyStateSaving.Mean, rv.Steady.Mean, d/smcse)
	}
	for _, p := range []struct {
		name      string
		got, want float64
	}{{"P(NPV>0)", s.PNPVPositive, rv.PNPVPositive}, {"P(payback<=5)", s.PPaybackWithin5y, rv.PPaybackLE5}} {
		if se := math.Sqrt(p.want * (1 - p.want) / n); math.Abs(p.got-p.want) > 4*se {
			t.Errorf("%s %.5f vs reference %.5f (> 4 se %.5f)", p.name, p.got, p.want, se)
		}
	}
}
