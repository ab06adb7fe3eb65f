package engine

import (
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// TestRankShortfalls: a Bernoulli(0.5) input with a target rank
// correlation of 0.5 to a uniform is reported, reaching what the Gaussian
// copula Iman-Conover imitates gives a 0/1 variable (ties at midranks):
// (sqrt(48)/(2 pi)) asin(r/sqrt(2)) with r = 2 sin(pi 0.5/6), 0.413,
// within 0.03; two uniforms with the same target are not reported.
func TestRankShortfalls(t *testing.T) {
	u, _ := dist.NewUniform(0, 1)
	b, _ := dist.NewBernoulli(0.5)
	m := &Model{Inputs: []Input{{"b", b}, {"u", u}, {"v", u}, {"w", u}}, Outputs: []string{"y"},
		NewEval: func() EvalFunc { return func(in, out []float64) { out[0] = in[0] } },
		Correlation: &Correlation{Inputs: []int{0, 1, 2, 3}, Rank: [][]float64{
			{1, 0.5, 0, 0}, {0.5, 1, 0, 0}, {0, 0, 1, 0.5}, {0, 0, 0.5, 1}}}}
	got, err := RankShortfalls(m)
	if err != nil {
		t.Fatal(err)
	}
	r := 2 * math.Sin(math.Pi*0.5/6)
	want := math.Sqrt(48) / (2 * math.Pi) * math.Asin(r/math.Sqrt2)
	if len(got) != 1 || got[0].A != 0 || got[0].B != 1 || got[0].Target != 0.5 || math.Abs(got[0].Reached-want) > 0.03 {
		t.Fatalf("shortfalls %+v, want one for (b, u) reaching %.3f", got, want)
	}
	t.Logf("Bernoulli(0.5) with target 0.5 reaches %.3f (copula value %.3f)", got[0].Reached, want)
	// A constant input has no rank correlation: not reported.
	m.Inputs[1].Dist = dist.Fixed{V: 2}
	if got, err := RankShortfalls(m); err != nil || len(got) != 0 {
		t.Errorf("constant input: %+v, %v", got, err)
	}
	m.Correlation = nil
	if got, err := RankShortfalls(m); err != nil || got != nil {
		t.Errorf("no correlation: %+v, %v", got, err)
	}
}
