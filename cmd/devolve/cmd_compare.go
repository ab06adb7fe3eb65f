package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/explain"
	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/words"
	"github.com/devolve-lgr/devolve/scenarios"
)

type compareOptions struct {
	commonFlags
	switching    bool
	switchTrials int
	groups       string
	fix          map[string]float64
}

func (o *compareOptions) verify(files []string) error {
	errs := []error{o.commonFlags.verify()}
	if !compareFormatOK(o.format) {
		errs = append(errs, usagef("--format: must be one of %s (got %q)", strings.Join(compareFormats(), ", "), o.format))
	}
	if err := checkTrials("--switch-trials", o.switchTrials, 10); err != nil {
		errs = append(errs, err)
	}
	if _, err := lgr.GroupKey(o.groups, "x"); err != nil {
		errs = append(errs, usagef("--groups: %v", err))
	}
	return errors.Join(errs...)
}

func cmdCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o compareOptions
	fs := newFlagSet("compare", "devolve compare A B [C ...] [options]", stderr)
	o.outFiles = "the charts (fan, scurve; PNG and SVG) and results.xlsx"
	o.register(fs, simulation|withOut|withSampling|withData|withLines, 100_000, compareFormats())
	fs.BoolVar(&o.switching, "switching", false, "also find, per input group, the value at which the preferred option changes")
	fs.IntVar(&o.switchTrials, "switch-trials", 5_000, "trials per switching-value evaluation (at least 10)")
	fs.StringVar(&o.groups, "groups", "category", "input grouping for --switching: "+strings.Join(lgr.GroupModes, ", "))
	fs.Func("fix", "fix an input at a value in every option that has it, NAME=VALUE (repeatable; input names as in run --draws)", fixFlag(&o.fix))
	files, err := parseFlags(fs, args, 2, -1)
	if err != nil {
		return err
	}
	if err := o.verify(files); err != nil {
		return err
	}
	if err := checkBinaryStdout(o.format, stdout); err != nil {
		return &usageError{err}
	}
	var comps []*lgr.Compiled
	var names, sources, sums []string
	var errs []error
	for _, f := range files {
		ld, err := scenarios.LoadContext(ctx, o.findScenario(f))
		if err == nil {
			var c *lgr.Compiled
			if c, err = ld.CompileContext(ctx); err == nil {
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
		return errors.Join(errs...)
	}
	if len(o.fix) > 0 {
		if comps, err = lgr.FixEach(comps, o.fix); err != nil {
			return usagef("--fix: %v", err)
		}
	}
	for i, c := range comps {
		for _, w := range c.Warnings {
			fmt.Fprintf(stderr, "devolve compare: warning: %s: %s\n", report.Sanitize(sources[i]), report.Sanitize(w))
		}
	}
	// Under Sobol sampling every option gives an input the same design
	// dimension (common random numbers); the options' runs are held at
	// once, so their memory is checked together before any runs.
	opt := o.engineDefaults()
	opt.DesignOrder = lgr.DesignOrder(comps...)
	what := fmt.Sprintf("%d options of %d iterations", len(files), o.iterations)
	plans := make([]*engine.Plan, len(comps))
	lined := make([]*lgr.Compiled, len(comps)) // with each line's flows by year where asked
	each := opt
	each.MemoryLimit = 0 // checked together below
	for i, c := range comps {
		if lined[i], err = o.withLines(c); err != nil {
			return err
		}
		if plans[i], err = lined[i].Plan(each); err != nil {
			return err
		}
	}
	if err := engine.CheckMemory(opt.MemoryLimit, plans...); err != nil {
		return memoryUsage(err, what)
	}
	var runs []*lgr.Result
	var yls []*lgr.YearLines
	for i := range comps {
		res, err := lined[i].RunPlan(ctx, plans[i])
		if err != nil {
			return err
		}
		// A non-finite option is not ranked: it is an error in its inputs.
		if err := res.CheckFinite(); err != nil {
			return fielderr.InFile(sources[i], err)
		}
		runs = append(runs, res)
		yl, err := o.yearLines(res)
		if err != nil {
			return fielderr.InFile(sources[i], err)
		}
		yls = append(yls, yl)
	}
	rep := &report.CompareReport{Version: version, Seed: o.seed, Iterations: o.iterations, ScenarioSHA256: sums,
		Comparison: lgr.Compare(names, sources, runs), Basis: words.Basis(comps[0].Scenario, comps[0].Years-1), Fixed: o.fix}
	if o.lines {
		rep.YearLines = yls
	}
	if o.switching {
		sw, err := preferenceSwitches(ctx, comps, names, &o)
		if err != nil {
			return err
		}
		rep.Switching, rep.SwitchTrials = sw, o.switchTrials
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.out != "" {
		figs := append(chart.CompareFigures(names, runs), chart.DiffFigures(rep.Comparison, chart.FirstYear(runs[0]))...)
		files := chart.Files(figs, chart.Formats...)
		for name, write := range compareFiles(rep, names, runs) {
			files[name] = write
		}
		ids := make([]scenID, len(names))
		for i := range names {
			ids[i] = scenID{Name: names[i], Source: sources[i], SHA256: sums[i]}
		}
		if err := writeSet(ctx, o.out, files, newManifest(ctx, "compare", o.seed, o.iterations, ids...)); err != nil {
			return err
		}
	}
	return renderCompare(stdout, o.format, rep, names, runs)
}

// preferenceSwitches finds, for each pair (first option, other option) and
// each input group, where the mean and median of NPV_B - NPV_A cross zero.
func preferenceSwitches(ctx context.Context, comps []*lgr.Compiled, names []string, o *compareOptions) ([]report.PairSwitchRow, error) {
	var out []report.PairSwitchRow
	a := comps[0]
	for j := 1; j < len(comps); j++ {
		sws, err := explain.SwitchingBetween(ctx, a, comps[j], explain.Options{Groups: o.groups, Seed: o.seed, Workers: o.workers, SwitchTrials: o.switchTrials})
		if err != nil {
			return nil, err
		}
		for _, row := range switchRows(sws.Switches) {
			out = append(out, report.PairSwitchRow{A: names[0], B: names[j], Label: sws.Labels[row.Input], Unit: sws.Units[row.Input], SwitchRow: row})
		}
	}
	return out, nil
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
