package area

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/notation"
	"github.com/devolve-lgr/devolve/scenarios"
)

// TestExactAmounts: every amount a generated scenario writes reads back
// as exactly the value it was built with, over magnitudes from pence to
// tens of billions.
func TestExactAmounts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		x := math.Pow(10, 12*r.Float64()-1)
		s := exact(x)
		if v, err := notation.ParseAmount(s); err != nil || v != x {
			t.Fatalf("exact(%v) = %q reads back as %v (%v)", x, s, v, err)
		}
	}
	for x, want := range map[float64]string{70.66e6: "70.66m", 1.5e9: "1.5bn", 450e3: "450k", 12: "12"} {
		if got := exact(x); got != want {
			t.Errorf("exact(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestWrittenReadsAsBuilt: for every area, as one, two and three unitaries
// and under each integration strategy, the YAML `devolve area --write`
// writes loads to the scenario BuildArea built: the same inputs (names and
// key paths) and, on a seeded run of 2,048 trials, bit-identical means and
// standard deviations of every output (so every distribution, not only its
// median, is the one built).
func TestWrittenReadsAsBuilt(t *testing.T) {
	areas, err := Areas()
	if err != nil {
		t.Fatal(err)
	}
	opts := []AreaOptions{{Unitaries: 1}, {Unitaries: 2}, {Unitaries: 3, Integration: Connected}, {Unitaries: 1, Integration: Federated}}
	for i, a := range areas {
		opt := opts[i%len(opts)] // each area once, the options in turn
		g, err := BuildArea(a, opt)
		if err != nil {
			t.Fatal(err)
		}
		ld, err := scenarios.LoadBytes(g.YAML(), "yaml", a.Name+".yaml")
		if err != nil {
			t.Fatalf("%s %+v: the written YAML does not load: %v", a.Name, opt, err)
		}
		built, err := g.Compile()
		if err != nil {
			t.Fatal(err)
		}
		read, err := ld.Compile()
		if err != nil {
			t.Fatal(err)
		}
		if len(built.Inputs) != len(read.Inputs) {
			t.Fatalf("%s: %d inputs built, %d read", a.Name, len(built.Inputs), len(read.Inputs))
		}
		for j := range built.Inputs {
			if built.Inputs[j].Path != read.Inputs[j].Path || built.Model.Inputs[j].Name != read.Model.Inputs[j].Name {
				t.Fatalf("%s: input %d built %s, read %s", a.Name, j, built.Inputs[j].Path, read.Inputs[j].Path)
			}
		}
		run := engine.Options{Iterations: 2048, Seed: 5}
		rb, err := built.Run(context.Background(), run)
		if err != nil {
			t.Fatal(err)
		}
		rr, err := read.Run(context.Background(), run)
		if err != nil {
			t.Fatal(err)
		}
		for k := range rb.Raw.Mean {
			if !same(rb.Raw.Mean[k], rr.Raw.Mean[k]) || !same(rb.Raw.SD[k], rr.Raw.SD[k]) {
				t.Errorf("%s %+v: output %s: built mean %v sd %v, read %v %v", a.Name, opt, built.Model.Outputs[k], rb.Raw.Mean[k], rb.Raw.SD[k], rr.Raw.Mean[k], rr.Raw.SD[k])
				break
			}
		}
	}
}

// same is a == b, NaN equal to NaN (a payback never reached).
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// TestBuiltAtFullPrecision: the built scenario holds the data's and the
// derivations' values exactly, not as printed: each predecessor's net
// expenditure is the data's figure, and each staff cost base's 5th and
// 95th percentiles are lnRange's, recomputed here (to 1e-12: the quantile
// of a lognormal from its two quantiles; 4 significant digits were off by
// up to 5e-4).
func TestBuiltAtFullPrecision(t *testing.T) {
	a, err := FindArea("Suffolk")
	if err != nil {
		t.Fatal(err)
	}
	g, err := BuildArea(a, AreaOptions{Unitaries: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := g.Scenario
	want := map[string]float64{a.County.Name: a.County.NetExpenditure}
	for _, d := range a.Districts {
		want[d.Name] = d.NetExpenditure
	}
	for _, p := range s.Predecessors {
		if got := p.NetExpenditure.Quantile(0.5); got != want[p.Name] {
			t.Errorf("%s: net expenditure %v, data %v", p.Name, got, want[p.Name])
		}
	}
	for i, sh := range FunctionShares {
		lo, hi := lnRange(g.StaffCost, [][2]float64{sh.Share}, nil) // Suffolk: every council observed
		d := s.CostBases[i].Amount
		if p5, p95 := d.Quantile(0.05), d.Quantile(0.95); math.Abs(p5/lo-1) > 1e-12 || math.Abs(p95/hi-1) > 1e-12 {
			t.Errorf("%s: 90%% interval %v to %v, derived %v to %v", s.CostBases[i].Name, p5, p95, lo, hi)
		}
	}
}
