package lgr

import (
	"errors"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// TestCheckFinite: a NaN or infinite headline draw is a NonFiniteError
// naming the output and the count; +Inf payback (never) and NaN BCR (no
// costs) are not errors. Each case is checked with the kept draws'
// counts (KeptMoments, as a run leaves them, which CheckFinite reads
// first) and without them (a scan of the draws).
func TestCheckFinite(t *testing.T) {
	amt, _ := dist.NewUniform(1e6, 2e6)
	s := &Scenario{Name: "f",
		Predecessors: []Predecessor{{Name: "A", Kind: District, Population: 10}, {Name: "B", Kind: District, Population: 20}},
		Successors:   []Successor{{Name: "U", Predecessors: []string{"A", "B"}}},
		Items:        []Item{{Name: "x", Amount: amt, Benefit: true, Recurring: true}}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	if err := res.CheckFinite(); err != nil {
		t.Fatalf("a finite run: %v", err)
	}
	for i, k := range c.headline() {
		if k == c.OutPayback {
			res.Raw.Kept[i][0] = math.Inf(1)
		}
		if k == c.OutBCR {
			res.Raw.Kept[i][0] = math.NaN()
		}
	}
	// check runs CheckFinite with the counts recomputed from the draws,
	// then without counts.
	check := func() []error {
		var errs []error
		for i, x := range res.Raw.Kept {
			res.Raw.KeptMoments[i] = engine.MomentsOf(x)
		}
		errs = append(errs, res.CheckFinite())
		km := res.Raw.KeptMoments
		res.Raw.KeptMoments = nil
		errs = append(errs, res.CheckFinite())
		res.Raw.KeptMoments = km
		return errs
	}
	for _, err := range check() {
		if err != nil {
			t.Errorf("never paying back and no costs are not errors: %v", err)
		}
	}
	for i, k := range c.headline() {
		if k == c.OutFiveYear {
			res.Raw.Kept[i][0] = math.NaN()
		}
	}
	for _, err := range check() {
		var nf *NonFiniteError
		if !errors.As(err, &nf) || nf.Output != "five_year_net" || nf.Trials != 1 {
			t.Errorf("NaN five-year net: %v", err)
		}
	}
	// An infinite one-off cost (counted apart from NaN).
	for i, k := range c.headline() {
		if k == c.OutFiveYear {
			res.Raw.Kept[i][0] = 1
		}
		if k == c.OutOneOff {
			res.Raw.Kept[i][0] = math.Inf(-1)
		}
	}
	for _, err := range check() {
		var nf *NonFiniteError
		if !errors.As(err, &nf) || nf.Output != "one_off_cost" || nf.Trials != 1 {
			t.Errorf("-Inf one-off cost: %v", err)
		}
	}
	// Counts that do not cover every kept draw (here: all but the last,
	// the one made NaN) cannot clear the output: its draws are scanned.
	for i, k := range c.headline() {
		if k == c.OutOneOff {
			res.Raw.Kept[i][0] = 1
		}
	}
	for i, k := range c.headline() {
		if k != c.OutNPV {
			continue
		}
		x := res.Raw.Kept[i]
		res.Raw.KeptMoments[i] = engine.MomentsOf(x[:len(x)-1])
		x[len(x)-1] = math.NaN()
		var nf *NonFiniteError
		if err := res.CheckFinite(); !errors.As(err, &nf) || nf.Output != "npv" || nf.Trials != 1 {
			t.Errorf("a NaN NPV past the counted draws: %v", err)
		}
	}
}
