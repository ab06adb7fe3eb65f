package engine

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// gaussModel is y = sum_k w_k Z_k over six independent standard normals:
// y is normal with sd sqrt(sum w_k^2), so every percentile is exact. A
// linear function of several inputs, as R's NPV nearly is, so Sobol'
// points reduce the variance of a percentile only a few times.
func gaussModel() (*Model, float64) { return gaussModelAt(0) }

// gaussModelAt is gaussModel's output plus c: the same spread at level c.
func gaussModelAt(c float64) (*Model, float64) {
	w := []float64{1, 0.8, 0.6, 0.5, 0.3, 0.2}
	z, _ := dist.NewNormal(0, 1)
	m := &Model{Outputs: []string{"y"}, NewBlockEval: func() BlockEvalFunc {
		return func(in, out [][]float64) {
			y := out[0]
			for i := range y {
				y[i] = c
			}
			for k, col := range in {
				for i, x := range col {
					y[i] += w[k] * x
				}
			}
		}
	}}
	ss := 0.0
	for k, wk := range w {
		m.Inputs = append(m.Inputs, Input{string(rune('a' + k)), z})
		ss += wk * wk
	}
	return m, math.Sqrt(ss)
}

// normalQuantile is the standard normal's p-quantile at the five Levels
// (Abramowitz and Stegun table 26.5, to 7 digits; z_0.95 as in
// shared/bench's z95).
var normalQuantile = [len(Levels)]float64{-1.6448536, -1.2815516, 0, 1.2815516, 1.6448536}

// TestBlockPercentileCoverage: under Sobol' sampling, the between-block
// percentile intervals (blockquant.go) cover the exact percentiles of a
// normal output at the nominal 0.95 over 300 seeds (48 blocks each,
// seeds 2000-2299), within 3 binomial sd (0.038), at every level; and
// they are narrower than the independent-draws intervals, which the
// design makes too wide (they cover in all 300 runs).
// DEVOLVE_BIG_COVERAGE=1 runs 2,000 seeds (tolerance 0.02; measured
// 0.966, 0.952, 0.952, 0.955, 0.955 at P5 ... P95: a little
// conservative at P5).
//
// The same output shifted to 3000 (sd 1.5) must cover the same way, with
// the same narrowing: counting below the order statistic makes the
// interval shift-invariant (TestBlockPercentileShiftInvariant). Counting
// below the edge of a bucket of 1/256 of a binade (about 8 sd wide at
// 3000), the interval covered P95 in 0.877 and P90 in 0.920 of 1,000
// seeds (an audit's measurement); with the gate that then kept the
// order-statistic interval at such levels, 1.00 (too wide: this test
// failed there).
func TestBlockPercentileCoverage(t *testing.T) {
	seeds := 300
	if os.Getenv("DEVOLVE_BIG_COVERAGE") != "" {
		seeds = 2000
	}
	tol := 3 * math.Sqrt(Confidence*(1-Confidence)/float64(seeds))
	if seeds > 1000 {
		tol = 0.02
	}
	for _, c := range []float64{0, 3000} {
		m, sd := gaussModelAt(c)
		var hit, hitIID [len(Levels)]int
		var ratio [len(Levels)]float64
		sc := new(Scratch)
		for s := range uint64(seeds) {
			res, err := Run(context.Background(), m, Options{Iterations: 48 * BlockSize, Seed: 2000 + s, Sampling: Sobol, Keep: []int{0}})
			if err != nil {
				t.Fatal(err)
			}
			blk := res.KeptSummary(sc, 0)
			res.stratified = false
			iid := res.KeptSummary(sc, 0)
			for i := range Levels {
				xi := c + sd*normalQuantile[i]
				if blk.PLo[i] <= xi && xi <= blk.PHi[i] {
					hit[i]++
				}
				if iid.PLo[i] <= xi && xi <= iid.PHi[i] {
					hitIID[i]++
				}
				ratio[i] += (blk.PHi[i] - blk.PLo[i]) / (iid.PHi[i] - iid.PLo[i]) / float64(seeds)
			}
		}
		for i, p := range Levels {
			cov, covIID := float64(hit[i])/float64(seeds), float64(hitIID[i])/float64(seeds)
			t.Logf("y+%g, P%g: between-block coverage %.4f, independent-draws %.4f, width ratio %.3f (%d seeds)", c, 100*p, cov, covIID, ratio[i], seeds)
			if math.Abs(cov-Confidence) > tol {
				t.Errorf("y+%g, P%g: between-block coverage %.4f, want 0.95 ± %.3f", c, 100*p, cov, tol)
			}
			if !(ratio[i] < 1) {
				t.Errorf("y+%g, P%g: between-block intervals no narrower than independent draws' (ratio %.3f)", c, 100*p, ratio[i])
			}
		}
	}
}

