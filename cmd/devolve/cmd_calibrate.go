package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/notation"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

type calibrateOptions struct {
	column, families, quantiles, pert, format, update string
	panel                                             string
	lower, upper                                      float64
	list                                              bool
	bootstrap                                         int
	seed                                              uint64
}

func cmdCalibrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o calibrateOptions
	var c commonFlags
	fs := newFlagSet("calibrate", "devolve calibrate FILE.csv --column C [--families ...] | --quantiles P:V,... | --pert MIN,MODE,MAX | --panel FILE.csv | --list | --update savings", stderr)
	fs.StringVar(&o.column, "column", "", "the CSV column to fit")
	fs.StringVar(&o.families, "families", "", "families to fit, comma-separated: "+strings.Join(calibration.Families, ", ")+" (default all the data allow)")
	fs.Float64Var(&o.lower, "lower", 0, "lower end of the beta family's range; with --quantiles, a lower bound for the metalog")
	fs.Float64Var(&o.upper, "upper", 0, "upper end of the beta family's range")
	fs.IntVar(&o.bootstrap, "bootstrap", 200, "parametric bootstrap resamples for the KS and AD p-values (1 to 10000)")
	fs.StringVar(&o.quantiles, "quantiles", "", `expert judgement: percentiles and values, e.g. "10:6m,50:9m,90:25m"`)
	fs.StringVar(&o.pert, "pert", "", `expert judgement: minimum, most likely, maximum, e.g. "6m,9m,25m"`)
	fs.StringVar(&o.panel, "panel", "", "expert panel: a CSV file with columns expert, quantity, percentile, value (and optionally weight); fits each expert and pools them (linear pool)")
	fs.BoolVar(&o.list, "list", false, "list the named reference priors shipped with devolve")
	fs.StringVar(&o.update, "update", "", "update a prior on outturns: savings (Somerset and Dorset)")
	c.register(fs, withSeed|withFormat, 0, []string{"table", "json", "markdown"})
	pos, err := parseFlags(fs, args, 0, 1)
	if err != nil {
		return err
	}
	o.seed, o.format = c.seed, c.format
	errs := []error{c.verify(), finiteFlag("--lower", o.lower), finiteFlag("--upper", o.upper)}
	if o.bootstrap < 1 || o.bootstrap > 10_000 {
		errs = append(errs, usagef("--bootstrap: must be between 1 and 10000 (got %d)", o.bootstrap))
	}
	modes := 0
	for _, on := range []bool{o.list, o.update != "", o.quantiles != "" || o.pert != "", o.panel != "", len(pos) > 0 || o.column != ""} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		errs = append(errs, usagef("give one of FILE.csv --column C, --quantiles/--pert, --panel, --list or --update"))
	}
	if modes == 0 {
		errs = append(errs, usagef("give FILE.csv --column C, --quantiles/--pert, --panel, --list or --update (devolve calibrate -h)"))
	}
	if (len(pos) > 0) != (o.column != "") && modes == 1 {
		errs = append(errs, usagef("fitting data needs both FILE.csv and --column C"))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	lowerSet := false
	fs.Visit(func(f *flag.Flag) { lowerSet = lowerSet || f.Name == "lower" || f.Name == "upper" })
	if lowerSet && o.upper != 0 && !(o.upper > o.lower) {
		return usagef("--upper: must be greater than --lower (got %g <= %g)", o.upper, o.lower)
	}
	switch {
	case o.list:
		return calibrateList(&o, stdout)
	case o.update != "":
		if o.update != "savings" {
			return usagef("--update: only \"savings\" is known (got %q)", o.update)
		}
		p, err := calibration.SavingsPosterior()
		if err != nil {
			return err
		}
		if o.format == "json" {
			return writeCalibrateJSON(stdout, map[string]any{"observed": p.Observed, "labels": p.Labels, "tau": calibration.Tau,
				"prior_mu": p.PriorMu, "prior_sd": p.PriorSD, "posterior_mu": p.PostMu, "posterior_sd": p.PostSD,
				"predictive_p5": p.Predictive.Quantile(0.05), "predictive_p50": p.Predictive.Quantile(0.5), "predictive_p95": p.Predictive.Quantile(0.95),
				"predictive_mean": p.Predictive.Mean(), "reweight_mean": p.ReweightMean, "ess": p.ESS})
		}
		fmt.Fprintf(stdout, "Savings realisation (realised / business case, at full phasing), prior PERT(0.5, 0.85, 1.3),\nupdated on Somerset (year 2) and Dorset (year 4), each divided by the default phasing at its year\n(superseded by the fitted defaults: devolve backtest):\n%s\n", p.Summary())
		_, err = fmt.Fprintf(stdout, "Snippet: {dist: lognormal, mu: %.4f, sigma: %.4f}   # or {reference: savings-realisation-updated}\n", p.PostMu, math.Sqrt(p.PostSD*p.PostSD+calibration.Tau*calibration.Tau))
		return err
	case o.panel != "":
		return calibratePanel(ctx, &o, lowerSet, stdout)
	case o.quantiles != "" || o.pert != "":
		return calibrateExpert(&o, lowerSet, stdout)
	}
	x, err := readColumn(pos[0], o.column)
	if err != nil {
		return &usageError{err}
	}
	opt := calibration.FitOptions{Context: ctx, Bootstrap: o.bootstrap, Seed: o.seed, Lower: o.lower, Upper: o.upper, HasRange: lowerSet && o.upper > o.lower}
	if o.families != "" {
		opt.Families = strings.Split(o.families, ",")
	}
	rep, err := calibration.FitData(x, opt)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err != nil {
		return usagef("%s: column %s: %v", pos[0], o.column, err)
	}
	if o.format == "json" {
		doc := struct {
			Version   string `json:"version"`
			File      string `json:"file"`
			Column    string `json:"column"`
			Seed      uint64 `json:"seed"`
			Bootstrap int    `json:"bootstrap"`
			*calibration.Report
		}{version, pos[0], o.column, o.seed, o.bootstrap, rep}
		return writeCalibrateJSON(stdout, doc)
	}
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"rank", "family", "parameters (± se)", "AIC", "BIC", "KS", "KS p", "AD", "AD p"})
	for i, f := range rep.Fits {
		var ps []string
		for _, k := range familyParamOrder(f) {
			ps = append(ps, fmt.Sprintf("%s %.4g ± %.2g", k, f.Params[k], f.SE[k]))
		}
		t.AppendRow(table.Row{i + 1, f.Family, strings.Join(ps, ", "), fmt.Sprintf("%.2f", f.AIC), fmt.Sprintf("%.2f", f.BIC),
			fmt.Sprintf("%.3f", f.KS), fmt.Sprintf("%.2f", f.KSP), fmt.Sprintf("%.3f", f.AD), fmt.Sprintf("%.2f", f.ADP)})
	}
	fmt.Fprintf(stdout, "%d values from %s, column %s; p-values by parametric bootstrap (%d resamples, refitted)\n", rep.N, report.Sanitize(pos[0]), report.Sanitize(o.column), o.bootstrap)
	if o.format == "markdown" {
		fmt.Fprintln(stdout, t.RenderMarkdown())
	} else {
		fmt.Fprintln(stdout, t.Render())
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stdout, "warning: %s\n", w)
	}
	for _, f := range rep.Fits {
		for _, w := range f.Warnings {
			fmt.Fprintf(stdout, "warning: %s: %s\n", f.Family, w)
		}
	}
	_, err = fmt.Fprintf(stdout, "\nScenario snippet (best fit):\n  %s\n", rep.Fits[0].Snippet)
	return err
}

