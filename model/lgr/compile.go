package lgr

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// Line is one cost or saving line of the cash flow.
type Line struct {
	Name string
	// Benefit is true for savings and benefits, false for costs.
	Benefit bool
	// OneOff lines count towards the one-off cost.
	OneOff bool
	// Cashable lines count in net, NPV and payback.
	Cashable bool
	// Share attributes the line to successors (sums to 1).
	Share []float64
}

// Compiled is a scenario compiled into an engine model, with the layout of
// the model's outputs.
type Compiled struct {
	Model    *engine.Model
	Scenario *Scenario
	// Years is Horizon+1 (years 0..Horizon).
	Years int
	// Discount[t] is the discount factor of year t.
	Discount   []float64
	Lines      []Line
	Successors []string
	// SuccessorPopulation is each successor's resident population.
	SuccessorPopulation []float64
	Indicators          []Indicator
	// Output indices.
	OutNPV, OutOneOff, OutSteady, OutPayback, OutFiveYear, OutBCR int
	// OutNet, OutCum, OutLine, OutSuccessor and OutQuality are the first of
	// Years, Years, len(Lines), len(Successors) and len(Indicators)*Years outputs.
	OutNet, OutCum, OutLine, OutSuccessor, OutQuality int
}

// Payback years are +Inf in a trial whose cumulative net never turns
// non-negative within the horizon.

type compiler struct {
	s       *Scenario
	inputs  []engine.Input
	index   map[string]int
	errs    []error
	H       int
	lines   []Line
	popW    []float64 // successor population shares
	predW   [][]float64
	succIdx map[string]int
	predIdx map[string]int
}

func (c *compiler) input(name string, d dist.Distribution) int {
	if d == nil {
		return -1
	}
	if _, dup := c.index[name]; dup {
		c.errs = append(c.errs, fmt.Errorf("%s: input name used twice", name))
		return -1
	}
	c.index[name] = len(c.inputs)
	c.inputs = append(c.inputs, engine.Input{Name: name, Dist: d})
	return len(c.inputs) - 1
}

func (c *compiler) line(l Line) int {
	if l.Share == nil {
		l.Share = c.popW
	}
	c.lines = append(c.lines, l)
	return len(c.lines) - 1
}

type sysC struct {
	lic, mig, end, migYears, dual, exit int
	dec, newSys, migrations             float64
	licLine, migLine, exitLine          int
	notIT                               bool
	// With an inventory: the decommissioned rows, and every row's licence
	// input (their mean prices a newly procured system when the category
	// has no licence of its own).
	decRows []invRow
	allRows []int
}

type invRow struct{ lic, end int }

type term struct {
	idx  int
	coef float64
}

type wfC struct {
	fte                  []term
	red, cost, redun     int
	ramp, redProf        []float64
	saveLine, redundLine int
}

type itemC struct {
	amt             int
	benefit         bool
	recurringSaving bool
	factor          []float64
	oneOff          bool
	it              bool
	line            int
}

type riskC struct {
	occ, cost, delay int
	year             int
	hits             []int
	line             int
}

type qualC struct {
	base     []term
	eff, dis int
	vpu      int
	cs       [3]int
	ramp     []float64
	sign     float64
	line     int
}

