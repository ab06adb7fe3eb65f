package report

import (
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// BridgeReport is the documented JSON output of `devolve bridge`.
type BridgeReport struct {
	Version       string `json:"version"`
	Seed          uint64 `json:"seed"`
	Deterministic bool   `json:"deterministic"`
	lgr.Bridge
	// AllRows prints every line of the lines by year (--all), not the
	// TableRows largest.
	AllRows bool `json:"-"`
}

// BridgeRenderer returns the writer of a bridge for a format name, or false.
func BridgeRenderer(format string) (func(io.Writer, *BridgeReport) error, bool) {
	switch format {
	case "json":
		return func(w io.Writer, r *BridgeReport) error { return WriteJSON(w, r) }, true
	case "table", "markdown", "md":
		md := format != "table"
		return func(w io.Writer, r *BridgeReport) error { return bridgeTable(w, r, md) }, true
	}
	return nil, false
}

func bridgeTable(w io.Writer, r *BridgeReport, md bool) error {
	mode := fmt.Sprintf("%d trials, seed %d; each step's 90%% interval across trials", r.Trials, r.Seed)
	if r.Deterministic {
		mode = "deterministic: every devolve input at its median"
	}
	if _, err := fmt.Fprintf(w, "Bridge from %s to devolve (%s); devolve %s\nSource: %s\n\n", r.Case, mode, r.Version, r.Source); err != nil {
		return err
	}
	t := newTable(w, "")
	t.AppendHeader(table.Row{"step", "change (mean)", "P5", "P95", "running total"})
	t.AppendRow(table.Row{fmt.Sprintf("published: %s", r.Measure), "", "", "", Money(r.Published)})
	t.AppendRow(table.Row{"reproduced from the case's own assumptions", "", "", "", Money(r.Reproduced)})
	for _, s := range r.Steps {
		p5, p95 := Money(s.P5), Money(s.P95)
		if r.Deterministic { // one evaluation: no interval
			p5, p95 = "", ""
		}
		t.AppendRow(table.Row{s.Step, Money(s.Mean), p5, p95, Money(s.Cumulative)})
	}
	t.AppendFooter(table.Row{"devolve: " + r.DevolveMeasure, Money(r.Devolve - r.Reproduced), "", "", Money(r.Devolve)})
	cc := right(2, 3, 4, 5)
	for i := range cc {
		cc[i].AlignFooter = text.AlignRight
	}
	t.SetColumnConfigs(cc)
	t.Style().Format.Footer = text.FormatDefault // not upper case: £2.58bn, not £2.58BN
	if err := render(w, t, md); err != nil {
		return err
	}
	note := ""
	if r.RampNote != "" {
		note = "The case's phasing is " + r.RampNote + ". "
	}
	interval := fmt.Sprintf(" (devolve's 90%% interval: %s to %s)", Money(r.DevolveP5), Money(r.DevolveP95))
	if r.Deterministic {
		interval = ""
	}
	if _, err := fmt.Fprintf(w, "%sSteps change one group of assumptions at a time from the case's to devolve's, trial by trial; they add up exactly to the difference%s.\n",
		note, interval); err != nil {
		return err
	}
	if r.YearLines == nil {
		return nil
	}
	fmt.Fprintln(w)
	return bridgeYears(w, r, md)
}

// bridgeYears writes the case's own costs and savings by year beside
// devolve's, then devolve's by successor or area and by line.
func bridgeYears(w io.Writer, r *BridgeReport, md bool) error {
	yl := r.YearLines
	t := newTable(w, "Costs and savings by year since vesting, undiscounted: the case's own (its assumptions, its prices) beside devolve's as planned, mean (P5 to P95), "+pricesNote(yl))
	t.AppendHeader(table.Row{"year", "case: costs", "case: savings", "case: net", "devolve: gross costs", "devolve: gross savings", "devolve: net"})
	for i, y := range yl.Years {
		row := table.Row{yearLabel(y.Year, y.CalendarYear), "", "", ""}
		if i < len(r.CaseYears) {
			cy := r.CaseYears[i]
			row = table.Row{yearLabel(y.Year, y.CalendarYear), Money(cy.Costs), Money(cy.Savings), Money(cy.Net)}
		}
		t.AppendRow(append(row, meanRange(y.Costs), meanRange(y.Savings), meanRange(y.Net)))
	}
	t.SetColumnConfigs(right(2, 3, 4, 5, 6, 7))
	if err := render(w, t, md); err != nil {
		return err
	}
	return yearSplitAndLines(w, yl, r.AllRows, "--format json", md)
}
