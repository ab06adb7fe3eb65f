package scenarios_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/scenarios"
	"github.com/devolve-lgr/devolve/study"
)

// TestScenariosDocExamples: the savings, ramp and bridge-case examples in
// docs/SCENARIOS.md load as written (a savings or ramp fragment after a
// two-council head).
func TestScenariosDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/SCENARIOS.md")
	if err != nil {
		t.Fatal(err)
	}
	head := "predecessors:\n  - {name: Shire, kind: county, population: 300000}\n  - {name: Northtown, kind: district, population: 100000}\n" +
		"successors:\n  - {name: Shire Council, predecessors: [Shire, Northtown]}\n"
	found := map[string]bool{}
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1) {
		b := m[1]
		switch {
		case strings.Contains(b, "cost_bases:"), strings.Contains(b, "shared_services"):
			key := "savings"
			if !strings.Contains(b, "cost_bases:") {
				key = "ramps"
			}
			found[key] = true
			ld, err := scenarios.LoadBytes([]byte(head+b), "yaml", key)
			if err == nil {
				_, err = ld.Compile()
			}
			if err != nil {
				t.Errorf("%s example: %v", key, err)
			}
		case strings.Contains(b, "published:"):
			found["bridge"] = true
			file := filepath.Join(t.TempDir(), "case.yaml")
			os.WriteFile(file, []byte(b), 0o644)
			if _, _, err := study.LoadBridgeCase(file); err != nil {
				t.Errorf("bridge case example: %v", err)
			}
		}
	}
	for _, k := range []string{"savings", "ramps", "bridge"} {
		if !found[k] {
			t.Errorf("no %s example found in docs/SCENARIOS.md", k)
		}
	}
}
