package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/devolve-lgr/devolve/internal/htmlreport"
	"github.com/devolve-lgr/devolve/scenarios"
)

type reportOptions struct {
	iterations int
	seed       uint64
	workers    int
	out        string
}

func (o *reportOptions) verify() error {
	var errs []error
	if o.iterations <= 0 || o.iterations > maxIterations {
		errs = append(errs, fmt.Errorf("--iterations: must be between 1 and %d (got %d)", maxIterations, o.iterations))
	}
	if o.workers < 0 {
		errs = append(errs, fmt.Errorf("--workers: must be 0 (all cores) or more (got %d)", o.workers))
	}
	if o.out == "" {
		errs = append(errs, errors.New("--out: name the HTML file to write (e.g. --out report.html)"))
	} else if st, err := os.Stat(filepath.Dir(o.out)); err != nil || !st.IsDir() {
		errs = append(errs, fmt.Errorf("--out %s: directory %s does not exist", o.out, filepath.Dir(o.out)))
	}
	return errors.Join(errs...)
}

// cmdReport writes the self-contained HTML report of one or more scenarios
// (several are compared on common random numbers).
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o reportOptions
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.IntVar(&o.iterations, "iterations", 100_000, "Monte Carlo trials per scenario")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed, shared by every scenario (common random numbers)")
	fs.IntVar(&o.workers, "workers", 0, "worker goroutines (0: all cores)")
	fs.StringVar(&o.out, "out", "", "the HTML file to write (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: devolve report [SCENARIO ...] --out report.html [options]")
		fs.PrintDefaults()
	}
	files, code, ok := parseArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(files) == 0 {
		files = []string{defaultScenario}
	}
	if err := o.verify(); err != nil {
		fmt.Fprintf(stderr, "devolve report: %v\n", err)
		return exitUsage
	}
	var scs []htmlreport.Scenario
	var errs []error
	var names []string
	for _, f := range files {
		ld, err := scenarios.Load(f)
		if err == nil {
			c, cerr := ld.Compile()
			if cerr == nil {
				name := uniqueName(names, ld.Scenario.Name)
				names = append(names, name)
				scs = append(scs, htmlreport.Scenario{Name: name, Description: ld.Scenario.Description, Source: ld.Source, SHA256: ld.SHA256, Compiled: c})
				continue
			}
			err = cerr
		}
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		fmt.Fprintln(stderr, errors.Join(errs...))
		return exitUsage
	}
	rep, err := htmlreport.Build(ctx, scs, htmlreport.Options{Iterations: o.iterations, Seed: o.seed, Workers: o.workers, Version: version})
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "devolve report: interrupted; nothing written")
		} else {
			fmt.Fprintf(stderr, "devolve report: %v\n", err)
		}
		return exitFailure
	}
	err = chartWriteFiles(filepath.Dir(o.out), filepath.Base(o.out), func(w io.Writer) error { return htmlreport.Write(w, rep) })
	if err != nil {
		fmt.Fprintf(stderr, "devolve report: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "wrote %s\n", o.out)
	return exitOK
}
