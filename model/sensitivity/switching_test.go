package sensitivity

import (
	"context"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// TestSwitchingValues: y = x - 1 + z with x ~ U(0, 4), z ~ N(0, 1) and an
// unrelated c ~ U(5, 6). Fixing x at v, y's mean and median are v - 1: both
// cross zero at v = 1, x's 25th percentile. Fixing z at v, they are 1 + v:
// zero at v = -1. c cannot switch y.
func TestSwitchingValues(t *testing.T) {
	x, _ := dist.NewUniform(0, 4)
	z, _ := dist.NewNormal(0, 1)
	c, _ := dist.NewUniform(5, 6)
	m := &engine.Model{
		Inputs:  []engine.Input{{Name: "x", Dist: x}, {Name: "z", Dist: z}, {Name: "c", Dist: c}},
		Outputs: []string{"y", "c"},
		NewEval: func() engine.EvalFunc {
			return func(in, out []float64) { out[0] = in[0] - 1 + in[1]; out[1] = in[2] }
		},
	}
	sw, err := SwitchingValues(context.Background(), m, 0, nil, SwitchOptions{Trials: 20000, Steps: 14, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"0": 1, "1": -1}
	for _, s := range sw {
		if s.Name == "2" {
			if s.Found {
				t.Errorf("input c cannot switch y, got %+v", s)
			}
			continue
		}
		// Tolerance: the statistic's Monte Carlo error at 20,000 trials
		// (sd about 1.5/sqrt(20000) = 0.011 for the mean) over the slope 1.
		if !s.Found || math.Abs(s.Value-want[s.Name]) > 0.05 {
			t.Errorf("input %s %s: switching value %g (found %v), want %g", s.Name, s.Statistic, s.Value, s.Found, want[s.Name])
		}
	}
	if p := sw[0].Percentile; math.Abs(p-0.25) > 0.0125 {
		t.Errorf("x switches at percentile %g, want 0.25", p)
	}
}

// TestDifferenceSwitching: option A earns 10 - c, option B earns 2x - c
// with x ~ U(0, 10) shared by name and c common: B beats A when x > 5, the
// 50th percentile of x.
func TestDifferenceSwitching(t *testing.T) {
	x, _ := dist.NewUniform(0, 10)
	c, _ := dist.NewNormal(0, 1)
	a := &engine.Model{Inputs: []engine.Input{{Name: "c", Dist: c}}, Outputs: []string{"npv"},
		NewEval: func() engine.EvalFunc { return func(in, out []float64) { out[0] = 10 - in[0] } }}
	b := &engine.Model{Inputs: []engine.Input{{Name: "x", Dist: x}, {Name: "c", Dist: c}}, Outputs: []string{"npv"},
		NewEval: func() engine.EvalFunc { return func(in, out []float64) { out[0] = 2*in[0] - in[1] } }}
	d, err := Difference(a, b, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Inputs) != 2 {
		t.Fatalf("inputs %v: the shared input c should be one input", d.Inputs)
	}
	sw, err := SwitchingValues(context.Background(), d, 0, nil, SwitchOptions{Trials: 2000, Steps: 14})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sw {
		if s.Name == "1" && (!s.Found || math.Abs(s.Value-5) > 1e-2) {
			t.Errorf("x switches at %+v, want 5", s)
		}
		if s.Name == "0" && s.Found {
			t.Errorf("c cannot switch the difference: %+v", s)
		}
	}
}
