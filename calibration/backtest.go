package calibration

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/model/dist"
)

// Predictive is a model of outturn ratios: a one-off cost's ratio is drawn
// from Overrun; a saving's ratio at year y is R x C(y/T) / C_plan(y) with R
// from Realisation and T from RampStretch (nil: T = 1, the plan's speed).
type Predictive struct {
	Name        string
	Overrun     dist.Distribution
	Realisation dist.Distribution
	RampStretch dist.Distribution
}

// rampNodes is the number of equal-probability slices of T over which a
// saving's predictive CDF is averaged.
const rampNodes = 400

// RowDistribution is the predictive distribution of one outturn's ratio
// realised / projected.
type RowDistribution struct {
	d     dist.Distribution // one-off cost: the overrun; savings: R
	shape []float64         // savings: C(y/T_k)/C_plan(y) at the T nodes
	// noise is a measured row's standard error over its claim (0: none):
	// the ratio is R x shape + N(0, noise^2); r holds R's quantiles at
	// equal-probability midpoints.
	noise float64
	r     []float64
}

// Nodes of a measured row's predictive: R quantiles and T slices.
const (
	noisyRNodes = 32
	noisyTNodes = 8
)

// Row returns the predictive distribution of o's ratio.
func (p Predictive) Row(o Outturn) RowDistribution {
	if o.Measure == MeasureOneOffCost {
		return RowDistribution{d: p.Overrun}
	}
	r := RowDistribution{d: p.Realisation}
	if o.SE > 0 {
		r.noise = o.SE / o.Projected
		r.r = make([]float64, noisyRNodes)
		for k := range r.r {
			r.r[k] = p.Realisation.Quantile((float64(k) + 0.5) / noisyRNodes)
		}
		nt := noisyTNodes
		if p.RampStretch == nil {
			nt = 1
		}
		r.shape = make([]float64, nt)
		for k := range r.shape {
			t := 1.0
			if p.RampStretch != nil {
				t = p.RampStretch.Quantile((float64(k) + 0.5) / float64(nt))
			}
			r.shape[k] = savingsShape(o, t)
		}
		return r
	}
	if p.RampStretch == nil {
		r.shape = []float64{savingsShape(o, 1)}
		return r
	}
	r.shape = make([]float64, rampNodes)
	for k := range r.shape {
		r.shape[k] = savingsShape(o, p.RampStretch.Quantile((float64(k)+0.5)/rampNodes))
	}
	return r
}

// CDF returns P(ratio <= x).
func (r RowDistribution) CDF(x float64) float64 {
	if r.noise > 0 {
		s := 0.0
		for _, c := range r.shape {
			for _, q := range r.r {
				s += 0.5 * math.Erfc(-(x-q*c)/(r.noise*math.Sqrt2))
			}
		}
		return s / float64(len(r.shape)*len(r.r))
	}
	if x <= 0 { // a published ratio's predictive lives on (0, inf)
		return 0
	}
	if r.shape == nil {
		return r.d.CDF(x)
	}
	s := 0.0
	for _, c := range r.shape {
		s += r.d.CDF(x / c)
	}
	return s / float64(len(r.shape))
}

// Quantile returns the ratio with CDF p (bisection on the log ratio).
func (r RowDistribution) Quantile(p float64) float64 {
	if r.noise > 0 { // bisection on the ratio itself, which can be negative
		lo, hi := -10*r.noise, 10*r.noise
		for _, c := range r.shape {
			hi = math.Max(hi, r.r[len(r.r)-1]*c+10*r.noise)
		}
		for i := 0; i < 100 && hi-lo > 1e-9; i++ {
			m := 0.5 * (lo + hi)
			if r.CDF(m) < p {
				lo = m
			} else {
				hi = m
			}
		}
		return 0.5 * (lo + hi)
	}
	lo, hi := math.Log(r.d.Quantile(1e-9)), math.Log(r.d.Quantile(1-1e-9))
	for _, c := range r.shape {
		lo = math.Min(lo, math.Log(r.d.Quantile(1e-9)*c))
		hi = math.Max(hi, math.Log(r.d.Quantile(1-1e-9)*c))
	}
	for i := 0; i < 200 && hi-lo > 1e-12; i++ {
		m := 0.5 * (lo + hi)
		if r.CDF(math.Exp(m)) < p {
			lo = m
		} else {
			hi = m
		}
	}
	return math.Exp(0.5 * (lo + hi))
}

