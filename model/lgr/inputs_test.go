package lgr

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// TestNonFiniteNamesKeyPath: a non-finite result names the culprit input
// by its key path as written (cost_bases[0].amount), not by the model's
// internal name (cost_bases.pay.amount), which no file contains.
func TestNonFiniteNamesKeyPath(t *testing.T) {
	base, _ := dist.NewUniform(1e6, 2e6)
	red, _ := dist.NewUniform(0.05, 0.1)
	s := &Scenario{Name: "f",
		Predecessors: []Predecessor{{Name: "A", Kind: District, Population: 10}, {Name: "B", Kind: District, Population: 20}},
		Successors:   []Successor{{Name: "U", Predecessors: []string{"A", "B"}}},
		CostBases:    []CostBase{{Name: "pay", Amount: base}},
		Savings:      []Saving{{Name: "cut", Base: []string{"pay"}, Reduction: red}}}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Deterministic()
	j := -1
	for k, in := range c.Model.Inputs {
		if in.Name == "cost_bases.pay.amount" {
			j = k
		}
	}
	if j < 0 {
		t.Fatal("no cost base input")
	}
	res.Raw.Inputs[j][0] = math.NaN()
	for i, k := range c.headline() {
		if k == c.OutNPV {
			res.Raw.Kept[i][0] = math.NaN()
			res.Raw.KeptMoments[i] = engine.MomentsOf(res.Raw.Kept[i]) // as a run counts it
		}
	}
	var nf *NonFiniteError
	if err := res.CheckFinite(); !errors.As(err, &nf) || nf.Path != "cost_bases[0].amount" || !strings.HasPrefix(err.Error(), "cost_bases[0].amount: ") {
		t.Errorf("got %v (%+v), want it to name cost_bases[0].amount", err, nf)
	}
}

// TestNote: which note an input's key path takes.
func TestNote(t *testing.T) {
	s := &Scenario{Notes: map[string]string{
		"systems":                 "section note",
		"systems[0]":              "licence JUDGEMENT between two figures",
		"systems[1]":              "whole entry, Chorley",
		"savings[0].reduction":    "own note",
		"savings[0]":              "staff savings (JUDGEMENT)",
		"democracy.allowance":     "Dorset",
		"systems[2].inventory[1]": "row note",
	}}
	for path, want := range map[string]string{
		"systems[0].licence":              "licence JUDGEMENT between two figures",
		"systems[0].migration":            "section note", // the entry's note is about the licence
		"systems[1].migration":            "whole entry, Chorley",
		"savings[0].reduction":            "own note",
		"savings[0].cost_to_achieve":      "staff savings (JUDGEMENT)",
		"democracy.allowance":             "Dorset",
		"democracy.election_saving":       "",
		"systems[2].inventory[1].licence": "row note",
		"systems[2].inventory[0].licence": "section note",
		"it_overrun":                      "",
		"Savings[0].Reduction":            "own note",
	} {
		if got := s.note(path); got != want {
			t.Errorf("note(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestWords: names become words, acronyms in capitals.
func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"finance_erp":          "Finance ERP",
		"crm_contact_centre":   "CRM contact centre",
		"licensing_env_health": "Licensing environmental health",
		"x":                    "X",
	} {
		if got := words(in); got != want {
			t.Errorf("words(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestJudgementGap: the mean NPV difference is decomposed by line exactly
// (the contributions of all lines sum to the difference of mean NPVs), and
// a comparison whose difference rests mostly on one JUDGEMENT item says so.
func TestJudgementGap(t *testing.T) {
	amt, _ := dist.NewUniform(1e6, 2e6)
	cost, _ := dist.NewUniform(3e5, 9e5)
	base := func() *Scenario {
		return &Scenario{Name: "one",
			Predecessors: []Predecessor{{Name: "A", Kind: District, Population: 10}, {Name: "B", Kind: District, Population: 20}},
			Successors:   []Successor{{Name: "U", Predecessors: []string{"A", "B"}}},
			Items:        []Item{{Name: "saving", Amount: amt, Benefit: true, Recurring: true}}}
	}
	a, b := base(), base()
	b.Name = "two"
	b.Items = append(b.Items, Item{Name: "split_services", Amount: cost, Recurring: true})
	b.Notes = map[string]string{"items[1]": "JUDGEMENT (not sourced): services split two ways", "items[0]": "a business case"}
	var runs []*Result
	for _, s := range []*Scenario{a, b} {
		c, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.Run(context.Background(), engine.Options{Iterations: 4096, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
		sum := 0.0
		for l, ln := range c.Lines {
			sum += ln.npvSign() * r.Raw.Mean[c.OutLine+l]
		}
		if npv := r.Raw.Mean[c.OutNPV]; math.Abs(sum-npv) > 1e-9*math.Abs(npv) {
			t.Errorf("%s: lines sum to %g, mean NPV is %g", s.Name, sum, npv)
		}
	}
	p := Compare([]string{"one", "two"}, []string{"a", "b"}, runs).Pairs[0]
	g := p.Judgement
	if g == nil || len(g.Lines) != 1 {
		t.Fatalf("judgement gap %+v, want one line", g)
	}
	// The shared saving draws the same values in both options (common
	// random numbers), so the whole difference is the judgement item.
	if l := g.Lines[0]; l.Path != "items[1]" || !slices.Equal(l.Judgement, []string{"items[1].amount"}) ||
		math.Abs(l.Contribution-p.DiffNPV.Mean) > 1e-6*math.Abs(p.DiffNPV.Mean) || !g.Drives {
		t.Errorf("got %+v (drives %v, share %.3f), want items[1] making up the whole difference %g", l, g.Drives, g.LargestShare, p.DiffNPV.Mean)
	}
}
