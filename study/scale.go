package study

import (
	"context"
	"fmt"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// Interval is a 90% interval with its centre (for staff numbers: the
// geometric centre of a product of lognormal factors).
type Interval struct {
	Mid float64 `json:"mid"`
	P5  float64 `json:"p5"`
	P95 float64 `json:"p95"`
}

// StaffScope is the staff in scope of a reorganisation, from the merging
// councils' staff cost base (MHCLG RSX employees, C1, every service line but
// education, police, fire and public health), in full-time equivalents.
type StaffScope struct {
	// CostPerYear is the staff cost base, £ a year cash (RSX year);
	// DerivedPerYear is the part estimated per resident for councils
	// without services data.
	CostPerYear    float64 `json:"cost_per_year"`
	DerivedPerYear float64 `json:"derived_per_year"`
	// FTE is CostPerYear over £40k-£50k per FTE (area.StaffFTE).
	FTE Interval `json:"fte"`
	// ByFunction splits FTE by area.FunctionShares (JUDGEMENT shares).
	ByFunction []FunctionFTE `json:"by_function"`
}

// FunctionFTE is one function's staff in scope.
type FunctionFTE struct {
	Function string   `json:"function"`
	FTE      Interval `json:"fte"`
}

// ScaleResult is the scale of the integration challenge for one area or for
// England (RunScale): documented JSON of `devolve scale`.
type ScaleResult struct {
	// Scope says what was reorganised, e.g. "Suffolk, 1 unitary".
	Scope      string `json:"scope"`
	Areas      int    `json:"areas"`
	Iterations int    `json:"iterations"`
	Seed       uint64 `json:"seed"`
	Sampling   string `json:"sampling"`
	// Sharing is how areas share the national inputs (national only).
	Sharing   string  `json:"sharing,omitempty"`
	Residents float64 `json:"residents"`
	// CouncilsBefore merge into CouncilsAfter unitaries.
	CouncilsBefore int      `json:"councils_before"`
	CouncilsAfter  int      `json:"councils_after"`
	Councils       []string `json:"councils,omitempty"`
	// Systems are the system instances by category; GenericInventory is
	// true when any category's counts come from the generic inventory (one
	// system per council running the service), not a named one.
	Systems          []lgr.SystemCount `json:"systems"`
	GenericInventory bool              `json:"generic_inventory"`
	// ContractsEnding[y-1] is the number of retired systems' contracts
	// ending in year y after vesting (y = 1..horizon; the last year counts
	// any later).
	ContractsEnding []lgr.Short `json:"contracts_ending_by_year"`
	Staff           StaffScope  `json:"staff_in_scope"`
	// ITOneOff is one-off IT spend, £ real, undiscounted (migrations, exit
	// fees, IT items, with the IT overrun); LicenceRetired the licence and
	// support of retired systems, £ a year (before savings realisation);
	// LicenceNew that of newly procured systems, £ a year.
	ITOneOff       lgr.Short `json:"it_one_off"`
	LicenceRetired lgr.Short `json:"licence_retired_per_year"`
	LicenceNew     lgr.Short `json:"licence_new_per_year"`
	PriceBase      string    `json:"price_base"`
}

// ScaleConfig says which reorganisation RunScale measures: one area (Area
// set, with AreaOptions) or every area as National says.
type ScaleConfig struct {
	Area        string
	AreaOptions area.AreaOptions
	National    NationalConfig
}

// RunScale measures the scale of the integration challenge.
func RunScale(ctx context.Context, cfg ScaleConfig, opt lgr.NationalOptions) (*ScaleResult, error) {
	out, _, err := runScale(ctx, cfg, opt)
	return out, err
}

// runScale is RunScale with the draws it summarised.
func runScale(ctx context.Context, cfg ScaleConfig, opt lgr.NationalOptions) (*ScaleResult, *lgr.Scale, error) {
	var areas []lgr.NationalArea
	var gens []*area.Generated
	out := &ScaleResult{Iterations: opt.Iterations, Seed: opt.Seed, Sampling: opt.Sampling.String()}
	if cfg.Area != "" {
		a, err := area.FindArea(cfg.Area)
		if err != nil {
			return nil, nil, err
		}
		g, err := area.BuildArea(a, cfg.AreaOptions)
		if err != nil {
			return nil, nil, err
		}
		c, err := g.Compile()
		if err != nil {
			return nil, nil, err
		}
		areas, gens = []lgr.NationalArea{{Name: a.Name, Population: a.Population, Compiled: c, SHA256: g.SHA256}}, []*area.Generated{g}
		out.Scope = g.Scenario.Name
		out.Councils = g.Councils
	} else {
		var err error
		if areas, gens, err = nationalAreas(cfg.National); err != nil {
			return nil, nil, err
		}
		out.Scope = fmt.Sprintf("England's %d two-tier areas, %s", len(areas), cfg.National.Describe())
		out.Sharing = opt.Sharing.String()
	}
	sc, err := lgr.RunScale(ctx, areas, opt, area.CostPerFTE())
	if err != nil {
		return nil, nil, err
	}
	out.Areas = len(areas)
	out.Systems = sc.Systems
	for _, s := range sc.Systems {
		out.GenericInventory = out.GenericInventory || !s.Inventory
	}
	for i, a := range areas {
		out.Residents += a.Population
		out.CouncilsBefore += len(gens[i].Councils)
		out.CouncilsAfter += len(a.Compiled.Successors)
		out.Staff.CostPerYear += gens[i].StaffCost
		out.Staff.DerivedPerYear += gens[i].StaffCostDerived
		out.PriceBase = a.Compiled.Scenario.PriceBase
	}
	// The cost per FTE is one national pay level, so the areas' staff
	// intervals are not independent: the interval is of the summed cost.
	iv := func(share [2]float64) Interval {
		m, lo, hi := area.StaffFTE(out.Staff.CostPerYear, out.Staff.DerivedPerYear, share)
		return Interval{m, lo, hi}
	}
	out.Staff.FTE = iv([2]float64{1, 1})
	for _, f := range area.FunctionShares {
		out.Staff.ByFunction = append(out.Staff.ByFunction, FunctionFTE{f.Name, iv(f.Share)})
	}
	s := new(engine.Scratch)
	out.ITOneOff = lgr.ShortOf(s.Summarize(sc.Draws.ITOneOff))
	out.LicenceRetired = lgr.ShortOf(s.Summarize(sc.Draws.LicenceRetired))
	out.LicenceNew = lgr.ShortOf(s.Summarize(sc.Draws.LicenceNew))
	for _, y := range sc.Draws.ContractsEnding[1:] {
		out.ContractsEnding = append(out.ContractsEnding, lgr.ShortOf(s.Summarize(y)))
	}
	return out, sc, nil
}
