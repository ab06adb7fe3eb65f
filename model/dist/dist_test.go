package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func mustD[D Distribution](t *testing.T) func(D, error) D {
	return func(d D, err error) D {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
}

// families returns one instance of every continuous family with a known
// (distuv-backed or closed-form) CDF.
func continuousFamilies(t *testing.T) map[string]Distribution {
	t.Helper()
	n, err := NewNormal(45000, 3000)
	l, err2 := LogNormalFromQuantiles(0.05, 15e6, 0.95, 45e6)
	tr, err3 := NewTriangular(0.04, 0.08, 0.15)
	pe, err4 := NewPERT(150000, 400000, 1500000, PERTLambda)
	be, err5 := NewBeta(0.7, 2.5, 0, 10)
	ga, err6 := NewGamma(0.6, 2)
	ga2, err7 := NewGamma(3.5, 0.5)
	u, err8 := NewUniform(20000, 40000)
	for _, e := range []error{err, err2, err3, err4, err5, err6, err7, err8} {
		if e != nil {
			t.Fatal(e)
		}
	}
	sw, _ := LogNormalFromQuantiles(0.05, 1, 0.95, 4)
	body, _ := LogNormalFromQuantiles(0.05, 0.9, 0.95, 1.6)
	mix := mustD[Mixture](t)(NewMixture([]Distribution{Shifted{sw, 1}, body}, []float64{0.17, 0.83}))
	par := mustD[Pareto](t)(NewPareto(1.5, 1.25))
	tpar := mustD[Truncated](t)(NewTruncated(par, 1.5, 8))
	trunc := mustD[Truncated](t)(NewTruncated(n, 40000, math.Inf(1)))
	return map[string]Distribution{"normal": n, "lognormal": l, "triangular": tr, "pert": pe,
		"beta": be, "gamma<1": ga, "gamma>1": ga2, "uniform": u, "mixture": mix, "truncated": trunc, "pareto truncated": tpar}
}

// TestSamplersMatchCDF draws 20,000 values (seed 1) from each family and
// checks the Kolmogorov-Smirnov distance to the distuv-backed CDF against
// the 0.1% critical value 1.95/sqrt(n), and the sample mean against Mean()
// within 5 standard errors.
func TestSamplersMatchCDF(t *testing.T) {
	const n = 20000
	for name, d := range continuousFamilies(t) {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			xs := make([]float64, n)
			sum, sum2 := 0.0, 0.0
			for i := range xs {
				xs[i] = d.Sample(r)
				sum += xs[i]
				sum2 += xs[i] * xs[i]
			}
			slices.Sort(xs)
			ks := 0.0
			for i, x := range xs {
				f := d.CDF(x)
				ks = math.Max(ks, math.Max(math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n)))
			}
			if crit := 1.95 / math.Sqrt(n); ks > crit {
				t.Errorf("KS distance %.4f > %.4f", ks, crit)
			}
			mean := sum / n
			sd := math.Sqrt(sum2/n - mean*mean)
			if tol := 5 * sd / math.Sqrt(n); math.Abs(mean-d.Mean()) > tol {
				t.Errorf("sample mean %g, Mean() %g, tolerance %g", mean, d.Mean(), tol)
			}
			for _, p := range []float64{0.05, 0.5, 0.95} {
				if got := d.CDF(d.Quantile(p)); math.Abs(got-p) > 1e-6 {
					t.Errorf("CDF(Quantile(%g)) = %g", p, got)
				}
			}
		})
	}
}

