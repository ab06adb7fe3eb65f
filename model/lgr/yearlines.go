package lgr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// Prices says how the year-by-year lines state money: Real, in the
// scenario's price base (as every other figure); Cash, each year's real
// figure times the inflation from the price base to that year.
type Prices int

const (
	// Real states every year at the scenario's price base.
	Real Prices = iota
	// Cash states each year in that year's prices.
	Cash
)

// String returns "real" or "cash".
func (p Prices) String() string {
	if p == Cash {
		return "cash"
	}
	return "real"
}

// ParsePrices reads "real" or "cash".
func ParsePrices(s string) (Prices, error) {
	switch s {
	case "real":
		return Real, nil
	case "cash":
		return Cash, nil
	}
	return Real, fmt.Errorf("must be real or cash (got %q)", s)
}

// YearLines is the run's costs and savings by year: gross cashable costs
// and savings and their net, by successor and by line, each year's mean
// (over every trial) and P5, P50, P95 (over the fan trials), in pounds at
// the price base (Real) or in each year's cash prices (Cash). Lines' flows
// are undiscounted; the net is the net cash flow by year of the summary.
type YearLines struct {
	Prices    string `json:"prices"`
	PriceBase string `json:"price_base"`
	// Inflation states the inflation assumption of a cash view: the
	// distribution of the annual rate and its source; "" in real terms.
	Inflation string     `json:"inflation,omitempty"`
	Years     []LineYear `json:"years"`
	// Successors split the totals by successor, or by area when SplitBy
	// is "area" (a national run's).
	SplitBy    string            `json:"split_by,omitempty"`
	Successors []SuccessorYears  `json:"by_successor"`
	Lines      []LineYearsSeries `json:"by_line"`
}

// LineYear is one year's gross cashable costs, gross cashable savings and
// net cash flow (savings less costs).
type LineYear struct {
	Year         int  `json:"year"`
	CalendarYear int  `json:"calendar_year,omitempty"`
	Costs        Band `json:"costs"`
	Savings      Band `json:"savings"`
	Net          Band `json:"net"`
}

// SuccessorYears is one successor's share of the cashable costs and
// savings by year (each line attributed by its successor shares).
type SuccessorYears struct {
	Name    string `json:"name"`
	Costs   []Band `json:"costs"`
	Savings []Band `json:"savings"`
	Net     []Band `json:"net"`
}

// LineYearsSeries is one line's flow by year (a cost line's cost, a saving
// line's saving, positive).
type LineYearsSeries struct {
	Name     string `json:"name"`
	Label    string `json:"label,omitempty"`
	Kind     string `json:"kind"`
	OneOff   bool   `json:"one_off"`
	Cashable bool   `json:"cashable"`
	Years    []Band `json:"years"`
}

// LineSampled lists the outputs a run must sample for YearLines: every
// line's flow in every year, after the outputs of the summary. Nil when c
// does not output lines (WithLineYears).
func (c *Compiled) LineSampled() []int {
	if c.OutLineYear < 0 {
		return nil
	}
	s := make([]int, len(c.Lines)*c.Years)
	for i := range s {
		s[i] = c.OutLineYear + i
	}
	return s
}

// priceBaseYear reads the first year of a price base such as "2022/23".
func priceBaseYear(s string) (int, bool) {
	head, _, _ := strings.Cut(strings.TrimSpace(s), "/")
	y, err := strconv.Atoi(head)
	return y, err == nil && y > 1900 && y < 2200
}

// inflationStream is the stream of a cash view's inflation draws, one per
// fan trial in trial order, derived from the run's seed alone, so that the
// draws are the same for any worker count and leave every input's stream
// untouched.
const inflationStream = 0x696e666c6174696f // "inflatio"

// LinesView asks for costs and savings by year (YearLines) in one view of
// prices: Inflation (nil: the scenario's, else DefaultInflation) and its
// Source state a cash view's inflation assumption.
type LinesView struct {
	Prices    Prices
	Inflation dist.Distribution
	Source    string
}

// inflation returns v's inflation assumption for scenario s: v's own, else
// the scenario's, else DefaultInflation, each with its statement.
func (v LinesView) inflation(s *Scenario) (dist.Distribution, string) {
	switch {
	case v.Inflation != nil:
		return v.Inflation, v.Source
	case s != nil && s.Inflation != nil:
		return s.Inflation, s.InflationText
	}
	return DefaultInflation(), DefaultInflationSource
}

