package calibration

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// EffectOutcome names a spending aggregate whose change the evidence
// measures.
type EffectOutcome string

// The two outcomes of `devolve evidence` (docs/EVIDENCE.md).
const (
	// OutcomeMergerLines is the lines a merger touches, as one aggregate:
	// central services, environmental and regulatory, cultural, planning
	// and development, and General Fund housing (net current expenditure).
	OutcomeMergerLines EffectOutcome = "merger_lines"
	// OutcomeCoreServices is total service expenditure less education,
	// public health, police and fire.
	OutcomeCoreServices EffectOutcome = "core_services"
)

// Outcomes lists the outcomes in report order.
var Outcomes = []EffectOutcome{OutcomeMergerLines, OutcomeCoreServices}

// Label is the outcome's name for a reader.
func (o EffectOutcome) Label() string {
	switch o {
	case OutcomeMergerLines:
		return "lines a merger touches"
	case OutcomeCoreServices:
		return "services less education, public health, police, fire"
	}
	return string(o)
}

// Estimator names how a counterfactual is built.
type Estimator string

// Estimators of `devolve evidence`.
const (
	// EstimatorSC is the synthetic control: donor weights on the simplex
	// fitted to the pre-vesting years (SimplexLS), on log spending less
	// its pre-vesting mean.
	EstimatorSC Estimator = "synthetic_control"
	// EstimatorDiD is difference-in-differences against the equally
	// weighted donor pool, on the same logs and years.
	EstimatorDiD Estimator = "did"
)

// Estimators lists the estimators in report order.
var Estimators = []Estimator{EstimatorSC, EstimatorDiD}

// Flags on a measured effect.
const (
	FlagCovid          = "covid"          // 2020-21 or 2021-22: COVID-19 spending and grants in the outturn
	FlagImputed        = "imputed"        // a donor's district had no return that year and was imputed
	FlagMissingDonors  = "missing_donors" // a weighted donor had no value; weights renormalised over the others
	FlagPoorPreFit     = "poor_pre_fit"   // pre-vesting RMSPE above the 90th percentile of the placebo areas'
	FlagFewPreYears    = "few_pre_years"  // fewer than 4 pre-vesting years in the fit (the 2009 wave has 2)
	KindMeasured       = "measured"
	evidencePreYears   = 8     // default pre-vesting window, years
	evidenceRidge      = 1e-6  // default ridge on the weights (log points squared)
	evidencePooledDraw = 20000 // default draws of the pooled placebo distribution
)

// EvidenceOptions configures AnalyseEvidence; the zero value means the
// defaults.
type EvidenceOptions struct {
	// PreYears is the longest pre-vesting window, in years (default 8);
	// 2020-21 and 2021-22 are never fitted (COVID-19).
	PreYears int `json:"pre_years"`
	// Ridge is the penalty on the sum of squared synthetic-control weights
	// (default 1e-6, in squared log points), a tie-break between donor
	// mixtures that fit equally well.
	Ridge float64 `json:"ridge"`
	// PooledDraws is the number of draws of each pooled placebo
	// distribution (default 20,000).
	PooledDraws int `json:"pooled_draws"`
	// AnticipationYears leaves the last years before vesting out of the
	// fit (default 0): a sensitivity for spending that anticipates the
	// reorganisation, such as transition costs in the shadow year (for the
	// 2009 wave, 2008-09). The years are still shown, not fitted.
	AnticipationYears int `json:"anticipation_years,omitempty"`
}

func (o EvidenceOptions) withDefaults() EvidenceOptions {
	if o.PreYears <= 0 {
		o.PreYears = evidencePreYears
	}
	if o.Ridge <= 0 {
		o.Ridge = evidenceRidge
	}
	if o.PooledDraws <= 0 {
		o.PooledDraws = evidencePooledDraw
	}
	return o
}

