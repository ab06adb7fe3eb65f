package lgr

import (
	"math"
)

// demC is the compiled democracy section.
type demC struct {
	allow, elec, seatsIn int
	seats                float64
	// start is the first year of savings.
	start               int
	allowLine, elecLine int
}

// plan is everything the evaluation needs from compilation: input indices,
// compiled sections, lines, discounting and output offsets.
type plan struct {
	itIdx, otherIdx, realIdx int
	cats                     []sysC
	wfs                      []wfC
	dem                      demC
	items                    []itemC
	quals                    []qualC
	risks                    []riskC
	saves                    []saveC
	stretchIdx, slipIdx      int // ramp_stretch, migration_slip inputs (-1: none)
	oSavings                 int
	lines                    []Line
	kinds                    []lineKind // by line
	yearLines                []int      // lines not of kind lineRun
	runLines                 []int      // lines of kind lineRun
	disc, cumD               []float64
	years, H, nS             int
	ob                       float64
	// Output offsets.
	oQuality, oLine, oSucc, oNet, oCum            int
	oNPV, oOneOff, oSteady, oPayback, oFive, oBCR int
	// oLY is the first line-by-year output (line l, year t at
	// oLY+l*years+t), or -1 when the run does not ask for lines (lines.go).
	oLY int
}

// evaluator is one worker's evaluation: the plan and its scratch columns.
// It evaluates a block of trials at once, step by step over the whole block
// (docs/PERFORMANCE.md); each trial's outputs depend on its own inputs
// alone, bit for bit the same whatever the block's size
// (TestBlockEvalMatchesTrialEval).
//
// Year-by-year scratch is stored year-major: value (t, i) of a block of n
// trials is at [t*n+i].
type evaluator struct {
	*plan
	cap   int         // trials the scratch holds
	sign  []float64   // per line: +1 cashable saving, -1 cashable cost, 0 otherwise
	flows [][]float64 // year-by-year flows of lines that are not lineRun, except undelayed lineProfile; else nil
	// Profile lines (workforce savings and redundancy, items) are an amount
	// per trial times a fixed profile by year: prof[l], with sum_t
	// prof[l][t] D(t) in profPV[l] and sum_t prof[l][t] in profSum[l]. The
	// amounts go to amt[l]; a line no risk delays needs nothing more.
	prof            [][]float64
	profPV, profSum []float64
	amt             [][]float64
	delay           [][]int   // lines a delaying risk can hit: years of delay; else nil
	diff            []float64 // run lines' net cash flow as a difference array
	diffB           []float64 // run lines' cashable savings as a difference array
	// migM[k] holds, per trial, the last year of category k's migration
	// (after any slip): the year after it, the savings it enables may start.
	migM    [][]int
	pvB     []float64 // per trial: present value of cashable savings
	pvC     []float64 // per trial: present value of cashable costs
	runSum  []float64 // per trial: running sum of a difference array
	cum     []float64 // per trial: cumulative net cash flow
	migEnd  []int     // per trial: last year of any migration
	started []bool    // per trial: a year with cash flow has passed
	// Per-trial years and values of the runs being emitted: a category's
	// contract end, an inventory row's contract end, the first year of a
	// licence saving (after dual running); a risk's year and the last year
	// of its cost (the year before when it does not occur); the value of
	// the run. (A category's migration years are in migM.)
	contractEnd, rowEnd, savingFrom []int
	riskYear, riskLast              []int
	value                           []float64
	// Constant run ends: the horizon, year 1, the democracy start year.
	horizon, yearOne, demStart []int
}

func (p *plan) newEvaluator() *evaluator {
	nL := len(p.lines)
	e := &evaluator{plan: p, sign: make([]float64, nL), flows: make([][]float64, nL),
		delay: make([][]int, nL), prof: make([][]float64, nL), profPV: make([]float64, nL),
		profSum: make([]float64, nL), amt: make([][]float64, nL), migM: make([][]int, len(p.cats))}
	from1 := func(f []float64) []float64 { // years 1 on; year 0 is zero
		g := make([]float64, p.years)
		copy(g[1:], f[1:])
		return g
	}
	for k := range p.wfs {
		w := &p.wfs[k]
		e.prof[w.saveLine], e.prof[w.redundLine] = from1(w.ramp), from1(w.redProf)
	}
	for k := range p.items {
		g := make([]float64, p.years)
		copy(g, p.items[k].factor)
		e.prof[p.items[k].line] = g
	}
	for l, g := range e.prof {
		for t, x := range g {
			e.profPV[l] += x * p.disc[t]
			e.profSum[l] += x
		}
	}
	for l, ln := range p.lines {
		switch {
		case !ln.Cashable:
		case ln.Benefit:
			e.sign[l] = 1
		default:
			e.sign[l] = -1
		}
	}
	return e
}

