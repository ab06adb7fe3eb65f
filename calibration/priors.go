package calibration

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// Prior is a named reference distribution a scenario can use as
// {reference: NAME}.
type Prior struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	// Check lists how the prior places the shipped reference cases
	// (percentiles), or its fit statistics when it was fitted.
	Check   string            `json:"check"`
	Snippet string            `json:"snippet"`
	Dist    dist.Distribution `json:"-"`
}

var (
	priorsOnce sync.Once
	priors     []Prior
	priorsErr  error
)

// Priors returns the named priors shipped with devolve (computed once).
func Priors() ([]Prior, error) {
	priorsOnce.Do(func() { priors, priorsErr = buildPriors() })
	return priors, priorsErr
}

func buildPriors() ([]Prior, error) {
	var out []Prior
	it := lgr.DefaultITOverrun()
	cases, err := readCSV("it_cost_overruns.csv")
	if err != nil {
		return nil, err
	}
	var checks []string
	for _, c := range cases {
		var r float64
		fmt.Sscan(c["ratio"], &r)
		checks = append(checks, fmt.Sprintf("%s x%.2f at P%.1f", strings.SplitN(c["case"], " ", 2)[0], r, 100*it.CDF(r)))
	}
	stats, err := readCSV("it_overrun_reference_class.csv")
	if err != nil {
		return nil, err
	}
	for _, st := range stats {
		var v float64
		fmt.Sscan(st["value"], &v)
		var ours float64
		switch st["statistic"] {
		case "share of projects overrunning cost by more than 10%":
			ours = 1 - it.CDF(1.1)
		case "share of black swans":
			ours = 1.0 / 6
		case "black-swan mean multiplier":
			ours = blackSwanMean()
		case "mean multiplier":
			ours = it.Mean()
		case "share overrunning by more than 50%":
			ours = 1 - it.CDF(1.5)
		default:
			continue
		}
		checks = append(checks, fmt.Sprintf("%s %.2f (published %.2f)", st["statistic"], ours, v))
	}
	out = append(out, Prior{Name: "it-cost-overrun", Dist: it,
		Source:  "Flyvbjerg & Budzier 2011 (1,471 IT projects; 1 in 6 a black swan); PMJ 2025 tail index; EVIDENCE.md §6",
		Check:   strings.Join(checks, "; "),
		Snippet: "{reference: it-cost-overrun}"})

	rows, err := Outturns()
	if err != nil {
		return nil, err
	}
	var ratios []float64
	var names []string
	for _, o := range rows {
		if o.Measure == MeasureOneOffCost {
			ratios = append(ratios, o.Ratio())
			names = append(names, fmt.Sprintf("%s: %s", o.Case, o.Kind))
		}
	}
	rep, err := FitData(ratios, FitOptions{Families: []string{"lognormal"}, Bootstrap: 200, Seed: 1})
	if err != nil {
		return nil, err
	}
	f := rep.Fits[0]
	out = append(out, Prior{Name: "transition-cost-fitted", Dist: f.Dist,
		Source: fmt.Sprintf("lognormal fitted by maximum likelihood to the %d one-off cost rows of reorganisation_outturns.csv (%s), unweighted and without a prior; none is a realised outcome (measured or audited), so this fit is shown, never used", len(ratios), strings.Join(names, "; ")),
		Check: fmt.Sprintf("mu %.3f (se %.3f), sigma %.3f; KS %.3f (p %.2f), AD %.3f (p %.2f); only %d points: the default (transition-cost-overrun) is EVIDENCE.md §9's prior",
			f.Params["mu"], f.SE["mu"], f.Params["sigma"], f.KS, f.KSP, f.AD, f.ADP, len(ratios)),
		Snippet: f.Snippet})
	out = append(out, Prior{Name: "transition-cost-overrun", Dist: lgr.DefaultOtherOverrun(),
		Source: fmt.Sprintf("lgr.DefaultOtherOverrun: median %.2f, 90%% %.2f-%.2f; EVIDENCE.md §9's prior itself (median 1.05, P90 1.5): no one-off cost is a realised outcome (docs/MODEL.md, calibration on outturns)",
			lgr.DefaultOtherOverrun().Quantile(0.5), lgr.DefaultOtherOverrun().Quantile(0.05), lgr.DefaultOtherOverrun().Quantile(0.95)),
		Check: placeAll(lgr.DefaultOtherOverrun(), ratios), Snippet: "{reference: transition-cost-overrun}"})
	out = append(out, Prior{Name: "savings-realisation", Dist: lgr.DefaultSavingsRealisation(),
		Source:  "lgr.DefaultSavingsRealisation: " + fitted(lgr.DefaultSavingsRealisation()),
		Check:   "see devolve backtest (each outturn held out in turn)",
		Snippet: "{reference: savings-realisation}"})
	out = append(out, Prior{Name: "ramp-stretch", Dist: lgr.DefaultRampStretch(),
		Source:  "lgr.DefaultRampStretch: " + fitted(lgr.DefaultRampStretch()),
		Check:   "see devolve backtest (each outturn held out in turn)",
		Snippet: "{reference: ramp-stretch}"})
	post, err := SavingsPosterior()
	if err != nil {
		return nil, err
	}
	out = append(out, Prior{Name: "savings-realisation-updated", Dist: post.Predictive,
		Source:  "EVIDENCE.md §9's PERT(0.5, 0.85, 1.3) updated on Somerset and Dorset, both council-reported (not realised outcomes: neither measured nor audited), conjugate on the log scale; superseded by the fitted savings-realisation",
		Check:   post.Summary(),
		Snippet: "{reference: savings-realisation-updated}"})
	return out, nil
}

