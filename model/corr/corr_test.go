package corr

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// spearman is the rank correlation of x and y (no ties expected).
func spearman(x, y []float64) float64 {
	rx, ry := ranks(x), ranks(y)
	n := float64(len(x))
	mx := (n - 1) / 2
	var sxy, sxx, syy float64
	for i := range rx {
		a, b := rx[i]-mx, ry[i]-mx
		sxy += a * b
		sxx += a * a
		syy += b * b
	}
	return sxy / math.Sqrt(sxx*syy)
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for k, i := range idx {
		r[i] = float64(k)
	}
	return r
}

// TestReorder checks Iman-Conover on one block of 1,024 draws of three
// skewed columns: each column keeps its multiset of values, and the
// achieved Spearman correlations, averaged over 50 blocks, are within 0.01
// of the targets (the per-block noise of a rank correlation at n = 1024 is
// about 1/sqrt(n) = 0.03; averaged over 50 blocks, 0.005).
func TestReorder(t *testing.T) {
	target := [][]float64{{1, 0.7, -0.3}, {0.7, 1, 0}, {-0.3, 0, 1}}
	tg, err := NewTarget(target)
	if err != nil {
		t.Fatal(err)
	}
	const n, blocks = 1024, 50
	rd := tg.NewReorderer(n)
	r := rand.New(rand.NewPCG(0, 0))
	src := rand.New(rand.NewPCG(1, 2))
	var sum [3][3]float64
	for b := 0; b < blocks; b++ {
		cols := make([][]float64, 3)
		for j := range cols {
			cols[j] = make([]float64, n)
			for i := range cols[j] {
				cols[j][i] = math.Exp(src.NormFloat64() * float64(j+1) * 0.5)
			}
		}
		before := make([][]float64, 3)
		for j := range cols {
			before[j] = slices.Sorted(slices.Values(cols[j]))
		}
		rd.Reorder(cols, r, func(j int) { r = rand.New(rand.NewPCG(uint64(b), uint64(j))) })
		for j := range cols {
			if !slices.Equal(before[j], slices.Sorted(slices.Values(cols[j]))) {
				t.Fatalf("block %d: column %d's values changed", b, j)
			}
		}
		for i := 0; i < 3; i++ {
			for j := 0; j < i; j++ {
				sum[i][j] += spearman(cols[i], cols[j]) / blocks
			}
		}
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < i; j++ {
			if d := sum[i][j] - target[i][j]; math.Abs(d) > 0.01 {
				t.Errorf("Spearman(%d,%d) = %.4f, target %.2f", i, j, sum[i][j], target[i][j])
			}
		}
	}
}

func TestReorderAllocs(t *testing.T) {
	tg, _ := NewTarget([][]float64{{1, 0.5}, {0.5, 1}})
	rd := tg.NewReorderer(1024)
	cols := [][]float64{make([]float64, 1024), make([]float64, 1024)}
	r := rand.New(rand.NewPCG(0, 0))
	pcg := rand.NewPCG(0, 0)
	r = rand.New(pcg)
	if a := testing.AllocsPerRun(10, func() {
		rd.Reorder(cols, r, func(j int) { pcg.Seed(uint64(j), 1) })
	}); a != 0 {
		t.Errorf("Reorder allocates %v times a call", a)
	}
}

// TestCheckNamesInconsistentSet: a ~ b 0.9, b ~ c 0.9, a ~ c -0.9 cannot
// hold; with an unrelated fourth input d, the set reported is {a, b, c}.
func TestCheckNamesInconsistentSet(t *testing.T) {
	r := [][]float64{
		{1, 0, 0.9, -0.9},
		{0, 1, 0, 0},
		{0.9, 0, 1, 0.9},
		{-0.9, 0, 0.9, 1},
	}
	err := Check(r)
	var npd *NotPDError
	if !errors.As(err, &npd) {
		t.Fatalf("got %v, want a NotPDError", err)
	}
	if !slices.Equal(npd.Inputs, []int{0, 2, 3}) {
		t.Errorf("inconsistent set %v, want [0 2 3]", npd.Inputs)
	}
	if err := Check([][]float64{{1, 0.5}, {0.5, 1}}); err != nil {
		t.Errorf("valid matrix: %v", err)
	}
	if err := Check([][]float64{{1, 0.5}, {0.4, 1}}); err == nil || errors.As(err, &npd) {
		t.Errorf("asymmetric matrix: got %v", err)
	}
}