// grow sizes the scratch for blocks of n trials (allocating only when a
// block is longer than any before).
func (e *evaluator) grow(n int) {
	if n <= e.cap {
		return
	}
	e.cap = n
	for k := range e.risks {
		if e.risks[k].delay >= 0 {
			for _, l := range e.risks[k].hits {
				e.delay[l] = make([]int, n)
			}
		}
	}
	for _, l := range e.yearLines {
		if e.kinds[l] == lineProfile {
			e.amt[l] = make([]float64, n)
		}
		if e.kinds[l] != lineProfile || e.delay[l] != nil {
			e.flows[l] = make([]float64, e.years*n)
		}
	}
	e.diff = make([]float64, e.years*n)
	e.diffB = make([]float64, e.years*n)
	for k := range e.migM {
		e.migM[k] = make([]int, n)
	}
	e.pvB, e.pvC, e.runSum, e.cum = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	e.migEnd, e.started = make([]int, n), make([]bool, n)
	e.contractEnd, e.rowEnd, e.savingFrom = make([]int, n), make([]int, n), make([]int, n)
	e.riskYear, e.riskLast, e.value = make([]int, n), make([]int, n), make([]float64, n)
	e.horizon, e.yearOne, e.demStart = make([]int, n), make([]int, n), make([]int, n)
	for i := range n {
		e.horizon[i], e.yearOne[i], e.demStart[i] = e.H, 1, e.dem.start
	}
}

// run is one run line's accumulators for a block: see emit.
type run struct {
	pv, side, oneOff, diff, diffB, cumD []float64
	delay                               []int
	sign                                float64
	H, n                                int
	// ly (only when the run asks for lines) are the line's by-year
	// outputs, filled as a difference array by emit and summed by
	// lineYears.
	ly [][]float64
}

// runLine returns line l's accumulators for the block: its present values
// go to its output (and to the block's present value of benefits or of
// costs if the line is cashable), its undiscounted total to the one-off
// cost if it is a one-off cost.
func (e *evaluator) runLine(l int, out [][]float64) run {
	n := len(out[0])
	r := run{pv: out[e.oLine+l], diff: e.diff, diffB: e.diffB, cumD: e.cumD, delay: e.delay[l], sign: e.sign[l], H: e.H, n: n}
	if e.oLY >= 0 {
		r.ly = out[e.oLY+l*e.years : e.oLY+(l+1)*e.years]
	}
	oneOff := out[e.oOneOff]
	switch r.sign {
	case 1:
		r.side = e.pvB[:n]
	case -1:
		r.side = e.pvC[:n]
		if e.lines[l].OneOff {
			r.oneOff = oneOff
		}
	}
	return r
}

// emit records, for each trial i, flow v[i] in each year from[i]..to[i]
// of the line (shifted by the trial's delay of the line, clipped to the
// horizon): its present value by prefix sums of discount factors, its
// contribution to the net cash flow as a difference array, and its
// undiscounted total if the line is a one-off cost, each in O(1).
func (r *run) emit(from, to []int, v []float64) {
	if r.delay == nil && r.ly == nil && r.sign != 0 {
		r.emitCash(from, to, v)
		return
	}
	r.emitAny(from, to, v)
}

// emitAny is emit for any line: delayed, non-cashable, or with
// line-by-year outputs.
func (r *run) emitAny(from, to []int, v []float64) {
	n, H, sg, cumD, diff := r.n, r.H, r.sign, r.cumD, r.diff
	from, to, v = from[:n], to[:n], v[:n]
	pv, side, oneOff, delay := r.pv[:n], r.side, r.oneOff, r.delay
	for i, x := range v {
		a, b := from[i], to[i]
		if delay != nil {
			a += delay[i]
			b += delay[i]
		}
		a, b = max(a, 0), min(b, H)
		if a > b {
			continue
		}
		p := x * (cumD[b+1] - cumD[a])
		pv[i] += p
		if sg != 0 {
			side[i] += p
			diff[a*n+i] += sg * x
			if b < H { // a run to the horizon needs no end mark
				diff[(b+1)*n+i] -= sg * x
			}
			if sg > 0 {
				r.diffB[a*n+i] += x
				if b < H {
					r.diffB[(b+1)*n+i] -= x
				}
			}
		}
		if oneOff != nil {
			oneOff[i] += x * float64(b-a+1)
		}
	}
	if r.ly != nil {
		r.emitYears(from, to, v)
	}
}

