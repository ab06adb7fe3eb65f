package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMidRanks checks MidRanks against its definition, counted directly:
// the rank of x[i] is 1 + #{x[j] < x[i]} + (#{x[j] == x[i]} - 1)/2, on
// values with many ties and on values with none.
func TestMidRanks(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, levels := range []int{3, 50, 0, -1} {
		x := make([]float64, 700)
		for i := range x {
			switch {
			case levels > 0: // ties, negative and positive, -0 and +0
				x[i] = float64(r.IntN(levels) - levels/2)
				if x[i] == 0 && r.IntN(2) == 0 {
					x[i] = math.Copysign(0, -1)
				}
			case levels == 0: // no ties, both signs
				x[i] = r.NormFloat64()
			default: // magnitudes from 1e-300 to 1e300, both signs
				x[i] = math.Copysign(math.Pow(10, 600*r.Float64()-300), r.Float64()-0.5)
			}
		}
		got := MidRanks(x)
		for i, v := range x {
			below, equal := 0, 0
			for _, w := range x {
				if w < v {
					below++
				} else if w == v {
					equal++
				}
			}
			if want := 1 + float64(below) + float64(equal-1)/2; got[i] != want {
				t.Fatalf("levels %d: rank of x[%d] = %v: got %v, want %v", levels, i, v, got[i], want)
			}
		}
	}
}

func BenchmarkMidRanks(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 100000)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	b.ReportAllocs()
	for b.Loop() {
		MidRanks(x)
	}
}