// OldDefaults is devolve's predictive before calibration on outturns (to
// 2026-11): non-IT overrun lognormal with median 1.05 and P90 1.5;
// realisation PERT(0.5, 0.85, 1.3); savings phased in at exactly the plan's
// speed (T = 1).
func OldDefaults() Predictive {
	o, _ := dist.LogNormalFromQuantiles(0.5, 1.05, 0.9, 1.5)
	r, _ := dist.NewPERT(0.5, 0.85, 1.3, dist.PERTLambda)
	return Predictive{Name: "old fixed defaults", Overrun: o, Realisation: r}
}

// Predictive returns the fitted defaults as a predictive model.
func (f *DefaultsFit) Predictive(name string) Predictive {
	o, _ := dist.NewLogNormal(f.OtherOverrun.Mu, f.OtherOverrun.Sigma)
	r, _ := dist.NewLogNormal(f.SavingsRealisation.Mu, f.SavingsRealisation.Sigma)
	t, _ := dist.NewLogNormal(f.RampStretch.Mu, f.RampStretch.Sigma)
	return Predictive{Name: name, Overrun: o, Realisation: r, RampStretch: t}
}

// Placement is where a realised ratio fell in one predictive distribution.
type Placement struct {
	// P5, P50, P95 are the predictive's quantiles of the ratio; P5GBP and
	// P95GBP the 90% interval in pounds (the row's projected figure times
	// the ratio's quantiles).
	P5     float64 `json:"p5"`
	P50    float64 `json:"p50"`
	P95    float64 `json:"p95"`
	P5GBP  float64 `json:"p5_gbp"`
	P95GBP float64 `json:"p95_gbp"`
	// Percentile is the predictive CDF at the realised ratio; Inside90
	// whether it lies in the central 90% interval [0.05, 0.95].
	Percentile float64 `json:"percentile"`
	Inside90   bool    `json:"inside_90"`
	// LogWidth is ln(P95/P5) of the model's predictive of the true ratio:
	// for a measured row, without the measurement error (which P5 and P95
	// include, so that coverage and scores judge what was measured).
	LogWidth float64 `json:"log_width"`
}

func place(o Outturn, r RowDistribution) Placement {
	p := Placement{P5: r.Quantile(0.05), P50: r.Quantile(0.5), P95: r.Quantile(0.95), Percentile: r.CDF(o.Ratio())}
	p.P5GBP, p.P95GBP = o.Projected*p.P5, o.Projected*p.P95
	p.Inside90 = p.Percentile >= 0.05 && p.Percentile <= 0.95
	p.LogWidth = math.Log(p.P95 / p.P5)
	if r.noise > 0 {
		t := r
		t.noise = 0
		t.r = nil
		p.LogWidth = math.Log(t.Quantile(0.95) / t.Quantile(0.05))
	}
	return p
}

// BacktestRow is one outturn placed in its leave-one-out predictive (the
// defaults fitted by FitDefaults on every other row) and in the old fixed
// defaults.
type BacktestRow struct {
	Outturn
	Ratio  float64 `json:"ratio"`
	Weight float64 `json:"weight"`
	// LOO is the leave-one-out placement, Old the old fixed defaults'.
	LOO Placement `json:"loo"`
	Old Placement `json:"old"`
	// CaseGroup names the reorganisation the row belongs to (CaseGroups);
	// LCO is its placement fitted without every row of that group
	// (leave-case-out).
	CaseGroup string    `json:"case_group"`
	LCO       Placement `json:"lco"`
	// Sources are the cases the row draws on (RowSources); InSample says
	// why its held-out prediction still depends on its own case (a prior
	// built from it), or is empty.
	Sources  []string `json:"sources"`
	InSample string   `json:"in_sample,omitempty"`
	// Scores are the proper scores of the leave-case-out predictive (LCO)
	// and of the two naive forecasters, in units of the projected figure
	// (ratio units), so that cases of any size weigh alike.
	Scores RowScores `json:"scores"`
}

