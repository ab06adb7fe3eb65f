package lgr

import (
	"context"
	"math"

	"github.com/devolve-lgr/devolve/model/engine"
)

// Stat is the summary of one output, in the documented JSON schema. Every
// sampled figure has its Monte Carlo standard error beside it: MCSE for
// the mean, P5MCSE ... P95MCSE for the percentiles (from their 95%
// order-statistic intervals, engine.PercentileMCSE).
type Stat struct {
	Mean    float64 `json:"mean"`
	MCSE    float64 `json:"mcse"`
	SD      float64 `json:"sd"`
	P5      float64 `json:"p5"`
	P10     float64 `json:"p10"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
	P95     float64 `json:"p95"`
	P5MCSE  float64 `json:"p5_mcse"`
	P10MCSE float64 `json:"p10_mcse"`
	P50MCSE float64 `json:"p50_mcse"`
	P90MCSE float64 `json:"p90_mcse"`
	P95MCSE float64 `json:"p95_mcse"`
}

// PaybackStat summarises the payback year. Percentiles are null (NaN here)
// where payback never happens within the horizon at that percentile; Mean,
// SD and MCSE are over the trials that do pay back.
type PaybackStat struct {
	Stat
	// PNever is the share of trials that never pay back within the horizon.
	PNever     float64 `json:"p_never"`
	PNeverMCSE float64 `json:"p_never_mcse"`
}

// Band is a percentile band of one quantity, each figure with its Monte
// Carlo standard error (the mean's over every trial, the percentiles' over
// the fan trials).
type Band struct {
	Mean     float64 `json:"mean"`
	P5       float64 `json:"p5"`
	P50      float64 `json:"p50"`
	P95      float64 `json:"p95"`
	MeanMCSE float64 `json:"mean_mcse"`
	P5MCSE   float64 `json:"p5_mcse"`
	P50MCSE  float64 `json:"p50_mcse"`
	P95MCSE  float64 `json:"p95_mcse"`
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
	Name string `json:"name"`
	// Label and Path: Line's.
	Label    string  `json:"label"`
	Path     string  `json:"path"`
	Kind     string  `json:"kind"`
	OneOff   bool    `json:"one_off"`
	Cashable bool    `json:"cashable"`
	PVMean   float64 `json:"pv_mean"`
	PVSD     float64 `json:"pv_sd"`
	PVMCSE   float64 `json:"pv_mcse"`
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
	ValuePVMCSE float64 `json:"value_pv_mcse"`
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
	// PNPVPositiveMCSE and PPaybackWithin5yMCSE are the probabilities'
	// Monte Carlo standard errors, sqrt(p(1-p)/n).
	PNPVPositiveMCSE     float64 `json:"p_npv_positive_mcse"`
	PPaybackWithin5yMCSE float64 `json:"p_payback_within_5y_mcse"`
	// FanTrials is how many leading trials the per-year, per-successor and
	// service-quality percentiles use (means use every trial).
	FanTrials      int                `json:"fan_trials"`
	Years          []YearFan          `json:"years"`
	BySuccessor    []SuccessorSummary `json:"by_successor"`
	ByLine         []LineSummary      `json:"by_line"`
	ServiceQuality []QualitySummary   `json:"service_quality"`
}

// Stat returns the summary of headline output h (payback: its Stat part).
func (s *Summary) Stat(h Headline) Stat {
	switch h {
	case NPV:
		return s.NPV
	case OneOffCost:
		return s.OneOffCost
	case SteadyStateSaving:
		return s.SteadyStateSaving
	case PaybackYears:
		return s.PaybackYears.Stat
	case FiveYearNet:
		return s.FiveYearNet
	}
	return s.BCR
}

// Result is a run's kept draws together with its layout.
type Result struct {
	C   *Compiled
	Raw *engine.Result
}

// headline are the outputs whose every draw is kept: the Headlines, kept
// draw i being Headline i.
func (c *Compiled) headline() []int {
	k := make([]int, len(Headlines))
	for i, h := range Headlines {
		k[i] = int(h)
	}
	return k
}

// sampled are the outputs kept for the first engine.DefaultSampleSize
// trials: net[t] and cumulative[t] by year (at sampleNet(t) and
// sampleNet(t)+1), then per successor, then quality by indicator and year.
func (c *Compiled) sampled() []int {
	s := make([]int, 2*c.Years)
	for t := 0; t < c.Years; t++ {
		s[sampleNet(t)], s[sampleNet(t)+1] = c.OutNet+t, c.OutCum+t
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

// Sampled lists the outputs a run of c samples for the first fan trials
// (Plan's Options.Sample): net and cumulative net by year, successors,
// quality, then (WithLineYears) every line by year. A study that runs c's
// model itself samples these to summarise it as a Result.
func (c *Compiled) Sampled() []int { return append(c.sampled(), c.LineSampled()...) }

// Run simulates the compiled scenario: Plan, then RunPlan.
func (c *Compiled) Run(ctx context.Context, opt engine.Options) (*Result, error) {
	p, err := c.Plan(opt)
	if err != nil {
		return nil, err
	}
	return c.RunPlan(ctx, p)
}

// Plan applies the defaults to opt for a run of c (engine.NewPlan): what
// the run will do and the memory it will hold, checked against
// opt.MemoryLimit. opt.Keep, opt.Sample and opt.Above are set here (the
// headline outputs, the per-year fans, NPV > 0 and payback after year 5);
// opt.Percentiles chooses kept draws or the bounded-memory second pass
// for the headline percentiles.
func (c *Compiled) Plan(opt engine.Options) (*engine.Plan, error) {
	opt.Keep = c.headline()
	opt.Sample = c.Sampled()
	opt.Above = c.above()
	return engine.NewPlan(c.Model, opt)
}

// RunPlan runs p, a plan made by c.Plan.
func (c *Compiled) RunPlan(ctx context.Context, p *engine.Plan) (*Result, error) {
	raw, err := p.Run(ctx)
	if err != nil {
		return nil, err
	}
	return &Result{C: c, Raw: raw}, nil
}

// DesignOrder is the order in which runs of cs, under Sobol' sampling,
// give their inputs the design's dimensions: every input of each in turn
// (engine.Options.DesignOrder), so that options sharing an input draw the
// same values for it (common random numbers); for one scenario, its own
// order.
func DesignOrder(cs ...*Compiled) []string {
	var order []string
	for _, c := range cs {
		for _, in := range c.Model.Inputs {
			order = append(order, in.Name)
		}
	}
	return order
}

// above are the thresholds counted for the probabilities: NPV > 0 and
// payback after year 5 (or never).
func (c *Compiled) above() []engine.Threshold {
	return []engine.Threshold{{Output: c.OutNPV, Value: 0}, {Output: c.OutPayback, Value: 5}}
}

// sampleNet is the position of net[t] among the sampled outputs;
// cumulative[t] follows it.
func sampleNet(t int) int { return 2 * t }

// Out returns the model output index of headline output h.
func (c *Compiled) Out(h Headline) int { return int(h) }

// HeadlineIndex returns the position of the named headline output (npv,
// one_off_cost, steady_state_saving, payback_years, five_year_net, bcr)
// among the kept outputs, and its model output index; -1, -1 if none.
func (c *Compiled) HeadlineIndex(name string) (kept, output int) {
	if h, ok := ParseHeadline(name); ok {
		return int(h), c.Out(h)
	}
	return -1, -1
}

// Headline returns every trial's value of headline output h; nil if the run
// kept no draws (engine.SecondPass).
func (r *Result) Headline(h Headline) []float64 {
	if r.Raw.Kept == nil {
		return nil
	}
	return r.Raw.Kept[h]
}

// Draws returns every trial's value of the named headline output (npv,
// one_off_cost, steady_state_saving, payback_years, five_year_net, bcr);
// nil if there is no such output or the run kept no draws.
func (r *Result) Draws(name string) []float64 {
	if h, ok := ParseHeadline(name); ok {
		return r.Headline(h)
	}
	return nil
}

// Net returns the net cash flow of year t (0..Years-1) in the first
// SampleN trials.
func (r *Result) Net(t int) []float32 { return r.Raw.Sampled[sampleNet(t)] }

// Cumulative returns the cumulative net cash flow to year t (0..Years-1)
// in the first SampleN trials.
func (r *Result) Cumulative(t int) []float32 { return r.Raw.Sampled[sampleNet(t)+1] }

// CumulativeSample returns the cumulative net cash flow by year (index y)
// of the first SampleN trials.
func (r *Result) CumulativeSample() [][]float32 {
	out := make([][]float32, r.C.Years)
	for t := range out {
		out[t] = r.Cumulative(t)
	}
	return out
}

// summary summarises the kept draws of headline output h.
func (r *Result) summary(sc *engine.Scratch, h Headline) Stat {
	return toStat(r.Raw.KeptSummary(sc, int(h)))
}

func toStat(s engine.Summary) Stat {
	return Stat{s.Mean, s.MCSE, s.SD, s.P5, s.P10, s.P50, s.P90, s.P95,
		s.PMCSE[0], s.PMCSE[1], s.PMCSE[2], s.PMCSE[3], s.PMCSE[4]}
}

// bandLevels are the percentiles of a Band.
var bandLevels = []float64{0.05, 0.5, 0.95}

func band(sc *engine.Scratch, x []float32, mean, meanMCSE float64) Band {
	q, lo, hi := sc.PercentilesCI32(x, bandLevels)
	m := func(i int) float64 { return engine.PercentileMCSE(lo[i], hi[i]) }
	return Band{mean, q[0], q[1], q[2], meanMCSE, m(0), m(1), m(2)}
}

// Summarize computes every statistic of the run.
func (r *Result) Summarize() Summary {
	c, raw := r.C, r.Raw
	sc := new(engine.Scratch)
	n := raw.Iterations
	mcse := func(k int) float64 { return raw.SD[k] / math.Sqrt(float64(n)) }
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
			o.bands[i] = band(bsc, raw.Sampled[i], raw.Mean[k], mcse(k))
		}
		o.fiveYear = r.summary(bsc, FiveYearNet)
		o.bcr = r.summary(bsc, BCR)
		sideCh <- o
	}()
	s.NPV = r.summary(sc, NPV)
	s.OneOffCost = r.summary(sc, OneOffCost)
	s.SteadyStateSaving = r.summary(sc, SteadyStateSaving)

	// Payback: mean, sd and MCSE over the trials that pay back (the finite
	// values); percentiles null where they never do.
	pb := r.summary(sc, PaybackYears)
	for _, p := range []*float64{&pb.P5, &pb.P10, &pb.P50, &pb.P90, &pb.P95} {
		if math.IsInf(*p, 1) {
			*p = math.NaN()
		}
	}
	for _, p := range []*float64{&pb.P5MCSE, &pb.P10MCSE, &pb.P50MCSE, &pb.P90MCSE, &pb.P95MCSE} {
		if math.IsInf(*p, 0) {
			*p = math.NaN()
		}
	}
	pm := raw.KeptMoments[PaybackYears]
	pNever := float64(pm.Inf) / float64(n)
	s.PaybackYears = PaybackStat{pb, pNever, engine.ProbabilityMCSE(pNever, n)}
	s.PNPVPositive = float64(raw.Above[0]) / float64(n)
	s.PPaybackWithin5y = float64(n-raw.Above[1]-pm.NaN) / float64(n)
	s.PNPVPositiveMCSE = engine.ProbabilityMCSE(s.PNPVPositive, n)
	s.PPaybackWithin5yMCSE = engine.ProbabilityMCSE(s.PPaybackWithin5y, n)

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
		k := c.OutLine + l
		s.ByLine = append(s.ByLine, LineSummary{ln.Name, ln.Label, ln.Path, kind, ln.OneOff, ln.Cashable, raw.Mean[k], raw.SD[k], mcse(k)})
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
				qs.ValuePVMCSE = mcse(c.OutLine + l)
			}
		}
		s.ServiceQuality = append(s.ServiceQuality, qs)
	}
	return s
}

// Deterministic evaluates the scenario once with every input at its median
// (a fixed input at its stated value) and returns a one-trial Result.
func (c *Compiled) Deterministic() *Result {
	med := c.Model.Medians()
	out := c.Model.EvalAt(med)
	raw := &engine.Result{Iterations: 1, Mean: out, SD: make([]float64, len(out)), SampleN: 1}
	// The one trial's inputs, as a run with KeepInputs keeps them: draws
	// files then have a value under every column they name.
	for _, v := range med {
		raw.Inputs = append(raw.Inputs, []float64{v})
	}
	for _, k := range c.headline() {
		raw.Kept = append(raw.Kept, []float64{out[k]})
	}
	for _, a := range c.above() {
		n := 0
		if out[a.Output] > a.Value {
			n = 1
		}
		raw.Above = append(raw.Above, n)
	}
	for _, x := range raw.Kept {
		raw.KeptMoments = append(raw.KeptMoments, engine.MomentsOf(x))
	}
	for _, k := range c.sampled() {
		raw.Sampled = append(raw.Sampled, []float32{float32(out[k])})
	}
	return &Result{C: c, Raw: raw}
}
