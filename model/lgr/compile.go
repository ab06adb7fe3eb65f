package lgr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// Line is one cost or saving line of the cash flow.
type Line struct {
	// Name identifies the line in outputs ("pv:"+Name) and machine-readable
	// files; Label says it in plain words; Path is the key path, as
	// written, of the setting that drives it ("items[2]",
	// "systems[0].migration", "savings[1]"): an input belongs to the line
	// whose Path is the longest prefix of its own (LineInputs).
	Name, Label, Path string
	// Benefit is true for savings and benefits, false for costs.
	Benefit bool
	// OneOff lines count towards the one-off cost.
	OneOff bool
	// Cashable lines count in net, NPV and payback.
	Cashable bool
	// IT marks a one-off cost the IT overrun multiplies (system migration
	// and exit fees unless NotIT, items with IT).
	IT bool
	// Share attributes the line to successors (sums to 1).
	Share []float64
}

// Compiled is a scenario compiled into an engine model, with the layout of
// the model's outputs.
type Compiled struct {
	Model *engine.Model
	// Warnings are problems the compiler worked around (e.g. inconsistent
	// correlations replaced by the nearest valid ones), for the user.
	Warnings []string
	Scenario *Scenario
	// Years is Horizon+1 (years 0..Horizon).
	Years int
	// Discount[t] is the discount factor of year t.
	Discount []float64
	Lines    []Line
	// Inputs describes each model input (in Model.Inputs order): key path,
	// label, unit and source.
	Inputs     []InputInfo
	Successors []string
	// SuccessorPopulation is each successor's resident population.
	SuccessorPopulation []float64
	Indicators          []Indicator
	// Output indices.
	OutNPV, OutOneOff, OutSteady, OutPayback, OutFiveYear, OutBCR int
	// OutNet, OutCum, OutLine, OutSuccessor and OutQuality are the first of
	// Years, Years, len(Lines), len(Successors) and len(Indicators)*Years outputs.
	OutNet, OutCum, OutLine, OutSuccessor, OutQuality int
	// OutSavings is the first of Years outputs: gross cashable recurring
	// savings (every cashable benefit line) by year.
	OutSavings int
	// Systems counts each system category's instances (scale.go).
	Systems []SystemCount
	// sysInputs are each category's licence, contract-end and inventory
	// inputs, saveInputs each saving's, realIdx the realisation factor's
	// and baseIdx each cost base's by lower-case name, for the scale of the
	// integration (scale.go).
	sysInputs  []sysC
	saveInputs []saveC
	realIdx    int
	baseIdx    map[string]int
	// parts are the inputs ForArea shares in part (their slots hold the
	// area's own normal factor, not the input's value).
	parts []partInput
	// OutLineYear is the first of len(Lines)*Years outputs, line l's flow
	// in year t at OutLineYear+l*Years+t, in a copy made by WithLineYears;
	// -1 otherwise (lines.go).
	OutLineYear int
	// plan is the evaluation's plan, for WithLineYears.
	plan *plan
}

// Payback years are +Inf in a trial whose cumulative net never turns
// non-negative within the horizon.

type compiler struct {
	s       *Scenario
	inputs  []engine.Input
	info    []InputInfo // by input, InputInfo
	index   map[string]int
	errs    []error
	H       int
	lines   []Line
	kinds   []lineKind // by line
	popW    []float64  // successor population shares
	predW   [][]float64
	succIdx map[string]int
	predIdx map[string]int
}

// reg is what the compiler knows of an input when it registers it.
type reg struct {
	// path is the key path as written; label and unit describe it (InputInfo).
	path, label string
	unit        Unit
	// def marks a built-in default, whose source is defaultSources[def].
	def string
}

