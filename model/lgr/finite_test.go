package lgr

import (
	"errors"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// TestCheckFinite: a NaN or infinite headline draw is a NonFiniteError
// naming the output and the count; +Inf payback (never) and NaN BCR (no
// costs) are not errors.
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
	if err := res.CheckFinite(); err != nil {
		t.Errorf("never paying back and no costs are not errors: %v", err)
	}
	for i, k := range c.headline() {
		if k == c.OutFiveYear {
			res.Raw.Kept[i][0] = math.NaN()
		}
	}
	var nf *NonFiniteError
	if err := res.CheckFinite(); !errors.As(err, &nf) || nf.Output != "five_year_net" || nf.Trials != 1 {
		t.Errorf("NaN five-year net: %v", err)
	}
}
