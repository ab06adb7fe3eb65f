package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/lgr"
)

// TestBridgeTable: Markdown has no empty bold title, a deterministic
// bridge prints no P5/P95 (one evaluation has no interval), and the
// devolve total is money as everywhere else (a table footer is upper-cased
// by default: £3.0M).
func TestBridgeTable(t *testing.T) {
	b := lgr.Bridge{Case: "Testshire", Measure: "net", Published: 1e6, Reproduced: 1e6, Devolve: 3e6, DevolveMeasure: "NPV",
		Steps: []lgr.BridgeStep{{Step: "one step", Mean: 2e6, P5: 1.234e6, P95: 2.765e6, Cumulative: 3e6}}}
	for _, det := range []bool{false, true} {
		for _, format := range []string{"table", "markdown"} {
			write, _ := BridgeRenderer(format)
			var out bytes.Buffer
			if err := write(&out, &BridgeReport{Version: "test", Deterministic: det, Bridge: b}); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			if strings.Contains(s, "****") {
				t.Errorf("%s: empty bold title:\n%s", format, s)
			}
			if !strings.Contains(s, "£3.0m") || strings.Contains(s, "£3.0M") || strings.Contains(s, "DEVOLVE") {
				t.Errorf("%s: the total is not written as money (£3.0m, not upper-cased):\n%s", format, s)
			}
			if hasInterval := strings.Contains(s, "£1.2m") && strings.Contains(s, "£2.8m"); hasInterval == det {
				t.Errorf("%s, deterministic %v: interval printed %v:\n%s", format, det, hasInterval, s)
			}
		}
	}
}
