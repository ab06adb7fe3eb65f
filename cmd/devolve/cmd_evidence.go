package main

import (
	"context"
	"io"
	"math"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
)

// cmdEvidence prints the measured effects of England's reorganisations
// since 2009 on spending (calibration.AnalyseEvidence): per successor and
// year, synthetic control and difference-in-differences against councils
// that were not reorganised, with placebo p-values and intervals, and
// pooled by wave. With --out it also writes evidence.json, effects.csv,
// waves.csv, evidence.md and a chart per successor.
func cmdEvidence(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c commonFlags
	fs := newFlagSet("evidence", "devolve evidence [--format table|markdown|json|csv] [--out DIR]", stderr)
	c.outFiles = "evidence.json, effects.csv, waves.csv, evidence.md and a chart per successor (evidence-NAME.png, .svg)"
	c.register(fs, withFormat|withOut, 0, report.EvidenceFormats)
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	if err := c.verify(); err != nil {
		return err
	}
	write, _ := report.EvidenceRenderer(c.format)
	ev, err := calibration.DefaultEvidence()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	doc := &report.EvidenceDoc{Version: version, Summary: report.EvidenceSummary(ev), Evidence: ev}
	if c.out != "" {
		files := chart.Files(evidenceFigures(ev), chart.Formats...)
		for name, format := range map[string]string{"evidence.json": "json", "effects.csv": "csv", "evidence.md": "markdown"} {
			w, _ := report.EvidenceRenderer(format)
			files[name] = func(out io.Writer) error { return w(out, doc) }
		}
		files["waves.csv"] = func(out io.Writer) error { return report.EvidenceWavesCSV(out, doc) }
		if err := writeSet(ctx, c.out, files, newManifest(ctx, "evidence", 0, 0)); err != nil {
			return err
		}
	}
	return write(stdout, doc)
}

// evidenceFigures draws each successor's actual spending on both outcomes
// against its synthetic-control and DiD counterfactuals.
func evidenceFigures(ev *calibration.Evidence) []chart.Figure {
	var figs []chart.Figure
	for _, s := range ev.Successors {
		var panels []chart.OutcomePanel
		for _, o := range calibration.Outcomes {
			// One axis of financial years covering both estimators' series.
			idx := map[string]int{}
			var years []string
			vest := -1
			for _, f := range s.Fits {
				if f.Outcome != o {
					continue
				}
				for _, p := range f.Series {
					if _, ok := idx[p.FinancialYear]; !ok {
						idx[p.FinancialYear] = len(years)
						years = append(years, p.FinancialYear)
					}
				}
			}
			sortStrings(years)
			for i, y := range years {
				idx[y] = i
			}
			p := chart.OutcomePanel{Title: s.Successor + ": " + o.Label(), Years: years, Actual: nanSlice(len(years))}
			for _, f := range s.Fits {
				if f.Outcome != o {
					continue
				}
				name := "synthetic control"
				if f.Estimator == calibration.EstimatorDiD {
					name = "difference-in-differences"
				}
				line := chart.CounterfactualLine{Name: name, Values: nanSlice(len(years))}
				for _, pt := range f.Series {
					i := idx[pt.FinancialYear]
					p.Actual[i] = pt.Actual
					line.Values[i] = pt.Counterfactual
					if pt.Year == 1 {
						vest = i
					}
				}
				p.Lines = append(p.Lines, line)
			}
			p.Vest = vest
			panels = append(panels, p)
		}
		figs = append(figs, chart.EvidenceFigure(s.Successor, panels))
	}
	return figs
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