// emitCash is emit for a cashable line that no risk delays, in a run that
// keeps no line-by-year outputs (the common case): the same arithmetic in
// the same order for each trial, with the tests that do not change from
// trial to trial taken out of the loop.
func (r *run) emitCash(from, to []int, v []float64) {
	n, H, sg, cumD, diff := r.n, r.H, r.sign, r.cumD[:r.H+2], r.diff
	from, to, v = from[:n], to[:n], v[:n]
	pv, side := r.pv[:n], r.side[:n]
	switch {
	case sg > 0 && r.oneOff == nil:
		diffB := r.diffB
		for i, x := range v {
			a, b := max(from[i], 0), min(to[i], H)
			if a > b {
				continue
			}
			p := x * (cumD[b+1] - cumD[a])
			pv[i] += p
			side[i] += p
			s := sg * x
			diff[a*n+i] += s
			diffB[a*n+i] += x
			if b < H { // a run to the horizon needs no end mark
				diff[(b+1)*n+i] -= s
				diffB[(b+1)*n+i] -= x
			}
		}
	case sg < 0 && r.oneOff != nil:
		oneOff := r.oneOff[:n]
		for i, x := range v {
			a, b := max(from[i], 0), min(to[i], H)
			if a > b {
				continue
			}
			p := x * (cumD[b+1] - cumD[a])
			pv[i] += p
			side[i] += p
			s := sg * x
			diff[a*n+i] += s
			if b < H {
				diff[(b+1)*n+i] -= s
			}
			oneOff[i] += x * float64(b-a+1)
		}
	default:
		oneOff := r.oneOff
		for i, x := range v {
			a, b := max(from[i], 0), min(to[i], H)
			if a > b {
				continue
			}
			p := x * (cumD[b+1] - cumD[a])
			pv[i] += p
			side[i] += p
			s := sg * x
			diff[a*n+i] += s
			if b < H {
				diff[(b+1)*n+i] -= s
			}
			if sg > 0 {
				r.diffB[a*n+i] += x
				if b < H {
					r.diffB[(b+1)*n+i] -= x
				}
			}
			if oneOff != nil {
				oneOff[i] += x * float64(b-a+1)
			}
		}
	}
}

