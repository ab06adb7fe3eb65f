package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/words"
	"github.com/devolve-lgr/devolve/study"
	"github.com/jedib0t/go-pretty/v6/table"
)

// ScaleReport is the documented JSON output of `devolve scale`.
type ScaleReport struct {
	Version string `json:"version"`
	study.ScaleResult
	// Summary is the plain sentence the table opens with.
	Summary string `json:"summary"`
}

// ScaleRenderer returns the renderer for a format name, or false.
func ScaleRenderer(format string) (func(io.Writer, *ScaleReport) error, bool) {
	switch format {
	case "table", "markdown", "md":
		md := format != "table"
		return func(w io.Writer, r *ScaleReport) error {
			r.Summary = ScaleSentence(&r.ScaleResult)
			return scaleTables(w, r, md)
		}, true
	case "json":
		return func(w io.Writer, r *ScaleReport) error {
			r.Summary = ScaleSentence(&r.ScaleResult)
			return WriteJSON(w, r)
		}, true
	case "csv":
		return func(w io.Writer, r *ScaleReport) error { return scaleCSV(w, r) }, true
	}
	return nil, false
}

// fte writes an estimated number of posts to three significant figures
// (they rest on a £40k-£50k cost per post): 163,000; 1,350; 320.
func fte(x float64) string {
	if x <= 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return words.Count(x)
	}
	p := math.Pow(10, math.Floor(math.Log10(x))-2)
	return words.Count(math.Round(x/p) * p)
}

// ScaleSentence says the scale in one plain sentence, from r's figures.
func ScaleSentence(r *study.ScaleResult) string {
	var before, retired, migr int
	for _, s := range r.Systems {
		before += s.Before
		retired += s.Retired
		migr += s.Migrations
	}
	generic := ""
	if r.GenericInventory {
		generic = " (a generic inventory: one system per council running each service)"
	}
	return fmt.Sprintf("%s: %d councils become %d; %s of their %s systems%s are retired in %s migration projects, "+
		"costing %s one-off in IT (90%%: %s to %s) and releasing %s a year of licences (90%%: %s to %s); "+
		"about %s staff (90%%: %s to %s) work in the services in scope.",
		r.Scope, r.CouncilsBefore, r.CouncilsAfter, words.Count(float64(retired)), words.Count(float64(before)), generic, words.Count(float64(migr)),
		Money(r.ITOneOff.Mean), Money(r.ITOneOff.P5), Money(r.ITOneOff.P95),
		Money(r.LicenceRetired.Mean), Money(r.LicenceRetired.P5), Money(r.LicenceRetired.P95),
		fte(r.Staff.FTE.Mid), fte(r.Staff.FTE.P5), fte(r.Staff.FTE.P95))
}

