package calibration

import (
	"math"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestOutturnPanelSpotValues checks the embedded panel against the spot
// values read from MHCLG's workbooks by cell, the six marked * in
// calibration/data/README.md ("Spot values", e.g. 2008-09 Cornwall CC TSE
// 723,586).
func TestOutturnPanelSpotValues(t *testing.T) {
	d, err := loadOutturnData()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, ecode, year string
		line              int
		want              float64
	}{
		{"Cornwall CC TSE", "E0820", "2008-09", lnTSE, 723586},
		{"Wiltshire UA education", "E3902", "2017-18", lnEducation, 221949},
		{"Wiltshire UA TSE", "E3902", "2017-18", lnTSE, 571205},
		{"Somerset education", "E3301", "2024-25", lnEducation, 338075},
		{"Somerset TSE", "E3301", "2024-25", lnTSE, 1010090.7},
		{"Cornwall UA public health", "E0801", "2013-14", lnPublicHealth, 18111},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := d.councils[c.ecode].val[c.line][yearIndex(c.year)]
			if math.Abs(got-c.want) > 1e-6 {
				t.Errorf("%s %s: got %v, want %v", c.ecode, c.year, got, c.want)
			}
		})
	}
	if n := len(d.successors()); n != 21 {
		t.Errorf("successors: got %d, want 21", n)
	}
	if len(d.links) != 97 {
		t.Errorf("links: got %d, want 97", len(d.links))
	}
	// Split shares of each county add to 1.
	shares := map[string]float64{}
	for _, l := range d.links {
		if l.split < 1 {
			shares[l.predEcode] += l.split
		}
	}
	for e, s := range shares {
		if math.Abs(s-1) > 1e-9 {
			t.Errorf("%s: split shares add to %v", e, s)
		}
	}
	// No return: Westmorland and Furness 2023-24 is missing, not zero.
	if v := d.councils["E0902"].outcome(OutcomeCoreServices, yearIndex("2023-24")); !math.IsNaN(v) {
		t.Errorf("Westmorland and Furness 2023-24: got %v, want missing", v)
	}
}

// TestSuccessorSeriesSplitAndRecursion checks the pre-vesting series of a
// split county's successor and of Somerset (whose predecessor Somerset
// West and Taunton was itself formed in 2019) against sums by hand.
func TestSuccessorSeriesSplitAndRecursion(t *testing.T) {
	d, err := loadOutturnData()
	if err != nil {
		t.Fatal(err)
	}
	y := yearIndex("2008-09")
	c := func(e string) float64 { return d.councils[e].outcome(OutcomeCoreServices, y) }
	want := 0.5290*c("E0621") + c("E0632") + c("E0633") + c("E0636")
	if got := d.successorSeries("E0603", OutcomeCoreServices)[y]; math.Abs(got-want) > 1e-6 {
		t.Errorf("Cheshire East 2008-09: got %v, want %v", got, want)
	}
	y = yearIndex("2017-18")
	c = func(e string) float64 { return d.councils[e].outcome(OutcomeMergerLines, y) }
	want = c("E3320") + c("E3331") + c("E3332") + c("E3334") + c("E3333") + c("E3335")
	if got := d.successorSeries("E3301", OutcomeMergerLines)[y]; math.Abs(got-want) > 1e-6 {
		t.Errorf("Somerset 2017-18: got %v, want %v", got, want)
	}
}

// exactSimplexLS solves SimplexLS's problem by enumerating every support
// S: on S the minimiser of the equality-constrained quadratic solves the
// KKT system [2G_S 1; 1ᵀ 0][w; ν] = [2c_S; 1], with G = XXᵀ/T + ridge·I
// and c = Xy/T; the best feasible one (w ≥ 0) is the answer. Independent
// of SimplexLS's two solvers; for small n only.
func exactSimplexLS(X [][]float64, y []float64, ridge float64) ([]float64, float64) {
	n, T := len(X), len(y)
	best, bestW := math.Inf(1), []float64(nil)
	for mask := 1; mask < 1<<n; mask++ {
		var S []int
		for j := 0; j < n; j++ {
			if mask&(1<<j) != 0 {
				S = append(S, j)
			}
		}
		k := len(S)
		A := mat.NewDense(k+1, k+1, nil)
		b := mat.NewVecDense(k+1, nil)
		for a, i := range S {
			for c, j := range S {
				g := 0.0
				for t := 0; t < T; t++ {
					g += X[i][t] * X[j][t]
				}
				g /= float64(T)
				if a == c {
					g += ridge
				}
				A.Set(a, c, 2*g)
			}
			A.Set(a, k, 1)
			A.Set(k, a, 1)
			cy := 0.0
			for t := 0; t < T; t++ {
				cy += X[i][t] * y[t]
			}
			b.SetVec(a, 2*cy/float64(T))
		}
		b.SetVec(k, 1)
		var sol mat.VecDense
		if err := sol.SolveVec(A, b); err != nil {
			continue
		}
		w := make([]float64, n)
		ok := true
		for a, j := range S {
			w[j] = sol.AtVec(a)
			ok = ok && w[j] >= -1e-12
		}
		if !ok {
			continue
		}
		if f := slsObjective(X, y, ridge, w, make([]float64, T)); f < best {
			best, bestW = f, w
		}
	}
	return bestW, best
}

