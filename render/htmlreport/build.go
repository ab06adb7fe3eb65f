package htmlreport

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/explain"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/words"
)

// Scenario is one compiled option to report on, with its provenance.
type Scenario struct {
	Name, Description, Source, SHA256 string
	Compiled                          *lgr.Compiled
}

// Options configures Build; zero values mean the defaults named.
type Options struct {
	// Run is every scenario's run: iterations (0: engine.DefaultIterations),
	// seed (shared by every scenario: common random numbers), workers,
	// sampling and memory limit, as devolve run takes them (the command
	// starts from engine.Defaults). Build keeps every input's draws (for
	// the assumptions log and sensitivity) and orders the Sobol' design
	// over every scenario's inputs (lgr.DesignOrder), as devolve compare.
	Run engine.Options
	// Version is the program version recorded in the manifest.
	Version string
}

// Assumption is one input in the assumptions log.
type Assumption struct {
	// Name is the model input's name; Label, Path, Unit, Source and
	// Evidence are what the compiler registered with it (lgr.InputInfo).
	Name, Label, Path string
	Unit              lgr.Unit
	Source, Evidence  string
	Judgement         bool
	// Distribution describes the input by its family and percentiles
	// (words.Describe).
	Distribution string
	P5, P50, P95 float64
	Fixed        bool
	// Spearman is the rank correlation of the input's draws with NPV over
	// the run; Low and High are NPV (£) with the input at its P10 and P90
	// and every other input at its median; Swing is |High - Low|.
	Spearman, Low, High, Swing float64
}

// CorrPair is a rank correlation the scenario states between two inputs
// (the target the engine induces; after any nearest-valid fix).
type CorrPair struct {
	A, B string
	Rank float64
}

// Option is the reported run of one scenario.
type Option struct {
	Scenario
	Correlations []CorrPair
	Summary      lgr.Summary
	Headline     Headline
	Assumptions  []Assumption
	// Basis says what NPV means (words.Basis); Judgement is the share of
	// NPV's variance resting on inputs marked JUDGEMENT (nil: none is).
	Basis     string
	Judgement *explain.JudgementShare
	Figures   []chart.Figure
	// YearLines are the costs and savings by year, in real terms
	// (lgr.YearLines).
	YearLines *lgr.YearLines
	// SVG holds each figure's inline SVG, by figure name.
	SVG map[string]string
}

// Report is everything the HTML page shows.
type Report struct {
	Version    string
	Seed       uint64
	Iterations int
	Options    []Option
	// Comparison and its figures, with two or more scenarios.
	Comparison *lgr.Comparison
	CompareSVG map[string]string
	// DiffFigures are the paired difference fans, one per pair.
	DiffFigures []chart.Figure
}

// Build runs every scenario with the same seed (common random numbers) and
// measures what the report shows. It stops with ctx's error if cancelled.
func Build(ctx context.Context, scs []Scenario, opt Options) (*Report, error) {
	run := opt.Run
	if run.Iterations <= 0 {
		run.Iterations = engine.DefaultIterations
	}
	run.KeepInputs = true
	var comps []*lgr.Compiled
	for _, sc := range scs {
		// With each line's flows by year: every other output is unchanged.
		comps = append(comps, sc.Compiled.WithLineYears())
	}
	run.DesignOrder = lgr.DesignOrder(comps...)
	// Every run is held until the page is written: plan them all, and
	// check their memory together, before running any.
	plans := make([]*engine.Plan, len(scs))
	each := run
	each.MemoryLimit = 0
	for i, c := range comps {
		p, err := c.Plan(each)
		if err != nil {
			return nil, err
		}
		plans[i] = p
	}
	if err := engine.CheckMemory(run.MemoryLimit, plans...); err != nil {
		return nil, err
	}
	rep := &Report{Version: opt.Version, Seed: run.Seed, Iterations: run.Iterations}
	var runs []*lgr.Result
	var names, sources []string
	for i, sc := range scs {
		res, err := comps[i].RunPlan(ctx, plans[i])
		if err != nil {
			return nil, err
		}
		o, err := option(sc, res, run.Seed)
		if err != nil {
			return nil, err
		}
		rep.Options = append(rep.Options, o)
		runs = append(runs, res)
		names = append(names, sc.Name)
		sources = append(sources, sc.Source)
	}
	if len(scs) > 1 {
		cmp := lgr.Compare(names, sources, runs)
		rep.Comparison = &cmp
		rep.DiffFigures = chart.DiffFigures(cmp, chart.FirstYear(runs[0]))
		svg, err := inlineAll(append(chart.CompareFigures(names, runs), rep.DiffFigures...))
		if err != nil {
			return nil, err
		}
		rep.CompareSVG = svg
	}
	return rep, nil
}