// TestAnalyticMoments checks Mean against closed forms.
func TestAnalyticMoments(t *testing.T) {
	pe := mustD[ScaledBeta](t)(NewPERT(150000, 400000, 1500000, 4))
	if want := (150000 + 4*400000 + 1500000) / 6.0; math.Abs(pe.Mean()-want) > 1e-6 {
		t.Errorf("PERT mean %g, want %g", pe.Mean(), want)
	}
	l := mustD[LogNormal](t)(LogNormalFromQuantiles(0.05, 15e6, 0.95, 45e6))
	mu := (math.Log(15e6) + math.Log(45e6)) / 2
	sigma := (math.Log(45e6) - math.Log(15e6)) / (2 * Z95)
	if want := math.Exp(mu + sigma*sigma/2); math.Abs(l.Mean()/want-1) > 1e-12 {
		t.Errorf("lognormal mean %g, want %g", l.Mean(), want)
	}
	if q := l.Quantile(0.95); math.Abs(q/45e6-1) > 1e-9 {
		t.Errorf("lognormal p95 %g", q)
	}
	ui := mustD[UniformInt](t)(NewUniformInt(1, 5))
	r := rand.New(rand.NewPCG(3, 4))
	counts := map[float64]int{}
	for i := 0; i < 50000; i++ {
		counts[ui.Sample(r)]++
	}
	for k := 1.0; k <= 5; k++ {
		if c := counts[k]; math.Abs(float64(c)-10000) > 5*math.Sqrt(50000*0.2*0.8) {
			t.Errorf("uniform_int count of %g = %d", k, c)
		}
	}
	if ui.Quantile(0.2) != 1 || ui.Quantile(0.21) != 2 || ui.CDF(3) != 0.6 {
		t.Errorf("uniform_int quantile/CDF wrong")
	}
	dd := mustD[Discrete](t)(NewDiscrete([]float64{3, 1, 2}, []float64{0.5, 0.25, 0.25}))
	if dd.Mean() != 2.25 || dd.Quantile(0.3) != 2 || dd.CDF(2) != 0.5 {
		t.Errorf("discrete: mean %g q %g cdf %g", dd.Mean(), dd.Quantile(0.3), dd.CDF(2))
	}
}

func TestSampleDoesNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for name, d := range continuousFamilies(t) {
		if a := testing.AllocsPerRun(100, func() { d.Sample(r) }); a != 0 {
			t.Errorf("%s: %v allocations per Sample", name, a)
		}
	}
}

// benchFamilies are the families of model R, with R's parameters.
func benchFamilies() map[string]Distribution {
	fams := map[string]Distribution{}
	fams["lognormal"], _ = LogNormalFromQuantiles(0.05, 15e6, 0.95, 45e6)
	fams["pert"], _ = NewPERT(150000, 400000, 1500000, 4)
	fams["uniform_int"], _ = NewUniformInt(1, 5)
	fams["triangular"], _ = NewTriangular(0.04, 0.08, 0.15)
	return fams
}

// BenchmarkFill is the engine's path: a column of 1,024 draws per call;
// ns/op is per draw.
func BenchmarkFill(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	fams := benchFamilies()
	col := make([]float64, 1024)
	for _, name := range []string{"lognormal", "pert", "uniform_int", "triangular"} {
		f := fams[name].(Filler)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i += len(col) {
				f.Fill(r, col)
			}
		})
	}
}

// BenchmarkMixture is R's IT overrun (a 0.17/0.83 mixture of a shifted
// and a plain lognormal) drawn a column of 1,024 at a time by FillPCG and
// one draw at a time by Sample, and made from a column of uniforms by
// FillFromUniform and one at a time by FromUniform; ns/op is per draw.
func BenchmarkMixture(b *testing.B) {
	sw, _ := LogNormalFromQuantiles(0.05, 1, 0.95, 4)
	body, _ := LogNormalFromQuantiles(0.05, 0.9, 0.95, 1.6)
	mix, _ := NewMixture([]Distribution{Shifted{sw, 1}, body}, []float64{0.17, 0.83})
	src := rand.NewPCG(1, 2)
	r := rand.New(src)
	col := make([]float64, 1024)
	b.Run("FillPCG", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i += len(col) {
			FillPCG(mix, src, col)
		}
	})
	b.Run("Sample", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i += len(col) {
			for j := range col {
				col[j] = mix.Sample(r)
			}
		}
	})
	us := make([]float64, len(col))
	for j := range us {
		us[j] = r.Float64()
	}
	b.Run("FillFromUniform", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i += len(col) {
			copy(col, us)
			FillFromUniform(mix, col)
		}
	})
	var md Distribution = mix // as the engine holds it (no conversion per call)
	b.Run("FromUniform", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i += len(col) {
			for j, v := range us {
				col[j] = FromUniform(md, v)
			}
		}
	})
}

