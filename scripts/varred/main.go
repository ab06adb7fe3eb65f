// Command varred measures the variance reduction of Latin hypercube and
// scrambled Sobol' sampling against plain Monte Carlo: for each model and
// method it runs the same number of trials under many seeds and reports
// the standard deviation over seeds (the true standard error) of the mean
// and of the 5th percentile of the output, and each method's variance
// reduction factor (MC variance / method variance).
//
//	go run ./scripts/varred [-seeds 50] [-n 16384] SCENARIO...
//
// Scenarios are anything devolve run accepts (reference-r, a file written
// by devolve area NAME --write); the Ishigami function (Ishigami and Homma
// 1990, a = 7, b = 0.1, inputs uniform on [-pi, pi]; mean 3.5) is always
// included. The output is NPV for scenarios.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/scenarios"
)

func main() {
	seeds := flag.Int("seeds", 50, "independent seeds per method")
	n := flag.Int("n", 16384, "trials per run")
	first := flag.Int("first", 1000, "first seed (seeds first, first+1, ...)")
	flag.Parse()
	type subject struct {
		name string
		m    *engine.Model
		out  int
	}
	var subs []subject
	for _, a := range flag.Args() {
		ld, err := scenarios.Load(a)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		c, err := ld.Compile()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		subs = append(subs, subject{fmt.Sprintf("%s (%d inputs), NPV", ld.Scenario.Name, len(c.Model.Inputs)), c.Model, c.OutNPV})
	}
	subs = append(subs, subject{"Ishigami (3 inputs)", ishigami(), 0})
	fmt.Printf("%d trials a run, %d seeds per method (seeds %d-%d)\n\n", *n, *seeds, *first, *first+*seeds-1)
	fmt.Println("| model | method | mean over seeds | SE of mean | VR mean | P5 over seeds | SE of P5 | VR P5 | s per run |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	sc := new(engine.Scratch)
	for _, s := range subs {
		var base [2]float64
		for _, method := range []engine.Sampling{engine.MonteCarlo, engine.LatinHypercube, engine.Sobol} {
			means := make([]float64, *seeds)
			p5s := make([]float64, *seeds)
			t0 := time.Now()
			for k := range means {
				res, err := engine.Run(context.Background(), s.m, engine.Options{Iterations: *n, Seed: uint64(*first + k), Keep: []int{s.out}, Sampling: method})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				sum := sc.Summarize(res.Kept[0])
				means[k], p5s[k] = sum.Mean, sum.P5
			}
			el := time.Since(t0).Seconds() / float64(*seeds)
			se := [2]float64{sd(means), sd(p5s)}
			if method == engine.MonteCarlo {
				base = se
			}
			fmt.Printf("| %s | %s | %.6g | %.4g | %.1f | %.6g | %.4g | %.1f | %.3f |\n", s.name, method, avg(means), se[0], sq(base[0]/se[0]), avg(p5s), se[1], sq(base[1]/se[1]), el)
		}
	}
}

func sq(x float64) float64 { return x * x }

func avg(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	return m / float64(len(x))
}

func sd(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

// ishigami is f(x) = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1 on [-pi, pi]^3.
func ishigami() *engine.Model {
	u, _ := dist.NewUniform(-math.Pi, math.Pi)
	return &engine.Model{Inputs: []engine.Input{{Name: "x1", Dist: u}, {Name: "x2", Dist: u}, {Name: "x3", Dist: u}},
		Outputs: []string{"y"}, NewEval: func() engine.EvalFunc {
			return func(in, out []float64) {
				s2 := math.Sin(in[1])
				x3 := in[2] * in[2]
				out[0] = math.Sin(in[0]) + 7*s2*s2 + 0.1*x3*x3*math.Sin(in[0])
			}
		}}
}
