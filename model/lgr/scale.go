package lgr

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
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
	// Functions are the staff functions: cost bases named FUNCTION_staff,
	// in first-seen order. For each, StaffBase[f][t] is the function's
	// staff cost base, £ a year; StaffSaving[f][t] the annual saving at full
	// effect of the savings on it alone (base x reduction x scale x
	// realisation, as the cash flow has it once ramped, £ a year); Posts[f][t]
	// that saving over the trial's cost per FTE (posts removed).
	Functions              []string
	StaffBase, StaffSaving [][]float64
	Posts                  [][]float64
	// Indicators are the service-quality indicators, in first-seen order;
	// QualityEnd[k][t] is the change from the baseline (year 0) at the
	// horizon and QualityWorst[k][t] the worst year's change (0 if no year is worse), both signed so
	// that positive is better (lower-is-better indicators negated), the
	// population-weighted mean over areas.
	Indicators               []string
	QualityEnd, QualityWorst [][]float64
}

// CostPerFTEInput is the name of the input RunScale adds for the cost of
// one full-time post (shared by every area: one national pay level).
const CostPerFTEInput = "cost_per_fte"

// Scale is the integration's scale for RunScale's areas.
type Scale struct {
	// Systems sums the areas' SystemCount by category, in first-seen order.
	Systems []SystemCount
	// Indicators are the first area's quality indicators (name, unit,
	// direction) for the draws' Indicators.
	Indicators []Indicator
	Draws      ScaleDraws
}

