package calibration

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestProjectSimplexSortsOnlyCandidates: the projection, sorting only the
// values that can be in the support, is bit for bit the textbook one that
// sorts every value (Duchi et al. 2008, figure 1), on vectors of 1 to 300
// values at scales from 1e-3 to 1e4, with ties, and on the same vector
// shifted so that values sit exactly at max - 1.
func TestProjectSimplexSortsOnlyCandidates(t *testing.T) {
	full := func(v []float64) []float64 {
		u := slices.Clone(v)
		slices.Sort(u)
		cum, theta := 0.0, 0.0
		for i := range u {
			x := u[len(u)-1-i]
			cum += x
			if t := (cum - 1) / float64(i+1); x-t > 0 {
				theta = t
			}
		}
		out := make([]float64, len(v))
		for i := range v {
			out[i] = math.Max(v[i]-theta, 0)
		}
		return out
	}
	r := rand.New(rand.NewPCG(9, 9))
	for k := range 3000 {
		n := 1 + r.IntN(300)
		scale := math.Pow(10, 7*r.Float64()-3)
		v := make([]float64, n)
		for i := range v {
			v[i] = scale * r.NormFloat64()
			if k%3 == 0 {
				v[i] = math.Round(v[i]) // ties
			}
		}
		if k%5 == 0 && n > 1 {
			v[1] = v[0] - 1 // exactly at the cut
		}
		want := full(v)
		got := slices.Clone(v)
		projectSimplex(got, make([]float64, n))
		if !slices.Equal(got, want) {
			t.Fatalf("n %d scale %g: projections differ", n, scale)
		}
	}
}