// RowScores are the proper scores (lower is better; Gneiting and Raftery
// 2007) of one held-out outturn's ratio under three forecasters:
//
//   - Model: the leave-case-out predictive (CRPS by numerical integration,
//     interval score of its central 90% interval);
//   - Plan: the business case's own figure, a point forecast: ratio 1 for a
//     one-off cost, C_plan(y) for a saving in year y (the plan's phasing at
//     its own speed); its CRPS is the absolute error and its interval score
//     20 times that;
//   - RefClass: the business case times the reference-class ratio, the
//     pooled ratio sum(realised) / sum(projected x plan point) over the
//     rows the fit uses (realised outcomes), of the same measure, without
//     any row sharing a case with the held-out row (RefRatio; 1 when there
//     is none).
type RowScores struct {
	ModelCRPS     float64 `json:"model_crps"`
	ModelIS90     float64 `json:"model_interval_score_90"`
	Plan          float64 `json:"plan_point"`
	PlanCRPS      float64 `json:"plan_crps"`
	PlanIS90      float64 `json:"plan_interval_score_90"`
	RefRatio      float64 `json:"ref_class_ratio"`
	RefClassCRPS  float64 `json:"ref_class_crps"`
	RefClassIS90  float64 `json:"ref_class_interval_score_90"`
	RefClassCases int     `json:"ref_class_rows"`
	// Noise is the row's measurement noise in ratio units (SE over the
	// claim; 0 for a published figure). PlanNoise* and RefClassNoise* score
	// the two naive forecasts given that same noise, N(point, Noise^2): a
	// forecaster that believes the plan (or the reference class) and knows
	// only how noisy the measurement is. With Noise 0 they equal the point
	// forecasts' scores.
	Noise             float64 `json:"measurement_noise"`
	PlanNoiseCRPS     float64 `json:"plan_with_noise_crps"`
	PlanNoiseIS90     float64 `json:"plan_with_noise_interval_score_90"`
	RefClassNoiseCRPS float64 `json:"ref_class_with_noise_crps"`
	RefClassNoiseIS90 float64 `json:"ref_class_with_noise_interval_score_90"`
}

// Coverage summarises placements of one measure, of "all" rows, of the
// "independent" rows (all but those that are components of another row),
// of the "realised" rows (outturns: every quality but "budgeted not
// realised"; these are the rows a fit uses, weight > 0), of the realised
// rows of each measure ("realised_one_off_cost", "realised_savings"), or of
// the "budgeted" rows (savings written into a budget, not shown to have
// been achieved: back-tested, never fitted).
type Coverage struct {
	Measure string `json:"measure"`
	N       int    `json:"n"`
	Inside  int    `json:"inside_90"`
	// Share is Inside / N.
	Share float64 `json:"share"`
	// MeanLogWidth is the mean of ln(P95/P5) of the ratio; MeanWidth the
	// mean of P95 - P5 of the ratio (the interval's width as a share of the
	// projected figure).
	MeanLogWidth float64 `json:"mean_log_width"`
	MeanWidth    float64 `json:"mean_width"`
}

// BacktestReport is the leave-one-out back-test of the calibrated defaults
// on the outturns, beside the old fixed defaults.
type BacktestReport struct {
	Rows []BacktestRow `json:"rows"`
	// Coverage and OldCoverage, in CoverageGroups order.
	Coverage    []Coverage `json:"coverage"`
	OldCoverage []Coverage `json:"old_coverage"`
	LCOCoverage []Coverage `json:"lco_coverage"`
	// Scores are the mean scores of the rows of each coverage group
	// (CoverageGroups order).
	Scores []GroupScores `json:"scores"`
	// Fit is FitDefaults on every row (the shipped defaults).
	Fit *DefaultsFit `json:"fit"`
}

// LeaveOneOut back-tests FitDefaults: for each outturn, fit on all the
// others and place the held-out ratio in the fitted predictive; the same
// row is placed in OldDefaults for comparison.
func LeaveOneOut(rows []Outturn) (*BacktestReport, error) {
	f, err := newFitter(rows, DefaultFitPriors())
	if err != nil {
		return nil, err
	}
	return f.leaveOneOut(), nil
}

