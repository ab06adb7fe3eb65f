package lgr

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/qmc"
)

// SharedInputs are the national-level uncertainties that areas of a
// national run have partly or wholly in common: how much of the business
// cases is realised, how fast savings come, how IT and other one-off costs
// overrun and how migrations slip are in part properties of the programme
// and the sector, not of one area (docs/MODEL.md §12). How much each is
// shared is NationalOptions.Sharing's.
var SharedInputs = []string{"savings_realisation", "ramp_stretch", "it_overrun", "other_overrun", "migration_slip"}

// Sharing says how the areas of a national run share SharedInputs.
type Sharing int

const (
	// SharingFitted (the default) correlates the areas' normal scores of
	// each shared input by its common share (NationalOptions.CommonShare,
	// by default DefaultCommonShare, the hierarchical fit's): area a's
	// input is F^-1(Phi(sqrt(c) Z + sqrt(1-c) Z_a)) with Z common to all
	// areas and Z_a the area's own. Inputs without a fitted share
	// (it_overrun, migration_slip: JUDGEMENT) are shared fully.
	SharingFitted Sharing = iota
	// SharingFull shares every input of SharedInputs fully: one draw for
	// all areas (the upper bracket, `devolve national --shared`).
	SharingFull
	// SharingNone makes every area draw all its inputs independently (the
	// lower bracket, `devolve national --independent`).
	SharingNone
)

// SharingNames are the names of the Sharing values, in order.
var SharingNames = []string{"fitted", "shared", "independent"}

// String returns the sharing's name: fitted, shared or independent.
func (s Sharing) String() string {
	if s >= 0 && int(s) < len(SharingNames) {
		return SharingNames[s]
	}
	return fmt.Sprintf("Sharing(%d)", int(s))
}

// ShareAll returns the common shares that share every one of SharedInputs
// fully (every share 1).
func ShareAll() map[string]float64 {
	m := map[string]float64{}
	for _, n := range SharedInputs {
		m[n] = 1
	}
	return m
}

// shares returns the common share of every one of SharedInputs under s.
func (s Sharing) shares(fitted map[string]float64) map[string]float64 {
	switch s {
	case SharingFull:
		return ShareAll()
	case SharingNone:
		return map[string]float64{}
	}
	if fitted == nil {
		fitted = DefaultCommonShare
	}
	m := ShareAll()
	for n, c := range fitted {
		m[n] = c
	}
	return m
}

// Short is a statistic as the national table reports it, each figure
// with its Monte Carlo standard error (the percentiles' from their
// order-statistic intervals, docs/MODEL.md §8a).
type Short struct {
	Mean    float64 `json:"mean"`
	MCSE    float64 `json:"mcse"`
	P5      float64 `json:"p5"`
	P50     float64 `json:"p50"`
	P95     float64 `json:"p95"`
	P5MCSE  float64 `json:"p5_mcse"`
	P50MCSE float64 `json:"p50_mcse"`
	P95MCSE float64 `json:"p95_mcse"`
}

// ShortOf is a Summary as the national and scale tables report it.
func ShortOf(s engine.Summary) Short { return short(s) }

func short(s engine.Summary) Short {
	return Short{s.Mean, s.MCSE, s.P5, s.P50, s.P95, s.PMCSE[0], s.PMCSE[2], s.PMCSE[4]}
}

// NationalArea is one area of a national run, compiled.
type NationalArea struct {
	Name       string
	Population float64
	Compiled   *Compiled
	SHA256     string
}

// AreaResult is one area's figures in a national run.
type AreaResult struct {
	Area              string   `json:"area"`
	Population        float64  `json:"population"`
	Successors        []string `json:"successors"`
	NPV               Short    `json:"npv"`
	OneOffCost        Short    `json:"one_off_cost"`
	FiveYearNet       Short    `json:"five_year_net"`
	SteadyStateSaving Short    `json:"steady_state_saving"`
	ScenarioSHA256    string   `json:"scenario_sha256"`
}

