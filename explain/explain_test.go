package explain

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/sensitivity"
	"github.com/devolve-lgr/devolve/scenarios"
)

// TestSpearmanMCSE checks the standard error formula against the spread
// of Spearman correlations over 1,000 replicates of 400 bivariate normal
// pairs with correlation 0.6 (seed 5): within 10% (the sd of a sample sd
// over 1,000 replicates is about 2.2%).
func TestSpearmanMCSE(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	const reps, n = 1000, 400
	x, y := make([]float64, n), make([]float64, n)
	var rs []float64
	for range reps {
		for i := range x {
			a, b := r.NormFloat64(), r.NormFloat64()
			x[i], y[i] = a, 0.6*a+0.8*b
		}
		rs = append(rs, sensitivity.Spearman(x, y))
	}
	mean, sd := engine.MeanSD(rs)
	if se := SpearmanMCSE(mean, n); math.Abs(se/sd-1) > 0.1 {
		t.Errorf("formula %g, replicates' sd %g", se, sd)
	}
}

// TestInputsRecomputed: on the shipped Suffolk scenario (2,000 trials,
// seed 3), each uncertain input's rank correlation is Spearman's of its
// kept draws against NPV (sensitivity.Spearman, a separate
// implementation), and its swing is NPV recomputed with the model at every
// median but that input at its P10 and P90.
func TestInputsRecomputed(t *testing.T) {
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Run(context.Background(), engine.Options{Iterations: 2000, Seed: 3, KeepInputs: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Inputs(c, res)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Model
	med := m.Medians()
	npv := res.Draws("npv")
	uncertain := 0
	for j, in := range m.Inputs {
		x := got[j]
		if x.Name != in.Name {
			t.Fatalf("input %d is %s, want %s", j, x.Name, in.Name)
		}
		if x.Fixed {
			continue
		}
		uncertain++
		if want := sensitivity.Spearman(res.Raw.Inputs[j], npv); math.Abs(x.Spearman-want) > 1e-9 {
			t.Errorf("%s: Spearman %g, recomputed %g", in.Name, x.Spearman, want)
		}
		at := func(p float64) float64 {
			v := append([]float64(nil), med...)
			v[j] = in.Dist.Quantile(p)
			return m.EvalAt(v)[c.OutNPV]
		}
		lo, hi := at(0.1), at(0.9)
		if d := max(1, math.Abs(lo)+math.Abs(hi)) * 1e-9; math.Abs(x.Low-lo) > d || math.Abs(x.High-hi) > d || math.Abs(x.Swing-math.Abs(hi-lo)) > d {
			t.Errorf("%s: low %g high %g swing %g; recomputed %g %g", in.Name, x.Low, x.High, x.Swing, lo, hi)
		}
	}
	if uncertain < 10 {
		t.Fatalf("only %d uncertain inputs", uncertain)
	}
}
