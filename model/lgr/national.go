package lgr

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/devolve-lgr/devolve/model/engine"
)

// SharedInputs are the national-level uncertainties that every area of a
// national run shares when NationalOptions.Independent is false: how much
// of the business cases is realised, how fast savings come, how IT and other
// one-off costs overrun and how migrations slip are properties of the
// programme and the sector, not of one area (docs/MODEL.md §12).
var SharedInputs = []string{"savings_realisation", "ramp_stretch", "it_overrun", "other_overrun", "migration_slip"}

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
}

// National is the result of a national run.
type National struct {
	// Config describes the configuration (e.g. "1 unitary per area").
	Config     string `json:"config"`
	Unitaries  int    `json:"unitaries,omitempty"`
	Iterations int    `json:"iterations"`
	Seed       uint64 `json:"seed"`
	// Independent is true when areas draw every input independently; false
	// when they share SharedInputs.
	Independent bool           `json:"independent"`
	Shared      []string       `json:"shared_inputs,omitempty"`
	Areas       []AreaResult   `json:"areas"`
	National    NationalTotals `json:"national"`
	// Draws holds, with NationalOptions.KeepDraws, every trial's national
	// totals by measure (npv, one_off_cost, five_year_net, steady_state_saving).
	Draws map[string][]float64 `json:"-"`
}

// NationalOptions configures RunNational.
type NationalOptions struct {
	engine.Options
	// Independent makes every area draw all its inputs independently.
	Independent bool
	// KeepDraws keeps the national totals trial by trial in National.Draws.
	KeepDraws bool
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
// Areas share the draws of SharedInputs (unless opt.Independent); every
// other input is renamed per area (AREA/NAME), so its stream is the area's
// own.
func RunNational(ctx context.Context, areas []NationalArea, opt NationalOptions) (*National, error) {
	iterations := opt.Iterations
	out := &National{Config: opt.Config, Unitaries: opt.Unitaries, Iterations: iterations, Seed: opt.Seed, Independent: opt.Independent}
	if !opt.Independent {
		out.Shared = SharedInputs
	}
	sums := make([][]float64, len(NationalHeads)) // by NationalHeads
	for i := range sums {
		sums[i] = make([]float64, iterations)
	}
	var cum [][]float64 // national cumulative net by year over the sampled trials
	sc := new(engine.Scratch)
	for _, a := range areas {
		c := a.Compiled.ForArea(a.Name, !opt.Independent)
		// Under Sobol sampling the shared inputs take the first design
		// dimensions in every area, so that they stay shared.
		eo := opt.Options
		eo.DesignOrder = append(append([]string(nil), out.Shared...), eo.DesignOrder...)
		res, err := c.Run(ctx, eo)
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
	}
	if opt.KeepDraws {
		out.Draws = map[string][]float64{}
		for i, h := range NationalHeads {
			out.Draws[h.String()] = sums[i]
		}
	}
	return out, nil
}

// ForArea returns a copy of c whose inputs are renamed AREA/NAME, so that
// on one seed they draw the area's own streams, except SharedInputs when
// shared is true (docs/MODEL.md §12).
func (c *Compiled) ForArea(area string, shared bool) *Compiled {
	out := *c
	m := *c.Model
	m.Inputs = append([]engine.Input(nil), m.Inputs...)
	for j := range m.Inputs {
		if !(shared && slices.Contains(SharedInputs, m.Inputs[j].Name)) {
			m.Inputs[j].Name = area + "/" + m.Inputs[j].Name
		}
	}
	out.Model = &m
	return &out
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
// shared/DOMAIN.md §3a: five-year net £2.94bn (1 unitary per area), £1.0bn
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