func (f *fitter) leaveOneOut() *BacktestReport {
	rep := &BacktestReport{Fit: f.fit(-1)}
	old := OldDefaults()
	groups := CaseGroups(f.rows)
	for j, o := range f.rows {
		lco := f.lcoRow(j, groups)
		rep.Rows = append(rep.Rows, BacktestRow{Outturn: o, Ratio: o.Ratio(), Weight: o.Weight(),
			LOO: place(o, f.looRow(j)), Old: place(o, old.Row(o)), CaseGroup: groups[j], LCO: place(o, lco),
			Scores: f.scoreRow(j, groups, lco), Sources: f.sources[j], InSample: f.inSample(j)})
	}
	rep.Scores = groupScores(rep.Rows)
	rep.Coverage = coverage(rep.Rows, func(r BacktestRow) Placement { return r.LOO })
	rep.OldCoverage = coverage(rep.Rows, func(r BacktestRow) Placement { return r.Old })
	rep.LCOCoverage = coverage(rep.Rows, func(r BacktestRow) Placement { return r.LCO })
	return rep
}

// planPoint is the business case's own forecast of row o's ratio: 1 for a
// one-off cost or a same-year saving, C_plan(y) for a steady-state saving.
func planPoint(o Outturn) float64 {
	if o.Measure == MeasureOneOffCost {
		return 1
	}
	return savingsShape(o, 1)
}

// scoreRow scores row j's held-out ratio under the leave-case-out
// predictive r and the two naive forecasters.
func (f *fitter) scoreRow(j int, groups []string, r RowDistribution) RowScores {
	o := f.rows[j]
	x := o.Ratio()
	sc := RowScores{Plan: planPoint(o)}
	lo, hi := r.Quantile(1e-7), r.Quantile(1-1e-7)
	if r.noise > 0 { // smooth: fewer points suffice
		sc.ModelCRPS = crps(r.CDF, lo, hi, x, false, 400)
	} else {
		sc.ModelCRPS = CRPS(r.CDF, lo, hi, x, true)
	}
	p := place(o, r)
	sc.ModelIS90 = IntervalScore(p.P5, p.P95, 0.1, x)
	sc.PlanCRPS = math.Abs(x - sc.Plan)
	sc.PlanIS90 = IntervalScore(sc.Plan, sc.Plan, 0.1, x)
	// Reference class: the rows the fit would use, same measure, other
	// case groups.
	var sl, n float64
	for i, q := range f.rows {
		if f.shares(i, j) || q.Measure != o.Measure || q.Weight() == 0 {
			continue
		}
		sl += q.Weight() * q.Realised
		n += q.Weight() * q.Projected * planPoint(q)
		sc.RefClassCases++
	}
	sc.RefRatio = 1
	if n > 0 {
		sc.RefRatio = sl / n
	}
	ref := sc.Plan * sc.RefRatio
	sc.RefClassCRPS = math.Abs(x - ref)
	sc.RefClassIS90 = IntervalScore(ref, ref, 0.1, x)
	sc.Noise = r.noise
	sc.PlanNoiseCRPS, sc.PlanNoiseIS90 = normalScores(sc.Plan, r.noise, x)
	sc.RefClassNoiseCRPS, sc.RefClassNoiseIS90 = normalScores(ref, r.noise, x)
	return sc
}

// normalScores are the CRPS and the central-90% interval score of the
// forecast N(mu, s^2) at x: the closed form of the CRPS (Gneiting and
// Raftery 2007, eq. 21), s (z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)) with
// z = (x - mu)/s, and the interval mu -/+ 1.645 s. With s = 0 they are the
// point forecast's: |x - mu| and 20 |x - mu|.
func normalScores(mu, s, x float64) (crps, is90 float64) {
	if s == 0 {
		return math.Abs(x - mu), IntervalScore(mu, mu, 0.1, x)
	}
	z := (x - mu) / s
	phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	Phi := 0.5 * math.Erfc(-z/math.Sqrt2)
	crps = s * (z*(2*Phi-1) + 2*phi - 1/math.Sqrt(math.Pi))
	const z95 = 1.6448536269514722
	return crps, IntervalScore(mu-z95*s, mu+z95*s, 0.1, x)
}

