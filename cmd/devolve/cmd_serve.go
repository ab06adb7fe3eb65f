package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/devolve-lgr/devolve/internal/htmlreport"
	"github.com/devolve-lgr/devolve/internal/serve"
	"github.com/devolve-lgr/devolve/scenarios"
)

type serveOptions struct {
	addr    string
	seed    uint64
	trials  int
	workers int
	drivers int
}

func (o *serveOptions) verify() error {
	var errs []error
	if o.trials <= 0 || o.trials > 1_000_000 {
		errs = append(errs, fmt.Errorf("--trials: must be between 1 and 1000000 (got %d)", o.trials))
	}
	if o.drivers <= 0 || o.drivers > 20 {
		errs = append(errs, fmt.Errorf("--drivers: must be between 1 and 20 (got %d)", o.drivers))
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		errs = append(errs, fmt.Errorf("--addr: want HOST:PORT (got %q)", o.addr))
	}
	return errors.Join(errs...)
}

// cmdServe serves the what-if page of a scenario until interrupted.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed of every rerun")
	fs.IntVar(&o.trials, "trials", serve.DefaultTrials, "Monte Carlo trials per rerun")
	fs.IntVar(&o.workers, "workers", 0, "worker goroutines (0: all cores)")
	fs.IntVar(&o.drivers, "drivers", serve.DefaultDrivers, "number of sliders (the top drivers of NPV)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: devolve serve [FILE|NAME] [--addr 127.0.0.1:8080] [options]")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args, stderr)
	if !ok {
		return code
	}
	name := defaultScenario
	if len(pos) == 1 {
		name = pos[0]
	} else if len(pos) > 1 {
		fmt.Fprintln(stderr, "devolve serve: one scenario at a time")
		return exitUsage
	}
	if err := o.verify(); err != nil {
		fmt.Fprintf(stderr, "devolve serve: %v\n", err)
		return exitUsage
	}
	ld, err := scenarios.Load(name)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	c, err := ld.Compile()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	srv, err := serve.New(htmlreport.Scenario{Name: ld.Scenario.Name, Description: ld.Scenario.Description, Source: ld.Source, SHA256: ld.SHA256, Compiled: c},
		serve.Options{Trials: o.trials, Seed: o.seed, Workers: o.workers, Drivers: o.drivers, Version: version,
			Command: "devolve run " + name})
	if err != nil {
		fmt.Fprintf(stderr, "devolve serve: %v\n", err)
		return exitFailure
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "devolve serve: %v\n", err)
		return exitFailure
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "devolve serve: %s on http://%s/ (Ctrl-C to stop)\n", ld.Scenario.Name, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		return exitOK
	case err := <-done:
		fmt.Fprintf(stderr, "devolve serve: %v\n", err)
		return exitFailure
	}
}
