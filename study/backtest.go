package study

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// WholeModelRow places one realised figure of a 2023 reorganisation in the
// predictive distribution of the whole model, built from the predecessors'
// own pre-merger data (docs/MODEL.md §13).
type WholeModelRow struct {
	Case    string `json:"case"`
	Measure string `json:"measure"`
	// Year is the year after vesting the figure refers to; the model is run
	// to that horizon (one-off costs to date; gross savings in that year).
	Year     int     `json:"year_after_vesting"`
	Realised float64 `json:"realised_gbp"`
	Source   string  `json:"realised_source"`
	Quality  string  `json:"quality"`
	// The model's predictive P5, P50 and P95, the realised figure's
	// percentile in it, and whether it lies in the central 90%.
	placement
	// Scenario says how the option was built.
	Scenario string `json:"scenario"`
}

// Reorganised2023 are the 2023 reorganisations as they happened: Cumbria
// into Cumberland (Allerdale, Carlisle, Copeland) and Westmorland and
// Furness (Barrow-in-Furness, Eden, South Lakeland); North Yorkshire and
// Somerset each into one unitary.
var Reorganised2023 = map[string]area.AreaOptions{
	"Cumbria": {Groups: []area.Group{{Name: "Cumberland", Members: []string{"Allerdale", "Carlisle", "Copeland"}},
		{Name: "Westmorland and Furness", Members: []string{"Barrow-in-Furness", "Eden", "South Lakeland"}}}},
	"North Yorkshire": {Unitaries: 1},
	"Somerset":        {Unitaries: 1},
}

// BacktestWholeModel builds each 2023 reorganisation from its
// predecessors' 2022-23 data (the default, contract-driven integration),
// with the calibrated defaults (savings realisation, ramp stretch, non-IT
// overrun) refitted without any of that area's outturns (held out), and
// places every realised outturn of it (calibration/data) in the model's
// predictive distribution: one-off costs to the year the figure was
// reported, gross cashable savings in the year after vesting reported.
// Outturns are restated from calibration.PriceBase prices in the
// scenario's own (2022/23) by the GDP deflator.
// Rows whose case names a narrower scope, e.g. "Somerset 2023 (staff)", are
// left out: the model's figure covers every line.
func BacktestWholeModel(ctx context.Context, iterations int, seed uint64, workers int) ([]WholeModelRow, error) {
	outturns, err := calibration.AllOutturns()
	if err != nil {
		return nil, err
	}
	return backtestWholeModel(ctx, outturns, iterations, seed, workers)
}

// backtestWholeModel is BacktestWholeModel on the given outturns.
func backtestWholeModel(ctx context.Context, outturns []calibration.Outturn, iterations int, seed uint64, workers int) ([]WholeModelRow, error) {
	names := make([]string, 0, len(Reorganised2023))
	for n := range Reorganised2023 {
		names = append(names, n)
	}
	sort.Strings(names)
	var rows []WholeModelRow
	for _, name := range names {
		a, err := area.FindArea(name)
		if err != nil {
			return nil, err
		}
		var train []calibration.Outturn
		for _, o := range outturns {
			if !strings.HasPrefix(o.Case, name+" 2023") {
				train = append(train, o)
			}
		}
		fit, err := calibration.FitDefaults(train)
		if err != nil {
			return nil, err
		}
		ln := func(p calibration.LogNormalParams) dist.Distribution {
			d, _ := dist.NewLogNormal(p.Mu, p.Sigma)
			return d
		}
		// The area's own business cases are held out of the generated
		// defaults too (area.AreaOptions.HoldOut: Somerset's 2020 case is
		// one of the staff-saving cases).
		opt := Reorganised2023[name]
		opt.HoldOut = []string{name}
		g, err := area.BuildArea(a, opt)
		if err != nil {
			return nil, err
		}
		base := *g.Scenario
		base.SavingsRealisation = ln(fit.SavingsRealisation)
		base.RampStretch = ln(fit.RampStretch)
		base.OtherOverrun = ln(fit.OtherOverrun)
		for _, o := range outturns {
			if !strings.HasPrefix(o.Case, name+" 2023") || strings.Contains(o.Case, "(") {
				continue
			}
			if o.Measure != "one_off_cost" && o.Measure != "savings" {
				continue
			}
			year := max(o.Year, 1)
			h := year
			sc := base
			sc.Horizon = h
			c, err := lgr.Compile(&sc)
			if err != nil {
				return nil, err
			}
			k := c.OutOneOff
			if o.Measure == "savings" {
				k = c.OutSavings + year
			}
			res, err := engine.Run(ctx, c.Model, engine.Options{Iterations: iterations, Seed: seed, Workers: workers, Keep: []int{k}})
			if err != nil {
				return nil, err
			}
			// The model's money is in its scenario's prices (2022/23); the
			// outturn is in calibration.PriceBase prices: restate it.
			py, err := calibration.PriceBaseStart(base.PriceBase)
			if err != nil {
				return nil, err
			}
			realised, err := calibration.InPricesOf(o.Realised, py)
			if err != nil {
				return nil, err
			}
			rows = append(rows, WholeModelRow{Case: o.Case, Measure: o.Measure, Year: year, Realised: realised,
				Source: o.RealisedSource, Quality: o.Quality, placement: place(res.Kept[0], realised),
				Scenario: fmt.Sprintf("devolve area %q, horizon %d (2022-23 data), defaults fitted without %s's outturns", name, h, name)})
		}
	}
	return rows, nil
}
