package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/study"
	"github.com/jedib0t/go-pretty/v6/table"
)

// cmdBacktest prints devolve's back-tests, one section each: the realised
// outturns of past reorganisations, each held out in turn from the fit of
// the defaults (calibration.LeaveOneOut).
func cmdBacktest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c commonFlags
	fs := newFlagSet("backtest", "devolve backtest [--format FORMAT]", stderr)
	c.outFiles = "the charts (backtest-outturns, backtest-whole-model; PNG and SVG)"
	c.register(fs, withFormat|withOut, 0, report.BacktestFormats)
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	if err := c.verify(); err != nil {
		return err
	}
	write, _ := report.BacktestRenderer(c.format)
	// The outturns (the measured-effects study behind them) and the
	// leave-one-out fits take seconds and do not watch ctx: an interrupt
	// before them stops at once (found by FuzzCLIFlags: 6 s, and 12 s under
	// the fuzzer, with a cancelled context).
	if err := ctx.Err(); err != nil {
		return err
	}
	rows, err := calibration.AllOutturns()
	if err != nil {
		return err
	}
	loo, err := calibration.LeaveOneOut(rows)
	if err != nil {
		return err
	}
	whole, err := study.BacktestWholeModel(ctx, 20_000, 1, 0)
	if err != nil {
		return fmt.Errorf("whole-model back-test: %w", err)
	}
	published, err := study.PlacePublished(ctx, 20_000, 1, 0)
	if err != nil {
		return fmt.Errorf("published cases: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.out != "" {
		if err := writeSet(ctx, c.out, chart.Files(backtestFigures(loo, whole), chart.Formats...), newManifest(ctx, "backtest", 1, 20_000)); err != nil {
			return err
		}
	}
	doc := &report.BacktestDoc{Version: version, Sections: []report.BacktestSection{
		report.OutturnSection(loo),
		{Key: "whole_model_2023", Title: "Whole model: the 2023 reorganisations built from their predecessors' 2022-23 data", Data: whole,
			Render: func(w io.Writer, md bool) error { return writeWholeModel(w, whole, md) }},
		{Key: "published_cases", Title: fmt.Sprintf("Published estimates (%d on) in devolve's distribution of the same option: estimates, not outturns", study.PublishedFrom), Data: published,
			Render: func(w io.Writer, md bool) error { return writePublished(w, published, md) }},
	}}
	return write(stdout, doc)
}

// writeWholeModel prints the whole-model back-test of the 2023
// reorganisations (study.BacktestWholeModel).
func writeWholeModel(w io.Writer, rows []study.WholeModelRow, md bool) error {
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"case", "measure", "year", "realised", "model P5", "P50", "P95", "percentile", "inside 90%?", "quality"})
	inside := 0
	for _, r := range rows {
		in := "no"
		if r.Inside90 {
			in = "yes"
			inside++
		}
		t.AppendRow(table.Row{r.Case, measureWords(r.Measure), r.Year, report.Money(r.Realised), report.Money(r.P5), report.Money(r.P50), report.Money(r.P95), fmt.Sprintf("P%.1f", 100*r.Percentile), in, r.Quality})
	}
	if err := printTable(w, t, md); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d of %d reported figures (realised or budgeted, see quality) inside the whole model's central 90%% interval (20000 trials, seed 1). One-off costs are to the year reported, savings gross cashable savings in that year; the option is `devolve area` with the default (contract-driven) integration.\n\n", inside, len(rows))
	return err
}

// writePublished prints where published estimates sit in devolve's
// distribution of the same option (study.PlacePublished).
func writePublished(w io.Writer, rows []study.PublishedRow, md bool) error {
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"area", "option", "author", "year", "measure", "published", "devolve P5", "P50", "P95", "percentile", "inside 90%?", "quality"})
	inside := map[string][2]int{}
	for _, r := range rows {
		in := "no"
		n := inside[r.Measure]
		if r.Inside90 {
			in = "yes"
			n[0]++
		}
		n[1]++
		inside[r.Measure] = n
		t.AppendRow(table.Row{r.Area, r.Option, r.Author, r.Year, measureWords(r.Measure), report.Money(r.Published), report.Money(r.P5), report.Money(r.P50),
			report.Money(r.P95), fmt.Sprintf("P%.1f", 100*r.Percentile), in, r.Quality + inSample(r.InSample)})
	}
	if err := printTable(w, t, md); err != nil {
		return err
	}
	var parts []string
	for _, m := range []string{"one_off_cost", "steady_state_saving", "five_year_net"} {
		if n := inside[m]; n[1] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d of %d", measureWords(m), n[0], n[1]))
		}
	}
	_, err := fmt.Fprintf(w, "\nInside devolve's central 90%% interval: %s (20000 trials, seed 1; `devolve area` with balanced unitaries and the default integration, the 2023 areas as reorganised). Steady-state saving is devolve's net saving in year 10; each option is generated with the case's own area held out of the defaults drawn from business cases (the staff-saving rates); published figures are as published (their own prices, scope and phasing; notes in calibration/data/published_cases.csv).\n\n", strings.Join(parts, ", "))
	return err
}

// measureWords is a back-test measure as people read it ("one-off cost",
// not one_off_cost).
func measureWords(m string) string {
	switch m {
	case calibration.MeasureOneOffCost:
		return "one-off cost"
	case "steady_state_saving":
		return "steady-state saving"
	case "five_year_net":
		return "five-year net"
	}
	return strings.ReplaceAll(m, "_", " ")
}

// inSample marks a placement that is not out of sample.
func inSample(why string) string {
	if why == "" {
		return ""
	}
	return " (IN-SAMPLE)"
}

// printTable writes a back-test table as text or Markdown.
func printTable(w io.Writer, t table.Writer, md bool) error {
	out := t.Render()
	if md {
		out = t.RenderMarkdown()
	}
	_, err := fmt.Fprintln(w, out)
	return err
}

// backtestFigures are the back-tests' charts: each held-out outturn's 90%
// predictive interval of realised / projected with the realised ratio
// marked, and the whole model's 90% intervals with the reported figures.
func backtestFigures(loo *calibration.BacktestReport, whole []study.WholeModelRow) []chart.Figure {
	var rows []chart.Interval
	for _, b := range loo.Rows {
		m := measureWords(b.Measure)
		if b.Measure == calibration.MeasureSavings {
			m = fmt.Sprintf("%s, year %d", m, b.Year)
		}
		rows = append(rows, chart.Interval{Name: chart.Label(b.Case, ": "+m), P5: b.LOO.P5, P50: b.LOO.P50, P95: b.LOO.P95, Mean: math.NaN(), Outcome: b.Ratio})
	}
	var wm []chart.Interval
	for _, r := range whole {
		wm = append(wm, chart.Interval{Name: chart.Label(r.Case, fmt.Sprintf(": %s, year %d", measureWords(r.Measure), r.Year)),
			P5: r.P5, P50: r.P50, P95: r.P95, Mean: math.NaN(), Outcome: r.Realised})
	}
	return []chart.Figure{
		{Name: "backtest-outturns", Title: "Each realised outturn held out: its 90% predictive interval of realised / projected, and the realised ratio",
			Plot: chart.Intervals("Outturns held out in turn: 90% predictive intervals", "realised / projected (1 = as projected)", false, rows, chart.Height*2),
			H:    chart.Height * 2},
		{Name: "backtest-whole-model", Title: "The 2023 reorganisations: the whole model's 90% intervals and the reported figures",
			Plot: chart.Intervals("Whole model, 2023 reorganisations", "reported figure", true, wm, chart.Height)},
	}
}