// GroupScores are the mean scores of one coverage group's rows, with the
// Wilson 95% interval of its leave-case-out coverage.
type GroupScores struct {
	Group string `json:"group"`
	N     int    `json:"n"`
	// Inside counts the rows inside the leave-case-out central 90%
	// interval; Coverage95 is the Wilson 95% interval of Inside / N.
	Inside     int        `json:"inside_90"`
	Coverage95 [2]float64 `json:"coverage_wilson_95"`
	// CRPS and IS90 are the mean CRPS and 90% interval score of the
	// model (leave-case-out), the plan and the reference class, in that
	// order (RowScores).
	CRPS [3]float64 `json:"mean_crps"`
	IS90 [3]float64 `json:"mean_interval_score_90"`
	// NoiseCRPS and NoiseIS90 are the mean scores of the plan and the
	// reference class given each row's measurement noise (RowScores), in
	// that order: the fair comparison on measured rows, where any spread
	// of the right size beats a point forecast.
	NoiseCRPS [2]float64 `json:"mean_crps_naive_with_noise"`
	NoiseIS90 [2]float64 `json:"mean_interval_score_90_naive_with_noise"`
}

func groupScores(rows []BacktestRow) []GroupScores {
	var out []GroupScores
	for _, g := range CoverageGroups {
		s := GroupScores{Group: g}
		for _, r := range rows {
			if !inGroup(g, r) {
				continue
			}
			s.N++
			if r.LCO.Inside90 {
				s.Inside++
			}
			c := r.Scores
			for k, v := range [3]float64{c.ModelCRPS, c.PlanCRPS, c.RefClassCRPS} {
				s.CRPS[k] += v
			}
			for k, v := range [3]float64{c.ModelIS90, c.PlanIS90, c.RefClassIS90} {
				s.IS90[k] += v
			}
			for k, v := range [2]float64{c.PlanNoiseCRPS, c.RefClassNoiseCRPS} {
				s.NoiseCRPS[k] += v
			}
			for k, v := range [2]float64{c.PlanNoiseIS90, c.RefClassNoiseIS90} {
				s.NoiseIS90[k] += v
			}
		}
		for k := range s.CRPS {
			if s.N > 0 {
				s.CRPS[k] /= float64(s.N)
				s.IS90[k] /= float64(s.N)
			}
		}
		for k := range s.NoiseCRPS {
			if s.N > 0 {
				s.NoiseCRPS[k] /= float64(s.N)
				s.NoiseIS90[k] /= float64(s.N)
			}
		}
		lo, hi := Wilson(s.Inside, s.N, Z95)
		s.Coverage95 = [2]float64{lo, hi}
		out = append(out, s)
	}
	return out
}

// lcoRow is row j's predictive distribution fitted without any row of its
// case group (leave-case-out).
func (f *fitter) lcoRow(j int, groups []string) RowDistribution {
	skip := make([]bool, len(f.rows))
	for i := range skip {
		skip[i] = f.shares(i, j)
	}
	return f.fitSkipping(skip).Predictive(fmt.Sprintf("fitted without case group %q", groups[j])).Row(f.rows[j])
}

