package lgr

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/model/dist"
)

// weights computes predW[p][s], the share of predecessor p going to
// successor s (1 for a district or unitary; for a county the given share, or
// the successor's share of the population of the county's other
// predecessors), the successors' populations and their population shares.
func (c *compiler) weights(cp *Compiled) {
	s := c.s
	nS := len(s.Successors)
	c.predW = make([][]float64, len(s.Predecessors))
	for p := range c.predW {
		c.predW[p] = make([]float64, nS)
	}
	nonCountyPop := make([]float64, nS)
	for si, sc := range s.Successors {
		for _, pn := range sc.Predecessors {
			p := c.predIdx[strings.ToLower(pn)]
			if s.Predecessors[p].Kind != County {
				c.predW[p][si] = 1
				nonCountyPop[si] += s.Predecessors[p].Population
			}
		}
	}
	for p, pr := range s.Predecessors {
		if pr.Kind != County {
			continue
		}
		var holders []int
		given := false
		for si, sc := range s.Successors {
			for _, pn := range sc.Predecessors {
				if strings.EqualFold(pn, pr.Name) {
					holders = append(holders, si)
				}
			}
			for pn, v := range sc.Shares {
				if strings.EqualFold(pn, pr.Name) {
					c.predW[p][si] = v
					given = true
				}
			}
		}
		if given {
			continue
		}
		tot := 0.0
		for _, si := range holders {
			tot += nonCountyPop[si]
		}
		for _, si := range holders {
			if tot > 0 {
				c.predW[p][si] = nonCountyPop[si] / tot
			} else {
				c.predW[p][si] = 1 / float64(len(holders))
			}
		}
	}
	cp.SuccessorPopulation = make([]float64, nS)
	total := 0.0
	for si := range s.Successors {
		pop := nonCountyPop[si]
		if pop == 0 {
			for p, pr := range s.Predecessors {
				pop += c.predW[p][si] * pr.Population
			}
		}
		cp.SuccessorPopulation[si] = pop
		total += pop
	}
	c.popW = make([]float64, nS)
	for si, pop := range cp.SuccessorPopulation {
		c.popW[si] = pop / total
	}
}

