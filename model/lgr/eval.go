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

// plan is everything the per-trial evaluation needs from compilation:
// input indices, compiled sections, lines, discounting and output offsets.
type plan struct {
	itIdx, otherIdx, realIdx int
	cats                     []sysC
	wfs                      []wfC
	dem                      demC
	items                    []itemC
	quals                    []qualC
	risks                    []riskC
	lines                    []Line
	arrLines                 []int
	segLine                  []bool
	segLines                 []int // lines emitted as constant runs
	disc, cumD               []float64
	years, H, nS             int
	ob                       float64
	// Output offsets.
	oQuality, oLine, oSucc, oNet, oCum            int
	oNPV, oOneOff, oSteady, oPayback, oFive, oBCR int
}

// evaluator is one worker's evaluation: the plan and its scratch space.
type evaluator struct {
	*plan
	flows [][]float64 // year-by-year lines (arrLines)
	sg    *segAcc     // constant-run lines
	net   []float64
	pv    []float64
}

func (p *plan) newEvaluator() *evaluator {
	nL := len(p.lines)
	buf := make([]float64, nL*p.years)
	e := &evaluator{plan: p, flows: make([][]float64, nL), sg: newSegAcc(p.lines, p.cumD, p.H),
		net: make([]float64, p.years), pv: make([]float64, nL)}
	for l := range e.flows {
		e.flows[l] = buf[l*p.years : (l+1)*p.years : (l+1)*p.years]
	}
	return e
}

