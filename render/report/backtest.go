package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/jedib0t/go-pretty/v6/table"
)

// BacktestSection is one block of `devolve backtest`'s output: a key and
// title, the data written under "data" in JSON, and its table or Markdown
// rendering. The command writes its sections in order; each back-test
// (outturns now, the whole-model back-test of the 2023 reorganisations
// next) is one section.
type BacktestSection struct {
	Key    string                           `json:"key"`
	Title  string                           `json:"title"`
	Data   any                              `json:"data"`
	Render func(w io.Writer, md bool) error `json:"-"`
}

// BacktestDoc is the documented JSON output of `devolve backtest`
// (docs/OUTPUT.md).
type BacktestDoc struct {
	Version  string            `json:"version"`
	Sections []BacktestSection `json:"sections"`
}

// BacktestFormats lists `devolve backtest`'s output formats.
var BacktestFormats = []string{"table", "json", "markdown"}

// BacktestRenderer returns the writer of a BacktestDoc for a format name,
// or false.
func BacktestRenderer(format string) (func(io.Writer, *BacktestDoc) error, bool) {
	switch format {
	case "json":
		return func(w io.Writer, d *BacktestDoc) error { return WriteJSON(w, d) }, true
	case "table", "markdown", "md":
		md := format != "table"
		return func(w io.Writer, d *BacktestDoc) error {
			for _, s := range d.Sections {
				head := s.Title + "\n" + underline(len([]rune(s.Title))) + "\n\n"
				if md {
					head = "## " + s.Title + "\n\n"
				}
				if _, err := io.WriteString(w, head); err != nil {
					return err
				}
				if err := s.Render(w, md); err != nil {
					return err
				}
			}
			return nil
		}, true
	}
	return nil, false
}

func underline(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '='
	}
	return string(b)
}

// OutturnSection is the leave-one-out back-test of the calibrated
// defaults on the realised outturns.
func OutturnSection(r *calibration.BacktestReport) BacktestSection {
	return BacktestSection{Key: "outturns", Title: "Realised outturns, each held out in turn (leave-one-out)", Data: r,
		Render: func(w io.Writer, md bool) error { return outturnTables(w, r, md) }}
}

func ratioRange(lo, hi float64) string { return fmt.Sprintf("%.2f-%.2f", lo, hi) }

func rowOf(cells ...any) table.Row { return table.Row(cells) }

// OutturnSentence states the leave-one-out back-test's result in one
// sentence, counted from its rows.
func OutturnSentence(r *calibration.BacktestReport) string {
	loo, lco, old := 0, 0, 0
	for _, b := range r.Rows {
		if b.LOO.Inside90 {
			loo++
		}
		if b.LCO.Inside90 {
			lco++
		}
		if b.Old.Inside90 {
			old++
		}
	}
	n := len(r.Rows)
	return fmt.Sprintf("Of %d realised outturns, each held out in turn, %d (%s) lie inside the central 90%% interval of the defaults fitted without them "+
		"(%d with every row of the same reorganisation held out; %d under the old fixed defaults); a well-calibrated interval holds about 90%%.",
		n, loo, Pct(float64(loo)/float64(max(n, 1))), lco, old)
}

// measureWords names a back-test measure for people.
func measureWords(m string) string {
	switch m {
	case calibration.MeasureSavings:
		return "savings"
	case "one_off_cost":
		return "one-off cost"
	}
	return strings.ReplaceAll(m, "_", " ")
}