// writeCalibrateJSON writes v as JSON; a failure (a value JSON cannot
// hold, a closed output) is reported on stderr with exit status 1.
func writeCalibrateJSON(stdout io.Writer, v any) error {
	if err := report.WriteJSON(stdout, v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

func familyParamOrder(f calibration.Fit) []string {
	order := map[string][]string{"normal": {"mean", "sd"}, "lognormal": {"mu", "sigma"}, "gamma": {"shape", "rate"},
		"weibull": {"shape", "scale"}, "exponential": {"rate"}, "beta": {"alpha", "beta"},
		"lognormal_mixture": {"weight1", "mu1", "sigma1", "mu2", "sigma2"}}
	return order[f.Family]
}

// readColumn reads one numeric column of a CSV file, naming the row of any bad value.
func readColumn(path, column string) ([]float64, error) {
	b, err := inputfile.Read(path, 50<<20)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("%s: no data rows", path)
	}
	col := -1
	for i, h := range recs[0] {
		if strings.TrimSpace(h) == column {
			col = i
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no column %q%s (columns: %s)", path, column, suggest.Hint(column, recs[0]), inputfile.Excerpt(strings.Join(recs[0], ", ")))
	}
	var x []float64
	for i, rec := range recs[1:] {
		cell := strings.TrimSpace(rec[col])
		if cell == "" {
			continue
		}
		v, err := notation.ParseAmount(cell)
		if err != nil {
			return nil, fmt.Errorf("%s: row %d, column %s: %v", path, i+2, column, err)
		}
		x = append(x, v)
	}
	return x, nil
}

func calibrateExpert(o *calibrateOptions, bounded bool, stdout io.Writer) error {
	var js []calibration.Judgement
	var notes []string
	if o.pert != "" {
		parts := strings.Split(o.pert, ",")
		if len(parts) != 3 {
			return usagef("--pert: give MIN,MODE,MAX")
		}
		var v [3]float64
		for i, p := range parts {
			f, err := notation.ParseAmount(p)
			if err != nil {
				return usagef("--pert: %v", err)
			}
			v[i] = f
		}
		j, err := calibration.FromThreePoints(v[0], v[1], v[2])
		if err != nil {
			return usagef("--pert: %v", err)
		}
		js = append(js, j)
	}
	if o.quantiles != "" {
		qs, err := calibration.ParseQuantiles(o.quantiles)
		if err != nil {
			return usagef("--quantiles: %v", err)
		}
		j, n := calibration.FromQuantiles(qs, o.lower, bounded)
		js, notes = append(js, j...), n
	}
	if o.format == "json" {
		return writeCalibrateJSON(stdout, map[string]any{"candidates": js, "notes": notes})
	}
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"family", "P5", "P50", "P95", "mean", "largest miss of the given points", "scenario snippet"})
	for _, j := range js {
		t.AppendRow(table.Row{j.Family, report.Num(j.Dist.Quantile(0.05)), report.Num(j.Dist.Quantile(0.5)), report.Num(j.Dist.Quantile(0.95)),
			report.Num(j.Dist.Mean()), fmt.Sprintf("%.1f%%", 100*j.MaxError), j.Snippet})
	}
	fmt.Fprintln(stdout, t.Render())
	for _, n := range notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	return nil
}

