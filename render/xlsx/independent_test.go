package xlsx

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// python returns Debian's python3 with openpyxl (.ci/run installs
// python3-openpyxl), or skips (fails under CI) without it.
func python(t *testing.T) string {
	t.Helper()
	py := os.Getenv("DEVOLVE_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	if err := exec.Command(py, "-c", "import openpyxl").Run(); err != nil {
		msg := "independent workbook reader unavailable: needs " + py + " with openpyxl (Debian's python3-openpyxl; .ci/run installs it)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return py
}

// openpyxl writes workbook to a temporary file, reads it with
// testdata/read_xlsx.py (openpyxl, run by py) and decodes what the script
// prints into v.
func openpyxl(t *testing.T, py string, workbook []byte, v any) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "results.xlsx")
	if err := os.WriteFile(file, workbook, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/read_xlsx.py", file).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatal(err)
	}
}

type pyCell struct {
	Value  any    `json:"value"`
	Type   string `json:"type"`
	Format string `json:"format"`
	Sheet  string `json:"sheet"`
	Ref    string `json:"ref"`
}

// TestWorkbookIndependentReader reads the workbook with openpyxl, which
// shares no code with excelize: the same sheets, frozen header rows,
// numeric cells with their £ and % formats, and the defined names
// pointing at the run's figures.
func TestWorkbookIndependentReader(t *testing.T) {
	py := python(t)
	rep, res := run(t, "suffolk", 3000)
	var buf bytes.Buffer
	if err := WriteRun(&buf, rep, res, Options{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Sheets  []string
		Panes   map[string]*string
		Names   map[string]pyCell
		Summary [][]pyCell
	}
	openpyxl(t, py, buf.Bytes(), &got)
	if len(got.Sheets) != 6 || got.Sheets[0] != SheetSummary || got.Sheets[5] != SheetInputs {
		t.Errorf("sheets %v", got.Sheets)
	}
	for _, sh := range got.Sheets {
		if p := got.Panes[sh]; p == nil || *p != "A2" {
			t.Errorf("%s: frozen pane %v, want A2", sh, p)
		}
	}
	s := rep.Summary
	for name, want := range map[string]struct {
		v      float64
		format string
	}{
		"NPV_P50": {s.NPV.P50, fmtMoney}, "NPV_Mean": {s.NPV.Mean, fmtMoney}, "OneOff_P50": {s.OneOffCost.P50, fmtMoney},
		"P_NPV_positive": {s.PNPVPositive, fmtPct}, "BCR_Mean": {s.BCR.Mean, fmtRatio}, "Iterations": {3000, fmtInt},
	} {
		c, ok := got.Names[name]
		if !ok {
			t.Errorf("openpyxl finds no name %s", name)
			continue
		}
		v, isNum := c.Value.(float64)
		if c.Type != "n" || !isNum {
			t.Errorf("%s (%s!%s): openpyxl reads %v of type %q, want a number", name, c.Sheet, c.Ref, c.Value, c.Type)
			continue
		}
		if !close15(v, want.v) {
			t.Errorf("%s: openpyxl reads %v, run %v", name, v, want.v)
		}
		if c.Format != want.format {
			t.Errorf("%s: number format %q, want %q", name, c.Format, want.format)
		}
	}
	// Every statistic cell of the headline rows is a number.
	for r := 1; r <= 6; r++ {
		for col := 1; col <= 8; col++ {
			if c := got.Summary[r][col]; c.Type != "n" {
				t.Errorf("Summary row %d column %d: type %q (%v)", r+1, col+1, c.Type, c.Value)
			}
		}
	}
}
