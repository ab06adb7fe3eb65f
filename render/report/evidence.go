package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/jedib0t/go-pretty/v6/table"
)

// EvidenceDoc is the documented output of `devolve evidence`: the
// measured effects of England's reorganisations (calibration.Evidence)
// with the program version. The data hash in Evidence identifies the
// embedded outturn; the analysis has no seed.
type EvidenceDoc struct {
	Version string `json:"version"`
	Summary string `json:"summary"`
	*calibration.Evidence
}

// EvidenceFormats lists `devolve evidence`'s output formats.
var EvidenceFormats = []string{"table", "markdown", "json", "csv"}

// EvidenceRenderer returns the writer of an EvidenceDoc for a format
// name, or false. "csv" writes the per-successor effects
// (EvidenceEffectsCSV).
func EvidenceRenderer(format string) (func(io.Writer, *EvidenceDoc) error, bool) {
	switch format {
	case "json":
		return func(w io.Writer, d *EvidenceDoc) error { return WriteJSON(w, d) }, true
	case "csv":
		return EvidenceEffectsCSV, true
	case "table", "markdown", "md":
		md := format != "table"
		return func(w io.Writer, d *EvidenceDoc) error { return evidenceText(w, d, md) }, true
	}
	return nil, false
}

// pctSigned formats a fraction as a signed percentage, "−3.1%".
func pctSigned(x float64) string {
	return strings.Replace(fmt.Sprintf("%+.1f%%", 100*x), "-", "−", 1)
}

// effectCell is "−3.1% (−6.0, −0.2) p=0.04".
func effectCell(e, lo, hi, p float64) string {
	return fmt.Sprintf("%s (%s, %s) p%s", pctSigned(e), strings.TrimSuffix(pctSigned(lo), "%"), strings.TrimSuffix(pctSigned(hi), "%"), pValue(p))
}

// pValue is "=0.042" or "<0.001".
func pValue(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return "=" + strconv.FormatFloat(p, 'f', 3, 64)
}

// EvidenceSummary is the plain sentence that opens the report: the 2009
// wave's pooled effect over years 1 to 5 on both outcomes by synthetic
// control, and whether each is detectable.
func EvidenceSummary(ev *calibration.Evidence) string {
	find := func(wave string, o calibration.EffectOutcome, est calibration.Estimator) *calibration.WaveEffect {
		for i := range ev.Waves {
			w := &ev.Waves[i]
			if w.Wave == wave && w.Outcome == o && w.Estimator == est && w.Year == 0 {
				return w
			}
		}
		return nil
	}
	var parts []string
	for _, wave := range []string{"2009", "2023"} {
		a := find(wave, calibration.OutcomeMergerLines, calibration.EstimatorSC)
		b := find(wave, calibration.OutcomeCoreServices, calibration.EstimatorSC)
		bd := find(wave, calibration.OutcomeCoreServices, calibration.EstimatorDiD)
		if a == nil || b == nil || bd == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("for the %s wave (%d councils, years %s after vesting) spending on the lines a merger touches was %s of its synthetic counterfactual (95%% interval %s to %s, placebo p%s) and spending on services less education, public health, police and fire %s (%s to %s, p%s; %s; difference-in-differences %s, %s to %s)",
			wave, a.Members, a.Years, pctSigned(a.Effect), pctSigned(a.Lo), pctSigned(a.Hi), pValue(a.P),
			pctSigned(b.Effect), pctSigned(b.Lo), pctSigned(b.Hi), pValue(b.P), detectable(b), pctSigned(bd.Effect), pctSigned(bd.Lo), pctSigned(bd.Hi)))
	}
	out := "Measured from MHCLG outturn against councils that were not reorganised: " + strings.Join(parts, "; ") + "."
	if u := find("established unitaries, from 2009", calibration.OutcomeMergerLines, calibration.EstimatorSC); u != nil {
		out += fmt.Sprintf(" Unitaries that were not reorganised moved %s on the same lines over the same years (%s to %s), and drift down after, so the 2009 wave's later gap is largely what unitaries do.", pctSigned(u.Effect), pctSigned(u.Lo), pctSigned(u.Hi))
	}
	return out + " A fall in the merger lines without one in wider services can be savings or costs moved between lines; single councils' effects are mostly below what the data can detect (see MDE)."
}

func detectable(w *calibration.WaveEffect) string {
	if w.P < 0.05 {
		return "detectable"
	}
	return fmt.Sprintf("not detectable: the smallest reduction detectable at 5%% with 80%% power is %.1f%%", 100*w.MDE)
}