// NationalTotals are the sums over areas, trial by trial.
type NationalTotals struct {
	Population        float64 `json:"population"`
	NPV               Short   `json:"npv"`
	OneOffCost        Short   `json:"one_off_cost"`
	FiveYearNet       Short   `json:"five_year_net"`
	SteadyStateSaving Short   `json:"steady_state_saving"`
	// PaybackP50 is the median national payback year (+Inf, written null:
	// never within the horizon), over the first FanTrials trials, by the
	// rule of PaybackYear.
	PaybackP50       float64 `json:"payback_p50"`
	PPaybackWithin5y float64 `json:"p_payback_within_5y"`
	FanTrials        int     `json:"fan_trials"`
	// Years are England's net cash flow and cumulative net cash flow by
	// year (undiscounted, real terms), summed over areas trial by trial:
	// means over every trial, percentiles over the FanTrials.
	Years []YearFan `json:"years"`
}

// National is the result of a national run.
type National struct {
	// Config describes the configuration (e.g. "1 unitary per area").
	Config     string `json:"config"`
	Unitaries  int    `json:"unitaries,omitempty"`
	Iterations int    `json:"iterations"`
	Seed       uint64 `json:"seed"`
	// Sharing is how the areas share SharedInputs: fitted, shared or
	// independent.
	Sharing string `json:"sharing"`
	// Independent is true when areas draw every input independently.
	Independent bool `json:"independent"`
	// Shared are the inputs all areas draw once (common share 1).
	Shared []string `json:"shared_inputs,omitempty"`
	// CommonShare gives the inputs shared in part, each with its common
	// share (the correlation of two areas' normal scores).
	CommonShare map[string]float64 `json:"common_share,omitempty"`
	Areas       []AreaResult       `json:"areas"`
	National    NationalTotals     `json:"national"`
	// YearLines (NationalOptions.Lines) are England's costs and savings by
	// year and by line, summed over areas line by line and trial by trial,
	// with each area's totals in place of successors.
	YearLines *YearLines `json:"year_lines,omitempty"`
	// Draws holds, with NationalOptions.KeepDraws, every trial's national
	// totals by measure (npv, one_off_cost, five_year_net, steady_state_saving).
	Draws map[string][]float64 `json:"-"`
}

// NationalOptions configures RunNational.
type NationalOptions struct {
	engine.Options
	// Sharing is how areas share SharedInputs; the zero value is
	// SharingFitted.
	Sharing Sharing
	// CommonShare overrides DefaultCommonShare under SharingFitted (nil:
	// the default).
	CommonShare map[string]float64
	// KeepDraws keeps the national totals trial by trial in National.Draws.
	KeepDraws bool
	// Lines, if set, asks for the costs and savings by year in its view
	// (National.YearLines); it keeps every line's flows for the fan trials.
	Lines     *LinesView
	Config    string
	Unitaries int
	// Progress, if set, is called after each area.
	Progress func(area string)
}

// NationalHeads are the measures summed over areas, in the order national
// outputs list them.
var NationalHeads = []Headline{NPV, OneOffCost, FiveYearNet, SteadyStateSaving}

// Stat returns the area's figure for h, one of NationalHeads (nil for
// any other).
func (a *AreaResult) Stat(h Headline) *Short {
	return pickShort(h, &a.NPV, &a.OneOffCost, &a.FiveYearNet, &a.SteadyStateSaving)
}

// Stat returns the national figure for h, one of NationalHeads (nil for
// any other).
func (n *NationalTotals) Stat(h Headline) *Short {
	return pickShort(h, &n.NPV, &n.OneOffCost, &n.FiveYearNet, &n.SteadyStateSaving)
}

func pickShort(h Headline, npv, oneOff, five, steady *Short) *Short {
	switch h {
	case NPV:
		return npv
	case OneOffCost:
		return oneOff
	case FiveYearNet:
		return five
	case SteadyStateSaving:
		return steady
	}
	return nil
}

