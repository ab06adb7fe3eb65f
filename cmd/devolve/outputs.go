package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/draws"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/sipmath"
	"github.com/devolve-lgr/devolve/render/xlsx"
	"golang.org/x/term"
)

// fileFormats are the output formats written by packages outside
// render/report: an Excel workbook (binary, so never to a terminal)
// and, for run only, a SIPmath 3.0 library (JSON).
var fileFormats = []string{"xlsx", "sipmath"}

// runFormats lists every --format of run and area.
func runFormats() []string { return append(slices.Clone(report.Formats), fileFormats...) }

// compareFormats lists every --format of compare.
func compareFormats() []string { return runFormats() }

// verifyFormat checks what a format needs of the run: a SIPmath library
// is fitted to at least sipmath.MinTrials Monte Carlo trials.
func (o *runOptions) verifyFormat() error {
	if o.format != "sipmath" {
		return nil
	}
	if o.deterministic {
		return errors.New("--format sipmath: needs a Monte Carlo run, not --deterministic")
	}
	if o.precision == "" && o.iterations < sipmath.MinTrials {
		return fmt.Errorf("--format sipmath: needs at least %d iterations (got %d)", sipmath.MinTrials, o.iterations)
	}
	return nil
}

// maxInputBytesForWorkbook bounds the input draws a run keeps only so that
// the workbook's Inputs sheet can summarise them; beyond it the sheet
// gives each distribution's own statistics.
const maxInputBytesForWorkbook = 1e9

// keepInputs reports whether a run of trials trials keeps every input
// draw: for --draws, and for a workbook's assumptions log when the run
// keeps draws anyway (not engine.SecondPass) and the inputs cost at most
// maxInputBytesForWorkbook.
func (o *runOptions) keepInputs(trials, nInputs int, pm engine.PercentileMethod) bool {
	workbook := o.out != "" || o.format == "xlsx"
	return o.draws || workbook && pm == engine.KeptDraws && float64(trials)*float64(nInputs)*8 <= maxInputBytesForWorkbook
}

// errTerminal is returned for a binary format whose stdout is a terminal.
var errTerminal = errors.New("--format xlsx writes a binary workbook: redirect stdout to a file (> results.xlsx) or use --out DIR")

// checkBinaryStdout refuses a binary format on a terminal.
func checkBinaryStdout(format string, stdout io.Writer) error {
	if format != "xlsx" {
		return nil
	}
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return errTerminal
	}
	return nil
}

// renderRun writes a run's results to stdout in the chosen format.
func renderRun(w io.Writer, format string, rep *report.RunReport, res *lgr.Result, withDraws bool) error {
	switch format {
	case "xlsx":
		bw := newBufWriter(w)
		if err := xlsx.WriteRun(bw, rep, res, xlsx.Options{Draws: withDraws}); err != nil {
			return err
		}
		return bw.Flush()
	case "sipmath":
		lib, err := sipmath.FromRun(sipManifest(rep), res)
		if err != nil {
			return err
		}
		return sipmath.Write(w, lib)
	}
	render, ok := report.RunRenderer(format)
	if !ok {
		return fmt.Errorf("unknown format %q", format)
	}
	return render(w, rep)
}

// dataFiles are the files --out DIR writes beside summary.*: the
// workbook; sips.json, the SIPmath library, when the run kept the draws of
// at least sipmath.MinTrials trials (not --deterministic, not a
// second-pass run) and a metalog fits each output; with --draws the draws
// as Parquet.
func dataFiles(rep *report.RunReport, res *lgr.Result, withDraws bool) map[string]func(io.Writer) error {
	files := map[string]func(io.Writer) error{
		"results.xlsx": func(w io.Writer) error { return xlsx.WriteRun(w, rep, res, xlsx.Options{Draws: withDraws}) },
	}
	if !rep.Deterministic {
		if lib, err := sipmath.FromRun(sipManifest(rep), res); err == nil {
			files["sips.json"] = func(w io.Writer) error { return sipmath.Write(w, lib) }
		}
	}
	if withDraws {
		files["draws.parquet"] = func(w io.Writer) error {
			names, cols := draws.Columns(res)
			return draws.WriteParquet(w, manifest(rep), names, cols)
		}
	}
	return files
}

// manifest is the run's identity as stored in data files.
func manifest(rep *report.RunReport) draws.Manifest {
	return draws.Manifest{Scenario: rep.Scenario, Source: rep.Source, ScenarioSHA256: rep.ScenarioSHA256,
		Version: rep.Version, Seed: rep.Seed, Iterations: rep.Iterations}
}

// sipManifest is the run's identity for a SIPmath library, dated now.
func sipManifest(rep *report.RunReport) sipmath.Manifest {
	return sipmath.Manifest{Scenario: rep.Scenario, ScenarioSHA256: rep.ScenarioSHA256, Version: rep.Version,
		Seed: rep.Seed, Iterations: rep.Iterations, Created: time.Now()}
}

// renderCompare writes a comparison in the chosen format.
func renderCompare(w io.Writer, format string, rep *report.CompareReport, names []string, runs []*lgr.Result) error {
	switch format {
	case "xlsx":
		bw := newBufWriter(w)
		if err := xlsx.WriteCompare(bw, rep); err != nil {
			return err
		}
		return bw.Flush()
	case "sipmath":
		lib, err := sipmath.FromRuns(compareSIPManifest(rep, names), names, runs)
		if err != nil {
			return err
		}
		return sipmath.Write(w, lib)
	}
	render, ok := report.CompareRenderer(format)
	if !ok {
		return fmt.Errorf("unknown format %q", format)
	}
	return render(w, rep)
}

// compareFormatOK reports whether format is a known --format of compare.
func compareFormatOK(format string) bool {
	_, ok := report.CompareRenderer(format)
	return ok || slices.Contains(fileFormats, format)
}

// compareFiles are the data files compare --out DIR writes beside the
// charts: the workbook, and sips.json (every option's outputs in one
// coherent SIPmath library) when a library can be fitted.
func compareFiles(rep *report.CompareReport, names []string, runs []*lgr.Result) map[string]func(io.Writer) error {
	files := map[string]func(io.Writer) error{
		"results.xlsx": func(w io.Writer) error { return xlsx.WriteCompare(w, rep) },
	}
	if lib, err := sipmath.FromRuns(compareSIPManifest(rep, names), names, runs); err == nil {
		files["sips.json"] = func(w io.Writer) error { return sipmath.Write(w, lib) }
	}
	return files
}

// compareSIPManifest identifies a comparison in a SIPmath library.
func compareSIPManifest(rep *report.CompareReport, names []string) sipmath.Manifest {
	return sipmath.Manifest{Scenario: "comparison: " + strings.Join(names, " | "), ScenarioSHA256: strings.Join(rep.ScenarioSHA256, ", "),
		Version: rep.Version, Seed: rep.Seed, Iterations: rep.Iterations, Created: time.Now()}
}
