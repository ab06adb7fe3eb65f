package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/study"
	"github.com/jedib0t/go-pretty/v6/table"
)

// OutcomesReport is the documented JSON output of `devolve outcomes`.
type OutcomesReport struct {
	Version string `json:"version"`
	study.OutcomesResult
	// Summary is the plain sentence the table opens with.
	Summary string `json:"summary"`
}

// OutcomesRenderer returns the renderer for a format name, or false.
func OutcomesRenderer(format string) (func(io.Writer, *OutcomesReport) error, bool) {
	switch format {
	case "table", "markdown", "md":
		md := format != "table"
		return func(w io.Writer, r *OutcomesReport) error {
			r.Summary = OutcomesSentence(&r.OutcomesResult)
			return outcomesTables(w, r, md)
		}, true
	case "json":
		return func(w io.Writer, r *OutcomesReport) error {
			r.Summary = OutcomesSentence(&r.OutcomesResult)
			return WriteJSON(w, r)
		}, true
	case "csv":
		return func(w io.Writer, r *OutcomesReport) error { return outcomesCSV(w, r) }, true
	}
	return nil, false
}

// OutcomesSentence says productivity and quality in one plain sentence,
// from r's figures.
func OutcomesSentence(r *study.OutcomesResult) string {
	s := fmt.Sprintf("%s: about %s posts removed at full effect (90%%: %s to %s), enabling support spending from %s to %s a resident a year",
		r.Scope, fte(r.PostsTotal.Mean), fte(r.PostsTotal.P5), fte(r.PostsTotal.P95),
		Money(r.Enabling.Before.Mean), Money(r.Enabling.After.Mean))
	for _, m := range r.Measured {
		if m.Wave == "2009" && m.Outcome == "merger_lines" {
			s += fmt.Sprintf(" (measured after the 2009 mergers: %s a resident on the lines a merger touches, 95%%: %s to %s)",
				Money(m.PerResident), Money(m.PerResidentLo), Money(m.PerResidentHi))
		}
	}
	worse := 0
	for _, q := range r.Quality {
		if q.PDeclineWorst > 0.5 {
			worse++
		}
	}
	return s + fmt.Sprintf("; %d of %d service indicators more likely than not to get worse in some year, and no measured gain in service quality from any English merger.", worse, len(r.Quality))
}

// qualityUnit is the unit a quality change is written in: a share's
// change in percentage points, any other unit as it is.
func qualityUnit(unit string) string {
	if strings.HasPrefix(unit, "share") {
		return "percentage points (" + unit + ")"
	}
	return unit
}

// signed writes a quality change at a fixed precision for its unit: a
// share's in percentage points (+5.0 for 0.05), any other to one decimal
// (+1.2 days); a change that rounds to zero has no sign.
func signed(x float64, unit string) string {
	if strings.HasPrefix(unit, "share") {
		x *= 100
	}
	v := fmt.Sprintf("%+.1f", x)
	if v == "+0.0" || v == "-0.0" {
		return "0.0"
	}
	return v
}