// TestBlockPercentileShiftInvariant: adding a constant to the output moves
// its between-block percentile intervals by that constant and changes
// nothing else, at every level (the factor is measured below the order
// statistic x_(k), whatever the output's level), and those intervals are
// narrower than the independent-draws ones. gaussModel's output and the
// same plus 3000 (sd 1.51), Sobol', 48 blocks, seeds 2000-2004; the
// shifted values differ from y + 3000 only by rounding (ulp(3000) =
// 4.5e-13), so the tolerance is 1e-9. Before, counting below the edge of
// the bucket (1/256 of a binade) holding x_(k) put the point several sd
// from P90 and P95 of y + 3000, where the gate kept the order-statistic
// interval (width ratio 1 against about 0.5 for y).
func TestBlockPercentileShiftInvariant(t *testing.T) {
	const shift = 3000
	m0, _ := gaussModelAt(0)
	m1, _ := gaussModelAt(shift)
	sc := new(Scratch)
	for s := range uint64(5) {
		opt := Options{Iterations: 48 * BlockSize, Seed: 2000 + s, Sampling: Sobol, Keep: []int{0}}
		r0, err := Run(context.Background(), m0, opt)
		if err != nil {
			t.Fatal(err)
		}
		r1, err := Run(context.Background(), m1, opt)
		if err != nil {
			t.Fatal(err)
		}
		a, b := r0.KeptSummary(sc, 0), r1.KeptSummary(sc, 0)
		r1.stratified = false
		iid := r1.KeptSummary(sc, 0)
		for i, p := range Levels {
			if math.Abs(b.PLo[i]-shift-a.PLo[i]) > 1e-9 || math.Abs(b.PHi[i]-shift-a.PHi[i]) > 1e-9 {
				t.Errorf("seed %d P%g: y+%d interval less %d [%.6f, %.6f], y's [%.6f, %.6f]", 2000+s, 100*p, shift, shift,
					b.PLo[i]-shift, b.PHi[i]-shift, a.PLo[i], a.PHi[i])
			}
			if r := (b.PHi[i] - b.PLo[i]) / (iid.PHi[i] - iid.PLo[i]); !(r < 0.9) {
				t.Errorf("seed %d P%g: y+%d between-block interval %.3f of the independent-draws width, want narrower", 2000+s, 100*p, shift, r)
			}
		}
	}
}

// TestScaleIntervalGate: the factor applies where the pooled CDF below the
// counting point, F, is within one independent-draws standard error of
// the level, and not where ties at x_(k) put F further away. 40 blocks of
// 1,024 with counts alternating c and c + 40 below the point (r about
// 0.6 at p = 0.5): F = 0.5 and 0.498 scale the interval; F = 0.449 and
// 0.550 (a tenth of the values tied at x_(k), say) leave the
// order-statistic interval. The bucket-edge rule also accepted F within
// 0.1 min(p, 1 - p) of p, so it scaled at 0.550 (this test failed there).
// At the gate's edge, one standard error sqrt(0.25/40960) = 0.00247 from p:
// F = 510/1024 (0.0020 below p) scales, 509/1024 (0.0029) does not (a gate
// twice as wide would scale it).
func TestScaleIntervalGate(t *testing.T) {
	for _, c := range []struct {
		F     float64
		scale bool
	}{{0.5, true}, {0.499, true}, {0.45, false}, {0.55, false}, {510.0 / 1024, true}, {509.0 / 1024, false}} {
		var acc blockCDF
		base := int(c.F*BlockSize) - 20
		for b := range 40 {
			acc.add(base+40*(b%2), BlockSize)
		}
		lo, hi := scaleInterval(10, 9, 11.5, 0.5, acc)
		if scaled := lo != 9 || hi != 11.5; scaled != c.scale {
			t.Errorf("F = %.4f: interval [%g, %g], want scaled %v", float64(acc.s1)/float64(acc.n), lo, hi, c.scale)
		}
	}
}

