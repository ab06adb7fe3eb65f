package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/explain"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// RunReport is the documented JSON output of `devolve run` (docs/OUTPUT.md).
type RunReport struct {
	Scenario       string `json:"scenario"`
	Description    string `json:"description,omitempty"`
	Source         string `json:"source"`
	Version        string `json:"version"`
	Seed           uint64 `json:"seed"`
	Iterations     int    `json:"iterations"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	PriceBase      string `json:"price_base,omitempty"`
	Horizon        int    `json:"horizon"`
	Deterministic  bool   `json:"deterministic"`
	// Fixed holds the inputs fixed with --fix (name: value); every other
	// input kept its distribution.
	Fixed map[string]float64 `json:"fixed,omitempty"`
	// AllRows prints every line in the tables by line; by default they
	// show the TableRows largest and say how many more there are (JSON,
	// CSV and the workbook always hold every line).
	AllRows bool `json:"-"`
	// Sampling is the sampling method when it is not plain Monte Carlo:
	// "lhs" or "sobol" (docs/MODEL.md §1a).
	Sampling string `json:"sampling,omitempty"`
	// StoppedBy is what ended the run: "iterations" (the trials asked
	// for), "precision" (the --precision target was reached) or
	// "max-iterations" (it was not, within --max-iterations).
	StoppedBy string `json:"stopped_by,omitempty"`
	// Precision is the --precision rule and what it achieved.
	Precision *PrecisionReport `json:"precision,omitempty"`
	// PercentileMethod is how the headline percentiles were found: "kept"
	// (every draw kept) or "second-pass" (exact, in bounded memory, the
	// blocks generated Passes times).
	PercentileMethod string      `json:"percentile_method,omitempty"`
	Passes           int         `json:"passes,omitempty"`
	Summary          lgr.Summary `json:"summary"`
	// Basis says what NPV means and its horizon, discount rate and price
	// base (words.Basis).
	Basis string `json:"basis,omitempty"`
	// Judgement is the share of NPV's variance resting on inputs marked
	// JUDGEMENT (measured for the workbook and the report; nil otherwise).
	Judgement *explain.JudgementShare `json:"judgement,omitempty"`
	// YearLines (run --lines) are the costs and savings by year, by
	// successor and by line, in real or cash prices.
	YearLines *lgr.YearLines `json:"year_lines,omitempty"`
	// Inputs describes every model input: its name (as in draws.csv and
	// --fix), key path as written, label, unit and footing in evidence.
	Inputs []InputRow `json:"inputs,omitempty"`
}

// InputRow is one model input as the compiler registered it (lgr.InputInfo).
type InputRow struct {
	Name     string `json:"name"`
	Path     string `json:"path"`
	Label    string `json:"label"`
	Unit     string `json:"unit"`
	Evidence string `json:"evidence"` // JUDGEMENT, sourced, built-in default or no source given
	Source   string `json:"source,omitempty"`
}

// InputRows lists c's inputs for the report.
func InputRows(c *lgr.Compiled) []InputRow {
	var out []InputRow
	for _, in := range c.Inputs {
		out = append(out, InputRow{in.Name, in.Path, in.Label, string(in.Unit), in.Evidence(), in.Source})
	}
	return out
}

// lineLabel is a line's label, or its name when it has none.
func lineLabel(l lgr.LineSummary) string {
	if l.Label != "" {
		return l.Label
	}
	return l.Name
}

// PrecisionReport is a precision rule and its outcome: the statistic's
// estimate, its 95% interval [Lo, Hi] and that interval's half-width
// against the target half-width (Target resolved at the stop).
type PrecisionReport struct {
	Target          string  `json:"target"`
	Statistic       string  `json:"statistic"`
	Output          string  `json:"output"`
	MaxIterations   int     `json:"max_iterations"`
	Reached         bool    `json:"reached"`
	Estimate        float64 `json:"estimate"`
	Lo              float64 `json:"lo"`
	Hi              float64 `json:"hi"`
	HalfWidth       float64 `json:"half_width"`
	TargetHalfWidth float64 `json:"target_half_width"`
	Checks          int     `json:"checks"`
	// Trials is how many trials ran; Finite how many the mean is over.
	// Fewer for payback_years, whose mean is over the trials that pay
	// back within the horizon (a payback that never happens has no year).
	Trials int `json:"trials"`
	Finite int `json:"finite_trials,omitempty"`
}

// Formats lists the output formats of the run-like commands.
var Formats = []string{"table", "json", "csv", "markdown"}

// Renderer writes a report in one format; chosen once, after validation.
type Renderer func(w io.Writer, r *RunReport) error

// RunRenderer returns the renderer for a format name, or false.
func RunRenderer(format string) (Renderer, bool) {
	switch format {
	case "table":
		return func(w io.Writer, r *RunReport) error { return runTables(w, r, false) }, true
	case "markdown", "md":
		return func(w io.Writer, r *RunReport) error {
			return markdown(w, func(w io.Writer) error { return runTables(w, r, true) })
		}, true
	case "json":
		return func(w io.Writer, r *RunReport) error { return WriteJSON(w, r) }, true
	case "csv":
		return runCSV, true
	}
	return nil, false
}

// titled is a table with a title printed above it (go-pretty wraps a
// title to the table's width and treats it as a format string).
type titled struct {
	table.Writer
	title  string
	cols   []table.ColumnConfig
	hidden []int
}

// SetColumnConfigs keeps the configs so that render can add hidden columns.
func (t *titled) SetColumnConfigs(cc []table.ColumnConfig) {
	t.cols = cc
	t.Writer.SetColumnConfigs(cc)
}

func newTable(_ io.Writer, title string) *titled {
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	return &titled{Writer: t, title: title}
}

// hide leaves columns (numbered from 1) out of the table, keeping the
// other columns' settings: a deterministic run prints its one value, not
// the percentiles and MCSEs of a single evaluation.
func (t *titled) hide(cols ...int) {
	t.hidden = append(t.hidden, cols...)
}

func render(w io.Writer, t *titled, md bool) error {
	if len(t.hidden) > 0 {
		cc := append([]table.ColumnConfig(nil), t.cols...)
	next:
		for _, h := range t.hidden {
			for i := range cc {
				if cc[i].Number == h {
					cc[i].Hidden = true
					continue next
				}
			}
			cc = append(cc, table.ColumnConfig{Number: h, Hidden: true})
		}
		t.Writer.SetColumnConfigs(cc)
	}
	var s string
	switch {
	case md && t.title != "":
		s = "**" + Sanitize(t.title) + "**\n\n" + t.RenderMarkdown()
	case md:
		s = t.RenderMarkdown()
	case t.title != "":
		s = Sanitize(t.title) + "\n" + t.Render()
	default:
		s = t.Render()
	}
	_, err := fmt.Fprintln(w, s+"\n")
	return err
}

func right(cols ...int) []table.ColumnConfig {
	var cc []table.ColumnConfig
	for _, c := range cols {
		cc = append(cc, table.ColumnConfig{Number: c, Align: text.AlignRight, AlignHeader: text.AlignRight})
	}
	return cc
}

// Plain is a few sentences a policymaker can read.
func Plain(r *RunReport) string {
	s := r.Summary
	var b strings.Builder
	fmt.Fprintf(&b, "Over %d years, the reorganisation's net present value is %s on average (90%% interval %s to %s); ",
		r.Horizon, MoneyErr(s.NPV.Mean, s.NPV.MCSE), MoneyErr(s.NPV.P5, s.NPV.P5MCSE), MoneyErr(s.NPV.P95, s.NPV.P95MCSE))
	fmt.Fprintf(&b, "it is positive in %s of %d simulations. ", PctErr(s.PNPVPositive, s.PNPVPositiveMCSE), r.Iterations)
	fmt.Fprintf(&b, "One-off costs are %s (90%%: %s to %s) and the steady-state net saving is %s a year (90%%: %s to %s). ",
		MoneyErr(s.OneOffCost.Mean, s.OneOffCost.MCSE), MoneyErr(s.OneOffCost.P5, s.OneOffCost.P5MCSE), MoneyErr(s.OneOffCost.P95, s.OneOffCost.P95MCSE),
		MoneyErr(s.SteadyStateSaving.Mean, s.SteadyStateSaving.MCSE), MoneyErr(s.SteadyStateSaving.P5, s.SteadyStateSaving.P5MCSE),
		MoneyErr(s.SteadyStateSaving.P95, s.SteadyStateSaving.P95MCSE))
	if s.PaybackYears.PNever > 0.5 {
		fmt.Fprintf(&b, "In most simulations (%s) costs are not paid back within the horizon.", PctErr(s.PaybackYears.PNever, s.PaybackYears.PNeverMCSE))
	} else {
		fmt.Fprintf(&b, "Costs are paid back by year %s in half the simulations, and within five years in %s.",
			Years(s.PaybackYears.P50), PctErr(s.PPaybackWithin5y, s.PPaybackWithin5yMCSE))
	}
	return b.String()
}

func runTables(w io.Writer, r *RunReport, md bool) error {
	s := r.Summary
	mode := fmt.Sprintf("%d iterations, seed %d", r.Iterations, r.Seed)
	if r.Sampling != "" {
		mode += ", sampling " + r.Sampling
	}
	if r.Deterministic {
		mode = "deterministic: every input at its median"
	}
	fmt.Fprintf(w, "%s (%s)\n%s; prices %s; scenario sha256 %.12s; devolve %s\n", Sanitize(r.Scenario), Sanitize(r.Source), mode, orDash(r.PriceBase), r.ScenarioSHA256, r.Version)
	if line := stopLine(r); line != "" {
		fmt.Fprintln(w, line)
	}
	if len(r.Fixed) > 0 {
		fmt.Fprintln(w, "inputs fixed (--fix): "+fixedList(r.Fixed))
	}
	fmt.Fprintln(w)
	if !r.Deterministic {
		fmt.Fprintln(w, Plain(r))
	}
	if r.Basis != "" {
		fmt.Fprintln(w, r.Basis)
	}
	if r.Judgement != nil {
		fmt.Fprintln(w, JudgementSentence(r.Judgement))
	}
	fmt.Fprintln(w)

	t := newTable(w, "Headline results (real £, "+orDash(r.PriceBase)+" prices)")
	// label names a column; a deterministic run has one value, not a
	// statistic of many.
	label := func(stat, value string) string {
		if r.Deterministic {
			return value
		}
		return stat
	}
	t.AppendHeader(table.Row{"measure", label("mean", "value"), "± MCSE", "P5", "P10", "P50", "P90", "P95"})
	for _, m := range []struct {
		name string
		st   lgr.Stat
		f    func(float64) string
	}{
		{"NPV", s.NPV, Money}, {"one-off cost", s.OneOffCost, Money},
		{"steady-state annual saving", s.SteadyStateSaving, Money},
		{"net over years 0-5", s.FiveYearNet, Money},
		{"benefit-cost ratio", s.BCR, Num},
		{"payback year", s.PaybackYears.Stat, Years},
	} {
		st := m.st
		if m.name == "payback year" {
			// Payback years are whole numbers: shown as they are.
			mean := NumErr(st.Mean, st.MCSE)
			if r.Deterministic {
				mean = Years(st.Mean)
			}
			t.AppendRow(table.Row{m.name, mean, Err(st.MCSE), Years(st.P5), Years(st.P10), Years(st.P50), Years(st.P90), Years(st.P95)})
			continue
		}
		f := MoneyErr
		if m.name == "benefit-cost ratio" {
			f = NumErr
		}
		mcse := m.f(st.MCSE)
		if m.name == "benefit-cost ratio" {
			mcse = Err(st.MCSE)
		}
		t.AppendRow(table.Row{m.name, f(st.Mean, st.MCSE), mcse, f(st.P5, st.P5MCSE), f(st.P10, st.P10MCSE),
			f(st.P50, st.P50MCSE), f(st.P90, st.P90MCSE), f(st.P95, st.P95MCSE)})
	}
	t.SetColumnConfigs(right(2, 3, 4, 5, 6, 7, 8))
	if r.Deterministic { // one evaluation: its value, no spread
		t.hide(3, 4, 5, 6, 7, 8)
	}
	if err := render(w, t, md); err != nil {
		return err
	}
	if !r.Deterministic {
		if err := probabilities(w, &s, md); err != nil {
			return err
		}
	}

	title := fmt.Sprintf("Net cash flow by year (percentiles from the first %d trials)", s.FanTrials)
	if r.Deterministic {
		title = "Net cash flow by year"
	}
	y := newTable(w, title)
	y.AppendHeader(table.Row{"year", "net P5", label("net P50", "net"), "net P95", "cumulative P5", label("cumulative P50", "cumulative"), "cumulative P95"})
	for _, yf := range s.Years {
		label := strconv.Itoa(yf.Year)
		if yf.CalendarYear > 0 {
			label = fmt.Sprintf("%d (%d/%02d)", yf.Year, yf.CalendarYear, (yf.CalendarYear+1)%100)
		}
		y.AppendRow(table.Row{label, MoneyErr(yf.Net.P5, yf.Net.P5MCSE), MoneyErr(yf.Net.P50, yf.Net.P50MCSE), MoneyErr(yf.Net.P95, yf.Net.P95MCSE),
			MoneyErr(yf.Cumulative.P5, yf.Cumulative.P5MCSE), MoneyErr(yf.Cumulative.P50, yf.Cumulative.P50MCSE), MoneyErr(yf.Cumulative.P95, yf.Cumulative.P95MCSE)})
	}
	y.SetColumnConfigs(right(2, 3, 4, 5, 6, 7))
	if r.Deterministic {
		y.hide(2, 4, 5, 7)
	}
	if err := render(w, y, md); err != nil {
		return err
	}

	if len(s.BySuccessor) > 1 {
		b := newTable(w, "By successor")
		b.AppendHeader(table.Row{"successor", "population", label("NPV mean", "NPV"), "NPV P5", "NPV P95"})
		for _, bs := range s.BySuccessor {
			b.AppendRow(table.Row{bs.Name, fmt.Sprintf("%.0f", bs.Population), MoneyErr(bs.NPV.Mean, bs.NPV.MeanMCSE),
				MoneyErr(bs.NPV.P5, bs.NPV.P5MCSE), MoneyErr(bs.NPV.P95, bs.NPV.P95MCSE)})
		}
		b.SetColumnConfigs(right(2, 3, 4, 5))
		if r.Deterministic {
			b.hide(4, 5)
		}
		if err := render(w, b, md); err != nil {
			return err
		}
	}

	lines := append([]lgr.LineSummary{}, s.ByLine...)
	sort.SliceStable(lines, func(i, j int) bool { return abs(lines[i].PVMean) > abs(lines[j].PVMean) })
	l := newTable(w, label("Present value by line (mean, largest first)", "Present value by line (largest first)"))
	l.AppendHeader(table.Row{"line", "kind", label("PV mean", "PV"), "PV sd"})
	n, more := shownRows(len(lines), r.AllRows, "line", "--format json, csv or xlsx")
	for _, ln := range lines[:n] {
		kind := ln.Kind
		if ln.OneOff {
			kind += ", one-off"
		}
		if !ln.Cashable {
			kind += ", non-cashable"
		}
		l.AppendRow(table.Row{lineLabel(ln), kind, MoneyErr(ln.PVMean, ln.PVMCSE), Money(ln.PVSD)})
	}
	l.SetColumnConfigs(right(3, 4))
	if r.Deterministic {
		l.hide(4)
	}
	if err := render(w, l, md); err != nil {
		return err
	}
	fmt.Fprint(w, more)

	if r.YearLines != nil {
		if err := yearLinesTables(w, r.YearLines, r.AllRows, "--format json, csv or xlsx", md); err != nil {
			return err
		}
	}
	if len(s.ServiceQuality) > 0 {
		q := newTable(w, "Service quality (baseline year 0, then the horizon)")
		q.AppendHeader(table.Row{"indicator", "unit", "year 0", label("worst year P50", "worst year"), "final P5", label("final P50", "final"), "final P95", "value PV"})
		for _, qs := range s.ServiceQuality {
			first, last := qs.Years[0], qs.Years[len(qs.Years)-1]
			worst, worstMCSE := first.P50, first.P50MCSE
			for _, yv := range qs.Years {
				if (qs.LowerIsBetter && yv.P50 > worst) || (!qs.LowerIsBetter && yv.P50 < worst) {
					worst, worstMCSE = yv.P50, yv.P50MCSE
				}
			}
			val := MoneyErr(qs.ValuePVMean, qs.ValuePVMCSE)
			if qs.ValuePVMean != 0 && !qs.Cashable {
				val += " (non-cashable)"
			}
			q.AppendRow(table.Row{spaced(qs.Name), qs.Unit, NumErr(first.P50, first.P50MCSE), NumErr(worst, worstMCSE),
				NumErr(last.P5, last.P5MCSE), NumErr(last.P50, last.P50MCSE), NumErr(last.P95, last.P95MCSE), val})
		}
		q.SetColumnConfigs(right(3, 4, 5, 6, 7, 8))
		if r.Deterministic {
			q.hide(5, 7)
		}
		if err := render(w, q, md); err != nil {
			return err
		}
	}
	return nil
}

// probabilities writes the run's probability table.
func probabilities(w io.Writer, s *lgr.Summary, md bool) error {
	p := newTable(w, "Probabilities")
	if md { // a Markdown table needs a header row
		p.AppendHeader(table.Row{"probability", "estimate"})
	}
	p.AppendRows([]table.Row{
		{"P(NPV > 0)", PctErr(s.PNPVPositive, s.PNPVPositiveMCSE)},
		{"P(payback within 5 years)", PctErr(s.PPaybackWithin5y, s.PPaybackWithin5yMCSE)},
		{"P(no payback within the horizon)", PctErr(s.PaybackYears.PNever, s.PaybackYears.PNeverMCSE)},
	})
	return render(w, p, md)
}

// stopLine says what stopped a run and the precision it achieved, and how
// its percentiles were found when not from kept draws; "" when there is
// nothing beyond the iteration count to say.
func stopLine(r *RunReport) string {
	var parts []string
	if p := r.Precision; p != nil {
		f := func(x float64) string { return Money(x) }
		if p.Statistic == "prob-positive" {
			f = func(x float64) string { return fmt.Sprintf("%.2f points", 100*x) }
		} else if p.Output == "bcr" || p.Output == "payback_years" {
			f = func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
		}
		verdict := "target reached"
		if !p.Reached {
			verdict = fmt.Sprintf("target NOT reached within --max-iterations %d", p.MaxIterations)
		}
		what := p.Statistic + " " + p.Output
		if p.Statistic == "mean" && p.Finite < p.Trials {
			// A payback that never happens has no year: the mean, as the
			// headline table's, is over the trials that pay back.
			what += fmt.Sprintf(" (over the %d of %d trials that pay back within the horizon)", p.Finite, p.Trials)
		}
		interval := fmt.Sprintf("95%% interval ±%s (target %s = ±%s)", f(p.HalfWidth), p.Target, f(p.TargetHalfWidth))
		switch {
		case p.Statistic == "mean" && p.Finite < 2:
			interval = "has no interval (fewer than two trials pay back)"
		case math.IsInf(p.Estimate, 1):
			interval = "is never within the horizon, so it has no interval"
		case math.IsNaN(p.HalfWidth) || math.IsInf(p.HalfWidth, 0):
			interval = fmt.Sprintf("95%% interval reaches past the horizon (never), so it has no half-width (target %s)", p.Target)
		}
		parts = append(parts, fmt.Sprintf("stopped by %s: %s %s, %s after %d checks", r.StoppedBy, what, interval, verdict, p.Checks))
	}
	if r.PercentileMethod == "second-pass" {
		parts = append(parts, fmt.Sprintf("percentiles exact by a second pass (blocks generated %d times, memory bounded)", r.Passes))
	}
	return strings.Join(parts, "; ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// runCSV writes one row per statistic: section, name, year, statistic, value.
func runCSV(w io.Writer, r *RunReport) error {
	cw := csv.NewWriter(w)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 12, 64) }
	rows := [][]string{{"section", "name", "year", "statistic", "value"}}
	add := func(sec, name, year, stat string, v float64) {
		rows = append(rows, []string{sec, CSVText(name), year, stat, f(v)})
	}
	s := r.Summary
	for _, h := range []lgr.Headline{lgr.NPV, lgr.OneOffCost, lgr.SteadyStateSaving, lgr.FiveYearNet, lgr.BCR, lgr.PaybackYears} {
		for _, kv := range statPairs(s.Stat(h)) {
			add("summary", h.String(), "", kv.k, kv.v)
		}
	}
	add("summary", "payback_years", "", "p_never", s.PaybackYears.PNever)
	add("summary", "payback_years", "", "p_never_mcse", s.PaybackYears.PNeverMCSE)
	add("summary", "p_npv_positive", "", "value", s.PNPVPositive)
	add("summary", "p_npv_positive", "", "mcse", s.PNPVPositiveMCSE)
	add("summary", "p_payback_within_5y", "", "value", s.PPaybackWithin5y)
	add("summary", "p_payback_within_5y", "", "mcse", s.PPaybackWithin5yMCSE)
	for _, y := range s.Years {
		yr := strconv.Itoa(y.Year)
		for _, b := range []struct {
			n  string
			bd lgr.Band
		}{{"net", y.Net}, {"cumulative", y.Cumulative}} {
			for _, kv := range bandPairs(b.bd) {
				add("years", b.n, yr, kv.k, kv.v)
			}
		}
	}
	for _, b := range s.BySuccessor {
		for _, kv := range bandPairs(b.NPV) {
			if kv.k != "p50" && kv.k != "p50_mcse" {
				add("by_successor", b.Name, "", "npv_"+kv.k, kv.v)
			}
		}
	}
	for _, l := range s.ByLine {
		add("by_line", l.Name, "", "pv_mean", l.PVMean)
		add("by_line", l.Name, "", "pv_sd", l.PVSD)
		add("by_line", l.Name, "", "pv_mcse", l.PVMCSE)
	}
	for _, q := range s.ServiceQuality {
		for _, y := range q.Years {
			yr := strconv.Itoa(y.Year)
			for _, kv := range bandPairs(y.Band) {
				add("service_quality", q.Name, yr, kv.k, kv.v)
			}
		}
	}
	if r.YearLines != nil {
		yearLinesCSV(add, r.YearLines)
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

type kv struct {
	k string
	v float64
}

func statPairs(s lgr.Stat) []kv {
	return []kv{{"mean", s.Mean}, {"mcse", s.MCSE}, {"sd", s.SD}, {"p5", s.P5}, {"p10", s.P10}, {"p50", s.P50}, {"p90", s.P90}, {"p95", s.P95},
		{"p5_mcse", s.P5MCSE}, {"p10_mcse", s.P10MCSE}, {"p50_mcse", s.P50MCSE}, {"p90_mcse", s.P90MCSE}, {"p95_mcse", s.P95MCSE}}
}

func bandPairs(b lgr.Band) []kv {
	return []kv{{"mean", b.Mean}, {"p5", b.P5}, {"p50", b.P50}, {"p95", b.P95},
		{"mean_mcse", b.MeanMCSE}, {"p5_mcse", b.P5MCSE}, {"p50_mcse", b.P50MCSE}, {"p95_mcse", b.P95MCSE}}
}

// fixedList prints fixed inputs as "a=1.5, b=3", sorted by name.
func fixedList(m map[string]float64) string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = Sanitize(n) + "=" + strconv.FormatFloat(m[n], 'g', -1, 64)
	}
	return strings.Join(parts, ", ")
}