// Lines summarises the lines by year of a run in view v (YearLines with
// v's inflation assumption, or the scenario's, or the default).
func (r *Result) Lines(v LinesView) (*YearLines, error) {
	infl, src := v.inflation(r.C.Scenario)
	return r.YearLines(v.Prices, infl, src)
}

// YearLines summarises the lines by year of a run of a model with lines
// (WithLineYears) whose lines were sampled after the summary's outputs
// (Run does this). A cash view needs the scenario's vesting year and price
// base, and draws one annual inflation rate per fan trial from
// inflation: year t's factor is (1 + rate)^(its first calendar year minus
// the price base's first year).
func (r *Result) YearLines(prices Prices, inflation dist.Distribution, source string) (*YearLines, error) {
	d, err := r.lineDraws()
	if err != nil {
		return nil, err
	}
	return d.summarise(prices, inflation, source, false)
}

// lineDraws returns the run's lines by year as YearLines summarises them.
func (r *Result) lineDraws() (*lineDraws, error) {
	c, raw := r.C, r.Raw
	if c.OutLineYear < 0 {
		return nil, fmt.Errorf("lgr: YearLines of a run without lines (WithLineYears)")
	}
	Y, L := c.Years, len(c.Lines)
	base := len(c.sampled())
	if raw.SampleN == 0 || len(raw.Sampled) < base+L*Y {
		return nil, fmt.Errorf("lgr: YearLines: the run did not sample the lines")
	}
	return &lineDraws{lines: c.Lines, successors: c.Successors, years: Y, n: raw.SampleN, iterations: raw.Iterations, seed: raw.Seed,
		priceBase: c.Scenario.PriceBase, vestingYear: c.Scenario.VestingYear,
		row:  func(l, t int) []float32 { return raw.Sampled[base+l*Y+t] },
		mean: func(l, t int) float64 { return raw.Mean[c.OutLineYear+l*Y+t] }}, nil
}

// lineDraws are the lines' flows by year that YearLines summarises: one
// run's, or a national run's summed over areas line by line.
type lineDraws struct {
	// lines are the lines (their Share splits them between successors,
	// unless successors is nil).
	lines      []Line
	successors []string
	// years by line, n fan trials of iterations, run on seed.
	years, n, iterations int
	seed                 uint64
	priceBase            string
	vestingYear          int
	// row is line l's flow in year t in each fan trial; mean its mean over
	// every trial.
	row  func(l, t int) []float32
	mean func(l, t int) float64
}

// priceFactors are, in the cash view, trial i's price factor in year t
// (factor[t][i], inflation drawn from the seed's own stream) and their mean
// by year; in the real view factor is nil by year and the means 1.
func (d *lineDraws) priceFactors(prices Prices, inflation dist.Distribution) (factor [][]float64, fmean []float64, err error) {
	Y, n := d.years, d.n
	factor = make([][]float64, Y)
	fmean = make([]float64, Y)
	for t := range factor {
		fmean[t] = 1
	}
	if prices != Cash {
		return factor, fmean, nil
	}
	vy, by := d.vestingYear, 0
	ok := false
	if by, ok = priceBaseYear(d.priceBase); !ok || vy <= 0 {
		return nil, nil, fmt.Errorf("a cash view needs the scenario's price_base (e.g. 2025/26) and vesting year (got %q, %d)", d.priceBase, vy)
	}
	rng := rand.New(rand.NewPCG(d.seed, inflationStream))
	rate := make([]float64, n)
	for i := range rate {
		rate[i] = inflation.Sample(rng)
	}
	for t := range factor {
		k := float64(vy - 1 + t - by)
		factor[t] = make([]float64, n)
		s := 0.0
		for i, q := range rate {
			factor[t][i] = math.Pow(1+q, k)
			s += factor[t][i]
		}
		fmean[t] = s / float64(n)
	}
	return factor, fmean, nil
}

