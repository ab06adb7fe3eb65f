package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/devolve-lgr/devolve/scenarios"
)

func cmdNational(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("national", flag.ContinueOnError)
	k := fs.Int("unitaries", 1, "unitaries per area: 1, 2 or 3")
	iterations := fs.Int("iterations", 20_000, "Monte Carlo trials per area")
	seed := fs.Uint64("seed", 1, "random seed (each area draws from its own derived seed)")
	workers := fs.Int("workers", 0, "worker goroutines (0: all cores)")
	format := fs.String("format", "table", "output format: table, json, csv or markdown")
	if _, code, ok := parseArgs(fs, args, stderr); !ok {
		return code
	}
	var errs []error
	if *k < 1 || *k > 3 {
		errs = append(errs, fmt.Errorf("--unitaries: must be 1, 2 or 3 (got %d)", *k))
	}
	if *iterations <= 0 || *iterations > 2_000_000 {
		errs = append(errs, fmt.Errorf("--iterations: must be between 1 and 2000000 (got %d)", *iterations))
	}
	render, ok := report.NationalRenderer(*format)
	if !ok {
		errs = append(errs, fmt.Errorf("--format: must be one of %s (got %q)", strings.Join(report.Formats, ", "), *format))
	}
	if len(errs) > 0 {
		fmt.Fprintf(stderr, "devolve national: %v\n", errors.Join(errs...))
		return exitUsage
	}
	n, err := scenarios.RunNational(ctx, *k, *iterations, *seed, *workers, nil)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "devolve national: interrupted")
		} else {
			fmt.Fprintf(stderr, "devolve national: %v\n", err)
		}
		return exitFailure
	}
	if err := render(stdout, &report.NationalReport{Version: version, National: *n}); err != nil {
		fmt.Fprintf(stderr, "devolve national: %v\n", err)
		return exitFailure
	}
	return exitOK
}