func BenchmarkSample(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	fams := benchFamilies()
	for _, name := range []string{"lognormal", "pert", "uniform_int", "triangular"} {
		d := fams[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			s := 0.0
			for i := 0; i < b.N; i++ {
				s += d.Sample(r)
			}
			_ = s
		})
	}
}

// TestMetalog: three quantiles of a lognormal reproduced exactly; a
// lower-bounded metalog through lognormal quantiles is (to the fit's
// accuracy) that lognormal; invalid fits are refused.
func TestMetalog(t *testing.T) {
	// "The last ERP cost £6m, it could be £25m": too skewed for an unbounded
	// three-term metalog, valid with a lower bound of 0.
	if _, err := NewMetalog([]float64{0.1, 0.5, 0.9}, []float64{6e6, 9e6, 25e6}, 0, false); err == nil {
		t.Error("unbounded metalog through 6m, 9m, 25m accepted")
	}
	m, err := NewMetalog([]float64{0.1, 0.5, 0.9}, []float64{6e6, 9e6, 25e6}, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]float64{{0.1, 6e6}, {0.5, 9e6}, {0.9, 25e6}} {
		if q := m.Quantile(c[0]); math.Abs(q-c[1]) > 1 {
			t.Errorf("Quantile(%g) = %g, want %g", c[0], q, c[1])
		}
		if p := m.CDF(c[1]); math.Abs(p-c[0]) > 1e-6 {
			t.Errorf("CDF(%g) = %g, want %g", c[1], p, c[0])
		}
	}
	ln, _ := LogNormalFromQuantiles(0.05, 1, 0.95, 4)
	ps := []float64{0.1, 0.5, 0.9}
	xs := []float64{ln.Quantile(0.1), ln.Quantile(0.5), ln.Quantile(0.9)}
	b, err := NewMetalog(ps, xs, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	// ln(x) is normal, whose quantile is a1 + a2 L only approximately; check
	// the body within 2%.
	for _, p := range []float64{0.25, 0.75} {
		if r := b.Quantile(p) / ln.Quantile(p); math.Abs(r-1) > 0.02 {
			t.Errorf("bounded metalog P%g off by %.3f", 100*p, r-1)
		}
	}
	if math.Abs(b.Mean()/ln.Mean()-1) > 0.03 {
		t.Errorf("mean %g vs lognormal %g", b.Mean(), ln.Mean())
	}
	if _, err := NewMetalog([]float64{0.1, 0.5, 0.9}, []float64{1, 1.1, 100}, 0, false); err == nil {
		t.Error("a wildly skewed unbounded metalog was accepted")
	}
	if _, err := NewMetalog([]float64{0.1, 0.5, 0.9}, []float64{1, 3, 2}, 0, false); err == nil {
		t.Error("decreasing quantiles accepted")
	}
}

// TestFillMatchesSample: the column path draws exactly what Sample draws.
func TestFillMatchesSample(t *testing.T) {
	ds := continuousFamilies(t)
	ui, _ := NewUniformInt(1, 5)
	ds["uniform_int"] = ui
	ds["fixed"] = Fixed{3}
	for name, d := range ds {
		f, ok := d.(Filler)
		if !ok {
			continue
		}
		r1, r2 := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
		got := make([]float64, 1000)
		f.Fill(r1, got)
		for i := range got {
			if want := d.Sample(r2); got[i] != want {
				t.Fatalf("%s: Fill draw %d = %g, Sample %g", name, i, got[i], want)
			}
		}
	}
}

// TestFillPCGMatchesSample: FillPCG draws exactly what Sample draws from a
// rand.Rand over the same generator, for every family it takes (uniform
// integers over ranges that are and are not powers of two); the generator
// is left where Sample leaves it; other families are refused untouched.
func TestFillPCGMatchesSample(t *testing.T) {
	ds := continuousFamilies(t)
	for _, r := range [][2]int{{1, 5}, {0, 7}, {-3, 1000003}} {
		ds[fmt.Sprintf("uniform_int[%d,%d]", r[0], r[1])] = mustD[UniformInt](t)(NewUniformInt(r[0], r[1]))
	}
	ds["fixed"] = Fixed{3}
	ds["bernoulli"] = Bernoulli{0.3}
	ds["discrete"] = mustD[Discrete](t)(NewDiscrete([]float64{3, 1, 2}, []float64{0.2, 0.5, 0.3}))
	// Mixtures: fillMixture takes those whose components draw one uniform
	// each (a zero weight included); one with a normal or five components
	// is refused (checked below: the generator untouched).
	pe, u, n := ds["pert"], ds["uniform"], ds["normal"]
	l := ds["lognormal"]
	ds["mixture of four"] = mustD[Mixture](t)(NewMixture([]Distribution{pe, Shifted{u, -3}, Shifted{pe, 2.5}, l}, []float64{0.3, 0.2, 0, 0.5}))
	ds["mixture with a normal"] = mustD[Mixture](t)(NewMixture([]Distribution{pe, n}, []float64{0.5, 0.5}))
	ds["mixture of five"] = mustD[Mixture](t)(NewMixture([]Distribution{pe, u, pe, u, l}, []float64{0.2, 0.2, 0.2, 0.2, 0.2}))
	ds["mixture, shifted twice"] = mustD[Mixture](t)(NewMixture([]Distribution{Shifted{Shifted{u, 1}, 2}, u}, []float64{0.5, 0.5}))
	mixTaken := map[string]bool{"mixture": true, "mixture of four": true,
		"mixture with a normal": false, "mixture of five": false, "mixture, shifted twice": false}
	taken := 0
	for name, d := range ds {
		p1, p2 := rand.NewPCG(5, 6), rand.NewPCG(5, 6)
		r2 := rand.New(p2)
		got := make([]float64, 3000)
		ok := FillPCG(d, p1, got)
		if want, listed := mixTaken[name]; listed && ok != want {
			t.Errorf("%s: FillPCG took it: %v, want %v", name, ok, want)
		}
		if !ok {
			if *p1 != *rand.NewPCG(5, 6) {
				t.Errorf("%s: refused but used the generator", name)
			}
			continue
		}
		taken++
		for i := range got {
			if want := d.Sample(r2); got[i] != want {
				t.Fatalf("%s: FillPCG draw %d = %g, Sample %g", name, i, got[i], want)
			}
		}
		if p1.Uint64() != p2.Uint64() {
			t.Errorf("%s: FillPCG left the generator elsewhere than Sample", name)
		}
	}
	if taken < 10 {
		t.Errorf("FillPCG took only %d families", taken)
	}
}

// TestFillFromUniformMatchesFromUniform: the column path gives exactly
// FromUniform's value, uniforms at and beyond the inverse tables' ends
// included.
func TestFillFromUniformMatchesFromUniform(t *testing.T) {
	ds := continuousFamilies(t)
	ds["uniform_int"] = mustD[UniformInt](t)(NewUniformInt(1, 5))
	ds["bernoulli"] = mustD[Bernoulli](t)(NewBernoulli(0.3))
	// Mixtures beside R's ("mixture"): components through FromUniform
	// (PERT, shifted uniform), a zero weight, a lognormal without a shift;
	// and one of five components (all through FromUniform).
	pe, l := ds["pert"], ds["lognormal"]
	ds["mixture of four"] = mustD[Mixture](t)(NewMixture([]Distribution{pe, Shifted{ds["uniform"], -3}, Shifted{l, 2.5}, l}, []float64{0.3, 0.2, 0, 0.5}))
	ds["mixture of five"] = mustD[Mixture](t)(NewMixture([]Distribution{pe, l, pe, l, pe}, []float64{0.2, 0.2, 0.2, 0.2, 0.2}))
	edges := []float64{0, 0x1p-60, 1e-14, 1e-13, 2e-13, 0.3, 0.7, 0.5, 0.6, 1 - 1e-13, 1 - 2e-14, 1 - 0x1p-53,
		1, 0x1p-61, 1e-300, 1.5}
	r := rand.New(rand.NewPCG(3, 4))
	for name, d := range ds {
		for _, withEdges := range []bool{false, true} {
			u := make([]float64, 1024)
			for i := range u {
				u[i] = r.Float64()
			}
			if withEdges {
				copy(u[100:], edges)
			}
			want := make([]float64, len(u))
			for i, v := range u {
				want[i] = FromUniform(d, v)
			}
			FillFromUniform(d, u)
			for i := range u {
				if u[i] != want[i] {
					t.Fatalf("%s (edges %v): draw %d = %g, FromUniform %g", name, withEdges, i, u[i], want[i])
				}
			}
		}
	}
}

// TestMixtureSupport: a mixture's support is the union of its components'
// (issue 19: the default IT overrun's ends were computed by a bisection
// that strayed to [-2.2, 11.8]). Here uniform[1, 2] and uniform[5, 9] with
// weights 0.3 and 0.7: ends 1 and 9, and the quantile at 0.3 is 2
// (analytically: all of the first component's mass lies below 2).
func TestMixtureSupport(t *testing.T) {
	m, err := NewMixture([]Distribution{Uniform{1, 2}, Uniform{5, 9}}, []float64{0.3, 0.7})
	if err != nil {
		t.Fatal(err)
	}
	if lo, hi := m.Quantile(0), m.Quantile(1); lo != 1 || hi != 9 {
		t.Errorf("support [%v, %v], want [1, 9]", lo, hi)
	}
	if q := m.Quantile(0.3); math.Abs(q-2) > 1e-6 {
		t.Errorf("Quantile(0.3) = %v, want 2", q)
	}
	for _, c := range []struct {
		v    float64
		want bool
	}{{0.5, false}, {1, true}, {1.5, true}, {3, false}, {9, true}, {9.5, false}} {
		if got := Possible(m, c.v); got != c.want {
			t.Errorf("Possible(mixture, %v) = %v, want %v", c.v, got, c.want)
		}
	}
	b, _ := NewBernoulli(0.2)
	d, _ := NewDiscrete([]float64{1, 2, 3}, []float64{0.5, 0, 0.5})
	for _, c := range []struct {
		d    Distribution
		v    float64
		want bool
	}{{b, 0, true}, {b, 1, true}, {b, 0.5, false}, {UniformInt{1, 4}, 2, true}, {UniformInt{1, 4}, 2.5, false},
		{d, 2, false}, {d, 3, true}, {Shifted{b, 1}, 2, true}, {Shifted{b, 1}, 0, false}, {Fixed{3}, 3, true}, {Fixed{3}, 4, false}} {
		if got := Possible(c.d, c.v); got != c.want {
			t.Errorf("Possible(%T, %v) = %v, want %v", c.d, c.v, got, c.want)
		}
	}
}

// TestUniformIntsMatchIntN: uniformInts gives what successive IntN calls
// on the same generator give and leaves it where they do, for powers of
// two and other counts, among them 3*2^61+1, where a quarter of the words
// are rejected, at lengths 0 to 9, 1,024 and 1,025, for 20 seeds.
func TestUniformIntsMatchIntN(t *testing.T) {
	for _, k := range []int{1, 2, 5, 8, 1000007, 1 << 40, 3<<61 + 1} {
		for _, n := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1024, 1025} {
			for seed := range uint64(20) {
				r := rand.New(rand.NewPCG(seed, 11))
				src := rand.NewPCG(seed, 11)
				got := make([]float64, n)
				uniformInts(src, -2, k, got)
				for i, g := range got {
					if want := float64(-2 + r.IntN(k)); g != want {
						t.Fatalf("k=%d n=%d seed %d: draw %d = %v, IntN %v", k, n, seed, i, g, want)
					}
				}
				if a, b := r.Uint64(), src.Uint64(); a != b {
					t.Fatalf("k=%d n=%d seed %d: next word %x, want %x", k, n, seed, b, a)
				}
			}
		}
	}
}
