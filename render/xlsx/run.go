package xlsx

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/draws"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/words"
	"github.com/xuri/excelize/v2"
)

// Options configures WriteRun. The zero value writes every sheet but Draws.
type Options struct {
	// Draws adds a Draws sheet with one row per trial, for the first
	// DrawRows trials.
	Draws bool
	// DrawRows caps the Draws sheet's trials; 0 means DefaultDrawRows, and
	// it is at most MaxDrawRows.
	DrawRows int
}

// DefaultDrawRows is how many trials the Draws sheet holds by default: as
// many as the SIPmath libraries Excel users work with, in a workbook of a
// few MB (100,000 trials of the default scenario make 94 MB and take a
// minute to write). draws.parquet and draws.csv hold every trial.
const DefaultDrawRows = 10_000

// MaxDrawRows is the most trials the Draws sheet can hold: Excel's
// 1,048,576 rows less the header.
const MaxDrawRows = 1_048_575

// drawRows is the number of trials of n the Draws sheet holds.
func (o Options) drawRows(n int) int {
	limit := o.DrawRows
	if limit <= 0 {
		limit = DefaultDrawRows
	}
	return min(n, limit, MaxDrawRows)
}

// Sheet names of a run workbook, in order (Draws only on request).
const (
	SheetSummary    = "Summary"
	SheetYears      = "Years"
	SheetByLine     = "By line"
	SheetSuccessors = "By successor"
	SheetQuality    = "Quality"
	SheetInputs     = "Inputs"
	SheetDraws      = "Draws"
)

// Measure is one headline row of the Summary sheet: its label, the prefix
// of its workbook names (NPV_Mean, NPV_P50, ...) and its number format.
type Measure struct {
	Label, Prefix, Format string
}

// Measures are the Summary sheet's rows 2 to 7, in order.
var Measures = []Measure{
	{"NPV", "NPV", fmtMoney},
	{"One-off cost", "OneOff", fmtMoney},
	{"Steady-state annual saving", "SteadySaving", fmtMoney},
	{"Net over years 0-5", "FiveYearNet", fmtMoney},
	{"Benefit-cost ratio", "BCR", fmtRatio},
	{"Payback year", "Payback", fmtYears},
}

// StatColumns are the Summary sheet's statistic columns B to I; a measure's
// workbook names are Prefix_Stat (e.g. OneOff_P95).
var StatColumns = []string{"Mean", "MCSE", "SD", "P5", "P10", "P50", "P90", "P95"}

// Probabilities are the Summary rows after the measures (from row 9), with
// their workbook names.
var Probabilities = []struct{ Label, Name string }{
	{"P(NPV > 0)", "P_NPV_positive"},
	{"P(payback within 5 years)", "P_payback_within_5y"},
	{"P(no payback within the horizon)", "P_payback_never"},
}

// statValues lists a Stat in StatColumns order.
func statValues(s lgr.Stat) []float64 {
	return []float64{s.Mean, s.MCSE, s.SD, s.P5, s.P10, s.P50, s.P90, s.P95}
}