// TestBlockPercentileLargeRun: the between-block factor stays on in a large
// run. An output with R's NPV's coefficient of variation (0.49: gaussModel's
// sd 1.51 around 3.08) at 1,024 blocks (about 10^6 trials): every level's
// interval is narrower than the independent-draws one in each of 3 seeds.
// With nearLevel's one-standard-error rule alone, P50 and P90 were back
// to full width in 20 of 20 seeds (an audit's measurement).
func TestBlockPercentileLargeRun(t *testing.T) {
	m, _ := gaussModelAt(3.08)
	sc := new(Scratch)
	for s := range uint64(3) {
		res, err := Run(context.Background(), m, Options{Iterations: 1024 * BlockSize, Seed: 7000 + s, Sampling: Sobol, Keep: []int{0}})
		if err != nil {
			t.Fatal(err)
		}
		blk := res.KeptSummary(sc, 0)
		res.stratified = false
		iid := res.KeptSummary(sc, 0)
		for i, p := range Levels {
			r := (blk.PHi[i] - blk.PLo[i]) / (iid.PHi[i] - iid.PLo[i])
			t.Logf("seed %d P%g: width ratio %.3f", 7000+s, 100*p, r)
			if !(r < 0.9) {
				t.Errorf("seed %d P%g: between-block interval %.3f of the independent-draws width, want narrower", 7000+s, 100*p, r)
			}
		}
	}
}

// TestBlockPercentileSecondPass: under Sobol' sampling the bounded path
// (SecondPass, with and without a splitting pass, and for an output of
// few distinct values needing no collection) gives the kept-draws path's
// between-block intervals bit for bit, for 1, 2 and 7 workers; and MC runs
// keep the order-statistic intervals.
func TestBlockPercentileSecondPass(t *testing.T) {
	m := awkwardModel(t)
	sc := new(Scratch)
	const n = 40*BlockSize + 17
	for _, keep := range [][]int{{0, 1, 2, 3, 4, 5}, {2, 4}} {
		ref, err := Run(context.Background(), m, Options{Iterations: n, Seed: 21, Sampling: Sobol, Keep: keep})
		if err != nil {
			t.Fatal(err)
		}
		if !ref.stratified {
			t.Fatal("a 41-block Sobol' run is not marked stratified")
		}
		// The finite, continuous output's P5 interval did change; so did
		// the atom's P5 and P95 (its P50's interval is the atom itself).
		if keep[0] == 0 {
			for _, c := range []struct{ out, level int }{{0, 0}, {5, 0}, {5, 4}} {
				s := ref.KeptSummary(sc, c.out)
				ref.stratified = false
				iid := ref.KeptSummary(sc, c.out)
				ref.stratified = true
				if s.PLo[c.level] == iid.PLo[c.level] || s.PHi[c.level]-s.PLo[c.level] >= iid.PHi[c.level]-iid.PLo[c.level] {
					t.Errorf("output %d P%g interval %v-%v, independent draws %v-%v", c.out, 100*Levels[c.level],
						s.PLo[c.level], s.PHi[c.level], iid.PLo[c.level], iid.PHi[c.level])
				}
			}
		}
		for _, w := range []int{1, 2, 7} {
			for _, collect := range []int{0, 4096, 64} {
				res, err := Run(context.Background(), m, Options{Iterations: n, Seed: 21, Sampling: Sobol, Keep: keep,
					Workers: w, Percentiles: SecondPass, CollectBytes: collect})
				if err != nil {
					t.Fatal(err)
				}
				for i := range keep {
					if a, b := res.KeptSummary(sc, i), ref.KeptSummary(sc, i); !sameSummary(a, b) {
						t.Errorf("keep %v workers=%d collect=%d output %d:\n second pass %+v\n kept        %+v", keep, w, collect, keep[i], a, b)
					}
				}
			}
		}
	}
}