// option measures one scenario's run.
func option(sc Scenario, res *lgr.Result, seed uint64) (Option, error) {
	c := sc.Compiled
	s := res.Summarize()
	first := 0
	if len(s.Years) > 0 {
		first = s.Years[0].CalendarYear
	}
	o := Option{Scenario: sc, Summary: s,
		Headline: NewHeadline(sc.Name, res.Draws("npv"), res.Draws("payback_years"), c.Years-1, first)}
	if res.C.OutLineYear >= 0 {
		yl, err := res.YearLines(lgr.Real, nil, "")
		if err != nil {
			return Option{}, err
		}
		o.YearLines = yl
	}
	if cr := c.Model.Correlation; cr != nil {
		for i := range cr.Inputs {
			for j := i + 1; j < len(cr.Inputs); j++ {
				if r := cr.Rank[i][j]; r != 0 {
					o.Correlations = append(o.Correlations, CorrPair{c.Inputs[cr.Inputs[i]].Label, c.Inputs[cr.Inputs[j]].Label, r})
				}
			}
		}
	}
	var err error
	if o.Assumptions, err = Assumptions(c, res); err != nil {
		return o, err
	}
	o.Basis = words.Basis(c.Scenario, c.Years-1)
	if o.Judgement, err = explain.Judgement(c, seed); err != nil {
		return o, err
	}
	o.Figures = chart.RunFigures(sc.Name, res, &s)
	var sw []chart.Swing
	for _, a := range o.Assumptions {
		if !a.Fixed {
			sw = append(sw, chart.Swing{Name: a.Label, Low: a.Low, High: a.High, Base: baseNPV(c)})
		}
	}
	o.Figures = append(o.Figures, chart.SensitivityFigures("NPV", sw, nil)...)
	o.SVG, err = inlineAll(o.Figures)
	return o, err
}

// baseNPV is NPV with every input at its median.
func baseNPV(c *lgr.Compiled) float64 {
	return c.Model.EvalAt(c.Model.Medians())[c.OutNPV]
}

// Assumptions lists every input of the model with its distribution, its
// rank correlation with NPV over the run (which must have kept its inputs)
// and its one-at-a-time swing, largest swing first (fixed inputs last).
func Assumptions(c *lgr.Compiled, res *lgr.Result) ([]Assumption, error) {
	m := c.Model
	infl, err := explain.Inputs(c, res)
	if err != nil {
		return nil, err
	}
	out := make([]Assumption, len(m.Inputs))
	for i, in := range m.Inputs {
		d := in.Dist
		info := c.Inputs[i]
		x := infl[i]
		out[i] = Assumption{Name: in.Name, Label: info.Label, Path: info.Path, Unit: info.Unit, Source: info.Source,
			Evidence: info.Evidence(), Judgement: info.Judgement, Distribution: words.Describe(d, info.Unit), Fixed: x.Fixed,
			P5: d.Quantile(0.05), P50: d.Quantile(0.5), P95: d.Quantile(0.95),
			Spearman: x.Spearman, Low: x.Low, High: x.High, Swing: x.Swing}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Fixed != out[j].Fixed {
			return !out[i].Fixed
		}
		return out[i].Swing > out[j].Swing
	})
	return out, nil
}

// inlineAll renders every figure as inline SVG.
func inlineAll(figs []chart.Figure) (map[string]string, error) {
	m := map[string]string{}
	for _, f := range figs {
		s, err := InlineSVG(f)
		if err != nil {
			return nil, err
		}
		m[f.Name] = s
	}
	return m, nil
}

// InlineSVG renders a figure as an <svg> element for inline use in HTML:
// no XML prolog, scaled to its container, labelled for screen readers.
func InlineSVG(f chart.Figure) (string, error) {
	var b bytes.Buffer
	if err := f.Write(&b, "svg"); err != nil {
		return "", err
	}
	s := b.String()
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", fmt.Errorf("htmlreport: chart %s: no <svg> element", f.Name)
	}
	s = s[i:]
	label := strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(f.Title)
	s = "<svg class=\"chart\" role=\"img\" aria-label=\"" + label + "\" data-chart=\"" + f.Name + "\"" + s[len("<svg"):]
	return s, nil
}