// RunNational runs every area on one seed and sums them trial by trial.
// Areas share SharedInputs as opt.Sharing says (ForArea); every other input
// is renamed per area (AREA/NAME), so its stream is the area's own. Under
// Sobol sampling the fully shared inputs take the design's first dimensions
// and the common factors the next; each area's own inputs then take
// dimensions after every earlier area's, so that no two areas reuse a
// dimension (areas that did drew tied values, and the national percentiles
// carried several times their printed error).
func RunNational(ctx context.Context, areas []NationalArea, opt NationalOptions) (*National, error) {
	iterations := opt.Iterations
	share := opt.Sharing.shares(opt.CommonShare)
	out := &National{Config: opt.Config, Unitaries: opt.Unitaries, Iterations: iterations, Seed: opt.Seed,
		Sharing: opt.Sharing.String(), Independent: opt.Sharing == SharingNone}
	var order []string // the design's first dimensions: shared inputs, then common factors
	for _, name := range SharedInputs {
		switch c := share[name]; {
		case c == 1:
			out.Shared = append(out.Shared, name)
			order = append(order, name)
		case c > 0:
			if out.CommonShare == nil {
				out.CommonShare = map[string]float64{}
			}
			out.CommonShare[name] = c
		}
	}
	for _, name := range SharedInputs {
		if c := share[name]; c > 0 && c < 1 {
			order = append(order, CommonFactor(name))
		}
	}
	// Each area's own inputs take a block of stride dimensions, the same
	// for any configuration of the same number of areas, so that two
	// national runs keep common random numbers by input name.
	stride := (qmc.MaxSobolDims - len(order)) / max(1, len(areas))
	// Plan every area first: one area's run is held at a time, beside the
	// national sums and fan, and the whole is checked against
	// opt.MemoryLimit before any area runs.
	plans := make([]*engine.Plan, len(areas))
	comps := make([]*Compiled, len(areas))
	var most int64
	lineNames := map[string]bool{}
	for ai, a := range areas {
		src := a.Compiled
		if opt.Lines != nil {
			src = src.WithLineYears()
			for _, ln := range src.Lines {
				lineNames[ln.Name] = true
			}
		}
		c, err := src.ForArea(a.Name, share)
		if err != nil {
			return nil, err
		}
		eo := opt.Options
		eo.DesignOrder = append(areaDesignOrder(order, c.Model, ai, stride), eo.DesignOrder...)
		eo.MemoryLimit = 0 // checked for the whole below
		p, err := c.Plan(eo)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		comps[ai], plans[ai], most = c, p, max(most, p.Memory.Total())
	}
	if len(plans) > 0 {
		// The national sums, cumulative fan and (with Lines) every line's
		// flows by year for the fan trials.
		need := most + 8*int64(len(NationalHeads))*int64(iterations) + 8*int64(comps[0].Years)*int64(plans[0].SampleN) +
			4*int64(len(lineNames))*int64(comps[0].Years)*int64(plans[0].SampleN)
		if limit := opt.MemoryLimit; limit > 0 && need > limit {
			return nil, &engine.MemoryError{Need: need, Limit: limit}
		}
	}
	sums := make([][]float64, len(NationalHeads)) // by NationalHeads
	for i := range sums {
		sums[i] = make([]float64, iterations)
	}
	var cum [][]float64 // national cumulative net by year over the sampled trials
	var netMean, cumMean []float64
	sc := new(engine.Scratch)
	var lines *LineSum
	if opt.Lines != nil {
		lines = NewLineSum(*opt.Lines)
	}
	for ai, a := range areas {
		c := comps[ai]
		res, err := c.RunPlan(ctx, plans[ai])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		ar := AreaResult{Area: a.Name, Population: a.Population, Successors: c.Successors, ScenarioSHA256: a.SHA256}
		for i, h := range NationalHeads {
			x := res.Headline(h)
			*ar.Stat(h) = short(sc.Summarize(x))
			for t, v := range x {
				sums[i][t] += v
			}
		}
		cy := res.CumulativeSample()
		if cum == nil {
			cum = make([][]float64, len(cy))
			for y := range cum {
				cum[y] = make([]float64, len(cy[y]))
			}
		}
		if len(cy) != len(cum) {
			return nil, fmt.Errorf("%s: horizon differs from the other areas'", a.Name)
		}
		for y := range cum {
			for t, v := range cy[y] {
				cum[y][t] += float64(v)
			}
		}
		if netMean == nil {
			netMean, cumMean = make([]float64, c.Years), make([]float64, c.Years)
		}
		for y := range netMean {
			netMean[y] += res.Raw.Mean[c.OutNet+y]
			cumMean[y] += res.Raw.Mean[c.OutCum+y]
		}
		if lines != nil {
			if err := lines.Add(a.Name, res); err != nil {
				return nil, err
			}
		}
		out.National.Population += a.Population
		out.Areas = append(out.Areas, ar)
		if opt.Progress != nil {
			opt.Progress(a.Name)
		}
	}
	n := &out.National
	for i, h := range NationalHeads {
		*n.Stat(h) = short(sc.Summarize(sums[i]))
	}
	if len(cum) > 0 {
		m := len(cum[0])
		paid := make([]float64, m)
		col := make([]float64, len(cum))
		within := 0
		for t := 0; t < m; t++ {
			for y := range cum {
				col[y] = cum[y][t]
			}
			paid[t] = PaybackYear(col)
			if paid[t] <= 5 {
				within++
			}
		}
		n.PaybackP50 = sc.Quantiles(paid, []float64{0.5})[0]
		n.PPaybackWithin5y = float64(within) / float64(m)
		n.FanTrials = m
		vy := areas[0].Compiled.Scenario.VestingYear
		net, cu := make([]float32, m), make([]float32, m)
		for y := range cum {
			for t := range cu {
				cu[t] = float32(cum[y][t])
				net[t] = cu[t]
				if y > 0 {
					net[t] = float32(cum[y][t] - cum[y-1][t])
				}
			}
			yf := YearFan{Year: y, Net: fanBand(sc, net, netMean[y], iterations), Cumulative: fanBand(sc, cu, cumMean[y], iterations)}
			if vy > 0 {
				yf.CalendarYear = vy - 1 + y
			}
			n.Years = append(n.Years, yf)
		}
	}
	if lines != nil {
		var err error
		if out.YearLines, err = lines.YearLines(); err != nil {
			return nil, err
		}
	}
	if opt.KeepDraws {
		out.Draws = map[string][]float64{}
		for i, h := range NationalHeads {
			out.Draws[h.String()] = sums[i]
		}
	}
	return out, nil
}