// system works out, for one category, how many systems are decommissioned,
// newly procured and migrated (see docs/MODEL.md, "Systems"), and registers
// its inputs and lines.
func (c *compiler) system(k int, sc SystemCategory) sysC {
	s := c.s
	nS := len(s.Successors)
	counts := make([]int, len(s.Predecessors))
	before := 0
	for pn, n := range sc.Counts {
		counts[c.predIdx[strings.ToLower(pn)]] = n
		before += n
	}
	rowsOf := make([][]int, len(s.Predecessors)) // inventory rows by predecessor
	if len(sc.Inventory) > 0 {
		clear(counts)
		before = len(sc.Inventory)
		for i, row := range sc.Inventory {
			p := c.predIdx[strings.ToLower(row.Predecessor)]
			counts[p]++
			rowsOf[p] = append(rowsOf[p], i)
		}
	}
	keptRow := make([]bool, len(sc.Inventory))
	// A county's systems are kept by the successor with its largest share.
	home := make([]int, len(s.Predecessors))
	for p := range s.Predecessors {
		home[p] = -1
		best := 0.0
		for si := 0; si < nS; si++ {
			if c.predW[p][si] > best {
				best, home[p] = c.predW[p][si], si
			}
		}
	}
	var kept, after, migrations int
	migShare := make([]float64, nS)
	for si, succ := range s.Successors {
		sources, keepable := 0, 0
		for _, pn := range succ.Predecessors {
			p := c.predIdx[strings.ToLower(pn)]
			if c.predW[p][si] == 0 {
				continue
			}
			sources += counts[p]
			if s.Predecessors[p].Kind != County || home[p] == si {
				keepable += counts[p]
			}
		}
		target := 0
		if sources > 0 {
			target = 1
		}
		for name, n := range sc.Target {
			if strings.EqualFold(name, succ.Name) {
				target = n
			}
		}
		k := min(target, keepable)
		kept += k
		// With an inventory, the kept systems are the county's (when this
		// successor is its home), then those of the most populous predecessors.
		if len(sc.Inventory) > 0 {
			var order []int
			for _, pn := range succ.Predecessors {
				p := c.predIdx[strings.ToLower(pn)]
				if s.Predecessors[p].Kind != County || home[p] == si {
					order = append(order, p)
				}
			}
			sort.SliceStable(order, func(a, b int) bool {
				ca, cb := s.Predecessors[order[a]].Kind == County, s.Predecessors[order[b]].Kind == County
				if ca != cb {
					return ca
				}
				return s.Predecessors[order[a]].Population > s.Predecessors[order[b]].Population
			})
			left := k
			for _, p := range order {
				for _, r := range rowsOf[p] {
					if left > 0 {
						keptRow[r] = true
						left--
					}
				}
			}
		}
		after += target
		m := sources - k
		if sc.PerConsolidation {
			m = min(m, 1) // one project however many sources it takes in
		}
		migrations += m
		migShare[si] = float64(m)
	}
	out := sysC{dec: float64(before - kept), newSys: float64(after - kept), migrations: float64(migrations)}
	out.count = SystemCount{Category: sc.Name, Inventory: len(sc.Inventory) > 0, Before: before, After: after,
		Retired: before - kept, New: after - kept, Migrations: migrations}
	var share []float64
	if migrations > 0 {
		share = migShare
		for si := range share {
			share[si] /= float64(migrations)
		}
	}
	name := "systems." + sc.Name
	path, label := fmt.Sprintf("systems[%d]", k), words(sc.Name)+" systems"
	out.lic = c.input(name+".licence", sc.Licence, reg{path + ".licence", label + ": licence and support, each", PoundsPerYear, ""})
	for i, row := range sc.Inventory {
		pred := s.Predecessors[c.predIdx[strings.ToLower(row.Predecessor)]].Name
		rn := fmt.Sprintf("%s.%s.%s", name, pred, row.Product)
		rl := fmt.Sprintf("%s: %s's %s", label, pred, row.Product)
		if row.Product == "" {
			rn = fmt.Sprintf("%s.row%d", name, i+1)
			rl = fmt.Sprintf("%s: %s's system (row %d)", label, pred, i+1)
		}
		rp := fmt.Sprintf("%s.inventory[%d]", path, i)
		ir := invRow{lic: c.input(rn+".licence", row.Licence, reg{rp + ".licence", rl + ", licence and support", PoundsPerYear, ""})}
		end := row.ContractEnd
		if end == nil {
			end = DefaultContractEnd()
		}
		ir.end = c.input(rn+".contract_end", end, reg{rp + ".contract_end", rl + ", contract end", YearAfterVesting, given(row.ContractEnd, "contract_end")})
		out.allRows = append(out.allRows, ir.lic)
		if !keptRow[i] {
			out.decRows = append(out.decRows, ir)
		}
	}
	per := "each system migrated"
	if sc.PerConsolidation {
		per = "each consolidation project"
	}
	out.mig = c.input(name+".migration", sc.Migration, reg{path + ".migration", label + ": migration cost, " + per, Pounds, ""})
	out.end = -1
	if len(sc.Inventory) == 0 {
		end := sc.ContractEnd
		if end == nil {
			end = DefaultContractEnd()
		}
		out.end = c.input(name+".contract_end", end, reg{path + ".contract_end", label + ": old contracts end", YearAfterVesting, given(sc.ContractEnd, "contract_end")})
	}
	out.migYears = c.input(name+".migration_years", sc.MigrationYears, reg{path + ".migration_years", label + ": migration duration", Years, ""})
	out.dual = c.input(name+".dual_running", sc.DualRunning, reg{path + ".dual_running", label + ": dual running after contracts end", Years, ""})
	out.exit = c.input(name+".exit_fee", sc.ExitFee, reg{path + ".exit_fee", label + ": exit fee, each system retired", Pounds, ""})
	out.notIT = sc.NotIT
	out.licLine = c.line(Line{Name: name + ".licence", Label: label + ": licences retired", Path: path + ".licence", Benefit: true, Cashable: true}, lineRun)
	out.migLine = c.line(Line{Name: name + ".migration", Label: label + ": migration", Path: path + ".migration", OneOff: true, Cashable: true, IT: !sc.NotIT, Share: share}, lineRun)
	if out.exit >= 0 {
		out.exitLine = c.line(Line{Name: name + ".exit_fees", Label: label + ": exit fees", Path: path + ".exit_fee", OneOff: true, Cashable: true, IT: !sc.NotIT}, lineRun)
	}
	return out
}