func TestSimplexLSAgainstEnumeration(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11)) // seed 7, 11
	for trial := 0; trial < 60; trial++ {
		n, T := 2+r.IntN(5), 1+r.IntN(5)
		ridge := []float64{1e-6, 1e-3, 0.1}[trial%3]
		X := make([][]float64, n)
		for j := range X {
			X[j] = make([]float64, T)
			for t := range X[j] {
				X[j][t] = 0.05 * r.NormFloat64()
			}
		}
		y := make([]float64, T)
		for t := range y {
			y[t] = 0.05 * r.NormFloat64()
		}
		wantW, wantF := exactSimplexLS(X, y, ridge)
		for name, solve := range map[string]func() ([]float64, float64){
			"SimplexLS": func() ([]float64, float64) { return SimplexLS(X, y, ridge) },
			"FISTA":     func() ([]float64, float64) { return simplexLSFISTA(X, y, ridge) },
		} {
			w, f := solve()
			if math.Abs(f-wantF) > 1e-10*(1+wantF) {
				t.Errorf("trial %d (n=%d T=%d ridge=%g) %s: objective %v, enumeration %v", trial, n, T, ridge, name, f, wantF)
			}
			sum := 0.0
			for j := range w {
				sum += w[j]
				// Weights are unique (strictly convex); their accuracy is
				// that of the objective over the ridge's curvature.
				if tol := math.Sqrt(1e-10 * (1 + wantF) / ridge); math.Abs(w[j]-wantW[j]) > tol+1e-7 {
					t.Errorf("trial %d %s: w[%d] = %v, enumeration %v", trial, name, j, w[j], wantW[j])
				}
				if w[j] < 0 {
					t.Errorf("trial %d %s: negative weight %v", trial, name, w[j])
				}
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("trial %d %s: weights add to %v", trial, name, sum)
			}
		}
	}
}

// TestSimplexLSNewtonMatchesFISTA checks the two solvers on the real
// donor pools (162 districts, 20 counties): weights to 1e-8.
func TestSimplexLSNewtonMatchesFISTA(t *testing.T) {
	d, err := loadOutturnData()
	if err != nil {
		t.Fatal(err)
	}
	opt := EvidenceOptions{}.withDefaults()
	a := &analysis{d: d, opt: opt, pools: map[poolKey][]logSeries{}, placebos: map[placeboKey]*placeboSet{}}
	for _, k := range []poolKey{{"unitary", OutcomeMergerLines, 12}, {"unitary", OutcomeCoreServices, 16}, {"district", OutcomeMergerLines, 12}} {
		pool := a.pool(k)
		for _, j := range []int{0, 5} {
			y := pool[j]
			var pre []int
			for tt := k.v - opt.PreYears; tt < k.v; tt++ {
				if !covidYear(tt) {
					pre = append(pre, tt)
				}
			}
			demean := func(s logSeries) []float64 {
				m := 0.0
				for _, tt := range pre {
					m += s.v[tt]
				}
				m /= float64(len(pre))
				out := make([]float64, len(pre))
				for i, tt := range pre {
					out[i] = s.v[tt] - m
				}
				return out
			}
			var X [][]float64
			for i := range pool {
				if i != j {
					X = append(X, demean(pool[i]))
				}
			}
			wn, ok := simplexLSNewton(X, demean(y), opt.Ridge)
			if !ok {
				t.Fatalf("%v donor %d: Newton did not converge", k, j)
			}
			wf, _ := simplexLSFISTA(X, demean(y), opt.Ridge)
			for i := range wn {
				if math.Abs(wn[i]-wf[i]) > 1e-8 {
					t.Errorf("%v donor %d: w[%d] Newton %v, FISTA %v", k, j, i, wn[i], wf[i])
				}
			}
		}
	}
}