// summarise is YearLines of d. With totalsOnly it gives the totals by
// year alone (Years), leaving out the successors and lines: what a LineSum
// keeps of each area.
func (d *lineDraws) summarise(prices Prices, inflation dist.Distribution, source string, totalsOnly bool) (*YearLines, error) {
	Y, L, n, N := d.years, len(d.lines), d.n, d.iterations
	row, mean := d.row, d.mean
	out := &YearLines{Prices: prices.String(), PriceBase: d.priceBase}
	factor, fmean, err := d.priceFactors(prices, inflation)
	if err != nil {
		return nil, err
	}
	if prices == Cash {
		out.Inflation = source
	}
	sc := new(engine.Scratch)
	bandOf := func(x []float32, m float64) Band { return fanBand(sc, x, m, N) }
	// acc[i] is trial i's value of the band being built, in the price
	// base's pounds; priced puts it in the view's prices, as float32, in buf.
	acc := make([]float64, n)
	buf := make([]float32, n)
	priced := func(t int) []float32 {
		for i, v := range acc {
			if factor[t] != nil {
				v *= factor[t][i]
			}
			buf[i] = float32(v)
		}
		return buf
	}
	sign := func(l int) float64 {
		switch ln := d.lines[l]; {
		case !ln.Cashable:
			return 0
		case ln.Benefit:
			return 1
		}
		return -1
	}
	// combo is, for weights w by line, the band of sum_l w[l] * |flow| in
	// year t (w >= 0), restricted to cost (benefit false) or saving lines.
	combo := func(t int, w func(l int) float64) Band {
		m := 0.0
		clear(acc)
		for l := 0; l < L; l++ { // line by line: each trial's sum in line order
			wl := w(l)
			m += wl * mean(l, t)
			if wl != 0 {
				for i, v := range row(l, t)[:n] {
					acc[i] += wl * float64(v)
				}
			}
		}
		return bandOf(priced(t), m*fmean[t])
	}
	costW := func(share func(l int) float64) func(int) float64 {
		return func(l int) float64 {
			if sign(l) < 0 {
				return share(l)
			}
			return 0
		}
	}
	saveW := func(share func(l int) float64) func(int) float64 {
		return func(l int) float64 {
			if sign(l) > 0 {
				return share(l)
			}
			return 0
		}
	}
	netW := func(share func(l int) float64) func(int) float64 {
		return func(l int) float64 { return sign(l) * share(l) }
	}
	whole := func(int) float64 { return 1 }
	for t := 0; t < Y; t++ {
		ly := LineYear{Year: t, Costs: combo(t, costW(whole)), Savings: combo(t, saveW(whole)), Net: combo(t, netW(whole))}
		if vy := d.vestingYear; vy > 0 {
			ly.CalendarYear = vy - 1 + t
		}
		out.Years = append(out.Years, ly)
	}
	if totalsOnly {
		return out, nil
	}
	for s, name := range d.successors {
		share := func(l int) float64 { return d.lines[l].Share[s] }
		sy := SuccessorYears{Name: name}
		for t := 0; t < Y; t++ {
			sy.Costs = append(sy.Costs, combo(t, costW(share)))
			sy.Savings = append(sy.Savings, combo(t, saveW(share)))
			sy.Net = append(sy.Net, combo(t, netW(share)))
		}
		out.Successors = append(out.Successors, sy)
	}
	for l, ln := range d.lines {
		kind := "cost"
		if ln.Benefit {
			kind = "saving"
		}
		ls := LineYearsSeries{Name: ln.Name, Label: ln.Label, Kind: kind, OneOff: ln.OneOff, Cashable: ln.Cashable}
		for t := 0; t < Y; t++ {
			for i, v := range row(l, t)[:n] {
				acc[i] = float64(v)
			}
			ls.Years = append(ls.Years, bandOf(priced(t), mean(l, t)*fmean[t]))
		}
		out.Lines = append(out.Lines, ls)
	}
	return out, nil
}

// fanBand is the band of a figure whose mean over all n trials is m and
// whose fan trials' values are x: the percentiles of x, the mean's MCSE
// from their spread (sd/sqrt(n)).
func fanBand(sc *engine.Scratch, x []float32, m float64, n int) Band {
	var s, s2 float64
	for _, v := range x {
		s += float64(v)
		s2 += float64(v) * float64(v)
	}
	k := float64(len(x))
	sd := 0.0
	if k > 1 {
		sd = math.Sqrt(math.Max(0, (s2-s*s/k)/(k-1)))
	}
	return band(sc, x, m, sd/math.Sqrt(float64(n)))
}

// NewLineSum returns an empty sum of runs' lines by year in view v.
func NewLineSum(v LinesView) *LineSum { return &LineSum{view: v} }

