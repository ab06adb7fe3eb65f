package qmc

import (
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLatinHypercubeStrata checks that each of n strata holds exactly one
// point, for several n, in every column of several independent designs.
func TestLatinHypercubeStrata(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 7, 100, 1024} {
		u := make([]float64, n)
		for rep := 0; rep < 20; rep++ {
			LatinHypercube(r, u)
			seen := make([]int, n)
			for _, v := range u {
				if !(v >= 0 && v < 1) {
					t.Fatalf("n=%d: point %v outside [0, 1)", n, v)
				}
				seen[int(v*float64(n))]++
			}
			for k, c := range seen {
				if c != 1 {
					t.Fatalf("n=%d: stratum %d holds %d points", n, k, c)
				}
			}
		}
	}
}

// TestUniformMeans checks that LHS and scrambled Sobol points average 1/2
// and 1/3 for x and x^2 over many independent designs (each point is
// uniform), within 5 standard errors of the plain Monte Carlo estimate.
func TestUniformMeans(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n, reps = 100, 2000
	design := make([]uint16, n)
	if err := SobolDesign(5, design); err != nil {
		t.Fatal(err)
	}
	for name, fill := range map[string]func([]float64){
		"lhs":   func(u []float64) { LatinHypercube(r, u) },
		"sobol": func(u []float64) { ScrambledSobol(r, design, u) },
	} {
		u := make([]float64, n)
		var s1, s2 float64
		for rep := 0; rep < reps; rep++ {
			fill(u)
			for _, v := range u {
				s1 += v
				s2 += v * v
			}
		}
		N := float64(n * reps)
		// Plain MC standard errors of the two means (upper bounds for these designs).
		if d := s1/N - 0.5; math.Abs(d) > 5*math.Sqrt(1.0/12/N) {
			t.Errorf("%s: mean of u is off by %g", name, d)
		}
		if d := s2/N - 1.0/3; math.Abs(d) > 5*math.Sqrt(4.0/45/N) {
			t.Errorf("%s: mean of u^2 is off by %g", name, d)
		}
	}
}

// netT returns the smallest t for which the points (each an s-vector of
// 10-digit integers) form a (t, m, s)-net in base 2, with n = 2^m points:
// every elementary box of volume 2^(t-m) holds exactly 2^t points.
func netT(pts [][]uint16, m int) int {
	s := len(pts[0])
	for t := 0; t <= m; t++ {
		ok := true
		// Every split of m-t digits among the s coordinates.
		var rec func(j, left int, d []int)
		rec = func(j, left int, d []int) {
			if !ok {
				return
			}
			if j == s-1 {
				d[j] = left
				count := map[uint64]int{}
				for _, p := range pts {
					var key uint64
					for c := 0; c < s; c++ {
						key = key<<DesignBits | uint64(p[c]>>(DesignBits-d[c]))
					}
					count[key]++
				}
				if len(count) != 1<<(m-t) {
					ok = false
				}
				for _, c := range count {
					if c != 1<<t {
						ok = false
					}
				}
				return
			}
			for k := 0; k <= left; k++ {
				d[j] = k
				rec(j+1, left-k, d)
			}
		}
		rec(0, m-t, make([]int, s))
		if ok {
			return t
		}
	}
	return m + 1
}

