package scenarios_test

// A plain per-trial evaluator written from docs/MODEL.md §2-7, the slow twin
// of the block evaluator in model/lgr/eval.go. It reads only the scenario
// (lgr.Scenario) and one trial's input values by input name; it shares no
// code with the compiler or the evaluator but lgr.RampShare and
// lgr.PaybackYear, the documented definitions of C(x) and of payback.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

// refLine is one cash-flow line of the reference evaluation.
type refLine struct {
	benefit, oneOff, cashable bool
	share                     []float64 // by successor
	flow                      []float64 // by year 0..H
}

// refTrial is one trial evaluated by the reference: every output by the
// engine's output name.
type refTrial struct {
	out  map[string]float64
	used map[string]bool // inputs read
	// scale is the largest absolute yearly flow of any line: the size
	// tolerances are relative to.
	scale float64
}

// refInputs gives one trial's input values by name.
type refInputs struct {
	val  map[string]float64
	used map[string]bool
	errs []string
}

func (r *refInputs) has(name string) bool { _, ok := r.val[name]; return ok }

func (r *refInputs) get(name string) float64 {
	v, ok := r.val[name]
	if !ok {
		r.errs = append(r.errs, "missing input "+name)
		return math.NaN()
	}
	r.used[name] = true
	return v
}

// opt returns the input's value, or def if the model has no such input.
func (r *refInputs) opt(name string, def float64) float64 {
	if !r.has(name) {
		return def
	}
	return r.get(name)
}

// refYear rounds a drawn year (docs/MODEL.md §3: "rounded").
func refYear(x float64) int { return int(math.Round(x)) }

// refRamp evaluates a Ramp in year t (docs/MODEL.md §4): zero before start,
// then profile[t - start] (the last value holding) or min(1, (t-start+1)/years).
func refRamp(r lgr.Ramp, t int) float64 {
	if t < r.Start {
		return 0
	}
	k := t - r.Start
	if len(r.Profile) > 0 {
		return r.Profile[min(k, len(r.Profile)-1)]
	}
	return math.Min(1, float64(k+1)/r.Years)
}

// refDefaultRamp fills the documented default ramp (start 1, years 3) when
// neither years nor a profile is given.
func refDefaultRamp(r lgr.Ramp) lgr.Ramp {
	if r.Years == 0 && len(r.Profile) == 0 {
		return lgr.Ramp{Start: max(r.Start, 1), Years: 3}
	}
	return r
}

func eqFold(a, b string) bool { return strings.EqualFold(a, b) }

