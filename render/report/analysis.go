package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/words"
	"github.com/jedib0t/go-pretty/v6/table"
)

// CompareReport is the documented JSON output of `devolve compare`.
type CompareReport struct {
	Version    string `json:"version"`
	Seed       uint64 `json:"seed"`
	Iterations int    `json:"iterations"`
	// ScenarioSHA256 lists each option's scenario hash, in option order.
	ScenarioSHA256 []string `json:"scenario_sha256"`
	// Basis says what NPV means and its discount rate, price base and
	// horizon (words.Basis), for the first option.
	Basis string `json:"basis,omitempty"`
	lgr.Comparison
	// Switching (with --switching): per input group, where the mean or
	// median of NPV_B - NPV_A crosses zero, i.e. the preferred option changes.
	Switching []PairSwitchRow `json:"switching,omitempty"`
	// YearLines (compare --lines): each option's costs and savings by
	// year, by successor and by line, in option order.
	YearLines    []*lgr.YearLines `json:"year_lines,omitempty"`
	SwitchTrials int              `json:"switch_trials,omitempty"`
	// Fixed holds the inputs fixed with --fix (name: value), each in every
	// option that has it.
	Fixed map[string]float64 `json:"fixed,omitempty"`
}

// PairSwitchRow is a switching value of the difference between two options.
type PairSwitchRow struct {
	A string `json:"a"`
	B string `json:"b"`
	// Label names the input group (SwitchRow.Input, an internal key) in
	// plain words; Unit is its value's unit.
	Label string   `json:"label"`
	Unit  lgr.Unit `json:"unit,omitempty"`
	SwitchRow
}

// CompareRenderer returns the renderer for a format name, or false.
func CompareRenderer(format string) (func(io.Writer, *CompareReport) error, bool) {
	switch format {
	case "table":
		return func(w io.Writer, r *CompareReport) error { return compareTables(w, r, false) }, true
	case "markdown", "md":
		return func(w io.Writer, r *CompareReport) error {
			return markdown(w, func(w io.Writer) error { return compareTables(w, r, true) })
		}, true
	case "json":
		return func(w io.Writer, r *CompareReport) error { return WriteJSON(w, r) }, true
	case "csv":
		return compareCSV, true
	}
	return nil, false
}

// betterCell is P(B better), with the share of tied trials when there are
// any (identical options tie in every trial).
func betterCell(p lgr.PairSummary) string {
	if p.PTie > 0 {
		return PctErr(p.PBBetter, p.PBBetterMCSE) + " (tied " + Pct(p.PTie) + ")"
	}
	return PctErr(p.PBBetter, p.PBBetterMCSE)
}

