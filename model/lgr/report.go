package lgr

import (
	"context"
	"math"
	"slices"

	"github.com/devolve-lgr/devolve/model/engine"
)

// Stat is the summary of one output, in the documented JSON schema.
type Stat struct {
	Mean float64 `json:"mean"`
	MCSE float64 `json:"mcse"`
	SD   float64 `json:"sd"`
	P5   float64 `json:"p5"`
	P10  float64 `json:"p10"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
}

// PaybackStat summarises the payback year. Percentiles are null (NaN here)
// where payback never happens within the horizon at that percentile; Mean,
// SD and MCSE are over the trials that do pay back.
type PaybackStat struct {
	Stat
	// PNever is the share of trials that never pay back within the horizon.
	PNever float64 `json:"p_never"`
}

// Band is a percentile band of one quantity.
type Band struct {
	Mean float64 `json:"mean"`
	P5   float64 `json:"p5"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
}

// YearFan is one year of the fan chart.
type YearFan struct {
	Year         int  `json:"year"`
	CalendarYear int  `json:"calendar_year,omitempty"`
	Net          Band `json:"net"`
	Cumulative   Band `json:"cumulative"`
}

// SuccessorSummary is one successor's share of the result.
type SuccessorSummary struct {
	Name       string  `json:"name"`
	Population float64 `json:"population"`
	NPV        Band    `json:"npv"`
}

// LineSummary is the present value of one cost or saving line.
type LineSummary struct {
	Name     string  `json:"name"`
	Kind     string  `json:"kind"`
	OneOff   bool    `json:"one_off"`
	Cashable bool    `json:"cashable"`
	PVMean   float64 `json:"pv_mean"`
	PVSD     float64 `json:"pv_sd"`
}

// QualitySummary is one service-quality indicator by year.
type QualitySummary struct {
	Name          string `json:"name"`
	Unit          string `json:"unit"`
	LowerIsBetter bool   `json:"lower_is_better"`
	Years         []struct {
		Year int `json:"year"`
		Band
	} `json:"years"`
	// ValuePVMean is the mean present value of the indicator's money value
	// (0 where it has none); Cashable says whether it counts in NPV.
	ValuePVMean float64 `json:"value_pv_mean"`
	Cashable    bool    `json:"cashable"`
}

// Summary holds every statistic of a run.
type Summary struct {
	NPV               Stat        `json:"npv"`
	SteadyStateSaving Stat        `json:"steady_state_saving"`
	OneOffCost        Stat        `json:"one_off_cost"`
	FiveYearNet       Stat        `json:"five_year_net"`
	BCR               Stat        `json:"bcr"`
	PaybackYears      PaybackStat `json:"payback_years"`
	PNPVPositive      float64     `json:"p_npv_positive"`
	PPaybackWithin5y  float64     `json:"p_payback_within_5y"`
	// FanTrials is how many leading trials the per-year, per-successor and
	// service-quality percentiles use (means use every trial).
	FanTrials      int                `json:"fan_trials"`
	Years          []YearFan          `json:"years"`
	BySuccessor    []SuccessorSummary `json:"by_successor"`
	ByLine         []LineSummary      `json:"by_line"`
	ServiceQuality []QualitySummary   `json:"service_quality"`
}

// Result is a run's kept draws together with its layout.
type Result struct {
	C   *Compiled
	Raw *engine.Result
}

// headline are the outputs whose every draw is kept.
func (c *Compiled) headline() []int {
	return []int{c.OutNPV, c.OutOneOff, c.OutSteady, c.OutPayback, c.OutFiveYear, c.OutBCR}
}

// sampled are the outputs kept for the first engine.DefaultSampleSize trials.
func (c *Compiled) sampled() []int {
	var s []int
	for t := 0; t < c.Years; t++ {
		s = append(s, c.OutNet+t, c.OutCum+t)
	}
	for k := range c.Successors {
		s = append(s, c.OutSuccessor+k)
	}
	for k := range c.Indicators {
		for t := 0; t < c.Years; t++ {
			s = append(s, c.OutQuality+k*c.Years+t)
		}
	}
	return s
}

// Run simulates the compiled scenario. opt.Keep and opt.Sample are set here.
func (c *Compiled) Run(ctx context.Context, opt engine.Options) (*Result, error) {
	opt.Keep = c.headline()
	opt.Sample = c.sampled()
	raw, err := engine.Run(ctx, c.Model, opt)
	if err != nil {
		return nil, err
	}
	return &Result{C: c, Raw: raw}, nil
}

// Draws returns every trial's value of the named headline output (npv,
// one_off_cost, steady_state_saving, payback_years, five_year_net, bcr).
func (r *Result) Draws(name string) []float64 {
	for i, k := range r.C.headline() {
		if r.C.Model.Outputs[k] == name {
			return r.Raw.Kept[i]
		}
	}
	return nil
}

func toStat(s engine.Summary) Stat {
	return Stat{s.Mean, s.MCSE, s.SD, s.P5, s.P10, s.P50, s.P90, s.P95}
}

func band(sc *engine.Scratch, x []float32, mean float64) Band {
	q := sc.Quantiles32(x, []float64{0.05, 0.5, 0.95})
	return Band{mean, q[0], q[1], q[2]}
}