// input registers model input name, drawn from d, with everything known
// about it (InputInfo), and returns its index; a nil d registers nothing
// and returns -1.
func (c *compiler) input(name string, d dist.Distribution, r reg) int {
	if d == nil {
		return -1
	}
	if _, dup := c.index[name]; dup {
		c.errs = append(c.errs, fielderr.New(r.path, "gives input %s a second time (names must differ)", name))
		return -1
	}
	info := InputInfo{Name: name, Path: r.path, Label: r.label, Unit: r.unit}
	if r.def != "" {
		info.Default, info.Source = true, defaultSources[r.def]
	} else {
		info.Source = c.s.note(r.path)
		info.Judgement = isJudgement(info.Source)
	}
	c.index[name] = len(c.inputs)
	c.inputs = append(c.inputs, engine.Input{Name: name, Dist: d})
	c.info = append(c.info, info)
	return len(c.inputs) - 1
}

// given returns "" when the scenario sets an input (d != nil), else the
// key of the built-in default used instead.
func given(d dist.Distribution, key string) string {
	if d != nil {
		return ""
	}
	return key
}

// lineKind is how the evaluation computes a line (eval.go).
type lineKind int

const (
	// lineRun: constant runs of years (systems, democracy, risk costs),
	// each emitted in O(1) by run.emit.
	lineRun lineKind = iota
	// lineProfile: an amount per trial times a fixed profile by year
	// (workforce, items); kept year by year only when a risk can delay it.
	lineProfile
	// lineYearly: computed year by year (service-quality values).
	lineYearly
	// lineSelfDelayed: computed year by year already delayed (cost-base
	// savings and their costs to achieve), so the final shift skips them.
	lineSelfDelayed
)

// line registers line l, computed as kind says, and returns its index.
func (c *compiler) line(l Line, kind lineKind) int {
	if l.Share == nil {
		l.Share = c.popW
	}
	c.lines = append(c.lines, l)
	c.kinds = append(c.kinds, kind)
	return len(c.lines) - 1
}