func compareTables(w io.Writer, r *CompareReport, md bool) error {
	fmt.Fprintf(w, "Comparison on common random numbers: %d iterations, seed %d; devolve %s\n", r.Iterations, r.Seed, r.Version)
	if len(r.Fixed) > 0 {
		fmt.Fprintln(w, "inputs fixed (--fix) in every option that has them: "+fixedList(r.Fixed))
	}
	fmt.Fprintln(w)
	for _, pr := range r.Pairs {
		fmt.Fprintln(w, CompareSentence(pr, r.Iterations))
	}
	if r.Basis != "" {
		fmt.Fprintln(w, r.Basis)
	}
	fmt.Fprintln(w)
	t := newTable(w, "Options")
	t.AppendHeader(table.Row{"option", "NPV mean", "± MCSE", "NPV P5", "NPV P50", "NPV P95", "P(NPV > 0)", "one-off mean", "steady mean", "payback P50", "P(ranks first)"})
	for _, o := range r.Options {
		t.AppendRow(table.Row{o.Name, MoneyErr(o.NPV.Mean, o.NPV.MCSE), Money(o.NPV.MCSE), MoneyErr(o.NPV.P5, o.NPV.P5MCSE),
			MoneyErr(o.NPV.P50, o.NPV.P50MCSE), MoneyErr(o.NPV.P95, o.NPV.P95MCSE), PctErr(o.PNPVPositive, o.PNPVPositiveMCSE), MoneyErr(o.OneOffCost.Mean, o.OneOffCost.MCSE),
			MoneyErr(o.SteadyStateSaving.Mean, o.SteadyStateSaving.MCSE), Years(o.PaybackYears.P50), PctErr(r.PRankFirst[o.Name], r.PRankFirstMCSE[o.Name])})
	}
	t.SetColumnConfigs(right(2, 3, 4, 5, 6, 7, 8, 9, 10, 11))
	if err := render(w, t, md); err != nil {
		return err
	}
	p := newTable(w, "Paired differences, NPV of B minus NPV of A")
	p.AppendHeader(table.Row{"B - A", "mean", "P5", "P50", "P95", "95% ± paired", "95% ± if independent", "P(B better)"})
	for _, pr := range r.Pairs {
		d := pr.DiffNPV
		p.AppendRow(table.Row{pr.B + " - " + pr.A, MoneyErr(d.Mean, d.MCSE), MoneyErr(d.P5, d.P5MCSE), MoneyErr(d.P50, d.P50MCSE), MoneyErr(d.P95, d.P95MCSE),
			Money(pr.PairedHalfwidth), Money(pr.IndependentHalfwidth), betterCell(pr)})
	}
	p.SetColumnConfigs(right(2, 3, 4, 5, 6, 7, 8))
	if err := render(w, p, md); err != nil {
		return err
	}
	for _, pr := range r.Pairs {
		if s := JudgementWarning(pr); s != "" {
			fmt.Fprintf(w, "%s\n\n", s)
		}
	}
	if len(r.Switching) > 0 {
		t := newTable(w, fmt.Sprintf("Switching values: where the preferred option changes (%d trials each)", r.SwitchTrials))
		t.AppendHeader(table.Row{"B - A", "input", "statistic", "value", "percentile", "reading"})
		for _, s := range r.Switching {
			if s.None {
				continue
			}
			better, worse := s.B, s.A
			if s.AtP1 < 0 {
				better, worse = s.A, s.B
			}
			label := s.Label
			if label == "" {
				label = s.Input
			}
			value := words.Value(*s.Value, s.Unit)
			t.AppendRow(table.Row{s.B + " - " + s.A, label, s.Statistic, value, fmt.Sprintf("P%.0f", 100**s.Percentile),
				fmt.Sprintf("%s is preferred below %s, %s above (the input's %s percentile)", better, value, worse, ordinal(100**s.Percentile))})
		}
		none := 0
		for _, s := range r.Switching {
			if s.None {
				none++
			}
		}
		if none < len(r.Switching) {
			if err := render(w, t, md); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "%d of %d (input group, statistic) pairs cannot change the preferred option between the input's P1 and P99.\n\n", none, len(r.Switching))
	}
	for _, pr := range r.Pairs {
		y := newTable(w, "Net cash flow by year, "+pr.B+" minus "+pr.A)
		y.AppendHeader(table.Row{"year", "mean", "P5", "P50", "P95"})
		for _, yd := range pr.Years {
			y.AppendRow(table.Row{yd.Year, Money(yd.Mean), Money(yd.P5), Money(yd.P50), Money(yd.P95)})
		}
		y.SetColumnConfigs(right(2, 3, 4, 5))
		if err := render(w, y, md); err != nil {
			return err
		}
	}
	for i, yl := range r.YearLines {
		if yl == nil || i >= len(r.Options) {
			continue
		}
		if err := yearTotalsTable(w, r.Options[i].Name, yl, md); err != nil {
			return err
		}
	}
	return nil
}

