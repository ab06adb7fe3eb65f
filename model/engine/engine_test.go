package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// TestQuantilesMatchSort checks the histogram selection against sorting on
// data shaped to break it: ties, heavy tails, infinities, NaN, constants,
// a range too wide for doubles, and float32.
func TestQuantilesMatchSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	gens := map[string]func() float64{
		"ties":      func() float64 { return math.Floor(r.NormFloat64() * 10) },
		"normal":    func() float64 { return r.NormFloat64() },
		"heavy":     func() float64 { return math.Exp(5 * r.NormFloat64()) },
		"few":       func() float64 { return float64(r.IntN(11)) },
		"wide_ints": func() float64 { return math.Floor(r.NormFloat64() * 1e4) },
		"payback": func() float64 {
			if r.Float64() < 0.2 {
				return math.Inf(1)
			}
			return float64(r.IntN(11))
		},
		"constant":  func() float64 { return 3 },
		"clustered": func() float64 { return 1e9 + r.Float64()*1e-3 + float64(r.IntN(2))*1e12 },
		"infinite": func() float64 {
			if u := r.Float64(); u < 0.3 {
				return math.Inf(1)
			} else if u < 0.35 {
				return math.Inf(-1)
			}
			return r.NormFloat64()
		},
		"all_inf": func() float64 { return math.Inf(1) },
		"nan": func() float64 {
			if r.Float64() < 0.01 {
				return math.NaN()
			}
			return r.NormFloat64()
		},
		"extreme": func() float64 { return (r.Float64() - 0.5) * math.MaxFloat64 },
	}
	ps := []float64{0, 0.05, 0.1, 0.5, 0.9, 0.95, 1}
	check := func(name string, n int, got []float64, s []float64) {
		t.Helper()
		slices.Sort(s)
		for i, p := range ps {
			h := p * float64(n-1)
			lo := int(math.Floor(h))
			hi := min(lo+1, n-1)
			want := s[lo]
			if s[lo] != s[hi] && !math.IsInf(s[lo], 0) && !math.IsInf(s[hi], 0) {
				want = s[lo] + (h-float64(lo))*(s[hi]-s[lo])
			} else if h > float64(lo) && math.IsInf(s[hi], 0) {
				want = s[hi]
			}
			if got[i] != want && !(math.IsNaN(got[i]) && math.IsNaN(want)) {
				t.Errorf("%s n=%d p=%g: got %g want %g", name, n, p, got[i], want)
			}
		}
	}
	sc := new(Scratch)
	for name, g := range gens {
		for _, n := range []int{1, 2, 5, 33, 1000, 100001} {
			x := make([]float64, n)
			for i := range x {
				x[i] = g()
			}
			orig := slices.Clone(x)
			got := sc.Quantiles(x, ps)
			if !slices.EqualFunc(x, orig, func(a, b float64) bool { return a == b || a != a && b != b }) {
				t.Fatal("Quantiles modified its input")
			}
			check(name, n, got, slices.Clone(x))
			x32 := make([]float32, n)
			s32 := make([]float64, n)
			for i, v := range x {
				x32[i] = float32(v)
				s32[i] = float64(x32[i])
			}
			check(name+"/float32", n, sc.Quantiles32(x32, ps), s32)
		}
	}
}

