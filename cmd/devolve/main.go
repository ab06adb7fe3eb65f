// Command devolve projects the costs, savings, payback and service-quality
// gains of English local government reorganisation by Monte Carlo
// simulation, with honest uncertainty.
//
// Usage:
//
//	devolve run [FILE|NAME] [--iterations N] [--seed S] [--workers W]
//	            [--format table|json|csv|markdown|xlsx|sipmath] [--out DIR] [--draws] [--deterministic]
//	devolve compare A B [C ...] [--iterations N] [--seed S] [--format ...|xlsx|sipmath]
//	devolve sensitivity [FILE|NAME] [--output npv] [--method tornado|rank|sobol|switching|all]
//	            [--groups category|kind|none] [--n 16384] [--format ...]
//	devolve report [FILE|NAME ...] --out report.html [--iterations N] [--seed S]
//	devolve serve [FILE|NAME] [--addr 127.0.0.1:8080] [--seed S]
//	devolve areas [--format table|json]
//	devolve area NAME [--unitaries K | --group "North=A,B" ...] [--add UNITARY] [--write FILE]
//	devolve national --unitaries 1|2|3 [--iterations N] [--format ...]
//	devolve calibrate FILE.csv --column C | --quantiles 10:6m,50:9m,90:25m | --pert A,B,C | --list | --update savings
//	devolve backtest [--format table|json]
//	devolve evidence [--format table|markdown|json|csv] [--out DIR]
//	devolve validate FILE...
//	devolve list
//	devolve config [run options]
//	devolve version
//
// With no FILE, run uses the embedded default scenario (Suffolk, one
// unitary, built from Census 2021 and MHCLG revenue outturn data). NAME may
// be any scenario listed by `devolve list`.
//
// Common options mean the same on every command that takes them:
// --iterations N (1 to 10,000,000,000, and no more than the memory budget
// allows: half the tightest of the process's limits, at most 8 GB; a run
// past it stops before it starts, with exit 2 and the figure), --seed S,
// --sampling (sobol, lhs or mc; the same default for run, compare, report,
// serve, national and bridge), --workers W (0: all cores), --format,
// --quiet (no progress bar) and, for run and area, --out DIR. Those not given as
// flags come from DEVOLVE_* environment variables (DEVOLVE_SEED), then
// devolve.yaml in the working directory, then devolve.yaml in the user's
// config directory, then the built-in defaults; `devolve config` shows
// each and where it came from.
//
// Exit status: 0 success, 1 failure, 2 invalid usage or invalid input
// (including a scenario whose results are not finite numbers), 130 when
// interrupted by SIGINT (Ctrl-C) and 143 by SIGTERM. Errors go to stderr,
// results to stdout; with --out DIR the whole set of files is written to
// temporary files and put in place only when complete, replacing only the
// files of an earlier set that its manifest.json lists, and an interrupted
// run writes nothing. A second signal ends the program at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/report"
)

// version is the program version recorded in every output. Release
// builds stamp it (make build, make dist: -ldflags "-X main.version=...")
// as this base version plus the commit, e.g. 0.1.0+4f2c9a1b3d5e.
var version = "0.1.0"

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		cancel(signalError{s})
		<-sigs // a second signal: stop now
		os.Exit(signalCode(s))
	}()
	if path := os.Getenv("DEVOLVE_CPUPROFILE"); path != "" {
		// For performance work: DEVOLVE_CPUPROFILE=cpu.prof devolve run ...
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	signal.Stop(sigs)
	pprof.StopCPUProfile()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT
)

// signalError is the cause of a context cancelled by a signal.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "interrupted by " + e.sig.String() }

func signalCode(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitInterrupted
}

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
  scale [AREA]      the scale of the integration: councils, systems to migrate and retire, contracts, staff, IT spend
  outcomes [AREA]   productivity (posts removed, enabling spend a resident, measured change) and service quality with its evidence
  calibrate         fit distributions to data or expert judgement; list and update the priors
  backtest          realised outcomes of past reorganisations in devolve's predictive distributions
  evidence          measured effects of England's reorganisations since 2009 on spending (MHCLG outturn)
  bridge CASE       waterfall from a published case (e.g. pwc-ccn-2020) to devolve's projection
  validate FILE...  check scenario files and report every problem
  list              list the embedded scenarios
  config            each of devolve's own settings and where it came from (flag, DEVOLVE_*, devolve.yaml, default)
  version           print the version

