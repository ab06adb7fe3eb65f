package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// awkwardModel has outputs shaped to break bounded-memory selection: a
// continuous one, a heavy-tailed one spanning many binades and both signs,
// whole numbers with +Inf (a payback year), one with NaN and -Inf, a
// constant, and a continuous one with an atom at its median (a tenth of
// the trials equal 1, the median of the normal a).
func awkwardModel(t *testing.T) *Model {
	t.Helper()
	a, err := dist.NewNormal(1, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := dist.NewUniform(0, 1)
	return &Model{
		Inputs:  []Input{{"a", a}, {"b", b}},
		Outputs: []string{"y", "heavy", "payback", "holes", "const", "atom"},
		NewEval: func() EvalFunc {
			return func(in, out []float64) {
				out[0] = 1e7 * (in[0] + 2*in[1])
				out[1] = math.Exp(8*in[0]) * (in[1] - 0.3)
				out[2] = math.Floor(10 * in[1])
				if in[1] > 0.8 {
					out[2] = math.Inf(1)
				}
				out[3] = in[0]
				switch {
				case in[1] < 0.01:
					out[3] = math.NaN()
				case in[1] < 0.02:
					out[3] = math.Inf(-1)
				}
				out[4] = 42
				out[5] = in[0]
				if 0.45 < in[1] && in[1] < 0.55 {
					out[5] = 1
				}
			}
		},
	}
}

// TestSecondPassMatchesKeptDraws: percentiles, their intervals and the
// moments found in bounded memory are identical to those from the kept
// draws, at 200,000 trials, with the default collection budget (one
// collecting pass) and with a budget so low that every bucket must be
// split down to single values; and for 1 and 3 workers.
func TestSecondPassMatchesKeptDraws(t *testing.T) {
	m := awkwardModel(t)
	keep := []int{0, 1, 2, 3, 4}
	const n = 200_000
	kept, err := Run(context.Background(), m, Options{Iterations: n, Seed: 11, Keep: keep})
	if err != nil {
		t.Fatal(err)
	}
	sc := new(Scratch)
	for _, c := range []struct {
		name           string
		budget, passes int
		workers        int
	}{{"default budget", 0, 2, 1}, {"split to single values", 64, 0, 3}} {
		t.Run(c.name, func(t *testing.T) {
			b, err := Run(context.Background(), m, Options{Iterations: n, Seed: 11, Keep: keep, Workers: c.workers,
				Percentiles: SecondPass, CollectBytes: c.budget})
			if err != nil {
				t.Fatal(err)
			}
			if b.Kept != nil {
				t.Error("SecondPass kept draws")
			}
			if c.passes > 0 && b.Passes != c.passes {
				t.Errorf("passes %d, want %d", b.Passes, c.passes)
			}
			if c.passes == 0 && b.Passes < 4 {
				t.Errorf("passes %d: the low budget should have forced splitting passes", b.Passes)
			}
			for i := range keep {
				want, got := kept.KeptSummary(sc, i), b.KeptSummary(sc, i)
				if !sameSummary(want, got) {
					t.Errorf("output %s:\n kept   %+v\n bounded %+v", m.Outputs[keep[i]], want, got)
				}
			}
		})
	}
}

// sameSummary compares summaries bit for bit, NaN equal to NaN.
func sameSummary(a, b Summary) bool {
	eq := func(x, y float64) bool { return x == y && math.Signbit(x) == math.Signbit(y) || x != x && y != y }
	fa := []float64{a.Mean, a.SD, a.MCSE, a.P5, a.P10, a.P50, a.P90, a.P95}
	fb := []float64{b.Mean, b.SD, b.MCSE, b.P5, b.P10, b.P50, b.P90, b.P95}
	fa = append(append(append(fa, a.PLo[:]...), a.PHi[:]...), a.PMCSE[:]...)
	fb = append(append(append(fb, b.PLo[:]...), b.PHi[:]...), b.PMCSE[:]...)
	return a.N == b.N && slices.EqualFunc(fa, fb, eq)
}

// TestKeptSummaryAgainstSort checks KeptSummary's percentiles and
// intervals against a full sort of the non-NaN draws, and its moments
// against a direct two-pass computation over the finite ones.
func TestKeptSummaryAgainstSort(t *testing.T) {
	m := awkwardModel(t)
	res, err := Run(context.Background(), m, Options{Iterations: 20_000, Seed: 2, Keep: []int{3}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.KeptSummary(new(Scratch), 0)
	var finite, nonNaN []float64
	for _, v := range res.Kept[0] {
		if v == v {
			nonNaN = append(nonNaN, v)
		}
		if !math.IsInf(v, 0) && v == v {
			finite = append(finite, v)
		}
	}
	slices.Sort(nonNaN)
	mean, sd := MeanSD(finite)
	if s.N != len(finite) || math.Abs(s.Mean-mean) > 1e-12 || math.Abs(s.SD-sd) > 1e-12 {
		t.Errorf("moments n=%d %g %g, want n=%d %g %g", s.N, s.Mean, s.SD, len(finite), mean, sd)
	}
	n := len(nonNaN)
	for i, p := range Levels {
		h := p * float64(n-1)
		l := int(h)
		want := nonNaN[l]
		if !math.IsInf(nonNaN[l], 0) {
			want += (h - float64(l)) * (nonNaN[l+1] - nonNaN[l])
		}
		lo, hi := QuantileCIRanks(n, p)
		if s.Percentile(i) != want || s.PLo[i] != nonNaN[lo] || s.PHi[i] != nonNaN[hi] {
			t.Errorf("P%g: got %g [%g, %g], want %g [%g, %g]", 100*p, s.Percentile(i), s.PLo[i], s.PHi[i], want, nonNaN[lo], nonNaN[hi])
		}
	}
}

// TestQuantileCIRanks checks the ranks against the exact binomial
// coverage computed by summing probabilities (independent of RegIncBeta),
// and that they are the tightest such ranks.
func TestQuantileCIRanks(t *testing.T) {
	pmf := func(n, k int, p float64) float64 {
		lg, _ := math.Lgamma(float64(n + 1))
		l1, _ := math.Lgamma(float64(k + 1))
		l2, _ := math.Lgamma(float64(n - k + 1))
		return math.Exp(lg - l1 - l2 + float64(k)*math.Log(p) + float64(n-k)*math.Log1p(-p))
	}
	cdf := func(n, k int, p float64) float64 {
		s := 0.0
		for i := 0; i <= k; i++ {
			s += pmf(n, i, p)
		}
		return s
	}
	for _, n := range []int{100, 1000, 3000} {
		for _, p := range []float64{0.05, 0.1, 0.5, 0.9, 0.95} {
			lo, hi := QuantileCIRanks(n, p)
			cov := cdf(n, hi, p) - cdf(n, lo, p)
			if cov < Confidence-1e-9 {
				t.Errorf("n=%d p=%g: ranks [%d, %d] cover %g", n, p, lo, hi, cov)
			}
			if cdf(n, lo+1, p) <= 0.025 || cdf(n, hi-1, p) >= 0.975 {
				t.Errorf("n=%d p=%g: ranks [%d, %d] are not the tightest", n, p, lo, hi)
			}
		}
	}
}

// TestPercentileIntervalCoverage: an interval is a claim, so check it
// over many seeds: the P5 and P50 intervals of 500 uniform draws contain
// the true quantile in at least 95% of 4,000 replicates, less 3 binomial
// sds (0.0034), seed 1.
func TestPercentileIntervalCoverage(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	const reps, n = 4000, 500
	x := make([]float64, n)
	sc := new(Scratch)
	for _, p := range []float64{0.05, 0.5} {
		hit := 0
		for range reps {
			for i := range x {
				x[i] = r.Float64()
			}
			_, lo, hi := sc.PercentilesCI(x, []float64{p})
			if lo[0] <= p && p <= hi[0] {
				hit++
			}
		}
		if cov := float64(hit) / reps; cov < Confidence-3*math.Sqrt(0.95*0.05/reps) {
			t.Errorf("P%g interval covers %g of %d replicates", 100*p, cov, reps)
		}
	}
}

// TestWilsonInterval checks Wilson's interval against a hand computation
// (k=0, n=10: upper 3.8415/13.8415 = 0.27754) and that it never collapses.
func TestWilsonInterval(t *testing.T) {
	lo, hi := WilsonInterval(0, 10)
	if lo != 0 || math.Abs(hi-z975*z975/(10+z975*z975)) > 1e-12 {
		t.Errorf("k=0 n=10: [%g, %g]", lo, hi)
	}
	lo, hi = WilsonInterval(50, 100)
	if math.Abs((lo+hi)/2-0.5) > 1e-12 || math.Abs(hi-lo-2*z975*0.05/(1+z975*z975/100)*math.Sqrt(1+z975*z975/100)) > 1e-3 {
		t.Errorf("k=50 n=100: [%g, %g]", lo, hi)
	}
}

// TestPrecisionStopping: each rule stops at a checkpoint once its
// half-width is within target, not before (the previous checkpoint's
// trial count misses it), identically for any number of workers; and an
// unreachable target runs to the maximum.
func TestPrecisionStopping(t *testing.T) {
	m := awkwardModel(t)
	for _, c := range []struct {
		name string
		p    Precision
	}{
		{"mean abs", Precision{Output: 0, Stat: StatMean, Abs: 2e5}},
		{"mean rel", Precision{Output: 0, Stat: StatMean, Rel: 0.005}},
		{"p5 rel", Precision{Output: 0, Stat: StatQuantile, Level: 0.05, Rel: 0.05}},
		{"prob", Precision{Output: 0, Stat: StatProbAbove, Threshold: 3e7, Abs: 0.003}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ref *Result
			for _, w := range []int{1, 2, 5} {
				p := c.p
				res, err := Run(context.Background(), m, Options{Iterations: 5_000_000, Seed: 4, Workers: w, Keep: []int{0}, Precision: &p})
				if err != nil {
					t.Fatal(err)
				}
				if res.Stop.Rule != StopPrecision || !(res.Stop.HalfWidth <= res.Stop.Target) {
					t.Fatalf("stop %+v", res.Stop)
				}
				if ref == nil {
					ref = res
					continue
				}
				if res.Iterations != ref.Iterations || res.Stop != ref.Stop || !slices.Equal(res.Kept[0], ref.Kept[0]) {
					t.Errorf("workers=%d: stopped at %d (%+v), workers=1 at %d (%+v)", w, res.Iterations, res.Stop, ref.Iterations, ref.Stop)
				}
			}
			// The checkpoint before the stop met the target too, and the
			// one before that (if a stop was allowed after it) did not:
			// run exactly those many trials and recompute the half-width.
			checks := []int{precisionFirstBlocks}
			for checks[len(checks)-1] < ref.Iterations/BlockSize {
				checks = append(checks, nextCheck(checks[len(checks)-1]))
			}
			k := len(checks) // the stop is the k-th checkpoint
			if k != ref.Stop.Checks || k < MinStopChecks {
				t.Fatalf("stopped at checkpoint %d (%d blocks), Stop.Checks %d", k, checks[k-1], ref.Stop.Checks)
			}
			halfAt := func(blocks int) (half, target float64) {
				p := c.p
				p.Abs, p.Rel = 1e-300, 0 // never met: runs exactly to the maximum
				short, err := Run(context.Background(), m, Options{Iterations: blocks * BlockSize, Seed: 4, Keep: []int{0}, Precision: &p})
				if err != nil {
					t.Fatal(err)
				}
				if short.Stop.Rule != StopMaxIterations {
					t.Fatalf("%d blocks: %+v", blocks, short.Stop)
				}
				target = c.p.Abs
				if c.p.Rel > 0 {
					target = c.p.Rel * math.Abs(short.Stop.Estimate)
				}
				return short.Stop.HalfWidth, target
			}
			if h, tg := halfAt(checks[k-2]); h > tg {
				t.Errorf("at the checkpoint before the stop (%d blocks) the half-width %g missed %g", checks[k-2], h, tg)
			}
			if k-2 >= MinStopChecks-1 {
				if h, tg := halfAt(checks[k-3]); h <= tg {
					t.Errorf("two checkpoints before the stop (%d blocks) the half-width %g already met %g", checks[k-3], h, tg)
				}
			}
		})
	}
	p := Precision{Output: 0, Stat: StatMean, Rel: 1e-9}
	res, err := Run(context.Background(), m, Options{Iterations: 50_000, Seed: 4, Precision: &p})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stop.Rule != StopMaxIterations || res.Iterations != 50_000 {
		t.Errorf("unreachable target: %d trials, %+v", res.Iterations, res.Stop)
	}
}

// TestPrecisionMeanAgainstDirect: at the stop, the rule's estimate and
// half-width equal those computed directly from the kept draws.
func TestPrecisionMeanAgainstDirect(t *testing.T) {
	m := awkwardModel(t)
	p := Precision{Output: 0, Stat: StatMean, Rel: 0.01}
	res, err := Run(context.Background(), m, Options{Iterations: 1_000_000, Seed: 8, Keep: []int{0}, Precision: &p})
	if err != nil {
		t.Fatal(err)
	}
	mean, sd := MeanSD(res.Kept[0])
	half := 1.959963984540054 * sd / math.Sqrt(float64(len(res.Kept[0])))
	if math.Abs(res.Stop.Estimate-mean) > 1e-9*math.Abs(mean) || math.Abs(res.Stop.HalfWidth-half) > 1e-9*half {
		t.Errorf("stop %+v; direct mean %g half-width %g", res.Stop, mean, half)
	}
}

// TestPrecisionCoverage: stopping when the interval is narrow enough
// (optional stopping) must not spoil the interval. Over 200 seeds, the
// stopped mean's 95% interval of the linear model (true mean 2) and the
// stopped P50's order-statistic interval (true median of 1 + N(0,1) +
// 2 U(0,1) is 2 by symmetry) each cover the truth in at least 95% of runs
// less 3 binomial sds (0.046).
func TestPrecisionCoverage(t *testing.T) {
	m := linearModel(t)
	const seeds = 200
	for _, c := range []struct {
		name string
		p    Precision
	}{
		{"mean", Precision{Output: 0, Stat: StatMean, Rel: 0.005}},
		{"p50", Precision{Output: 0, Stat: StatQuantile, Level: 0.5, Rel: 0.01}},
	} {
		hit := 0
		for s := range uint64(seeds) {
			p := c.p
			res, err := Run(context.Background(), m, Options{Iterations: 1_000_000, Seed: s, Keep: []int{0}, Precision: &p})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop.Rule != StopPrecision {
				t.Fatalf("seed %d: %+v", s, res.Stop)
			}
			if res.Stop.Lo <= 2 && 2 <= res.Stop.Hi {
				hit++
			}
		}
		t.Logf("%s: coverage %g", c.name, float64(hit)/seeds)
		if cov := float64(hit) / seeds; cov < Confidence-3*math.Sqrt(0.95*0.05/seeds) {
			t.Errorf("%s: the stopped interval covers the truth in %g of %d runs", c.name, cov, seeds)
		}
	}
}

// TestAutoWithPrecision: Auto keeps draws while a precision run stays
// within KeepLimit and otherwise finds the same percentiles by a second
// pass; either way the summaries equal those of a kept-draws run of the
// same length.
func TestAutoWithPrecision(t *testing.T) {
	m := awkwardModel(t)
	keep := []int{0, 1, 2, 3}
	sc := new(Scratch)
	for _, c := range []struct {
		name  string
		limit int
		kept  bool
	}{{"within the limit", 1_000_000, true}, {"past the limit", 20_000, false}} {
		t.Run(c.name, func(t *testing.T) {
			p := Precision{Output: 0, Stat: StatMean, Rel: 0.002}
			auto, err := Run(context.Background(), m, Options{Iterations: 1_000_000, Seed: 6, Keep: keep,
				Precision: &p, Percentiles: Auto, KeepLimit: c.limit})
			if err != nil {
				t.Fatal(err)
			}
			if auto.Iterations <= 20_000 || (auto.Kept != nil) != c.kept || (auto.Passes == 1) != c.kept {
				t.Fatalf("%d trials, kept %v, %d passes", auto.Iterations, auto.Kept != nil, auto.Passes)
			}
			ref, err := Run(context.Background(), m, Options{Iterations: auto.Iterations, Seed: 6, Keep: keep})
			if err != nil {
				t.Fatal(err)
			}
			for i := range keep {
				if a, r := auto.KeptSummary(sc, i), ref.KeptSummary(sc, i); !sameSummary(a, r) {
					t.Errorf("output %d:\n auto %+v\n kept %+v", i, a, r)
				}
			}
		})
	}
}

// TestSecondPassBitIdenticalAcrossWorkers: the bounded-memory summaries,
// moments and counts do not depend on the number of workers.
func TestSecondPassBitIdenticalAcrossWorkers(t *testing.T) {
	m := awkwardModel(t)
	keep := []int{0, 1, 2, 3, 4}
	sc := new(Scratch)
	var ref *Result
	for _, w := range []int{1, 2, 7} {
		res, err := Run(context.Background(), m, Options{Iterations: 30_000 + 5, Seed: 13, Workers: w, Keep: keep,
			Above: []Threshold{{0, 2e7}}, Percentiles: SecondPass, CollectBytes: 4096})
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = res
			continue
		}
		sameBits := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
		if !slices.EqualFunc(res.Mean, ref.Mean, sameBits) || !slices.Equal(res.Above, ref.Above) || res.Passes != ref.Passes {
			t.Errorf("workers=%d: moments, counts or passes differ: %v %v %d / %v %v %d", w, res.Mean, res.Above, res.Passes, ref.Mean, ref.Above, ref.Passes)
		}
		for i := range keep {
			if !sameSummary(res.KeptSummary(sc, i), ref.KeptSummary(sc, i)) {
				t.Errorf("workers=%d: output %d's summary differs", w, i)
			}
		}
	}
}

// TestKeptSummaryMCSEWithNonFinite: under Sobol' sampling an output with
// +Inf values (as payback's "never") has no between-block MCSE; its
// summary's MCSE is SD/sqrt(N) over its N finite values (it was NaN,
// printed n/a), while a finite output keeps the between-block one.
func TestKeptSummaryMCSEWithNonFinite(t *testing.T) {
	u, _ := dist.NewUniform(0, 1)
	m := &Model{Inputs: []Input{{"u", u}}, Outputs: []string{"y", "z"},
		NewEval: func() EvalFunc {
			return func(in, out []float64) {
				out[0], out[1] = in[0], in[0]
				if in[0] > 0.9 {
					out[1] = math.Inf(1)
				}
			}
		}}
	res, err := Run(context.Background(), m, Options{Iterations: 40 * BlockSize, Seed: 2, Sampling: Sobol, Keep: []int{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	y, z := res.KeptSummary(new(Scratch), 0), res.KeptSummary(new(Scratch), 1)
	if y.MCSE != res.MeanMCSE[0] {
		t.Errorf("finite output: MCSE %g, between-block %g", y.MCSE, res.MeanMCSE[0])
	}
	if want := z.SD / math.Sqrt(float64(z.N)); z.MCSE != want || !(want > 0) {
		t.Errorf("output with +Inf: MCSE %g, want SD/sqrt(N) %g", z.MCSE, want)
	}
}