// refEvaluate evaluates scenario s for one trial.
func refEvaluate(s *lgr.Scenario, in *refInputs) refTrial {
	H := s.Horizon
	if H == 0 {
		H = lgr.DefaultHorizon
	}
	years := H + 1
	nS := len(s.Successors)
	u := s.OptimismBias
	O := in.get("it_overrun")
	Oo := in.get("other_overrun")
	Rz := in.get("savings_realisation")

	// §2 Successors and shares.
	pred := func(name string) int {
		for p, pr := range s.Predecessors {
			if eqFold(pr.Name, name) {
				return p
			}
		}
		panic("unknown predecessor " + name)
	}
	lists := func(si, p int) bool {
		for _, pn := range s.Successors[si].Predecessors {
			if pred(pn) == p {
				return true
			}
		}
		return false
	}
	popNC := make([]float64, nS)
	for si := range s.Successors {
		for p, pr := range s.Predecessors {
			if pr.Kind != lgr.County && lists(si, p) {
				popNC[si] += pr.Population
			}
		}
	}
	w := make([][]float64, len(s.Predecessors)) // w[p][s]
	for p, pr := range s.Predecessors {
		w[p] = make([]float64, nS)
		if pr.Kind != lgr.County {
			for si := range s.Successors {
				if lists(si, p) {
					w[p][si] = 1
				}
			}
			continue
		}
		given := false
		for si, sc := range s.Successors {
			for k, v := range sc.Shares {
				if eqFold(k, pr.Name) {
					w[p][si], given = v, true
				}
			}
		}
		if given {
			continue
		}
		var holders []int
		tot := 0.0
		for si := range s.Successors {
			if lists(si, p) {
				holders = append(holders, si)
				tot += popNC[si]
			}
		}
		for _, si := range holders {
			if tot > 0 {
				w[p][si] = popNC[si] / tot
			} else {
				w[p][si] = 1 / float64(len(holders))
			}
		}
	}
	pop := make([]float64, nS)
	popTot := 0.0
	for si := range s.Successors {
		pop[si] = popNC[si]
		if pop[si] == 0 {
			for p, pr := range s.Predecessors {
				pop[si] += w[p][si] * pr.Population
			}
		}
		popTot += pop[si]
	}
	popShare := make([]float64, nS)
	for si := range pop {
		popShare[si] = pop[si] / popTot
	}
	oneSucc := func(name string) []float64 {
		if name == "" {
			return popShare
		}
		sh := make([]float64, nS)
		for si, sc := range s.Successors {
			if eqFold(sc.Name, name) {
				sh[si] = 1
			}
		}
		return sh
	}

	lines := map[string]*refLine{}
	var order []string
	add := func(name string, benefit, oneOff, cashable bool, share []float64) *refLine {
		l := &refLine{benefit: benefit, oneOff: oneOff, cashable: cashable, share: share, flow: make([]float64, years)}
		lines[name] = l
		order = append(order, name)
		return l
	}
	set := func(l *refLine, t int, v float64) {
		if t >= 0 && t <= H {
			l.flow[t] += v
		}
	}

	// §5 Risks: delays by line, decided first (they shift the lines below).
	type riskDelay struct {
		hits []string
		d    int
	}
	var delays []riskDelay
	for _, r := range s.Risks {
		occurs := in.get("risks."+r.Name+".occurs") >= 0.5
		if r.Delay == nil {
			continue
		}
		d := refYear(in.get("risks." + r.Name + ".delay"))
		if occurs && d > 0 {
			delays = append(delays, riskDelay{r.Hits, d})
		}
	}
	// delayOf is the total delay of a saving line: every occurring risk
	// whose hits (default: all) prefix its name.
	hitsLine := func(rd riskDelay, name string) bool {
		hit := len(rd.hits) == 0
		for _, h := range rd.hits {
			hit = hit || strings.HasPrefix(strings.ToLower(name), strings.ToLower(h))
		}
		return hit
	}
	delayOf := func(name string) int {
		total := 0
		for _, rd := range delays {
			if hitsLine(rd, name) {
				total += rd.d
			}
		}
		return total
	}

	// §3 Systems.
	migEnd := 0                              // last year of any migration (quality disruption)
	catMigEnd := make([]int, len(s.Systems)) // Y_k (after slip), for savings enabled by k
	for k, sc := range s.Systems {
		name := "systems." + sc.Name
		nP := len(s.Predecessors)
		count := make([]int, nP)
		var rowsOf [][]int
		inv := len(sc.Inventory) > 0
		if inv {
			rowsOf = make([][]int, nP)
			for r, row := range sc.Inventory {
				p := pred(row.Predecessor)
				count[p]++
				rowsOf[p] = append(rowsOf[p], r)
			}
		} else {
			for pn, c := range sc.Counts {
				count[pred(pn)] = c
			}
		}
		B := 0
		for _, c := range count {
			B += c
		}
		home := make([]int, nP)
		for p := range home {
			home[p] = -1
			best := 0.0
			for si := range s.Successors {
				if w[p][si] > best {
					best, home[p] = w[p][si], si
				}
			}
		}
		keptRow := make([]bool, len(sc.Inventory))
		M, sumKept, sumTarget := 0, 0, 0
		migShare := make([]float64, nS)
		for si, succ := range s.Successors {
			sources, keepable := 0, 0
			var keepers []int
			for p, pr := range s.Predecessors {
				if !lists(si, p) || w[p][si] <= 0 {
					continue
				}
				sources += count[p]
				if pr.Kind != lgr.County || home[p] == si {
					keepable += count[p]
					keepers = append(keepers, p)
				}
			}
			target := 0
			if sources > 0 {
				target = 1
			}
			for tn, v := range sc.Target {
				if eqFold(tn, succ.Name) {
					target = v
				}
			}
			kept := min(target, keepable)
			mig := sources - kept
			if sc.PerConsolidation && mig > 1 {
				mig = 1 // migration_per: consolidation, one project per successor
			}
			M += mig
			migShare[si] = float64(mig)
			sumKept += kept
			sumTarget += target
			if inv {
				// The home county's rows first, then the most populous
				// predecessors' (ties: the order the successor lists them).
				pos := func(p int) int {
					for i, pn := range succ.Predecessors {
						if pred(pn) == p {
							return i
						}
					}
					return -1
				}
				sort.Slice(keepers, func(a, b int) bool {
					pa, pb := s.Predecessors[keepers[a]], s.Predecessors[keepers[b]]
					if (pa.Kind == lgr.County) != (pb.Kind == lgr.County) {
						return pa.Kind == lgr.County
					}
					if pa.Population != pb.Population {
						return pa.Population > pb.Population
					}
					return pos(keepers[a]) < pos(keepers[b])
				})
				left := kept
				for _, p := range keepers {
					for _, r := range rowsOf[p] {
						if left > 0 {
							keptRow[r] = true
							left--
						}
					}
				}
			}
		}
		D := float64(B - sumKept)
		N := float64(sumTarget - sumKept)
		over := O
		if sc.NotIT {
			over = Oo
		}
		licName := name + ".licence"
		dl := delayOf(licName)
		lic := add(licName, true, false, true, popShare)
		migSh := popShare
		if M > 0 {
			migSh = make([]float64, nS)
			for si := range migSh {
				migSh[si] = migShare[si] / float64(M)
			}
		}
		mig := add(name+".migration", false, true, true, migSh)
		var exit *refLine
		if sc.ExitFee != nil {
			exit = add(name+".exit_fees", false, true, true, popShare)
		}
		R := 0
		if sc.DualRunning != nil {
			R = max(0, refYear(in.get(name+".dual_running")))
		}
		var E int     // contract end, or the last decommissioned row's
		var L float64 // licence of a newly procured system
		if !inv {
			E = max(1, refYear(in.get(name+".contract_end")))
			Lk := in.get(name + ".licence")
			L = Lk
			for t := max(1, E+R); t <= H; t++ {
				set(lic, t+dl, D*Lk*Rz)
			}
			if exit != nil {
				set(exit, E, D*in.get(name+".exit_fee")*over*(1+u))
			}
		} else {
			E = 1
			sumL := 0.0
			for r, row := range sc.Inventory {
				rn := fmt.Sprintf("%s.%s.%s", name, s.Predecessors[pred(row.Predecessor)].Name, row.Product)
				if row.Product == "" {
					rn = fmt.Sprintf("%s.row%d", name, r+1)
				}
				Lr := in.get(rn + ".licence")
				sumL += Lr
				if keptRow[r] {
					in.get(rn + ".contract_end")
					continue
				}
				Er := max(1, refYear(in.get(rn+".contract_end")))
				E = max(E, Er)
				for t := max(1, Er+R); t <= H; t++ {
					set(lic, t+dl, Lr*Rz)
				}
				if exit != nil {
					set(exit, Er, in.get(name+".exit_fee")*over*(1+u))
				}
			}
			L = sumL / float64(len(sc.Inventory))
			if sc.Licence != nil {
				L = in.get(name + ".licence")
			}
		}
		for t := 1; t <= H; t++ {
			set(lic, t+dl, -N*L)
		}
		Y := E
		if sc.MigrationYears != nil {
			Y = max(1, refYear(in.get(name+".migration_years")))
			if s.MigrationSlip != nil {
				Y = max(1, refYear(float64(Y)*in.get("migration_slip")))
			}
		}
		catMigEnd[k] = Y
		C := in.opt(name+".migration", 0) // read even when nothing migrates
		if M > 0 {
			for t := 1; t <= Y; t++ {
				set(mig, t, float64(M)*C*over*(1+u)/float64(Y))
			}
			migEnd = max(migEnd, Y)
		}
	}

	// §4 Workforce.
	for _, wf := range s.Workforce {
		name := "workforce." + wf.Name
		F := 0.0
		if wf.FTE != nil {
			F = in.get(name + ".fte")
		} else {
			for _, pr := range s.Predecessors {
				p := "predecessors." + pr.Name + "."
				switch wf.Name {
				case "back_office":
					F += in.get(p + "back_office_fte")
				case "customer_contact":
					F += in.get(p + "customer_contact_fte")
				case "service_delivery":
					F += in.get(p + "staff_fte")
					F -= in.opt(p+"back_office_fte", 0)
					F -= in.opt(p+"customer_contact_fte", 0)
				}
			}
		}
		removed := F * in.get(name+".reduction")
		W := in.get(name + ".cost_per_fte")
		Q := in.opt(name+".redundancy_per_fte", 0)
		save := add(name+".saving", true, false, true, popShare)
		dl := delayOf(name + ".saving")
		r := refDefaultRamp(wf.Ramp)
		for t := 1; t <= H; t++ {
			set(save, t+dl, removed*W*Rz*refRamp(r, t))
		}
		red := add(name+".redundancy", false, true, true, popShare)
		prof := wf.RedundancyProfile
		if len(prof) == 0 {
			prof = []float64{1}
		}
		for j, f := range prof {
			set(red, 1+j, removed*Q*f)
		}
	}

	// §5 Democracy.
	if d := s.Democracy; d != nil {
		start := max(1, d.Start)
		var seats float64
		if d.SeatsRemoved != nil {
			seats = in.get("democracy.seats_removed")
		} else {
			before, after := d.CouncillorsBefore, d.CouncillorsAfter
			if before == 0 {
				for _, pr := range s.Predecessors {
					before += pr.Councillors
				}
			}
			if after == 0 {
				for _, sc := range s.Successors {
					after += sc.Councillors
				}
			}
			seats = float64(before - after)
		}
		if d.Allowance != nil {
			l := add("democracy.allowances", true, false, true, popShare)
			v, dl := seats*in.get("democracy.allowance")*Rz, delayOf("democracy.allowances")
			for t := start; t <= H; t++ {
				set(l, t+dl, v)
			}
		}
		if d.ElectionSaving != nil {
			l := add("democracy.elections", true, false, true, popShare)
			v, dl := in.get("democracy.election_saving")*Rz, delayOf("democracy.elections")
			for t := start; t <= H; t++ {
				set(l, t+dl, v)
			}
		}
	}

	// §5 Items.
	for _, it := range s.Items {
		name := "items." + it.Name
		a := in.get(name + ".amount")
		l := add(name, it.Benefit, !it.Recurring && !it.Benefit, !it.NonCashable, oneSucc(it.Successor))
		dl := 0
		if it.Benefit {
			dl = delayOf(name)
		}
		if it.Recurring {
			r := it.Ramp
			if r.Years == 0 && len(r.Profile) == 0 {
				r = lgr.Ramp{Start: max(it.Start, r.Start, 1), Years: 1}
			}
			if it.Benefit {
				a *= Rz
			}
			for t := 0; t <= H; t++ {
				set(l, t+dl, a*refRamp(r, t))
			}
			continue
		}
		if !it.Benefit {
			if it.IT {
				a *= O * (1 + u)
			} else {
				a *= Oo * (1 + u)
			}
		}
		prof := it.Profile
		if len(prof) == 0 {
			prof = []float64{1}
		}
		for j, f := range prof {
			if t := it.Start + j; t >= 0 && t <= H {
				set(l, t+dl, a*f)
			}
		}
	}

	// Cost-base savings (docs/MODEL.md §5a).
	for _, sv := range s.Savings {
		name := "savings." + sv.Name
		base := 0.0
		for _, b := range sv.Base {
			for _, cb := range s.CostBases {
				if eqFold(cb.Name, b) {
					base += in.get("cost_bases." + cb.Name + ".amount")
				}
			}
		}
		if sv.Amount != nil {
			base += in.get(name + ".amount")
		}
		scale := sv.Scale
		if scale == 0 {
			scale = 1
		}
		amt := base * in.get(name+".reduction") * scale * Rz
		start := max(sv.Ramp.Start, 1)
		for _, g := range sv.EnabledBy {
			for k, sc := range s.Systems {
				if !eqFold(sc.Name, g) {
					continue
				}
				// The gate's delay: risks hitting the category's licence
				// line but not this saving, whose delay counts once below.
				gd := 0
				for _, rd := range delays {
					if hitsLine(rd, "systems."+sc.Name+".licence") && !hitsLine(rd, name) {
						gd += rd.d
					}
				}
				start = max(start, catMigEnd[k]+gd+1)
			}
		}
		start += delayOf(name)
		T := in.get("ramp_stretch")
		share := add(name, true, false, true, oneSucc(sv.Successor))
		for t := max(start, 0); t <= H; t++ {
			x := float64(t-start+1) / T
			switch {
			case len(sv.Ramp.Profile) > 0:
				set(share, t, amt*lgr.RampShare(sv.Ramp.Profile, x))
			case sv.Ramp.Years > 0:
				set(share, t, amt*math.Min(1, x/sv.Ramp.Years))
			default: // full effect from the start
				set(share, t, amt*lgr.RampShare([]float64{1}, x))
			}
		}
		if sv.CostToAchieve != nil {
			l := add(name+".cost_to_achieve", false, true, true, oneSucc(sv.Successor))
			c := amt * in.get(name+".cost_to_achieve") * Oo * (1 + u)
			prof := sv.CostProfile
			if len(prof) == 0 {
				prof = []float64{1}
			}
			for j, p := range prof {
				set(l, start+j, c*p)
			}
		}
	}

	// §6 Service quality.
	quality := map[string]float64{}
	for _, q := range s.Quality {
		name := "quality." + q.Name
		var b float64
		if len(q.Baselines) > 0 {
			tot := 0.0
			for pn := range q.Baselines {
				tot += s.Predecessors[pred(pn)].Population
			}
			for pn := range q.Baselines {
				pr := s.Predecessors[pred(pn)]
				b += pr.Population / tot * in.get(name+".baseline."+pr.Name)
			}
		} else {
			b = in.get(name + ".baseline")
		}
		e := in.get(name + ".effect")
		m := in.opt(name+".disruption", 0)
		sign := 1.0
		if q.LowerIsBetter {
			sign = -1
		}
		var v float64
		monetised := true
		switch {
		case q.ValuePerUnit != nil:
			v = in.get(name + ".value_per_unit")
		case q.ChannelShift != nil:
			v = in.get(name+".contacts_per_year") * (in.get(name+".cost_offline") - in.get(name+".cost_online"))
		default:
			monetised = false
		}
		var l *refLine
		dl := 0
		if monetised {
			l = add(name, true, false, q.Cashable, popShare)
			dl = delayOf(name)
		}
		r := refDefaultRamp(q.Ramp)
		for t := 0; t <= H; t++ {
			val := b + e*refRamp(r, t)
			if t >= 1 && t <= migEnd {
				val -= sign * m
			}
			quality[fmt.Sprintf("quality:%s[%d]", q.Name, t)] = val
			if l != nil {
				set(l, t+dl, (val-b)*v)
			}
		}
	}

	// §5 Risk costs.
	for _, r := range s.Risks {
		if r.Cost == nil {
			continue
		}
		l := add("risks."+r.Name, false, true, true, popShare)
		yr := r.Year
		if yr == 0 {
			yr = 1
		}
		if x := in.get("risks." + r.Name + ".cost"); in.get("risks."+r.Name+".occurs") >= 0.5 {
			set(l, yr, (1+u)*x)
		}
	}

	// §7 Cash flow and outputs.
	Dt := refDiscount(s.Discount, years)
	out := map[string]float64{}
	for k, v := range quality {
		out[k] = v
	}
	net, gross := make([]float64, years), make([]float64, years)
	var pvB, pvC, oneOff, scale float64
	npvS := make([]float64, nS)
	for _, name := range order {
		l := lines[name]
		pv := 0.0
		for t, f := range l.flow {
			pv += f * Dt[t]
			scale = math.Max(scale, math.Abs(f))
		}
		out["pv:"+name] = pv
		if !l.cashable {
			continue
		}
		sg := -1.0
		if l.benefit {
			sg = 1
			pvB += pv
		} else {
			pvC += pv
		}
		for si := range npvS {
			npvS[si] += sg * l.share[si] * pv
		}
		for t, f := range l.flow {
			net[t] += sg * f
			if l.benefit {
				gross[t] += f
			}
			if l.oneOff {
				oneOff += f
			}
		}
	}
	cum := make([]float64, years)
	npv, five, c := 0.0, 0.0, 0.0
	for t, x := range net {
		npv += x * Dt[t]
		c += x
		cum[t] = c
		if t <= 5 {
			five += x
		}
		out[fmt.Sprintf("net[%d]", t)] = x
		out[fmt.Sprintf("cumulative[%d]", t)] = c
		out[fmt.Sprintf("savings[%d]", t)] = gross[t]
	}
	for si, sc := range s.Successors {
		out["npv:"+sc.Name] = npvS[si]
	}
	out["npv"] = npv
	out["one_off_cost"] = oneOff
	out["steady_state_saving"] = net[H]
	out["payback_years"] = lgr.PaybackYear(cum)
	out["five_year_net"] = five
	out["bcr"] = math.NaN()
	if pvC > 0 {
		out["bcr"] = pvB / pvC
	}
	return refTrial{out: out, used: in.used, scale: scale}
}

