package xlsx

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/internal/runtest"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/draws"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/scenarios"
	"github.com/xuri/excelize/v2"
)

// run simulates an embedded scenario with every input kept.
func run(t *testing.T, name string, n int) (*report.RunReport, *lgr.Result) {
	t.Helper()
	ld, res := runtest.Run(t, name, engine.Options{Iterations: n, Seed: 3, KeepInputs: true})
	rep := &report.RunReport{Scenario: ld.Scenario.Name, Source: ld.Source, Version: "test", Seed: 3,
		Iterations: n, ScenarioSHA256: ld.SHA256, PriceBase: ld.Scenario.PriceBase, Horizon: res.C.Years - 1,
		Summary: res.Summarize()}
	return rep, res
}

func open(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// number reads a cell that must hold a number (not text) and returns it.
func number(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	// excelize writes numbers with no type attribute (Unset), which
	// spreadsheet applications read as numeric.
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("%s!%s has cell type %v, want a number", sheet, ref, typ)
	}
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s holds %q, not a number", sheet, ref, raw)
	}
	return v
}

// same checks a number read back against the run's value. excelize, like
// Excel, stores 15 significant digits (truncated), so the two agree to a
// relative 1e-14.
func same(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !close15(got, want) {
		t.Errorf("%s: workbook %v, run %v", what, got, want)
	}
}

func close15(got, want float64) bool {
	return math.Abs(got-want) <= 1e-14*math.Abs(want)
}

func numFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

