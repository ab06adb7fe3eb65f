package engine

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/devolve-lgr/devolve/model/corr"
	"github.com/devolve-lgr/devolve/model/dist"
)

// corrModel has four inputs (two lognormal costs, a PERT, a uniform) and
// one output, their sum.
func corrModel(t testing.TB) *Model {
	t.Helper()
	a, _ := dist.LogNormalFromQuantiles(0.05, 10, 0.95, 40)
	b, _ := dist.LogNormalFromQuantiles(0.05, 5, 0.95, 30)
	c, _ := dist.NewPERT(1, 2, 6, 4)
	u, _ := dist.NewUniform(0, 1)
	return &Model{Inputs: []Input{{"cost_a", a}, {"cost_b", b}, {"pert", c}, {"u", u}}, Outputs: []string{"sum"},
		NewEval: func() EvalFunc {
			return func(in, out []float64) { out[0] = in[0] + in[1] + in[2] + in[3] }
		}}
}

// spearman is the rank correlation of x and y (continuous: no ties).
func spearman(x, y []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmpF(v[a], v[b]) })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	rx, ry := rank(x), rank(y)
	m := float64(len(x)-1) / 2
	var sxy, sxx, syy float64
	for i := range rx {
		a, b := rx[i]-m, ry[i]-m
		sxy += a * b
		sxx += a * a
		syy += b * b
	}
	return sxy / math.Sqrt(sxx*syy)
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestCorrelationTargets: at 100,000 trials, the achieved Spearman
// correlation of each pair is within 0.02 of its target (0 for pairs not
// given), for every sampling method; every input keeps exactly the values
// it draws without correlation (the same multiset); and the sum's SD grows
// with positive correlation as the variance formula says it must.
func TestCorrelationTargets(t *testing.T) {
	target := [][]float64{{1, 0.7, 0.4}, {0.7, 1, -0.2}, {0.4, -0.2, 1}}
	for _, s := range []Sampling{MonteCarlo, LatinHypercube, Sobol} {
		t.Run(s.String(), func(t *testing.T) {
			m := corrModel(t)
			opt := Options{Iterations: 100_000, Seed: 5, KeepInputs: true, Sampling: s}
			indep, err := Run(context.Background(), m, opt)
			if err != nil {
				t.Fatal(err)
			}
			m.Correlation = &Correlation{Inputs: []int{0, 1, 2}, Rank: target}
			res, err := Run(context.Background(), m, opt)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 4; i++ {
				for j := 0; j < i; j++ {
					want := 0.0
					if i < 3 {
						want = target[i][j]
					}
					if got := spearman(res.Inputs[i], res.Inputs[j]); math.Abs(got-want) > 0.02 {
						t.Errorf("Spearman(%s, %s) = %.4f, target %.2f", m.Inputs[i].Name, m.Inputs[j].Name, got, want)
					}
				}
			}
			for j := range m.Inputs {
				a := slices.Sorted(slices.Values(indep.Inputs[j]))
				b := slices.Sorted(slices.Values(res.Inputs[j]))
				if !slices.Equal(a, b) {
					t.Errorf("input %s: the correlated run drew different values", m.Inputs[j].Name)
				}
			}
			// Var(sum) = sum of variances + 2 sum of covariances: with
			// rank 0.7 between the two costs the sum's SD must grow.
			if !(res.SD[0] > indep.SD[0]*1.05) {
				t.Errorf("SD of the sum %.3f with correlation, %.3f without", res.SD[0], indep.SD[0])
			}
		})
	}
}