// Summarize computes every statistic of the run.
func (r *Result) Summarize() Summary {
	c, raw := r.C, r.Raw
	kept := raw.Kept
	sc := new(engine.Scratch)
	// keptSummary summarises headline output i, whose mean and sd the
	// engine has already combined from block moments.
	keptSummary := func(sc *engine.Scratch, i int) engine.Summary {
		k := c.headline()[i]
		return sc.SummarizeMoments(kept[i], raw.Mean[k], raw.SD[k])
	}
	var s Summary
	// Half the work runs alongside, with its own scratch memory: the
	// per-year, per-successor and quality bands, five-year net and BCR.
	type side struct {
		bands         []Band
		fiveYear, bcr Stat
	}
	sideCh := make(chan side, 1)
	go func() {
		bsc := new(engine.Scratch)
		var o side
		o.bands = make([]Band, len(raw.Sampled))
		for i, k := range c.sampled() {
			o.bands[i] = band(bsc, raw.Sampled[i], raw.Mean[k])
		}
		o.fiveYear = toStat(keptSummary(bsc, 4))
		bcr := kept[5]
		if slices.ContainsFunc(bcr, math.IsNaN) {
			bcr = slices.DeleteFunc(slices.Clone(bcr), math.IsNaN)
		}
		o.bcr = toStat(bsc.Summarize(bcr))
		sideCh <- o
	}()
	s.NPV = toStat(keptSummary(sc, 0))
	s.OneOffCost = toStat(keptSummary(sc, 1))
	s.SteadyStateSaving = toStat(keptSummary(sc, 2))

	n := float64(len(kept[0]))
	pos, within5, never := 0, 0, 0
	var paidSum float64
	for i, v := range kept[0] {
		if v > 0 {
			pos++
		}
		pb := kept[3][i]
		if math.IsInf(pb, 1) {
			never++
		} else {
			paidSum += pb
			if pb <= 5 {
				within5++
			}
		}
	}
	s.PNPVPositive = float64(pos) / n
	s.PPaybackWithin5y = float64(within5) / n
	pq := sc.Quantiles(kept[3], engine.Levels[:])
	for i := range pq {
		if math.IsInf(pq[i], 1) {
			pq[i] = math.NaN()
		}
	}
	// Mean and sd of the payback year over the trials that pay back.
	nPaid := len(kept[3]) - never
	pm, psd := math.NaN(), math.NaN()
	if nPaid > 0 {
		pm = paidSum / float64(nPaid)
		m2 := 0.0
		for _, pb := range kept[3] {
			if !math.IsInf(pb, 1) {
				m2 += (pb - pm) * (pb - pm)
			}
		}
		psd = 0
		if nPaid > 1 {
			psd = math.Sqrt(m2 / float64(nPaid-1))
		}
	}
	s.PaybackYears = PaybackStat{Stat{pm, psd / math.Sqrt(float64(max(1, nPaid))), psd, pq[0], pq[1], pq[2], pq[3], pq[4]}, float64(never) / n}

	s.FanTrials = raw.SampleN
	sd := <-sideCh
	s.FiveYearNet, s.BCR = sd.fiveYear, sd.bcr
	bs := sd.bands
	idx := 0
	next := func() Band { b := bs[idx]; idx++; return b }
	vy := c.Scenario.VestingYear
	for t := 0; t < c.Years; t++ {
		yf := YearFan{Year: t}
		if vy > 0 {
			yf.CalendarYear = vy - 1 + t
		}
		yf.Net = next()
		yf.Cumulative = next()
		s.Years = append(s.Years, yf)
	}
	for k, name := range c.Successors {
		s.BySuccessor = append(s.BySuccessor, SuccessorSummary{name, c.SuccessorPopulation[k], next()})
	}
	for l, ln := range c.Lines {
		kind := "cost"
		if ln.Benefit {
			kind = "saving"
		}
		s.ByLine = append(s.ByLine, LineSummary{ln.Name, kind, ln.OneOff, ln.Cashable, raw.Mean[c.OutLine+l], raw.SD[c.OutLine+l]})
	}
	for _, q := range c.Indicators {
		qs := QualitySummary{Name: q.Name, Unit: q.Unit, LowerIsBetter: q.LowerIsBetter, Cashable: q.Cashable}
		for t := 0; t < c.Years; t++ {
			qs.Years = append(qs.Years, struct {
				Year int `json:"year"`
				Band
			}{t, next()})
		}
		for l, ln := range c.Lines {
			if ln.Name == "quality."+q.Name {
				qs.ValuePVMean = raw.Mean[c.OutLine+l]
			}
		}
		s.ServiceQuality = append(s.ServiceQuality, qs)
	}
	return s
}

// Deterministic evaluates the scenario once with every input at its median
// (a fixed input at its stated value) and returns a one-trial Result.
func (c *Compiled) Deterministic() *Result {
	out := c.Model.EvalAt(c.Model.Medians())
	raw := &engine.Result{Iterations: 1, Mean: out, SD: make([]float64, len(out)), SampleN: 1}
	for _, k := range c.headline() {
		raw.Kept = append(raw.Kept, []float64{out[k]})
	}
	for _, k := range c.sampled() {
		raw.Sampled = append(raw.Sampled, []float32{float32(out[k])})
	}
	return &Result{C: c, Raw: raw}
}