func TestRunWorkbook(t *testing.T) {
	const n = 1500
	rep, res := run(t, "suffolk", n)
	var buf bytes.Buffer
	if err := WriteRun(&buf, rep, res, Options{Draws: true}); err != nil {
		t.Fatal(err)
	}
	f := open(t, buf.Bytes())
	s := rep.Summary
	if DefaultDrawRows < n {
		t.Fatalf("the test needs n = %d within DefaultDrawRows", n)
	}

	t.Run("sheets", func(t *testing.T) {
		want := []string{SheetSummary, SheetYears, SheetByLine, SheetSuccessors, SheetQuality, SheetInputs, SheetDraws}
		if got := f.GetSheetList(); !slices.Equal(got, want) {
			t.Errorf("sheets %v, want %v", got, want)
		}
		for _, sh := range want {
			p, err := f.GetPanes(sh)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
				t.Errorf("%s: panes %+v, want the header row frozen", sh, p)
			}
		}
	})

	t.Run("summary", func(t *testing.T) {
		stats := []lgr.Stat{s.NPV, s.OneOffCost, s.SteadyStateSaving, s.FiveYearNet, s.BCR, s.PaybackYears.Stat}
		for i, m := range Measures {
			for j, v := range statValues(stats[i]) {
				ref := cell(j+2, i+2)
				if math.IsNaN(v) {
					continue
				}
				same(t, m.Prefix+"_"+StatColumns[j], number(t, f, SheetSummary, ref), v)
				if got := numFmt(t, f, SheetSummary, ref); got != m.Format {
					t.Errorf("%s!%s: number format %q, want %q", SheetSummary, ref, got, m.Format)
				}
			}
		}
		same(t, "P(NPV > 0)", number(t, f, SheetSummary, "B9"), s.PNPVPositive)
		same(t, "P(payback within 5y)", number(t, f, SheetSummary, "B10"), s.PPaybackWithin5y)
		if got := numFmt(t, f, SheetSummary, "B9"); got != fmtPct {
			t.Errorf("P(NPV > 0) format %q", got)
		}
	})

	t.Run("names", func(t *testing.T) {
		defined := map[string]string{}
		for _, d := range f.GetDefinedName() {
			defined[d.Name] = d.RefersTo
		}
		want := map[string]float64{
			"NPV_Mean": s.NPV.Mean, "NPV_MCSE": s.NPV.MCSE, "NPV_P5": s.NPV.P5, "NPV_P50": s.NPV.P50, "NPV_P95": s.NPV.P95,
			"OneOff_Mean": s.OneOffCost.Mean, "OneOff_P50": s.OneOffCost.P50,
			"SteadySaving_P50": s.SteadyStateSaving.P50, "FiveYearNet_Mean": s.FiveYearNet.Mean,
			"BCR_P50": s.BCR.P50, "Payback_P50": s.PaybackYears.P50,
			"P_NPV_positive": s.PNPVPositive, "P_payback_within_5y": s.PPaybackWithin5y,
			"P_payback_never": s.PaybackYears.PNever, "Seed": 3, "Iterations": n,
		}
		for name, v := range want {
			ref, ok := defined[name]
			if !ok {
				t.Errorf("name %s not defined", name)
				continue
			}
			sheet, cellRef, ok := strings.Cut(ref, "!")
			if !ok {
				t.Fatalf("%s refers to %q", name, ref)
			}
			sheet = strings.Trim(sheet, "'")
			same(t, name+" ("+ref+")", number(t, f, sheet, strings.ReplaceAll(cellRef, "$", "")), v)
		}
	})

	t.Run("manifest", func(t *testing.T) {
		rows, err := f.GetRows(SheetSummary)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rows[12:] {
			if len(r) >= 2 {
				got[r[0]] = r[1]
			}
		}
		for k, v := range map[string]string{"Scenario": rep.Scenario, "Scenario SHA-256": rep.ScenarioSHA256,
			"devolve version": "test", "Source": "embedded:suffolk"} {
			if got[k] != v {
				t.Errorf("manifest %s = %q, want %q", k, got[k], v)
			}
		}
	})

	t.Run("years", func(t *testing.T) {
		for i, y := range s.Years {
			row := i + 2
			same(t, "year", number(t, f, SheetYears, cell(1, row)), float64(y.Year))
			for j, v := range []float64{y.Net.Mean, y.Net.P5, y.Net.P50, y.Net.P95,
				y.Cumulative.Mean, y.Cumulative.P5, y.Cumulative.P50, y.Cumulative.P95} {
				same(t, "years "+cell(j+3, row), number(t, f, SheetYears, cell(j+3, row)), v)
			}
		}
		if rows, _ := f.GetRows(SheetYears); len(rows) != len(s.Years)+1 {
			t.Errorf("%d rows in Years, want %d", len(rows), len(s.Years)+1)
		}
	})

	t.Run("by line and successor", func(t *testing.T) {
		for i, l := range s.ByLine {
			row := i + 2
			if got, _ := f.GetCellValue(SheetByLine, cell(1, row)); got != l.Label {
				t.Errorf("line %d is %q, want %q", i, got, l.Label)
			}
			if got, _ := f.GetCellValue(SheetByLine, cell(8, row)); got != l.Name {
				t.Errorf("line %d's name is %q, want %q", i, got, l.Name)
			}
			same(t, l.Name+" PV mean", number(t, f, SheetByLine, cell(5, row)), l.PVMean)
			same(t, l.Name+" PV sd", number(t, f, SheetByLine, cell(6, row)), l.PVSD)
			if typ, _ := f.GetCellType(SheetByLine, cell(3, row)); typ != excelize.CellTypeBool {
				t.Errorf("one-off flag has cell type %v, want bool", typ)
			}
		}
		for i, x := range s.BySuccessor {
			same(t, x.Name+" NPV mean", number(t, f, SheetSuccessors, cell(3, i+2)), x.NPV.Mean)
			same(t, x.Name+" NPV P95", number(t, f, SheetSuccessors, cell(6, i+2)), x.NPV.P95)
		}
	})

	t.Run("inputs", func(t *testing.T) {
		for j, in := range res.C.Model.Inputs {
			row := j + 2
			info := res.C.Inputs[j]
			if got, _ := f.GetCellValue(SheetInputs, cell(1, row)); got != info.Label {
				t.Fatalf("input row %d is %q, want %q", row, got, info.Label)
			}
			if got, _ := f.GetCellValue(SheetInputs, cell(14, row)); got != info.Path {
				t.Errorf("input row %d's key path is %q, want %q", row, got, info.Path)
			}
			if got, _ := f.GetCellValue(SheetInputs, cell(17, row)); got != in.Name {
				t.Errorf("input row %d's name is %q, want %q", row, got, in.Name)
			}
			x := res.Raw.Inputs[j]
			// Independent of the engine's summaries: a plain mean, min and max.
			sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
			for _, v := range x {
				sum += v
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			mean := sum / float64(len(x))
			if got := number(t, f, SheetInputs, cell(6, row)); math.Abs(got-mean) > 1e-9*math.Max(1, math.Abs(mean)) {
				t.Errorf("%s: draws mean %v, plain mean %v", in.Name, got, mean)
			}
			same(t, in.Name+" min", number(t, f, SheetInputs, cell(11, row)), lo)
			same(t, in.Name+" max", number(t, f, SheetInputs, cell(12, row)), hi)
			same(t, in.Name+" draws", number(t, f, SheetInputs, cell(5, row)), n)
			if d, _ := f.GetCellValue(SheetInputs, cell(2, row)); d == "" {
				t.Errorf("%s: no distribution text", in.Name)
			}
		}
	})

	t.Run("draws", func(t *testing.T) {
		names, cols := draws.Columns(res)
		rows, err := f.GetRows(SheetDraws, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != n+1 {
			t.Fatalf("%d rows, want %d trials and a header", len(rows), n)
		}
		if rows[0][0] != "trial" || !slices.Equal(rows[0][1:], names) {
			t.Errorf("header %v", rows[0][:4])
		}
		never := 0
		for tr := 0; tr < n; tr++ {
			r := rows[tr+1]
			for j, c := range cols {
				want := c[tr]
				if math.IsInf(want, 1) {
					never++
					if r[j+1] != "never" {
						t.Fatalf("trial %d %s: %q, want never", tr, names[j], r[j+1])
					}
					continue
				}
				got, err := strconv.ParseFloat(r[j+1], 64)
				if err != nil || !close15(got, want) {
					t.Fatalf("trial %d %s: %q, want %v", tr, names[j], r[j+1], want)
				}
			}
		}
		t.Logf("%d trials x %d columns read back; %d never pay back", n, len(cols), never)
	})
}

// neverYAML is a scenario that never pays back: a one-off cost and no
// saving, so every trial's payback is "never".
const neverYAML = `predecessors:
  - {name: Shire, kind: county, population: 300000}
  - {name: Northtown, kind: district, population: 100000}
successors:
  - {name: Shire Council, predecessors: [Shire, Northtown]}
items:
  - {name: transition, kind: cost, amount: 1m to 2m}
`

// TestRunWorkbookNever: percentiles of a payback that never happens are the
// text "never", not a number, and the Draws sheet is left out by default.
func TestRunWorkbookNever(t *testing.T) {
	ld, err := scenarios.LoadBytes([]byte(neverYAML), "yaml", "never")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Run(context.Background(), engine.Options{Iterations: 2000, Seed: 3, KeepInputs: true})
	if err != nil {
		t.Fatal(err)
	}
	rep := &report.RunReport{Scenario: "never", Source: ld.Source, Version: "test", Seed: 3, Iterations: 2000,
		ScenarioSHA256: ld.SHA256, Horizon: res.C.Years - 1, Summary: res.Summarize()}
	s := rep.Summary
	if !math.IsNaN(s.PaybackYears.P95) || s.PaybackYears.PNever != 1 {
		t.Fatalf("a scenario with costs and no savings pays back (P95 %v, P(never) %v)", s.PaybackYears.P95, s.PaybackYears.PNever)
	}
	var buf bytes.Buffer
	if err := WriteRun(&buf, rep, res, Options{}); err != nil {
		t.Fatal(err)
	}
	f := open(t, buf.Bytes())
	if got, _ := f.GetCellValue(SheetSummary, "I7"); got != "never" {
		t.Errorf("payback P95 cell %q, want never", got)
	}
	if slices.Contains(f.GetSheetList(), SheetDraws) {
		t.Error("Draws sheet written without Options.Draws")
	}
	same(t, "P_payback_never", number(t, f, SheetSummary, "B11"), s.PaybackYears.PNever)
}

func TestCompareWorkbook(t *testing.T) {
	const n = 2000
	var runs []*lgr.Result
	var names, sources, sums []string
	for _, sc := range []string{"suffolk", "suffolk-two"} {
		rep, res := run(t, sc, n)
		runs = append(runs, res)
		names = append(names, rep.Scenario)
		sources = append(sources, rep.Source)
		sums = append(sums, rep.ScenarioSHA256)
	}
	rep := &report.CompareReport{Version: "test", Seed: 3, Iterations: n, ScenarioSHA256: sums,
		Comparison: lgr.Compare(names, sources, runs)}
	var buf bytes.Buffer
	if err := WriteCompare(&buf, rep); err != nil {
		t.Fatal(err)
	}
	f := open(t, buf.Bytes())
	if got, want := f.GetSheetList(), []string{SheetSummary, SheetPairs, SheetYearDiffs}; !slices.Equal(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	for _, sh := range f.GetSheetList() {
		if p, _ := f.GetPanes(sh); !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s: header not frozen", sh)
		}
	}
	for i, o := range rep.Options {
		row := i + 2
		same(t, o.Name+" NPV mean", number(t, f, SheetSummary, cell(4, row)), o.NPV.Mean)
		same(t, o.Name+" NPV P50", number(t, f, SheetSummary, cell(7, row)), o.NPV.P50)
		same(t, o.Name+" P(first)", number(t, f, SheetSummary, cell(14, row)), rep.PRankFirst[o.Name])
	}
	p := rep.Pairs[0]
	same(t, "diff mean", number(t, f, SheetPairs, "C2"), p.DiffNPV.Mean)
	same(t, "P(B better)", number(t, f, SheetPairs, "K2"), p.PBBetter)
	for i, y := range p.Years {
		same(t, "year diff P50", number(t, f, SheetYearDiffs, cell(6, i+2)), y.P50)
	}
	defined := map[string]string{}
	for _, d := range f.GetDefinedName() {
		defined[d.Name] = d.RefersTo
	}
	for _, name := range []string{"Option1_NPV_Mean", "Option2_NPV_P50", "Option2_P_rank_first", "Pair1_Diff_Mean", "Pair1_P_B_better", "Seed", "Iterations"} {
		if defined[name] == "" {
			t.Errorf("name %s not defined", name)
		}
	}
	same(t, "Pair1_Diff_Mean", number(t, f, SheetPairs, "C2"), p.DiffNPV.Mean)
	if defined["Pair1_Diff_Mean"] != "'Pairs'!$C$2" {
		t.Errorf("Pair1_Diff_Mean refers to %q", defined["Pair1_Diff_Mean"])
	}
}

// TestDrawRowsCap: the Draws sheet holds the first DrawRows trials.
func TestDrawRowsCap(t *testing.T) {
	rep, res := run(t, "reference-r", 300)
	var buf bytes.Buffer
	if err := WriteRun(&buf, rep, res, Options{Draws: true, DrawRows: 120}); err != nil {
		t.Fatal(err)
	}
	f := open(t, buf.Bytes())
	rows, err := f.GetRows(SheetDraws)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 121 || rows[120][0] != "119" {
		t.Errorf("%d rows (last trial %q), want 120 trials and a header", len(rows), rows[len(rows)-1][0])
	}
	for _, c := range []struct{ n, cap, want int }{{300, 0, 300}, {20000, 0, DefaultDrawRows}, {5, 3, 3}, {2_000_000, 2_000_000, MaxDrawRows}} {
		if got := (Options{DrawRows: c.cap}).drawRows(c.n); got != c.want {
			t.Errorf("drawRows(%d) with cap %d = %d, want %d", c.n, c.cap, got, c.want)
		}
	}
}
