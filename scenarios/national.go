package scenarios

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/devolve-lgr/devolve/model/engine"
)

// Short is a statistic as the national table reports it.
type Short struct {
	Mean float64 `json:"mean"`
	MCSE float64 `json:"mcse"`
	P5   float64 `json:"p5"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
}

func short(s engine.Summary) Short { return Short{s.Mean, s.MCSE, s.P5, s.P50, s.P95} }

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
	// PaybackP50 is the median national payback year (null: never within
	// the horizon), over the first FanTrials trials.
	PaybackP50       float64 `json:"payback_p50"`
	PPaybackWithin5y float64 `json:"p_payback_within_5y"`
	FanTrials        int     `json:"fan_trials"`
}

// National is the result of `devolve national`.
type National struct {
	Unitaries  int            `json:"unitaries"`
	Iterations int            `json:"iterations"`
	Seed       uint64         `json:"seed"`
	Areas      []AreaResult   `json:"areas"`
	National   NationalTotals `json:"national"`
}

// AreaSeed derives an area's seed from the run seed, so that areas draw
// independently of each other (docs/MODEL.md: areas are independent).
func AreaSeed(seed uint64, area string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(area))
	return seed ^ h.Sum64()
}

// RunNational builds every one of the 21 areas (not the three reorganised in
// 2023) with k unitaries, runs each, and sums the areas trial by trial.
// progress, if set, is called after each area.
func RunNational(ctx context.Context, k, iterations int, seed uint64, workers int, progress func(area string)) (*National, error) {
	areas, err := Areas()
	if err != nil {
		return nil, err
	}
	out := &National{Unitaries: k, Iterations: iterations, Seed: seed}
	sums := map[string][]float64{}
	heads := []string{"npv", "one_off_cost", "five_year_net", "steady_state_saving"}
	for _, h := range heads {
		sums[h] = make([]float64, iterations)
	}
	var cum [][]float64 // national cumulative net by year over the sampled trials
	sc := new(engine.Scratch)
	for _, a := range areas {
		if a.Reorganised {
			continue
		}
		kk := min(k, len(a.Districts))
		yaml, err := BuildArea(a, AreaOptions{Unitaries: kk})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		ld, err := LoadBytes(yaml, "yaml", fmt.Sprintf("area:%s/%d", a.Name, kk))
		if err != nil {
			return nil, err
		}
		c, err := ld.Compile()
		if err != nil {
			return nil, err
		}
		res, err := c.Run(ctx, engine.Options{Iterations: iterations, Seed: AreaSeed(seed, a.Name), Workers: workers})
		if err != nil {
			return nil, err
		}
		ar := AreaResult{Area: a.Name, Population: a.Population, Successors: c.Successors, ScenarioSHA256: ld.SHA256}
		stats := []*Short{&ar.NPV, &ar.OneOffCost, &ar.FiveYearNet, &ar.SteadyStateSaving}
		for i, h := range heads {
			x := res.Draws(h)
			*stats[i] = short(sc.Summarize(x))
			for t, v := range x {
				sums[h][t] += v
			}
		}
		if cum == nil {
			cum = make([][]float64, c.Years)
			for y := range cum {
				cum[y] = make([]float64, res.Raw.SampleN)
			}
		}
		for y := range cum {
			for t, v := range res.Raw.Sampled[2*y+1] { // cumulative[y]
				cum[y][t] += float64(v)
			}
		}
		out.National.Population += a.Population
		out.Areas = append(out.Areas, ar)
		if progress != nil {
			progress(a.Name)
		}
	}
	n := &out.National
	n.NPV = short(sc.Summarize(sums["npv"]))
	n.OneOffCost = short(sc.Summarize(sums["one_off_cost"]))
	n.FiveYearNet = short(sc.Summarize(sums["five_year_net"]))
	n.SteadyStateSaving = short(sc.Summarize(sums["steady_state_saving"]))
	if len(cum) > 0 {
		m := len(cum[0])
		paid := make([]float64, m)
		within := 0
		for t := 0; t < m; t++ {
			paid[t] = math.Inf(1)
			for y := range cum {
				if cum[y][t] >= 0 {
					paid[t] = float64(y)
					break
				}
			}
			if paid[t] <= 5 {
				within++
			}
		}
		n.PaybackP50 = sc.Quantiles(paid, []float64{0.5})[0]
		n.PPaybackWithin5y = float64(within) / float64(m)
		n.FanTrials = m
	}
	return out, nil
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

// Get returns the named national statistic.
func (n *NationalTotals) Get(measure string) Short {
	switch measure {
	case "five_year_net":
		return n.FiveYearNet
	case "one_off_cost":
		return n.OneOffCost
	case "steady_state_saving":
		return n.SteadyStateSaving
	}
	return n.NPV
}
