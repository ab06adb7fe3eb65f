package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/jedib0t/go-pretty/v6/table"
)

func cmdBacktest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backtest", flag.ContinueOnError)
	format := fs.String("format", "table", "table, json or markdown")
	if _, code, ok := parseArgs(fs, args, stderr); !ok {
		return code
	}
	rows, err := calibration.Outturns()
	if err != nil {
		fmt.Fprintf(stderr, "devolve backtest: %v\n", err)
		return exitFailure
	}
	bt, coverage := calibration.Backtest(rows)
	switch *format {
	case "json":
		doc := struct {
			Rows     []calibration.BacktestRow `json:"rows"`
			Coverage float64                   `json:"coverage_90"`
			Version  string                    `json:"version"`
		}{bt, coverage, version}
		if err := report.WriteJSON(stdout, doc); err != nil {
			return exitFailure
		}
		return exitOK
	case "table", "markdown":
	default:
		fmt.Fprintf(stderr, "devolve backtest: --format: must be table, json or markdown (got %q)\n", *format)
		return exitUsage
	}
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"case", "measure", "projected", "realised", "ratio", "predictive distribution of the ratio", "percentile", "inside 90%?", "quality"})
	for _, r := range bt {
		in := "no"
		if r.Inside90 {
			in = "yes"
		}
		t.AppendRow(table.Row{r.Case, r.Measure, report.Money(r.Projected), report.Money(r.Realised), fmt.Sprintf("%.2f", r.Ratio), r.Predictive, fmt.Sprintf("%.3f", r.Percentile), in, r.Quality})
	}
	if *format == "markdown" {
		fmt.Fprintln(stdout, t.RenderMarkdown())
	} else {
		fmt.Fprintln(stdout, t.Render())
	}
	fmt.Fprintf(stdout, "\nCoverage: %.0f%% of realised figures lie inside devolve's central 90%% predictive interval (an honest tool should be near 90%%).\n", 100*coverage)
	return exitOK
}
