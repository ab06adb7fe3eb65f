package lgr_test

import (
	"context"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

// TestLineYearsReconcile: for every embedded scenario, the lines' flows by
// year reconcile, trial by trial and in the means, with what the fast
// evaluation computes by its own routes: cashable savings less cashable
// costs is the net cash flow of each year; cashable savings are the gross
// savings output; each line's flows discounted are its present value. Asking
// for lines changes no other output: NPV is bit for bit the same.
func TestLineYearsReconcile(t *testing.T) {
	for _, name := range scenarios.Embedded() {
		t.Run(name, func(t *testing.T) {
			ld, err := scenarios.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			c, err := ld.Compile()
			if err != nil {
				t.Fatal(err)
			}
			cl := c.WithLineYears()
			Y, L := c.Years, len(c.Lines)
			var sample []int
			for t := 0; t < Y; t++ {
				sample = append(sample, c.OutNet+t, c.OutSavings+t)
			}
			for l := 0; l < L; l++ {
				for t := 0; t < Y; t++ {
					sample = append(sample, cl.LineYear(l, t))
				}
			}
			opt := engine.Options{Iterations: 1500, Seed: 11, Workers: 2, Keep: []int{c.OutNPV}}
			base, err := engine.Run(context.Background(), c.Model, opt)
			if err != nil {
				t.Fatal(err)
			}
			opt.Sample = sample
			res, err := engine.Run(context.Background(), cl.Model, opt)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range base.Kept[0] {
				if res.Kept[0][i] != v {
					t.Fatalf("trial %d: NPV %v with lines, %v without", i, res.Kept[0][i], v)
				}
			}
			row := func(k int) []float32 { return res.Sampled[k] }
			scale := 1.0
			for t := 0; t < Y; t++ {
				scale = math.Max(scale, math.Abs(res.Mean[c.OutNet+t]))
			}
			for y := 0; y < Y; y++ {
				var netMean, savMean float64
				for l, ln := range c.Lines {
					m := res.Mean[cl.LineYear(l, y)]
					switch {
					case !ln.Cashable:
					case ln.Benefit:
						netMean += m
						savMean += m
					default:
						netMean -= m
					}
				}
				if d := math.Abs(netMean - res.Mean[c.OutNet+y]); d > 1e-9*scale {
					t.Errorf("year %d: lines' mean net %.2f, net output %.2f", y, netMean, res.Mean[c.OutNet+y])
				}
				if d := math.Abs(savMean - res.Mean[c.OutSavings+y]); d > 1e-9*scale {
					t.Errorf("year %d: lines' mean savings %.2f, savings output %.2f", y, savMean, res.Mean[c.OutSavings+y])
				}
				// Trial by trial (kept as float32: a relative tolerance of float32's).
				for i := 0; i < res.SampleN; i++ {
					net := 0.0
					for l, ln := range c.Lines {
						if !ln.Cashable {
							continue
						}
						v := float64(row(2*Y + l*Y + y)[i])
						if ln.Benefit {
							net += v
						} else {
							net -= v
						}
					}
					if got := float64(row(2 * y)[i]); math.Abs(net-got) > 1e-5*scale {
						t.Fatalf("trial %d year %d: lines give net %.2f, net output %.2f", i, y, net, got)
					}
				}
			}
			for l, ln := range c.Lines {
				pv := 0.0
				for t := 0; t < Y; t++ {
					pv += c.Discount[t] * res.Mean[cl.LineYear(l, t)]
				}
				if got := res.Mean[c.OutLine+l]; math.Abs(pv-got) > 1e-9*math.Max(1, math.Abs(got)) {
					t.Errorf("line %s: flows discounted give PV %.2f, PV output %.2f", ln.Name, pv, got)
				}
			}
		})
	}
}

// LineYear is -1 for a model without lines.
func TestLineYearOff(t *testing.T) {
	ld, err := scenarios.Load("reference-r")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if c.LineYear(0, 0) != -1 || c.WithLineYears().LineYear(0, 0) != len(c.Model.Outputs) {
		t.Error("LineYear layout")
	}
	var _ = lgr.Headlines
}