func calibrateList(o *calibrateOptions, stdout io.Writer) error {
	ps, err := calibration.Priors()
	if err != nil {
		return err
	}
	if o.format == "json" {
		type row struct {
			Name    string  `json:"name"`
			Source  string  `json:"source"`
			Check   string  `json:"check"`
			Snippet string  `json:"snippet"`
			P5      float64 `json:"p5"`
			P50     float64 `json:"p50"`
			P95     float64 `json:"p95"`
			Mean    float64 `json:"mean"`
		}
		var rows []row
		for _, p := range ps {
			rows = append(rows, row{p.Name, p.Source, p.Check, p.Snippet, p.Dist.Quantile(0.05), p.Dist.Quantile(0.5), p.Dist.Quantile(0.95), p.Dist.Mean()})
		}
		return writeCalibrateJSON(stdout, rows)
	}
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"name", "P5", "P50", "P95", "mean", "source", "check against the evidence"})
	for _, p := range ps {
		t.AppendRow(table.Row{p.Name, report.Num(p.Dist.Quantile(0.05)), report.Num(p.Dist.Quantile(0.5)), report.Num(p.Dist.Quantile(0.95)), report.Num(p.Dist.Mean()), p.Source, p.Check})
	}
	t.SetColumnConfigs([]table.ColumnConfig{{Number: 6, WidthMax: 50}, {Number: 7, WidthMax: 60}})
	fmt.Fprintln(stdout, t.Render())
	_, err = fmt.Fprintln(stdout, "Use one in a scenario as e.g. it_overrun: {reference: it-cost-overrun}")
	return err
}

