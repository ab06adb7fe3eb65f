package calibration

import (
	"testing"

	"github.com/devolve-lgr/devolve/notation"
	"go.yaml.in/yaml/v3"
)

// TestSnippetsLoad (issue 19): every snippet FromQuantiles prints loads as
// a scenario distribution (read by the scenario notation, independent of
// the code that wrote it): a level of 1e-7 was written "p1e-05" (not a
// key) and two close values alike (p10 equal to p90).
func TestSnippetsLoad(t *testing.T) {
	for _, qs := range [][]Quantile{
		{{1e-7, 1}, {0.5, 2}, {0.9, 5}},
		{{0.1, 1000000.1}, {0.9, 1000000.2}},
		{{0.05, 0.123456789}, {0.5, 0.2}, {0.95, 0.3}},
	} {
		js, _ := FromQuantiles(qs, 0, false)
		if len(js) == 0 {
			t.Fatalf("%v: no candidates", qs)
		}
		for _, j := range js {
			var spec any
			if err := yaml.Unmarshal([]byte(j.Snippet), &spec); err != nil {
				t.Errorf("%s: not YAML: %v", j.Snippet, err)
				continue
			}
			if _, err := notation.FromSpec(spec, nil); err != nil {
				t.Errorf("%s: does not load: %v", j.Snippet, err)
			}
		}
	}
}
