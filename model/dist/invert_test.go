package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"gonum.org/v1/gonum/stat/distuv"
)

// referenceRPERTs are reference model R's 14 migration PERTs (min, mode,
// max; shared/bench/REFERENCE_MODEL.md).
var referenceRPERTs = [][3]float64{
	{150e3, 400e3, 1500e3}, {80e3, 200e3, 800e3}, {200e3, 450e3, 1200e3}, {60e3, 150e3, 500e3},
	{40e3, 100e3, 400e3}, {100e3, 250e3, 900e3}, {50e3, 150e3, 600e3}, {30e3, 80e3, 300e3},
	{20e3, 50e3, 200e3}, {30e3, 70e3, 250e3}, {10e3, 30e3, 120e3}, {15e3, 40e3, 150e3},
	{20e3, 60e3, 250e3}, {100e3, 300e3, 1000e3},
}

// invUBound is the u-error the tests allow: UNU.RAN's default
// u-resolution. The construction bounds the error by invUTol = 1e-11 at
// each interval's midpoint only; between midpoints it measured up to
// 4.97e-11 (R's finance PERT, Beta(1.7407, 4.2593), at u = 0.444).
const invUBound = 1e-10

// checkInverse measures the u-error |F(x(u)) - u| at 63 points inside
// every interval of the table and at both ends, and checks the inverse
// never decreases: on the same points, and on 100,001 log-spaced levels in
// each far tail (u from 1e-15 to 1e-2, and 1 - u). It returns the largest
// u-error.
func checkInverse(t *testing.T, name string, iv *inverse, cdf func(float64) float64) float64 {
	t.Helper()
	worst, prev := 0.0, math.Inf(-1)
	mono := func(u, x float64) {
		if x < prev {
			t.Fatalf("%s: inverse decreases at u=%.17g (%.17g after %.17g)", name, u, x, prev)
		}
		prev = x
	}
	for _, u := range []float64{0, iv.seg[0].u0} {
		x := iv.at(u)
		mono(u, x)
		worst = max(worst, math.Abs(cdf(x)-u))
	}
	for j := range iv.intervals() {
		u0, u1 := iv.seg[j].u0, iv.seg[j+1].u0
		for k := 1; k < 64; k++ {
			u := u0 + (u1-u0)*float64(k)/64
			x := iv.at(u)
			mono(u, x)
			worst = max(worst, math.Abs(cdf(x)-u))
		}
	}
	last := math.Nextafter(1, 0)
	worst = max(worst, math.Abs(cdf(iv.at(last))-last))
	for _, upper := range []bool{false, true} {
		prev = math.Inf(-1)
		const n = 100_000
		for k := 0; k <= n; k++ {
			u := math.Pow(10, -15+13*float64(k)/n)
			if upper {
				u = 1 - math.Pow(10, -2-13*float64(k)/n)
			}
			mono(u, iv.at(u))
		}
	}
	return worst
}

// TestInverseUError: the numerical inverse of Beta CDFs (reference model
// R's 14 PERTs exactly, the uniform and skewed extremes of PERT, and
// shapes with a flat end), checked with gonum's regularised incomplete
// beta function: u-error at most invUBound everywhere tested, and
// monotone, including the far tails.
func TestInverseUError(t *testing.T) {
	shapes := [][2]float64{{1, 1}, {1, 5}, {5, 1}, {3, 3}, {1.0001, 4.9999}, {1.5, 1.5}, {4.9, 1.1}, {30, 2}}
	for _, r := range referenceRPERTs {
		a := 1 + PERTLambda*(r[1]-r[0])/(r[2]-r[0])
		shapes = append(shapes, [2]float64{a, 2 + PERTLambda - a})
	}
	for _, sh := range shapes {
		b, err := NewBeta(sh[0], sh[1], 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if b.inv.get() == nil {
			t.Fatalf("Beta%v: no inverse", sh)
		}
		d := distuv.Beta{Alpha: sh[0], Beta: sh[1]}
		worst := checkInverse(t, fmt.Sprintf("Beta%.4g", sh), b.inv.get(), d.CDF)
		if worst > invUBound {
			t.Errorf("Beta%.4g: max u-error %.3g", sh, worst)
		}
		t.Logf("Beta%.4g: %d intervals, max u-error %.3g", sh, b.inv.get().intervals(), worst)
	}
}

// TestInverseLogNormal: the same for lognormals from narrow to very wide,
// on the central 1 - 2e-13 of the mass (beyond it the draw is the cut
// point: u-error at most 1e-13).
func TestInverseLogNormal(t *testing.T) {
	for _, p := range [][2]float64{{0, 0.05}, {17, 0.33}, {0, 1}, {-3, 2.5}} {
		l, err := NewLogNormal(p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		if l.inv.get() == nil {
			t.Fatalf("LogNormal%v: no inverse", p)
		}
		worst := checkInverse(t, fmt.Sprintf("LogNormal%v", p), l.inv.get(), l.d.CDF)
		if worst > invUBound {
			t.Errorf("LogNormal%v: max u-error %.3g", p, worst)
		}
		t.Logf("LogNormal%v: %d intervals, max u-error %.2g", p, l.inv.get().intervals(), worst)
	}
}

// BenchmarkNewPERT is the set-up cost of a PERT: building its inverse
// table (on its first draw; NewPERT itself finds a table shared by
// parameters, so this builds it directly), and with the construction
// before issue 18's cuts (ref, invert_ref_test.go).
func BenchmarkNewPERT(b *testing.B) {
	a := 1 + PERTLambda*(400e3-150e3)/(1500e3-150e3)
	for _, c := range []struct {
		name  string
		build func(a, b float64) *inverse
	}{{"new", betaInverse}, {"ref", refBeta}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if c.build(a, 2+PERTLambda-a) == nil {
					b.Fatal("no table")
				}
			}
		})
	}
}

