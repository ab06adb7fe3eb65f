package lgr

import (
	"fmt"
	"math"

	"github.com/devolve-lgr/devolve/model/engine"
)

// BridgeCase is a published case's own assumptions, enough to reproduce its
// headline figure: net(t) = realisation x ramp(t) x recurring - overrun x
// one-off x profile(t), summed over years 0..Horizon, discounted at
// DiscountRate (docs/MODEL.md §14).
type BridgeCase struct {
	Name, Source, Measure string
	// Published is the case's headline figure, £.
	Published float64
	// Recurring is the saving a year at full effect, £ (net of any
	// recurring costs the case counts).
	Recurring float64
	// Ramp[t] is the share of Recurring in year t (0 before vesting, 1 at
	// full effect; the last value holds).
	Ramp []float64
	// RampNote says where the ramp comes from (e.g. back-solved).
	RampNote    string
	Realisation float64
	// OneOff is the case's one-off cost, £, spread by OneOffProfile from year 0.
	OneOff        float64
	OneOffProfile []float64
	Overrun       float64
	Horizon       int
	DiscountRate  float64
}

// At returns the case's net cash flow in year t.
func (c *BridgeCase) at(t int) (saving, cost float64) {
	r := 0.0
	if len(c.Ramp) > 0 {
		r = c.Ramp[min(t, len(c.Ramp)-1)]
	}
	p := 0.0
	if t < len(c.OneOffProfile) {
		p = c.OneOffProfile[t]
	}
	return c.Realisation * r * c.Recurring, c.Overrun * c.OneOff * p
}

// BridgeYear is one year of a published case by its own assumptions, £
// undiscounted in the case's own prices: savings realisation x ramp x
// recurring, costs overrun x one-off x profile, and their net.
type BridgeYear struct {
	Year    int     `json:"year"`
	Savings float64 `json:"savings"`
	Costs   float64 `json:"costs"`
	Net     float64 `json:"net"`
}

// ByYear returns the case's savings, costs and net by year, 0..last.
func (c *BridgeCase) ByYear(last int) []BridgeYear {
	var out []BridgeYear
	for t := 0; t <= last; t++ {
		s, k := c.at(t)
		out = append(out, BridgeYear{t, s, k, s - k})
	}
	return out
}

// Headline computes the case's figure from its assumptions.
func (c *BridgeCase) Headline() float64 {
	h := 0.0
	for t := 0; t <= c.Horizon; t++ {
		s, k := c.at(t)
		h += (s - k) / math.Pow(1+c.DiscountRate, float64(t))
	}
	return h
}

// BackSolveFirstYear sets the case's ramp to full effect from year 2 and
// solves the year-1 share so that Headline equals Published; it fails if
// the share would fall outside [0, 1].
func (c *BridgeCase) BackSolveFirstYear() error {
	c.Ramp = []float64{0, 0, 1}
	h0 := c.Headline()
	c.Ramp = []float64{0, 1, 1}
	h1 := c.Headline()
	x := (c.Published - h0) / (h1 - h0)
	if !(x >= 0 && x <= 1) {
		return fmt.Errorf("bridge %s: no year-1 share in [0, 1] reproduces the published figure (needs %.3f)", c.Name, x)
	}
	c.Ramp = []float64{0, x, 1}
	return nil
}

// BridgeDraws are devolve's own values of the bridge's groups, trial by
// trial, summed over the areas the case covers. Years run 0..len-1 (at
// least the case's and devolve's horizons).
type BridgeDraws struct {
	// Full[i] is devolve's recurring saving at full effect before
	// realisation, Realised[i][t] its gross savings in year t (after
	// realisation, ramp, gating and risks), Raw[i][t] the same before
	// realisation; Cost0[i][t] every cost in year t without overruns,
	// Cost[i][t] with them.
	Full           []float64
	Raw, Realised  [][]float64
	Cost0, Cost    [][]float64
	Discount       []float64 // devolve's discount factors, years 0..Horizon
	Horizon        int
	DevolveMeasure string
}

// BridgeStep is one step of the bridge: the change to the headline when
// one group of assumptions moves from the case's to devolve's.
type BridgeStep struct {
	Step string `json:"step"`
	// Mean, P5 and P95 of the change across trials (equal in a
	// deterministic bridge).
	Mean float64 `json:"mean"`
	P5   float64 `json:"p5"`
	P95  float64 `json:"p95"`
	// Cumulative is the mean headline after this step.
	Cumulative float64 `json:"cumulative"`
}