// MeasuredEffect is the effect of one reorganisation on one outcome in one
// year after vesting, by one estimator: measured from MHCLG outturn against
// a counterfactual of councils that were not reorganised.
type MeasuredEffect struct {
	Successor     string        `json:"successor"`
	Ecode         string        `json:"ecode"`
	Wave          string        `json:"wave"`
	VestingYear   int           `json:"vesting_year"`   // calendar year of the 1 April vesting
	Year          int           `json:"year"`           // years since vesting; 1 = the successor's first financial year
	FinancialYear string        `json:"financial_year"` // "2009-10"
	Outcome       EffectOutcome `json:"outcome"`
	Estimator     Estimator     `json:"estimator"`
	// Effect is (actual − counterfactual)/counterfactual: −0.03 is 3% less
	// spending than the counterfactual.
	Effect float64 `json:"effect"`
	// Lo and Hi bound the 95% interval of Effect.
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// P is the two-sided placebo p-value: the rank of |effect| among the
	// placebo areas' (1 + #{|placebo| ≥ |effect|}) / (1 + placebos).
	P float64 `json:"p"`
	// MDE is the smallest reduction detectable at 5% (two-sided) with 80%
	// power, a positive fraction of the counterfactual.
	MDE float64 `json:"mde"`
	// Actual and Counterfactual are the year's spending on the outcome, £
	// cash (not real terms).
	Actual         float64  `json:"actual_gbp"`
	Counterfactual float64  `json:"counterfactual_gbp"`
	Placebos       int      `json:"placebos"`
	Flags          []string `json:"flags,omitempty"`
	Kind           string   `json:"kind"` // always "measured"
	// PlaceboGaps are the placebo areas' gaps in this year (log points,
	// widened by the fit's interval scale, as the interval is), in the
	// pool's order, areas without a value left out: the correlation of one
	// unit's errors between years is estimated from them
	// (MeasuredOutturns).
	PlaceboGaps []PlaceboGap `json:"-"`
}

// PlaceboGap is one placebo area's gap in one year (log points).
type PlaceboGap struct {
	Area string
	Gap  float64
}

// DonorWeight is one donor's synthetic-control weight.
type DonorWeight struct {
	Donor  string  `json:"donor"`
	Weight float64 `json:"weight"`
}

// YearPoint is a successor's actual and counterfactual spending in one
// financial year, £ cash; Year counts from vesting (1 = first successor
// year, 0 and below before vesting). Fitted marks the years the
// counterfactual was fitted to.
type YearPoint struct {
	Year           int     `json:"year"`
	FinancialYear  string  `json:"financial_year"`
	Actual         float64 `json:"actual_gbp"`
	Counterfactual float64 `json:"counterfactual_gbp"`
	Fitted         bool    `json:"fitted"`
}

// OutcomeFit is one estimator's counterfactual of one outcome for one
// successor.
type OutcomeFit struct {
	Outcome   EffectOutcome `json:"outcome"`
	Estimator Estimator     `json:"estimator"`
	PreYears  []string      `json:"pre_years"` // financial years fitted
	// PreRMSPE is the root mean squared gap in the fitted years, in log
	// points (0.02 ≈ 2%); PlaceboPreRMSPE50 and 90 are its median and
	// 90th percentile over the placebo areas.
	PreRMSPE          float64 `json:"pre_rmspe"`
	PlaceboPreRMSPE50 float64 `json:"placebo_pre_rmspe_p50"`
	PlaceboPreRMSPE90 float64 `json:"placebo_pre_rmspe_p90"`
	PoorFit           bool    `json:"poor_fit"`
	// IntervalScale is placeboScale: the factor (at least 1) by which the
	// placebo errors are widened for this unit's intervals, p-values and
	// MDE, from its own pre-vesting fit.
	IntervalScale float64 `json:"interval_scale"`
	// RatioP is Abadie et al.'s (2010) test over all years after vesting:
	// the rank of the post/pre RMSPE ratio among the placebos'; 0 where
	// fewer than 4 years were fitted (the ratio is then meaningless).
	RatioP float64 `json:"ratio_p,omitempty"`
	// PreTrend is the in-time placebo: the same estimator with vesting
	// moved PreTrendYears earlier, fitted only on the years before that;
	// Effect is its mean effect over the PreTrendYears pseudo-vesting years
	// (all before the real vesting, so 0 is expected) and P its rank among
	// the placebo areas' at the same false date. Absent where fewer than 4
	// years would remain to fit (the 2009 wave).
	PreTrend *PreTrendCheck   `json:"pre_trend,omitempty"`
	Weights  []DonorWeight    `json:"weights,omitempty"` // synthetic control only, weights ≥ 0.005
	Series   []YearPoint      `json:"series"`
	Effects  []MeasuredEffect `json:"effects"`
}

// PreTrendYears is how far the in-time placebo moves vesting back.
const PreTrendYears = 3

// PreTrendCheck is an in-time placebo of one fit (OutcomeFit.PreTrend).
type PreTrendCheck struct {
	FalseVesting   int     `json:"false_vesting"` // calendar year
	Effect         float64 `json:"effect"`        // mean over the pseudo-vesting years, fraction
	P              float64 `json:"p"`
	PreYearsFitted int     `json:"pre_years_fitted"`
}

// SuccessorEvidence is everything measured for one successor council.
type SuccessorEvidence struct {
	Successor    string       `json:"successor"`
	Ecode        string       `json:"ecode"`
	Wave         string       `json:"wave"`
	VestingYear  int          `json:"vesting_year"`
	Level        string       `json:"level"` // "unitary" (county-area donors) or "district" (district donors)
	Predecessors []string     `json:"predecessors"`
	Donors       int          `json:"donors"`
	Fits         []OutcomeFit `json:"fits"`
}