// plantedCoverage plants effect (a fraction, e.g. −0.05) from vesting
// index v on in each area of the county pool in turn, estimates it with
// the other areas as donors and placebos, and returns the share of years
// 1 to 5 whose 95% interval covers the planted effect.
func plantedCoverage(t *testing.T, a *analysis, o EffectOutcome, v int, est Estimator, effect float64) (covered, n int) {
	t.Helper()
	pool := a.pool(poolKey{"unitary", o, v})
	for j := range pool {
		y := pool[j]
		for tt := v; tt < nOutturnYears; tt++ {
			y.v[tt] += math.Log1p(effect)
		}
		rest := append(append([]logSeries{}, pool[:j]...), pool[j+1:]...)
		f := fitUnit(y, rest, v, a.opt, est)
		ps := runPlacebos(rest, v, a.opt, est)
		for tt := v; tt < min(v+5, nOutturnYears); tt++ {
			if math.IsNaN(f.gap[tt]) {
				continue
			}
			lo, hi, _, _ := placeboInference(f.gap[tt], ps.errorsAt(tt), placeboScale(f, ps))
			n++
			if frac(lo) <= effect && effect <= frac(hi) {
				covered++
			}
		}
	}
	return covered, n
}

// TestEvidencePlantedEffect plants −5% in each untreated county area at a
// false vesting date (2013, 2015, 2017) and checks that its 95% interval
// recovers it about as often as the nominal rate, by both estimators and
// for both outcomes; with no effect planted the same intervals cover 0 at
// the same rate (the estimator is linear in the treated series, so this is
// the no-effect coverage check over placebo areas too).
func TestEvidencePlantedEffect(t *testing.T) {
	d, err := loadOutturnData()
	if err != nil {
		t.Fatal(err)
	}
	a := &analysis{d: d, opt: EvidenceOptions{}.withDefaults(), pools: map[poolKey][]logSeries{}, placebos: map[placeboKey]*placeboSet{}}
	for _, est := range Estimators {
		for _, o := range Outcomes {
			for _, effect := range []float64{-0.05, 0} {
				cov, n := 0, 0
				for _, v := range []int{6, 8, 10} {
					c, m := plantedCoverage(t, a, o, v, est, effect)
					cov += c
					n += m
				}
				// Nominal 95%; with about 300 intervals (correlated within an
				// area) accept 85% to 100%.
				rate := float64(cov) / float64(n)
				t.Logf("%s %s planted %+.2f: %d of %d intervals cover (%.1f%%)", est, o, effect, cov, n, 100*rate)
				if n < 200 || rate < 0.85 {
					t.Errorf("%s %s planted %+.2f: coverage %d of %d (%.1f%%), want at least 85%%", est, o, effect, cov, n, 100*rate)
				}
			}
		}
	}
}

// TestEvidencePlantedRecovered plants −5% in one untreated area
// (Hertfordshire) from a false vesting in 2015 and checks that each
// year's estimate moves by exactly log(0.95) against the unplanted run and
// that its interval covers −5%.
func TestEvidencePlantedRecovered(t *testing.T) {
	d, err := loadOutturnData()
	if err != nil {
		t.Fatal(err)
	}
	opt := EvidenceOptions{}.withDefaults()
	a := &analysis{d: d, opt: opt, pools: map[poolKey][]logSeries{}, placebos: map[placeboKey]*placeboSet{}}
	v := 2015 - firstOutturnYear
	pool := a.pool(poolKey{"unitary", OutcomeCoreServices, v})
	j := -1
	for i, p := range pool {
		if p.name == "Hertfordshire" {
			j = i
		}
	}
	if j < 0 {
		t.Fatal("Hertfordshire not in the donor pool")
	}
	rest := append(append([]logSeries{}, pool[:j]...), pool[j+1:]...)
	base := fitUnit(pool[j], rest, v, opt, EstimatorSC)
	y := pool[j]
	for tt := v; tt < nOutturnYears; tt++ {
		y.v[tt] += math.Log(0.95)
	}
	f := fitUnit(y, rest, v, opt, EstimatorSC)
	ps := runPlacebos(rest, v, opt, EstimatorSC)
	for tt := v; tt < v+5; tt++ {
		if d := f.gap[tt] - base.gap[tt]; math.Abs(d-math.Log(0.95)) > 1e-12 {
			t.Errorf("%s: planted gap moved by %v, want %v", FinancialYearLabel(firstOutturnYear+tt), d, math.Log(0.95))
		}
		lo, hi, _, _ := placeboInference(f.gap[tt], ps.errorsAt(tt), placeboScale(f, ps))
		if !(frac(lo) <= -0.05 && -0.05 <= frac(hi)) {
			t.Errorf("%s: interval [%.3f, %.3f] misses the planted -5%%", FinancialYearLabel(firstOutturnYear+tt), frac(lo), frac(hi))
		}
	}
}