func compareCSV(w io.Writer, r *CompareReport) error {
	fmt.Fprintln(w, "section,name,statistic,value")
	f := func(sec, name, stat string, v float64) {
		fmt.Fprintf(w, "%s,%s,%s,%.12g\n", sec, CSVField(name), stat, v)
	}
	for _, o := range r.Options {
		for _, m := range []struct {
			n  string
			st lgr.Stat
		}{{"npv", o.NPV}, {"one_off_cost", o.OneOffCost}, {"steady_state_saving", o.SteadyStateSaving}} {
			for _, kv := range statPairs(m.st) {
				f("option", o.Name, m.n+"_"+kv.k, kv.v)
			}
		}
		f("option", o.Name, "p_npv_positive", o.PNPVPositive)
		f("option", o.Name, "p_rank_first", r.PRankFirst[o.Name])
	}
	for _, p := range r.Pairs {
		name := p.B + " - " + p.A
		for _, kv := range statPairs(p.DiffNPV) {
			f("pair", name, "diff_npv_"+kv.k, kv.v)
		}
		f("pair", name, "paired_halfwidth", p.PairedHalfwidth)
		f("pair", name, "independent_halfwidth", p.IndependentHalfwidth)
		f("pair", name, "p_b_better", p.PBBetter)
		f("pair", name, "p_tie", p.PTie)
	}
	for i, yl := range r.YearLines {
		if yl == nil || i >= len(r.Options) {
			continue
		}
		for _, y := range yl.Years {
			for _, m := range []struct {
				n  string
				bd lgr.Band
			}{{"costs", y.Costs}, {"savings", y.Savings}, {"net", y.Net}} {
				for _, kv := range []kv{{"mean", m.bd.Mean}, {"p5", m.bd.P5}, {"p50", m.bd.P50}, {"p95", m.bd.P95}} {
					f("year_totals", r.Options[i].Name, fmt.Sprintf("year%d_%s_%s", y.Year, m.n, kv.k), kv.v)
				}
			}
		}
	}
	return nil
}

// SensitivityReport is the documented JSON output of `devolve sensitivity`.
type SensitivityReport struct {
	Scenario       string `json:"scenario"`
	Source         string `json:"source"`
	Version        string `json:"version"`
	Seed           uint64 `json:"seed"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	Output         string `json:"output"`
	Groups         string `json:"groups"`
	// SobolN is the Sobol base sample, split into SobolReplicates
	// independently scrambled replicates whose spread gives the intervals;
	// RankTrials the run behind the rank correlations; SwitchTrials the
	// trials per switching-value evaluation.
	SobolN          int          `json:"sobol_n,omitempty"`
	SobolReplicates int          `json:"sobol_replicates,omitempty"`
	RankTrials      int          `json:"rank_trials,omitempty"`
	SwitchTrials    int          `json:"switch_trials,omitempty"`
	Tornado         []TornadoRow `json:"tornado,omitempty"`
	Rank            []RankRow    `json:"rank,omitempty"`
	Sobol           []SobolRow   `json:"sobol,omitempty"`
	Switching       []SwitchRow  `json:"switching,omitempty"`
	// Fixed lists inputs left out because they have no uncertainty.
	Fixed []string `json:"fixed_inputs"`
	// Labels names each input or group in plain words (lgr.GroupLabel);
	// Units gives an input's or group's unit (its first member's), for
	// switching values.
	Labels map[string]string   `json:"labels,omitempty"`
	Units  map[string]lgr.Unit `json:"units,omitempty"`
	// Basis says what NPV means (words.Basis).
	Basis string `json:"basis,omitempty"`
	// AllRows prints every row of every table; by default the tables stop
	// after TableRows rows and say how many more there are.
	AllRows bool `json:"-"`
}

// TableRows is how many rows a long table (a sensitivity analysis's, a
// run's lines) shows unless every row is asked for (--all).
const TableRows = 12

// shownRows is how many of n rows a long table shows (every one with all,
// or when only a couple more would be left out), and a note saying how
// many more there are and where to find them; what names a row ("row",
// "line").
func shownRows(n int, all bool, what, formats string) (int, string) {
	if all || n <= TableRows+2 {
		return n, ""
	}
	more := "more"
	if what != "row" {
		more += " " + what + "s"
	}
	return TableRows, fmt.Sprintf("... and %d %s (every %s with --all, or in %s)\n\n", n-TableRows, more, what, formats)
}

// Label is an input's or group's name in plain words (Labels, else the
// name itself).
func (r *SensitivityReport) Label(name string) string {
	if l, ok := r.Labels[name]; ok && l != "" {
		return l
	}
	return name
}

// rows is how many of n rows a table shows, and a note on the rest.
func (r *SensitivityReport) rows(n int) (int, string) {
	return shownRows(n, r.AllRows, "row", "--format json or csv")
}

// Sentence states the analysis's main finding in one sentence, measured
// from its own results: the input with the largest total Sobol index (or,
// without Sobol, the largest tornado swing) and what it does to the output.
func (r *SensitivityReport) Sentence() string {
	f := Money
	if r.Output == "bcr" {
		f = Num
	}
	out := map[string]string{"npv": "NPV", "one_off_cost": "the one-off cost", "steady_state_saving": "the steady-state saving",
		"five_year_net": "the net over years 0-5", "bcr": "the benefit-cost ratio"}[r.Output]
	if out == "" {
		out = r.Output
	}
	var s string
	if len(r.Sobol) > 0 {
		top := r.Sobol[0]
		for _, x := range r.Sobol {
			if x.ST > top.ST {
				top = x
			}
		}
		s = fmt.Sprintf("%s drives %s most: by itself it explains %s of its variance (95%% interval %s to %s), %s with its interactions.",
			r.Label(top.Input), out, Pct(clamp01(top.S1)), Pct(clamp01(top.S1Lo)), Pct(clamp01(top.S1Hi)), Pct(clamp01(top.ST)))
		for _, t := range r.Tornado {
			if t.Input == top.Input {
				s += fmt.Sprintf(" From its P10 to its P90, the others at their medians, %s moves from %s to %s.", out, f(t.Low), f(t.High))
			}
		}
		return s
	}
	if len(r.Tornado) > 0 {
		t := r.Tornado[0]
		return fmt.Sprintf("%s moves %s most when each input alone goes from its P10 to its P90: from %s to %s (the others at their medians).", r.Label(t.Input), out, f(t.Low), f(t.High))
	}
	return ""
}

// TornadoRow is one bar: output with the input at P10 (low) and P90 (high).
type TornadoRow struct {
	Input string  `json:"input"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	Base  float64 `json:"base"`
	Swing float64 `json:"swing"`
}

