package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/internal/chart"
	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/model/sensitivity"
	"github.com/devolve-lgr/devolve/scenarios"
)

// sensitivityOutputs are the outputs sensitivity can analyse (finite in
// every trial; payback can be "never").
var sensitivityOutputs = []string{"npv", "one_off_cost", "steady_state_saving", "five_year_net", "bcr"}

var sensitivityMethods = []string{"tornado", "rank", "sobol", "switching", "all"}

type sensitivityOptions struct {
	output, method, groups, format string
	n, rankTrials, switchTrials    int
	seed                           uint64
	workers                        int
	out                            string
}

func (o *sensitivityOptions) verify() error {
	var errs []error
	if !contains(sensitivityOutputs, o.output) {
		errs = append(errs, fmt.Errorf("--output: must be one of %s (got %q)", strings.Join(sensitivityOutputs, ", "), o.output))
	}
	for _, m := range strings.Split(o.method, ",") {
		if !contains(sensitivityMethods, m) {
			errs = append(errs, fmt.Errorf("--method: must be one or more of %s (got %q)", strings.Join(sensitivityMethods, ", "), m))
		}
	}
	if _, err := lgr.GroupKey(o.groups, "x"); err != nil {
		errs = append(errs, fmt.Errorf("--groups: %v", err))
	}
	if o.n < 16 || o.n > 1<<22 {
		errs = append(errs, fmt.Errorf("--n: Sobol base sample must be between 16 and %d (got %d)", 1<<22, o.n))
	}
	if o.rankTrials < 10 || o.switchTrials < 10 {
		errs = append(errs, errors.New("--rank-trials, --switch-trials: at least 10"))
	}
	if _, ok := report.SensitivityRenderer(o.format); !ok {
		errs = append(errs, fmt.Errorf("--format: must be one of %s (got %q)", strings.Join(report.Formats, ", "), o.format))
	}
	return errors.Join(errs...)
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func cmdSensitivity(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o sensitivityOptions
	fs := flag.NewFlagSet("sensitivity", flag.ContinueOnError)
	fs.StringVar(&o.output, "output", "npv", "output to explain: "+strings.Join(sensitivityOutputs, ", "))
	fs.StringVar(&o.method, "method", "all", "tornado, rank, sobol, switching or all (comma-separated)")
	fs.StringVar(&o.groups, "groups", "category", "input grouping: "+strings.Join(lgr.GroupModes, ", ")+" (docs/SENSITIVITY.md)")
	fs.IntVar(&o.n, "n", 1<<14, "Sobol base sample size")
	fs.IntVar(&o.rankTrials, "rank-trials", 20_000, "trials of the run behind the rank correlations")
	fs.IntVar(&o.switchTrials, "switch-trials", 10_000, "trials per switching-value evaluation")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed")
	fs.IntVar(&o.workers, "workers", 0, "worker goroutines (0: all cores)")
	fs.StringVar(&o.format, "format", "table", "output format: table, json, csv or markdown")
	fs.StringVar(&o.out, "out", "", "also write the charts (tornado, sobol; PNG and SVG) into this directory")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: devolve sensitivity [FILE|NAME] [options]")
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
		fmt.Fprintln(stderr, "devolve sensitivity: one scenario at a time")
		return exitUsage
	}
	if err := o.verify(); err != nil {
		fmt.Fprintf(stderr, "devolve sensitivity: %v\n", err)
		return exitUsage
	}
	render, _ := report.SensitivityRenderer(o.format)
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
	rep, err := analyse(ctx, c, &o)
	if err != nil {
		fmt.Fprintf(stderr, "devolve sensitivity: %v\n", err)
		return exitFailure
	}
	rep.Scenario, rep.Source, rep.ScenarioSHA256, rep.Version = ld.Scenario.Name, ld.Source, ld.SHA256, version
	if o.out != "" {
		if err := chart.WriteFiles(o.out, chart.Files(sensitivityFigures(rep), chart.Formats...)); err != nil {
			fmt.Fprintf(stderr, "devolve sensitivity: %v\n", err)
			return exitFailure
		}
	}
	if err := render(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "devolve sensitivity: %v\n", err)
		return exitFailure
	}
	return exitOK
}

func analyse(ctx context.Context, c *lgr.Compiled, o *sensitivityOptions) (*report.SensitivityReport, error) {
	m := c.Model
	k := m.Output(o.output)
	rep := &report.SensitivityReport{Output: o.output, Groups: o.groups, Seed: o.seed, Fixed: []string{}}
	names := make([]string, len(m.Inputs))
	fixed := func(i int) bool { _, ok := m.Inputs[i].Dist.(dist.Fixed); return ok }
	for i, in := range m.Inputs {
		names[i] = in.Name
		if fixed(i) {
			rep.Fixed = append(rep.Fixed, in.Name)
		}
	}
	key := func(n string) string { g, _ := lgr.GroupKey(o.groups, n); return g }
	groups := sensitivity.GroupBy(names, key, fixed)
	want := func(method string) bool {
		if len(groups) == 0 { // every input fixed: nothing to explain
			return false
		}
		return strings.Contains(","+o.method+",", ","+method+",") || o.method == "all"
	}
	f := sensitivity.ModelFunc(m, k)
	dists := sensitivity.Dists(m)
	if want("tornado") {
		for _, s := range sensitivity.Tornado(f, dists, groups) {
			rep.Tornado = append(rep.Tornado, report.TornadoRow{Input: s.Name, Low: s.Low, High: s.High, Base: s.Base, Swing: s.Swing})
		}
	}
	if want("rank") {
		res, err := engine.Run(ctx, m, engine.Options{Iterations: o.rankTrials, Seed: o.seed, Workers: o.workers, Keep: []int{k}, KeepInputs: true})
		if err != nil {
			return nil, err
		}
		rho, err := sensitivity.RankCorrelations(res, res.Kept[0])
		if err != nil {
			return nil, err
		}
		rep.RankTrials = o.rankTrials
		for i, r := range rho {
			if !fixed(i) {
				rep.Rank = append(rep.Rank, report.RankRow{Input: names[i], Spearman: r})
			}
		}
	}
	if want("sobol") {
		res, err := sensitivity.SobolBatch(sensitivity.ModelBatch(m, k), dists, sensitivity.SobolOptions{N: o.n, Seed: o.seed, Groups: groups, Workers: o.workers})
		if err != nil {
			return nil, err
		}
		rep.SobolN, rep.SobolReplicates = res.RowsPerReplicate*res.Replicates, res.Replicates
		for _, ix := range res.Indices {
			rep.Sobol = append(rep.Sobol, report.SobolRow{Input: ix.Name, S1: ix.S1, S1Lo: ix.S1Lo, S1Hi: ix.S1Hi,
				ST: ix.ST, STLo: ix.STLo, STHi: ix.STHi, S1Zero: ix.Zero1, STZero: ix.ZeroT})
		}
	}
	if want("switching") {
		sws, err := sensitivity.SwitchingValues(ctx, m, k, groups, sensitivity.SwitchOptions{Trials: o.switchTrials, Seed: o.seed, Workers: o.workers})
		if err != nil {
			return nil, err
		}
		rep.SwitchTrials = o.switchTrials
		for _, s := range sws {
			row := report.SwitchRow{Input: s.Name, Statistic: s.Statistic, None: !s.Found, AtP1: s.AtLow, AtP99: s.AtHigh}
			if s.Found {
				v, p := s.Value, s.Percentile
				row.Value, row.Percentile = &v, &p
			}
			rep.Switching = append(rep.Switching, row)
		}
	}
	return rep, nil
}
