package xlsx

import (
	"fmt"
	"io"
	"strconv"

	"github.com/devolve-lgr/devolve/render/report"
)

// Sheet names of a comparison workbook, in order (Switching only with
// compare --switching).
const (
	SheetPairs     = "Pairs"
	SheetYearDiffs = "Years (B - A)"
	SheetSwitching = "Switching"
)

// CompareColumns are the Summary sheet's columns in a comparison workbook,
// one row per option from row 2. Option k (1-based) has workbook names
// OptionK_NPV_Mean, OptionK_NPV_P50 and OptionK_P_rank_first.
var CompareColumns = []string{"Option", "Source", "Scenario SHA-256", "NPV mean", "NPV ± MCSE", "NPV P5", "NPV P50", "NPV P95",
	"One-off mean", "One-off P50", "Steady saving mean", "Payback P50", "P(no payback)", "P(ranks first)"}

// PairColumns are the Pairs sheet's columns, one row per pair from row 2.
// Pair k (1-based) has workbook names PairK_Diff_Mean, PairK_Diff_P50 and
// PairK_P_B_better.
var PairColumns = []string{"A", "B", "Mean NPV B - A", "± MCSE", "SD", "P5", "P50", "P95",
	"95% ± paired", "95% ± if independent", "P(B better)"}

// WriteCompare writes the workbook of a comparison on common random numbers.
func WriteCompare(w io.Writer, rep *report.CompareReport) error {
	b := newBook()
	defer b.f.Close()

	sh := SheetSummary
	b.sheet(sh)
	b.header(sh, CompareColumns...)
	for i, o := range rep.Options {
		row, k := i+2, strconv.Itoa(i+1)
		b.str(sh, 1, row, o.Name)
		b.str(sh, 2, row, o.Source)
		if i < len(rep.ScenarioSHA256) {
			b.str(sh, 3, row, rep.ScenarioSHA256[i])
		}
		for j, v := range []float64{o.NPV.Mean, o.NPV.MCSE, o.NPV.P5, o.NPV.P50, o.NPV.P95, o.OneOffCost.Mean, o.OneOffCost.P50, o.SteadyStateSaving.Mean} {
			b.num(sh, j+4, row, v, fmtMoney, "n/a")
		}
		b.num(sh, 12, row, o.PaybackYears.P50, fmtYears, "never")
		b.num(sh, 13, row, o.PaybackYears.PNever, fmtPct, "n/a")
		b.num(sh, 14, row, rep.PRankFirst[o.Name], fmtPct, "n/a")
		b.name("Option"+k+"_NPV_Mean", sh, 4, row)
		b.name("Option"+k+"_NPV_P50", sh, 7, row)
		b.name("Option"+k+"_P_rank_first", sh, 14, row)
	}
	row := len(rep.Options) + 3
	b.str(sh, 1, row, "Run")
	b.keep(b.f.SetCellStyle(sh, cell(1, row), cell(1, row), b.bold))
	b.str(sh, 1, row+1, "devolve version")
	b.str(sh, 2, row+1, rep.Version)
	b.str(sh, 1, row+2, "Seed (shared by every option)")
	if rep.Seed <= 1<<53 {
		b.num(sh, 2, row+2, float64(rep.Seed), fmtInt, "")
	} else {
		b.str(sh, 2, row+2, strconv.FormatUint(rep.Seed, 10))
	}
	b.name("Seed", sh, 2, row+2)
	b.str(sh, 1, row+3, "Iterations per option")
	b.num(sh, 2, row+3, float64(rep.Iterations), fmtInt, "")
	b.name("Iterations", sh, 2, row+3)
	b.str(sh, 1, row+4, "Method")
	b.str(sh, 2, row+4, "common random numbers: an input with the same name in two options draws the same values")
	b.widths(sh, 40, 24, 20, 14, 12, 14, 14, 14, 14, 14, 16, 12, 14, 14)

	sh = SheetPairs
	b.sheet(sh)
	b.header(sh, PairColumns...)
	for i, p := range rep.Pairs {
		row, k := i+2, strconv.Itoa(i+1)
		b.str(sh, 1, row, p.A)
		b.str(sh, 2, row, p.B)
		d := p.DiffNPV
		for j, v := range []float64{d.Mean, d.MCSE, d.SD, d.P5, d.P50, d.P95, p.PairedHalfwidth, p.IndependentHalfwidth} {
			b.num(sh, j+3, row, v, fmtMoney, "n/a")
		}
		b.num(sh, 11, row, p.PBBetter, fmtPct, "n/a")
		b.name("Pair"+k+"_Diff_Mean", sh, 3, row)
		b.name("Pair"+k+"_Diff_P50", sh, 7, row)
		b.name("Pair"+k+"_P_B_better", sh, 11, row)
	}
	b.widths(sh, 36, 36, 16, 12, 14, 14, 14, 14, 14, 20, 12)

	sh = SheetYearDiffs
	b.sheet(sh)
	b.header(sh, "A", "B", "Year", "Net mean B - A", "P5", "P50", "P95")
	row = 1
	for _, p := range rep.Pairs {
		for _, y := range p.Years {
			row++
			b.str(sh, 1, row, p.A)
			b.str(sh, 2, row, p.B)
			b.num(sh, 3, row, float64(y.Year), fmtInt, "")
			for j, v := range []float64{y.Mean, y.P5, y.P50, y.P95} {
				b.num(sh, j+4, row, v, fmtMoney, "")
			}
		}
	}
	b.widths(sh, 36, 36, 8, 16, 14, 14, 14)

	if len(rep.YearLines) > 0 {
		names := make([]string, len(rep.Options))
		for i, o := range rep.Options {
			names[i] = o.Name
		}
		b.yearLinesSheet(names, rep.YearLines)
	}
	if len(rep.Switching) > 0 {
		sh = SheetSwitching
		b.sheet(sh)
		b.header(sh, "A", "B", "Input", "Statistic", "Switching value", "Unit", "Percentile", "At P1", "At P99", "Name in JSON")
		for i, s := range rep.Switching {
			row := i + 2
			label := s.Label
			if label == "" {
				label = s.Input
			}
			b.str(sh, 1, row, s.A)
			b.str(sh, 2, row, s.B)
			b.str(sh, 3, row, label)
			b.str(sh, 4, row, s.Statistic)
			if s.None || s.Value == nil || s.Percentile == nil {
				b.str(sh, 5, row, "none")
			} else {
				b.num(sh, 5, row, *s.Value, unitFormat(s.Unit), "")
				b.num(sh, 7, row, *s.Percentile, fmtPct, "")
			}
			b.str(sh, 6, row, string(s.Unit))
			b.num(sh, 8, row, s.AtP1, fmtMoney, "")
			b.num(sh, 9, row, s.AtP99, fmtMoney, "")
			b.str(sh, 10, row, s.Input)
		}
		b.widths(sh, 30, 30, 40, 10, 16, 14, 12, 14, 14, 30)
	}
	if b.err != nil {
		return fmt.Errorf("xlsx: %w", b.err)
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}