// waveTable tabulates the pooled rows (benchmark rows or the others).
func waveTable(waves []calibration.WaveEffect, benchmark bool) table.Writer {
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"wave", "years", "n", "outcome", "synthetic control (95% CI) p", "MDE", "DiD (95% CI) p", "MDE", "flags"})
	type wk struct {
		wave, years string
		o           calibration.EffectOutcome
	}
	byKey := map[wk]map[calibration.Estimator]calibration.WaveEffect{}
	var order []wk
	for _, we := range waves {
		if we.Benchmark != benchmark {
			continue
		}
		k := wk{we.Wave, we.Years, we.Outcome}
		if byKey[k] == nil {
			byKey[k] = map[calibration.Estimator]calibration.WaveEffect{}
			order = append(order, k)
		}
		byKey[k][we.Estimator] = we
	}
	for _, k := range order {
		sc, did := byKey[k][calibration.EstimatorSC], byKey[k][calibration.EstimatorDiD]
		t.AppendRow(table.Row{k.wave, k.years, sc.Members, k.o.Label(), effectCell(sc.Effect, sc.Lo, sc.Hi, sc.P), fmt.Sprintf("%.1f%%", 100*sc.MDE),
			effectCell(did.Effect, did.Lo, did.Hi, did.P), fmt.Sprintf("%.1f%%", 100*did.MDE), strings.Join(sc.Flags, " ")})
	}
	return t
}

// evidenceText writes the report as text tables or Markdown.
func evidenceText(w io.Writer, d *EvidenceDoc, md bool) error {
	render := func(t table.Writer) error {
		out := t.Render()
		if md {
			out = t.RenderMarkdown()
		}
		_, err := fmt.Fprintln(w, out)
		return err
	}
	head := func(s string) string {
		if md {
			return "## " + s + "\n\n"
		}
		return s + "\n" + strings.Repeat("=", len([]rune(s))) + "\n\n"
	}
	if _, err := fmt.Fprintf(w, "%s\n\n", d.Summary); err != nil {
		return err
	}
	if _, err := io.WriteString(w, head("Pooled by wave (mean of the successors' log effects; placebo distribution of the same mean)")); err != nil {
		return err
	}
	if err := render(waveTable(d.Waves, false)); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w, "\nEffect: (actual − counterfactual)/counterfactual; negative is less spending. MDE: smallest reduction detectable at 5% (two-sided) with 80% power."); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"+head("Benchmark: established unitaries (not reorganised) against the same two-tier donors from a false vesting date")); err != nil {
		return err
	}
	if err := render(waveTable(d.Waves, true)); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w, "\nA reorganisation wave's effect that the benchmark matches is what being a unitary (one budget for all services) does against two-tier areas, not a saving from merging councils."); err != nil {
		return err
	}
	for _, s := range d.Successors {
		title := fmt.Sprintf("%s (%s wave, vested 1 April %d; %d donors)", s.Successor, s.Wave, s.VestingYear, s.Donors)
		if _, err := io.WriteString(w, "\n"+head(title)); err != nil {
			return err
		}
		var fitNotes []string
		type ok struct {
			o   calibration.EffectOutcome
			est calibration.Estimator
		}
		fits := map[ok]calibration.OutcomeFit{}
		for _, f := range s.Fits {
			fits[ok{f.Outcome, f.Estimator}] = f
			note := fmt.Sprintf("%s, %s: pre-vesting RMSPE %.1f%% over %d years (placebo median %.1f%%, P90 %.1f%%)", f.Outcome.Label(), f.Estimator, 100*f.PreRMSPE, len(f.PreYears), 100*f.PlaceboPreRMSPE50, 100*f.PlaceboPreRMSPE90)
			if f.PoorFit {
				note += " POOR FIT"
			}
			if pt := f.PreTrend; pt != nil {
				note += fmt.Sprintf("; in-time placebo (vesting moved to %d): %s over %d-%d, p%s", pt.FalseVesting, pctSigned(pt.Effect), pt.FalseVesting, s.VestingYear-1, pValue(pt.P))
			}
			if f.Estimator == calibration.EstimatorSC && len(f.Weights) > 0 {
				var ws []string
				for i, dw := range f.Weights {
					if i == 4 {
						ws = append(ws, fmt.Sprintf("+%d more", len(f.Weights)-4))
						break
					}
					ws = append(ws, fmt.Sprintf("%s %.2f", dw.Donor, dw.Weight))
				}
				note += "; weights " + strings.Join(ws, ", ")
			}
			fitNotes = append(fitNotes, note)
		}
		if _, err := fmt.Fprintf(w, "Predecessors: %s.\n%s.\n\n", strings.Join(s.Predecessors, ", "), strings.Join(fitNotes, ".\n")); err != nil {
			return err
		}
		t := table.NewWriter()
		t.SetStyle(table.StyleLight)
		t.AppendHeader(table.Row{"year", "", "merger lines: SC (95% CI) p", "DiD", "MDE", "wider services: SC (95% CI) p", "DiD", "MDE", "flags"})
		a, b := fits[ok{calibration.OutcomeMergerLines, calibration.EstimatorSC}], fits[ok{calibration.OutcomeCoreServices, calibration.EstimatorSC}]
		ad, bd := fits[ok{calibration.OutcomeMergerLines, calibration.EstimatorDiD}], fits[ok{calibration.OutcomeCoreServices, calibration.EstimatorDiD}]
		years := map[int]string{}
		var ys []int
		for _, f := range []calibration.OutcomeFit{a, b} {
			for _, e := range f.Effects {
				if _, seen := years[e.Year]; !seen {
					years[e.Year] = e.FinancialYear
					ys = append(ys, e.Year)
				}
			}
		}
		sortInts(ys)
		cell := func(f calibration.OutcomeFit, y int) (string, string, []string) {
			for _, e := range f.Effects {
				if e.Year == y {
					return effectCell(e.Effect, e.Lo, e.Hi, e.P), fmt.Sprintf("%.1f%%", 100*e.MDE), e.Flags
				}
			}
			return "no return", "", nil
		}
		for _, y := range ys {
			ac, am, af := cell(a, y)
			adc, _, _ := cell(ad, y)
			bc, bm, bf := cell(b, y)
			bdc, _, _ := cell(bd, y)
			flags := map[string]bool{}
			var fl []string
			for _, f := range append(af, bf...) {
				if !flags[f] {
					flags[f] = true
					fl = append(fl, f)
				}
			}
			t.AppendRow(table.Row{y, years[y], ac, adc, am, bc, bdc, bm, strings.Join(fl, " ")})
		}
		if err := render(t); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "\nData: MHCLG Revenue Outturn (RS 2007-08 to 2023-24, RSX 2024-25), £ cash, embedded (sha256 %s); devolve %s. Method and caveats: docs/EVIDENCE.md.\n", d.DataSHA256[:16], d.Version)
	return err
}