// eval computes one trial's outputs from its inputs (docs/MODEL.md §3-7).
// It allocates nothing.
func (e *evaluator) eval(in, out []float64) {
	flows, sg, net, pv := e.flows, e.sg, e.net, e.pv
	arrLines, risks, cats, wfs, dem, items, quals, lines := e.arrLines, e.risks, e.cats, e.wfs, e.dem, e.items, e.quals, e.lines
	itIdx, otherIdx, realIdx := e.itIdx, e.otherIdx, e.realIdx
	disc, H, years, nS, ob, demStart := e.disc, e.H, e.years, e.nS, e.ob, e.dem.start
	oQuality, oLine, oSucc, oNet, oCum := e.oQuality, e.oLine, e.oSucc, e.oNet, e.oCum
	oNPV, oOneOff, oSteady, oPayback, oFive, oBCR := e.oNPV, e.oOneOff, e.oSteady, e.oPayback, e.oFive, e.oBCR
	for _, l := range arrLines {
		clear(flows[l])
	}
	sg.reset()
	// Risk delays first: runs are emitted already shifted.
	for k := range risks {
		r := &risks[k]
		if r.delay >= 0 && in[r.occ] >= 0.5 {
			if d := roundYear(in[r.delay]); d > 0 {
				for _, l := range r.hits {
					sg.delay[l] += d
				}
			}
		}
	}
	O, Oo, Rz := in[itIdx], in[otherIdx], in[realIdx]
	migEnd := 0
	for k := range cats {
		sc := &cats[k]
		C := in[sc.mig]
		dual := 0
		if sc.dual >= 0 {
			dual = max(0, roundYear(in[sc.dual]))
		}
		over := O
		if sc.notIT {
			over = Oo
		}
		var L float64
		E := 1
		if sc.end >= 0 {
			L = in[sc.lic]
			E = max(1, roundYear(in[sc.end]))
			if sc.dec > 0 {
				sg.emit(sc.licLine, E+dual, H, sc.dec*L*Rz)
			}
			if sc.exit >= 0 {
				sg.emit(sc.exitLine, E, E, sc.dec*in[sc.exit]*over*ob)
			}
		} else {
			// Inventory: each decommissioned system saves its own
			// licence from its own contract end.
			for _, r := range sc.decRows {
				Er := max(1, roundYear(in[r.end]))
				E = max(E, Er)
				sg.emit(sc.licLine, Er+dual, H, in[r.lic]*Rz)
				if sc.exit >= 0 {
					sg.emit(sc.exitLine, Er, Er, in[sc.exit]*over*ob)
				}
			}
			if sc.lic >= 0 {
				L = in[sc.lic]
			} else {
				for _, i := range sc.allRows {
					L += in[i]
				}
				L /= float64(len(sc.allRows))
			}
		}
		M := E
		if sc.migYears >= 0 {
			M = max(1, roundYear(in[sc.migYears]))
		}
		if sc.migrations > 0 {
			sg.emit(sc.migLine, 1, M, sc.migrations*C*over*ob/float64(M))
			migEnd = max(migEnd, M)
		}
		if sc.newSys > 0 {
			sg.emit(sc.licLine, 1, H, -sc.newSys*L)
		}
	}
	for k := range wfs {
		w := &wfs[k]
		fte := 0.0
		for _, tm := range w.fte {
			fte += tm.coef * in[tm.idx]
		}
		removed := fte * in[w.red]
		save, red := flows[w.saveLine], flows[w.redundLine]
		annual := removed * in[w.cost] * Rz
		redund := 0.0
		if w.redun >= 0 {
			redund = removed * in[w.redun]
		}
		for t := 1; t < years; t++ {
			save[t] = annual * w.ramp[t]
			red[t] = redund * w.redProf[t]
		}
	}
	if dem.allow >= 0 {
		seats := dem.seats
		if dem.seatsIn >= 0 {
			seats = in[dem.seatsIn]
		}
		sg.emit(dem.allowLine, demStart, H, seats*in[dem.allow]*Rz)
	}
	if dem.elec >= 0 {
		sg.emit(dem.elecLine, demStart, H, in[dem.elec]*Rz)
	}
	for k := range items {
		ic := &items[k]
		a := in[ic.amt]
		switch {
		case ic.oneOff && ic.it:
			a *= O * ob
		case ic.oneOff:
			a *= Oo * ob
		case ic.recurringSaving:
			a *= Rz
		}
		f := flows[ic.line]
		for t, x := range ic.factor {
			f[t] = a * x
		}
	}
	for k := range quals {
		q := &quals[k]
		base := 0.0
		for _, tm := range q.base {
			base += tm.coef * in[tm.idx]
		}
		eff := in[q.eff]
		dip := 0.0
		if q.dis >= 0 {
			dip = in[q.dis]
		}
		vpu := 0.0
		switch {
		case q.vpu >= 0:
			vpu = in[q.vpu]
		case q.cs[0] >= 0:
			vpu = in[q.cs[0]] * (in[q.cs[1]] - in[q.cs[2]])
		}
		o := out[oQuality+k*years : oQuality+(k+1)*years]
		for t := 0; t < years; t++ {
			v := base + eff*q.ramp[t]
			if t >= 1 && t <= migEnd {
				v -= q.sign * dip
			}
			o[t] = v
			if q.line >= 0 {
				flows[q.line][t] = (v - base) * vpu
			}
		}
	}
	for k := range risks {
		r := &risks[k]
		if in[r.occ] < 0.5 {
			continue
		}
		if r.line >= 0 {
			sg.emit(r.line, r.year, r.year, in[r.cost]*ob)
		}
	}
	for _, l := range arrLines {
		if d := sg.delay[l]; d > 0 {
			shiftRight(flows[l], d)
		}
	}
	// Totals. sg.sign is +1 for a cashable saving, -1 for a cashable cost,
	// 0 otherwise; sg.oneOff marks cashable one-off costs.
	clear(net)
	diff := sg.diff
	pvB, pvC, oneOff := 0.0, 0.0, 0.0
	for _, l := range e.segLines {
		p := sg.pv[l]
		pv[l] = p
		out[oLine+l] = p
		switch sg.sign[l] {
		case 1:
			pvB += p
		case -1:
			pvC += p
			oneOff += sg.total[l]
		}
	}
	for _, l := range arrLines {
		f := flows[l]
		p := dot(f, disc)
		pv[l] = p
		out[oLine+l] = p
		switch sign := sg.sign[l]; sign {
		case 1:
			pvB += p
		case -1:
			pvC += p
			if sg.oneOff[l] {
				oneOff += sum(f)
			}
		default:
			continue
		}
		sign := sg.sign[l]
		for t, v := range f {
			net[t] += sign * v
		}
	}
	run := 0.0
	for t := range net {
		run += diff[t]
		net[t] += run
	}
	if nS == 1 {
		out[oSucc] = pvB - pvC
	} else {
		for s := 0; s < nS; s++ {
			v := 0.0
			for l := range lines {
				v += sg.sign[l] * lines[l].Share[s] * pv[l]
			}
			out[oSucc+s] = v
		}
	}
	npv, cum, five := 0.0, 0.0, 0.0
	payback := math.Inf(1)
	started := false // payback is counted from the first year with any cash flow
	for t, v := range net {
		npv += v * disc[t]
		cum += v
		if t <= 5 {
			five += v
		}
		out[oNet+t] = v
		out[oCum+t] = cum
		started = started || v != 0
		if started && cum >= 0 && math.IsInf(payback, 1) {
			payback = float64(t)
		}
	}
	out[oNPV] = npv
	out[oOneOff] = oneOff
	out[oSteady] = net[years-1]
	out[oPayback] = payback
	out[oFive] = five
	if pvC > 0 {
		out[oBCR] = pvB / pvC
	} else {
		out[oBCR] = math.NaN()
	}
}