// areaDesignOrder is the Sobol' design order of the area numbered slot:
// the national inputs (order), then slot*stride unused dimensions (the
// earlier areas' blocks), then the area's first stride own inputs in model
// order, then unused dimensions up to qmc.MaxSobolDims, so that the area's
// further inputs fall past the Sobol' dimensions (a Latin hypercube) rather
// than into the next area's block. Unused dimensions are held by names no
// model has ("\x00dim/N").
func areaDesignOrder(order []string, m *engine.Model, slot, stride int) []string {
	out := append(slices.Clip(order), make([]string, 0, qmc.MaxSobolDims)...)
	pad := func(to int) {
		for len(out) < to {
			out = append(out, fmt.Sprintf("\x00dim/%d", len(out)))
		}
	}
	pad(len(order) + slot*stride)
	own := 0
	for _, in := range m.Inputs {
		if own == stride {
			break
		}
		if !slices.Contains(order, in.Name) {
			out = append(out, in.Name)
			own++
		}
	}
	pad(qmc.MaxSobolDims)
	return out
}

// AreaDesignOrder is the Sobol' design order RunNational gives the area
// numbered slot of n areas whose inputs named in shared are shared in full
// (ForArea with ShareAll): the shared inputs first, then the area's own
// block of dimensions. Another study that sums areas trial by trial (the
// bridge) uses it, so that no two areas reuse a dimension.
func AreaDesignOrder(shared []string, c *Compiled, slot, n int) []string {
	stride := (qmc.MaxSobolDims - len(shared)) / max(1, n)
	return areaDesignOrder(shared, c.Model, slot, stride)
}

// CommonFactor is the name of the standard normal input that areas share
// for an input shared in part (ForArea).
func CommonFactor(input string) string { return "common/" + input }

