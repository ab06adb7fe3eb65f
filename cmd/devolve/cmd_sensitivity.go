package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/explain"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/model/sensitivity"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/words"
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
	all                         bool
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
	fs.BoolVar(&o.all, "all", false, fmt.Sprintf("print every row of every table (default: the first %d, largest first)", report.TableRows))
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
	if err := checkMemory(float64(explain.NeedBytes(c, o.explainOptions())), "this analysis"); err != nil {
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
	rep.Basis, rep.AllRows = words.Basis(ld.Scenario, c.Years-1), o.all
	if o.out != "" {
		m := newManifest(ctx, "sensitivity", rep.Seed, 0, scenID{Name: rep.Scenario, Source: rep.Source, SHA256: rep.ScenarioSHA256})
		if err := writeSet(ctx, o.out, chart.Files(sensitivityFigures(rep), chart.Formats...), m); err != nil {
			return err
		}
	}
	return render(stdout, rep)
}

// explainOptions are the methods and sizes the flags ask for.
func (o *sensitivityOptions) explainOptions() explain.Options {
	want := func(method string) bool {
		return strings.Contains(","+o.method+",", ","+method+",") || o.method == "all"
	}
	return explain.Options{Output: o.output, Groups: o.groups, Seed: o.seed, Workers: o.workers,
		Tornado: want("tornado"), Rank: want("rank"), Sobol: want("sobol"), Switching: want("switching"),
		RankTrials: o.rankTrials, SobolN: o.n, SwitchTrials: o.switchTrials}
}

// analyse explains c's output as the flags ask, in the report's rows.
func analyse(ctx context.Context, c *lgr.Compiled, o *sensitivityOptions) (*report.SensitivityReport, error) {
	x, err := explain.Explain(ctx, c, o.explainOptions())
	if err != nil {
		return nil, err
	}
	rep := &report.SensitivityReport{Output: x.Output, Groups: x.Groups, Seed: x.Seed, Fixed: x.Fixed,
		RankTrials: x.RankTrials, SobolN: x.SobolN, SobolReplicates: x.SobolReplicates, SwitchTrials: x.SwitchTrials}
	labelGroups(rep, c, o.groups)
	for _, s := range x.Tornado {
		rep.Tornado = append(rep.Tornado, report.TornadoRow{Input: s.Name, Low: s.Low, High: s.High, Base: s.Base, Swing: s.Swing})
	}
	for _, r := range x.Rank {
		rep.Rank = append(rep.Rank, report.RankRow{Input: r.Input, Spearman: r.Spearman, SpearmanMCSE: r.MCSE})
	}
	for _, ix := range x.Sobol {
		rep.Sobol = append(rep.Sobol, report.SobolRow{Input: ix.Name, S1: ix.S1, S1Lo: ix.S1Lo, S1Hi: ix.S1Hi,
			ST: ix.ST, STLo: ix.STLo, STHi: ix.STHi, S1Zero: ix.Zero1, STZero: ix.ZeroT})
	}
	rep.Switching = switchRows(x.Switching)
	return rep, nil
}

// switchRows are switching values as the report's rows.
func switchRows(sws []sensitivity.Switch) []report.SwitchRow {
	var rows []report.SwitchRow
	for _, s := range sws {
		row := report.SwitchRow{Input: s.Name, Statistic: s.Statistic, None: !s.Found, AtP1: s.AtLow, AtP99: s.AtHigh}
		if s.Found {
			v, p := s.Value, s.Percentile
			row.Value, row.Percentile = &v, &p
		}
		rows = append(rows, row)
	}
	return rows
}

// labelGroups names each input and input group of the report in plain
// words, with its unit (a group's first member's).
func labelGroups(rep *report.SensitivityReport, c *lgr.Compiled, mode string) {
	m := c.Model
	names := make([]string, len(m.Inputs))
	for i, in := range m.Inputs {
		names[i] = in.Name
	}
	fixed := func(i int) bool { _, ok := m.Inputs[i].Dist.(dist.Fixed); return ok }
	key := func(n string) string { g, _ := lgr.GroupKey(mode, n); return g }
	rep.Labels, rep.Units = map[string]string{}, map[string]lgr.Unit{}
	for _, in := range c.Inputs { // the rank correlations are by input
		rep.Labels[in.Name], rep.Units[in.Name] = in.Label, in.Unit
	}
	for _, g := range sensitivity.GroupBy(names, key, fixed) {
		rep.Labels[g.Name] = c.GroupLabel(g.Name, g.Members)
		if len(g.Members) > 0 {
			rep.Units[g.Name] = c.Inputs[g.Members[0]].Unit
		}
	}
}
