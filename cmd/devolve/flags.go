package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/internal/memlimit"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// newFlagSet returns a FlagSet that prints its errors and the usage line
// (then the flags) to stderr.
func newFlagSet(name, usageLine string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: "+usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args with fs, allowing flags after positional arguments
// (devolve run FILE --iterations N), and returns the positional arguments,
// of which there must be at least minPos and at most maxPos (-1: any).
// After -h it returns flag.ErrHelp; after a bad flag, errReported (the flag
// package has printed the problem).
func parseFlags(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errReported
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	switch {
	case maxPos == 0 && len(pos) > 0:
		return nil, usagef("takes no arguments (got %q)", pos)
	case len(pos) < minPos || (maxPos >= 0 && len(pos) > maxPos):
		want := fmt.Sprintf("%d to %d", minPos, maxPos)
		switch {
		case maxPos < 0:
			want = fmt.Sprintf("at least %d", minPos)
		case minPos == maxPos:
			want = strconv.Itoa(minPos)
		}
		return nil, usagef("expects %s argument(s), got %d %q", want, len(pos), pos)
	}
	return pos, nil
}

// Limits shared by every command: maxIterations (cmd_run.go) bounds every
// trial-count flag; maxWorkers bounds --workers; memoryBudget bounds the
// memory a command's runs may hold. A --workers above the number of cores
// (GOMAXPROCS) is lowered to it.
const maxWorkers = 4096

// commonFlags are the options shared by the commands that simulate, each
// defined here once so that it means the same everywhere.
type commonFlags struct {
	iterations int
	seed       uint64
	workers    int
	format     string
	quiet      bool
	out        string
	sampling   engine.Sampling
	data       string   // directory of the user's scenarios (--data)
	lines      bool     // --lines: costs and savings by year, by successor and by line
	prices     string   // --prices: real or cash view of the lines
	formats    []string // the formats this command accepts
	outFiles   string   // what --out writes, for its help
	// fs is the command's flag set; origins, filled by verify, says where
	// each of devolve's settings came from (settings.go).
	fs      *flag.FlagSet
	origins map[string]origin
}

// Which common flags a command takes.
const (
	withIterations = 1 << iota
	withSeed
	withWorkers
	withFormat
	withQuiet
	withOut
	withSampling
	withData
	withLines
	simulation = withIterations | withSeed | withWorkers | withFormat | withQuiet
)

// register defines the chosen common flags on fs; defIterations is the
// command's default trial count.
func (c *commonFlags) register(fs *flag.FlagSet, which int, defIterations int, formats []string) {
	if c.outFiles == "" {
		c.outFiles = "the output files"
	}
	c.formats, c.fs = formats, fs
	if which&withIterations != 0 {
		fs.IntVar(&c.iterations, "iterations", defIterations, fmt.Sprintf("number of Monte Carlo trials (1 to %d)", maxIterations))
	}
	if which&withSeed != 0 {
		fs.Uint64Var(&c.seed, "seed", 1, "random seed (same seed, same results, whatever the workers)")
	}
	if which&withWorkers != 0 {
		fs.IntVar(&c.workers, "workers", 0, "worker goroutines (0: all cores)")
	}
	if which&withFormat != 0 {
		fs.StringVar(&c.format, "format", "table", "output format: "+strings.Join(formats, ", "))
	}
	if which&withQuiet != 0 {
		fs.BoolVar(&c.quiet, "quiet", false, "no progress bar")
	}
	if which&withOut != 0 {
		fs.StringVar(&c.out, "out", "", "also write "+c.outFiles+" into this directory, all at once (a new or empty directory, or one devolve wrote before)")
	}
	c.sampling = engine.Defaults().Sampling
	if which&withSampling != 0 {
		fs.Var((*samplingValue)(&c.sampling), "sampling", "how each block of 1,024 trials is drawn: mc (plain Monte Carlo), lhs (Latin hypercube) or sobol (Owen-scrambled Sobol'); docs/MODEL.md §1a")
	}
	if which&withLines != 0 {
		fs.BoolVar(&c.lines, "lines", false, "also give gross costs and savings by year, by successor and by line (mean and P5-P95), in every format; keeps each line's flows for the fan trials")
		fs.StringVar(&c.prices, "prices", "real", "with --lines: real (the scenario's price base, as every other figure) or cash (each year's prices, with the scenario's inflation assumption, stated in the output)")
	}
	if which&withData != 0 {
		fs.StringVar(&c.data, "data", "", "directory searched for scenario NAMEs (NAME, NAME.yaml, .yml, .json, .toml) when NAME is not a file, before the embedded scenarios")
	}
	if which&withIterations == 0 {
		c.iterations = 1
	}
}

// samplingValue is --sampling as a flag.Value.
type samplingValue engine.Sampling

func (s *samplingValue) String() string { return engine.Sampling(*s).String() }
func (s *samplingValue) Set(v string) error {
	m, err := engine.ParseSampling(v)
	if err == nil {
		*s = samplingValue(m)
	}
	return err
}

// verify first gives every common flag not on the command line its value
// from the environment or devolve.yaml (settings.go), then checks the
// common flags; every problem is reported, named as the user gave it
// (--seed, DEVOLVE_SEED or devolve.yaml: seed).
func (c *commonFlags) verify() error {
	if c.fs != nil && c.origins == nil {
		origins, err := applySettings(c.fs)
		if err != nil {
			return err
		}
		c.origins = origins
	}
	var errs []error
	if err := checkTrials(c.name("iterations"), c.iterations, 1); err != nil {
		errs = append(errs, err)
	}
	if c.workers < 0 || c.workers > maxWorkers {
		errs = append(errs, usagef("%s: must be 0 (all cores) to %d (got %d)", c.name("workers"), maxWorkers, c.workers))
	}
	// More workers than cores runs no faster, and each holds a block of
	// every input (55 MB for a 3,000-input file: --workers 4096 ran out of
	// memory): at most one a core. Results are the same for any count.
	c.workers = min(c.workers, runtime.GOMAXPROCS(0))
	if c.formats != nil && !contains(c.formats, c.format) {
		errs = append(errs, usagef("%s: must be one of %s (got %q)", c.name("format"), strings.Join(c.formats, ", "), c.format))
	}
	if strings.TrimSpace(c.out) == "" && c.out != "" {
		errs = append(errs, usagef("%s: give a directory name", c.name("out")))
	}
	if c.prices != "" {
		if _, err := lgr.ParsePrices(c.prices); err != nil {
			errs = append(errs, usagef("--prices: %v", err))
		} else if c.prices == "cash" && !c.lines {
			errs = append(errs, usagef("--prices cash: needs --lines (only the lines by year have a cash view; every other figure is real)"))
		}
	}
	if c.data != "" {
		if st, err := os.Stat(c.data); err != nil || !st.IsDir() {
			errs = append(errs, usagef("%s: %s is not a directory", c.name("data"), c.data))
		}
	}
	return errors.Join(errs...)
}

// name is how the user gave a setting: --KEY, DEVOLVE_KEY or
// "FILE: KEY".
func (c *commonFlags) name(key string) string {
	if o, ok := c.origins[key]; ok {
		return o.label(key)
	}
	return "--" + key
}

// findScenario returns where to read the scenario NAME from (--data).
func (c *commonFlags) findScenario(name string) string { return scenarioIn(c.data, name) }

// checkTrials checks a trial-count flag against [least, maxIterations].
func checkTrials(name string, n, least int) error {
	if n < least || n > maxIterations {
		return usagef("%s: must be between %d and %d (got %d)", name, least, maxIterations, n)
	}
	return nil
}

// memoryBudget is what one command's runs may hold and why
// (internal/memlimit: half the tightest of the process's limits, at most
// 8 GB), found once a process (it reads /proc and the cgroup files: about
// 0.5 ms); a variable so that tests can lower it.
var memoryBudget = sync.OnceValues(memlimit.Budget)

// engineDefaults returns the run options every simulating command, the
// report and the what-if page start from: engine.Defaults with the common
// flags applied, and the memory budget.
func (c *commonFlags) engineDefaults() engine.Options {
	opt := engine.Defaults()
	opt.Iterations, opt.Seed, opt.Workers, opt.Sampling = c.iterations, c.seed, c.workers, c.sampling
	opt.MemoryLimit, _ = memoryBudget()
	return opt
}

// memoryUsage turns a plan's *engine.MemoryError into a usage error that
// says what was asked for, what it needs and where the limit comes from;
// other errors pass through.
func memoryUsage(err error, what string) error {
	var me *engine.MemoryError
	if !errors.As(err, &me) {
		return err
	}
	_, why := memoryBudget()
	if me.Fixed > me.Limit/2 {
		// Fewer trials will not help: the scenario's inputs alone (their
		// inverse tables, each worker's block of them) take most of it.
		return usagef("%s would need %s of memory (limit %s: %s), %s of it whatever the trials: the scenario's inputs (their inverse tables and each worker's block of draws); use fewer inputs, fewer --workers or more memory",
			what, engine.FormatBytes(me.Need), engine.FormatBytes(me.Limit), why, engine.FormatBytes(me.Fixed))
	}
	return usagef("%s would need %s of memory (limit %s: %s); use fewer trials", what, engine.FormatBytes(me.Need), engine.FormatBytes(me.Limit), why)
}

// checkMemory returns a usage error when a run would hold more than the
// memory budget: the check is made before anything is allocated.
func checkMemory(bytes float64, what string) error {
	limit, _ := memoryBudget()
	if bytes > float64(limit) {
		return memoryUsage(&engine.MemoryError{Need: int64(bytes), Limit: limit}, what)
	}
	return nil
}

// finiteFlag checks that a float flag is a finite number.
func finiteFlag(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return usagef("%s: must be a finite number (got %v)", name, v)
	}
	return nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// withLines returns c with its lines by year as outputs when --lines asks
// for them (checking the memory their fan-trial draws need), else c.
func (c *commonFlags) withLines(comp *lgr.Compiled) (*lgr.Compiled, error) {
	if !c.lines {
		return comp, nil
	}
	comp = comp.WithLineYears()
	trials := math.Min(float64(c.iterations), engine.DefaultSampleSize)
	need := trials * float64(len(comp.Lines)*comp.Years) * 4
	if err := checkMemory(need, fmt.Sprintf("--lines (%d lines x %d years for %.0f trials)", len(comp.Lines), comp.Years, trials)); err != nil {
		return nil, err
	}
	return comp, nil
}

// linesView is the --lines view of prices (the scenario's inflation
// assumption, or lgr.DefaultInflation, for cash); nil without --lines.
func (c *commonFlags) linesView() (*lgr.LinesView, error) {
	if !c.lines {
		return nil, nil
	}
	prices, err := lgr.ParsePrices(c.prices)
	if err != nil {
		return nil, err
	}
	return &lgr.LinesView{Prices: prices}, nil
}

// yearLines summarises a run's lines by year in the --prices view, with
// the scenario's inflation assumption (or lgr.DefaultInflation); nil
// without --lines.
func (c *commonFlags) yearLines(res *lgr.Result) (*lgr.YearLines, error) {
	v, err := c.linesView()
	if v == nil || err != nil {
		return nil, err
	}
	return res.Lines(*v)
}
