package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/jedib0t/go-pretty/v6/table"
)

// NationalReport is the documented JSON output of `devolve national`.
type NationalReport struct {
	Version string `json:"version"`
	lgr.National
	// Published compares the national totals with PwC 2020.
	Published []PublishedRow `json:"published"`
	// AllRows prints every line of the lines by year (--all), not the
	// TableRows largest.
	AllRows bool `json:"-"`
}

// PublishedRow says whether a published figure lies inside our 90% interval.
type PublishedRow struct {
	Measure   string  `json:"measure"`
	Source    string  `json:"source"`
	Published float64 `json:"published"`
	OurP5     float64 `json:"our_p5"`
	OurP50    float64 `json:"our_p50"`
	OurP95    float64 `json:"our_p95"`
	Inside    bool    `json:"inside_90"`
}

func (r *NationalReport) fill() {
	r.Published = nil
	for _, p := range lgr.PwC2020 {
		if p.Unitaries != r.Unitaries {
			continue
		}
		s := r.National.National.Get(p.Measure)
		r.Published = append(r.Published, PublishedRow{p.Measure, p.Source, p.Value, s.P5, s.P50, s.P95, p.Value >= s.P5 && p.Value <= s.P95})
	}
}

// NationalRenderer returns the renderer for a format name, or false.
func NationalRenderer(format string) (func(io.Writer, *NationalReport) error, bool) {
	switch format {
	case "table", "markdown", "md":
		md := format != "table"
		return func(w io.Writer, r *NationalReport) error { r.fill(); return nationalTables(w, r, md) }, true
	case "json":
		return func(w io.Writer, r *NationalReport) error { r.fill(); return WriteJSON(w, r) }, true
	case "csv":
		return func(w io.Writer, r *NationalReport) error { r.fill(); return nationalCSV(w, r) }, true
	}
	return nil, false
}

func nationalTables(w io.Writer, r *NationalReport, md bool) error {
	n := r.National.National
	dep := NationalSharing(&r.National)
	fmt.Fprintf(w, "England's 21 two-tier areas, %s: %d iterations per area, seed %d (%s); devolve %s\n\n",
		r.Config, r.Iterations, r.Seed, dep, r.Version)
	fmt.Fprintf(w, "%s\n\n", NationalSentence(r))
	t := newTable(w, fmt.Sprintf("National totals (sum of areas within each trial), %.0f residents", n.Population))
	t.AppendHeader(table.Row{"measure", "mean", "± MCSE", "P5", "P50", "P95"})
	for _, m := range []struct {
		name string
		s    lgr.Short
	}{{"NPV (10 years)", n.NPV}, {"one-off cost", n.OneOffCost}, {"net over years 0-5", n.FiveYearNet}, {"steady-state annual saving", n.SteadyStateSaving}} {
		t.AppendRow(table.Row{m.name, MoneyErr(m.s.Mean, m.s.MCSE), Money(m.s.MCSE), MoneyErr(m.s.P5, m.s.P5MCSE),
			MoneyErr(m.s.P50, m.s.P50MCSE), MoneyErr(m.s.P95, m.s.P95MCSE)})
	}
	t.AppendRow(table.Row{"payback year (median)", Years(n.PaybackP50), "", "", "", ""})
	t.AppendRow(table.Row{"P(payback within 5 years)", Pct(n.PPaybackWithin5y), "", "", "", ""})
	t.SetColumnConfigs(right(2, 3, 4, 5, 6))
	if err := render(w, t, md); err != nil {
		return err
	}
	if len(r.Published) > 0 {
		p := newTable(w, "Beside the published figures (PwC for CCN 2020; 25 areas then, 21 now)")
		p.AppendHeader(table.Row{"measure", "published", "our P5", "our P50", "our P95", "inside our 90% interval?"})
		for _, row := range r.Published {
			in := "no"
			if row.Inside {
				in = "yes"
			}
			p.AppendRow(table.Row{row.Measure, Money(row.Published), Money(row.OurP5), Money(row.OurP50), Money(row.OurP95), in})
		}
		p.SetColumnConfigs(right(2, 3, 4, 5))
		if err := render(w, p, md); err != nil {
			return err
		}
	}
	a := newTable(w, "By area")
	a.AppendHeader(table.Row{"area", "population", "NPV mean", "NPV P5", "NPV P95", "one-off mean", "years 0-5 net mean", "steady mean"})
	for _, ar := range r.Areas {
		a.AppendRow(table.Row{ar.Area, fmt.Sprintf("%.0f", ar.Population), MoneyErr(ar.NPV.Mean, ar.NPV.MCSE),
			MoneyErr(ar.NPV.P5, ar.NPV.P5MCSE), MoneyErr(ar.NPV.P95, ar.NPV.P95MCSE), MoneyErr(ar.OneOffCost.Mean, ar.OneOffCost.MCSE),
			MoneyErr(ar.FiveYearNet.Mean, ar.FiveYearNet.MCSE), MoneyErr(ar.SteadyStateSaving.Mean, ar.SteadyStateSaving.MCSE)})
	}
	a.SetColumnConfigs(right(2, 3, 4, 5, 6, 7, 8))
	if err := render(w, a, md); err != nil {
		return err
	}
	if r.YearLines != nil {
		return yearLinesTables(w, r.YearLines, r.AllRows, "--format json or csv", md)
	}
	return nil
}