// TestNearest reproduces Higham's (2002, section 4) example: the nearest
// correlation matrix to [[1 1 0] [1 1 1] [0 1 1]] has off-diagonal entries
// 0.7607, 0.1573, 0.7607.
func TestNearest(t *testing.T) {
	a := [][]float64{{1, 1, 0}, {1, 1, 1}, {0, 1, 1}}
	x, it, err := Nearest(a)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1, 0.7607, 0.1573}, {0.7607, 1, 0.7607}, {0.1573, 0.7607, 1}}
	for i := range want {
		for j := range want {
			if math.Abs(x[i][j]-want[i][j]) > 1e-4 {
				t.Errorf("X[%d][%d] = %.5f, want %.4f (after %d iterations)", i, j, x[i][j], want[i][j], it)
			}
		}
	}
	if err := Check(x); err != nil {
		t.Errorf("nearest matrix is not valid: %v", err)
	}
}

func TestRankPearson(t *testing.T) {
	for _, r := range []float64{-1, -0.5, 0, 0.3, 0.7, 1} {
		if d := RankOfPearson(PearsonOfRank(r)) - r; math.Abs(d) > 1e-12 {
			t.Errorf("round trip of %v off by %g", r, d)
		}
	}
	if p := PearsonOfRank(1); math.Abs(p-1) > 1e-15 {
		t.Errorf("PearsonOfRank(1) = %v", p)
	}
}

// equicorrelation is the k x k matrix with rho off the diagonal: positive
// definite exactly when -1/(k-1) < rho < 1 (its eigenvalues are 1 + (k-1)
// rho, once, and 1 - rho).
func equicorrelation(k int, rho float64) [][]float64 {
	r := make([][]float64, k)
	for i := range r {
		r[i] = make([]float64, k)
		for j := range r[i] {
			r[i][j] = rho
		}
		r[i][i] = 1
	}
	return r
}

// TestCheckEquicorrelation: the smallest inconsistent set of an
// equicorrelated matrix with rho just below -1/(m-1) is any m rows
// (analytically: m rows fail, m-1 hold), and Check finds m of them.
func TestCheckEquicorrelation(t *testing.T) {
	for _, m := range []int{4, 20, 120} {
		rho := -1/float64(m-1) - 1e-6
		if err := Check(equicorrelation(m-1, rho)); err != nil {
			t.Errorf("m = %d: %d rows should hold: %v", m, m-1, err)
		}
		var npd *NotPDError
		if err := Check(equicorrelation(m+30, rho)); !errors.As(err, &npd) || len(npd.Inputs) != m {
			t.Errorf("m = %d: got %v, want a NotPDError on %d rows", m, err, m)
		}
	}
}

// TestCheckContextCancelled: a cancelled search for the inconsistent set
// returns the context's error, not a partial answer.
func TestCheckContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := CheckContext(ctx, equicorrelation(100, -0.02)); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if _, _, err := NearestContext(ctx, equicorrelation(10, -0.5)); !errors.Is(err, context.Canceled) {
		t.Errorf("Nearest: got %v, want context.Canceled", err)
	}
}

// BenchmarkCheckInconsistent: the search for a smallest inconsistent set
// in a 256-input group (the most one group may hold) whose first
// inconsistent leading block is 200 rows.
func BenchmarkCheckInconsistent(b *testing.B) {
	r := equicorrelation(256, -1/199.0-1e-6)
	b.ReportAllocs()
	for b.Loop() {
		if err := Check(r); err == nil {
			b.Fatal("no error")
		}
	}
}