func outturnTables(w io.Writer, r *calibration.BacktestReport, md bool) error {
	yes := map[bool]string{true: "yes", false: "NO"}
	fmt.Fprintf(w, "%s\n\n", OutturnSentence(r))
	// Two tables of a readable width rather than one of 17 columns: the
	// placement in the fitted predictive, then the alternatives.
	t := newTable(w, "Each outturn's ratio (realised / projected) in the predictive fitted without it")
	t.AppendHeader(rowOf("case", "measure", "year", "projected", "realised", "ratio", "90% interval",
		"90% interval (£)", "percentile", "inside?"))
	for _, b := range r.Rows {
		year := ""
		if b.Measure == calibration.MeasureSavings {
			year = fmt.Sprint(b.Year)
		}
		t.AppendRow(rowOf(b.Case, measureWords(b.Measure), year, Money(b.Projected), Money(b.Realised), fmt.Sprintf("%.2f", b.Ratio),
			ratioRange(b.LOO.P5, b.LOO.P95), Money(b.LOO.P5GBP)+" to "+Money(b.LOO.P95GBP), fmt.Sprintf("P%.1f", 100*b.LOO.Percentile),
			yes[b.LOO.Inside90]))
	}
	t.SetColumnConfigs(right(3, 4, 5, 6, 7, 9))
	if err := render(w, t, md); err != nil {
		return err
	}
	a := newTable(w, "The same outturns held out with their whole reorganisation (case out), and in the old fixed defaults")
	a.AppendHeader(rowOf("case", "measure", "year", "basis", "case out pct", "case out inside?", "old pct", "old inside?", "quality (weight)", "kind"))
	for _, b := range r.Rows {
		year, basis := "", ""
		if b.Measure == calibration.MeasureSavings {
			year, basis = fmt.Sprint(b.Year), b.Basis
		}
		a.AppendRow(rowOf(b.Case, measureWords(b.Measure), year, basis, fmt.Sprintf("P%.1f", 100*b.LCO.Percentile), yes[b.LCO.Inside90],
			fmt.Sprintf("P%.1f", 100*b.Old.Percentile), yes[b.Old.Inside90], fmt.Sprintf("%s (%g)", b.Quality, b.Weight),
			b.Kind+map[bool]string{true: " (IN-SAMPLE: prior)"}[b.InSample != ""]))
	}
	a.SetColumnConfigs(right(3, 5, 7))
	if err := render(w, a, md); err != nil {
		return err
	}
	c := newTable(w, "Coverage of the central 90% interval, and its mean width (log: ln(P95/P5); ratio: P95 - P5, a share of the projected figure)")
	c.AppendHeader(rowOf("rows", "n", "inside (fitted, LOO)", "log width", "ratio width", "inside (case out)", "log width", "inside (old defaults)", "log width", "ratio width"))
	group := func(cs []calibration.Coverage, m string) calibration.Coverage {
		for _, c := range cs {
			if c.Measure == m {
				return c
			}
		}
		return calibration.Coverage{}
	}
	names := map[string]string{"one_off_cost": "one-off costs", "savings": "savings", "all": "all rows",
		"independent": "all but components of another row", "realised": "realised outcomes (measured or audited)",
		"realised_one_off_cost": "realised one-off costs", "realised_savings": "realised savings",
		"council-reported": "council-reported (shown beside)", "budget": "budgets (shown beside)", "estimate": "estimates (shown beside)"}
	for i, n := range r.Coverage {
		o, l := r.OldCoverage[i], group(r.LCOCoverage, n.Measure)
		c.AppendRow(rowOf(names[n.Measure], fmt.Sprint(n.N), fmt.Sprintf("%d (%.0f%%)", n.Inside, 100*n.Share),
			fmt.Sprintf("%.2f", n.MeanLogWidth), fmt.Sprintf("%.2f", n.MeanWidth),
			fmt.Sprintf("%d (%.0f%%)", l.Inside, 100*l.Share), fmt.Sprintf("%.2f", l.MeanLogWidth),
			fmt.Sprintf("%d (%.0f%%)", o.Inside, 100*o.Share), fmt.Sprintf("%.2f", o.MeanLogWidth), fmt.Sprintf("%.2f", o.MeanWidth)))
	}
	c.SetColumnConfigs(right(2, 3, 4, 5, 6, 7, 8, 9, 10))
	if err := render(w, c, md); err != nil {
		return err
	}
	sc := newTable(w, "Scores of the held-out rows (leave-case-out; ratio units, a share of the projected figure; lower is better): CRPS and the 90% interval score of devolve's predictive against two naive point forecasts, the business case's own figure (plan) and the business case times the reference-class ratio fitted without the case")
	sc.AppendHeader(rowOf("rows", "n", "inside 90% (case out)", "Wilson 95%", "CRPS devolve", "plan", "ref. class", "IS90 devolve", "plan", "ref. class"))
	for _, g := range r.Scores {
		if g.N == 0 {
			continue
		}
		sc.AppendRow(rowOf(names[g.Group], fmt.Sprint(g.N), fmt.Sprintf("%d (%.0f%%)", g.Inside, 100*float64(g.Inside)/float64(g.N)),
			fmt.Sprintf("%.0f-%.0f%%", 100*g.Coverage95[0], 100*g.Coverage95[1]),
			fmt.Sprintf("%.3f", g.CRPS[0]), fmt.Sprintf("%.3f", g.CRPS[1]), fmt.Sprintf("%.3f", g.CRPS[2]),
			fmt.Sprintf("%.2f", g.IS90[0]), fmt.Sprintf("%.2f", g.IS90[1]), fmt.Sprintf("%.2f", g.IS90[2])))
	}
	sc.SetColumnConfigs(right(2, 3, 4, 5, 6, 7, 8, 9, 10))
	if err := render(w, sc, md); err != nil {
		return err
	}
	nz := newTable(w, "The same naive forecasts given each row's measurement noise (normal, sd = the row's standard error over its claim): on measured rows a point forecast loses to any spread of the right size, so these are the fair comparison; on rows without noise they equal the point forecasts")
	nz.AppendHeader(rowOf("rows", "n", "CRPS devolve", "plan + noise", "ref. class + noise", "IS90 devolve", "plan + noise", "ref. class + noise"))
	for _, g := range r.Scores {
		if g.N == 0 {
			continue
		}
		nz.AppendRow(rowOf(names[g.Group], fmt.Sprint(g.N),
			fmt.Sprintf("%.3f", g.CRPS[0]), fmt.Sprintf("%.3f", g.NoiseCRPS[0]), fmt.Sprintf("%.3f", g.NoiseCRPS[1]),
			fmt.Sprintf("%.2f", g.IS90[0]), fmt.Sprintf("%.2f", g.NoiseIS90[0]), fmt.Sprintf("%.2f", g.NoiseIS90[1])))
	}
	nz.SetColumnConfigs(right(2, 3, 4, 5, 6, 7, 8))
	if err := render(w, nz, md); err != nil {
		return err
	}
	f := r.Fit
	d := newTable(w, "The shipped defaults, fitted to every row (lognormals matching the posterior predictive's central 90% interval)")
	d.AppendHeader(rowOf("factor", "mu", "sigma", "median", "90% interval", "rows (weight)"))
	for _, p := range []struct {
		name string
		l    calibration.LogNormalParams
		n    int
		w    float64
	}{{"non-IT one-off cost overrun", f.OtherOverrun, f.CostRows, f.CostWeight},
		{"savings realisation R", f.SavingsRealisation, f.SavingsRows, f.SavingsWeight},
		{"ramp stretch T", f.RampStretch, f.SavingsRows, f.SavingsWeight}} {
		d.AppendRow(rowOf(p.name, fmt.Sprintf("%.3f", p.l.Mu), fmt.Sprintf("%.3f", p.l.Sigma), fmt.Sprintf("%.2f", math.Exp(p.l.Mu)),
			ratioRange(p.l.Quantile(0.05), p.l.Quantile(0.95)), fmt.Sprintf("%d (%g)", p.n, p.w)))
	}
	d.SetColumnConfigs(right(2, 3, 4, 5))
	if err := render(w, d, md); err != nil {
		return err
	}
	var b strings.Builder
	if re, all := group(r.LCOCoverage, "realised"), group(r.LCOCoverage, "all"); all.N > 0 {
		fmt.Fprintf(&b, "Fitted without every row of the same reorganisation (leave-case-out, the 2009 wave's rows together): %d of %d realised outcomes inside (%.0f%%; mean ln(P95/P5) %.2f); all rows %d of %d.\n",
			re.Inside, re.N, 100*re.Share, re.MeanLogWidth, all.Inside, all.N)
	}
	b.WriteString("Inside the central 90% interval (target 80-95% of realised outcomes), fitted without the row vs the old fixed defaults:")
	for _, g := range []string{"realised", "council-reported", "budget", "estimate", "all"} {
		for i, c := range r.Coverage {
			if c.Measure != g {
				continue
			}
			o := r.OldCoverage[i]
			fmt.Fprintf(&b, " %s: %d of %d (%.0f%%; mean ln(P95/P5) %.2f) vs %d (%.0f%%; %.2f);",
				names[c.Measure], c.Inside, c.N, 100*c.Share, c.MeanLogWidth, o.Inside, 100*o.Share, o.MeanLogWidth)
		}
	}
	_, err := fmt.Fprintf(w, "%s.\n\n", strings.TrimSuffix(b.String(), ";"))
	return err
}