// caseYear is compiled on first use (start-up is paid by every command).
var caseYear = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b(19|20)\d\d\b`) })

// CaseGroups names each row's reorganisation, for leave-case-out: the case
// name without a bracketed suffix ("Somerset 2023 (staff)" is "Somerset
// 2023"), except that a wave's aggregate row (a case name with "wave")
// takes in every row of its vesting year, since its figures contain theirs
// (the 2009 wave's £135m one-off cost includes Wiltshire's £18m).
func CaseGroups(rows []Outturn) []string {
	name := func(o Outturn) string {
		n, _, _ := strings.Cut(o.Case, " (")
		return strings.TrimSpace(n)
	}
	waves := map[string]string{} // vesting year -> the wave's group
	for _, o := range rows {
		if n := name(o); strings.Contains(n, "wave") {
			if y := caseYear().FindString(n); y != "" {
				waves[y] = n
			}
		}
	}
	out := make([]string, len(rows))
	for i, o := range rows {
		out[i] = name(o)
		if w, ok := waves[caseYear().FindString(out[i])]; ok {
			out[i] = w
		}
	}
	return out
}

// RowSources names the cases each row draws on, as case ids (the case
// column without a bracketed suffix): a measured row its SourceCase; a
// published row its own case and, if its vesting year has a wave
// aggregate row, that wave; a wave aggregate row every case of its year
// (its figures contain theirs). Two rows that share a case are held out
// together: a row is scored by a fit without any row sharing a case with
// it.
func RowSources(rows []Outturn) [][]string {
	groups := CaseGroups(rows)
	name := func(o Outturn) string {
		if o.SourceCase != "" {
			return o.SourceCase
		}
		n, _, _ := strings.Cut(o.Case, " (")
		return strings.TrimSpace(n)
	}
	out := make([][]string, len(rows))
	for i, o := range rows {
		out[i] = []string{name(o)}
		if o.Kind == KindMeasured {
			continue
		}
		if g := groups[i]; g != out[i][0] {
			out[i] = append(out[i], g)
		}
		if strings.Contains(name(o), "wave") {
			y := caseYear().FindString(name(o))
			for _, q := range rows {
				if n := name(q); n != name(o) && caseYear().FindString(n) == y && !slices.Contains(out[i], n) {
					out[i] = append(out[i], n)
				}
			}
		}
	}
	return out
}

// shares says whether rows i and j draw on a common case.
func (f *fitter) shares(i, j int) bool {
	if i == j {
		return true
	}
	for _, a := range f.sources[i] {
		if slices.Contains(f.sources[j], a) {
			return true
		}
	}
	return false
}

// inSample returns why row j's leave-case-out prediction is in-sample,
// or "": a one-off cost of a case EVIDENCE.md §9's overrun prior draws on
// (OverrunPriorSources).
func (f *fitter) inSample(j int) string {
	if f.rows[j].Measure != MeasureOneOffCost {
		return ""
	}
	for _, c := range f.sources[j] {
		if slices.Contains(OverrunPriorSources, c) {
			return "overrun prior (EVIDENCE.md §9 range) draws on " + c
		}
	}
	return ""
}

// looRow is row j's predictive distribution fitted without row j.
func (f *fitter) looRow(j int) RowDistribution {
	return f.fit(j).Predictive(fmt.Sprintf("fitted without row %d", j)).Row(f.rows[j])
}

// CoverageGroups are the groups of rows a back-test's coverage is
// summarised over, in order (see Coverage).
var CoverageGroups = []string{MeasureOneOffCost, MeasureSavings, "all", "independent",
	"realised", "realised_" + MeasureOneOffCost, "realised_" + MeasureSavings,
	KindCouncilReported, KindBudget, KindEstimate}

// inGroup says whether row r belongs to coverage group g.
func inGroup(g string, r BacktestRow) bool {
	realised := IsOutcome(r.Kind)
	switch g {
	case KindCouncilReported, KindBudget, KindEstimate:
		return r.Kind == g
	case MeasureOneOffCost, MeasureSavings:
		return r.Measure == g
	case "all":
		return true
	case "independent":
		return !r.Overlaps
	case "realised":
		return realised
	}
	m, ok := strings.CutPrefix(g, "realised_")
	return ok && realised && r.Measure == m
}

func coverage(rows []BacktestRow, pick func(BacktestRow) Placement) []Coverage {
	var out []Coverage
	for _, m := range CoverageGroups {
		c := Coverage{Measure: m}
		for _, r := range rows {
			if !inGroup(m, r) {
				continue
			}
			p := pick(r)
			c.N++
			if p.Inside90 {
				c.Inside++
			}
			c.MeanLogWidth += p.LogWidth
			c.MeanWidth += p.P95 - p.P5
		}
		if c.N > 0 {
			c.Share = float64(c.Inside) / float64(c.N)
			c.MeanLogWidth /= float64(c.N)
			c.MeanWidth /= float64(c.N)
		}
		out = append(out, c)
	}
	return out
}