// TestCorrelatedBitIdentical: with correlation and every sampling method,
// results are bit-identical for 1 and 4 workers.
func TestCorrelatedBitIdentical(t *testing.T) {
	for _, s := range []Sampling{MonteCarlo, LatinHypercube, Sobol} {
		m := corrModel(t)
		m.Correlation = &Correlation{Inputs: []int{3, 0, 1}, Rank: [][]float64{{1, 0.5, 0}, {0.5, 1, 0.6}, {0, 0.6, 1}}}
		var ref *Result
		for _, w := range []int{1, 4} {
			res, err := Run(context.Background(), m, Options{Iterations: 20_000 + 5, Seed: 2, Workers: w, Sampling: s, KeepInputs: true, Keep: []int{0}})
			if err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = res
				continue
			}
			for j := range ref.Inputs {
				if !slices.Equal(ref.Inputs[j], res.Inputs[j]) {
					t.Errorf("%v: input %d differs between 1 and %d workers", s, j, w)
				}
			}
			if !slices.Equal(ref.Kept[0], res.Kept[0]) || !slices.Equal(ref.Mean, res.Mean) || !slices.Equal(ref.SD, res.SD) {
				t.Errorf("%v: results differ between 1 and %d workers", s, w)
			}
		}
	}
}

// TestCorrelatedCommonRandomNumbers: two models that share correlated
// inputs by name, in another order and beside other inputs, draw identical
// values for them under every method (Sobol given a shared DesignOrder).
func TestCorrelatedCommonRandomNumbers(t *testing.T) {
	for _, s := range []Sampling{MonteCarlo, LatinHypercube, Sobol} {
		m1 := corrModel(t)
		m1.Correlation = &Correlation{Inputs: []int{0, 1}, Rank: [][]float64{{1, 0.6}, {0.6, 1}}}
		x, _ := dist.NewNormal(0, 1)
		m2 := &Model{Inputs: []Input{{"extra", x}, m1.Inputs[1], m1.Inputs[0]}, Outputs: []string{"o"},
			NewEval:     func() EvalFunc { return func(in, out []float64) { out[0] = in[0] } },
			Correlation: &Correlation{Inputs: []int{2, 1}, Rank: [][]float64{{1, 0.6}, {0.6, 1}}}}
		order := []string{"cost_a", "cost_b", "pert", "u", "extra"}
		opt := Options{Iterations: 5000, Seed: 8, KeepInputs: true, Sampling: s, DesignOrder: order}
		r1, err := Run(context.Background(), m1, opt)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := Run(context.Background(), m2, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r1.Inputs[0], r2.Inputs[2]) || !slices.Equal(r1.Inputs[1], r2.Inputs[1]) {
			t.Errorf("%v: shared correlated inputs drew different values", s)
		}
	}
}

// TestLatinHypercubeStrataInRun: in every block of a run, each input's
// draws fall one in each of the block's n equal-probability strata
// (checked through the CDF), the last, partial block included.
func TestLatinHypercubeStrataInRun(t *testing.T) {
	for _, s := range []Sampling{LatinHypercube, Sobol} {
		m := corrModel(t)
		res, err := Run(context.Background(), m, Options{Iterations: 3*BlockSize + 100, Seed: 1, Sampling: s, KeepInputs: true})
		if err != nil {
			t.Fatal(err)
		}
		for j, in := range m.Inputs {
			for start := 0; start < res.Iterations; start += BlockSize {
				n := min(BlockSize, res.Iterations-start)
				if s == Sobol && n < BlockSize {
					continue // a partial Sobol' block is not stratified; full ones are
				}
				seen := make([]int, n)
				for _, x := range res.Inputs[j][start : start+n] {
					k := int(in.Dist.CDF(x) * float64(n))
					seen[min(max(k, 0), n-1)]++
				}
				for k, c := range seen {
					// The inverse tables are accurate to 1e-11 in u: a
					// draw within that of a stratum edge may land over it.
					if c != 1 && !edge(res.Inputs[j][start:start+n], in.Dist, k, n) {
						t.Fatalf("%v: input %s, block at %d: stratum %d holds %d draws", s, in.Name, start, k, c)
					}
				}
			}
		}
	}
}

// edge reports whether some draw's CDF lies within 1e-9 of stratum k's edges.
func edge(xs []float64, d dist.Distribution, k, n int) bool {
	for _, x := range xs {
		u := d.CDF(x) * float64(n)
		if math.Abs(u-float64(k)) < 1e-9*float64(n) || math.Abs(u-float64(k+1)) < 1e-9*float64(n) {
			return true
		}
	}
	return false
}

