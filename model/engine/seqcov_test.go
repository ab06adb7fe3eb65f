package engine

import (
	"context"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// skewModel is y = L1 (1 + U2) + L3 with L1, L3 lognormal(0, 0.8) and U2
// uniform on [0, 1]: right-skewed (the lognormal's skewness is 3.7), mean
// 2.5 e^0.32.
func skewModel() (*Model, float64) {
	l, _ := dist.NewLogNormal(0, 0.8)
	u, _ := dist.NewUniform(0, 1)
	m := &Model{Inputs: []Input{{"l1", l}, {"u2", u}, {"l3", l}}, Outputs: []string{"y"},
		NewEval: func() EvalFunc {
			return func(in, out []float64) { out[0] = in[0]*(1+in[1]) + in[2] }
		}}
	return m, 2.5 * math.Exp(0.32)
}

// TestPrecisionCoverageSequential: under the default Sobol' sampling, on a
// right-skewed output, a relative target on the mean that binds (no run
// stops at the first checkpoint allowed) gives intervals that cover the
// exact mean in 0.95 ± 0.02 of 300 runs (seeds 1000-1299; the binomial sd
// at 0.95 is 0.013): 0.940. Stopping at the first checkpoint that met the
// target, with a symmetric interval, coverage was 0.897 (at a 0.05%
// target; runs stopping at 31 blocks covered in 22 of 41); docs/MODEL.md
// §8b. 300 seeds cannot tell the interval's skewness and kurtosis
// corrections from none (0.943 without them, 0.931 against 0.944 over
// 4,000 seeds): TestMeanIntervalCoverageFixed tests those.
// DEVOLVE_BIG_COVERAGE=1 runs 1,000 seeds under every sampling method
// (targets that bind: 0.3% under mc, 0.05% under lhs; minutes): sobol
// 0.944, mc 0.949, lhs 0.960. DEVOLVE_SOBOL_COVERAGE_SEEDS=N runs N seeds
// under sobol alone.
func TestPrecisionCoverageSequential(t *testing.T) {
	m, mu := skewModel()
	seeds, samplings := 300, []Sampling{Sobol}
	if os.Getenv("DEVOLVE_BIG_COVERAGE") != "" {
		seeds, samplings = 1000, []Sampling{MonteCarlo, LatinHypercube, Sobol}
	}
	if n, err := strconv.Atoi(os.Getenv("DEVOLVE_SOBOL_COVERAGE_SEEDS")); err == nil && n > 0 {
		seeds, samplings = n, []Sampling{Sobol} // e.g. 4000: docs/MODEL.md §8b
	}
	for _, sm := range samplings {
		hit, first := 0, 0
		stops := map[int]int{}
		for s := range uint64(seeds) {
			p := Precision{Output: 0, Stat: StatMean, Rel: 0.0003}
			switch sm {
			case MonteCarlo:
				p.Rel = 0.003
			case LatinHypercube:
				p.Rel = 0.0005 // at 0.3% every run stopped at the first checkpoint allowed
			}
			res, err := Run(context.Background(), m, Options{Iterations: 4_000_000, Seed: s + 1000, Sampling: sm, Precision: &p})
			if err != nil {
				t.Fatal(err)
			}
			if res.Stop.Rule != StopPrecision || res.Stop.Checks < MinStopChecks {
				t.Fatalf("seed %d: %+v", s+1000, res.Stop)
			}
			if res.Stop.Checks == MinStopChecks {
				first++
			}
			stops[res.Iterations/BlockSize]++
			if res.Stop.Lo <= mu && mu <= res.Stop.Hi {
				hit++
			}
		}
		cov := float64(hit) / float64(seeds)
		t.Logf("%v: coverage %.4f over %d seeds; %d stopped at the first checkpoint allowed; stops (blocks: runs) %v", sm, cov, seeds, first, stops)
		if math.Abs(cov-Confidence) > 0.02 {
			t.Errorf("%v: coverage %.4f, want 0.95 ± 0.02", sm, cov)
		}
		if first > seeds/2 {
			t.Errorf("%v: %d of %d runs stopped at the first checkpoint allowed: the target does not bind", sm, first, seeds)
		}
	}
}
