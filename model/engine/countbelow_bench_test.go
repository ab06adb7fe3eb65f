package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// countBelowRef is the definition countBelow implements: a comparison of
// the values per value and point.
func countBelowRef(col []float64, points []float64) []int {
	cnt := make([]int, len(points))
	for _, v := range col {
		for l, e := range points {
			if v < e {
				cnt[l]++
			}
		}
	}
	return cnt
}

// TestCountBelowMatchesDefinition: the branch-free count by order keys
// equals the count of values v < e on values around and at every point,
// negative values, signed zeros (-0 is not below +0), infinities and the
// extreme points.
func TestCountBelowMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	col := make([]float64, BlockSize)
	for i := range col {
		col[i] = r.NormFloat64() * 1e3
	}
	col[0], col[1], col[2], col[3] = 0, math.Copysign(0, -1), 1e308, -1e308
	col[4], col[5] = math.Inf(1), math.Inf(-1)
	for _, points := range [][]float64{
		{-1000, -1, 0, 500, 1000},
		{math.Copysign(0, -1), math.Inf(-1), math.Inf(1), -math.MaxFloat64, math.MaxFloat64},
		{col[10], col[11], math.Nextafter(col[12], 0), 1e-300, -1e-300},
	} {
		keys := make([]uint64, len(points))
		for l, p := range points {
			keys[l] = orderKey(p)
		}
		got := countBelow(col, keys)
		want := countBelowRef(col, points)
		for l := range points {
			if got[l] != want[l] {
				t.Errorf("point %v: %d below, want %d", points[l], got[l], want[l])
			}
		}
	}
}

func BenchmarkCountBelow(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	col := make([]float64, BlockSize)
	for i := range col {
		col[i] = r.NormFloat64()
	}
	keys := []uint64{orderKey(-1.645), orderKey(-1.28), orderKey(0), orderKey(1.28), orderKey(1.645)}
	acc := make([]blockCDF, len(keys))
	for b.Loop() {
		cnt := countBelow(col, keys)
		for l := range keys {
			acc[l].add(cnt[l], len(col))
		}
	}
}
