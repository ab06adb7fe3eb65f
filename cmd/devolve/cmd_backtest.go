package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/internal/report"
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
	doc := &report.BacktestDoc{Version: version, Sections: []report.BacktestSection{
		report.OutturnSection(loo),
		// The whole-model back-test of the 2023 reorganisations goes here.
	}}
	if err := write(stdout, doc); err != nil {
		fmt.Fprintf(stderr, "devolve backtest: %v\n", err)
		return exitFailure
	}
	return exitOK
}
