package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/serve"
	"github.com/devolve-lgr/devolve/scenarios"
)

type serveOptions struct {
	commonFlags
	addr    string
	trials  int
	drivers int
}

func (o *serveOptions) verify() error {
	errs := []error{o.commonFlags.verify()}
	if o.trials <= 0 || o.trials > 1_000_000 {
		errs = append(errs, usagef("--trials: must be between 1 and 1000000 (got %d)", o.trials))
	}
	if o.drivers <= 0 || o.drivers > 20 {
		errs = append(errs, usagef("--drivers: must be between 1 and 20 (got %d)", o.drivers))
	}
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		errs = append(errs, usagef("--addr: want HOST:PORT (got %q)", o.addr))
	}
	return errors.Join(errs...)
}

// cmdServe serves the what-if page of a scenario until interrupted.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o serveOptions
	fs := newFlagSet("serve", "devolve serve [FILE|NAME [FILE|NAME]] [--addr 127.0.0.1:8080] [options] (a second scenario is shown beside the first, on common random numbers)", stderr)
	o.register(fs, withSeed|withWorkers|withQuiet|withData|withSampling, 0, nil)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.IntVar(&o.trials, "trials", serve.DefaultTrials, "Monte Carlo trials per rerun")
	fs.IntVar(&o.drivers, "drivers", serve.DefaultDrivers, "number of sliders (the top drivers of NPV)")
	pos, err := parseFlags(fs, args, 0, 2)
	if err != nil {
		return err
	}
	name := defaultScenario
	if len(pos) >= 1 {
		name = pos[0]
	}
	if err := o.verify(); err != nil {
		return err
	}
	ld, err := scenarios.LoadContext(ctx, o.findScenario(name))
	if err != nil {
		return err
	}
	c, err := ld.CompileContext(ctx)
	if err != nil {
		return err
	}
	var other *htmlreport.Scenario
	if len(pos) == 2 {
		ldB, err := scenarios.LoadContext(ctx, o.findScenario(pos[1]))
		if err != nil {
			return err
		}
		cB, err := ldB.CompileContext(ctx)
		if err != nil {
			return err
		}
		// Named as devolve compare names them: "(2)" after a name the first has.
		other = &htmlreport.Scenario{Name: uniqueName([]string{ld.Scenario.Name}, ldB.Scenario.Name), Description: ldB.Scenario.Description, Source: ldB.Source, SHA256: ldB.SHA256, Compiled: cB}
	}
	host, _, _ := net.SplitHostPort(o.addr)
	var hosts []string
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		hosts = append(hosts, host) // the name --addr gives is one the page answers to
	}
	run := o.engineDefaults()
	run.Iterations = o.trials
	// The page prints the command that gives its figures: devolve run for
	// one option, devolve compare (same design order, so the same draws)
	// for two.
	command := "devolve run " + serve.ShellQuote(name)
	if other != nil {
		command = "devolve compare " + serve.ShellQuote(name) + " " + serve.ShellQuote(pos[1])
	}
	srv, err := serve.New(htmlreport.Scenario{Name: ld.Scenario.Name, Description: ld.Scenario.Description, Source: ld.Source, SHA256: ld.SHA256, Compiled: c},
		serve.Options{Run: run, Drivers: o.drivers, Version: version, Command: command, Hosts: hosts, Compare: other})
	if err != nil {
		return memoryUsage(err, fmt.Sprintf("%d trials a rerun", o.trials))
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	if !loopbackOnly(host) {
		fmt.Fprintf(stderr, "devolve serve: warning: --addr %s listens beyond this machine (on %s): anyone who can reach it can use the page and its CPU; requests are answered only when they name %s\n",
			o.addr, ln.Addr(), strings.Join(append([]string{"localhost"}, hosts...), " or "))
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: serveHeaderTimeout, ReadTimeout: serveReadTimeout,
		WriteTimeout: serveWriteTimeout, IdleTimeout: serveIdleTimeout, MaxHeaderBytes: serveMaxHeader}
	fmt.Fprintf(stdout, "devolve serve: %s on http://%s/ (Ctrl-C to stop)\n", report.Sanitize(ld.Scenario.Name), ln.Addr())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
		// Stop, then exit as any interrupted command does (130 on SIGINT,
		// as README says).
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		return ctx.Err()
	case err := <-done:
		return err
	}
}

// Limits of serve's connections: a request's header must arrive within
// 10 s and the whole request within 30 s, an answer (a rerun) be written
// within 2 minutes, and an idle keep-alive connection is closed after 60 s;
// headers are at most 64 KiB.
const (
	serveHeaderTimeout = 10 * time.Second
	serveReadTimeout   = 30 * time.Second
	serveWriteTimeout  = 2 * time.Minute
	serveIdleTimeout   = 60 * time.Second
	serveMaxHeader     = 64 << 10
)

// loopbackOnly reports whether listening on host reaches this machine only:
// localhost or a loopback address (not "", which is every interface).
func loopbackOnly(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