// TestCorrelationErrors: inconsistent targets are reported with the model
// input indices of a smallest inconsistent set; bad shapes are errors.
func TestCorrelationErrors(t *testing.T) {
	m := corrModel(t)
	m.Correlation = &Correlation{Inputs: []int{0, 1, 2, 3}, Rank: [][]float64{
		{1, 0.9, 0.9, 0}, {0.9, 1, -0.9, 0}, {0.9, -0.9, 1, 0}, {0, 0, 0, 1}}}
	_, err := Run(context.Background(), m, Options{Iterations: 10})
	var npd *corr.NotPDError
	if !errors.As(err, &npd) || !slices.Equal(npd.Inputs, []int{0, 1, 2}) {
		t.Errorf("got %v, want a NotPDError on inputs 0, 1, 2", err)
	}
	m.Correlation = &Correlation{Inputs: []int{0, 0}, Rank: [][]float64{{1, 0.5}, {0.5, 1}}}
	if _, err := Run(context.Background(), m, Options{Iterations: 10}); err == nil {
		t.Error("an input correlated with itself was accepted")
	}
}

// TestFillInputsAllocs: drawing a block allocates nothing, whatever the
// method, with correlation.
func TestFillInputsAllocs(t *testing.T) {
	for _, s := range []Sampling{MonteCarlo, LatinHypercube, Sobol} {
		m := corrModel(t)
		m.Correlation = &Correlation{Inputs: []int{0, 1}, Rank: [][]float64{{1, 0.6}, {0.6, 1}}}
		d, err := newDesign(m, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		w := newWorker(m, d, len(m.Inputs), 1)
		seeds := inputSeeds(1, m.Inputs)
		b := uint64(0)
		if a := testing.AllocsPerRun(20, func() { w.runBlock(seeds, b, BlockSize); b++ }); a != 0 {
			t.Errorf("%v: %v allocations a block", s, a)
		}
	}
}

func BenchmarkFillInputs(b *testing.B) {
	for _, s := range []Sampling{MonteCarlo, LatinHypercube, Sobol} {
		b.Run(s.String(), func(b *testing.B) {
			m := corrModel(b)
			d, _ := newDesign(m, s, nil)
			w := newWorker(m, d, len(m.Inputs), 1)
			seeds := inputSeeds(1, m.Inputs)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				w.fillInputs(seeds, uint64(i), BlockSize)
			}
		})
	}
}

// ishigamiModel is f = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, x uniform on
// [-pi, pi]^3, whose mean is 3.5 (Ishigami and Homma 1990).
func ishigamiModel() *Model {
	u, _ := dist.NewUniform(-math.Pi, math.Pi)
	return &Model{Inputs: []Input{{"x1", u}, {"x2", u}, {"x3", u}}, Outputs: []string{"y"},
		NewEval: func() EvalFunc {
			return func(in, out []float64) {
				s := math.Sin(in[1])
				x := in[2] * in[2]
				out[0] = math.Sin(in[0]) + 7*s*s + 0.1*x*x*math.Sin(in[0])
			}
		}}
}