Run 'devolve COMMAND -h' for a command's options.
`

// commands maps each command name to its function. A command returns an
// error; exitCode alone turns errors into exit statuses and messages.
var commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"run":         cmdRun,
	"compare":     cmdCompare,
	"sensitivity": cmdSensitivity,
	"report":      cmdReport,
	"serve":       cmdServe,
	"areas":       cmdAreas,
	"area":        cmdArea,
	"national":    cmdNational,
	"scale":       cmdScale,
	"outcomes":    cmdOutcomes,
	"calibrate":   cmdCalibrate,
	"backtest":    cmdBacktest,
	"evidence":    cmdEvidence,
	"bridge":      cmdBridge,
	"validate":    cmdValidate,
	"list":        cmdList,
	"version":     cmdVersion,
	"config":      cmdConfig,
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "--version":
		name = "version"
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "devolve: unknown command %q\n\n%s", name, usage)
		return exitUsage
	}
	return exitCode(ctx, name, cmd(withArgs(ctx, args), rest, stdout, stderr), stderr)
}

func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "devolve version", stderr)
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "devolve %s\n", version)
	return err
}

// usageError is a bad flag, argument or combination of them (exit 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usageError with a formatted message.
func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }

// errReported is returned when the flag package has already printed the
// problem and the usage (exit 2).
var errReported = errors.New("reported")

// Bounds on an error message, whatever the input: at most maxProblems
// lines, each cut to maxLineBytes, so that no file (its lines, a device,
// a huge key) is echoed at length to a terminal or a log.
const (
	maxProblems  = 30
	maxLineBytes = 1500
)

// printProblems writes err's problems (errors.Join leaves, and the lines
// of each) one a line after prefix: control and bidirectional characters
// escaped (report.Sanitize), each line cut to maxLineBytes, and at most
// maxProblems of them, then a count of the rest.
func printProblems(w io.Writer, prefix string, err error) {
	var lines []string
	for _, e := range fielderr.Flatten(err) {
		lines = append(lines, strings.Split(e.Error(), "\n")...)
	}
	for i, l := range lines {
		if i == maxProblems {
			fmt.Fprintf(w, "%s... and %d more problems (fix these first)\n", prefix, len(lines)-maxProblems)
			return
		}
		l = report.Sanitize(l)
		if len(l) > maxLineBytes {
			cut := maxLineBytes
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			l = l[:cut] + fmt.Sprintf("... (%d more bytes)", len(l)-cut)
		}
		fmt.Fprintf(w, "%s%s\n", prefix, l)
	}
}

// exitCode is the one place where errors become exit statuses and messages:
// nil and -h are 0; an interrupted context is 130 (SIGINT) or 143
// (SIGTERM); bad usage, an invalid file or key (fielderr), non-finite
// results (lgr.NonFiniteError) and a run past the memory budget
// (engine.MemoryError) are 2; anything else is 1.
func exitCode(ctx context.Context, cmd string, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errReported):
		return exitUsage
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ctx.Err())):
		fmt.Fprintf(stderr, "devolve %s: interrupted; nothing written\n", cmd)
		var se signalError
		if errors.As(context.Cause(ctx), &se) {
			return signalCode(se.sig)
		}
		return exitInterrupted
	}
	var fileErr *fielderr.FileError
	if errors.As(err, &fileErr) {
		printProblems(stderr, "", err) // each line already names its file
	} else {
		printProblems(stderr, "devolve "+cmd+": ", err)
	}
	var ue *usageError
	var fe *fielderr.FieldError
	var nf *lgr.NonFiniteError
	var me *engine.MemoryError
	if errors.As(err, &ue) || errors.As(err, &fileErr) || errors.As(err, &fe) || errors.As(err, &nf) || errors.As(err, &me) {
		return exitUsage
	}
	return exitFailure
}