func (c *compiler) workforce(i int, w WorkforceFunction) wfC {
	s := c.s
	years := c.H + 1
	name := "workforce." + w.Name
	path, label := fmt.Sprintf("workforce[%d]", i), words(w.Name)+" staff"
	out := wfC{}
	if w.FTE != nil {
		out.fte = []term{{c.input(name+".fte", w.FTE, reg{path + ".fte", label + ": posts before reorganisation", FTE, ""}), 1}}
	} else {
		field := func(p Predecessor) []dist.Distribution {
			switch w.Name {
			case "back_office":
				return []dist.Distribution{p.BackOfficeFTE}
			case "customer_contact":
				return []dist.Distribution{p.CustomerContactFTE}
			case "service_delivery":
				return []dist.Distribution{p.StaffFTE, p.BackOfficeFTE, p.CustomerContactFTE}
			}
			return nil
		}
		suffix := map[int]string{0: "", 1: "back_office_fte", 2: "customer_contact_fte"}
		first := map[string]string{"back_office": "back_office_fte", "customer_contact": "customer_contact_fte", "service_delivery": "staff_fte"}
		if _, known := first[w.Name]; !known {
			c.errs = append(c.errs, fielderr.New(fmt.Sprintf("workforce[%d].fte", i), "missing (only back_office, customer_contact and service_delivery can be summed from the predecessors)"))
			return out
		}
		for p, pr := range s.Predecessors {
			for k, d := range field(pr) {
				field := first[w.Name]
				if k > 0 {
					field = suffix[k]
				}
				if d == nil {
					if k == 0 {
						c.errs = append(c.errs, fielderr.New(fmt.Sprintf("workforce[%d].fte", i), "missing, and predecessors[%d].%s is not given to sum from", p, field))
					}
					continue
				}
				idx, ok := c.index["predecessors."+pr.Name+"."+field]
				if !ok {
					idx = c.input("predecessors."+pr.Name+"."+field, d, reg{fmt.Sprintf("predecessors[%d].%s", p, field),
						pr.Name + ": " + strings.ReplaceAll(strings.TrimSuffix(field, "_fte"), "_", " ") + " staff", FTE, ""})
				}
				coef := 1.0
				if k > 0 {
					coef = -1
				}
				out.fte = append(out.fte, term{idx, coef})
			}
		}
	}
	out.red = c.input(name+".reduction", w.Reduction, reg{path + ".reduction", label + ": share of posts removed", Share, ""})
	out.cost = c.input(name+".cost_per_fte", w.CostPerFTE, reg{path + ".cost_per_fte", label + ": cost of a post with on-costs", PoundsPerYear, ""})
	out.redun = c.input(name+".redundancy_per_fte", w.RedundancyPerFTE, reg{path + ".redundancy_per_fte", label + ": redundancy cost per post removed", Pounds, ""})
	r := w.Ramp
	if r.Years == 0 && len(r.Profile) == 0 {
		r = Ramp{Start: max(r.Start, DefaultSavingRamp.Start), Years: DefaultSavingRamp.Years}
	}
	out.ramp = rampFactors(r, years)
	prof := w.RedundancyProfile
	if len(prof) == 0 {
		prof = []float64{1}
	}
	out.redProf = make([]float64, years)
	for k, f := range prof {
		if 1+k < years {
			out.redProf[1+k] = f
		}
	}
	out.saveLine = c.line(Line{Name: name + ".saving", Label: label + ": pay saved", Path: path, Benefit: true, Cashable: true}, lineProfile)
	out.redundLine = c.line(Line{Name: name + ".redundancy", Label: label + ": redundancy", Path: path + ".redundancy_per_fte", OneOff: true, Cashable: true}, lineProfile)
	return out
}