// eval computes a block's outputs from its inputs (docs/MODEL.md §3-7). It
// allocates nothing once the scratch has grown to the block size.
func (e *evaluator) eval(in, out [][]float64) {
	n := len(out[0])
	e.grow(n)
	years, ob := e.years, e.ob
	for _, l := range e.yearLines {
		if f := e.flows[l]; f != nil {
			clear(f[:years*n])
		}
	}
	for _, l := range e.runLines {
		clear(out[e.oLine+l])
		if e.oLY >= 0 {
			for t := range years {
				clear(out[e.oLY+l*years+t])
			}
		}
	}
	clear(e.pvB[:n])
	clear(e.pvC[:n])
	clear(out[e.oOneOff])
	for _, d := range e.delay {
		if d != nil {
			clear(d[:n])
		}
	}
	clear(e.diff[:years*n])
	clear(e.diffB[:years*n])
	migEnd := e.migEnd[:n]
	clear(migEnd)

	// Risk delays first: runs are emitted already shifted.
	for k := range e.risks {
		r := &e.risks[k]
		if r.delay < 0 {
			continue
		}
		occ, dl := in[r.occ][:n], in[r.delay][:n]
		for i, o := range occ {
			if o >= 0.5 {
				if d := roundYear(dl[i]); d > 0 {
					for _, l := range r.hits {
						e.delay[l][i] += d
					}
				}
			}
		}
	}
	O, Oo, Rz := in[e.itIdx][:n], in[e.otherIdx][:n], in[e.realIdx][:n]
	for k := range e.cats {
		e.evalCategory(k, in, out, O, Oo, Rz, migEnd)
	}
	for k := range e.wfs {
		w := &e.wfs[k]
		save, red := e.amt[w.saveLine][:n], e.amt[w.redundLine][:n]
		share, cost := in[w.red][:n], in[w.cost][:n]
		for i := range n {
			fte := 0.0
			for _, tm := range w.fte {
				fte += tm.coef * in[tm.idx][i]
			}
			removed := fte * share[i]
			save[i] = removed * cost[i] * Rz[i]
			red[i] = 0
			if w.redun >= 0 {
				red[i] = removed * in[w.redun][i]
			}
		}
	}
	hi, v := e.horizon[:n], e.value[:n]
	if dem := &e.dem; dem.allow >= 0 || dem.elec >= 0 {
		from := e.demStart[:n]
		if dem.allow >= 0 {
			for i, a := range in[dem.allow][:n] {
				seats := dem.seats
				if dem.seatsIn >= 0 {
					seats = in[dem.seatsIn][i]
				}
				v[i] = seats * a * Rz[i]
			}
			ln := e.runLine(dem.allowLine, out)
			ln.emit(from, hi, v)
		}
		if dem.elec >= 0 {
			for i, x := range in[dem.elec][:n] {
				v[i] = x * Rz[i]
			}
			ln := e.runLine(dem.elecLine, out)
			ln.emit(from, hi, v)
		}
	}
	for k := range e.items {
		ic := &e.items[k]
		amt, f := in[ic.amt][:n], e.amt[ic.line][:n]
		for i := range n {
			a := amt[i]
			switch {
			case ic.oneOff && ic.it:
				a *= O[i] * ob
			case ic.oneOff:
				a *= Oo[i] * ob
			case ic.recurringSaving:
				a *= Rz[i]
			}
			f[i] = a
		}
	}
	for k := range e.saves {
		e.evalSaving(&e.saves[k], in, Oo, Rz)
	}
	for k := range e.quals {
		e.evalQuality(k, in, out, migEnd)
	}
	for k := range e.risks {
		r := &e.risks[k]
		if r.line < 0 {
			continue
		}
		// A trial where the risk does not happen emits an empty run.
		yr, never := e.riskYear[:n], e.riskLast[:n]
		occ, cost := in[r.occ][:n], in[r.cost][:n]
		for i, o := range occ {
			yr[i], never[i], v[i] = r.year, r.year, cost[i]*ob
			if !(o >= 0.5) {
				never[i] = r.year - 1
			}
		}
		ln := e.runLine(r.line, out)
		ln.emit(yr, never, v)
	}
	for _, l := range e.yearLines {
		if dl := e.delay[l]; dl != nil && e.kinds[l] != lineSelfDelayed {
			if g, a := e.prof[l], e.amt[l]; e.kinds[l] == lineProfile {
				f := e.flows[l]
				for t, x := range g {
					for i, v := range a[:n] {
						f[t*n+i] = v * x
					}
				}
			}
			for i, d := range dl[:n] {
				if d > 0 {
					shiftRight(e.flows[l][:years*n], n, i, d)
				}
			}
		}
	}
	e.totals(out, n)
	if e.oLY >= 0 {
		e.lineYears(out, n)
	}
}