// Compile validates s and compiles it into an engine model. Every problem is
// reported at once.
func Compile(s *Scenario) (*Compiled, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	H := s.Horizon
	if H == 0 {
		H = DefaultHorizon
	}
	c := &compiler{s: s, index: map[string]int{}, H: H, succIdx: map[string]int{}, predIdx: map[string]int{}}
	nS := len(s.Successors)
	for i, sc := range s.Successors {
		c.succIdx[strings.ToLower(sc.Name)] = i
	}
	for i, p := range s.Predecessors {
		c.predIdx[strings.ToLower(p.Name)] = i
	}
	cp := &Compiled{Scenario: s, Years: H + 1}
	c.weights(cp)

	years := H + 1
	cp.Discount = discountFactors(s.Discount, years)

	itOver := s.ITOverrun
	if itOver == nil {
		itOver = DefaultITOverrun()
	}
	otherOver := s.OtherOverrun
	if otherOver == nil {
		otherOver = DefaultOtherOverrun()
	}
	itIdx := c.input("it_overrun", itOver)
	otherIdx := c.input("other_overrun", otherOver)
	realise := s.SavingsRealisation
	if realise == nil {
		realise = DefaultSavingsRealisation()
	}
	realIdx := c.input("savings_realisation", realise)

	var cats []sysC
	for _, sc := range s.Systems {
		cats = append(cats, c.system(sc))
	}
	var wfs []wfC
	for i, w := range s.Workforce {
		wfs = append(wfs, c.workforce(i, w))
	}
	dem := struct {
		allow, elec, seatsIn int
		seats                float64
		factor               []float64
		allowLine, elecLine  int
	}{allow: -1, elec: -1, seatsIn: -1}
	if d := s.Democracy; d != nil {
		before, after := d.CouncillorsBefore, d.CouncillorsAfter
		if before == 0 {
			for _, p := range s.Predecessors {
				before += p.Councillors
			}
		}
		if after == 0 {
			for _, sc := range s.Successors {
				after += sc.Councillors
			}
		}
		dem.seats = float64(before - after)
		start := d.Start
		if start == 0 {
			start = 1
		}
		dem.factor = rampFactors(Ramp{Start: start, Profile: []float64{1}}, years)
		dem.seatsIn = c.input("democracy.seats_removed", d.SeatsRemoved)
		dem.allow = c.input("democracy.allowance", d.Allowance)
		dem.elec = c.input("democracy.election_saving", d.ElectionSaving)
		if dem.allow >= 0 {
			dem.allowLine = c.line(Line{Name: "democracy.allowances", Benefit: true, Cashable: true})
		}
		if dem.elec >= 0 {
			dem.elecLine = c.line(Line{Name: "democracy.elections", Benefit: true, Cashable: true})
		}
	}
	var items []itemC
	for _, it := range s.Items {
		ic := itemC{amt: c.input("items."+it.Name+".amount", it.Amount), benefit: it.Benefit, it: it.IT,
			recurringSaving: it.Recurring && it.Benefit}
		if it.Recurring {
			r := it.Ramp
			if r.Years == 0 && len(r.Profile) == 0 {
				r = Ramp{Start: max(it.Start, r.Start, 1), Years: 1}
			}
			ic.factor = rampFactors(r, years)
		} else {
			prof := it.Profile
			if len(prof) == 0 {
				prof = []float64{1}
			}
			ic.factor = make([]float64, years)
			for k, f := range prof {
				if t := it.Start + k; t < years {
					ic.factor[t] = f
				}
			}
			ic.oneOff = !it.Benefit
		}
		var share []float64
		if it.Successor != "" {
			share = make([]float64, nS)
			share[c.succIdx[strings.ToLower(it.Successor)]] = 1
		}
		ic.line = c.line(Line{Name: "items." + it.Name, Benefit: it.Benefit, OneOff: ic.oneOff, Cashable: !it.NonCashable, Share: share})
		items = append(items, ic)
	}
	var quals []qualC
	for _, q := range s.Quality {
		quals = append(quals, c.quality(q, years))
	}
	// Risks come last: their delays act on every line defined above.
	var risks []riskC
	for i, r := range s.Risks {
		occ, _ := dist.NewBernoulli(r.Probability)
		rc := riskC{occ: c.input("risks."+r.Name+".occurs", occ), cost: c.input("risks."+r.Name+".cost", r.Cost),
			delay: c.input("risks."+r.Name+".delay", r.Delay), year: r.Year, line: -1}
		if rc.year == 0 {
			rc.year = 1
		}
		if rc.cost >= 0 {
			rc.line = c.line(Line{Name: "risks." + r.Name, OneOff: true, Cashable: true})
		}
		for l, ln := range c.lines {
			if !ln.Benefit {
				continue
			}
			hit := len(r.Hits) == 0
			for _, h := range r.Hits {
				hit = hit || strings.HasPrefix(strings.ToLower(ln.Name), strings.ToLower(h))
			}
			if hit {
				rc.hits = append(rc.hits, l)
			}
		}
		if len(r.Hits) > 0 && len(rc.hits) == 0 && rc.delay >= 0 {
			c.errs = append(c.errs, fmt.Errorf("risks[%d].hits: no saving line starts with %q (lines are named systems.<category>.licence, workforce.<function>.saving, democracy..., items.<name>, quality.<name>)", i, strings.Join(r.Hits, ", ")))
		}
		risks = append(risks, rc)
	}
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}

	// Output layout.
	nL := len(c.lines)
	outs := []string{"npv", "one_off_cost", "steady_state_saving", "payback_years", "five_year_net", "bcr"}
	cp.OutNPV, cp.OutOneOff, cp.OutSteady, cp.OutPayback, cp.OutFiveYear, cp.OutBCR = 0, 1, 2, 3, 4, 5
	cp.OutNet = len(outs)
	for t := 0; t < years; t++ {
		outs = append(outs, fmt.Sprintf("net[%d]", t))
	}
	cp.OutCum = len(outs)
	for t := 0; t < years; t++ {
		outs = append(outs, fmt.Sprintf("cumulative[%d]", t))
	}
	cp.OutLine = len(outs)
	for _, l := range c.lines {
		outs = append(outs, "pv:"+l.Name)
	}
	cp.OutSuccessor = len(outs)
	for _, sc := range s.Successors {
		outs = append(outs, "npv:"+sc.Name)
	}
	cp.OutQuality = len(outs)
	for _, q := range s.Quality {
		for t := 0; t < years; t++ {
			outs = append(outs, fmt.Sprintf("quality:%s[%d]", q.Name, t))
		}
	}
	cp.Lines = c.lines
	cp.Indicators = s.Quality
	for _, sc := range s.Successors {
		cp.Successors = append(cp.Successors, sc.Name)
	}
	disc := cp.Discount
	ob := 1 + s.OptimismBias
	lines := c.lines
	// Output offsets as plain ints, captured by value by the evaluation.
	oQuality, oLine, oSucc, oNet, oCum := cp.OutQuality, cp.OutLine, cp.OutSuccessor, cp.OutNet, cp.OutCum
	oNPV, oOneOff, oSteady, oPayback, oFive, oBCR := cp.OutNPV, cp.OutOneOff, cp.OutSteady, cp.OutPayback, cp.OutFiveYear, cp.OutBCR

	// Lines made of constant runs (systems, democracy, risk costs) are kept
	// as segments and summed in O(1) with prefix sums of the discount
	// factors and a difference array; the others are kept year by year.
	segLine := make([]bool, nL)
	for k := range cats {
		segLine[cats[k].licLine], segLine[cats[k].migLine] = true, true
		if cats[k].exit >= 0 {
			segLine[cats[k].exitLine] = true
		}
	}
	if dem.allow >= 0 {
		segLine[dem.allowLine] = true
	}
	if dem.elec >= 0 {
		segLine[dem.elecLine] = true
	}
	for k := range risks {
		if risks[k].line >= 0 {
			segLine[risks[k].line] = true
		}
	}
	var arrLines []int
	for l := range lines {
		if !segLine[l] {
			arrLines = append(arrLines, l)
		}
	}
	demStart := years
	if s.Democracy != nil {
		demStart = max(1, s.Democracy.Start)
	}
	cumD := make([]float64, years+1)
	for t, d := range disc {
		cumD[t+1] = cumD[t] + d
	}

	newEval := func() engine.EvalFunc {
		buf := make([]float64, nL*years)
		flows := make([][]float64, nL)
		for l := range flows {
			flows[l] = buf[l*years : (l+1)*years : (l+1)*years]
		}
		sg := newSegAcc(lines, cumD, H)
		net := make([]float64, years)
		pv := make([]float64, nL)
		return func(in, out []float64) {
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
			// Totals.
			clear(net)
			diff := sg.diff
			pvB, pvC, oneOff := 0.0, 0.0, 0.0
			for l := range lines {
				ln := &lines[l]
				sign := -1.0
				if ln.Benefit {
					sign = 1
				}
				var p, total float64
				if segLine[l] {
					p, total = sg.pv[l], sg.total[l]
				} else {
					f := flows[l]
					p = dot(f, disc)
					if ln.Cashable {
						for t, v := range f {
							net[t] += sign * v
						}
						if ln.OneOff {
							total = sum(f)
						}
					}
				}
				pv[l] = p
				out[oLine+l] = p
				if !ln.Cashable {
					continue
				}
				if ln.Benefit {
					pvB += p
				} else {
					pvC += p
					if ln.OneOff {
						oneOff += total
					}
				}
			}
			run := 0.0
			for t := range net {
				run += diff[t]
				net[t] += run
			}
			for s := 0; s < nS; s++ {
				v := 0.0
				for l := range lines {
					ln := &lines[l]
					if !ln.Cashable {
						continue
					}
					if ln.Benefit {
						v += ln.Share[s] * pv[l]
					} else {
						v -= ln.Share[s] * pv[l]
					}
				}
				out[oSucc+s] = v
			}
			npv, cum, five := 0.0, 0.0, 0.0
			payback := math.Inf(1)
			for t, v := range net {
				npv += v * disc[t]
				cum += v
				if t <= 5 {
					five += v
				}
				out[oNet+t] = v
				out[oCum+t] = cum
				if cum >= 0 && math.IsInf(payback, 1) {
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
	}
	cp.Model = &engine.Model{Inputs: c.inputs, Outputs: outs, NewEval: newEval}
	return cp, nil
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
	cumD      []float64
	horizon   int
}

func newSegAcc(lines []Line, cumD []float64, horizon int) *segAcc {
	n := len(lines)
	s := &segAcc{delay: make([]int, n), pv: make([]float64, n), total: make([]float64, n),
		diff: make([]float64, horizon+2), sign: make([]float64, n), oneOff: make([]bool, n), cumD: cumD, horizon: horizon}
	for l, ln := range lines {
		switch {
		case !ln.Cashable:
		case ln.Benefit:
			s.sign[l] = 1
		default:
			s.sign[l] = -1
		}
		s.oneOff[l] = ln.OneOff && ln.Cashable && !ln.Benefit
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
	if s.oneOff[l] {
		s.total[l] += v * float64(b-a+1)
	}
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

// rampFactors evaluates a Ramp for years 0..years-1.
func rampFactors(r Ramp, years int) []float64 {
	f := make([]float64, years)
	for t := r.Start; t < years; t++ {
		k := t - r.Start
		switch {
		case len(r.Profile) > 0:
			f[t] = r.Profile[min(k, len(r.Profile)-1)]
		case r.Years > 0:
			f[t] = math.Min(1, float64(k+1)/r.Years)
		default:
			f[t] = 1
		}
	}
	return f
}

// discountFactors returns D(t) = prod_{u=1..t} 1/(1+rate(u)), where rate(u)
// is the rate of the band containing year u (Green Book declining schedule).
func discountFactors(bands []DiscountBand, years int) []float64 {
	if len(bands) == 0 {
		bands = GreenBookSTPR
	}
	d := make([]float64, years)
	d[0] = 1
	for t := 1; t < years; t++ {
		rate := bands[0].Rate
		for _, b := range bands {
			if t >= b.FromYear {
				rate = b.Rate
			}
		}
		d[t] = d[t-1] / (1 + rate)
	}
	return d
}