// TestEvidenceFitQuality checks what AnalyseEvidence reports about
// pre-vesting fit: a finite RMSPE for every successor, outcome and
// estimator; the synthetic control fits the fitted years at least as well
// as difference-in-differences (its weights minimise the pre-vesting error
// over a set that contains DiD's equal weights, up to the ridge term
// ridge/n); the poor-fit flag follows its rule; every effect is measured,
// p in (0, 1] and Lo ≤ Effect ≤ Hi.
func TestEvidenceFitQuality(t *testing.T) {
	ev, err := DefaultEvidence()
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Successors) != 21 {
		t.Fatalf("successors: got %d, want 21", len(ev.Successors))
	}
	for _, s := range ev.Successors {
		rm := map[Estimator]float64{}
		for _, f := range s.Fits {
			if !(f.PreRMSPE >= 0) || math.IsInf(f.PreRMSPE, 0) || math.IsNaN(f.PlaceboPreRMSPE90) {
				t.Errorf("%s %s %s: pre-vesting RMSPE %v, placebo P90 %v", s.Successor, f.Outcome, f.Estimator, f.PreRMSPE, f.PlaceboPreRMSPE90)
			}
			if f.PoorFit != (f.PreRMSPE > f.PlaceboPreRMSPE90) {
				t.Errorf("%s %s %s: poor fit flag %v for RMSPE %v against P90 %v", s.Successor, f.Outcome, f.Estimator, f.PoorFit, f.PreRMSPE, f.PlaceboPreRMSPE90)
			}
			if f.Outcome == OutcomeCoreServices {
				rm[f.Estimator] = f.PreRMSPE
			}
			// The in-time placebo exists exactly where vesting can move back
			// 3 years and leave 4 to fit: every wave but 2009.
			if (f.PreTrend != nil) != (s.VestingYear > 2009) {
				t.Errorf("%s %s %s: in-time placebo %+v", s.Successor, f.Outcome, f.Estimator, f.PreTrend)
			} else if pt := f.PreTrend; pt != nil && (pt.FalseVesting != s.VestingYear-PreTrendYears || !(pt.P > 0 && pt.P <= 1) || pt.PreYearsFitted < 4) {
				t.Errorf("%s %s %s: in-time placebo %+v", s.Successor, f.Outcome, f.Estimator, *pt)
			}
			for _, e := range f.Effects {
				if e.Kind != KindMeasured || !(e.P > 0 && e.P <= 1) || !(e.Lo <= e.Effect && e.Effect <= e.Hi) || !(e.MDE > 0) {
					t.Errorf("%s %s %s year %d: %+v", s.Successor, f.Outcome, f.Estimator, e.Year, e)
				}
			}
		}
		sc, did := rm[EstimatorSC], rm[EstimatorDiD]
		if sc*sc > did*did+ev.Options.Ridge+1e-12 {
			t.Errorf("%s: synthetic control pre-RMSPE %v above DiD's %v", s.Successor, sc, did)
		}
	}
	waves := map[string]int{}
	for _, w := range ev.Waves {
		// The pooled interval inverts the pooled test: it excludes 0 when p
		// is below 5% (away from the boundary, where draws and the rank
		// correction can differ).
		if excl := w.Lo > 0 || w.Hi < 0; (w.P < 0.04 && !excl) || (w.P > 0.06 && excl) {
			t.Errorf("%s %s %s years %s: p %v but interval [%v, %v]", w.Wave, w.Outcome, w.Estimator, w.Years, w.P, w.Lo, w.Hi)
		}
		if w.Year == 1 && w.Outcome == OutcomeCoreServices && w.Estimator == EstimatorSC && !w.Benchmark {
			waves[w.Wave] = w.Members
		}
	}
	want := map[string]int{"2009": 9, "2019 unitaries": 2, "2019 districts": 3, "2020-21": 3, "2023": 3}
	if !reflect.DeepEqual(waves, want) {
		t.Errorf("wave members in year 1: got %v, want %v (Westmorland and Furness made no 2023-24 return)", waves, want)
	}
}

