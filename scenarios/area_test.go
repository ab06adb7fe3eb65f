package scenarios

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"
)

// TestAreaData checks the shipped data against the published totals in
// shared/DOMAIN.md §2 and §8: 21 areas, 164 districts, 19,243,800 residents;
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
	// LGR proposal funding formula (DOMAIN.md table 12): £135,000 + 20p per
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
		y, err := BuildArea(a, AreaOptions{Unitaries: k})
		if err != nil {
			t.Fatal(err)
		}
		ld, err := LoadBytes(y, "yaml", "kent")
		if err != nil {
			t.Fatalf("k=%d: %v\n%s", k, err, y)
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
	y, err := BuildArea(a, AreaOptions{Unitaries: 3, Add: []string{"Southend-on-Sea", "Thurrock"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(y), "kind: unitary") {
		t.Error("added unitaries missing")
	}
	if _, err := LoadBytes(y, "yaml", "essex"); err != nil {
		t.Error(err)
	}
}

// TestShippedSuffolkIsGenerated: the shipped Suffolk scenarios are exactly
// what `devolve area` builds (regenerate with the commands in the file).
func TestShippedSuffolkIsGenerated(t *testing.T) {
	a, _ := FindArea("Suffolk")
	for file, opt := range map[string]AreaOptions{
		"suffolk.yaml": {Unitaries: 1},
		"suffolk-two.yaml": {Groups: []Group{{"East Suffolk and Ipswich", []string{"East Suffolk", "Ipswich"}},
			{"West Suffolk", []string{"West Suffolk", "Mid Suffolk", "Babergh"}}}},
	} {
		want, err := BuildArea(a, opt)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(file)
		if string(got) != string(want) {
			t.Errorf("%s differs from the generated scenario: regenerate it with devolve area Suffolk ... --write scenarios/%s", file, file)
		}
	}
}

func TestNationalSumsAreas(t *testing.T) {
	n, err := RunNational(context.Background(), 1, 2000, 1, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Areas) != 21 || n.National.Population != 19_243_800 {
		t.Fatalf("%d areas, population %.0f", len(n.Areas), n.National.Population)
	}
	// The mean of a sum is the sum of the means.
	sum := 0.0
	for _, a := range n.Areas {
		sum += a.NPV.Mean
	}
	if math.Abs(sum-n.National.NPV.Mean) > 1e-6*math.Abs(sum) {
		t.Errorf("national mean NPV %g, sum of area means %g", n.National.NPV.Mean, sum)
	}
	// Independent areas: the national sd is about sqrt(sum of variances),
	// far below the sum of the sds; check the 90% width is narrower than the
	// sum of the areas' widths.
	wsum := 0.0
	for _, a := range n.Areas {
		wsum += a.NPV.P95 - a.NPV.P5
	}
	if w := n.National.NPV.P95 - n.National.NPV.P5; !(w < wsum/2) {
		t.Errorf("national 90%% width %g not below half the sum of area widths %g", w, wsum)
	}
}
