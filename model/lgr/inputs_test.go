package lgr

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
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