// NationalSentence states a national run's result in one sentence,
// measured from its draws.
func NationalSentence(r *NationalReport) string {
	n := r.National.National
	return fmt.Sprintf("Reorganising England's %d two-tier areas (%s) has a net present value over 10 years of %s on average "+
		"(90%% of simulations between %s and %s; NPV: the savings minus the costs of years 0 to 10, each discounted at the Green Book's 3.5%% a year), "+
		"for one-off costs of %s on average; the areas together pay back by year %s in half the simulations, and within five years in %s.",
		len(r.Areas), r.Config, Money(n.NPV.Mean), Money(n.NPV.P5), Money(n.NPV.P95), Money(n.OneOffCost.Mean), Years(n.PaybackP50), Pct(n.PPaybackWithin5y))
}

// NationalSharing says in words how the areas of a national run share
// their national inputs, e.g. "areas share it_overrun, migration_slip;
// savings_realisation 17% in common, ...".
func NationalSharing(n *lgr.National) string {
	if n.Independent {
		return "areas independent"
	}
	var parts []string
	if len(n.Shared) > 0 {
		parts = append(parts, "areas share "+strings.Join(n.Shared, ", ")+" fully")
	}
	var partly []string
	for _, name := range lgr.SharedInputs {
		if c, ok := n.CommonShare[name]; ok {
			partly = append(partly, fmt.Sprintf("%s %.0f%%", name, 100*c))
		}
	}
	if len(partly) > 0 {
		parts = append(parts, "in common, by the fitted share of each one's variance: "+strings.Join(partly, ", "))
	}
	return strings.Join(parts, "; ")
}

func nationalCSV(w io.Writer, r *NationalReport) error {
	fmt.Fprintln(w, "area,measure,mean,mcse,p5,p50,p95,p5_mcse,p50_mcse,p95_mcse")
	row := func(area, m string, s lgr.Short) {
		fmt.Fprintf(w, "%s,%s,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g\n", CSVField(area), m, s.Mean, s.MCSE, s.P5, s.P50, s.P95,
			s.P5MCSE, s.P50MCSE, s.P95MCSE)
	}
	all := append([]lgr.AreaResult{}, r.Areas...)
	for _, a := range all {
		for _, h := range lgr.NationalHeads {
			row(a.Area, h.String(), *a.Stat(h))
		}
	}
	n := r.National.National
	for _, h := range lgr.NationalHeads {
		row("national", h.String(), *n.Stat(h))
	}
	// By year: measure NAME[t], as the model names its outputs by year;
	// the lines by year (--lines) prefixed by their prices, real: or cash:.
	band := func(area, m string, t int, b lgr.Band) {
		row(area, fmt.Sprintf("%s[%d]", m, t), lgr.Short{Mean: b.Mean, MCSE: b.MeanMCSE, P5: b.P5, P50: b.P50, P95: b.P95,
			P5MCSE: b.P5MCSE, P50MCSE: b.P50MCSE, P95MCSE: b.P95MCSE})
	}
	for _, y := range n.Years {
		band("national", "net", y.Year, y.Net)
		band("national", "cumulative", y.Year, y.Cumulative)
	}
	if yl := r.YearLines; yl != nil {
		p := yl.Prices + ":"
		for _, y := range yl.Years {
			band("national", p+"costs", y.Year, y.Costs)
			band("national", p+"savings", y.Year, y.Savings)
			band("national", p+"net", y.Year, y.Net)
		}
		for _, a := range yl.Successors {
			for t := range a.Net {
				band(a.Name, p+"costs", t, a.Costs[t])
				band(a.Name, p+"savings", t, a.Savings[t])
				band(a.Name, p+"net", t, a.Net[t])
			}
		}
		for _, l := range yl.Lines {
			for t, b := range l.Years {
				band("national", p+"line:"+l.Name, t, b)
			}
		}
	}
	return nil
}

// NationalDrawsCSV writes the national totals of every trial (the run
// must have kept them: lgr.NationalOptions.KeepDraws), one row a trial
// under a header row (no comment line: the run's identity is in the
// set's manifest.json).
func NationalDrawsCSV(w io.Writer, r *NationalReport) error {
	if r.Draws == nil {
		return fmt.Errorf("national draws were not kept")
	}
	heads := make([]string, len(lgr.NationalHeads))
	for i, h := range lgr.NationalHeads {
		heads[i] = h.String()
	}
	if _, err := fmt.Fprintln(w, "trial,"+strings.Join(heads, ",")); err != nil {
		return err
	}
	for t := 0; t < r.Iterations; t++ {
		row := make([]string, 0, 1+len(lgr.NationalHeads))
		row = append(row, strconv.Itoa(t))
		for _, h := range heads {
			row = append(row, strconv.FormatFloat(r.Draws[h][t], 'g', 17, 64))
		}
		if _, err := fmt.Fprintln(w, strings.Join(row, ",")); err != nil {
			return err
		}
	}
	return nil
}