func outcomesTables(w io.Writer, r *OutcomesReport, md bool) error {
	fmt.Fprintf(w, "%s\n\n", r.Summary)
	fmt.Fprintf(w, "%d iterations, seed %d, %s sampling; money £ a year in %s prices at full effect, after savings realisation; devolve %s\n\n",
		r.Iterations, r.Seed, r.Sampling, r.PriceBase, r.Version)
	p := newTable(w, "Productivity: posts removed by function (staff saving over £40k-£50k a post; function shares are JUDGEMENT)")
	p.AppendHeader(table.Row{"function", "staff cost base", "staff saving", "posts removed: mean", "P5", "P95"})
	for _, f := range r.Posts {
		p.AppendRow(table.Row{spaced(f.Function), Money(f.StaffBase.Mean), Money(f.Saving.Mean), fte(f.Posts.Mean), fte(f.Posts.P5), fte(f.Posts.P95)})
	}
	p.AppendRow(table.Row{"all functions", "", "", fte(r.PostsTotal.Mean), fte(r.PostsTotal.P5), fte(r.PostsTotal.P95)})
	p.SetColumnConfigs(right(2, 3, 4, 5, 6))
	if err := render(w, p, md); err != nil {
		return err
	}
	e := newTable(w, "Spending per resident on enabling support (its staff cost base), before and after the savings")
	e.AppendHeader(table.Row{"", "mean", "P5", "P50", "P95"})
	for _, row := range []struct {
		name string
		s    lgr.Short
	}{{"before", r.Enabling.Before}, {"after, at full effect", r.Enabling.After}} {
		e.AppendRow(table.Row{row.name, Money(row.s.Mean), Money(row.s.P5), Money(row.s.P50), Money(row.s.P95)})
	}
	e.SetColumnConfigs(right(2, 3, 4, 5))
	if err := render(w, e, md); err != nil {
		return err
	}
	m := newTable(w, fmt.Sprintf("Measured after past reorganisations (devolve evidence: synthetic control, mean of years 1-5; measured; %s prices by the GDP deflator, Census 2021 residents)", r.PriceBase))
	m.AppendHeader(table.Row{"wave", "outcome", "councils", "change", "95% interval", "a resident a year", "95% interval", "p"})
	for _, c := range r.Measured {
		flag := ""
		if len(c.Flags) > 0 {
			flag = " (" + strings.Join(c.Flags, ", ") + ")"
		}
		m.AppendRow(table.Row{c.Wave + flag, spaced(c.Outcome), c.Members, Pct(c.Effect), Pct(c.Lo) + " to " + Pct(c.Hi),
			Money(c.PerResident), Money(c.PerResidentLo) + " to " + Money(c.PerResidentHi), fmt.Sprintf("%.3f", c.P)})
	}
	m.SetColumnConfigs(right(3, 4, 6, 8))
	if err := render(w, m, md); err != nil {
		return err
	}
	q := newTable(w, "Service quality: the model's change from the baseline (positive = better) and the chance of a decline")
	q.AppendHeader(table.Row{"indicator", "unit", "at the horizon: mean (P5 to P95)", "P(worse at the horizon)", "worst year: mean", "P(worse in some year)", "effect rests on"})
	for _, x := range r.Quality {
		basis := "evidence below (sign only; size is JUDGEMENT)"
		if x.Judgement {
			basis = "JUDGEMENT (no evidence)"
		}
		unit := qualityUnit(x.Unit)
		if x.LowerIsBetter {
			unit += " (fewer is better: + = fewer)"
		}
		q.AppendRow(table.Row{spaced(x.Indicator), unit, fmt.Sprintf("%s (%s to %s)", signed(x.End.Mean, x.Unit), signed(x.End.P5, x.Unit), signed(x.End.P95, x.Unit)),
			Pct(x.PDeclineEnd), signed(x.Worst.Mean, x.Unit), Pct(x.PDeclineWorst), basis})
	}
	if err := render(w, q, md); err != nil {
		return err
	}
	v := newTable(w, "What past reorganisations show about service quality (few cases, none measuring size)")
	v.AppendHeader(table.Row{"indicator", "case", "finding", "sign", "kind", "source"})
	seen := map[string]bool{}
	for _, x := range r.Quality {
		for _, f := range x.Evidence {
			k := f.Case + f.Finding
			if seen[k] {
				continue
			}
			seen[k] = true
			ind := spaced(f.Indicator)
			if f.Indicator == "" {
				ind = "all"
			}
			v.AppendRow(table.Row{ind, f.Case, f.Finding, map[int]string{-1: "worse", 0: "none measured", 1: "better"}[f.Sign], f.Kind, f.Source})
		}
	}
	v.AppendRow(table.Row{"all", "England", "no before-and-after resident-satisfaction series found for any merger", "none measured", "", ""})
	return render(w, v, md)
}

func outcomesCSV(w io.Writer, r *OutcomesReport) error {
	if _, err := fmt.Fprintln(w, "section,item,mean,p5,p50,p95"); err != nil {
		return err
	}
	row := func(sec, item string, s lgr.Short) {
		fmt.Fprintf(w, "%s,%s,%.12g,%.12g,%.12g,%.12g\n", sec, CSVField(item), s.Mean, s.P5, s.P50, s.P95)
	}
	for _, f := range r.Posts {
		row("staff_cost_base", f.Function, f.StaffBase)
		row("staff_saving", f.Function, f.Saving)
		row("posts_removed", f.Function, f.Posts)
	}
	row("posts_removed", "total", r.PostsTotal)
	row("enabling_per_resident", "before", r.Enabling.Before)
	row("enabling_per_resident", "after", r.Enabling.After)
	for _, c := range r.Measured {
		fmt.Fprintf(w, "measured_per_resident,%s,%.12g,%.12g,,%.12g\n", CSVField(c.Wave+" "+c.Outcome), c.PerResident, c.PerResidentLo, c.PerResidentHi)
	}
	for _, q := range r.Quality {
		row("quality_change_at_horizon", q.Indicator, q.End)
		row("quality_change_worst_year", q.Indicator, q.Worst)
		fmt.Fprintf(w, "quality_p_decline,%s,%.12g,,,\n", CSVField(q.Indicator), q.PDeclineWorst)
	}
	return nil
}
