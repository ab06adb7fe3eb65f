package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/devolve-lgr/devolve/explain"
	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/words"
	"github.com/devolve-lgr/devolve/scenarios"
	"github.com/jedib0t/go-pretty/v6/progress"
	"golang.org/x/term"
)

// defaultScenario is the embedded scenario run when no FILE is given.
const defaultScenario = "suffolk"

// maxIterations bounds --iterations and --max-iterations. Past
// keptThreshold the headline percentiles come from a second pass over
// regenerated blocks, whose memory does not grow with trials.
const maxIterations = 10_000_000_000

// defaultMaxIterations caps a run with --precision.
const defaultMaxIterations = 10_000_000

// keptThreshold is the size of the kept headline draws (six float64 per
// trial) past which --exact-percentiles=auto switches to the second pass:
// 256 MiB, about 5.6 million trials.
const keptThreshold = 256 << 20

type runOptions struct {
	commonFlags
	draws         bool
	deterministic bool
	scenario      string
	// precision stopping (cmd_precision.go)
	precision       string
	precisionStat   string
	precisionOutput string
	maxIterations   int
	percentiles     string
	iterationsSet   bool
	fix             map[string]float64
	all             bool
}

// addFlags registers the options shared by run and area, and the common
// flags in extra (run: --data).
func (o *runOptions) addFlags(fs *flag.FlagSet, extra int) {
	o.outFiles = "summary.json, summary.csv, summary.md, results.xlsx, sips.json and the charts (fan, scurve, histogram, waterfall, quality; PNG and SVG)"
	o.register(fs, simulation|withOut|withSampling|withLines|extra, 100_000, runFormats())
	fs.BoolVar(&o.draws, "draws", false, "with --out, also write every trial's inputs and headline outputs to draws.csv and draws.parquet (and a Draws sheet in results.xlsx)")
	fs.BoolVar(&o.deterministic, "deterministic", false, "evaluate once with every input at its median (or stated point value)")
	fs.StringVar(&o.precision, "precision", "", "run until the 95% interval's half-width of --precision-stat is within this target: relative (0.5%) or absolute (£1m, 250k, 0.01), or --max-iterations")
	fs.StringVar(&o.precisionStat, "precision-stat", "mean", "statistic --precision targets: mean, p5, p10, p50, p90, p95 or prob-positive (P(output > 0))")
	fs.StringVar(&o.precisionOutput, "precision-output", "npv", "output --precision targets: npv, one_off_cost, steady_state_saving, five_year_net, bcr or payback_years")
	fs.IntVar(&o.maxIterations, "max-iterations", defaultMaxIterations, "with --precision, the most trials to run")
	fs.StringVar(&o.percentiles, "exact-percentiles", "auto", "how headline percentiles are found: kept (every draw kept, 48 bytes a trial), second-pass (exact, bounded memory, blocks generated twice) or auto (second-pass past 256 MiB of draws)")
	fs.Func("fix", "fix an input at a value, NAME=VALUE (repeatable; input names as in --draws)", fixFlag(&o.fix))
	fs.BoolVar(&o.all, "all", false, fmt.Sprintf("print every line in the tables by line (default: the %d largest; JSON, CSV and xlsx always hold every line)", report.TableRows))
}

// verify checks every run option; any problem is a usage error.
func (o *runOptions) verify() error {
	errs := []error{o.commonFlags.verify()}
	errs = append(errs, o.verifyPrecision()...)
	if o.draws && o.out == "" {
		errs = append(errs, errors.New("--draws: needs --out DIR to write draws.csv into"))
	}
	if err := o.verifyFormat(); err != nil {
		errs = append(errs, err)
	}
	if o.lines && o.deterministic {
		errs = append(errs, errors.New("--lines: needs a Monte Carlo run, not --deterministic"))
	}
	if err := errors.Join(errs...); err != nil {
		return &usageError{err}
	}
	return nil
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	fs := newFlagSet("run", "devolve run [FILE|NAME] [options]", stderr)
	o.addFlags(fs, withData)
	pos, err := parseFlags(fs, args, 0, 1)
	if err != nil {
		return err
	}
	o.iterationsSet = flagSet(fs, "iterations")
	o.scenario = defaultScenario
	if len(pos) == 1 {
		o.scenario = pos[0]
	}
	if err := o.verify(); err != nil {
		return err
	}
	go memoryBudget() // found while the scenario loads (engineDefaults reads it)
	ld, err := scenarios.LoadContext(ctx, o.findScenario(o.scenario))
	if err != nil {
		return err
	}
	return runLoaded(ctx, ld, &o, stdout, stderr)
}