type sysC struct {
	lic, mig, end, migYears, dual, exit int
	dec, newSys, migrations             float64
	count                               SystemCount
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

// saveC is a compiled cost-base saving (docs/MODEL.md §5a).
type saveC struct {
	base  []term // cost-base inputs, summed
	red   int
	scale float64
	start int
	cum   []float64 // cumulative ramp knots; nil: linear over years
	years float64
	gates []int // categories (indices into plan.cats) that enable it
	// gateRisks[j] lists the risks (indices into plan.risks) whose delay
	// holds back gate j: those hitting its category's licence line but not
	// the saving's own line, whose delay counts once, in the saving's own.
	gateRisks     [][]int
	cta           int
	ctaProf       []float64
	line, ctaLine int
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
// reported at once. It is CompileContext without a deadline.
func Compile(s *Scenario) (*Compiled, error) { return CompileContext(context.Background(), s) }

// CompileContext is Compile, stopping with ctx's error (joined with any
// problems found so far) when ctx is done during the costlier checks (the
// consistency of correlations).
func CompileContext(ctx context.Context, s *Scenario) (*Compiled, error) {
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
	itIdx := c.input("it_overrun", itOver, reg{"it_overrun", "IT one-off cost overrun (actual over estimate)", Multiplier, given(s.ITOverrun, "it_overrun")})
	otherIdx := c.input("other_overrun", otherOver, reg{"other_overrun", "Other one-off cost overrun (actual over estimate)", Multiplier, given(s.OtherOverrun, "other_overrun")})
	realise := s.SavingsRealisation
	if realise == nil {
		realise = DefaultSavingsRealisation()
	}
	realIdx := c.input("savings_realisation", realise, reg{"savings_realisation", "Savings realised (achieved over planned)", Multiplier, given(s.SavingsRealisation, "savings_realisation")})

	var cats []sysC
	for k, sc := range s.Systems {
		cats = append(cats, c.system(k, sc))
		cp.Systems = append(cp.Systems, cats[k].count)
	}
	cp.sysInputs = cats
	var wfs []wfC
	for i, w := range s.Workforce {
		wfs = append(wfs, c.workforce(i, w))
	}
	dem := demC{allow: -1, elec: -1, seatsIn: -1}
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
		dem.start = max(1, d.Start)
		dem.seatsIn = c.input("democracy.seats_removed", d.SeatsRemoved, reg{"democracy.seats_removed", "Councillor seats removed", Seats, ""})
		dem.allow = c.input("democracy.allowance", d.Allowance, reg{"democracy.allowance", "Allowances and on-costs saved per seat removed", PoundsPerYear, ""})
		dem.elec = c.input("democracy.election_saving", d.ElectionSaving, reg{"democracy.election_saving", "Saving on running elections", PoundsPerYear, ""})
		if dem.allow >= 0 {
			dem.allowLine = c.line(Line{Name: "democracy.allowances", Label: "Councillor allowances saved", Path: "democracy.allowance", Benefit: true, Cashable: true}, lineRun)
		}
		if dem.elec >= 0 {
			dem.elecLine = c.line(Line{Name: "democracy.elections", Label: "Election costs saved", Path: "democracy.election_saving", Benefit: true, Cashable: true}, lineRun)
		}
	}
	var items []itemC
	for i, it := range s.Items {
		ic := itemC{amt: c.input("items."+it.Name+".amount", it.Amount, itemReg(i, it)), benefit: it.Benefit, it: it.IT,
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
		ic.line = c.line(Line{Name: "items." + it.Name, Label: words(it.Name), Path: fmt.Sprintf("items[%d]", i), Benefit: it.Benefit, OneOff: ic.oneOff, Cashable: !it.NonCashable, IT: it.IT && ic.oneOff, Share: share}, lineProfile)
		items = append(items, ic)
	}
	bases := map[string]int{}
	for i, b := range s.CostBases {
		bases[strings.ToLower(b.Name)] = c.input("cost_bases."+b.Name+".amount", b.Amount,
			reg{fmt.Sprintf("cost_bases[%d].amount", i), words(b.Name) + ": annual cost (base of savings)", PoundsPerYear, ""})
	}
	catIdx := map[string]int{}
	for k, sc := range s.Systems {
		catIdx[strings.ToLower(sc.Name)] = k
	}
	var saves []saveC
	stretchIdx, slipIdx := -1, -1
	if len(s.Savings) > 0 {
		st := s.RampStretch
		if st == nil {
			st = DefaultRampStretch()
		}
		stretchIdx = c.input("ramp_stretch", st, reg{"ramp_stretch", "Savings ramp stretch (1 as planned, 2 twice as slow)", Multiplier, given(s.RampStretch, "ramp_stretch")})
	}
	slipIdx = c.input("migration_slip", s.MigrationSlip, reg{"migration_slip", "Migration schedule slip (multiplies planned years)", Multiplier, ""})
	for i, sv := range s.Savings {
		saves = append(saves, c.saving(i, sv, bases, catIdx, nS))
	}
	cp.saveInputs, cp.realIdx, cp.baseIdx = saves, realIdx, bases
	var quals []qualC
	for k, q := range s.Quality {
		quals = append(quals, c.quality(k, q, years))
	}
	// Risks come last: their delays act on every line defined above.
	var risks []riskC
	for i, r := range s.Risks {
		occ, _ := dist.NewBernoulli(r.Probability)
		rp, rl := fmt.Sprintf("risks[%d]", i), words(r.Name)+" risk"
		rc := riskC{occ: c.input("risks."+r.Name+".occurs", occ, reg{rp + ".probability", rl + ": happens", Happens, ""}),
			cost:  c.input("risks."+r.Name+".cost", r.Cost, reg{rp + ".cost", rl + ": cost if it happens", Pounds, ""}),
			delay: c.input("risks."+r.Name+".delay", r.Delay, reg{rp + ".delay", rl + ": delay to savings if it happens", Years, ""}), year: r.Year, line: -1}
		if rc.year == 0 {
			rc.year = 1
		}
		if rc.cost >= 0 {
			rc.line = c.line(Line{Name: "risks." + r.Name, Label: rl + ": cost", Path: rp + ".cost", OneOff: true, Cashable: true}, lineRun)
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
			c.errs = append(c.errs, fielderr.New(fmt.Sprintf("risks[%d].hits", i), "no saving line starts with %q (lines are named systems.<category>.licence, workforce.<function>.saving, democracy..., items.<name>, savings.<name>, quality.<name>)", strings.Join(r.Hits, ", ")))
		}
		risks = append(risks, rc)
	}
	for k := range saves {
		sv := &saves[k]
		sv.gateRisks = make([][]int, len(sv.gates))
		for j, g := range sv.gates {
			for ri, rc := range risks {
				if rc.delay >= 0 && slices.Contains(rc.hits, cats[g].licLine) && !slices.Contains(rc.hits, sv.line) {
					sv.gateRisks[j] = append(sv.gateRisks[j], ri)
				}
			}
		}
	}
	correlation, warnings := c.correlation(ctx)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}
	cp.Warnings = warnings

	// Output layout.
	outs := HeadlineNames()
	cp.OutNPV, cp.OutOneOff, cp.OutSteady = int(NPV), int(OneOffCost), int(SteadyStateSaving)
	cp.OutPayback, cp.OutFiveYear, cp.OutBCR = int(PaybackYears), int(FiveYearNet), int(BCR)
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
	cp.OutSavings = len(outs)
	for t := 0; t < years; t++ {
		outs = append(outs, fmt.Sprintf("savings[%d]", t))
	}
	cp.Lines = c.lines
	cp.Inputs = c.info
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
	oSavings := cp.OutSavings

	// Run lines are emitted run by run in O(1) (run.emit, eval.go); the
	// others are kept year by year.
	var yearLines, runLines []int
	for l, k := range c.kinds {
		if k == lineRun {
			runLines = append(runLines, l)
		} else {
			yearLines = append(yearLines, l)
		}
	}
	cumD := make([]float64, years+1)
	for t, d := range disc {
		cumD[t+1] = cumD[t] + d
	}

	pl := &plan{itIdx: itIdx, otherIdx: otherIdx, realIdx: realIdx, cats: cats, wfs: wfs, dem: dem, items: items,
		quals: quals, risks: risks, saves: saves, stretchIdx: stretchIdx, slipIdx: slipIdx, oSavings: oSavings, lines: lines, kinds: c.kinds, yearLines: yearLines, runLines: runLines, disc: disc, cumD: cumD,
		years: years, H: H, nS: nS, ob: ob,
		oQuality: oQuality, oLine: oLine, oSucc: oSucc, oNet: oNet, oCum: oCum, oNPV: oNPV, oOneOff: oOneOff,
		oSteady: oSteady, oPayback: oPayback, oFive: oFive, oBCR: oBCR}
	pl.oLY = -1
	cp.plan, cp.OutLineYear = pl, -1
	newEval := func() engine.BlockEvalFunc { return pl.newEvaluator().eval }
	cp.Model = &engine.Model{Inputs: c.inputs, Outputs: outs, NewBlockEval: newEval, Correlation: correlation}
	// A correlation the draws cannot reach (a discrete input's ties) is
	// said, not silently thinned.
	short, err := engine.RankShortfalls(cp.Model)
	if err != nil {
		return nil, err
	}
	for _, sf := range short {
		cp.Warnings = append(cp.Warnings, fmt.Sprintf("correlation of %s and %s: target rank correlation %.2f, reached %.2f (measured over %d trials; a discrete input's ties cap what reordering can reach)",
			c.inputs[sf.A].Name, c.inputs[sf.B].Name, sf.Target, sf.Reached, engine.ReachTrials))
	}
	return cp, nil
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

// itemReg describes item i's amount.
func itemReg(i int, it Item) reg {
	r := reg{path: fmt.Sprintf("items[%d].amount", i), unit: Pounds}
	kind := "one-off cost"
	switch {
	case it.Recurring && it.Benefit:
		kind, r.unit = "annual saving at full effect", PoundsPerYear
	case it.Recurring:
		kind, r.unit = "annual cost", PoundsPerYear
	case it.Benefit:
		kind = "one-off benefit"
	}
	r.label = words(it.Name) + ": " + kind
	return r
}
