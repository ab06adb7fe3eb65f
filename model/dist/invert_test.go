package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

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
	for _, u := range []float64{0, iv.u[0]} {
		x := iv.at(u)
		mono(u, x)
		worst = max(worst, math.Abs(cdf(x)-u))
	}
	for j := range iv.c {
		u0, u1 := iv.u[j], iv.u[j+1]
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
		if b.inv == nil {
			t.Fatalf("Beta%v: no inverse", sh)
		}
		d := distuv.Beta{Alpha: sh[0], Beta: sh[1]}
		worst := checkInverse(t, fmt.Sprintf("Beta%.4g", sh), b.inv, d.CDF)
		if worst > invUBound {
			t.Errorf("Beta%.4g: max u-error %.3g", sh, worst)
		}
		t.Logf("Beta%.4g: %d intervals, max u-error %.3g", sh, len(b.inv.c), worst)
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
		if l.inv == nil {
			t.Fatalf("LogNormal%v: no inverse", p)
		}
		worst := checkInverse(t, fmt.Sprintf("LogNormal%v", p), l.inv, l.d.CDF)
		if worst > invUBound {
			t.Errorf("LogNormal%v: max u-error %.3g", p, worst)
		}
		t.Logf("LogNormal%v: %d intervals, max u-error %.2g", p, len(l.inv.c), worst)
	}
}

// BenchmarkNewPERT is the set-up cost of a PERT (its inverse table).
func BenchmarkNewPERT(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := NewPERT(150000, 400000, 1500000, 4); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewLogNormal is the set-up cost of a lognormal (its inverse table).
func BenchmarkNewLogNormal(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := LogNormalFromQuantiles(0.05, 15e6, 0.95, 45e6); err != nil {
			b.Fatal(err)
		}
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