func scaleTables(w io.Writer, r *ScaleReport, md bool) error {
	fmt.Fprintf(w, "%s\n\n", r.Summary)
	fmt.Fprintf(w, "%d iterations, seed %d, %s sampling; money in %s prices, undiscounted; devolve %s\n\n", r.Iterations, r.Seed, r.Sampling, r.PriceBase, r.Version)
	title := "System instances by category"
	if r.GenericInventory {
		title += " (generic inventory: one system per council running the service, not a named inventory)"
	}
	n := func(x int) string { return words.Count(float64(x)) }
	t := newTable(w, title)
	t.AppendHeader(table.Row{"category", "before", "after", "to retire", "new", "migration projects"})
	var tot lgr.SystemCount
	for _, s := range r.Systems {
		t.AppendRow(table.Row{spaced(s.Category), n(s.Before), n(s.After), n(s.Retired), n(s.New), n(s.Migrations)})
		tot.Before += s.Before
		tot.After += s.After
		tot.Retired += s.Retired
		tot.New += s.New
		tot.Migrations += s.Migrations
	}
	t.AppendRow(table.Row{"all systems", n(tot.Before), n(tot.After), n(tot.Retired), n(tot.New), n(tot.Migrations)})
	t.SetColumnConfigs(right(2, 3, 4, 5, 6))
	if err := render(w, t, md); err != nil {
		return err
	}
	m := newTable(w, "Money and people (mean, 90% interval)")
	m.AppendHeader(table.Row{"measure", "mean", "P5", "P50", "P95"})
	for _, row := range []struct {
		name string
		s    lgr.Short
	}{{"one-off IT spend (migrations, exit fees, IT items, with overrun)", r.ITOneOff},
		{"licences of retired systems, a year", r.LicenceRetired},
		{"licences of new systems, a year", r.LicenceNew}} {
		m.AppendRow(table.Row{row.name, Money(row.s.Mean), Money(row.s.P5), Money(row.s.P50), Money(row.s.P95)})
	}
	m.AppendRow(table.Row{"councils merging", fmt.Sprintf("%d into %d", r.CouncilsBefore, r.CouncilsAfter), "", "", ""})
	m.AppendRow(table.Row{fmt.Sprintf("staff in scope, FTE (from %s a year of RSX employee spend over £40k-£50k per FTE)", Money(r.Staff.CostPerYear)),
		"", fte(r.Staff.FTE.P5), fte(r.Staff.FTE.Mid), fte(r.Staff.FTE.P95)})
	for _, f := range r.Staff.ByFunction {
		m.AppendRow(table.Row{"  of which " + spaced(f.Function) + " (JUDGEMENT share)", "", fte(f.FTE.P5), fte(f.FTE.Mid), fte(f.FTE.P95)})
	}
	m.SetColumnConfigs(right(2, 3, 4, 5))
	if err := render(w, m, md); err != nil {
		return err
	}
	last := 0 // the last year with any contract ending
	for y, s := range r.ContractsEnding {
		if s.Mean > 0 {
			last = y
		}
	}
	c := newTable(w, fmt.Sprintf("Retired systems' contracts ending, by year after vesting (none after year %d)", last+1))
	c.AppendHeader(table.Row{"year", "mean", "P5", "P50", "P95"})
	for y, s := range r.ContractsEnding[:last+1] {
		c.AppendRow(table.Row{y + 1, fmt.Sprintf("%.1f", s.Mean), words.Count(s.P5), words.Count(s.P50), words.Count(s.P95)})
	}
	c.SetColumnConfigs(right(1, 2, 3, 4, 5))
	return render(w, c, md)
}

// spaced turns a key into words: finance_erp -> finance erp.
func spaced(key string) string { return strings.ReplaceAll(key, "_", " ") }

func scaleCSV(w io.Writer, r *ScaleReport) error {
	if _, err := fmt.Fprintln(w, "section,item,mean,p5,p50,p95"); err != nil {
		return err
	}
	row := func(sec, item string, mean, p5, p50, p95 float64) {
		fmt.Fprintf(w, "%s,%s,%.12g,%.12g,%.12g,%.12g\n", sec, CSVField(item), mean, p5, p50, p95)
	}
	for _, s := range r.Systems {
		for _, v := range []struct {
			k string
			n int
		}{{"before", s.Before}, {"after", s.After}, {"retired", s.Retired}, {"new", s.New}, {"migrations", s.Migrations}} {
			x := float64(v.n)
			row("systems", s.Category+"."+v.k, x, x, x, x)
		}
	}
	row("councils", "before", float64(r.CouncilsBefore), float64(r.CouncilsBefore), float64(r.CouncilsBefore), float64(r.CouncilsBefore))
	row("councils", "after", float64(r.CouncilsAfter), float64(r.CouncilsAfter), float64(r.CouncilsAfter), float64(r.CouncilsAfter))
	for _, m := range []struct {
		k string
		s lgr.Short
	}{{"it_one_off", r.ITOneOff}, {"licence_retired_per_year", r.LicenceRetired}, {"licence_new_per_year", r.LicenceNew}} {
		row("money", m.k, m.s.Mean, m.s.P5, m.s.P50, m.s.P95)
	}
	row("staff", "fte", r.Staff.FTE.Mid, r.Staff.FTE.P5, r.Staff.FTE.Mid, r.Staff.FTE.P95)
	for _, f := range r.Staff.ByFunction {
		row("staff", f.Function+".fte", f.FTE.Mid, f.FTE.P5, f.FTE.Mid, f.FTE.P95)
	}
	for y, s := range r.ContractsEnding {
		row("contracts_ending", fmt.Sprintf("year_%d", y+1), s.Mean, s.P5, s.P50, s.P95)
	}
	return nil
}