// runLoaded simulates a loaded scenario and writes its results.
func runLoaded(ctx context.Context, ld *scenarios.Loaded, o *runOptions, stdout, stderr io.Writer) error {
	if err := checkBinaryStdout(o.format, stdout); err != nil {
		return &usageError{err}
	}
	c, err := ld.CompileContext(ctx)
	if err != nil {
		return err
	}
	if len(o.fix) > 0 {
		if c, err = c.Fix(o.fix); err != nil {
			return usagef("--fix: %v", err)
		}
	}
	for _, w := range c.Warnings {
		fmt.Fprintf(stderr, "devolve run: warning: %s: %s\n", report.Sanitize(ld.Source), report.Sanitize(w))
	}
	if c, err = o.withLines(c); err != nil {
		return err
	}
	rep := &report.RunReport{Scenario: ld.Scenario.Name, Description: ld.Scenario.Description, Source: ld.Source,
		Version: version, Seed: o.seed, Iterations: o.iterations, ScenarioSHA256: ld.SHA256,
		PriceBase: ld.Scenario.PriceBase, Horizon: c.Years - 1, Deterministic: o.deterministic, Fixed: o.fix, AllRows: o.all}
	if !o.deterministic {
		rep.Sampling = o.sampling.String()
	}

	trials := o.iterations
	if o.precision != "" {
		trials = o.maxIterations
	}
	opt := o.engineDefaults()
	opt.Iterations, opt.KeepInputs = trials, o.draws
	if err := o.engineOptions(c, &opt); err != nil {
		return &usageError{err}
	}
	// Kept draws: six headline outputs per trial, plus every input with
	// --draws (or for a workbook's assumptions log).
	opt.KeepInputs = o.keepInputs(trials, len(c.Model.Inputs), opt.Percentiles)
	var res *lgr.Result
	if o.deterministic {
		res = c.Deterministic()
		rep.Iterations = 1
	} else {
		p, err := c.Plan(opt)
		if err != nil {
			perTrial := 6
			if opt.KeepInputs {
				perTrial += len(c.Model.Inputs)
			}
			return memoryUsage(err, fmt.Sprintf("%d iterations keeping %d values each (drop --draws or use --exact-percentiles=second-pass)", trials, perTrial))
		}
		barTotal := trials
		switch {
		case p.OnePass:
			barTotal += trials / 16 // the pilot's blocks are generated twice
		case p.Percentiles == engine.SecondPass:
			barTotal *= 2 // every block is generated twice
		}
		stopBar := startProgress(stderr, o.quiet, barTotal, &p.Options)
		res, err = c.RunPlan(ctx, p)
		stopBar()
		if err != nil {
			return err
		}
	}
	// A non-finite headline output is not a result: it names its input.
	if err := res.CheckFinite(); err != nil {
		return fielderr.InFile(ld.Source, err)
	}
	rep.Summary = res.Summarize()
	if rep.YearLines, err = o.yearLines(res); err != nil {
		return fielderr.InFile(ld.Source, err)
	}
	rep.Basis = words.Basis(ld.Scenario, c.Years-1)
	rep.Inputs = report.InputRows(c)
	if !o.deterministic {
		rep.Iterations = res.Raw.Iterations
		o.describeRun(rep, res)
		if o.out != "" || o.format == "xlsx" { // the workbook states the judgement share
			if rep.Judgement, err = explain.Judgement(c, o.seed); err != nil {
				return err
			}
		}
	}

	if err := ctx.Err(); err != nil {
		return err
	}
	if o.out != "" {
		if err := writeOutputs(ctx, o.out, rep, res, o.draws); err != nil {
			return err
		}
	}
	return renderRun(stdout, o.format, rep, res, o.draws)
}

