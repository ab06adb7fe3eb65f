package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/devolve-lgr/devolve/scenarios"
	"github.com/jedib0t/go-pretty/v6/table"
)

// cmdBacktest prints devolve's back-tests, one section each: the realised
// outturns of past reorganisations, each held out in turn from the fit of
// the defaults (calibration.LeaveOneOut).
func cmdBacktest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backtest", flag.ContinueOnError)
	format := fs.String("format", "table", strings.Join(report.BacktestFormats, ", "))
	if _, code, ok := parseArgs(fs, args, stderr); !ok {
		return code
	}
	write, ok := report.BacktestRenderer(*format)
	if !ok {
		fmt.Fprintf(stderr, "devolve backtest: --format: must be %s (got %q)\n", strings.Join(report.BacktestFormats, ", "), *format)
		return exitUsage
	}
	rows, err := calibration.Outturns()
	if err != nil {
		fmt.Fprintf(stderr, "devolve backtest: %v\n", err)
		return exitFailure
	}
	loo, err := calibration.LeaveOneOut(rows)
	if err != nil {
		fmt.Fprintf(stderr, "devolve backtest: %v\n", err)
		return exitFailure
	}
	whole, err := scenarios.BacktestWholeModel(context.Background(), 20_000, 1, 0)
	if err != nil {
		fmt.Fprintf(stderr, "devolve backtest: whole-model back-test: %v\n", err)
		return exitFailure
	}
	doc := &report.BacktestDoc{Version: version, Sections: []report.BacktestSection{
		report.OutturnSection(loo),
		{Key: "whole_model_2023", Title: "Whole model: the 2023 reorganisations built from their predecessors' 2022-23 data", Data: whole,
			Render: func(w io.Writer, md bool) error { return writeWholeModel(w, whole, md) }},
	}}
	if err := write(stdout, doc); err != nil {
		fmt.Fprintf(stderr, "devolve backtest: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// writeWholeModel prints the whole-model back-test of the 2023
// reorganisations (scenarios.BacktestWholeModel).
func writeWholeModel(w io.Writer, rows []scenarios.WholeModelRow, md bool) error {
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
		t.AppendRow(table.Row{r.Case, r.Measure, r.Year, report.Money(r.Realised), report.Money(r.P5), report.Money(r.P50), report.Money(r.P95), fmt.Sprintf("P%.1f", 100*r.Percentile), in, r.Quality})
	}
	var err error
	if md {
		_, err = fmt.Fprintln(w, t.RenderMarkdown())
	} else {
		_, err = fmt.Fprintln(w, t.Render())
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "\n%d of %d realised figures inside the whole model's central 90%% interval (20000 trials, seed 1). One-off costs are to the year reported, savings gross cashable savings in that year; the option is `devolve area` with the default (contract-driven) integration.\n\n", inside, len(rows))
	return err
}