// evalCategory emits one system category's licence savings, exit costs,
// migration costs and new-system licences for every trial of the block,
// step by step over the block.
func (e *evaluator) evalCategory(k int, in, out [][]float64, O, Oo, Rz []float64, migEnd []int) {
	sc := &e.cats[k]
	n, ob := len(O), e.ob
	// M, the migration's last year, is kept for the savings it enables.
	E, from, Er, M := e.contractEnd[:n], e.savingFrom[:n], e.rowEnd[:n], e.migM[k][:n]
	hi, one, v := e.horizon[:n], e.yearOne[:n], e.value[:n]
	over := O
	if sc.notIT {
		over = Oo
	}
	var dual []float64
	if sc.dual >= 0 {
		dual = in[sc.dual][:n]
	}
	lic := e.runLine(sc.licLine, out)
	var exit run
	if sc.exit >= 0 {
		exit = e.runLine(sc.exitLine, out)
	}
	if sc.end >= 0 {
		yearsOf(E, in[sc.end])
		if sc.dec > 0 {
			from := from
			if dual == nil { // the saving starts at the contract end
				from = E
			} else {
				withDual(from, E, dual)
			}
			for i, L := range in[sc.lic][:n] {
				v[i] = sc.dec * L * Rz[i]
			}
			lic.emit(from, hi, v)
		}
		if sc.exit >= 0 {
			for i, x := range in[sc.exit][:n] {
				v[i] = sc.dec * x * over[i] * ob
			}
			exit.emit(E, E, v)
		}
	} else {
		// Inventory: each decommissioned system saves its own licence
		// from its own contract end.
		for i := range E {
			E[i] = 1
		}
		for _, r := range sc.decRows {
			yearsOf(Er, in[r.end])
			for i, x := range Er {
				E[i] = max(E[i], x)
			}
			withDual(from, Er, dual)
			for i, L := range in[r.lic][:n] {
				v[i] = L * Rz[i]
			}
			lic.emit(from, hi, v)
			if sc.exit >= 0 {
				for i, x := range in[sc.exit][:n] {
					v[i] = x * over[i] * ob
				}
				exit.emit(Er, Er, v)
			}
		}
	}
	if sc.migYears >= 0 {
		yearsOf(M, in[sc.migYears])
	} else {
		copy(M, E)
	}
	if e.slipIdx >= 0 && sc.migYears >= 0 { // a planned duration slips; a contract end does not
		for i, s := range in[e.slipIdx][:n] {
			M[i] = max(1, roundYear(float64(M[i])*s))
		}
	}
	if sc.migrations > 0 {
		C := in[sc.mig][:n]
		for i, m := range M {
			v[i] = sc.migrations * C[i] * over[i] * ob / float64(m)
			migEnd[i] = max(migEnd[i], m)
		}
		mig := e.runLine(sc.migLine, out)
		mig.emit(one, M, v)
	}
	if sc.newSys > 0 {
		lics := v
		switch {
		case sc.lic >= 0:
			lics = in[sc.lic][:n]
		default: // the mean of the inventory's licences
			clear(v)
			for _, j := range sc.allRows {
				for i, x := range in[j][:n] {
					v[i] += x
				}
			}
			for i := range v {
				v[i] /= float64(len(sc.allRows))
			}
		}
		for i, L := range lics {
			v[i] = -sc.newSys * L
		}
		lic.emit(one, hi, v)
	}
}

// yearsOf sets y[i] to drawn year x[i] rounded, and at least 1.
func yearsOf(y []int, x []float64) {
	for i, v := range x[:len(y)] {
		y[i] = max(1, roundYear(v))
	}
}

// withDual sets from[i] to year[i] plus trial i's dual-running years
// (rounded, at least 0), or to year[i] when dual is nil.
func withDual(from, year []int, dual []float64) {
	if dual == nil {
		copy(from, year)
		return
	}
	for i, y := range year[:len(from)] {
		from[i] = y + max(0, roundYear(dual[i]))
	}
}

// evalQuality computes indicator k year by year for every trial of the
// block, and its monetised line if it has one.
func (e *evaluator) evalQuality(k int, in, out [][]float64, migEnd []int) {
	q := &e.quals[k]
	n, years := len(migEnd), e.years
	var f []float64
	if q.line >= 0 {
		f = e.flows[q.line]
	}
	o := out[e.oQuality+k*years : e.oQuality+(k+1)*years]
	for i := range n {
		base := 0.0
		for _, tm := range q.base {
			base += tm.coef * in[tm.idx][i]
		}
		eff := in[q.eff][i]
		dip := 0.0
		if q.dis >= 0 {
			dip = in[q.dis][i]
		}
		vpu := 0.0
		switch {
		case q.vpu >= 0:
			vpu = in[q.vpu][i]
		case q.cs[0] >= 0:
			vpu = in[q.cs[0]][i] * (in[q.cs[1]][i] - in[q.cs[2]][i])
		}
		for t := 0; t < years; t++ {
			v := base + eff*q.ramp[t]
			if t >= 1 && t <= migEnd[i] {
				v -= q.sign * dip
			}
			o[t][i] = v
			if f != nil {
				f[t*n+i] = (v - base) * vpu
			}
		}
	}
}