// TestSobolNet checks the (t, m, s)-net property of the first 2^m Sobol'
// points on small m: every single dimension of the 2,048 is a (0, m, 1)-net;
// dimensions 1 and 2 form a (0, m, 2)-net; dimensions 1..s form a net with
// t at most sum_j (e_j - 1) over the degrees e_j of their primitive
// polynomials (Sobol' 1967; dimension 1 counts e = 1), a bound the
// direction numbers must meet. Owen scrambling preserves the net property
// (Owen 1995, Proposition 1), which is checked on scrambled points too.
func TestSobolNet(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	degrees := []int{1, 1, 2, 3, 3, 4} // dims 1..6 (Joe-Kuo: s of d=2..6)
	for _, m := range []int{4, 6, 8} {
		n := 1 << m
		cols := make([][]uint16, MaxSobolDims)
		for d := range cols {
			cols[d] = make([]uint16, n)
			if err := SobolDesign(d, cols[d]); err != nil {
				t.Fatal(err)
			}
			one := make([][]uint16, n)
			for i := range one {
				one[i] = []uint16{cols[d][i]}
			}
			if got := netT(one, m); got != 0 {
				t.Fatalf("m=%d: dimension %d is a (%d,m,1)-net, want 0", m, d+1, got)
			}
		}
		for s := 2; s <= len(degrees); s++ {
			bound := 0
			for _, e := range degrees[:s] {
				bound += e - 1
			}
			if s == 2 {
				bound = 0
			}
			for _, scrambled := range []bool{false, true} {
				pts := make([][]uint16, n)
				trees := make([]OwenTree, s)
				for j := range trees {
					trees[j].Draw(r)
				}
				for i := range pts {
					pts[i] = make([]uint16, s)
					for j := 0; j < s; j++ {
						pts[i][j] = cols[j][i]
						if scrambled {
							pts[i][j] = trees[j].Scramble(cols[j][i])
						}
					}
				}
				if got := netT(pts, m); got > min(bound, m) {
					t.Errorf("m=%d s=%d scrambled=%v: t = %d, bound %d", m, s, scrambled, got, bound)
				}
			}
		}
	}
}

// TestSobolFirstPoints pins the first eight points of dimensions 1-3 in
// Gray-code order, worked by hand from the recurrence (dimension 3: s = 2,
// a = 1, m = (1, 3), so v = 1/2, 3/4, 3/8) and equal to the unscrambled
// output of scipy.stats.qmc.Sobol(d=3, scramble=False), which uses the
// same Joe-Kuo table and order.
func TestSobolFirstPoints(t *testing.T) {
	want := [][]float64{
		{0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125}, // dimension 1, Gray order
		{0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625},
		{0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375},
	}
	for d, w := range want {
		got := make([]uint16, len(w))
		if err := SobolDesign(d, got); err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if float64(got[i])/DesignSize != w[i] {
				t.Errorf("dimension %d point %d: got %v, want %v", d+1, i, float64(got[i])/DesignSize, w[i])
			}
		}
	}
}

// TestOwenScrambleBijection checks that a scrambling permutes the 1,024
// digit strings (so a scrambled design keeps one point per stratum).
func TestOwenScrambleBijection(t *testing.T) {
	var tr OwenTree
	tr.Draw(rand.New(rand.NewPCG(7, 8)))
	seen := make([]bool, DesignSize)
	for x := 0; x < DesignSize; x++ {
		y := tr.Scramble(uint16(x))
		if seen[y] {
			t.Fatalf("Scramble maps two digit strings to %d", y)
		}
		seen[y] = true
	}
}

func BenchmarkScrambledSobol(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	d := make([]uint16, DesignSize)
	SobolDesign(7, d)
	u := make([]float64, DesignSize)
	b.ReportAllocs()
	for b.Loop() {
		ScrambledSobol(r, d, u)
	}
}

// TestScrambledSobolMatchesScramble checks the level-by-level table of
// ScrambledSobol against OwenTree.Scramble digit by digit.
func TestScrambledSobolMatchesScramble(t *testing.T) {
	design := make([]uint16, DesignSize)
	SobolDesign(3, design)
	u := make([]float64, DesignSize)
	r1 := rand.New(rand.NewPCG(9, 9))
	ScrambledSobol(r1, design, u)
	r2 := rand.New(rand.NewPCG(9, 9))
	var tr OwenTree
	tr.Draw(r2)
	for i, x := range design {
		want := (float64(tr.Scramble(x)) + r2.Float64()) / DesignSize
		if u[i] != want {
			t.Fatalf("point %d: %v, want %v", i, u[i], want)
		}
	}
}