// calibratePanel fits and pools an expert panel (calibration.PoolPanel).
func calibratePanel(ctx context.Context, o *calibrateOptions, bounded bool, stdout io.Writer) error {
	b, err := inputfile.Read(o.panel, calibration.MaxPanelSize)
	if err != nil {
		return usagef("%s: %v", o.panel, err)
	}
	rows, err := calibration.ReadPanel(bytes.NewReader(b))
	if err == nil {
		var pq []calibration.PooledQuantity
		if pq, err = calibration.PoolPanel(rows, calibration.PanelOptions{Lower: o.lower, Bounded: bounded, Context: ctx}); err == nil {
			return renderPanel(o, pq, stdout)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &usageError{fielderr.InFile(o.panel, err)} // each problem names the file
}

func renderPanel(o *calibrateOptions, pq []calibration.PooledQuantity, stdout io.Writer) error {
	if o.format == "json" {
		return writeCalibrateJSON(stdout, struct {
			Version    string                       `json:"version"`
			File       string                       `json:"file"`
			Quantities []calibration.PooledQuantity `json:"quantities"`
		}{version, o.panel, pq})
	}
	san := report.Sanitize
	for _, q := range pq {
		fmt.Fprintf(stdout, "%s: %d experts, linear opinion pool\n", san(q.Quantity), len(q.Experts))
		t := table.NewWriter()
		t.SetStyle(table.StyleLight)
		t.AppendHeader(table.Row{"expert", "weight", "fitted", "P5", "P50", "P95", "mean", "sd", "largest miss"})
		for _, e := range q.Experts {
			t.AppendRow(table.Row{san(e.Expert), fmt.Sprintf("%.3g", e.Weight), e.Family, report.Num(e.P5), report.Num(e.P50), report.Num(e.P95),
				report.Num(e.Mean), report.Num(e.SD), fmt.Sprintf("%.1f%%", 100*e.MaxError)})
		}
		t.AppendSeparator()
		t.AppendRow(table.Row{"linear pool", "1", "mixture", report.Num(q.P5), report.Num(q.P50), report.Num(q.P95), report.Num(q.Mean), report.Num(q.SD), ""})
		t.SetColumnConfigs([]table.ColumnConfig{{Number: 2, Align: text.AlignRight}, {Number: 4, Align: text.AlignRight}, {Number: 5, Align: text.AlignRight},
			{Number: 6, Align: text.AlignRight}, {Number: 7, Align: text.AlignRight}, {Number: 8, Align: text.AlignRight}})
		if o.format == "markdown" {
			fmt.Fprintln(stdout, t.RenderMarkdown())
		} else {
			fmt.Fprintln(stdout, t.Render())
		}
		fmt.Fprintf(stdout, "Spread between experts: medians from %s to %s; their different means are %.0f%% of the pool's variance.\n",
			report.Num(q.MedianLo), report.Num(q.MedianHi), 100*q.BetweenShare)
		if _, err := fmt.Fprintf(stdout, "Scenario snippet (the pool):\n  %s: %s\n\n", san(q.Quantity), q.Snippet); err != nil {
			return err
		}
	}
	return nil
}
