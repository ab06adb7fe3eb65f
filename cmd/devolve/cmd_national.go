package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

func cmdNational(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("national", flag.ContinueOnError)
	k := fs.Int("unitaries", 1, "unitaries per area: 1 to 5 (capped at an area's districts)")
	var perArea multiFlag
	fs.Var(&perArea, "area", `one area's own number of unitaries, e.g. "Kent=2" (repeat)`)
	minRes := fs.Float64("min-residents", 0, "instead of --unitaries: each area gets the most balanced unitaries (up to 5) of at least this many residents")
	integration := fs.String("integration", "contract", "core systems strategy of every area: contract, connected or federated")
	independent := fs.Bool("independent", false, "areas draw every input independently (default: they share realisation, ramp stretch, overruns and slip)")
	iterations := fs.Int("iterations", 20_000, "Monte Carlo trials per area")
	seed := fs.Uint64("seed", 1, "random seed")
	workers := fs.Int("workers", 0, "worker goroutines (0: all cores)")
	format := fs.String("format", "table", "output format: table, json, csv or markdown")
	if _, code, ok := parseArgs(fs, args, stderr); !ok {
		return code
	}
	var errs []error
	if *k < 1 || *k > 5 {
		errs = append(errs, fmt.Errorf("--unitaries: must be between 1 and 5 (got %d)", *k))
	}
	cfg := scenarios.NationalConfig{Unitaries: *k, MinResidents: *minRes, Integration: *integration, PerArea: map[string]int{}}
	if !(*minRes >= 0) || math.IsInf(*minRes, 0) {
		errs = append(errs, fmt.Errorf("--min-residents: must be a non-negative number of residents (got %v)", *minRes))
	}
	for _, a := range perArea {
		name, v, ok := strings.Cut(a, "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || n < 1 || n > 5 {
			errs = append(errs, fmt.Errorf("--area %q: expected AREA=K with K from 1 to 5", a))
			continue
		}
		if _, dup := cfg.PerArea[strings.TrimSpace(name)]; dup {
			errs = append(errs, fmt.Errorf("--area %q: area given twice", a))
		}
		cfg.PerArea[strings.TrimSpace(name)] = n
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
	n, err := scenarios.RunNational(ctx, cfg, lgr.NationalOptions{Options: engine.Options{Iterations: *iterations, Seed: *seed, Workers: *workers}, Independent: *independent})
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
