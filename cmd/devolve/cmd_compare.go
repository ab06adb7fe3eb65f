package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

type compareOptions struct {
	iterations int
	seed       uint64
	workers    int
	format     string
}

func (o *compareOptions) verify(files []string) error {
	var errs []error
	if len(files) < 2 {
		errs = append(errs, fmt.Errorf("compare needs at least two scenarios (got %d)", len(files)))
	}
	if o.iterations <= 0 || o.iterations > maxIterations {
		errs = append(errs, fmt.Errorf("--iterations: must be between 1 and %d (got %d)", maxIterations, o.iterations))
	}
	if _, ok := report.CompareRenderer(o.format); !ok {
		errs = append(errs, fmt.Errorf("--format: must be one of %s (got %q)", strings.Join(report.Formats, ", "), o.format))
	}
	return errors.Join(errs...)
}

func cmdCompare(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o compareOptions
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.IntVar(&o.iterations, "iterations", 100_000, "Monte Carlo trials per option")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed, shared by every option (common random numbers)")
	fs.IntVar(&o.workers, "workers", 0, "worker goroutines (0: all cores)")
	fs.StringVar(&o.format, "format", "table", "output format: table, json, csv or markdown")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: devolve compare A B [C ...] [options]")
		fs.PrintDefaults()
	}
	files, err := parseFlags(fs, args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if err := o.verify(files); err != nil {
		fmt.Fprintf(stderr, "devolve compare: %v\n", err)
		return exitUsage
	}
	render, _ := report.CompareRenderer(o.format)
	var comps []*lgr.Compiled
	var names, sources, sums []string
	var errs []error
	for _, f := range files {
		ld, err := scenarios.Load(f)
		if err == nil {
			var c *lgr.Compiled
			if c, err = ld.Compile(); err == nil {
				comps = append(comps, c)
				names = append(names, uniqueName(names, ld.Scenario.Name))
				sources = append(sources, ld.Source)
				sums = append(sums, ld.SHA256)
				continue
			}
		}
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		fmt.Fprintln(stderr, errors.Join(errs...))
		return exitUsage
	}
	var runs []*lgr.Result
	for _, c := range comps {
		res, err := c.Run(ctx, engine.Options{Iterations: o.iterations, Seed: o.seed, Workers: o.workers})
		if err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(stderr, "devolve compare: interrupted")
			} else {
				fmt.Fprintf(stderr, "devolve compare: %v\n", err)
			}
			return exitFailure
		}
		runs = append(runs, res)
	}
	rep := &report.CompareReport{Version: version, Seed: o.seed, Iterations: o.iterations, ScenarioSHA256: sums,
		Comparison: lgr.Compare(names, sources, runs)}
	if err := render(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "devolve compare: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// uniqueName appends " (2)", " (3)", ... to a name already taken.
func uniqueName(taken []string, name string) string {
	for k := 2; ; k++ {
		clash := false
		for _, t := range taken {
			if t == name {
				clash = true
			}
		}
		if !clash {
			return name
		}
		name = fmt.Sprintf("%s (%d)", strings.TrimSuffix(name, fmt.Sprintf(" (%d)", k-1)), k)
	}
}
