// Command devolve projects the costs, savings, payback and service-quality
// gains of English local government reorganisation by Monte Carlo
// simulation, with honest uncertainty.
//
// Usage:
//
//	devolve run [FILE|NAME] [--iterations N] [--seed S] [--workers W]
//	            [--format table|json|csv|markdown|xlsx|sipmath] [--out DIR] [--draws] [--deterministic]
//	devolve compare A B [C ...] [--iterations N] [--seed S] [--format ...]
//	devolve sensitivity [FILE|NAME] [--output npv] [--method tornado|rank|sobol|switching|all]
//	            [--groups category|kind|none] [--n 16384] [--format ...]
//	devolve report [FILE|NAME ...] --out report.html [--iterations N] [--seed S]
//	devolve serve [FILE|NAME] [--addr 127.0.0.1:8080] [--seed S]
//	devolve areas [--format table|json]
//	devolve area NAME [--unitaries K | --group "North=A,B" ...] [--add UNITARY] [--write FILE]
//	devolve national --unitaries 1|2|3 [--iterations N] [--format ...]
//	devolve calibrate FILE.csv --column C | --quantiles 10:6m,50:9m,90:25m | --pert A,B,C | --list | --update savings
//	devolve backtest [--format table|json]
//	devolve validate FILE...
//	devolve list
//	devolve version
//
// With no FILE, run uses the embedded default scenario (Suffolk, one
// unitary, built from Census 2021 and MHCLG revenue outturn data). NAME may
// be any scenario listed by `devolve list`.
//
// Exit status: 0 success, 1 failure, 2 invalid usage or invalid scenario.
// Errors go to stderr, results to stdout; with --out DIR every file is
// written whole (temporary file, then rename), and an interrupted run
// (Ctrl-C) writes nothing.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

// version is the program version recorded in every output.
const version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if path := os.Getenv("DEVOLVE_CPUPROFILE"); path != "" {
		// For performance work: DEVOLVE_CPUPROFILE=cpu.prof devolve run ...
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

const usage = `devolve: Monte Carlo projections of local government reorganisation

Commands:
  run [FILE|NAME]   simulate a scenario (default: the embedded default scenario)
  compare A B [C]   compare options on common random numbers (paired differences)
  sensitivity FILE  tornado, rank correlations, Sobol indices and switching values
  report A [B ...]  a self-contained HTML report (--out report.html); several are compared
  serve [FILE]      a local what-if page: sliders for the top drivers rerun the model
  areas             list England's two-tier areas
  area NAME         build (and run, or --write) an area's scenario with K unitaries
  national          run every area and sum: the national picture beside PwC 2020
  calibrate         fit distributions to data or expert judgement; list and update the priors
  backtest          realised outcomes of past reorganisations in devolve's predictive distributions
  bridge CASE       waterfall from a published case (e.g. pwc-ccn-2020) to devolve's projection
  validate FILE...  check scenario files and report every problem
  list              list the embedded scenarios
  version           print the version

Run 'devolve COMMAND -h' for a command's options.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(ctx, rest, stdout, stderr)
	case "compare":
		return cmdCompare(ctx, rest, stdout, stderr)
	case "sensitivity":
		return cmdSensitivity(ctx, rest, stdout, stderr)
	case "report":
		return cmdReport(ctx, rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "areas":
		return cmdAreas(rest, stdout, stderr)
	case "area":
		return cmdArea(ctx, rest, stdout, stderr)
	case "national":
		return cmdNational(ctx, rest, stdout, stderr)
	case "calibrate":
		return cmdCalibrate(rest, stdout, stderr)
	case "backtest":
		return cmdBacktest(rest, stdout, stderr)
	case "bridge":
		return cmdBridge(ctx, rest, stdout, stderr)
	case "validate":
		return cmdValidate(rest, stdout, stderr)
	case "list":
		return cmdList(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "devolve %s\n", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "devolve: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}
