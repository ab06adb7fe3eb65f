package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/jedib0t/go-pretty/v6/table"
)

// yearLabel is "2 (2029/30)" for a year with a financial year, else "2".
func yearLabel(t, calendar int) string {
	if calendar > 0 {
		return fmt.Sprintf("%d (%d/%02d)", t, calendar, (calendar+1)%100)
	}
	return strconv.Itoa(t)
}

// meanRange is "£1.2m (£0.8m to £1.9m)": a band's mean and its P5 to P95.
func meanRange(b lgr.Band) string {
	return Money(b.Mean) + " (" + Money(b.P5) + " to " + Money(b.P95) + ")"
}

// pricesNote states a lines view's prices.
func pricesNote(yl *lgr.YearLines) string {
	if yl.Prices == "cash" {
		return "cash, each year's prices (" + yl.Inflation + ")"
	}
	return "real, " + orDash(yl.PriceBase) + " prices"
}

// yearTotalsTable writes the gross costs, gross savings and net by year,
// of the option named (or of the run when name is "").
func yearTotalsTable(w io.Writer, name string, yl *lgr.YearLines, md bool) error {
	title := "Costs and savings by year, mean (P5 to P95), undiscounted, " + pricesNote(yl)
	if name != "" {
		title = name + ": " + title
	}
	t := newTable(w, title)
	t.AppendHeader(table.Row{"year", "gross costs", "gross savings", "net"})
	for _, y := range yl.Years {
		t.AppendRow(table.Row{yearLabel(y.Year, y.CalendarYear), meanRange(y.Costs), meanRange(y.Savings), meanRange(y.Net)})
	}
	t.SetColumnConfigs(right(2, 3, 4))
	return render(w, t, md)
}

// yearLinesTables writes the costs and savings by year: the totals, each
// successor's (when there are several) and each line's mean by year, the
// lines largest first (by the sum over years of their mean's size), the
// TableRows largest unless all; formats names the outputs that hold every
// line.
func yearLinesTables(w io.Writer, yl *lgr.YearLines, all bool, formats string, md bool) error {
	if err := yearTotalsTable(w, "", yl, md); err != nil {
		return err
	}
	return yearSplitAndLines(w, yl, all, formats, md)
}

// yearSplitAndLines writes the successors' costs and savings by year (a
// national run's areas: a note that JSON and CSV hold them) and each
// line's mean by year (the TableRows largest unless all; formats names the
// outputs that hold every line).
func yearSplitAndLines(w io.Writer, yl *lgr.YearLines, all bool, formats string, md bool) error {
	if yl.SplitBy == "area" {
		fmt.Fprintf(w, "Each area's costs and savings by year are in the JSON output (--format json).\n\n")
	} else if len(yl.Successors) > 1 {
		s := newTable(w, "Costs and savings by year and successor, mean (P5 to P95), "+pricesNote(yl))
		s.AppendHeader(table.Row{"successor", "year", "gross costs", "gross savings", "net"})
		for _, sy := range yl.Successors {
			for t := range sy.Net {
				cal := 0
				if t < len(yl.Years) {
					cal = yl.Years[t].CalendarYear
				}
				s.AppendRow(table.Row{sy.Name, yearLabel(t, cal), meanRange(sy.Costs[t]), meanRange(sy.Savings[t]), meanRange(sy.Net[t])})
			}
		}
		s.SetColumnConfigs(right(3, 4, 5))
		if err := render(w, s, md); err != nil {
			return err
		}
	}
	l := newTable(w, "Lines by year, mean, largest first (P5-P95 of each in the JSON output)")
	hdr := table.Row{"line", "kind"}
	for _, y := range yl.Years {
		hdr = append(hdr, strconv.Itoa(y.Year))
	}
	l.AppendHeader(hdr)
	cols := []int{}
	for i := range yl.Years {
		cols = append(cols, i+3)
	}
	lines := slices.Clone(yl.Lines)
	size := func(ln lgr.LineYearsSeries) float64 {
		t := 0.0
		for _, b := range ln.Years {
			t += math.Abs(b.Mean)
		}
		return t
	}
	sort.SliceStable(lines, func(i, j int) bool { return size(lines[i]) > size(lines[j]) })
	n, more := shownRows(len(lines), all, "line", formats)
	for _, ln := range lines[:n] {
		name := ln.Label
		if name == "" {
			name = ln.Name
		}
		kind := ln.Kind
		if !ln.Cashable {
			kind += ", non-cashable"
		}
		row := table.Row{name, kind}
		for _, b := range ln.Years {
			row = append(row, Money(b.Mean))
		}
		l.AppendRow(row)
	}
	l.SetColumnConfigs(right(cols...))
	if err := render(w, l, md); err != nil {
		return err
	}
	_, err := fmt.Fprint(w, more)
	return err
}

// yearLinesCSV adds the lines by year to a run's CSV rows: sections
// year_totals (costs, savings, net), year_successor (NAME: costs, ...)
// and year_line (line name), statistics mean, p5, p50, p95 and prices.
func yearLinesCSV(add func(sec, name, year, stat string, v float64), yl *lgr.YearLines) {
	put := func(sec, name string, t int, b lgr.Band) {
		yr := strconv.Itoa(t)
		for _, kv := range []kv{{"mean", b.Mean}, {"p5", b.P5}, {"p50", b.P50}, {"p95", b.P95}} {
			add(sec, name, yr, kv.k, kv.v)
		}
	}
	for _, y := range yl.Years {
		put("year_totals", "costs", y.Year, y.Costs)
		put("year_totals", "savings", y.Year, y.Savings)
		put("year_totals", "net", y.Year, y.Net)
	}
	for _, s := range yl.Successors {
		for t := range s.Net {
			put("year_successor", s.Name+": costs", t, s.Costs[t])
			put("year_successor", s.Name+": savings", t, s.Savings[t])
			put("year_successor", s.Name+": net", t, s.Net[t])
		}
	}
	for _, l := range yl.Lines {
		for t, b := range l.Years {
			put("year_line", l.Name, t, b)
		}
	}
}
