package dist

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestInverseUError: the numerical inverse of Beta CDFs (every PERT shape
// of model R, the uniform and skewed extremes of PERT, and shapes with a
// flat end) has u-error |F(x(u)) - u| under 1e-10 on a grid of 200,001
// points and at both ends, checked with gonum's regularised incomplete
// beta function, and never decreases (beyond rounding).
func TestInverseUError(t *testing.T) {
	shapes := [][2]float64{{1, 1}, {1, 5}, {5, 1}, {1.74, 4.26}, {2.33, 3.67}, {3, 3}, {1.0001, 4.9999}, {1.5, 1.5}, {4.9, 1.1}, {30, 2}}
	for _, sh := range shapes {
		b, err := NewBeta(sh[0], sh[1], 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		if b.inv == nil {
			t.Fatalf("Beta%v: no inverse", sh)
		}
		d := distuv.Beta{Alpha: sh[0], Beta: sh[1]}
		worst, prev := 0.0, math.Inf(-1)
		const n = 200_000
		for k := 0; k <= n; k++ {
			u := float64(k) / n
			if k == n {
				u = math.Nextafter(1, 0)
			}
			x := b.inv.at(u)
			if x < prev-1e-15 {
				t.Fatalf("Beta%v: inverse decreases at u=%g", sh, u)
			}
			prev = x
			worst = max(worst, math.Abs(d.CDF(x)-u))
		}
		if worst > 1e-10 {
			t.Errorf("Beta%v: max u-error %.3g", sh, worst)
		}
		t.Logf("Beta%v: %d intervals, max u-error %.2g", sh, len(b.inv.c), worst)
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
		worst, prev := 0.0, math.Inf(-1)
		const n = 200_000
		for k := 0; k <= n; k++ {
			u := float64(k) / n
			if k == n {
				u = math.Nextafter(1, 0)
			}
			x := l.inv.at(u)
			if x < prev*(1-1e-15) {
				t.Fatalf("LogNormal%v: inverse decreases at u=%g", p, u)
			}
			prev = x
			worst = max(worst, math.Abs(l.d.CDF(x)-u))
		}
		if worst > 1e-10 {
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