// segAcc accumulates, for one trial, the lines made of constant runs: each
// run is emitted once, already delayed by the risks that hit its line, and
// adds its present value (prefix sums of discount factors), its
// undiscounted total and its contribution to the net cash flow (a
// difference array) in O(1).
type segAcc struct {
	delay     []int
	pv, total []float64
	diff      []float64
	sign      []float64 // +1 saving, -1 cost, 0 not cashable
	oneOff    []bool
	oneOffMul []float64 // 1 for a cashable one-off cost, else 0
	cumD      []float64
	horizon   int
}

func newSegAcc(lines []Line, cumD []float64, horizon int) *segAcc {
	n := len(lines)
	s := &segAcc{delay: make([]int, n), pv: make([]float64, n), total: make([]float64, n),
		diff: make([]float64, horizon+2), sign: make([]float64, n), oneOff: make([]bool, n), oneOffMul: make([]float64, n),
		cumD: cumD, horizon: horizon}
	for l, ln := range lines {
		switch {
		case !ln.Cashable:
		case ln.Benefit:
			s.sign[l] = 1
		default:
			s.sign[l] = -1
		}
		s.oneOff[l] = ln.OneOff && ln.Cashable && !ln.Benefit
		if s.oneOff[l] {
			s.oneOffMul[l] = 1
		}
	}
	return s
}

func (s *segAcc) reset() {
	clear(s.delay)
	clear(s.pv)
	clear(s.total)
	clear(s.diff)
}

// emit records flow v in each year from..to of line l (shifted by the
// line's delay, clipped to the horizon).
func (s *segAcc) emit(l, from, to int, v float64) {
	d := s.delay[l]
	a, b := max(from+d, 0), min(to+d, s.horizon)
	if a > b {
		return
	}
	s.pv[l] += v * (s.cumD[b+1] - s.cumD[a])
	if sg := s.sign[l]; sg != 0 {
		s.diff[a] += sg * v
		if b < s.horizon { // a run to the horizon needs no end mark
			s.diff[b+1] -= sg * v
		}
	}
	s.total[l] += v * float64(b-a+1) * s.oneOffMul[l]
}

// dot returns sum_t a[t]*b[t] with four accumulators, so that the additions
// do not wait on each other (the per-line present value is the hot loop).
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	t := 0
	for ; t+3 < len(a); t += 4 {
		s0 += a[t] * b[t]
		s1 += a[t+1] * b[t+1]
		s2 += a[t+2] * b[t+2]
		s3 += a[t+3] * b[t+3]
	}
	for ; t < len(a); t++ {
		s0 += a[t] * b[t]
	}
	return (s0 + s1) + (s2 + s3)
}

func sum(a []float64) float64 {
	var s0, s1 float64
	t := 0
	for ; t+1 < len(a); t += 2 {
		s0 += a[t]
		s1 += a[t+1]
	}
	if t < len(a) {
		s0 += a[t]
	}
	return s0 + s1
}

// roundYear rounds a drawn year to the nearest integer, saturating far
// outside any horizon.
func roundYear(x float64) int {
	if !(x < 1e6) {
		return 1e6
	}
	if x < -1e6 {
		return -1e6
	}
	return int(math.Round(x))
}

func shiftRight(f []float64, d int) {
	for t := len(f) - 1; t >= 0; t-- {
		if t-d >= 0 {
			f[t] = f[t-d]
		} else {
			f[t] = 0
		}
	}
}
