package main

import (
	"context"
	"errors"
	"io"
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/model/sensitivity"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/scenarios"
)

// sensitivityOutputs are the outputs sensitivity can analyse (finite in
// every trial; payback can be "never").
var sensitivityOutputs = headlinesBut(lgr.PaybackYears)

var sensitivityMethods = []string{"tornado", "rank", "sobol", "switching", "all"}

type sensitivityOptions struct {
	commonFlags
	output, method, groups      string
	n, rankTrials, switchTrials int
}

func (o *sensitivityOptions) verify() error {
	errs := []error{o.commonFlags.verify()}
	if !contains(sensitivityOutputs, o.output) {
		errs = append(errs, usagef("--output: must be one of %s (got %q)", strings.Join(sensitivityOutputs, ", "), o.output))
	}
	for _, m := range strings.Split(o.method, ",") {
		if !contains(sensitivityMethods, m) {
			errs = append(errs, usagef("--method: must be one or more of %s (got %q)", strings.Join(sensitivityMethods, ", "), m))
		}
	}
	if _, err := lgr.GroupKey(o.groups, "x"); err != nil {
		errs = append(errs, usagef("--groups: %v", err))
	}
	if o.n < 16 || o.n > 1<<22 {
		errs = append(errs, usagef("--n: Sobol base sample must be between 16 and %d (got %d)", 1<<22, o.n))
	}
	if err := checkTrials("--rank-trials", o.rankTrials, 10); err != nil {
		errs = append(errs, err)
	}
	if err := checkTrials("--switch-trials", o.switchTrials, 10); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func cmdSensitivity(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o sensitivityOptions
	fs := newFlagSet("sensitivity", "devolve sensitivity [FILE|NAME] [options]", stderr)
	o.outFiles = "the charts (tornado, sobol; PNG and SVG)"
	o.register(fs, withSeed|withWorkers|withFormat|withQuiet|withOut|withData, 0, report.Formats)
	fs.StringVar(&o.output, "output", "npv", "output to explain: "+strings.Join(sensitivityOutputs, ", "))
	fs.StringVar(&o.method, "method", "all", "tornado, rank, sobol, switching or all (comma-separated)")
	fs.StringVar(&o.groups, "groups", "category", "input grouping: "+strings.Join(lgr.GroupModes, ", ")+" (docs/SENSITIVITY.md)")
	fs.IntVar(&o.n, "n", 1<<14, "Sobol base sample size")
	fs.IntVar(&o.rankTrials, "rank-trials", 20_000, "trials of the run behind the rank correlations")
	fs.IntVar(&o.switchTrials, "switch-trials", 10_000, "trials per switching-value evaluation")
	pos, err := parseFlags(fs, args, 0, 1)
	if err != nil {
		return err
	}
	name := defaultScenario
	if len(pos) == 1 {
		name = pos[0]
	}
	if err := o.verify(); err != nil {
		return err
	}
	render, _ := report.SensitivityRenderer(o.format)
	ld, err := scenarios.LoadContext(ctx, o.findScenario(name))
	if err != nil {
		return err
	}
	c, err := ld.CompileContext(ctx)
	if err != nil {
		return err
	}
	// The Sobol design holds 2 n rows of every input and n (groups + 2)
	// outputs; the rank run keeps every input and one output per trial.
	k := float64(len(c.Model.Inputs))
	need := math.Max(float64(o.n)*(3*k+2)*8, float64(o.rankTrials)*(k+1)*8)
	if err := checkMemory(need, "this analysis"); err != nil {
		return err
	}
	rep, err := analyse(ctx, c, &o)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep.Scenario, rep.Source, rep.ScenarioSHA256, rep.Version = ld.Scenario.Name, ld.Source, ld.SHA256, version
	if o.out != "" {
		m := newManifest(ctx, "sensitivity", rep.Seed, 0, scenID{Name: rep.Scenario, Source: rep.Source, SHA256: rep.ScenarioSHA256})
		if err := writeSet(ctx, o.out, chart.Files(sensitivityFigures(rep), chart.Formats...), m); err != nil {
			return err
		}
	}
	return render(stdout, rep)
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
	if err := ctx.Err(); err != nil {
		return nil, err
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
				rep.Rank = append(rep.Rank, report.RankRow{Input: names[i], Spearman: r, SpearmanMCSE: report.SpearmanMCSE(r, o.rankTrials)})
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if want("sobol") {
		res, err := sensitivity.SobolBatch(sensitivity.ModelBatch(m, k), dists, sensitivity.SobolOptions{N: o.n, Seed: o.seed, Groups: groups, Workers: o.workers, Context: ctx})
		if err != nil {
			return nil, err
		}
		rep.SobolN, rep.SobolReplicates = res.RowsPerReplicate*res.Replicates, res.Replicates
		for _, ix := range res.Indices {
			rep.Sobol = append(rep.Sobol, report.SobolRow{Input: ix.Name, S1: ix.S1, S1Lo: ix.S1Lo, S1Hi: ix.S1Hi,
				ST: ix.ST, STLo: ix.STLo, STHi: ix.STHi, S1Zero: ix.Zero1, STZero: ix.ZeroT})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
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