// startProgress shows a go-pretty progress bar on stderr when it is a
// terminal and the run lasts more than a second. It returns a function that
// stops the bar.
func startProgress(stderr io.Writer, quiet bool, total int, opt *engine.Options) func() {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	var done atomic.Int64
	opt.Progress = func(n int) { done.Store(int64(n)) }
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-stop:
			return
		case <-time.After(time.Second):
		}
		pw := progress.NewWriter()
		pw.SetOutputWriter(f)
		pw.SetUpdateFrequency(100 * time.Millisecond)
		pw.SetAutoStop(false)
		pw.SetTrackerPosition(progress.PositionRight)
		tr := &progress.Tracker{Message: "trials", Total: int64(total), Units: progress.UnitsDefault}
		pw.AppendTracker(tr)
		go pw.Render()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				tr.SetValue(done.Load())
				tr.MarkAsDone()
				time.Sleep(150 * time.Millisecond)
				pw.Stop()
				return
			case <-tick.C:
				tr.SetValue(done.Load())
			}
		}
	}()
	return func() { close(stop); <-finished }
}

// writeOutputs writes every output file and chart as one set (writeSet): a
// failure or an interruption writes nothing, a concurrent run never leaves
// a mixed set, and only an earlier set's own files are replaced.
func writeOutputs(ctx context.Context, dir string, rep *report.RunReport, res *lgr.Result, draws bool) error {
	files := chart.Files(chart.RunFigures(rep.Scenario, res, &rep.Summary), chart.Formats...)
	files["summary.json"] = func(w io.Writer) error { return report.WriteJSON(w, rep) }
	files["summary.md"] = func(w io.Writer) error {
		r, _ := report.RunRenderer("markdown")
		return r(w, rep)
	}
	files["summary.csv"] = func(w io.Writer) error {
		r, _ := report.RunRenderer("csv")
		return r(w, rep)
	}
	if draws {
		files["draws.csv"] = func(w io.Writer) error { return writeDraws(w, rep, res) }
	}
	for name, write := range dataFiles(rep, res, draws) {
		files[name] = write
	}
	return writeSet(ctx, dir, files, newManifest(ctx, "run", rep.Seed, rep.Iterations,
		scenID{Name: rep.Scenario, Source: rep.Source, SHA256: rep.ScenarioSHA256}))
}

// writeDraws writes one CSV row per trial: every input draw and the
// headline outputs.
func writeDraws(w io.Writer, rep *report.RunReport, res *lgr.Result) error {
	bw := newBufWriter(w)
	m := res.C.Model
	bw.WriteString("trial")
	for _, h := range lgr.Headlines {
		bw.WriteString("," + h.String())
	}
	for _, in := range m.Inputs {
		bw.WriteString("," + report.CSVField(in.Name))
	}
	bw.WriteString("\n")
	cols := make([][]float64, len(lgr.Headlines))
	for i, h := range lgr.Headlines {
		cols[i] = res.Headline(h)
	}
	buf := make([]byte, 0, 32)
	for t := 0; t < res.Raw.Iterations; t++ {
		bw.WriteString(strconv.Itoa(t))
		for _, c := range cols {
			buf = strconv.AppendFloat(append(buf[:0], ','), c[t], 'g', 10, 64)
			bw.Write(buf)
		}
		for _, c := range res.Raw.Inputs {
			buf = strconv.AppendFloat(append(buf[:0], ','), c[t], 'g', 10, 64)
			bw.Write(buf)
		}
		bw.WriteString("\n")
	}
	return bw.Flush()
}