// refDiscount is D(t) = prod_{u=1..t} 1/(1 + rate(u)) (docs/MODEL.md §7),
// rate(u) the rate of the last band starting at or before u.
func refDiscount(bands []lgr.DiscountBand, years int) []float64 {
	if len(bands) == 0 {
		bands = lgr.GreenBookSTPR
	}
	d := make([]float64, years)
	d[0] = 1
	for t := 1; t < years; t++ {
		rate := bands[0].Rate
		for _, b := range bands {
			if b.FromYear <= t {
				rate = b.Rate
			}
		}
		d[t] = d[t-1] / (1 + rate)
	}
	return d
}

// edgesYAML exercises what neither the shipped scenarios nor scenarios.DelayedYAML
// do: given county shares, consolidation targets, a county-only successor,
// per-predecessor baselines, discount bands, optimism bias, a slipped
// planned migration, migration costed per consolidation, dual running, a cashable indicator, non-cashable and
// recurring-cost items, a one-off benefit, a risk cost past the horizon,
// savings on a cost base with a linear ramp, a gate and a cost profile.
const edgesYAML = `horizon: 12
discount: [{from_year: 0, rate: 0.04}, {from_year: 6, rate: 0.02}]
optimism_bias: 0.1
migration_slip: {dist: uniform, min: 0.8, max: 2.2}
ramp_stretch: {dist: uniform, min: 0.5, max: 2}
predecessors:
  - {name: Shire, kind: county, population: 500000, staff_fte: 5000 to 7000, back_office_fte: 600 to 900, councillors: 80}
  - {name: Fen, kind: county, population: 200000, staff_fte: 2000 to 3000, councillors: 50}
  - {name: Town, kind: district, population: 120000, staff_fte: 500 to 700, back_office_fte: 60 to 90, councillors: 40}
  - {name: Vale, kind: district, population: 90000, staff_fte: 400 to 600, back_office_fte: 50 to 80, councillors: 35}
  - {name: Moor, kind: unitary, population: 150000, staff_fte: 1500 to 2500, back_office_fte: 200 to 300, councillors: 45}
successors:
  - {name: North, predecessors: [Shire, Town], shares: {Shire: 0.3}, councillors: 60}
  - {name: South, predecessors: [Shire, Vale, Moor], shares: {Shire: 0.7}, councillors: 70}
  - {name: East, predecessors: [Fen], councillors: 30}
systems:
  - name: finance
    per_kind: {county: 2, district: 1, unitary: 1}
    target: {South: 2, East: 1}
    licence: 100k to 300k
    migration: 200k to 600k
    migration_per: consolidation
    contract_end: {dist: uniform_int, min: 1, max: 6}
    migration_years: {dist: uniform_int, min: 1, max: 4}
    dual_running: {dist: uniform, min: 0, max: 2}
    exit_fee: 20k to 80k
  - {name: hr, counts: {Shire: 1, Fen: 1, Moor: 1}, licence: 40k to 90k, migration: 50k to 150k, it: false}
workforce:
  - name: service_delivery
    reduction: {dist: pert, min: 1%, mode: 2%, max: 4%}
    cost_per_fte: 35k to 45k
    ramp: {start: 2, profile: [0.2, 0.6, 1]}
    redundancy_profile: [0.5, 0.3, 0.2]
  - {name: back_office, fte: 900 to 1300, reduction: 5% to 15%, cost_per_fte: 40k to 50k, redundancy_per_fte: 20k to 40k, ramp: {years: 2}}
democracy: {allowance: 10k to 14k, start: 2}
items:
  - {name: programme, kind: cost, amount: 5m to 9m, start: 0, profile: [0.3, 0.5, 0.2], it: true}
  - {name: branding, kind: cost, amount: 100k to 300k, cashable: false}
  - {name: shared_contract, kind: cost, recurring: true, amount: 200k to 400k, ramp: {start: 1, years: 2}, successor: East}
  - {name: asset_sale, kind: saving, amount: 1m to 2m, start: 3}
  - {name: procurement, kind: saving, recurring: true, amount: 1m to 2m, start: 2, successor: North}
cost_bases:
  - {name: enabling, amount: 50m to 70m}
  - {name: contact, amount: 5m to 9m}
savings:
  - name: enabling_support
    base: [enabling, contact]
    reduction: 3% to 8%
    scale: 1.2
    ramp: {start: 1, years: 3}
    enabled_by: [finance, hr]
    cost_to_achieve: 0.5 to 1.5
    cost_profile: [0.4, 0.6]
  - {name: direct, amount: 2m to 4m, reduction: 10% to 20%, successor: South}
risks:
  - {name: late, probability: 0.5, cost: 1m to 2m, year: 2}
  - {name: far, probability: 0.5, cost: 1m to 2m, year: 20}
  - {name: slip, probability: 0.5, delay: {dist: uniform_int, min: 1, max: 2}, hits: [systems.hr, savings.direct]}
  - {name: everything, probability: 0.5, delay: {dist: uniform_int, min: 1, max: 3}}  # hits every saving: a gated one's delay counts once
quality:
  - name: satisfaction
    unit: share
    baselines: {Shire: {dist: uniform, min: 0.5, max: 0.7}, Moor: {dist: uniform, min: 0.4, max: 0.6}}
    effect: {dist: uniform, min: 0, max: 0.05}
    disruption: {dist: uniform, min: 0, max: 0.02}
    value_per_unit: 5m to 10m
    cashable: true
`

