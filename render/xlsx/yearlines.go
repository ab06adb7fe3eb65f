package xlsx

import (
	"fmt"

	"github.com/devolve-lgr/devolve/model/lgr"
)

// SheetByYear is the run's costs and savings by year (run --lines): the
// totals, each successor's and each line's, in long form.
const SheetByYear = "By year"

// yearLinesSheet writes one row per (section, name, measure, year): mean and
// P5, P50, P95, in the view's prices (stated on every row). A comparison
// passes each option's name, which prefixes its sections ("NAME: Total").
func (b *book) yearLinesSheet(names []string, yls []*lgr.YearLines) {
	const sh = SheetByYear
	b.sheet(sh)
	b.header(sh, "Section", "Name", "Measure", "Year", "Financial year", "Mean", "P5", "P50", "P95", "Prices")
	row := 2
	for i, yl := range yls {
		prefix := ""
		if i < len(names) && names[i] != "" {
			prefix = names[i] + ": "
		}
		row = b.yearLinesRows(sh, row, prefix, yl)
	}
	b.widths(sh, 10, 36, 22, 6, 14, 14, 14, 14, 14, 40)
}

// yearLinesRows writes one run's rows from row on and returns the next row.
func (b *book) yearLinesRows(sh string, row int, prefix string, yl *lgr.YearLines) int {
	prices := yl.Prices + " (" + yl.PriceBase + " prices)"
	if yl.Prices == "cash" {
		prices = "cash (each year's prices; " + yl.Inflation + ")"
	}
	fy := func(t int) string {
		if len(yl.Years) > t && yl.Years[t].CalendarYear > 0 {
			c := yl.Years[t].CalendarYear
			return fmt.Sprintf("%d/%02d", c, (c+1)%100)
		}
		return ""
	}
	put := func(section, name, measure string, t int, bd lgr.Band) {
		b.str(sh, 1, row, prefix+section)
		b.str(sh, 2, row, name)
		b.str(sh, 3, row, measure)
		b.num(sh, 4, row, float64(t), fmtInt, "")
		b.str(sh, 5, row, fy(t))
		for j, v := range []float64{bd.Mean, bd.P5, bd.P50, bd.P95} {
			b.num(sh, 6+j, row, v, fmtMoney, "")
		}
		b.str(sh, 10, row, prices)
		row++
	}
	for _, y := range yl.Years {
		put("Total", "All successors", "gross costs", y.Year, y.Costs)
		put("Total", "All successors", "gross savings", y.Year, y.Savings)
		put("Total", "All successors", "net", y.Year, y.Net)
	}
	for _, s := range yl.Successors {
		for t := range s.Net {
			put("Successor", s.Name, "gross costs", t, s.Costs[t])
			put("Successor", s.Name, "gross savings", t, s.Savings[t])
			put("Successor", s.Name, "net", t, s.Net[t])
		}
	}
	for _, l := range yl.Lines {
		name := l.Label
		if name == "" {
			name = l.Name
		}
		measure := l.Kind
		if !l.Cashable {
			measure += " (not cashable)"
		}
		for t, bd := range l.Years {
			put("Line", name, measure, t, bd)
		}
	}
	return row
}
