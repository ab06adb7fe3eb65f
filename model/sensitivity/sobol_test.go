package sensitivity

import (
	"fmt"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

func ishigami(x []float64) float64 {
	const a, b = 7, 0.1
	return math.Sin(x[0]) + a*math.Pow(math.Sin(x[1]), 2) + b*math.Pow(x[2], 4)*math.Sin(x[0])
}

func uniforms(t testing.TB, k int, lo, hi float64) []dist.Distribution {
	ds := make([]dist.Distribution, k)
	for i := range ds {
		u, err := dist.NewUniform(lo, hi)
		if err != nil {
			t.Fatal(err)
		}
		ds[i] = u
	}
	return ds
}

func checkIndices(t *testing.T, res *SobolResult, s1, st []float64) {
	t.Helper()
	for i, ix := range res.Indices {
		t.Logf("x%d: S1 %.4f [%.4f, %.4f] (true %.4f, error %+.4f); ST %.4f [%.4f, %.4f] (true %.4f, error %+.4f)",
			i+1, ix.S1, ix.S1Lo, ix.S1Hi, s1[i], ix.S1-s1[i], ix.ST, ix.STLo, ix.STHi, st[i], ix.ST-st[i])
		if math.Abs(ix.S1-s1[i]) > 0.02 {
			t.Errorf("x%d: S1 %.4f, true %.4f (error > 0.02)", i+1, ix.S1, s1[i])
		}
		if math.Abs(ix.ST-st[i]) > 0.02 {
			t.Errorf("x%d: ST %.4f, true %.4f (error > 0.02)", i+1, ix.ST, st[i])
		}
		// A 95% interval misses 1 time in 20 (TestSobolCoverage checks that
		// rate over many seeds); one seed's interval is checked at twice
		// its half-width (about 4 standard errors: a miss 1 time in 10,000).
		if h := ix.S1Hi - ix.S1; math.Abs(ix.S1-s1[i]) > 2*h {
			t.Errorf("x%d: S1 %.5f ± %.5f is more than two half-widths from %.5f", i+1, ix.S1, h, s1[i])
		}
		if h := ix.STHi - ix.ST; math.Abs(ix.ST-st[i]) > 2*h {
			t.Errorf("x%d: ST %.5f ± %.5f is more than two half-widths from %.5f", i+1, ix.ST, h, st[i])
		}
	}
}

// TestIshigami: a = 7, b = 0.1, inputs U(-pi, pi); analytic indices
// (Ishigami and Homma 1990; Saltelli et al. 2008, §4.8): S1 = 0.3139,
// 0.4424, 0; ST = 0.5576, 0.4424, 0.2437. Base sample 2^14, seed 1.
func TestIshigami(t *testing.T) {
	res, err := Sobol(ishigami, uniforms(t, 3, -math.Pi, math.Pi), SobolOptions{N: 1 << 14, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s1, st := ishigamiIndices()
	checkIndices(t, res, s1, st)
}

// ishigamiIndices are the Ishigami function's exact indices (a = 7, b =
// 0.1), from the formulas, not copied constants.
func ishigamiIndices() (s1, st []float64) {
	a, b, pi := 7.0, 0.1, math.Pi
	v1 := 0.5 * math.Pow(1+b*math.Pow(pi, 4)/5, 2)
	v2 := a * a / 8
	v13 := math.Pow(b, 2) * math.Pow(pi, 8) * (1.0/18 - 1.0/50)
	v := v1 + v2 + v13
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// TestSobolCoverage: an interval is a claim, checked over many seeds. On
// the Ishigami function at N = 1024 (32 replicates of 32 rows), seeds 1 to
// 200, each of the six nominal 95% intervals covers the true index in 88%
// to 99% of seeds (binomial sd 1.5% at 95%), and S1 of x3 (true 0) is
// flagged as indistinguishable from zero as often. Measured: 92.0 to 96.0%,
// flagged in 96.5% (1,000 seeds: 93.1 to 95.7%; at N = 2^14, 300 seeds:
// 89.0 to 95.3%, and 92.0% for x1's ST over 500 seeds).
// The bootstrap over rows of one quasi-random design used before covered
// in 100% of seeds, with intervals 1.7 to 3.1 times as wide at N = 2^14.
func TestSobolCoverage(t *testing.T) {
	s1, st := ishigamiIndices()
	ds := uniforms(t, 3, -math.Pi, math.Pi)
	const seeds = 200
	var cov1, covT [3]int
	zero := 0
	for s := 1; s <= seeds; s++ {
		res, err := Sobol(ishigami, ds, SobolOptions{N: 1024, Seed: uint64(s), Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for i, ix := range res.Indices {
			if s1[i] >= ix.S1Lo && s1[i] <= ix.S1Hi {
				cov1[i]++
			}
			if st[i] >= ix.STLo && st[i] <= ix.STHi {
				covT[i]++
			}
		}
		if res.Indices[2].Zero1 {
			zero++
		}
	}
	check := func(what string, k int) {
		t.Helper()
		c := float64(k) / seeds
		t.Logf("%s: coverage %.1f%%", what, 100*c)
		if c < 0.88 || c > 0.99 {
			t.Errorf("%s: nominal 95%% interval covers in %.1f%% of %d seeds", what, 100*c, seeds)
		}
	}
	for i := range cov1 {
		check(fmt.Sprintf("x%d S1", i+1), cov1[i])
		check(fmt.Sprintf("x%d ST", i+1), covT[i])
	}
	check("x3 S1 flagged ≈ 0", zero)
}

// TestSobolG: the Sobol G function with a = (0, 1, 4.5, 9, 99, 99, 99, 99),
// inputs U(0, 1). Analytic: V_i = 1/(3(1+a_i)^2), V = prod(1+V_i) - 1,
// S_i = V_i/V, ST_i = V_i prod_{j != i}(1+V_j)/V (Saltelli et al. 2010, §5).
func TestSobolG(t *testing.T) {
	as := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	g := func(x []float64) float64 {
		p := 1.0
		for i, a := range as {
			p *= (math.Abs(4*x[i]-2) + a) / (1 + a)
		}
		return p
	}
	res, err := Sobol(g, uniforms(t, len(as), 0, 1), SobolOptions{N: 1 << 14, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	vi := make([]float64, len(as))
	prod := 1.0
	for i, a := range as {
		vi[i] = 1 / (3 * (1 + a) * (1 + a))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	s1 := make([]float64, len(as))
	st := make([]float64, len(as))
	for i := range as {
		s1[i] = vi[i] / v
		st[i] = vi[i] * prod / (1 + vi[i]) / v
	}
	checkIndices(t, res, s1, st)
}

func TestTornadoAndSpearman(t *testing.T) {
	// y = 3 x1 + x2, x ~ U(0,1): swing of x1 = 3 * 0.8, of x2 = 0.8.
	f := func(x []float64) float64 { return 3*x[0] + x[1] }
	sw := Tornado(f, uniforms(t, 2, 0, 1), nil)
	if sw[0].Name != "0" || math.Abs(sw[0].Swing-2.4) > 1e-12 || math.Abs(sw[1].Swing-0.8) > 1e-12 || sw[0].Base != 2 {
		t.Errorf("tornado %+v", sw)
	}
	if r := Spearman([]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}); r != 1 {
		t.Errorf("spearman of monotone data %g", r)
	}
	if r := Spearman([]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}); r != -1 {
		t.Errorf("spearman of reversed data %g", r)
	}
}

// ExampleSobol estimates the Sobol indices of y = x1 + 2 x2 with independent
// standard normal inputs: S1 = ST = 1/5 and 4/5.
func ExampleSobol() {
	n, _ := dist.NewNormal(0, 1)
	f := func(x []float64) float64 { return x[0] + 2*x[1] }
	res, _ := Sobol(f, []dist.Distribution{n, n}, SobolOptions{N: 4096, Seed: 1,
		Groups: []Group{{"x1", []int{0}}, {"x2", []int{1}}}})
	for _, ix := range res.Indices {
		fmt.Printf("%s: S1 %.1f, ST %.1f\n", ix.Name, ix.S1, ix.ST)
	}
	// Output:
	// x1: S1 0.2, ST 0.2
	// x2: S1 0.8, ST 0.8
}

// TestSobolLargeMean: indices do not depend on the output's mean. y = 1e6 +
// x1 + 2 x2 with standard normal inputs has S1 = ST = 1/5 and 4/5; before
// the first-order numerator was centred, an output whose mean is 1e6 times
// its sd gave S1 intervals hundreds of times wider than these.
func TestSobolLargeMean(t *testing.T) {
	n, _ := dist.NewNormal(0, 1)
	for _, offset := range []float64{0, 1e6} {
		f := func(x []float64) float64 { return offset + x[0] + 2*x[1] }
		res, err := Sobol(f, []dist.Distribution{n, n}, SobolOptions{N: 1024, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []float64{0.2, 0.8} {
			ix := res.Indices[i]
			if math.Abs(ix.S1-want) > 0.05 || ix.S1Hi-ix.S1Lo > 0.1 {
				t.Errorf("offset %g, x%d: S1 %.4f [%.4f, %.4f], want %.1f with width below 0.1", offset, i+1, ix.S1, ix.S1Lo, ix.S1Hi, want)
			}
		}
	}
}