// refCase is one scenario the reference must match.
type refCase struct {
	name string
	s    *lgr.Scenario
}

// refCases lists every shipped scenario (the integration strategies
// included), the delayed test scenario, and generated areas with 1, 2 and 3
// unitaries under each integration strategy.
func refCases(t *testing.T) []refCase {
	t.Helper()
	var cs []refCase
	for _, name := range scenarios.Embedded() {
		ld, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, refCase{name, ld.Scenario})
	}
	ld, err := scenarios.LoadBytes([]byte(scenarios.DelayedYAML), "yaml", "delayed")
	if err != nil {
		t.Fatal(err)
	}
	cs = append(cs, refCase{"delayed", ld.Scenario})
	ld, err = scenarios.LoadBytes([]byte(edgesYAML), "yaml", "edges")
	if err != nil {
		t.Fatal(err)
	}
	cs = append(cs, refCase{"edges", ld.Scenario})
	for _, name := range []string{"Suffolk", "Essex"} {
		a, err := area.FindArea(name)
		if err != nil {
			t.Fatal(err)
		}
		for k := 1; k <= 3; k++ {
			for _, strat := range []string{area.Contract, area.Connected, area.Federated} {
				g, err := area.BuildArea(a, area.AreaOptions{Unitaries: k, Integration: strat})
				if err != nil {
					t.Fatal(err)
				}
				cs = append(cs, refCase{fmt.Sprintf("area/%s/%d/%s", name, k, strat), g.Scenario})
			}
		}
	}
	return cs
}