func sortInts(s []int) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// EvidenceEffectsCSV writes every measured effect, one row per successor,
// outcome, estimator and year, with the version and data hash on each row.
func EvidenceEffectsCSV(w io.Writer, d *EvidenceDoc) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"successor", "ecode", "wave", "vesting_year", "year", "financial_year", "outcome", "estimator", "effect", "lo", "hi", "p", "mde",
		"actual_gbp", "counterfactual_gbp", "placebos", "flags", "kind", "version", "data_sha256"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }
	for _, s := range d.Successors {
		for _, fit := range s.Fits {
			for _, e := range fit.Effects {
				cw.Write(csvTexts([]string{e.Successor, e.Ecode, e.Wave, strconv.Itoa(e.VestingYear), strconv.Itoa(e.Year), e.FinancialYear, string(e.Outcome), string(e.Estimator),
					f(e.Effect), f(e.Lo), f(e.Hi), f(e.P), f(e.MDE), strconv.FormatFloat(e.Actual, 'f', 0, 64), strconv.FormatFloat(e.Counterfactual, 'f', 0, 64),
					strconv.Itoa(e.Placebos), strings.Join(e.Flags, " "), e.Kind, d.Version, d.DataSHA256}))
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// EvidenceWavesCSV writes the pooled effects by wave.
func EvidenceWavesCSV(w io.Writer, d *EvidenceDoc) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"wave", "outcome", "estimator", "years", "members", "effect", "lo", "hi", "p", "mde", "flags", "version", "data_sha256"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }
	for _, we := range d.Waves {
		cw.Write(csvTexts([]string{we.Wave, string(we.Outcome), string(we.Estimator), we.Years, strconv.Itoa(we.Members), f(we.Effect), f(we.Lo), f(we.Hi), f(we.P), f(we.MDE),
			strings.Join(we.Flags, " "), d.Version, d.DataSHA256}))
	}
	cw.Flush()
	return cw.Error()
}

// EvidenceHeadlineMarkdown is the Markdown tables of every wave's and
// benchmark's pooled effect over years 1 to 5 after vesting, as
// docs/EVIDENCE.md quotes them (TestEvidenceDocTable keeps the two equal).
func EvidenceHeadlineMarkdown(ev *calibration.Evidence) string {
	var rows []calibration.WaveEffect
	for _, w := range ev.Waves {
		if w.Year == 0 {
			rows = append(rows, w)
		}
	}
	return waveTable(rows, false).RenderMarkdown() + "\n\n" + waveTable(rows, true).RenderMarkdown() + "\n"
}