// TestOwenTableMatchesScramble checks the table that ScrambledSobol and
// ScrambledSobolPCG read (built two levels a step) against
// OwenTree.Scramble digit by digit, for every 10-digit string under 500
// random trees (seed 12) and the all-zero and all-one trees.
func TestOwenTableMatchesScramble(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 0))
	var img [DesignSize]uint16
	for k := range 502 {
		var tr OwenTree
		switch k {
		case 0:
		case 1:
			for i := range tr {
				tr[i] = ^uint64(0)
			}
		default:
			tr.Draw(r)
		}
		tr.table(&img)
		for x := range DesignSize {
			if want := tr.Scramble(uint16(x)); img[x] != want {
				t.Fatalf("tree %d, x %d: table %d, Scramble %d", k, x, img[x], want)
			}
		}
	}
}

// BenchmarkScrambledSobolPCG is one input's block of 1,024 points as the
// engine draws them.
func BenchmarkScrambledSobolPCG(b *testing.B) {
	src := rand.NewPCG(1, 1)
	d := make([]uint16, DesignSize)
	SobolDesign(7, d)
	u := make([]float64, DesignSize)
	b.ReportAllocs()
	for b.Loop() {
		ScrambledSobolPCG(src, d, u)
	}
}

func BenchmarkOwenTable(b *testing.B) {
	var tr OwenTree
	tr.Draw(rand.New(rand.NewPCG(1, 1)))
	var img [DesignSize]uint16
	for b.Loop() {
		tr.table(&img)
	}
}

func BenchmarkLatinHypercube(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	u := make([]float64, DesignSize)
	b.ReportAllocs()
	for b.Loop() {
		LatinHypercube(r, u)
	}
}

func BenchmarkUniforms(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	u := make([]float64, DesignSize)
	b.ReportAllocs()
	for b.Loop() {
		for i := range u {
			u[i] = r.Float64()
		}
	}
}

// TestScrambledSobolPCGMatches: the concrete-generator path draws exactly
// what ScrambledSobol does with rand.New of the same generator, for full
// and partial designs.
//
// ScrambledSobolPCG converts each point as one integer where ScrambledSobol
// adds two floats, so every point's rounding is compared: 100 generator
// seeds for each size (in a full design, most points round).
func TestScrambledSobolPCGMatches(t *testing.T) {
	for _, n := range []int{DesignSize, 1000, 1} {
		design := make([]uint16, n)
		SobolDesign(5, design)
		want, got := make([]float64, n), make([]float64, n)
		for seed := range uint64(100) {
			ScrambledSobol(rand.New(rand.NewPCG(seed, uint64(n))), design, want)
			ScrambledSobolPCG(rand.NewPCG(seed, uint64(n)), design, got)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n=%d seed %d point %d: %v, want %v", n, seed, i, got[i], want[i])
				}
			}
		}
	}
}

// TestSobolDesignsPinned: every dimension's full design (1,024 points) is
// what the direction table gave when it was parsed whole at first use, by
// a SHA-256 of all 2,048 designs taken then (integers: the same on every
// machine). Do not change: a change here changes every Sobol' run.
func TestSobolDesignsPinned(t *testing.T) {
	h := sha256.New()
	design := make([]uint16, DesignSize)
	for d := range MaxSobolDims {
		if err := SobolDesign(d, design); err != nil {
			t.Fatal(err)
		}
		for _, x := range design {
			h.Write([]byte{byte(x), byte(x >> 8)})
		}
	}
	const pinned = "6e0d81e2330c7fc967d23fd937ed1352f7c7fb78fd22b44aa9800695d12dcdbd"
	if got := fmt.Sprintf("%x", h.Sum(nil)); got != pinned {
		t.Errorf("designs hash %s, pinned %s", got, pinned)
	}
}