// refCheck compares the engine's outputs for one trial with the reference's.
func refCheck(t *testing.T, s *lgr.Scenario, m *engine.Model, in, got []float64, trial string) {
	t.Helper()
	ri := &refInputs{val: map[string]float64{}, used: map[string]bool{}}
	for j, x := range m.Inputs {
		ri.val[x.Name] = in[j]
	}
	ref := refEvaluate(s, ri)
	for _, e := range ri.errs {
		t.Fatalf("%s: %s", trial, e)
	}
	for _, x := range m.Inputs {
		if !ri.used[x.Name] {
			t.Fatalf("%s: input %s is not used by the reference evaluation", trial, x.Name)
		}
	}
	if len(ref.out) != len(m.Outputs) {
		var extra []string
		for k := range ref.out {
			if m.Output(k) < 0 {
				extra = append(extra, k)
			}
		}
		t.Fatalf("%s: reference has %d outputs, engine %d (reference only: %v)", trial, len(ref.out), len(m.Outputs), extra)
	}
	for k, name := range m.Outputs {
		want, ok := ref.out[name]
		if !ok {
			t.Fatalf("%s: output %s missing from the reference", trial, name)
		}
		g := got[k]
		if name == "payback_years" && g != want {
			// Only a cumulative net within rounding of zero may tip it.
			y := math.Min(g, want)
			if c := ref.out[fmt.Sprintf("cumulative[%d]", int(y))]; math.Abs(c) <= 1e-9*ref.scale {
				continue
			}
		}
		if !refClose(g, want, ref.scale) {
			t.Fatalf("%s: %s: engine %.17g, reference %.17g (difference %.3g; scale %.3g)", trial, name, g, want, g-want, ref.scale)
		}
	}
}