// WriteRun writes the workbook of one run: rep's summary, and from res the
// assumptions log (Inputs: each input's distribution and the statistics of
// its draws when the run kept them) and, with opt.Draws, every trial.
func WriteRun(w io.Writer, rep *report.RunReport, res *lgr.Result, opt Options) error {
	b := newBook()
	defer b.f.Close()
	s := rep.Summary
	b.summarySheet(rep, res, opt)
	b.yearsSheet(s)
	b.lineSheet(s)
	b.successorSheet(s)
	if rep.YearLines != nil {
		b.yearLinesSheet(nil, []*lgr.YearLines{rep.YearLines})
	}
	if len(s.ServiceQuality) > 0 {
		b.qualitySheet(s)
	}
	b.inputsSheet(res)
	if opt.Draws {
		b.drawsSheet(res, opt)
	}
	if b.err != nil {
		return fmt.Errorf("xlsx: %w", b.err)
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func (b *book) summarySheet(rep *report.RunReport, res *lgr.Result, opt Options) {
	const sh = SheetSummary
	s := rep.Summary
	b.sheet(sh)
	b.header(sh, "Measure", "Mean", "± MCSE", "SD", "P5", "P10", "P50", "P90", "P95", "Unit")
	stats := []lgr.Stat{s.NPV, s.OneOffCost, s.SteadyStateSaving, s.FiveYearNet, s.BCR, s.PaybackYears.Stat}
	units := []string{"£, present value", "£, undiscounted", "£ a year", "£, net cash flow", "PV savings / PV costs", "years after vesting"}
	for i, m := range Measures {
		row := i + 2
		b.str(sh, 1, row, m.Label)
		for j, v := range statValues(stats[i]) {
			never := "n/a"
			if m.Prefix == "Payback" && j >= 3 {
				never = "never" // a percentile beyond the trials that pay back
			}
			b.num(sh, j+2, row, v, m.Format, never)
			b.name(m.Prefix+"_"+StatColumns[j], sh, j+2, row)
		}
		b.str(sh, 10, row, units[i])
	}
	probs := []float64{s.PNPVPositive, s.PPaybackWithin5y, s.PaybackYears.PNever}
	for i, p := range Probabilities {
		row := 9 + i
		b.str(sh, 1, row, p.Label)
		b.num(sh, 2, row, probs[i], fmtPct, "n/a")
		b.name(p.Name, sh, 2, row)
	}
	row := 13
	b.str(sh, 1, row, "Run")
	b.keep(b.f.SetCellStyle(sh, cell(1, row), cell(1, row), b.bold))
	kv := func(k string, v any, format string) {
		row++
		b.str(sh, 1, row, k)
		switch x := v.(type) {
		case string:
			b.str(sh, 2, row, x)
		case float64:
			b.num(sh, 2, row, x, format, "")
		}
	}
	mode := "Monte Carlo"
	if rep.Deterministic {
		mode = "deterministic: every input at its median"
	}
	kv("Scenario", rep.Scenario, "")
	if rep.Description != "" {
		kv("Description", rep.Description, "")
	}
	kv("Source", rep.Source, "")
	kv("Scenario SHA-256", rep.ScenarioSHA256, "")
	kv("devolve version", rep.Version, "")
	if rep.Seed <= 1<<53 {
		kv("Seed", float64(rep.Seed), fmtInt)
	} else {
		kv("Seed", strconv.FormatUint(rep.Seed, 10), "")
	}
	b.name("Seed", sh, 2, row)
	kv("Iterations", float64(rep.Iterations), fmtInt)
	b.name("Iterations", sh, 2, row)
	kv("Mode", mode, "")
	kv("Price base", orDash(rep.PriceBase), "")
	kv("Horizon (years after vesting)", float64(rep.Horizon), fmtInt)
	kv("Fan percentiles from the first N trials", float64(s.FanTrials), fmtInt)
	if opt.Draws {
		n := len(res.Draws("npv"))
		kv("Draws sheet", fmt.Sprintf("the first %d of %d trials (draws.parquet and draws.csv hold every trial)", opt.drawRows(n), n), "")
	}
	if !rep.Deterministic {
		kv("In words", report.Plain(rep), "")
	}
	if rep.Basis != "" {
		kv("What NPV means", rep.Basis, "")
	}
	if j := rep.Judgement; j != nil {
		kv("Share of NPV variance on JUDGEMENT inputs, alone", j.S1, fmtPct)
		b.name("Judgement_S1", sh, 2, row)
		kv("Share of NPV variance on JUDGEMENT inputs, with interactions", j.ST, fmtPct)
		b.name("Judgement_ST", sh, 2, row)
		kv("Judgement in words", report.JudgementSentence(j), "")
	}
	b.widths(sh, 36, 16, 12, 14, 14, 14, 14, 14, 14, 22)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (b *book) yearsSheet(s lgr.Summary) {
	const sh = SheetYears
	b.sheet(sh)
	b.header(sh, "Year", "Financial year", "Net mean", "Net P5", "Net P50", "Net P95",
		"Cumulative mean", "Cumulative P5", "Cumulative P50", "Cumulative P95")
	for i, y := range s.Years {
		row := i + 2
		b.num(sh, 1, row, float64(y.Year), fmtInt, "")
		if y.CalendarYear > 0 {
			b.str(sh, 2, row, fmt.Sprintf("%d/%02d", y.CalendarYear, (y.CalendarYear+1)%100))
		}
		for j, v := range []float64{y.Net.Mean, y.Net.P5, y.Net.P50, y.Net.P95,
			y.Cumulative.Mean, y.Cumulative.P5, y.Cumulative.P50, y.Cumulative.P95} {
			b.num(sh, j+3, row, v, fmtMoney, "")
		}
	}
	b.widths(sh, 8, 14, 14, 14, 14, 14, 16, 16, 16, 16)
}

func (b *book) lineSheet(s lgr.Summary) {
	const sh = SheetByLine
	b.sheet(sh)
	b.header(sh, "Line", "Kind", "One-off", "Cashable", "PV mean", "PV SD", "Key path", "Name in JSON")
	for i, l := range s.ByLine {
		row := i + 2
		label := l.Label
		if label == "" {
			label = l.Name
		}
		b.str(sh, 1, row, label)
		b.str(sh, 7, row, l.Path)
		b.str(sh, 8, row, l.Name)
		b.str(sh, 2, row, l.Kind)
		b.boolean(sh, 3, row, l.OneOff)
		b.boolean(sh, 4, row, l.Cashable)
		b.num(sh, 5, row, l.PVMean, fmtMoney, "")
		b.num(sh, 6, row, l.PVSD, fmtMoney, "")
	}
	b.widths(sh, 50, 10, 10, 10, 16, 16, 30, 44)
}

func (b *book) successorSheet(s lgr.Summary) {
	const sh = SheetSuccessors
	b.sheet(sh)
	b.header(sh, "Successor", "Population", "NPV mean", "NPV P5", "NPV P50", "NPV P95")
	for i, x := range s.BySuccessor {
		row := i + 2
		b.str(sh, 1, row, x.Name)
		b.num(sh, 2, row, x.Population, fmtInt, "")
		for j, v := range []float64{x.NPV.Mean, x.NPV.P5, x.NPV.P50, x.NPV.P95} {
			b.num(sh, j+3, row, v, fmtMoney, "")
		}
	}
	b.widths(sh, 36, 14, 16, 16, 16, 16)
}

func (b *book) qualitySheet(s lgr.Summary) {
	const sh = SheetQuality
	b.sheet(sh)
	b.header(sh, "Indicator", "Unit", "Lower is better", "Year", "Mean", "P5", "P50", "P95", "Value PV mean", "Cashable")
	row := 1
	for _, q := range s.ServiceQuality {
		for _, y := range q.Years {
			row++
			b.str(sh, 1, row, q.Name)
			b.str(sh, 2, row, q.Unit)
			b.boolean(sh, 3, row, q.LowerIsBetter)
			b.num(sh, 4, row, float64(y.Year), fmtInt, "")
			for j, v := range []float64{y.Mean, y.P5, y.P50, y.P95} {
				b.num(sh, j+5, row, v, fmtGen, "")
			}
			b.num(sh, 9, row, q.ValuePVMean, fmtMoney, "")
			b.boolean(sh, 10, row, q.Cashable)
		}
	}
	b.widths(sh, 30, 24, 14, 8, 12, 12, 12, 12, 16, 10)
}

// InputColumns are the Inputs sheet's columns.
var InputColumns = []string{"Input", "Distribution", "Distribution mean", "Statistics from",
	"Draws", "Mean", "SD", "P5", "P50", "P95", "Min", "Max",
	"Unit", "Key path", "Evidence", "Source (the scenario's note)", "Name in draws"}

// unitFormat is the number format of values in unit u: pounds as money,
// shares as percentages, counts as whole numbers, the rest with decimals
// (never General, which Excel shows as 7.0145E+06 in a narrow column).
func unitFormat(u lgr.Unit) string {
	switch {
	case u.Money() && u != lgr.PoundsPerContact:
		return fmtMoney
	case u == lgr.Share || u == lgr.Happens:
		return fmtPct
	case u == lgr.FTE || u == lgr.Seats || u == lgr.ContactsPerYear:
		return fmtInt
	}
	return fmtYears
}

// inputsSheet is the assumptions log: every input by its label, its
// distribution in words, the statistics of its draws (of the distribution
// itself when the run did not keep its inputs) in its unit, its key path
// and the scenario's note on it (JUDGEMENT or its source).
func (b *book) inputsSheet(res *lgr.Result) {
	const sh = SheetInputs
	b.sheet(sh)
	b.header(sh, InputColumns...)
	sc := new(engine.Scratch)
	for i, in := range res.C.Model.Inputs {
		row := i + 2
		info := lgr.InputInfo{Name: in.Name, Label: in.Name}
		if i < len(res.C.Inputs) {
			info = res.C.Inputs[i]
		}
		nf := unitFormat(info.Unit)
		b.str(sh, 1, row, info.Label)
		b.str(sh, 2, row, words.Describe(in.Dist, info.Unit))
		b.num(sh, 3, row, in.Dist.Mean(), nf, "")
		b.str(sh, 13, row, string(info.Unit))
		b.str(sh, 14, row, info.Path)
		b.str(sh, 15, row, info.Evidence())
		b.str(sh, 16, row, info.Source)
		b.str(sh, 17, row, in.Name)
		if i < len(res.Raw.Inputs) {
			x := res.Raw.Inputs[i]
			st := sc.Summarize(x)
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, v := range x {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
			b.str(sh, 4, row, "draws")
			b.num(sh, 5, row, float64(len(x)), fmtInt, "")
			for j, v := range []float64{st.Mean, st.SD, st.P5, st.P50, st.P95, lo, hi} {
				b.num(sh, j+6, row, v, nf, "")
			}
			continue
		}
		d := in.Dist
		b.str(sh, 4, row, "distribution")
		b.num(sh, 5, row, 0, fmtInt, "")
		b.num(sh, 6, row, d.Mean(), nf, "")
		for j, p := range []float64{0.05, 0.5, 0.95} {
			b.num(sh, j+8, row, d.Quantile(p), nf, "")
		}
	}
	b.widths(sh, 50, 60, 16, 14, 10, 14, 14, 14, 14, 14, 14, 14, 18, 30, 16, 80, 44)
}

// drawsSheet writes one row per trial through excelize's stream writer:
// trial, the headline outputs, then every kept input.
func (b *book) drawsSheet(res *lgr.Result, opt Options) {
	const sh = SheetDraws
	if b.err != nil {
		return
	}
	b.sheet(sh)
	sw, err := b.f.NewStreamWriter(sh)
	if err != nil {
		b.keep(err)
		return
	}
	names, cols := draws.Columns(res)
	b.keep(sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	b.keep(sw.SetColWidth(1, 1, 8))
	b.keep(sw.SetColWidth(2, len(names)+1, 16))
	head := make([]any, len(names)+1)
	head[0] = excelize.Cell{StyleID: b.bold, Value: "trial"}
	for j, n := range names {
		head[j+1] = excelize.Cell{StyleID: b.bold, Value: n}
	}
	b.keep(sw.SetRow("A1", head))
	money := map[string]bool{lgr.NPV.String(): true, lgr.OneOffCost.String(): true, lgr.SteadyStateSaving.String(): true, lgr.FiveYearNet.String(): true}
	n := 0
	if len(cols) > 0 {
		n = opt.drawRows(len(cols[0]))
	}
	row := make([]any, len(names)+1)
	for t := 0; t < n && b.err == nil; t++ {
		row[0] = t
		for j, c := range cols {
			v := c[t]
			switch {
			case math.IsInf(v, 1) && names[j] == "payback_years":
				row[j+1] = "never"
			case math.IsNaN(v) || math.IsInf(v, 0):
				row[j+1] = nil
			case money[names[j]]:
				row[j+1] = excelize.Cell{StyleID: b.styles[fmtMoney], Value: v}
			default:
				row[j+1] = v
			}
		}
		b.keep(sw.SetRow(cell(1, t+2), row))
	}
	b.keep(sw.Flush())
}