// Bridge is the waterfall from a published figure to devolve's.
type Bridge struct {
	Case       string       `json:"case"`
	Source     string       `json:"source"`
	Measure    string       `json:"case_measure"`
	Published  float64      `json:"published"`
	Reproduced float64      `json:"reproduced"`
	RampNote   string       `json:"ramp_note,omitempty"`
	Steps      []BridgeStep `json:"steps"`
	// Devolve is devolve's headline (mean) and DevolveMeasure what it is.
	Devolve        float64 `json:"devolve"`
	DevolveP5      float64 `json:"devolve_p5"`
	DevolveP95     float64 `json:"devolve_p95"`
	DevolveMeasure string  `json:"devolve_measure"`
	Trials         int     `json:"trials"`
	// CaseYears (with lines) are the case's own savings and costs by year
	// over its horizon and devolve's; YearLines devolve's costs and savings
	// by year and by line as planned (with overruns), summed over the
	// areas the case covers, over the same years.
	CaseYears []BridgeYear `json:"case_by_year,omitempty"`
	YearLines *YearLines   `json:"year_lines,omitempty"`
}

// BridgeStepNames are the steps, in order.
var BridgeStepNames = []string{
	"recurring savings at full effect (cost base x shares, all lines)",
	"phasing: ramp, gating by migrations, risks",
	"savings realisation",
	"one-off and recurring costs (devolve's cost model, no overrun)",
	"cost overruns",
	"horizon and discounting",
}

// BuildBridge computes the waterfall: state 0 is the case (its figure
// reproduced), state k has the first k groups at devolve's values, trial
// by trial; the last state is devolve's own headline. Steps telescope, so
// they add up exactly to the difference.
func BuildBridge(c *BridgeCase, d *BridgeDraws) *Bridge {
	n := len(d.Full)
	b := &Bridge{Case: c.Name, Source: c.Source, Measure: c.Measure, Published: c.Published,
		Reproduced: c.Headline(), RampNote: c.RampNote, Trials: n, DevolveMeasure: d.DevolveMeasure}
	caseDisc := func(t int) float64 { return 1 / math.Pow(1+c.DiscountRate, float64(t)) }
	// state k for trial i.
	state := func(k, i int) float64 {
		H, disc := c.Horizon, caseDisc
		if k >= 6 {
			H, disc = d.Horizon, func(t int) float64 { return d.Discount[t] }
		}
		h := 0.0
		for t := 0; t <= H; t++ {
			cs, cc := c.at(t)
			var s, cost float64
			switch {
			case k == 0:
				s = cs
			case k == 1: // devolve's full-effect level, the case's ramp and realisation
				s = cs / nz(c.Recurring) * d.Full[i]
			case k == 2: // devolve's phasing, before realisation, times the case's realisation
				s = c.Realisation * d.Raw[i][t]
			default:
				s = d.Realised[i][t]
			}
			switch {
			case k <= 3:
				cost = cc
			case k == 4:
				cost = d.Cost0[i][t]
			default:
				cost = d.Cost[i][t]
			}
			h += (s - cost) * disc(t)
		}
		return h
	}
	sc, p5p95 := new(engine.Scratch), []float64{0.05, 0.95}
	prev := make([]float64, n)
	for i := range prev {
		prev[i] = state(0, i)
	}
	cum := b.Reproduced
	delta := make([]float64, n)
	for k := 1; k <= 6; k++ {
		mean := 0.0
		for i := 0; i < n; i++ {
			s := state(k, i)
			delta[i] = s - prev[i]
			prev[i] = s
			mean += delta[i]
		}
		mean /= float64(n)
		cum += mean
		q := sc.Quantiles(delta, p5p95)
		lo, hi := q[0], q[1]
		b.Steps = append(b.Steps, BridgeStep{Step: BridgeStepNames[k-1], Mean: mean, P5: lo, P95: hi, Cumulative: cum})
	}
	m := 0.0
	for _, v := range prev {
		m += v
	}
	b.Devolve = m / float64(n)
	q := sc.Quantiles(prev, p5p95)
	b.DevolveP5, b.DevolveP95 = q[0], q[1]
	return b
}

func nz(x float64) float64 {
	if x == 0 {
		return 1
	}
	return x
}
