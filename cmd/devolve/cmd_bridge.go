package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/devolve-lgr/devolve/scenarios"
)

// cmdBridge prints the waterfall from a published case to devolve's
// projection (scenarios.RunBridge, docs/MODEL.md §14).
func cmdBridge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bridge", flag.ContinueOnError)
	iterations := fs.Int("iterations", 5000, "Monte Carlo trials (per area)")
	seed := fs.Uint64("seed", 1, "random seed")
	workers := fs.Int("workers", 0, "worker goroutines (0: all cores)")
	det := fs.Bool("deterministic", false, "every devolve input at its median (no intervals)")
	format := fs.String("format", "table", "table, json or markdown")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: devolve bridge CASE [options]\nCASE: %s, or a case file\n", strings.Join(scenarios.BridgeCases(), ", "))
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	if *iterations < 1 || *iterations > 200_000 {
		fmt.Fprintf(stderr, "devolve bridge: --iterations: must be between 1 and 200000 (got %d)\n", *iterations)
		return exitUsage
	}
	if *workers < 0 {
		fmt.Fprintf(stderr, "devolve bridge: --workers: must not be negative (got %d)\n", *workers)
		return exitUsage
	}
	write, ok := report.BridgeRenderer(*format)
	if !ok {
		fmt.Fprintf(stderr, "devolve bridge: --format: must be table, json or markdown (got %q)\n", *format)
		return exitUsage
	}
	if _, _, err := scenarios.LoadBridgeCase(pos[0]); err != nil {
		fmt.Fprintf(stderr, "devolve bridge: %v\n", err)
		return exitUsage
	}
	b, err := scenarios.RunBridge(ctx, pos[0], *iterations, *seed, *workers, *det)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "devolve bridge: interrupted")
			return exitFailure
		}
		fmt.Fprintf(stderr, "devolve bridge: %v\n", err)
		return exitFailure
	}
	if err := write(stdout, &report.BridgeReport{Version: version, Seed: *seed, Deterministic: *det, Bridge: *b}); err != nil {
		fmt.Fprintf(stderr, "devolve bridge: %v\n", err)
		return exitFailure
	}
	return exitOK
}