// RankRow is one input's Spearman rank correlation with the output, and
// its Monte Carlo standard error (SpearmanMCSE).
type RankRow struct {
	Input        string  `json:"input"`
	Spearman     float64 `json:"spearman"`
	SpearmanMCSE float64 `json:"spearman_mcse"`
}

// SobolRow is one group's indices with 95% intervals across independent
// replicates of the design (sensitivity.SobolBatch); s1_zero and
// st_zero say the index is indistinguishable from zero (its interval
// reaches zero).
type SobolRow struct {
	Input  string  `json:"input"`
	S1     float64 `json:"s1"`
	S1Lo   float64 `json:"s1_lo"`
	S1Hi   float64 `json:"s1_hi"`
	ST     float64 `json:"st"`
	STLo   float64 `json:"st_lo"`
	STHi   float64 `json:"st_hi"`
	S1Zero bool    `json:"s1_zero"`
	STZero bool    `json:"st_zero"`
}

// SwitchRow is a switching value; None is true when the statistic does not
// cross zero between the input's P1 and P99 (Value and Percentile null).
type SwitchRow struct {
	Input      string   `json:"input"`
	Statistic  string   `json:"statistic"`
	Value      *float64 `json:"value"`
	Percentile *float64 `json:"percentile"`
	None       bool     `json:"none"`
	AtP1       float64  `json:"at_p1"`
	AtP99      float64  `json:"at_p99"`
}

// SensitivityRenderer returns the renderer for a format name, or false.
func SensitivityRenderer(format string) (func(io.Writer, *SensitivityReport) error, bool) {
	switch format {
	case "table":
		return func(w io.Writer, r *SensitivityReport) error { return sensitivityTables(w, r, false) }, true
	case "markdown", "md":
		return func(w io.Writer, r *SensitivityReport) error {
			return markdown(w, func(w io.Writer) error { return sensitivityTables(w, r, true) })
		}, true
	case "json":
		return func(w io.Writer, r *SensitivityReport) error { return WriteJSON(w, r) }, true
	case "csv":
		return sensitivityCSV, true
	}
	return nil, false
}