// WaveEffect is the pooled effect of one wave of reorganisations: the mean
// over its successors of their log gaps in the given years since vesting
// (Year 0 with Years "1-5": the mean over years 1 to 5 where present;
// "1-2" where only years 1 and 2 exist, as for the 2023 wave),
// with its own placebo distribution (Cavallo et al. 2013): each draw takes
// one placebo area for each successor from that successor's pool.
type WaveEffect struct {
	Wave      string        `json:"wave"`
	Outcome   EffectOutcome `json:"outcome"`
	Estimator Estimator     `json:"estimator"`
	Year      int           `json:"year"`  // 0 for the years-1-to-5 mean
	Years     string        `json:"years"` // "3" or "1-5"
	Members   int           `json:"members"`
	Effect    float64       `json:"effect"` // fraction of counterfactual
	Lo        float64       `json:"lo"`
	Hi        float64       `json:"hi"`
	P         float64       `json:"p"`
	MDE       float64       `json:"mde"`
	Flags     []string      `json:"flags,omitempty"`
	// Benchmark marks a row that is not a reorganisation: established
	// unitaries (not reorganised) against the same two-tier donors from a
	// false vesting date (Wave "established unitaries, from 2009").
	Benchmark bool `json:"benchmark,omitempty"`
}

// Evidence is the result of AnalyseEvidence.
type Evidence struct {
	DataSHA256 string              `json:"data_sha256"` // of the embedded panel and links
	Options    EvidenceOptions     `json:"options"`
	Successors []SuccessorEvidence `json:"successors"`
	Waves      []WaveEffect        `json:"waves"`
}

// Waves of reorganisation, in order.
var evidenceWaves = []string{"2009", "2019 unitaries", "2019 districts", "2020-21", "2023"}

func waveOf(vesting int, level string) string {
	switch {
	case vesting == 2009:
		return "2009"
	case vesting == 2019 && level == "district":
		return "2019 districts"
	case vesting == 2019:
		return "2019 unitaries"
	case vesting == 2020 || vesting == 2021:
		return "2020-21"
	}
	return fmt.Sprint(vesting)
}

var (
	measuredOnce sync.Once
	measuredEv   *Evidence
	measuredErr  error
)

// MeasuredEffects returns every successor's measured effect on both
// outcomes in every year after vesting, by both estimators, with the
// default options (AnalyseEvidence). Computed once; deterministic.
func MeasuredEffects() ([]MeasuredEffect, error) {
	ev, err := DefaultEvidence()
	if err != nil {
		return nil, err
	}
	var out []MeasuredEffect
	for _, s := range ev.Successors {
		for _, f := range s.Fits {
			out = append(out, f.Effects...)
		}
	}
	return out, nil
}

// DefaultEvidence is AnalyseEvidence with the default options, computed
// once. The result is shared: do not modify it.
func DefaultEvidence() (*Evidence, error) {
	measuredOnce.Do(func() { measuredEv, measuredErr = AnalyseEvidence(EvidenceOptions{}) })
	return measuredEv, measuredErr
}

// logSeries is a unit's log outcome (NaN where missing or not positive).
type logSeries struct {
	name    string
	v       [nOutturnYears]float64
	imputed [nOutturnYears]bool
}

func toLog(u unitSeries) logSeries {
	l := logSeries{name: u.name, imputed: u.imputed}
	for y, x := range u.v {
		l.v[y] = math.NaN()
		if x > 0 {
			l.v[y] = math.Log(x)
		}
	}
	return l
}

// scFit is one estimator's fit for one treated unit.
type scFit struct {
	ok       bool
	pre      []int // fitted panel years
	weights  []float64
	cf       [nOutturnYears]float64 // counterfactual log level, NaN where none
	gap      [nOutturnYears]float64 // actual − counterfactual, log points
	flags    [nOutturnYears][]string
	preRMSPE float64
}