func (c *compiler) quality(k int, q Indicator, years int) qualC {
	s := c.s
	name := "quality." + q.Name
	path, label, unit := fmt.Sprintf("quality[%d]", k), words(q.Name), Unit(q.Unit)
	out := qualC{vpu: -1, cs: [3]int{-1, -1, -1}, line: -1, sign: 1}
	if q.LowerIsBetter {
		out.sign = -1
	}
	if len(q.Baselines) > 0 {
		tot := 0.0
		for pn := range q.Baselines {
			tot += s.Predecessors[c.predIdx[strings.ToLower(pn)]].Population
		}
		for _, pn := range slices.Sorted(maps.Keys(q.Baselines)) {
			p := c.predIdx[strings.ToLower(pn)]
			idx := c.input(name+".baseline."+s.Predecessors[p].Name, q.Baselines[pn],
				reg{path + ".baselines." + pn, label + ": " + s.Predecessors[p].Name + " before reorganisation", unit, ""})
			out.base = append(out.base, term{idx, s.Predecessors[p].Population / tot})
		}
	} else {
		out.base = []term{{c.input(name+".baseline", q.Baseline, reg{path + ".baseline", label + ": before reorganisation", unit, ""}), 1}}
	}
	out.eff = c.input(name+".effect", q.Effect, reg{path + ".effect", label + ": change at full effect", unit, ""})
	out.dis = c.input(name+".disruption", q.Disruption, reg{path + ".disruption", label + ": worsening while systems migrate", unit, ""})
	out.vpu = c.input(name+".value_per_unit", q.ValuePerUnit, reg{path + ".value_per_unit", label + ": value of a one-unit change, a year", PoundsPerYear, ""})
	if cs := q.ChannelShift; cs != nil {
		cp := path + ".channel_shift"
		out.cs = [3]int{c.input(name+".contacts_per_year", cs.ContactsPerYear, reg{cp + ".contacts_per_year", label + ": customer contacts", ContactsPerYear, ""}),
			c.input(name+".cost_offline", cs.CostOffline, reg{cp + ".cost_offline", label + ": cost of a contact offline", PoundsPerContact, ""}),
			c.input(name+".cost_online", cs.CostOnline, reg{cp + ".cost_online", label + ": cost of a contact online", PoundsPerContact, ""})}
	}
	r := q.Ramp
	if r.Years == 0 && len(r.Profile) == 0 {
		r = Ramp{Start: max(r.Start, DefaultSavingRamp.Start), Years: DefaultSavingRamp.Years}
	}
	out.ramp = rampFactors(r, years)
	if out.vpu >= 0 || out.cs[0] >= 0 {
		out.line = c.line(Line{Name: name, Label: label + ": money value", Path: path, Benefit: true, Cashable: q.Cashable}, lineYearly)
	}
	return out
}

// saving compiles cost-base saving i: its base terms, reduction, ramp,
// gating categories and cost to achieve, and registers its lines.
func (c *compiler) saving(i int, sv Saving, bases map[string]int, catIdx map[string]int, nS int) saveC {
	name := "savings." + sv.Name
	path, label := fmt.Sprintf("savings[%d]", i), words(sv.Name)+" saving"
	out := saveC{red: c.input(name+".reduction", sv.Reduction, reg{path + ".reduction", label + ": share of its base saved", Share, ""}), scale: sv.Scale, start: sv.Ramp.Start,
		years: sv.Ramp.Years, cta: -1, ctaLine: -1}
	if out.scale == 0 {
		out.scale = 1
	}
	if out.start == 0 {
		out.start = 1
	}
	if len(sv.Ramp.Profile) > 0 {
		out.cum = sv.Ramp.Profile
	} else if out.years == 0 {
		out.cum = []float64{1}
	}
	for j, b := range sv.Base {
		idx, ok := bases[strings.ToLower(b)]
		if !ok {
			c.errs = append(c.errs, fielderr.New(fmt.Sprintf("savings[%d].base[%d]", i, j), "unknown cost base %q", b))
			continue
		}
		out.base = append(out.base, term{idx, 1})
	}
	if sv.Amount != nil {
		out.base = append(out.base, term{c.input(name+".amount", sv.Amount, reg{path + ".amount", label + ": annual cost it reduces", PoundsPerYear, ""}), 1})
	}
	for j, g := range sv.EnabledBy {
		k, ok := catIdx[strings.ToLower(g)]
		if !ok {
			c.errs = append(c.errs, fielderr.New(fmt.Sprintf("savings[%d].enabled_by[%d]", i, j), "unknown system category %q", g))
			continue
		}
		out.gates = append(out.gates, k)
	}
	var share []float64
	if sv.Successor != "" {
		share = make([]float64, nS)
		share[c.succIdx[strings.ToLower(sv.Successor)]] = 1
	}
	out.line = c.line(Line{Name: name, Label: label, Path: path, Benefit: true, Cashable: true, Share: share}, lineSelfDelayed)
	if sv.CostToAchieve != nil {
		out.cta = c.input(name+".cost_to_achieve", sv.CostToAchieve, reg{path + ".cost_to_achieve", label + ": cost to achieve", PoundsPerPound, ""})
		out.ctaProf = sv.CostProfile
		if len(out.ctaProf) == 0 {
			out.ctaProf = []float64{1}
		}
		out.ctaLine = c.line(Line{Name: name + ".cost_to_achieve", Label: label + ": cost to achieve", Path: path + ".cost_to_achieve", OneOff: true, Cashable: true, Share: share}, lineSelfDelayed)
	}
	return out
}