// RunScale runs every area's scenario, undiscounted, on one seed (areas
// share national inputs as opt.Sharing says, with RunNational's design
// order) and returns the integration's scale summed over areas trial by
// trial. Money is in the scenarios' price base.
//
// costPerFTE, £ a year including on-costs, turns staff savings into posts
// (nil: no posts).
func RunScale(ctx context.Context, areas []NationalArea, opt NationalOptions, costPerFTE dist.Distribution) (*Scale, error) {
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
	order = append(order, CostPerFTEInput)
	stride := (qmc.MaxSobolDims - len(order)) / max(1, len(areas))
	n := opt.Iterations
	// First every area's compiled model and run options, so that what the
	// runs and the sums hold is known before anything is allocated.
	type areaRun struct {
		c   *Compiled
		eo  engine.Options
		nIT int
	}
	runs := make([]areaRun, len(areas))
	functions, indicators := map[string]bool{}, map[string]bool{}
	years := 0
	var biggest engine.Memory
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
		if costPerFTE != nil {
			m := *c.Model // the cash flow does not read the added input
			m.Inputs = append(slices.Clip(m.Inputs), engine.Input{Name: CostPerFTEInput, Dist: costPerFTE})
			cc := *c
			cc.Model = &m
			c = &cc
		}
		var keep []int
		for l, ln := range c.Lines {
			if ln.IT && ln.OneOff {
				keep = append(keep, c.OutLine+l)
			}
		}
		nIT := len(keep)
		for k := range c.Indicators {
			for y := 0; y < c.Years; y++ {
				keep = append(keep, c.OutQuality+k*c.Years+y)
			}
		}
		eo := opt.Options
		eo.Keep, eo.Sample, eo.Above, eo.KeepInputs = keep, nil, nil, true
		if len(areas) > 1 {
			eo.DesignOrder = append(areaDesignOrder(order, c.Model, ai, stride), eo.DesignOrder...)
		}
		runs[ai] = areaRun{c, eo, nIT}
		years = max(years, c.Years)
		for _, b := range c.Scenario.CostBases {
			if fn, ok := strings.CutSuffix(strings.ToLower(b.Name), "_staff"); ok {
				functions[fn] = true
			}
		}
		for _, q := range c.Indicators {
			indicators[q.Name] = true
		}
		free := eo
		free.MemoryLimit = 0
		p, err := engine.NewPlan(c.Model, free)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		if p.Memory.Total() > biggest.Total() {
			biggest = p.Memory
		}
	}
	// The sums by trial (ScaleDraws; a saving's function is a cost base's)
	// and one area's run at a time.
	cols := int64(3 + years + 3*len(functions) + 2*len(indicators))
	need := 8*cols*int64(n) + biggest.Total()
	if lim := opt.MemoryLimit; lim > 0 && need > lim {
		return nil, &engine.MemoryError{Need: need, Limit: lim, Fixed: biggest.Tables + biggest.Working}
	}
	out := &Scale{Draws: ScaleDraws{ITOneOff: make([]float64, n), LicenceRetired: make([]float64, n), LicenceNew: make([]float64, n)}}
	byCat := map[string]int{}
	pop := 0.0
	for _, a := range areas {
		pop += a.Population
	}
	for ai, a := range areas {
		c, eo, nIT := runs[ai].c, runs[ai].eo, runs[ai].nIT
		raw, err := engine.Run(ctx, c.Model, eo)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		if raw.Iterations != n {
			return nil, fmt.Errorf("%s: %d trials run, %d asked", a.Name, raw.Iterations, n)
		}
		for _, k := range raw.Kept[:nIT] {
			for t, v := range k {
				out.Draws.ITOneOff[t] += v
			}
		}
		c.addQuality(raw.Kept[nIT:], a.Population/pop, &out.Draws)
		if out.Indicators == nil {
			out.Indicators = c.Indicators
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
		c.addStaff(raw.Inputs, costPerFTE != nil, &out.Draws)
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

// index returns the position of name in *names, appending it if new, and
// grows each of cols to match with columns of n zeros.
func index(names *[]string, name string, n int, cols ...*[][]float64) int {
	for i, v := range *names {
		if v == name {
			return i
		}
	}
	*names = append(*names, name)
	for _, c := range cols {
		*c = append(*c, make([]float64, n))
	}
	return len(*names) - 1
}

// realised returns trial t's savings-realisation factor: the input itself,
// or, when ForArea shares it in part, its value from the two factors.
func (c *Compiled) realised(in [][]float64, t int) float64 {
	for _, p := range c.parts {
		if p.slot == c.realIdx {
			u := []float64{p.uniform(in[p.common][t], in[p.slot][t])}
			dist.FillFromUniform(p.d, u)
			return u[0]
		}
	}
	return in[c.realIdx][t]
}

// addStaff adds one area's staff cost bases, savings at full effect and
// posts removed by function (the savings whose every base is a cost base
// named FUNCTION_staff; a saving's amount at full effect is base x
// reduction x scale x realisation, eval.go's evalSaving once ramped).
func (c *Compiled) addStaff(in [][]float64, posts bool, d *ScaleDraws) {
	n := len(d.ITOneOff)
	cpf := len(c.Model.Inputs) - 1
	for _, b := range c.Scenario.CostBases {
		fn, ok := strings.CutSuffix(strings.ToLower(b.Name), "_staff")
		if !ok {
			continue
		}
		f := index(&d.Functions, fn, n, &d.StaffBase, &d.StaffSaving, &d.Posts)
		j := c.baseIdx[strings.ToLower(b.Name)]
		for t := range n {
			d.StaffBase[f][t] += in[j][t]
		}
	}
	for i, sv := range c.Scenario.Savings {
		fn := ""
		for _, b := range sv.Base {
			f, ok := strings.CutSuffix(strings.ToLower(b), "_staff")
			if !ok || (fn != "" && f != fn) {
				fn = ""
				break
			}
			fn = f
		}
		if fn == "" || sv.Amount != nil {
			continue
		}
		f := index(&d.Functions, fn, n, &d.StaffBase, &d.StaffSaving, &d.Posts)
		sc := &c.saveInputs[i]
		for t := range n {
			base := 0.0
			for _, tm := range sc.base {
				base += tm.coef * in[tm.idx][t]
			}
			v := base * in[sc.red][t] * sc.scale * c.realised(in, t)
			d.StaffSaving[f][t] += v
			if posts {
				d.Posts[f][t] += v / in[cpf][t]
			}
		}
	}
}

// addQuality adds one area's quality indicators, weighted by w, from the
// kept outputs (indicator k's years 0..H at kept[k*Years : (k+1)*Years]).
func (c *Compiled) addQuality(kept [][]float64, w float64, d *ScaleDraws) {
	n := len(d.ITOneOff)
	for k, q := range c.Indicators {
		f := index(&d.Indicators, q.Name, n, &d.QualityEnd, &d.QualityWorst)
		ys := kept[k*c.Years : (k+1)*c.Years]
		sign := 1.0
		if q.LowerIsBetter {
			sign = -1
		}
		for t := range n {
			worst := 0.0
			for _, y := range ys[1:] {
				worst = math.Min(worst, sign*(y[t]-ys[0][t]))
			}
			d.QualityEnd[f][t] += w * sign * (ys[len(ys)-1][t] - ys[0][t])
			d.QualityWorst[f][t] += w * worst
		}
	}
}
