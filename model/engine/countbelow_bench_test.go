package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// countBelowRef is the definition countBelow implements: a branch per
// value and edge.
func countBelowRef(col []float64, edges []uint64) []int {
	cnt := make([]int, len(edges))
	for _, v := range col {
		bk := orderKey(v) >> (64 - histBits)
		for l, e := range edges {
			if bk < e {
				cnt[l]++
			}
		}
	}
	return cnt
}

// TestCountBelowMatchesDefinition: the branch-free count equals the
// definition on values around and at every edge, negative values, zeros,
// infinities and the edges 0 and 2^histBits.
func TestCountBelowMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	col := make([]float64, BlockSize)
	for i := range col {
		col[i] = r.NormFloat64() * 1e3
	}
	col[0], col[1], col[2], col[3] = 0, math.Copysign(0, -1), 1e308, -1e308
	for _, edges := range [][]uint64{
		{edgeBucket(-1000), edgeBucket(-1), edgeBucket(0), edgeBucket(500), edgeBucket(1000)},
		{0, 1, 1 << (histBits - 1), 1<<histBits - 1, 1 << histBits},
		{edgeBucket(col[10]), edgeBucket(col[11])},
	} {
		acc := make([]blockCDF, len(edges))
		countBelow(col, edges, acc)
		want := countBelowRef(col, edges)
		var ref []blockCDF = make([]blockCDF, len(edges))
		for l := range edges {
			ref[l].add(want[l], len(col))
		}
		for l := range edges {
			if acc[l] != ref[l] {
				t.Errorf("edge %d (%d): %+v, want %+v (count %d)", l, edges[l], acc[l], ref[l], want[l])
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
	edges := []uint64{edgeBucket(-1.645), edgeBucket(-1.28), edgeBucket(0), edgeBucket(1.28), edgeBucket(1.645)}
	acc := make([]blockCDF, len(edges))
	for b.Loop() {
		countBelow(col, edges, acc)
	}
}