func sensitivityTables(w io.Writer, r *SensitivityReport, md bool) error {
	fmt.Fprintf(w, "Sensitivity of %s: %s (%s); groups: %s; seed %d; devolve %s\n\n", r.Output, Sanitize(r.Scenario), Sanitize(r.Source), r.Groups, r.Seed, r.Version)
	if s := r.Sentence(); s != "" {
		fmt.Fprintln(w, s)
	}
	if r.Basis != "" && r.Output == "npv" {
		fmt.Fprintln(w, r.Basis)
	}
	fmt.Fprintln(w)
	f := Money
	if r.Output == "bcr" {
		f = Num
	}
	if len(r.Tornado) > 0 {
		t := newTable(w, "Tornado: each input from its P10 to its P90, the others at their medians")
		t.AppendHeader(table.Row{"input", "at P10", "at P90", "swing"})
		n, more := r.rows(len(r.Tornado))
		for _, row := range r.Tornado[:n] {
			t.AppendRow(table.Row{r.Label(row.Input), f(row.Low), f(row.High), f(row.Swing)})
		}
		t.title += fmt.Sprintf(" (base, all at medians: %s)", f(r.Tornado[0].Base))
		t.SetColumnConfigs(right(2, 3, 4))
		if err := render(w, t, md); err != nil {
			return err
		}
		fmt.Fprint(w, more)
	}
	if len(r.Sobol) > 0 {
		t := newTable(w, fmt.Sprintf("Sobol indices, largest total first (base sample %d in %d independent replicates; 95%% t-intervals across them)", r.SobolN, r.SobolReplicates))
		t.AppendHeader(table.Row{"input", "first order S1", "95% interval", "total ST", "95% interval"})
		rows := append([]SobolRow(nil), r.Sobol...)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].ST > rows[j].ST })
		n, more := r.rows(len(rows))
		for _, s := range rows[:n] {
			t.AppendRow(table.Row{r.Label(s.Input), index(s.S1, s.S1Zero), interval(s.S1Lo, s.S1Hi), index(s.ST, s.STZero), interval(s.STLo, s.STHi)})
		}
		t.SetColumnConfigs(right(2, 3, 4, 5))
		if err := render(w, t, md); err != nil {
			return err
		}
		fmt.Fprint(w, more)
	}
	if len(r.Rank) > 0 {
		t := newTable(w, fmt.Sprintf("Spearman rank correlation with %s (%d trials), strongest first", r.Output, r.RankTrials))
		t.AppendHeader(table.Row{"input", "spearman", "± MCSE"})
		rows := append([]RankRow(nil), r.Rank...)
		sort.SliceStable(rows, func(i, j int) bool { return math.Abs(rows[i].Spearman) > math.Abs(rows[j].Spearman) })
		n, more := r.rows(len(rows))
		for _, row := range rows[:n] {
			t.AppendRow(table.Row{r.Label(row.Input), fmt.Sprintf("%+.3f", row.Spearman), fmt.Sprintf("%.3f", row.SpearmanMCSE)})
		}
		t.SetColumnConfigs(right(2))
		if err := render(w, t, md); err != nil {
			return err
		}
		fmt.Fprint(w, more)
	}
	none := 0
	for _, s := range r.Switching {
		if s.None {
			none++
		}
	}
	if len(r.Switching) > 0 && none == len(r.Switching) {
		fmt.Fprintf(w, "Switching values: no input (or group) can make the %s or the median of %s cross zero on its own between its P1 and P99 (%d checks, %d trials each).\n\n",
			"mean", r.Output, len(r.Switching), r.SwitchTrials)
	} else if len(r.Switching) > 0 {
		t := newTable(w, fmt.Sprintf("Switching values: where %s crosses zero as the input moves from P1 to P99 (%d trials each)", r.Output, r.SwitchTrials))
		t.AppendHeader(table.Row{"input", "statistic", "switching value", "percentile", "reading"})
		rows := append([]SwitchRow(nil), r.Switching...)
		sort.SliceStable(rows, func(i, j int) bool { return !rows[i].None && rows[j].None }) // those that switch first
		if !r.AllRows {
			rows = rows[:len(rows)-none] // the rest cannot switch: counted below
		}
		n, more := r.rows(len(rows))
		if !r.AllRows && none > 0 {
			more += fmt.Sprintf("%d (input, statistic) pairs cannot switch between P1 and P99 (listed with --all).\n\n", none)
		}
		for _, s := range rows[:n] {
			if s.None {
				t.AppendRow(table.Row{r.Label(s.Input), s.Statistic, "none", "", fmt.Sprintf("cannot switch: %s stays %s from P1 (%s) to P99 (%s)", s.Statistic, sign(s.AtP1), f(s.AtP1), f(s.AtP99))})
				continue
			}
			value := words.Value(*s.Value, r.Units[s.Input])
			// The statistic has AtP1's sign below the value, the other above.
			below, above := "positive", "negative"
			if s.AtP1 < 0 {
				below, above = above, below
			}
			t.AppendRow(table.Row{r.Label(s.Input), s.Statistic, value, fmt.Sprintf("P%.0f", 100**s.Percentile),
				fmt.Sprintf("%s is %s below %s, %s above (the input's %s percentile)", s.Statistic, below, value, above, ordinal(100**s.Percentile))})
		}
		if err := render(w, t, md); err != nil {
			return err
		}
		fmt.Fprint(w, more)
	}
	if len(r.Fixed) > 0 {
		var fixed []string
		for _, n := range r.Fixed {
			fixed = append(fixed, r.Label(n))
		}
		fmt.Fprintf(w, "Left out (no uncertainty): %s\n", Sanitize(strings.Join(fixed, "; ")))
	}
	return nil
}