// refClose reports whether a and b agree to 1e-9 relative to the larger
// of them, or (for sums that cancel) to 1e-9 of scale, the trial's largest
// yearly line flow times the number of terms that could be summed.
func refClose(a, b, scale float64) bool {
	if a == b || math.IsNaN(a) && math.IsNaN(b) {
		return true
	}
	d := math.Abs(a - b)
	return d <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) || d <= 1e-9*scale
}

// TestReferenceEvaluator checks the block evaluator against the plain
// per-trial evaluator above on every shipped scenario, the delayed test
// scenario and generated areas (1, 2 and 3 unitaries, each integration
// strategy): 200 trials drawn independently from the inputs'
// distributions (seed 10, evaluated one at a time by EvalAt), and 300
// trials of engine.Run (seed 7: blocks of 128, one partial; the block
// evaluation over columns of trials), every output within 1e-9.
func TestReferenceEvaluator(t *testing.T) {
	for _, rc := range refCases(t) {
		t.Run(rc.name, func(t *testing.T) {
			c, err := lgr.Compile(rc.s)
			if err != nil {
				t.Fatal(err)
			}
			m := c.Model
			r := rand.New(rand.NewPCG(10, 0))
			in := make([]float64, len(m.Inputs))
			for i := range 200 {
				for j, x := range m.Inputs {
					in[j] = x.Dist.Sample(r)
				}
				refCheck(t, rc.s, m, in, m.EvalAt(in), fmt.Sprintf("trial %d (EvalAt)", i))
			}
			all := make([]int, len(m.Outputs))
			for k := range all {
				all[k] = k
			}
			res, err := engine.Run(context.Background(), m, engine.Options{Iterations: 300, Seed: 7, Keep: all, KeepInputs: true, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float64, len(m.Outputs))
			for i := range res.Iterations {
				for j := range in {
					in[j] = res.Inputs[j][i]
				}
				for k := range got {
					got[k] = res.Kept[k][i]
				}
				refCheck(t, rc.s, m, in, got, fmt.Sprintf("trial %d (engine.Run)", i))
			}
		})
	}
}