// BenchmarkNewLogNormal is the same for a lognormal (90% interval of
// 15e6 to 45e6).
func BenchmarkNewLogNormal(b *testing.B) {
	d, err := LogNormalFromQuantiles(0.05, 15e6, 0.95, 45e6)
	if err != nil {
		b.Fatal(err)
	}
	mu, sigma := d.Params()
	for _, c := range []struct {
		name  string
		build func(mu, sigma float64) *inverse
	}{{"new", lognormalInverse}, {"ref", refLogNormal}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if c.build(mu, sigma) == nil {
					b.Fatal("no table")
				}
			}
		})
	}
}

// TestInverseBuiltOnFirstDraw: a lognormal or PERT builds its inverse
// table only when first drawn from (validating a scenario builds none),
// once, the same table for every copy, and it holds only what a draw
// reads: under 100 bytes an interval.
func TestInverseBuiltOnFirstDraw(t *testing.T) {
	// Parameters no other test uses: tables are shared by parameters
	// (invcache.go) across the process.
	l, err := LogNormalFromQuantiles(0.05, 1.0001e6, 0.95, 3.0001e6)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPERT(150000, 400003, 1500000, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		lz   *lazyInverse
		draw func()
	}{
		{"lognormal", l.inv, func() { l.Sample(rand.New(rand.NewPCG(1, 2))) }},
		{"pert", p.inv, func() { FillFromUniform(p, []float64{0.5}) }},
	} {
		if c.lz.iv != nil || c.lz.build == nil {
			t.Errorf("%s: table built before any draw", c.name)
		}
		c.draw()
		iv := c.lz.iv
		if iv == nil || c.lz.get() != iv {
			t.Fatalf("%s: no table after a draw, or a second one", c.name)
		}
		bytes := len(iv.seg)*int(unsafe.Sizeof(invSeg{})) + 4*len(iv.guide)
		if per := bytes / iv.intervals(); per >= 100 {
			t.Errorf("%s: %d bytes an interval (%d intervals)", c.name, per, iv.intervals())
		}
		t.Logf("%s: %d intervals, %d bytes", c.name, iv.intervals(), bytes)
	}
}

// BenchmarkPERTQuantile compares the table with gonum's inverse incomplete
// beta function (what Quantile used before, and still uses in the tails).
func BenchmarkPERTQuantile(b *testing.B) {
	pe, _ := NewPERT(150000, 400000, 1500000, 4)
	b.Run("table", func(b *testing.B) {
		s := 0.0
		for i := 0; i < b.N; i++ {
			s += pe.Quantile(float64(i%1000+1) / 1002)
		}
		_ = s
	})
	b.Run("incbi", func(b *testing.B) {
		s := 0.0
		for i := 0; i < b.N; i++ {
			s += pe.d.Quantile(float64(i%1000+1) / 1002)
		}
		_ = s
	})
}

// TestInverseFallback: shapes whose table cannot be built (or need none)
// still construct and draw values inside the support, by the exact
// samplers.
func TestInverseFallback(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, sh := range [][2]float64{{1, 1000}, {1000, 1}, {2, 1e6}, {0.5, 0.5}} {
		b, err := NewBeta(sh[0], sh[1], 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		for range 1000 {
			if x := b.Sample(r); !(x >= 0 && x <= 1) {
				t.Fatalf("Beta%v drew %g", sh, x)
			}
		}
	}
	for _, p := range [][2]float64{{0, 1e-6}, {700, 1}, {0, 300}} {
		l, err := NewLogNormal(p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		for range 1000 {
			if x := l.Sample(r); !(x >= 0) || math.IsNaN(x) {
				t.Fatalf("LogNormal%v drew %g", p, x)
			}
		}
	}
}

// TestTableEstimate: TableEstimate covers the tables of lognormals of sigma
// up to 3 and of betas of shapes 1 to 100 once built; TableBytes counts a
// shared table once, and a built table at its size.
func TestTableEstimate(t *testing.T) {
	var ds []Distribution
	for _, s := range []float64{1e-4, 0.01, 0.1, 0.3, 0.6, 1, 1.5, 2, 3} {
		d, err := NewLogNormal(10.0001, s) // parameters no other test uses
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	for _, a := range []float64{1, 1.01, 1.2, 2, 5, 20, 100} {
		for _, b := range []float64{1, 1.01, 1.5, 3, 20, 100} {
			d, err := NewBeta(a*(1+1e-9), b*(1+1e-9), 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, d)
		}
	}
	before := TableBytes(ds)
	if before != int64(len(ds))*TableEstimate {
		t.Errorf("before any draw: %d bytes, want %d estimates", before, len(ds))
	}
	for _, d := range ds {
		FromUniform(d, 0.5)
	}
	for i, d := range ds {
		if n := TableBytes([]Distribution{d}); n <= 0 || n > TableEstimate {
			t.Errorf("%d (%v): %d bytes built, estimate %d", i, d, n, TableEstimate)
		}
	}
	// Copies share the table; a mixture of them counts it once.
	l := ds[5].(LogNormal)
	m, err := NewMixture([]Distribution{l, Shifted{D: l, Shift: 1}}, []float64{0.5, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := TableBytes([]Distribution{l, m, l}), l.inv.get().bytes(); got != want {
		t.Errorf("a shared table counted %d bytes, want %d", got, want)
	}
}