func sign(x float64) string {
	if x > 0 {
		return "positive"
	}
	return "negative"
}

func ordinal(p float64) string {
	n := int(math.Round(p))
	suf := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suf = "st"
		case 2:
			suf = "nd"
		case 3:
			suf = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suf)
}

// index prints a Sobol index, or "≈ 0" when it is indistinguishable from zero.
func index(v float64, zero bool) string {
	if zero {
		return "≈ 0"
	}
	return fmt.Sprintf("%.3f", v)
}

func interval(lo, hi float64) string { return fmt.Sprintf("[%.3f, %.3f]", lo, hi) }

func sensitivityCSV(w io.Writer, r *SensitivityReport) error {
	fmt.Fprintln(w, "method,input,statistic,value")
	p := func(m, in, st string, v float64) { fmt.Fprintf(w, "%s,%s,%s,%.12g\n", m, CSVField(in), st, v) }
	for _, t := range r.Tornado {
		p("tornado", t.Input, "low", t.Low)
		p("tornado", t.Input, "high", t.High)
		p("tornado", t.Input, "swing", t.Swing)
	}
	for _, s := range r.Sobol {
		p("sobol", s.Input, "s1", s.S1)
		p("sobol", s.Input, "st", s.ST)
	}
	for _, k := range r.Rank {
		p("rank", k.Input, "spearman", k.Spearman)
		p("rank", k.Input, "spearman_mcse", k.SpearmanMCSE)
	}
	for _, s := range r.Switching {
		if !s.None {
			p("switching", s.Input, s.Statistic+"_value", *s.Value)
			p("switching", s.Input, s.Statistic+"_percentile", *s.Percentile)
		}
	}
	return nil
}

// CompareSentence states a pair's result in one sentence, measured from
// its draws: how often B beats A and by how much on average.
func CompareSentence(p lgr.PairSummary, n int) string {
	d := p.DiffNPV
	more, by := "higher", d.Mean
	if by < 0 {
		more, by = "lower", -by
	}
	return fmt.Sprintf("%s has a higher net present value than %s in %s of %d simulations; its NPV is %s on average by %s (90%% of simulations between %s and %s).",
		p.B, p.A, PctErr(p.PBBetter, p.PBBetterMCSE), n, more, MoneyErr(by, d.MCSE), Money(d.P5), Money(d.P95))
}

// JudgementWarning says, when one line resting on inputs marked JUDGEMENT
// makes up at least lgr.DrivesShare of a pair's mean difference, how much
// of the difference it is and what the scenario says of it; "" otherwise.
func JudgementWarning(p lgr.PairSummary) string {
	g := p.Judgement
	if g == nil || !g.Drives {
		return ""
	}
	l := g.Lines[0]
	s := fmt.Sprintf("Warning: %s of the %s difference in mean NPV (%s - %s, %s) comes from %s (%s), which rests on %s, marked JUDGEMENT in the scenario",
		Money(math.Abs(l.Contribution)), Money(math.Abs(p.DiffNPV.Mean)), p.B, p.A, Pct(g.LargestShare), l.Label, l.Path, strings.Join(l.Judgement, ", "))
	if l.Source != "" {
		s += fmt.Sprintf(" (%q)", l.Source)
	}
	s += fmt.Sprintf(". Lines resting on JUDGEMENT inputs make up %s of it in all, so the comparison rests substantially on that judgement.", Money(math.Abs(g.FromJudgement)))
	return s
}