// TestEvidenceDeterministic runs the analysis twice.
func TestEvidenceDeterministic(t *testing.T) {
	a, err := DefaultEvidence()
	if err != nil {
		t.Fatal(err)
	}
	b, err := AnalyseEvidence(EvidenceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs differ")
	}
}

// TestPooledAgainstEnumeration checks the pooled placebo p-value of a
// small wave against exact enumeration of every combination of one
// placebo per member.
func TestPooledAgainstEnumeration(t *testing.T) {
	ms := []memberGaps{
		{obs: -0.04, placebo: []float64{0.01, -0.02, 0.03, -0.05, 0.00, 0.02}},
		{obs: -0.01, placebo: []float64{-0.01, 0.04, -0.03, 0.02, 0.01}},
	}
	obs := (ms[0].obs + ms[1].obs) / 2
	below, above, total := 0, 0, 0
	var null []float64
	for _, a := range ms[0].placebo {
		for _, b := range ms[1].placebo {
			m := (a + b) / 2
			null = append(null, m)
			total++
			if m <= obs+1e-15 {
				below++
			}
			if m >= obs-1e-15 {
				above++
			}
		}
	}
	// The exact equal-tailed randomisation p-value: twice the smaller tail,
	// the observed mean ranked among the total possible placebo means.
	share := 2 * float64(min(below, above)) / float64(total)
	want := (1 + float64(total)*share) / float64(1+total)
	we := pooled(ms, 200000, 1, 1, 2)
	// Monte Carlo error of a share over 200,000 draws: 5 sd.
	if tol := 5 * float64(total) / float64(1+total) * 2 * math.Sqrt(share/2*(1-share/2)/200000); math.Abs(we.P-want) > tol {
		t.Errorf("pooled p: got %v, enumeration %v (tolerance %v)", we.P, want, tol)
	}
	sort.Float64s(null)
	if math.Abs(we.Effect-math.Expm1(obs)) > 1e-15 {
		t.Errorf("pooled effect: got %v, want %v", we.Effect, math.Expm1(obs))
	}
}

// TestPooledCoverage: with no effect planted, waves of 5 untreated county
// areas at false vesting dates (2013, 2015, 2017), each against the other
// areas as donors and placebos, get pooled 95% intervals (years 1 to 5 and
// year 3) that cover 0 about as often as nominal. Subsets drawn from a
// fixed stream (seed 20, 5).
func TestPooledCoverage(t *testing.T) {
	d, err := loadOutturnData()
	if err != nil {
		t.Fatal(err)
	}
	opt := EvidenceOptions{PooledDraws: 4000}.withDefaults()
	a := &analysis{d: d, opt: opt, pools: map[poolKey][]logSeries{}, placebos: map[placeboKey]*placeboSet{}}
	r := rand.New(rand.NewPCG(20, 5))
	for _, est := range Estimators {
		cov, n := 0, 0
		for _, o := range Outcomes {
			for _, v := range []int{6, 8, 10} {
				pool := a.pool(poolKey{"unitary", o, v})
				for rep := 0; rep < 12; rep++ {
					perm := r.Perm(len(pool))
					var treated, donors []logSeries
					for i, j := range perm {
						if i < 5 {
							treated = append(treated, pool[j])
						} else {
							donors = append(donors, pool[j])
						}
					}
					ps := runPlacebos(donors, v, opt, est)
					var ms []member
					for _, y := range treated {
						f := fitUnit(y, donors, v, opt, est)
						ms = append(ms, member{&f, ps, v})
					}
					for _, we := range poolWave(ms, "test", o, est, opt) {
						if we.Year != 0 && we.Year != 3 {
							continue
						}
						n++
						if we.Lo <= 0 && 0 <= we.Hi {
							cov++
						}
					}
				}
			}
		}
		rate := float64(cov) / float64(n)
		t.Logf("%s: %d of %d pooled intervals cover 0 (%.1f%%)", est, cov, n, 100*rate)
		if rate < 0.85 {
			t.Errorf("%s: pooled coverage %d of %d (%.1f%%), want at least 85%%", est, cov, n, 100*rate)
		}
	}
}

