package area

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

// TestAreaData checks the shipped data against the published totals in
// shared/EVIDENCE.md §2 and §8: 21 areas, 164 districts, 19,243,800 residents;
// with the three 2023 counties, 24 areas, 181 districts, 20,932,900.
func TestAreaData(t *testing.T) {
	areas, err := Areas()
	if err != nil {
		t.Fatal(err)
	}
	var n21, d21, nAll, dAll int
	var p21, pAll float64
	for _, a := range areas {
		nAll++
		dAll += len(a.Districts)
		pAll += a.Population
		if !a.Reorganised {
			n21++
			d21 += len(a.Districts)
			p21 += a.Population
			if a.County.PayBill <= 0 || a.County.NetExpenditure <= 0 {
				t.Errorf("%s: county finance missing", a.Name)
			}
		}
	}
	if n21 != 21 || d21 != 164 || p21 != 19_243_800 || nAll != 24 || dAll != 181 || pAll != 20_932_900 {
		t.Errorf("areas %d/%d, districts %d/%d, population %.0f/%.0f", n21, nAll, d21, dAll, p21, pAll)
	}
	// LGR proposal funding formula (EVIDENCE.md §10): £135,000 + 20p per
	// resident per area, £7.6m in total across the 21 areas (with the small
	// unitaries also invited). The areas alone give about £6.7m.
	funding := 21*135_000 + 0.20*p21
	if funding > 7.6e6 || funding < 6e6 {
		t.Errorf("proposal funding over the 21 areas £%.2fm", funding/1e6)
	}
}

func TestBuildAreaBalanced(t *testing.T) {
	a, err := FindArea("kent")
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 3; k++ {
		g, err := BuildArea(a, AreaOptions{Unitaries: k})
		if err != nil {
			t.Fatal(err)
		}
		ld, err := scenarios.LoadBytes(g.YAML(), "yaml", "kent")
		if err != nil {
			t.Fatalf("k=%d: %v\n%s", k, err, g.YAML())
		}
		c, err := ld.Compile()
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Successors) != k {
			t.Fatalf("k=%d: %d successors", k, len(c.Successors))
		}
		// Greedy balancing: no successor more than the largest district
		// (175,500) away from the mean.
		mean := a.Population / float64(k)
		for i, p := range c.SuccessorPopulation {
			if math.Abs(p-mean) > 175_500 {
				t.Errorf("k=%d: successor %d population %.0f vs mean %.0f", k, i, p, mean)
			}
		}
	}
}