// TestBlockSpreadMCSE: under LHS and Sobol' the MCSE of the mean comes
// from the spread between blocks. Over 60 seeds of 32 blocks on the
// Ishigami function, its average is within 25% of the actual standard
// deviation of the means (itself known to about 9% from 60 seeds), the
// 95% intervals mean ± 1.96 MCSE cover the exact mean 3.5 in at least 51
// of the 60 runs (expected 57; 51 is 3.5 binomial sds below), and it is
// far below the SD/sqrt(n) of independent draws for Sobol'. Under mc,
// MeanMCSE is nil and KeptSummary gives SD/sqrt(n).
func TestBlockSpreadMCSE(t *testing.T) {
	m := ishigamiModel()
	const seeds, n = 60, 32 * BlockSize
	for _, s := range []Sampling{MonteCarlo, LatinHypercube, Sobol} {
		means := make([]float64, seeds)
		var sumSE float64
		covered := 0
		for k := range means {
			res, err := Run(context.Background(), m, Options{Iterations: n, Seed: uint64(k + 1), Sampling: s, Keep: []int{0}})
			if err != nil {
				t.Fatal(err)
			}
			sum := res.KeptSummary(new(Scratch), 0)
			if s == MonteCarlo {
				if res.MeanMCSE != nil {
					t.Fatal("mc: MeanMCSE set")
				}
				if sum.MCSE != sum.SD/math.Sqrt(n) {
					t.Fatalf("mc: MCSE %v, want SD/sqrt(n) %v", sum.MCSE, sum.SD/math.Sqrt(n))
				}
			} else if sum.MCSE != res.MeanMCSE[0] {
				t.Fatalf("%v: summary MCSE %v, MeanMCSE %v", s, sum.MCSE, res.MeanMCSE[0])
			}
			means[k] = sum.Mean
			sumSE += sum.MCSE / seeds
			if math.Abs(sum.Mean-3.5) <= 1.96*sum.MCSE {
				covered++
			}
			if s == Sobol && !(sum.MCSE < 0.2*sum.SD/math.Sqrt(n)) {
				t.Errorf("sobol: MCSE %.3g not far below SD/sqrt(n) %.3g", sum.MCSE, sum.SD/math.Sqrt(n))
			}
		}
		mu := 0.0
		for _, v := range means {
			mu += v / seeds
		}
		ss := 0.0
		for _, v := range means {
			ss += (v - mu) * (v - mu)
		}
		actual := math.Sqrt(ss / (seeds - 1))
		t.Logf("%v: average MCSE %.4g, sd of means %.4g, coverage %d/%d", s, sumSE, actual, covered, seeds)
		if r := sumSE / actual; r < 0.75 || r > 1.33 {
			t.Errorf("%v: average MCSE %.3g, actual sd of means %.3g (ratio %.2f)", s, sumSE, actual, r)
		}
		if covered < 51 {
			t.Errorf("%v: the 95%% intervals covered 3.5 in %d of %d runs", s, covered, seeds)
		}
	}
}

// TestBlockSpreadFewBlocks: below MinSpreadBlocks blocks the MCSE stays
// SD/sqrt(n) (an upper bound for the stratified designs).
func TestBlockSpreadFewBlocks(t *testing.T) {
	res, err := Run(context.Background(), ishigamiModel(), Options{Iterations: (MinSpreadBlocks - 1) * BlockSize, Seed: 1, Sampling: Sobol, Keep: []int{0}})
	if err != nil {
		t.Fatal(err)
	}
	if res.MeanMCSE != nil {
		t.Error("MeanMCSE set with too few blocks")
	}
}

// TestFixedInputDrawsNothing: a point-mass input is set without drawing
// (fillInputs), yet keeps its place in the design: under every sampling,
// with one and three workers, the other inputs' draws are those of the
// same model with that input made a uniform (which draws its design's
// points), and its own draws are all its value. Fails if a point mass
// gave up its Sobol' dimension to the inputs after it.
func TestFixedInputDrawsNothing(t *testing.T) {
	u, _ := dist.NewUniform(0, 1)
	for _, s := range []Sampling{MonteCarlo, LatinHypercube, Sobol} {
		for _, w := range []int{1, 3} {
			m := corrModel(t)
			m.Inputs = append([]Input{{"point", dist.Fixed{V: 7}}}, m.Inputs...)
			m.NewEval = func() EvalFunc { return func(in, out []float64) { out[0] = in[1] } }
			opt := Options{Iterations: 3000, Seed: 5, Workers: w, Sampling: s, KeepInputs: true}
			got, err := Run(context.Background(), m, opt)
			if err != nil {
				t.Fatal(err)
			}
			m.Inputs[0].Dist = u
			want, err := Run(context.Background(), m, opt)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range got.Inputs[0] {
				if v != 7 {
					t.Fatalf("%v, %d workers: point mass draw %d is %v", s, w, i, v)
				}
			}
			for j := 1; j < len(m.Inputs); j++ {
				for i, v := range got.Inputs[j] {
					if v != want.Inputs[j][i] {
						t.Fatalf("%v, %d workers: input %s draw %d is %v, %v with the point mass drawn", s, w, m.Inputs[j].Name, i, v, want.Inputs[j][i])
					}
				}
			}
		}
	}
}