// fitUnit builds the counterfactual of y from donors for vesting index v
// (the first successor year), fitting the years v−preYears..v−1 without
// 2020-21 and 2021-22 and where y and every donor have values.
func fitUnit(y logSeries, donors []logSeries, v int, opt EvidenceOptions, est Estimator) scFit {
	var f scFit
	for t := max(0, v-opt.PreYears); t < v-opt.AnticipationYears; t++ {
		if covidYear(t) || math.IsNaN(y.v[t]) {
			continue
		}
		ok := true
		for _, d := range donors {
			ok = ok && !math.IsNaN(d.v[t])
		}
		if ok {
			f.pre = append(f.pre, t)
		}
	}
	for t := range f.cf {
		f.cf[t], f.gap[t] = math.NaN(), math.NaN()
	}
	if len(f.pre) == 0 || len(donors) == 0 {
		return f
	}
	f.ok = true
	mean := func(s logSeries) float64 {
		m := 0.0
		for _, t := range f.pre {
			m += s.v[t]
		}
		return m / float64(len(f.pre))
	}
	ybar := mean(y)
	dbar := make([]float64, len(donors))
	X := make([][]float64, len(donors))
	yt := make([]float64, len(f.pre))
	for i, t := range f.pre {
		yt[i] = y.v[t] - ybar
	}
	for j, d := range donors {
		dbar[j] = mean(d)
		X[j] = make([]float64, len(f.pre))
		for i, t := range f.pre {
			X[j][i] = d.v[t] - dbar[j]
		}
	}
	switch est {
	case EstimatorSC:
		f.weights, _ = SimplexLS(X, yt, opt.Ridge)
	default:
		f.weights = make([]float64, len(donors))
		for j := range f.weights {
			f.weights[j] = 1 / float64(len(donors))
		}
	}
	for t := range f.cf {
		sw, s := 0.0, 0.0
		missing, imputed := false, false
		for j, d := range donors {
			if f.weights[j] <= 0 {
				continue
			}
			if math.IsNaN(d.v[t]) {
				missing = true
				continue
			}
			sw += f.weights[j]
			s += f.weights[j] * (d.v[t] - dbar[j])
			imputed = imputed || (d.imputed[t] && f.weights[j] >= 0.005)
		}
		if sw < 0.5 { // most of the weight has no value: no counterfactual
			continue
		}
		f.cf[t] = ybar + s/sw
		f.gap[t] = y.v[t] - f.cf[t]
		if missing {
			f.flags[t] = append(f.flags[t], FlagMissingDonors)
		}
		if imputed {
			f.flags[t] = append(f.flags[t], FlagImputed)
		}
	}
	ss := 0.0
	for _, t := range f.pre {
		ss += f.gap[t] * f.gap[t]
	}
	f.preRMSPE = math.Sqrt(ss / float64(len(f.pre)))
	return f
}