func TestBuildAreaErrors(t *testing.T) {
	if _, err := FindArea("Kentt"); err == nil || !strings.Contains(err.Error(), `did you mean "Kent"`) {
		t.Errorf("unknown area: %v", err)
	}
	a, _ := FindArea("Essex")
	_, err := BuildArea(a, AreaOptions{Groups: []Group{{"North", []string{"Colchester", "Braintre"}}}, Add: []string{"Southend-on-See"}})
	for _, want := range []string{`"Braintre" is not a district of Essex`, `did you mean "Braintree"`, `no unitary council "Southend-on-See"`, "is in no group"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	g, err := BuildArea(a, AreaOptions{Unitaries: 3, Add: []string{"Southend-on-Sea", "Thurrock"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(g.YAML()), "kind: unitary") {
		t.Error("added unitaries missing")
	}
	if _, err := scenarios.LoadBytes(g.YAML(), "yaml", "essex"); err != nil {
		t.Error(err)
	}
}

// TestShippedAreasAreGenerated: the shipped Suffolk scenarios and the
// connected/federated pairs are exactly what `devolve area` builds
// (regenerate with the commands in README.md).
func TestShippedAreasAreGenerated(t *testing.T) {
	suffolk, _ := FindArea("Suffolk")
	kent, _ := FindArea("Kent")
	for file, c := range map[string]struct {
		a   Area
		opt AreaOptions
	}{
		"suffolk.yaml": {suffolk, AreaOptions{Unitaries: 1}},
		"suffolk-two.yaml": {suffolk, AreaOptions{Groups: []Group{{"East Suffolk and Ipswich", []string{"East Suffolk", "Ipswich"}},
			{"West Suffolk", []string{"West Suffolk", "Mid Suffolk", "Babergh"}}}}},
		"integration/suffolk-connected.yaml": {suffolk, AreaOptions{Unitaries: 1, Integration: Connected}},
		"integration/suffolk-federated.yaml": {suffolk, AreaOptions{Unitaries: 1, Integration: Federated}},
		"integration/kent-connected.yaml":    {kent, AreaOptions{Unitaries: 1, Integration: Connected}},
		"integration/kent-federated.yaml":    {kent, AreaOptions{Unitaries: 1, Integration: Federated}},
	} {
		want, err := BuildArea(c.a, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile("../scenarios/" + file)
		if string(got) != string(want.YAML()) {
			t.Errorf("%s differs from the generated scenario: regenerate it with devolve area ... --write scenarios/%s", file, file)
		}
		// The written YAML loads to the same scenario as the typed one.
		ld, err := scenarios.LoadBytes(want.YAML(), "yaml", file)
		if err != nil {
			t.Fatal(err)
		}
		c1, err := ld.Compile()
		if err != nil {
			t.Fatal(err)
		}
		c2, err := want.Compile()
		if err != nil {
			t.Fatal(err)
		}
		d1, d2 := c1.Deterministic().Raw.Mean, c2.Deterministic().Raw.Mean
		for k := range d1 {
			if d1[k] != d2[k] {
				t.Errorf("%s: output %s %v from the YAML, %v from the typed scenario", file, c1.Model.Outputs[k], d1[k], d2[k])
				break
			}
		}
	}
}

func TestPaybackRuleAgrees(t *testing.T) {
	// lgr.PaybackYear on a deterministic run's cumulative flows gives the
	// run's own payback year.
	g, err := BuildArea(mustArea(t, "Suffolk"), AreaOptions{Unitaries: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := g.Compile()
	res := c.Deterministic()
	cum := make([]float64, c.Years)
	for y := range cum {
		cum[y] = res.Raw.Mean[c.OutCum+y]
	}
	if got, want := lgr.PaybackYear(cum), res.Raw.Mean[c.OutPayback]; got != want {
		t.Errorf("PaybackYear %v, evaluation %v", got, want)
	}
}

func mustArea(t *testing.T, name string) Area {
	t.Helper()
	a, err := FindArea(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestStrategyNotes: what an integration strategy sets in a generated
// scenario says it is JUDGEMENT: the core systems' timings, exit fees and
// dual running, and every successor's bridging item (not only the first).
func TestStrategyNotes(t *testing.T) {
	a, _ := FindArea("Surrey")
	for _, strategy := range []string{Connected, Federated} {
		g, err := BuildArea(a, AreaOptions{Unitaries: 3, Integration: strategy})
		if err != nil {
			t.Fatal(err)
		}
		for i, sy := range g.Scenario.Systems {
			if coreCategories[sy.Name] && !strings.Contains(g.notes[fmt.Sprintf("systems[%d]", i)], "JUDGEMENT") {
				t.Errorf("%s: systems[%d] (%s) note %q does not say JUDGEMENT", strategy, i, sy.Name, g.notes[fmt.Sprintf("systems[%d]", i)])
			}
		}
		bridging := 0
		for i, it := range g.Scenario.Items {
			if strings.HasPrefix(it.Name, "integration_bridging_") {
				bridging++
				if !strings.Contains(g.notes[fmt.Sprintf("items[%d]", i)], "JUDGEMENT") {
					t.Errorf("%s: items[%d] (%s) has no JUDGEMENT note", strategy, i, it.Name)
				}
			}
		}
		if want := map[string]int{Connected: 0, Federated: 3}[strategy]; bridging != want {
			t.Errorf("%s: %d bridging items, want %d", strategy, bridging, want)
		}
	}
}