// TestPrecisionQuantileSobol: a precision rule on P5 under Sobol' sampling
// uses the between-block interval, so it stops with fewer trials than the
// same rule under plain Monte Carlo, and the stopped interval still covers
// the exact P5 of the normal output in at least 0.95 less 3 binomial sd
// (0.053) of 150 runs (seeds 3000-3149).
func TestPrecisionQuantileSobol(t *testing.T) {
	m, sd := gaussModel()
	const seeds = 150
	xi := sd * normalQuantile[0]
	hit, trials := 0, map[Sampling]int{}
	for _, sm := range []Sampling{Sobol, MonteCarlo} {
		for s := range uint64(seeds) {
			p := Precision{Output: 0, Stat: StatQuantile, Level: 0.05, Rel: 0.006}
			res, err := Run(context.Background(), m, Options{Iterations: 4_000_000, Seed: 3000 + s, Sampling: sm, Keep: []int{0}, Precision: &p})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop.Rule != StopPrecision {
				t.Fatalf("%v seed %d: %+v", sm, 3000+s, res.Stop)
			}
			trials[sm] += res.Iterations
			if sm == Sobol && res.Stop.Lo <= xi && xi <= res.Stop.Hi {
				hit++
			}
			if sm == MonteCarlo && s == 29 {
				break // 30 runs give the mean stop well enough
			}
		}
	}
	cov := float64(hit) / seeds
	sob, mc := float64(trials[Sobol])/seeds, float64(trials[MonteCarlo])/30
	t.Logf("sobol: coverage %.3f, mean stop %.0f trials; mc mean stop %.0f trials", cov, sob, mc)
	if cov < Confidence-3*math.Sqrt(Confidence*(1-Confidence)/seeds) {
		t.Errorf("stopped P5 interval covers in %.3f of %d runs", cov, seeds)
	}
	if !(sob < 0.7*mc) {
		t.Errorf("Sobol' stops at %.0f trials on average, plain Monte Carlo at %.0f", sob, mc)
	}
}

// TestPrecisionQuantileCoverageLognormal (opt-in, DEVOLVE_BIG_COVERAGE=1;
// about a minute of CPU per level): a precision rule on P5 or P95 of a
// right-skewed output with exact percentiles, y = exp(Z/2) with Z the
// normalised sum of gaussModel's six normals, under Sobol' sampling with
// a target that binds (0.3%; stops at 90-272 blocks), stops with
// intervals that cover the exact percentile exp(z_p/2) in 0.95 ± 0.02 of
// 1,000 runs (seeds 5000-5999). Measured: P5 0.948 (misses 19 below, 33
// above), P95 0.943 (30 below, 27 above); docs/MODEL.md §8b.
func TestPrecisionQuantileCoverageLognormal(t *testing.T) {
	if os.Getenv("DEVOLVE_BIG_COVERAGE") == "" {
		t.Skip("opt-in: DEVOLVE_BIG_COVERAGE=1")
	}
	g, sd := gaussModel()
	ev := g.NewBlockEval
	g.NewBlockEval = func() BlockEvalFunc {
		f := ev()
		return func(in, out [][]float64) {
			f(in, out)
			for i, v := range out[0] {
				out[0][i] = math.Exp(0.5 * v / sd)
			}
		}
	}
	const seeds = 1000
	for _, li := range []int{0, 4} {
		xi := math.Exp(0.5 * normalQuantile[li])
		hit, below, above, first := 0, 0, 0, 0
		for s := range uint64(seeds) {
			p := Precision{Output: 0, Stat: StatQuantile, Level: Levels[li], Rel: 0.003}
			res, err := Run(context.Background(), g, Options{Iterations: 8_000_000, Seed: 5000 + s, Sampling: Sobol, Keep: []int{0}, Precision: &p})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop.Rule != StopPrecision {
				t.Fatalf("seed %d: %+v", 5000+s, res.Stop)
			}
			if res.Stop.Checks == MinStopChecks {
				first++
			}
			switch {
			case res.Stop.Lo <= xi && xi <= res.Stop.Hi:
				hit++
			case res.Stop.Hi < xi:
				below++
			default:
				above++
			}
		}
		cov := float64(hit) / seeds
		t.Logf("P%g: coverage %.4f over %d seeds (interval below the percentile %d, above %d); %d stopped at the first checkpoint allowed", 100*Levels[li], cov, seeds, below, above, first)
		if math.Abs(cov-Confidence) > 0.02 {
			t.Errorf("P%g: coverage %.4f, want 0.95 ± 0.02", 100*Levels[li], cov)
		}
		if first > seeds/2 {
			t.Errorf("P%g: %d of %d runs stopped at the first checkpoint allowed: the target does not bind", 100*Levels[li], first, seeds)
		}
	}
}
