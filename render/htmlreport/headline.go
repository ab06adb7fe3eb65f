package htmlreport

import (
	"fmt"
	"math"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/render/report"
)

// PaybackConfidence is the chance the headline's payback statement holds at
// least: it names the earliest year by which this share of trials have paid
// back.
const PaybackConfidence = 0.9

// Headline holds the figures behind the headline sentences, all measured
// from one run's draws.
type Headline struct {
	Name   string
	Trials int
	// Horizon is the last appraisal year; FirstYear the calendar year of
	// t = 0 (0 if unknown).
	Horizon, FirstYear int
	// PNPVPositive is the share of trials with NPV > 0.
	PNPVPositive float64
	// NPV5, NPV50 and NPV95 are NPV percentiles (£).
	NPV5, NPV50, NPV95 float64
	// PaybackBy is the earliest year t by which at least PaybackConfidence
	// of trials have paid back, or -1 if there is none within the horizon;
	// PPaybackBy is the share of trials paid back by then.
	PaybackBy  int
	PPaybackBy float64
	// PPaybackHorizon is the share of trials that pay back within the horizon.
	PPaybackHorizon float64
}

// NewHeadline measures the headline from every trial's NPV (£) and payback
// year (+Inf where it never pays back).
func NewHeadline(name string, npv, payback []float64, horizon, firstYear int) Headline {
	h := Headline{Name: name, Trials: len(npv), Horizon: horizon, FirstYear: firstYear, PaybackBy: -1}
	n := float64(len(npv))
	pos := 0
	for _, v := range npv {
		if v > 0 {
			pos++
		}
	}
	h.PNPVPositive = float64(pos) / n
	q := engine.Quantiles(npv, []float64{0.05, 0.5, 0.95})
	h.NPV5, h.NPV50, h.NPV95 = q[0], q[1], q[2]
	// count[t] = trials whose payback year is t.
	count := make([]int, horizon+1)
	paid := 0
	for _, pb := range payback {
		if !math.IsInf(pb, 1) && pb >= 0 && pb <= float64(horizon) {
			count[int(pb)]++
			paid++
		}
	}
	h.PPaybackHorizon = float64(paid) / n
	cum := 0
	for t, c := range count {
		cum += c
		if float64(cum) >= PaybackConfidence*n {
			h.PaybackBy, h.PPaybackBy = t, float64(cum)/n
			break
		}
	}
	return h
}

// Chance words a probability without overstating it: whole percentages
// rounded down, "more than 99%" short of certainty, "less than 1%" above
// zero.
func Chance(p float64) string {
	switch {
	case p >= 1:
		return "100%"
	case p > 0.99:
		return "more than 99%"
	case p <= 0:
		return "0%"
	case p < 0.01:
		return "less than 1%"
	}
	return fmt.Sprintf("%d%%", int(math.Floor(100*p+1e-9)))
}

// YearName names appraisal year t: "2032/33 (year 5)" or "year 5".
func (h Headline) YearName(t int) string {
	if h.FirstYear == 0 {
		return fmt.Sprintf("year %d", t)
	}
	y := h.FirstYear + t
	return fmt.Sprintf("%d/%02d (year %d)", y, (y+1)%100, t)
}

// Sentences are the headline in words: when the option pays back, and how
// likely its NPV is to be positive.
func (h Headline) Sentences() []string {
	var pay string
	if h.PaybackBy >= 0 {
		pay = fmt.Sprintf("There is a %s chance that %s pays back its costs by %s.",
			Chance(h.PPaybackBy), h.Name, h.YearName(h.PaybackBy))
	} else {
		pay = fmt.Sprintf("%s pays back its costs by the end of the appraisal, %s, in %s of simulations; in the rest the cumulative net cash flow is still negative then.",
			h.Name, h.YearName(h.Horizon), Chance(h.PPaybackHorizon))
	}
	npv := fmt.Sprintf("Its net present value is positive in %s of %d simulations (median %s; 90%% of simulations between %s and %s).",
		Chance(h.PNPVPositive), h.Trials, report.Money(h.NPV50), report.Money(h.NPV5), report.Money(h.NPV95))
	return []string{pay, npv}
}