// totals computes the per-line present values of the year-by-year lines,
// the net cash flow by year, NPV, payback, one-off cost and the rest.
func (e *evaluator) totals(out [][]float64, n int) {
	years, disc := e.years, e.disc
	pvB, pvC := e.pvB[:n], e.pvC[:n]
	oneOff := out[e.oOneOff]
	net := out[e.oNet : e.oNet+years]
	for _, c := range net {
		clear(c)
	}
	gross := out[e.oSavings : e.oSavings+years]
	for _, c := range gross {
		clear(c)
	}
	for _, l := range e.yearLines {
		if e.flows[l] == nil {
			e.profileTotals(l, out, n)
			continue
		}
		f, p := e.flows[l][:years*n], out[e.oLine+l][:n]
		for i := range p {
			p[i] = dotCol(f, n, i, disc)
		}
		sign := e.sign[l]
		switch sign {
		case 1:
			for i, v := range p {
				pvB[i] += v
			}
		case -1:
			for i, v := range p {
				pvC[i] += v
			}
			if ln := e.lines[l]; ln.OneOff {
				for i := range oneOff {
					oneOff[i] += sumCol(f, n, i)
				}
			}
		default:
			continue
		}
		for t, c := range net {
			ft := f[t*n : t*n+n]
			for i, v := range ft {
				c[i] += sign * v
			}
			if sign == 1 {
				g := gross[t]
				for i, v := range ft {
					g[i] += v
				}
			}
		}
	}
	// Add the run lines' difference array, summed over years, and with
	// each year's net cash flow complete, discount and cumulate it (NPV,
	// the cumulative flow, payback, the five-year net) in the same loop.
	runSum := e.runSum[:n]
	clear(runSum)
	npv, cum, five, payback := out[e.oNPV], e.cum[:n], out[e.oFive], out[e.oPayback]
	started := e.started[:n] // payback is counted from the first year with any cash flow
	clear(npv)
	clear(cum)
	clear(five)
	clear(started)
	for i := range payback {
		payback[i] = math.Inf(1)
	}
	for t, c := range net {
		dt := e.diff[t*n : t*n+n]
		d, ct, y, inFive := disc[t], out[e.oCum+t][:n], float64(t), t <= 5
		c = c[:n]
		for i := range c {
			runSum[i] += dt[i]
			c[i] += runSum[i]
			v := c[i]
			npv[i] += v * d
			cum[i] += v
			ct[i] = cum[i]
			started[i] = started[i] || v != 0
			if started[i] && cum[i] >= 0 && math.IsInf(payback[i], 1) {
				payback[i] = y
			}
			if inFive {
				five[i] += v
			}
		}
	}
	clear(runSum)
	for t, c := range gross {
		dt := e.diffB[t*n : t*n+n]
		for i := range c {
			runSum[i] += dt[i]
			c[i] += runSum[i]
		}
	}
	succ := out[e.oSucc : e.oSucc+e.nS]
	if e.nS == 1 {
		for i, v := range pvB {
			succ[0][i] = v - pvC[i]
		}
	} else {
		for s, c := range succ {
			clear(c)
			for l := range e.lines {
				w := e.sign[l] * e.lines[l].Share[s]
				for i, v := range out[e.oLine+l][:n] {
					c[i] += w * v
				}
			}
		}
	}
	copy(out[e.oSteady], net[years-1])
	bcr := out[e.oBCR]
	for i, c := range pvC {
		if c > 0 {
			bcr[i] = pvB[i] / c
		} else {
			bcr[i] = math.NaN()
		}
	}
}

// profileTotals is totals' work for a profile line without flows: its
// present value, benefits or costs, one-off cost and net cash flow, from
// each trial's amount and the line's fixed profile.
func (e *evaluator) profileTotals(l int, out [][]float64, n int) {
	a, p, g := e.amt[l][:n], out[e.oLine+l][:n], e.prof[l]
	for i, v := range a {
		p[i] = v * e.profPV[l]
	}
	var side []float64
	switch e.sign[l] {
	case 1:
		side = e.pvB[:n]
	case -1:
		side = e.pvC[:n]
		if e.lines[l].OneOff {
			oneOff, s := out[e.oOneOff], e.profSum[l]
			for i, v := range a {
				oneOff[i] += v * s
			}
		}
	default:
		return
	}
	for i, v := range p {
		side[i] += v
	}
	for t, c := range out[e.oNet : e.oNet+e.years] {
		w := e.sign[l] * g[t]
		switch {
		case w > 0: // a saving: to the net and the gross savings at once
			c, gs := c[:len(a)], out[e.oSavings+t][:len(a)]
			for i, v := range a {
				c[i] += w * v
				gs[i] += w * v
			}
		case w != 0:
			c = c[:len(a)]
			for i, v := range a {
				c[i] += w * v
			}
		}
	}
}