// BenchmarkAnalyseEvidence is the whole analysis: 21 successors, two
// outcomes, two estimators, their placebos and the pooled draws.
func BenchmarkAnalyseEvidence(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AnalyseEvidence(EvidenceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSimplexLS is one synthetic-control fit against the 161
// district donors over 8 pre-vesting years.
func BenchmarkSimplexLS(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4)) // seed 3, 4
	X := make([][]float64, 161)
	for j := range X {
		X[j] = make([]float64, 8)
		for t := range X[j] {
			X[j][t] = 0.05 * r.NormFloat64()
		}
	}
	y := make([]float64, 8)
	for t := range y {
		y[t] = 0.05 * r.NormFloat64()
	}
	b.ReportAllocs()
	for b.Loop() {
		SimplexLS(X, y, 1e-6)
	}
}

// TestEvidencePoorFitCovered plants −5% in every untreated county area that
// its placebos fit worse than 90% of them (pre-vesting RMSPE above their
// 90th percentile) at false vesting dates 2013, 2015 and 2017, and checks
// that its 95% intervals (widened by placeboScale) cover the planted
// effect about as often as nominal; unwidened, the same intervals covered
// it in 86% of years. Over every placebo area, with no effect planted, the
// widened intervals cover 0 near the nominal rate, not far above it.
func TestEvidencePoorFitCovered(t *testing.T) {
	d, err := loadOutturnData()
	if err != nil {
		t.Fatal(err)
	}
	a := &analysis{d: d, opt: EvidenceOptions{}.withDefaults(), pools: map[poolKey][]logSeries{}, placebos: map[placeboKey]*placeboSet{}}
	var poorCov, poorCovRaw, poorN, allCov, allN int
	for _, o := range Outcomes {
		for _, v := range []int{6, 8, 10} {
			pool := a.pool(poolKey{"unitary", o, v})
			for j := range pool {
				rest := append(append([]logSeries{}, pool[:j]...), pool[j+1:]...)
				ps := runPlacebos(rest, v, a.opt, EstimatorSC)
				var pre []float64
				for _, pf := range ps.fits {
					pre = append(pre, pf.preRMSPE)
				}
				sort.Float64s(pre)
				y := pool[j]
				base := fitUnit(y, rest, v, a.opt, EstimatorSC)
				scale := placeboScale(base, ps)
				poor := base.preRMSPE > quantileSorted(pre, 0.9)
				if poor && !(scale > 1) {
					t.Errorf("%s %s v%d: pre-vesting RMSPE %.4f above the placebos' P90 %.4f but scale %v", pool[j].name, o, v, base.preRMSPE, quantileSorted(pre, 0.9), scale)
				}
				for tt := v; tt < min(v+5, nOutturnYears); tt++ {
					if math.IsNaN(base.gap[tt]) {
						continue
					}
					e := ps.errorsAt(tt)
					lo, hi, _, _ := placeboInference(base.gap[tt], e, scale)
					allN++
					if lo <= 0 && 0 <= hi {
						allCov++
					}
					if !poor {
						continue
					}
					// Planting −5% moves the gap by exactly log(0.95) (the
					// estimator is linear in the treated series).
					g := base.gap[tt] + math.Log(0.95)
					lo, hi, _, _ = placeboInference(g, e, scale)
					rlo, rhi, _, _ := placeboInference(g, e, 1)
					poorN++
					if frac(lo) <= -0.05 && -0.05 <= frac(hi) {
						poorCov++
					}
					if frac(rlo) <= -0.05 && -0.05 <= frac(rhi) {
						poorCovRaw++
					}
				}
			}
		}
	}
	t.Logf("poorly fitted areas, -5%% planted: %d of %d intervals cover (%d unwidened); all placebo areas, nothing planted: %d of %d cover 0",
		poorCov, poorN, poorCovRaw, allCov, allN)
	if poorN < 40 || float64(poorCov) < 0.9*float64(poorN) {
		t.Errorf("poorly fitted areas: %d of %d intervals cover the planted -5%%, want at least 90%%", poorCov, poorN)
	}
	if rate := float64(allCov) / float64(allN); rate < 0.9 || rate > 0.99 {
		t.Errorf("placebo areas: %d of %d intervals cover 0 (%.1f%%), want 90%% to 99%% (nominal 95%%)", allCov, allN, 100*rate)
	}
}