// postRMSPE is the root mean squared gap in years v.. with values.
func (f *scFit) postRMSPE(v int) float64 {
	ss, n := 0.0, 0
	for t := v; t < nOutturnYears; t++ {
		if !math.IsNaN(f.gap[t]) {
			ss += f.gap[t] * f.gap[t]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return math.Sqrt(ss / float64(n))
}

// placeboSet is the estimator run on every area of a donor pool as if it
// had been reorganised at vesting index v, with the rest as its donors.
type placeboSet struct {
	names []string
	fits  []scFit
}

func runPlacebos(pool []logSeries, v int, opt EvidenceOptions, est Estimator) *placeboSet {
	ps := &placeboSet{}
	others := make([]logSeries, 0, len(pool))
	for j := range pool {
		others = others[:0]
		others = append(others, pool[:j]...)
		others = append(others, pool[j+1:]...)
		f := fitUnit(pool[j], others, v, opt, est)
		if !f.ok {
			continue
		}
		ps.names = append(ps.names, pool[j].name)
		ps.fits = append(ps.fits, f)
	}
	return ps
}

// errorsAt returns the placebo gaps at panel year t (those with values).
func (ps *placeboSet) errorsAt(t int) []float64 {
	var e []float64
	for _, f := range ps.fits {
		if !math.IsNaN(f.gap[t]) {
			e = append(e, f.gap[t])
		}
	}
	return e
}

// placeboScale is how much wider than the placebo areas' errors a unit's
// errors are taken to be, from its own pre-vesting fit: max(1, RMSPE_pre /
// rms of the placebos' RMSPE_pre) where at least 4 pre-vesting years were
// fitted, else 1. A unit that fitted its pre-vesting years worse than the
// placebos typically did gets a proportionally wider interval (Abadie,
// Diamond & Hainmueller 2010 read the post/pre RMSPE ratio the same way);
// one that fitted as well or better keeps the placebo width, never a
// narrower one (a close pre-vesting fit is not a promise of a close fit
// after vesting). With fewer than 4 fitted years (the 2009 wave: two, one
// after demeaning) an exact fit of one point says nothing about the
// spread: no scaling, and the effects carry FlagFewPreYears. Measured on
// leave-one-out placebos (docs/EVIDENCE.md): the unscaled 95% intervals of
// the placebo areas fitted worse than 90% of the others covered 0 in as few
// as 80% of years in a pool (80-100% across pools); scaled, 98-100%, and
// 93-99% over all placebo areas.
func placeboScale(f scFit, ps *placeboSet) float64 {
	if len(f.pre) < 4 || len(ps.fits) == 0 {
		return 1
	}
	ss := 0.0
	for _, pf := range ps.fits {
		ss += pf.preRMSPE * pf.preRMSPE
	}
	rms := math.Sqrt(ss / float64(len(ps.fits)))
	if !(rms > 0) {
		return 1
	}
	return math.Max(1, f.preRMSPE/rms)
}

// placeboInference gives the interval, p-value and MDE of a gap g (log
// points) from placebo gaps e, each widened by scale (placeboScale): with
// e' = scale·e, p is the rank of |g| among |e'|; the 95% interval is g ±
// t(0.975, N−1)·rms(e')·√(1+1/N), the prediction interval of a new error
// with the (scaled) placebos' spread about zero; the MDE is (t(0.975, N−1)
// + t(0.8, N−1))·rms(e')·√(1+1/N), all in log points.
func placeboInference(g float64, e []float64, scale float64) (lo, hi, p, mde float64) {
	n := len(e)
	if n < 2 {
		return math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	ss, above := 0.0, 0
	for _, x := range e {
		x *= scale
		ss += x * x
		if math.Abs(x) >= math.Abs(g) {
			above++
		}
	}
	rms := math.Sqrt(ss / float64(n))
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}
	se := rms * math.Sqrt(1+1/float64(n))
	q := st.Quantile(0.975)
	return g - q*se, g + q*se, float64(1+above) / float64(1+n), (q + st.Quantile(0.8)) * se
}

func quantileSorted(s []float64, p float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	h := p * float64(len(s)-1)
	i := int(math.Floor(h))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}

// frac turns a log gap into a fraction of the counterfactual.
func frac(g float64) float64 { return math.Expm1(g) }

// successorDef is one successor as the analysis sees it.
type successorDef struct {
	name, ecode, level string
	vesting            int
	preds              []string
}

func (d *outturnData) successors() []successorDef {
	var out []successorDef
	seen := map[string]int{}
	for _, l := range d.links {
		i, ok := seen[l.successorEcode]
		if !ok {
			level := "unitary"
			if c := d.councils[l.successorEcode]; c != nil && c.class == "SD" {
				level = "district"
			}
			seen[l.successorEcode] = len(out)
			out = append(out, successorDef{name: l.successor, ecode: l.successorEcode, level: level, vesting: l.vesting})
			i = len(out) - 1
		}
		p := l.predecessor
		if l.split < 1 {
			p = fmt.Sprintf("%s (%.4f)", p, l.split)
		}
		out[i].preds = append(out[i].preds, p)
	}
	return out
}

// AnalyseEvidence measures the effect of every reorganisation in
// reorganisations.csv on both outcomes by both estimators, with placebo
// inference, and pools the effects by wave (docs/EVIDENCE.md). It reads
// only the embedded data and is deterministic.
func AnalyseEvidence(opt EvidenceOptions) (*Evidence, error) {
	opt = opt.withDefaults()
	d, err := loadOutturnData()
	if err != nil {
		return nil, err
	}
	return analyse(d, opt)
}

type poolKey struct {
	level string
	o     EffectOutcome
	v     int
}

type placeboKey struct {
	poolKey
	est Estimator
}

// analysis holds the cached donor pools and placebo runs.
type analysis struct {
	d        *outturnData
	opt      EvidenceOptions
	pools    map[poolKey][]logSeries
	placebos map[placeboKey]*placeboSet
}

func (a *analysis) pool(k poolKey) []logSeries {
	if p, ok := a.pools[k]; ok {
		return p
	}
	lo := max(0, k.v-a.opt.PreYears)
	var units []unitSeries
	if k.level == "district" {
		units = a.d.districtUnits(k.o, lo, nOutturnYears-1)
	} else {
		units = a.d.countyAreas(k.o, lo, nOutturnYears-1)
	}
	// A unit with no positive value in a pre-vesting year (outside
	// 2020-22) cannot be a donor: its log is undefined.
	var p []logSeries
	for _, u := range units {
		l := toLog(u)
		ok := true
		for t := lo; t < k.v; t++ {
			ok = ok && (covidYear(t) || !math.IsNaN(l.v[t]))
		}
		if ok {
			p = append(p, l)
		}
	}
	a.pools[k] = p
	return p
}

func (a *analysis) placebo(k placeboKey) *placeboSet {
	if p, ok := a.placebos[k]; ok {
		return p
	}
	p := runPlacebos(a.pool(k.poolKey), k.v, a.opt, k.est)
	a.placebos[k] = p
	return p
}

// preTrend runs the in-time placebo of a successor's series y (vesting
// index v): vesting moved to v − PreTrendYears, with its own donor pool
// and placebos at that date.
func (a *analysis) preTrend(y logSeries, level string, o EffectOutcome, v int, est Estimator) *PreTrendCheck {
	fv := v - PreTrendYears
	if fv <= 0 {
		return nil
	}
	pk := poolKey{level, o, fv}
	f := fitUnit(y, a.pool(pk), fv, a.opt, est)
	if !f.ok || len(f.pre) < 4 {
		return nil
	}
	var ts []int
	for t := fv; t < v; t++ {
		ts = append(ts, t)
	}
	g := meanAt(f.gap[:], ts)
	if math.IsNaN(g) {
		return nil
	}
	above, n := 0, 0
	for _, pf := range a.placebo(placeboKey{pk, est}).fits {
		if x := meanAt(pf.gap[:], ts); !math.IsNaN(x) {
			n++
			if math.Abs(x) >= math.Abs(g) {
				above++
			}
		}
	}
	if n == 0 {
		return nil
	}
	return &PreTrendCheck{FalseVesting: firstOutturnYear + fv, Effect: frac(g), P: float64(1+above) / float64(1+n), PreYearsFitted: len(f.pre)}
}

func analyse(d *outturnData, opt EvidenceOptions) (*Evidence, error) {
	a := &analysis{d: d, opt: opt, pools: map[poolKey][]logSeries{}, placebos: map[placeboKey]*placeboSet{}}
	ev := &Evidence{DataSHA256: d.hash, Options: opt}
	members := map[string][]member{} // wave|outcome|estimator
	for _, s := range d.successors() {
		v := s.vesting - firstOutturnYear
		se := SuccessorEvidence{Successor: s.name, Ecode: s.ecode, Wave: waveOf(s.vesting, s.level), VestingYear: s.vesting, Level: s.level, Predecessors: s.preds}
		for _, o := range Outcomes {
			var raw unitSeries
			raw.name, raw.ecode = s.name, s.ecode
			raw.v = d.successorSeries(s.ecode, o)
			y := toLog(raw)
			pk := poolKey{s.level, o, v}
			donors := a.pool(pk)
			se.Donors = len(donors)
			for _, est := range Estimators {
				f := fitUnit(y, donors, v, opt, est)
				if !f.ok {
					return nil, fmt.Errorf("%s: no pre-vesting years to fit %s", s.name, o)
				}
				ps := a.placebo(placeboKey{pk, est})
				fitCopy := f
				members[se.Wave+"|"+string(o)+"|"+string(est)] = append(members[se.Wave+"|"+string(o)+"|"+string(est)], member{&fitCopy, ps, v})
				of := OutcomeFit{Outcome: o, Estimator: est, PreRMSPE: f.preRMSPE}
				for _, t := range f.pre {
					of.PreYears = append(of.PreYears, FinancialYearLabel(firstOutturnYear+t))
				}
				var pre, ratios []float64
				for _, pf := range ps.fits {
					pre = append(pre, pf.preRMSPE)
					ratios = append(ratios, pf.postRMSPE(v)/math.Max(pf.preRMSPE, 1e-12))
				}
				sort.Float64s(pre)
				of.PlaceboPreRMSPE50 = quantileSorted(pre, 0.5)
				of.PlaceboPreRMSPE90 = quantileSorted(pre, 0.9)
				of.PoorFit = f.preRMSPE > of.PlaceboPreRMSPE90
				of.IntervalScale = placeboScale(f, ps)
				if len(f.pre) >= 4 {
					r := f.postRMSPE(v) / math.Max(f.preRMSPE, 1e-12)
					above := 0
					for _, x := range ratios {
						if x >= r {
							above++
						}
					}
					of.RatioP = float64(1+above) / float64(1+len(ratios))
				}
				if est == EstimatorSC {
					for j, w := range f.weights {
						if w >= 0.005 {
							of.Weights = append(of.Weights, DonorWeight{donors[j].name, w})
						}
					}
					sort.SliceStable(of.Weights, func(i, j int) bool { return of.Weights[i].Weight > of.Weights[j].Weight })
				}
				fitted := map[int]bool{}
				for _, t := range f.pre {
					fitted[t] = true
				}
				for t := 0; t < nOutturnYears; t++ {
					if math.IsNaN(y.v[t]) || math.IsNaN(f.cf[t]) {
						continue
					}
					of.Series = append(of.Series, YearPoint{Year: t - v + 1, FinancialYear: FinancialYearLabel(firstOutturnYear + t),
						Actual: 1000 * math.Exp(y.v[t]), Counterfactual: 1000 * math.Exp(f.cf[t]), Fitted: fitted[t]})
				}
				for t := v; t < nOutturnYears; t++ {
					if math.IsNaN(f.gap[t]) {
						continue
					}
					e := ps.errorsAt(t)
					lo, hi, p, mde := placeboInference(f.gap[t], e, of.IntervalScale)
					var gaps []PlaceboGap
					for i, pf := range ps.fits {
						if !math.IsNaN(pf.gap[t]) {
							gaps = append(gaps, PlaceboGap{ps.names[i], of.IntervalScale * pf.gap[t]})
						}
					}
					flags := append([]string(nil), f.flags[t]...)
					if covidYear(t) {
						flags = append(flags, FlagCovid)
					}
					if of.PoorFit {
						flags = append(flags, FlagPoorPreFit)
					}
					if len(f.pre) < 4 {
						flags = append(flags, FlagFewPreYears)
					}
					of.Effects = append(of.Effects, MeasuredEffect{Successor: s.name, Ecode: s.ecode, Wave: se.Wave, VestingYear: s.vesting,
						Year: t - v + 1, FinancialYear: FinancialYearLabel(firstOutturnYear + t), Outcome: o, Estimator: est,
						Effect: frac(f.gap[t]), Lo: frac(lo), Hi: frac(hi), P: p, MDE: -frac(-mde),
						Actual: 1000 * math.Exp(y.v[t]), Counterfactual: 1000 * math.Exp(f.cf[t]), Placebos: len(e), Flags: flags, Kind: KindMeasured,
						PlaceboGaps: gaps})
				}
				of.PreTrend = a.preTrend(y, s.level, o, v, est)
				se.Fits = append(se.Fits, of)
			}
		}
		ev.Successors = append(ev.Successors, se)
	}
	// Pooled by wave.
	for _, w := range evidenceWaves {
		for _, o := range Outcomes {
			for _, est := range Estimators {
				ev.Waves = append(ev.Waves, poolWave(members[w+"|"+string(o)+"|"+string(est)], w, o, est, opt)...)
			}
		}
	}
	// Benchmark: established unitaries against the two-tier donors from
	// the 2009 and 2023 vesting dates, pooled like a wave.
	for _, vy := range []int{2009, 2023} {
		v := vy - firstOutturnYear
		for _, o := range Outcomes {
			pk := poolKey{"unitary", o, v}
			donors := a.pool(pk)
			for _, est := range Estimators {
				ps := a.placebo(placeboKey{pk, est})
				var ms []member
				for _, u := range d.establishedUnitaries(o) {
					f := fitUnit(toLog(u), donors, v, opt, est)
					if f.ok {
						ms = append(ms, member{&f, ps, v})
					}
				}
				name := fmt.Sprintf("established unitaries, from %d", vy)
				for _, we := range poolWave(ms, name, o, est, opt) {
					we.Benchmark = true
					ev.Waves = append(ev.Waves, we)
				}
			}
		}
	}
	return ev, nil
}

// member is one unit of a pooled wave: its fit, its placebo set and its
// vesting index.
type member struct {
	fit *scFit
	ps  *placeboSet
	v   int
}

// poolWave pools members' log gaps by year since vesting (and over years
// 1 to 5) with pooled's placebo distribution.
func poolWave(ms []member, w string, o EffectOutcome, est Estimator, opt EvidenceOptions) []WaveEffect {
	if len(ms) == 0 {
		return nil
	}
	var out []WaveEffect
	maxK := 0
	for _, m := range ms {
		maxK = max(maxK, nOutturnYears-m.v)
	}
	ks := [][]int{}
	for k := 1; k <= maxK; k++ {
		ks = append(ks, []int{k})
	}
	ks = append(ks, []int{1, 2, 3, 4, 5})
	for i, K := range ks {
		gaps := make([]memberGaps, 0, len(ms))
		last := 0 // the last year since vesting with a value
		for _, m := range ms {
			mg := memberGaps{obs: math.NaN()}
			var ts []int
			for _, k := range K {
				if t := m.v + k - 1; t < nOutturnYears && !math.IsNaN(m.fit.gap[t]) {
					ts = append(ts, t)
				}
			}
			if len(ts) == 0 {
				continue
			}
			last = max(last, ts[len(ts)-1]-m.v+1)
			mg.obs = meanAt(m.fit.gap[:], ts)
			for _, pf := range m.ps.fits {
				if x := meanAt(pf.gap[:], ts); !math.IsNaN(x) {
					mg.placebo = append(mg.placebo, x)
				}
			}
			if len(mg.placebo) < 2 {
				continue
			}
			for _, t := range ts {
				if covidYear(t) && !contains(mg.flags, FlagCovid) {
					mg.flags = append(mg.flags, FlagCovid)
				}
			}
			gaps = append(gaps, mg)
		}
		if len(gaps) == 0 {
			continue
		}
		np := 0.0
		for _, g := range gaps {
			np += float64(len(g.placebo))
		}
		np /= float64(len(gaps))
		widen := math.Sqrt(1 + float64(len(gaps))/np)
		we := pooled(gaps, opt.PooledDraws, widen, uint64(i+1), hashString(w+string(o)+string(est)))
		we.Wave, we.Outcome, we.Estimator = w, o, est
		if len(K) == 1 {
			we.Year, we.Years = K[0], fmt.Sprint(K[0])
		} else {
			we.Year, we.Years = 0, fmt.Sprintf("%d-%d", K[0], last) // "1-2" where only two years exist
			if last == K[0] {
				we.Years = fmt.Sprint(last)
			}
		}
		out = append(out, we)
	}
	return out
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func meanAt(g []float64, ts []int) float64 {
	s := 0.0
	for _, t := range ts {
		if math.IsNaN(g[t]) {
			return math.NaN()
		}
		s += g[t]
	}
	return s / float64(len(ts))
}

// memberGaps is one successor's observed gap statistic and its placebo
// areas' values of the same statistic.
type memberGaps struct {
	obs     float64
	placebo []float64
	flags   []string
}

// hashString is FNV-1a, to key a wave's fixed random stream.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// pooled is the wave's mean gap with its placebo distribution: draws of
// the mean of one placebo value per member (each from its own pool, drawn
// from a fixed PCG stream so results are reproducible without a seed).
// The test is equal-tailed: p is twice the smaller share of draws on
// either side of the observed mean (counting the observed mean among the
// K = Π N_i possible ones); the 95% interval inverts it (observed minus the
// 97.5th and 2.5th percentiles of the draws), so it excludes 0 exactly when
// p < 0.05, and a placebo distribution not centred on 0 (the estimator's
// bias among untreated areas) shifts the interval, not only the p-value;
// the MDE is the smallest reduction the test detects in 80% of draws. Each
// draw's distance from the placebos' mean is multiplied by widen
// (poolWave: √(1 + m/N)): the draws treat the members' errors as
// independent, but members fitted to one donor pool share the donors' own
// noise, which does not average out over members. For DiD with m treated
// and N exchangeable areas the mean gap's variance is σ²(1/m + 1/N),
// against σ²/m in the independent draws.
func pooled(ms []memberGaps, draws int, widen float64, s1, s2 uint64) WaveEffect {
	obs, centre := 0.0, 0.0
	var flags []string
	for _, m := range ms {
		obs += m.obs
		c := 0.0
		for _, x := range m.placebo {
			c += x
		}
		centre += c / float64(len(m.placebo))
		for _, f := range m.flags {
			if !contains(flags, f) {
				flags = append(flags, f)
			}
		}
	}
	obs /= float64(len(ms))
	centre /= float64(len(ms))
	r := rand.New(rand.NewPCG(s1, s2))
	null := make([]float64, draws)
	below, above := 0, 0
	for i := range null {
		s := 0.0
		for _, m := range ms {
			s += m.placebo[r.IntN(len(m.placebo))]
		}
		null[i] = centre + widen*(s/float64(len(ms))-centre)
		if null[i] <= obs {
			below++
		}
		if null[i] >= obs {
			above++
		}
	}
	sort.Float64s(null)
	qlo, qhi := quantileSorted(null, 0.025), quantileSorted(null, 0.975)
	// power(δ): the share of draws e with e − δ outside [qlo, qhi], the
	// chance that a true reduction of δ (log points) is detected.
	power := func(delta float64) float64 {
		n := sort.SearchFloat64s(null, qlo+delta) + draws - sort.SearchFloat64s(null, math.Nextafter(qhi+delta, math.Inf(1)))
		return float64(n) / float64(draws)
	}
	lo, hi := 0.0, 10*(qhi-qlo)+1e-9
	for range 60 {
		mid := (lo + hi) / 2
		if power(mid) >= 0.8 {
			hi = mid
		} else {
			lo = mid
		}
	}
	// Equal-tailed p, consistent with the interval: twice the smaller tail
	// share. The placebo means take at most K = Π N_i distinct values, so
	// the observed mean ranks among K+1: p = (1 + K·share)/(1 + K), at
	// least 1/(N+1) for one member and the draws' share for many.
	K := 1.0
	for _, m := range ms {
		K = math.Min(K*float64(len(m.placebo)), 1e15)
	}
	share := math.Min(1, 2*float64(min(below, above))/float64(draws))
	return WaveEffect{Members: len(ms), Effect: frac(obs), Lo: frac(obs - qhi), Hi: frac(obs - qlo),
		P: math.Min(1, (1+K*share)/(1+K)), MDE: -frac(-hi), Flags: flags}
}