// linearModel: out = a + 2b, with a ~ N(1, 1), b ~ U(0, 1).
func linearModel(t *testing.T) *Model {
	t.Helper()
	a, err := dist.NewNormal(1, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := dist.NewUniform(0, 1)
	return &Model{
		Inputs:  []Input{{"a", a}, {"b", b}},
		Outputs: []string{"y", "a"},
		NewEval: func() EvalFunc {
			return func(in, out []float64) { out[0] = in[0] + 2*in[1]; out[1] = in[0] }
		},
	}
}

// TestRunMoments checks mean and sd against the analytic values
// (mean 2, variance 1 + 4/12) within derived tolerances, seed 42.
func TestRunMoments(t *testing.T) {
	const n = 200_000
	res, err := Run(context.Background(), linearModel(t), Options{Iterations: n, Seed: 42, Keep: []int{0}})
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(1 + 4.0/12)
	if tol := 5 * sd / math.Sqrt(n); math.Abs(res.Mean[0]-2) > tol {
		t.Errorf("mean %g, want 2 ± %g", res.Mean[0], tol)
	}
	if math.Abs(res.SD[0]/sd-1) > 0.01 {
		t.Errorf("sd %g, want %g", res.SD[0], sd)
	}
	m, s := MeanSD(res.Kept[0])
	if math.Abs(m-res.Mean[0]) > 1e-9 || math.Abs(s-res.SD[0]) > 1e-9 {
		t.Errorf("block-combined moments %g %g differ from direct %g %g", res.Mean[0], res.SD[0], m, s)
	}
}

// TestMomentsFarFromZero: an output of 1e12 + N(1, 1) keeps its standard
// deviation to 1e-6 relative (one-pass block sums are shifted, so there is
// no cancellation), checked against the two-pass MeanSD of the draws of
// N(1, 1), and its mean to the resolution of doubles near 1e12.
func TestMomentsFarFromZero(t *testing.T) {
	m := linearModel(t)
	m.NewEval = func() EvalFunc {
		return func(in, out []float64) { out[0] = 1e12 + in[0]; out[1] = in[0] }
	}
	res, err := Run(context.Background(), m, Options{Iterations: 50_000, Seed: 5, Keep: []int{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	_, sd := MeanSD(res.Kept[1])
	if math.Abs(res.SD[0]/sd-1) > 1e-6 || math.Abs(res.SD[1]/sd-1) > 1e-12 {
		t.Errorf("sd %.15g and %.15g, want %.15g", res.SD[0], res.SD[1], sd)
	}
	if want := 1e12 + res.Mean[1]; math.Abs(res.Mean[0]-want) > 1e-3 {
		t.Errorf("mean %.15g, want %.15g", res.Mean[0], want)
	}
}

// TestBitIdenticalAcrossWorkers is the reproducibility contract.
func TestBitIdenticalAcrossWorkers(t *testing.T) {
	m := linearModel(t)
	var ref *Result
	for _, w := range []int{1, 2, 3, 8} {
		res, err := Run(context.Background(), m, Options{Iterations: 10_000 + 17, Seed: 9, Workers: w, Keep: []int{0}, Sample: []int{1}, SampleSize: 3000, KeepInputs: true})
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = res
			continue
		}
		if !slices.Equal(ref.Kept[0], res.Kept[0]) || !slices.Equal(ref.Mean, res.Mean) || !slices.Equal(ref.SD, res.SD) || !slices.Equal(ref.Sampled[0], res.Sampled[0]) {
			t.Errorf("workers=%d: results differ from workers=1", w)
		}
	}
}

// TestCommonRandomNumbers: an input shared by name gets the same draws in
// another model, whatever else that model contains.
func TestCommonRandomNumbers(t *testing.T) {
	m1 := linearModel(t)
	c, _ := dist.NewUniform(5, 6)
	m2 := &Model{Inputs: []Input{{"c", c}, m1.Inputs[0]}, Outputs: []string{"a"},
		NewEval: func() EvalFunc { return func(in, out []float64) { out[0] = in[1] } }}
	r1, _ := Run(context.Background(), m1, Options{Iterations: 5000, Seed: 3, KeepInputs: true})
	r2, _ := Run(context.Background(), m2, Options{Iterations: 5000, Seed: 3, KeepInputs: true})
	if !slices.Equal(r1.Inputs[0], r2.Inputs[1]) {
		t.Error("shared input a drew different values in the two models")
	}
	r3, _ := Run(context.Background(), m1, Options{Iterations: 5000, Seed: 4, KeepInputs: true})
	if slices.Equal(r1.Inputs[0], r3.Inputs[0]) {
		t.Error("different seeds drew the same values")
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, linearModel(t), Options{Iterations: 1e6}); err == nil {
		t.Error("cancelled run returned no error")
	}
}

func BenchmarkQuantiles1M(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Quantiles(x, Levels[:])
	}
}

// TestSummarize checks the summary of 1..101: mean 51, sd sqrt(858.5),
// type-7 P5 = 6, P50 = 51, P95 = 96.
func TestSummarize(t *testing.T) {
	x := make([]float64, 101)
	for i := range x {
		x[i] = float64(i + 1)
	}
	s := Summarize(x)
	if s.N != 101 || s.Mean != 51 || math.Abs(s.SD-math.Sqrt(858.5)) > 1e-12 || s.P5 != 6 || s.P50 != 51 || s.P95 != 96 || s.P10 != 11 {
		t.Errorf("%+v", s)
	}
	if math.Abs(s.MCSE-s.SD/math.Sqrt(101)) > 1e-15 {
		t.Errorf("mcse %g", s.MCSE)
	}
}
