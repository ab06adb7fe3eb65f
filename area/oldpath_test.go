package area

import (
	"testing"

	"github.com/devolve-lgr/devolve/scenarios"
)

// TestBuiltAsFileConverted (while both paths exist): the scenario BuildArea
// builds directly is, field by field and bit for bit, the one its file
// form converts to (scenarios.FromFile, the path it replaces), for every
// golden case.
func TestBuiltAsFileConverted(t *testing.T) {
	for _, c := range goldenCases(t) {
		g, err := BuildArea(c.a, c.opt)
		if err != nil {
			continue
		}
		old, err := scenarios.FromFile(g.file, c.name)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d := firstDiff(dumpScenario(old), dumpScenario(g.Scenario)); d != "" {
			t.Errorf("%s: file path and direct build differ: %s", c.name, d)
		}
	}
}
