package lgr

import (
	"context"
	"fmt"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/qmc"
)

// SystemCount is one system category's instances in a reorganisation
// (docs/MODEL.md §3): Before the predecessors' systems, After the
// successors', Retired those decommissioned (Before less the kept), New
// those procured (After less the kept), Migrations the migration projects
// (one per successor that brings anything in, for a category priced per
// consolidation; else one per system migrated).
type SystemCount struct {
	Category string `json:"category"`
	// Inventory is true when the counts come from a named inventory of the
	// predecessors' systems; false when they are a generic inventory (one
	// system per council running the service, as generated areas assume).
	Inventory  bool `json:"named_inventory"`
	Before     int  `json:"before"`
	After      int  `json:"after"`
	Retired    int  `json:"retired"`
	New        int  `json:"new"`
	Migrations int  `json:"migrations"`
}

// ScaleDraws are the integration's uncertain quantities, trial by trial,
// for one area or summed over areas within each trial (RunScale).
type ScaleDraws struct {
	// ITOneOff is the one-off IT spend, £ real, undiscounted over the
	// horizon: system migrations, exit fees and IT items, with the IT
	// overrun (and optimism bias) applied, as the cash flow has them.
	ITOneOff []float64
	// LicenceRetired is the annual licence and support of the retired
	// systems, £ a year (before savings realisation: the spend at stake);
	// LicenceNew that of newly procured systems, £ a year.
	LicenceRetired, LicenceNew []float64
	// ContractsEnding[y][t] is the number of retired systems whose
	// contracts end in year y after vesting (1..Horizon; index 0 unused) in
	// trial t; ends past the horizon are counted in the last year.
	ContractsEnding [][]float64
}

// Scale is the integration's scale for RunScale's areas.
type Scale struct {
	// Systems sums the areas' SystemCount by category, in first-seen order.
	Systems []SystemCount
	Draws   ScaleDraws
}

// RunScale runs every area's scenario, undiscounted, on one seed (areas
// share national inputs as opt.Sharing says, with RunNational's design
// order) and returns the integration's scale summed over areas trial by
// trial. Money is in the scenarios' price base.
func RunScale(ctx context.Context, areas []NationalArea, opt NationalOptions) (*Scale, error) {
	share := opt.Sharing.shares(opt.CommonShare)
	var order []string
	for _, name := range SharedInputs {
		if share[name] == 1 {
			order = append(order, name)
		}
	}
	for _, name := range SharedInputs {
		if c := share[name]; c > 0 && c < 1 {
			order = append(order, CommonFactor(name))
		}
	}
	stride := (qmc.MaxSobolDims - len(order)) / max(1, len(areas))
	n := opt.Iterations
	out := &Scale{Draws: ScaleDraws{ITOneOff: make([]float64, n), LicenceRetired: make([]float64, n), LicenceNew: make([]float64, n)}}
	byCat := map[string]int{}
	for ai, a := range areas {
		s := *a.Compiled.Scenario
		s.Discount = []DiscountBand{{0, 0}} // undiscounted: line outputs are sums over the years
		c0, err := CompileContext(ctx, &s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		c, err := c0.ForArea(a.Name, share)
		if err != nil {
			return nil, err
		}
		if len(areas) == 1 {
			c = c0 // one area: its own input names, so its draws are `devolve run`'s
		}
		var keep []int
		for l, ln := range c.Lines {
			if ln.IT && ln.OneOff {
				keep = append(keep, c.OutLine+l)
			}
		}
		eo := opt.Options
		eo.Keep, eo.Sample, eo.Above, eo.KeepInputs = keep, nil, nil, true
		if c != c0 {
			eo.DesignOrder = append(areaDesignOrder(order, c.Model, ai, stride), eo.DesignOrder...)
		}
		raw, err := engine.Run(ctx, c.Model, eo)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		if raw.Iterations != n {
			return nil, fmt.Errorf("%s: %d trials run, %d asked", a.Name, raw.Iterations, n)
		}
		for _, k := range raw.Kept {
			for t, v := range k {
				out.Draws.ITOneOff[t] += v
			}
		}
		if out.Draws.ContractsEnding == nil {
			out.Draws.ContractsEnding = make([][]float64, c.Years)
			for y := 1; y < c.Years; y++ {
				out.Draws.ContractsEnding[y] = make([]float64, n)
			}
		}
		if len(out.Draws.ContractsEnding) != c.Years {
			return nil, fmt.Errorf("%s: horizon differs from the other areas'", a.Name)
		}
		c.addScale(raw.Inputs, &out.Draws)
		for _, sc := range c.Systems {
			i, ok := byCat[sc.Category]
			if !ok {
				i = len(out.Systems)
				byCat[sc.Category] = i
				out.Systems = append(out.Systems, SystemCount{Category: sc.Category, Inventory: sc.Inventory})
			}
			t := &out.Systems[i]
			t.Inventory = t.Inventory && sc.Inventory
			t.Before += sc.Before
			t.After += sc.After
			t.Retired += sc.Retired
			t.New += sc.New
			t.Migrations += sc.Migrations
		}
		if opt.Progress != nil {
			opt.Progress(a.Name)
		}
	}
	return out, nil
}

// addScale adds one area's retired and new licences and contract ends,
// trial by trial, from its input draws (in[j][t]: input j, trial t), by the
// rules of the evaluation (eval.go, evalCategory): a category without an
// inventory retires Retired systems whose contracts all end in its
// contract-end year; with an inventory, each retired row ends in its own
// year; a new system costs the category's licence (or, with an inventory
// and no licence, the mean of the inventory's).
func (c *Compiled) addScale(in [][]float64, d *ScaleDraws) {
	last := c.Years - 1
	year := func(x float64) int { return min(last, max(1, roundYear(x))) }
	for k, sc := range c.sysInputs {
		cnt := c.Systems[k]
		for t := range d.ITOneOff {
			if sc.end >= 0 {
				if cnt.Retired > 0 {
					d.LicenceRetired[t] += sc.dec * in[sc.lic][t]
					d.ContractsEnding[year(in[sc.end][t])][t] += sc.dec
				}
			} else {
				for _, r := range sc.decRows {
					d.LicenceRetired[t] += in[r.lic][t]
					d.ContractsEnding[year(in[r.end][t])][t]++
				}
			}
			if sc.newSys > 0 {
				L := 0.0
				if sc.lic >= 0 {
					L = in[sc.lic][t]
				} else {
					for _, j := range sc.allRows {
						L += in[j][t]
					}
					L /= float64(len(sc.allRows))
				}
				d.LicenceNew[t] += sc.newSys * L
			}
		}
	}
}