// LineSum sums the lines by year of several runs (a national run's areas,
// a bridge's), line by line by name and trial by trial; its YearLines
// gives each area's totals in place of successors. Every run must have the
// same horizon, fan trials, price base and vesting year; the cash view's
// inflation is the first run's (LinesView.inflation), drawn once for all
// (its draws depend on the seed alone).
type LineSum struct {
	view  LinesView
	infl  dist.Distribution
	src   string
	d     lineDraws
	idx   map[string]int
	rows  [][]float32 // rows[l][t*n+i]
	means [][]float64 // means[l][t]
	areas []SuccessorYears
}

// Add adds area's run r, a run of a model with lines whose outputs were
// sampled as Compiled.Sampled lists them.
func (s *LineSum) Add(area string, r *Result) error {
	c := r.C
	d, err := r.lineDraws()
	if err != nil {
		return fmt.Errorf("%s: %w", area, err)
	}
	if s.idx == nil {
		s.idx = map[string]int{}
		s.infl, s.src = s.view.inflation(c.Scenario)
		s.d = lineDraws{years: d.years, n: d.n, iterations: d.iterations, seed: d.seed, priceBase: d.priceBase, vestingYear: d.vestingYear}
	} else if d.years != s.d.years || d.n != s.d.n || d.priceBase != s.d.priceBase || d.vestingYear != s.d.vestingYear {
		return fmt.Errorf("%s: horizon, trials, price base or vesting year differs from the other areas'", area)
	}
	yl, err := d.summarise(s.view.Prices, s.infl, s.src, true) // only the area's totals are kept
	if err != nil {
		return fmt.Errorf("%s: %w", area, err)
	}
	sy := SuccessorYears{Name: area}
	for _, y := range yl.Years {
		sy.Costs, sy.Savings, sy.Net = append(sy.Costs, y.Costs), append(sy.Savings, y.Savings), append(sy.Net, y.Net)
	}
	s.areas = append(s.areas, sy)
	Y, n := s.d.years, s.d.n
	for l, ln := range d.lines {
		k, ok := s.idx[ln.Name]
		if !ok {
			k = len(s.d.lines)
			s.idx[ln.Name] = k
			ln.Share = nil
			s.d.lines = append(s.d.lines, ln)
			s.rows = append(s.rows, make([]float32, Y*n))
			s.means = append(s.means, make([]float64, Y))
		} else if o := s.d.lines[k]; o.Benefit != ln.Benefit || o.Cashable != ln.Cashable || o.OneOff != ln.OneOff {
			return fmt.Errorf("%s: line %s is a different kind of line from the other areas' line of that name", area, ln.Name)
		}
		for t := 0; t < Y; t++ {
			dst := s.rows[k][t*n : (t+1)*n]
			for i, v := range d.row(l, t)[:n] {
				dst[i] += v
			}
			s.means[k][t] += d.mean(l, t)
		}
	}
	return nil
}

// YearLines summarises the sums: totals and lines by year over every area
// added, and each area's totals as a successor (SplitBy "area").
func (s *LineSum) YearLines() (*YearLines, error) {
	if s.idx == nil {
		return nil, fmt.Errorf("lgr: lines by year of no run")
	}
	d := s.d
	n := d.n
	d.row = func(l, t int) []float32 { return s.rows[l][t*n : (t+1)*n] }
	d.mean = func(l, t int) float64 { return s.means[l][t] }
	out, err := d.summarise(s.view.Prices, s.infl, s.src, false)
	if err != nil {
		return nil, err
	}
	out.Successors, out.SplitBy = s.areas, "area"
	return out, nil
}

// Upto returns y with years 0..last only (the runs behind a bridge go
// further than its measures); y itself if it has no more.
func (y *YearLines) Upto(last int) *YearLines {
	if last+1 >= len(y.Years) {
		return y
	}
	out := *y
	out.Years = y.Years[:last+1]
	out.Successors = nil
	for _, s := range y.Successors {
		s.Costs, s.Savings, s.Net = s.Costs[:last+1], s.Savings[:last+1], s.Net[:last+1]
		out.Successors = append(out.Successors, s)
	}
	out.Lines = nil
	for _, l := range y.Lines {
		l.Years = l.Years[:last+1]
		out.Lines = append(out.Lines, l)
	}
	return &out
}
