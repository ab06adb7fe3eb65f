package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/calibration"
)

// TestBacktestRenderer renders a hand-made outturn report in every format.
func TestBacktestRenderer(t *testing.T) {
	p := calibration.Placement{P5: 0.5, P50: 1, P95: 2, P5GBP: 5e6, P95GBP: 2e7, Percentile: 0.4, Inside90: true}
	r := &calibration.BacktestReport{
		Rows: []calibration.BacktestRow{{Outturn: calibration.Outturn{Case: "Testshire 2030", Measure: calibration.MeasureSavings,
			Year: 2, Basis: calibration.BasisSteady, Projected: 1e7, Realised: 9e6, Quality: "official"}, Ratio: 0.9, Weight: 1, LOO: p, Old: p}},
		Fit: &calibration.DefaultsFit{},
	}
	for _, m := range calibration.CoverageGroups {
		r.Coverage = append(r.Coverage, calibration.Coverage{Measure: m, N: 1, Inside: 1, Share: 1, MeanLogWidth: 1.386, MeanWidth: 1.5})
	}
	r.OldCoverage = r.Coverage
	extra := BacktestSection{Key: "next", Title: "Next section", Data: []int{1},
		Render: func(w io.Writer, md bool) error { _, err := io.WriteString(w, "next body\n"); return err }}
	doc := &BacktestDoc{Version: "test", Sections: []BacktestSection{OutturnSection(r), extra}}
	for format, want := range map[string][]string{
		"table":    {"Realised outturns", "====", "Testshire 2030", "£5.0m to £20.0m", "P40.0", "target 80-95%", "Next section", "next body"},
		"markdown": {"## Realised outturns", "| Testshire 2030 |", "## Next section"},
		"json":     {`"key": "outturns"`, `"key": "next"`, `"inside_90": true`},
	} {
		write, ok := BacktestRenderer(format)
		if !ok {
			t.Fatalf("no renderer for %s", format)
		}
		var b bytes.Buffer
		if err := write(&b, doc); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s output lacks %q:\n%s", format, w, b.String())
			}
		}
		if format == "json" && !json.Valid(b.Bytes()) {
			t.Errorf("invalid JSON")
		}
	}
	if _, ok := BacktestRenderer("xml"); ok {
		t.Error("xml accepted")
	}
}
