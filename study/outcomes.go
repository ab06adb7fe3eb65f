package study

import (
	"context"
	"fmt"
	"strings"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/calibration"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// FunctionPosts are one staff function's productivity figures, all
// annual at full effect (after savings realisation), £ a year cash of the
// RSX year or posts.
type FunctionPosts struct {
	Function  string    `json:"function"`
	StaffBase lgr.Short `json:"staff_cost_base"`
	Saving    lgr.Short `json:"staff_saving"`
	// Posts is Saving over a cost per post of £40k-£50k (area.CostPerFTE).
	Posts lgr.Short `json:"posts_removed"`
}

// EnablingSpend is spending per resident on enabling support (finance,
// HR, IT, legal and the like: the enabling-support staff cost base) before
// the reorganisation and after its savings at full effect, £ a resident a
// year.
type EnablingSpend struct {
	Before lgr.Short `json:"before_per_resident"`
	After  lgr.Short `json:"after_per_resident"`
}

// MeasuredChange is what devolve evidence measured for one wave of past
// reorganisations (synthetic control, the mean of years 1-5 after vesting):
// the change in spending as a share of the counterfactual, with its 95%
// interval and placebo p-value, and as £ a resident a year: the wave's
// mean counterfactual per resident times the change, negative = less
// spending. Money is in the run's price base (OutcomesResult.PriceBase):
// each measured year's cash counterfactual is restated by the GDP deflator
// (calibration.RealFactor) before the mean over years 1-5. Residents are
// Census 2021's, the only population the data carry: for the 2009 wave
// (years 2009-10 to 2013-14) about 6% more than lived there then (England
// grew 6.6% from 2011 to 2021), so its change a resident is understated by
// about that much.
type MeasuredChange struct {
	Wave          string   `json:"wave"`
	Outcome       string   `json:"outcome"`
	Members       int      `json:"members"`
	Effect        float64  `json:"effect"`
	Lo            float64  `json:"lo"`
	Hi            float64  `json:"hi"`
	P             float64  `json:"p"`
	PerResident   float64  `json:"per_resident"`
	PerResidentLo float64  `json:"per_resident_lo"`
	PerResidentHi float64  `json:"per_resident_hi"`
	Flags         []string `json:"flags,omitempty"`
	Kind          string   `json:"kind"`
}

// QualityOutcome is one service-quality indicator: the model's change
// from its baseline at the horizon and in its worst year (signed so that
// positive is better), the chance of each being a decline, and what is
// known from past reorganisations. Judgement is true where no finding bears
// on the indicator itself: its effect is judgement.
type QualityOutcome struct {
	Indicator     string                       `json:"indicator"`
	Unit          string                       `json:"unit"`
	LowerIsBetter bool                         `json:"lower_is_better"`
	End           lgr.Short                    `json:"change_at_horizon"`
	Worst         lgr.Short                    `json:"change_worst_year"`
	PDeclineEnd   float64                      `json:"p_decline_at_horizon"`
	PDeclineWorst float64                      `json:"p_decline_in_some_year"`
	Evidence      []calibration.QualityFinding `json:"evidence"`
	Judgement     bool                         `json:"judgement"`
}

// OutcomesResult is productivity and service quality for one area or for
// England (RunOutcomes): documented JSON of `devolve outcomes`.
type OutcomesResult struct {
	Scope      string  `json:"scope"`
	Areas      int     `json:"areas"`
	Iterations int     `json:"iterations"`
	Seed       uint64  `json:"seed"`
	Sampling   string  `json:"sampling"`
	Sharing    string  `json:"sharing,omitempty"`
	Residents  float64 `json:"residents"`
	PriceBase  string  `json:"price_base"`
	// Posts by staff function and in all; Enabling spend per resident.
	Posts      []FunctionPosts  `json:"posts_by_function"`
	PostsTotal lgr.Short        `json:"posts_removed_total"`
	Enabling   EnablingSpend    `json:"enabling_spend"`
	Measured   []MeasuredChange `json:"measured"`
	Quality    []QualityOutcome `json:"quality"`
}

// RunOutcomes measures productivity and service quality as the model and
// the evidence give them.
func RunOutcomes(ctx context.Context, cfg ScaleConfig, opt lgr.NationalOptions) (*OutcomesResult, error) {
	sr, sc, err := runScale(ctx, cfg, opt)
	if err != nil {
		return nil, err
	}
	out := &OutcomesResult{Scope: sr.Scope, Areas: sr.Areas, Iterations: sr.Iterations, Seed: sr.Seed, Sampling: sr.Sampling,
		Sharing: sr.Sharing, Residents: sr.Residents, PriceBase: sr.PriceBase}
	s := new(engine.Scratch)
	d := &sc.Draws
	n := len(d.ITOneOff)
	total := make([]float64, n)
	for f, name := range d.Functions {
		out.Posts = append(out.Posts, FunctionPosts{name, lgr.ShortOf(s.Summarize(d.StaffBase[f])), lgr.ShortOf(s.Summarize(d.StaffSaving[f])),
			lgr.ShortOf(s.Summarize(d.Posts[f]))})
		for t, v := range d.Posts[f] {
			total[t] += v
		}
		if name == "enabling_support" {
			before, after := make([]float64, n), make([]float64, n)
			for t := range before {
				before[t] = d.StaffBase[f][t] / sr.Residents
				after[t] = (d.StaffBase[f][t] - d.StaffSaving[f][t]) / sr.Residents
			}
			out.Enabling = EnablingSpend{lgr.ShortOf(s.Summarize(before)), lgr.ShortOf(s.Summarize(after))}
		}
	}
	out.PostsTotal = lgr.ShortOf(s.Summarize(total))
	units := map[string]lgr.Indicator{}
	for _, g := range sc.Indicators {
		units[g.Name] = g
	}
	for k, name := range d.Indicators {
		q := QualityOutcome{Indicator: name, Unit: units[name].Unit, LowerIsBetter: units[name].LowerIsBetter,
			End: lgr.ShortOf(s.Summarize(d.QualityEnd[k])), Worst: lgr.ShortOf(s.Summarize(d.QualityWorst[k])),
			PDeclineEnd: below(d.QualityEnd[k]), PDeclineWorst: below(d.QualityWorst[k]), Evidence: calibration.QualityFindingsFor(name)}
		q.Judgement = true
		for _, f := range q.Evidence {
			if f.Indicator == name {
				q.Judgement = false
			}
		}
		out.Quality = append(out.Quality, q)
	}
	out.Measured, err = measuredChanges(sr.PriceBase)
	return out, err
}

// below is the share of x below zero.
func below(x []float64) float64 {
	k := 0
	for _, v := range x {
		if v < 0 {
			k++
		}
	}
	return float64(k) / float64(len(x))
}

// measuredChanges are devolve evidence's pooled wave effects (synthetic
// control, years 1-5) with their counterfactual per resident in the
// prices of priceBase ("2022/23").
func measuredChanges(priceBase string) ([]MeasuredChange, error) {
	ev, err := calibration.DefaultEvidence()
	if err != nil {
		return nil, err
	}
	pb, err := calibration.PriceBaseStart(priceBase)
	if err != nil {
		return nil, err
	}
	toBase, err := calibration.RealFactor(pb)
	if err != nil {
		return nil, err
	}
	// Counterfactual per resident, the mean over years 1-5 of each
	// successor, by wave and outcome.
	type key struct{ wave, outcome string }
	sum, cnt := map[key]float64{}, map[key]int{}
	for _, se := range ev.Successors {
		code, err := calibration.SuccessorONSCode(se.Successor)
		if err != nil {
			return nil, err
		}
		pop, ok := area.Residents(code)
		if !ok { // created after 2021 (Cumberland, Westmorland and Furness...): its districts' residents
			for _, p := range se.Predecessors {
				if v, ok := area.ResidentsNamed(p); ok {
					pop += v
				}
			}
		}
		if !(pop > 0) {
			return nil, fmt.Errorf("%s (%s): no Census 2021 population in area/data", se.Successor, code)
		}
		for _, f := range se.Fits {
			if f.Estimator != calibration.EstimatorSC {
				continue
			}
			cf, m := 0.0, 0
			for _, y := range f.Series {
				if y.Year >= 1 && y.Year <= 5 && y.Counterfactual > 0 {
					fy, err := calibration.PriceBaseStart(y.FinancialYear)
					if err != nil {
						return nil, err
					}
					real, err := calibration.RealFactor(fy)
					if err != nil {
						return nil, err
					}
					cf += y.Counterfactual * real / toBase
					m++
				}
			}
			if m > 0 {
				k := key{se.Wave, string(f.Outcome)}
				sum[k] += cf / float64(m) / pop
				cnt[k]++
			}
		}
	}
	var out []MeasuredChange
	for _, w := range ev.Waves {
		if w.Year != 0 || w.Estimator != calibration.EstimatorSC || w.Benchmark || strings.HasPrefix(w.Wave, "established") {
			continue
		}
		k := key{w.Wave, string(w.Outcome)}
		if cnt[k] == 0 {
			continue
		}
		cf := sum[k] / float64(cnt[k])
		out = append(out, MeasuredChange{Wave: w.Wave, Outcome: string(w.Outcome), Members: w.Members, Effect: w.Effect, Lo: w.Lo, Hi: w.Hi, P: w.P,
			PerResident: w.Effect * cf, PerResidentLo: w.Lo * cf, PerResidentHi: w.Hi * cf, Flags: w.Flags, Kind: "measured"})
	}
	return out, nil
}
