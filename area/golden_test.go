package area

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/internal/golden"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

var update = flag.Bool("update", false, "rewrite testdata/generated.golden")

// goldenCase is one generated scenario the golden file pins.
type goldenCase struct {
	name string
	a    Area
	opt  AreaOptions
}

// goldenCases are every area as one, two and three unitaries, connected
// and federated, with its own business cases held out and with Surrey's
// and Somerset's held out (the back-test's and the published placements'
// builds); named groups and added unitaries; and four invalid options.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	areas, err := Areas()
	if err != nil {
		t.Fatal(err)
	}
	var cs []goldenCase
	for _, a := range areas {
		for _, opt := range []AreaOptions{{Unitaries: 1}, {Unitaries: 2}, {Unitaries: 3}, {Unitaries: 1, Integration: Connected},
			{Unitaries: 2, Integration: Federated}, {Unitaries: 1, HoldOut: []string{a.Name}}, {Unitaries: 2, HoldOut: []string{"Surrey", "Somerset"}}} {
			cs = append(cs, goldenCase{fmt.Sprintf("%s %d %s held out %v", a.Name, opt.Unitaries, opt.Integration, opt.HoldOut), a, opt})
		}
	}
	suffolk, essex := mustArea(t, "Suffolk"), mustArea(t, "Essex")
	return append(cs,
		goldenCase{"Suffolk groups", suffolk, AreaOptions{Groups: []Group{{Name: "North", Members: []string{"Ipswich", "East Suffolk"}}, {Name: "South", Members: []string{"Babergh", "Mid Suffolk", "West Suffolk"}}}}},
		goldenCase{"Essex 2 with Southend and Thurrock", essex, AreaOptions{Unitaries: 2, Add: []string{"Southend-on-Sea", "Thurrock"}}},
		goldenCase{"Essex 1 with Southend federated", essex, AreaOptions{Unitaries: 1, Add: []string{"Southend-on-Sea"}, Integration: Federated}},
		goldenCase{"error: 9 unitaries", suffolk, AreaOptions{Unitaries: 9}},
		goldenCase{"error: integration", suffolk, AreaOptions{Integration: "x", Unitaries: 1}},
		goldenCase{"error: add", suffolk, AreaOptions{Add: []string{"Nowhere"}, Unitaries: 1}},
		goldenCase{"error: groups", suffolk, AreaOptions{Groups: []Group{{Name: "N", Members: []string{"Ipswich", "Babergh"}}, {Name: "S", Members: []string{"Ipswich", "Nowhere"}}}}})
}

// TestGeneratedGolden pins every generated scenario: the SHA-256 of its
// YAML (so any change to a value, a note or the layout of `devolve area
// --write` shows), its staff cost base and councils, or the error of an
// invalid option, as in testdata/generated.golden (regenerate with
// `go test ./area -run TestGeneratedGolden -update` and say why in the
// commit; `devolve area NAME --write` before and after shows the diff).
// And each typed scenario is the one its YAML reads back as (Load):
// every field and every distribution's parameters, bit for bit (notes
// aside: they are comments in the file).
func TestGeneratedGolden(t *testing.T) {
	var got strings.Builder
	for _, c := range goldenCases(t) {
		g, err := BuildArea(c.a, c.opt)
		if err != nil {
			fmt.Fprintf(&got, "%s: %v\n", c.name, err)
			continue
		}
		fmt.Fprintf(&got, "%s: yaml %s; staff £%v (derived £%v); %s\n", c.name, g.SHA256, g.StaffCost, g.StaffCostDerived, strings.Join(g.Councils, ", "))
		read, err := scenarios.LoadBytes(g.YAML(), "yaml", c.name)
		if err != nil {
			t.Errorf("%s: the written YAML does not load: %v", c.name, err)
			continue
		}
		if d := golden.FirstDiff(dumpScenario(g.Scenario), dumpScenario(read.Scenario)); d != "" {
			t.Errorf("%s: typed scenario and its YAML read back differ: %s", c.name, d)
		}
	}
	golden.Check(t, "testdata/generated.golden", []byte(got.String()), *update)
}

// dumpScenario is s's canonical dump (golden.Dump): floats as exact bits,
// distributions by their parameters (their sampling tables, built lazily
// from the parameters, left out); s.Notes left out.
func dumpScenario(s *lgr.Scenario) []string {
	c := *s
	c.Notes = nil
	return golden.Dump(c, "lazyInverse")
}