// evalSaving writes a cost-base saving's flows, and its cost to achieve,
// for every trial of the block (docs/MODEL.md §5a): amount = sum of bases x
// reduction x scale x realisation; start = max(ramp start, the year after
// the last enabling migration ends, plus any risk delay of an enabling
// system's licence line), plus any risk delay of the saving itself; share
// in year t = C((t - start + 1) / T), T the ramp stretch.
func (e *evaluator) evalSaving(sv *saveC, in [][]float64, Oo, Rz []float64) {
	n, years := len(Rz), e.years
	f := e.flows[sv.line][:years*n]
	clear(f)
	var cf []float64
	if sv.ctaLine >= 0 {
		cf = e.flows[sv.ctaLine][:years*n]
		clear(cf)
	}
	dl := e.delay[sv.line]
	red, stretch := in[sv.red][:n], in[e.stretchIdx][:n]
	for i := range n {
		base := 0.0
		for _, tm := range sv.base {
			base += tm.coef * in[tm.idx][i]
		}
		amt := base * red[i] * sv.scale * Rz[i]
		st := sv.start
		for j, g := range sv.gates {
			m := e.migM[g][i]
			for _, r := range sv.gateRisks[j] {
				m += e.riskDelay(r, in, i)
			}
			st = max(st, m+1)
		}
		if dl != nil {
			st += dl[i]
		}
		T := stretch[i]
		if !(T > 1e-9) {
			T = 1e-9
		}
		for t := max(st, 0); t < years; t++ {
			x := float64(t-st+1) / T
			if sv.cum == nil {
				f[t*n+i] = amt * math.Min(1, x/sv.years)
			} else {
				f[t*n+i] = amt * RampShare(sv.cum, x)
			}
		}
		if cf != nil {
			c := amt * in[sv.cta][i] * Oo[i] * e.ob
			// Only the years within 0..H: a long profile costs nothing more.
			for t := max(st, 0); t < min(st+len(sv.ctaProf), years); t++ {
				cf[t*n+i] = c * sv.ctaProf[t-st]
			}
		}
	}
}

// riskDelay is risk r's delay in years in trial i of the block: its delay
// draw rounded if it occurs and the delay is positive, else 0 (as the
// risk pass applies it to the lines it hits).
func (e *evaluator) riskDelay(r int, in [][]float64, i int) int {
	rc := &e.risks[r]
	if !(in[rc.occ][i] >= 0.5) {
		return 0
	}
	return max(0, roundYear(in[rc.delay][i]))
}

// dotCol returns sum_t f[t*n+i]*disc[t] for trial i, with four accumulators
// so that the additions do not wait on each other.
func dotCol(f []float64, n, i int, disc []float64) float64 {
	var s0, s1, s2, s3 float64
	t := 0
	for ; t+3 < len(disc); t += 4 {
		s0 += f[t*n+i] * disc[t]
		s1 += f[(t+1)*n+i] * disc[t+1]
		s2 += f[(t+2)*n+i] * disc[t+2]
		s3 += f[(t+3)*n+i] * disc[t+3]
	}
	for ; t < len(disc); t++ {
		s0 += f[t*n+i] * disc[t]
	}
	return (s0 + s1) + (s2 + s3)
}

// sumCol returns sum_t f[t*n+i] over the len(f)/n years of f, for trial i.
func sumCol(f []float64, n, i int) float64 {
	years := len(f) / n
	var s0, s1 float64
	t := 0
	for ; t+1 < years; t += 2 {
		s0 += f[t*n+i]
		s1 += f[(t+1)*n+i]
	}
	if t < years {
		s0 += f[t*n+i]
	}
	return s0 + s1
}

// roundYear rounds a drawn year to the nearest integer, saturating far
// outside any horizon.
func roundYear(x float64) int {
	if i := int(x); float64(i) == x { // already whole, as uniform_int draws are
		return i
	}
	return roundFraction(x)
}

// roundFraction is roundYear for a year that is not whole (apart, so that
// roundYear's test for a whole year is inlined where it is called).
//
//go:noinline
func roundFraction(x float64) int {
	if !(x < 1e6) {
		return 1e6
	}
	if x < -1e6 {
		return -1e6
	}
	return int(math.Round(x))
}

// shiftRight delays trial i's year-by-year flows in f by d years.
func shiftRight(f []float64, n, i, d int) {
	for t := len(f)/n - 1; t >= 0; t-- {
		if t-d >= 0 {
			f[t*n+i] = f[(t-d)*n+i]
		} else {
			f[t*n+i] = 0
		}
	}
}