// ForArea returns a copy of c for one area of a national run (docs/MODEL.md
// §12). share gives the common share c of inputs named in it (absent: 0):
//
//   - c = 0: the input is renamed AREA/NAME, so it draws the area's own
//     stream;
//   - c = 1: the input keeps its name, so every area draws the same values;
//   - 0 < c < 1: the input's slot becomes the area's own standard normal
//     Z_a (named AREA/NAME), a standard normal Z common to all areas
//     (CommonFactor(NAME)) is appended, and the evaluation uses
//     F^-1(Phi(sqrt(c) Z + sqrt(1-c) Z_a)), F the input's distribution: its
//     marginal is unchanged and two areas' normal scores correlate by c.
//
// Every other input is renamed AREA/NAME. An input shared in part may not
// be in the model's correlation (an error says so).
func (c *Compiled) ForArea(area string, share map[string]float64) (*Compiled, error) {
	out := *c
	inner := c.Model
	m := *c.Model
	m.Inputs = append([]engine.Input(nil), m.Inputs...)
	var parts []partInput
	for j := range m.Inputs {
		name := m.Inputs[j].Name
		sh := share[name]
		switch {
		case sh >= 1:
		case sh > 0:
			if inner.Correlation != nil && slices.Contains(inner.Correlation.Inputs, j) {
				return nil, fmt.Errorf("%s: %s is correlated with other inputs and cannot be shared in part between areas", area, name)
			}
			parts = append(parts, partInput{slot: j, common: len(m.Inputs), a: math.Sqrt(sh), b: math.Sqrt(1 - sh), d: m.Inputs[j].Dist})
			m.Inputs = append(m.Inputs, engine.Input{Name: CommonFactor(name), Dist: stdNormal})
			m.Inputs[j] = engine.Input{Name: area + "/" + name, Dist: stdNormal}
		default:
			m.Inputs[j].Name = area + "/" + name
		}
	}
	if len(parts) > 0 {
		k := len(inner.Inputs)
		m.NewEval = nil
		m.NewBlockEval = func() engine.BlockEvalFunc {
			ev := inner.BlockEval()
			cols := make([][]float64, k)
			scratch := make([][]float64, len(parts))
			for i := range scratch {
				scratch[i] = make([]float64, engine.BlockSize)
			}
			return func(in, res [][]float64) {
				copy(cols, in[:k])
				n := len(in[0])
				for i, p := range parts {
					if cap(scratch[i]) < n {
						scratch[i] = make([]float64, n)
					}
					u := scratch[i][:n]
					own, common := in[p.slot], in[p.common]
					for t := range u {
						u[t] = p.uniform(common[t], own[t])
					}
					dist.FillFromUniform(p.d, u)
					cols[p.slot] = u
				}
				ev(cols, res)
			}
		}
	}
	out.Model = &m
	out.parts = parts
	return &out, nil
}

// stdNormal is the standard normal of ForArea's factors.
var stdNormal, _ = dist.NewNormal(0, 1)

// uniform is the input's uniform score Phi(a Z + b Z_a) from the two
// normal factors.
func (p partInput) uniform(common, own float64) float64 {
	return 0.5 * math.Erfc(-(p.a*common+p.b*own)/math.Sqrt2)
}

// partInput is an input shared in part between areas: its value is
// F^-1(Phi(a Z + b Z_a)) with Z in column common and Z_a in column slot.
type partInput struct {
	slot, common int
	a, b         float64
	d            dist.Distribution
}

// PaybackYear is devolve's one payback rule: the first year t in which the
// cumulative net cash flow cum[t] is non-negative, counted from the first
// year with any cash flow (a run of zero years before a programme starts is
// not payback); +Inf if it never is within the horizon. The evaluation
// applies the same rule trial by trial (eval.go, totals).
func PaybackYear(cum []float64) float64 {
	started, prev := false, 0.0
	for t, c := range cum {
		started = started || c != prev
		if started && c >= 0 {
			return float64(t)
		}
		prev = c
	}
	return math.Inf(1)
}

// Get returns the named national statistic.
func (n *NationalTotals) Get(measure string) Short {
	if h, ok := ParseHeadline(measure); ok && n.Stat(h) != nil {
		return *n.Stat(h)
	}
	return n.NPV
}

// Published is a published national figure to compare with.
type Published struct {
	Unitaries int
	Measure   string // five_year_net, one_off_cost, steady_state_saving
	Value     float64
	Source    string
}

// PwC2020 are PwC's figures for the County Councils Network (2020), as in
// shared/EVIDENCE.md §3a: five-year net £2.94bn (1 unitary per area), £1.0bn
// (2), -£0.34bn (3); for one unitary, one-off about £400m and recurring about
// £700m a year (MHCLG's reading, written answer 10 March 2025). PwC covered
// 25 areas (213 councils); devolve's national run covers today's 21.
var PwC2020 = []Published{
	{1, "five_year_net", 2.94e9, "PwC for CCN 2020"},
	{2, "five_year_net", 1.0e9, "PwC for CCN 2020"},
	{3, "five_year_net", -0.34e9, "PwC for CCN 2020"},
	{1, "one_off_cost", 400e6, "MHCLG reading of PwC 2020"},
	{1, "steady_state_saving", 700e6, "MHCLG reading of PwC 2020"},
}