// fitted describes a default fitted by FitDefaults.
func fitted(d dist.Distribution) string {
	return fmt.Sprintf("median %.2f, 90%% %.2f-%.2f; the posterior predictive fitted by calibration.FitDefaults on the measured savings (calibration.MeasuredOutturns, %s prices; docs/MODEL.md, calibration on outturns)",
		d.Quantile(0.5), d.Quantile(0.05), d.Quantile(0.95), PriceBase)
}

func placeAll(d dist.Distribution, xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprintf("%.2f at P%.0f", x, 100*d.CDF(x)))
	}
	return strings.Join(s, "; ")
}

// Reference resolves a prior by name, for {reference: NAME} in scenarios.
func Reference(name string) (dist.Distribution, error) {
	if rest, ok := strings.CutPrefix(name, "panel:"); ok {
		return panelReference(rest)
	}
	ps, err := Priors()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range ps {
		if p.Name == name {
			return p.Dist, nil
		}
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("no reference distribution %q%s (known: %s)", name, suggest.Hint(name, names), strings.Join(names, ", "))
}

// blackSwanMean is the mean of the default IT overrun's tail component
// (Pareto, minimum 1.5, alpha 1.25, truncated at 8), by the midpoint rule
// on its quantiles.
func blackSwanMean() float64 {
	p, _ := dist.NewPareto(1.5, 1.25)
	t, _ := dist.NewTruncated(p, 1.5, 8)
	return t.Mean()
}

// panelReference resolves {reference: "panel:FILE.csv#QUANTITY"}: the
// linear pool of an expert panel's judgements of QUANTITY (PoolPanel, as
// devolve calibrate --panel FILE.csv prints it). FILE is read as a regular
// file of at most 10 MiB, relative to the working directory.
func panelReference(ref string) (dist.Distribution, error) {
	file, quantity, ok := strings.Cut(ref, "#")
	if !ok || file == "" || quantity == "" {
		return nil, fmt.Errorf("panel reference %q: expected \"panel:FILE.csv#QUANTITY\"", ref)
	}
	if !strings.EqualFold(filepath.Ext(file), ".csv") {
		return nil, fmt.Errorf("panel reference %q: the panel must be a .csv file", file)
	}
	data, err := inputfile.Read(file, MaxPanelSize)
	if err != nil {
		return nil, fmt.Errorf("panel reference %s: %w", file, err)
	}
	rows, err := ReadPanel(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("panel reference %s: %w", file, err)
	}
	pooled, err := PoolPanel(rows, PanelOptions{})
	if err != nil {
		return nil, fmt.Errorf("panel reference %s: %w", file, err)
	}
	var names []string
	for _, p := range pooled {
		if p.Quantity == quantity {
			return p.Pool, nil
		}
		names = append(names, p.Quantity)
	}
	return nil, fmt.Errorf("panel reference %s: no quantity %q%s (the panel has %s)", file, quantity, suggest.Hint(quantity, names), strings.Join(names, ", "))
}
