package scenarios

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/devolve-lgr/devolve/internal/rtest"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
)

func compileR(b *testing.B) *lgr.Compiled {
	b.Helper()
	ld, err := Load("reference-r.yaml")
	if err != nil {
		b.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkEvalR is the evaluation of model R alone (no sampling), over
// blocks of 128 real draws as the engine calls it; ns/op is per trial.
func BenchmarkEvalR(b *testing.B) {
	c := compileR(b)
	const n = 128
	res, err := engine.Run(context.Background(), c.Model, engine.Options{Iterations: n, Seed: 1, KeepInputs: true})
	if err != nil {
		b.Fatal(err)
	}
	eval := c.Model.BlockEval()
	out := make([][]float64, len(c.Model.Outputs))
	for k := range out {
		out[k] = make([]float64, n)
	}
	eval(res.Inputs, out) // grows the scratch
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i += n {
		eval(res.Inputs, out)
	}
}

// BenchmarkEvalTrialR is one trial's evaluation of model R through the
// per-trial adapter (what sensitivity analysis calls).
func BenchmarkEvalTrialR(b *testing.B) {
	c := compileR(b)
	eval := c.Model.TrialEval()
	in := c.Model.Medians()
	out := make([]float64, len(c.Model.Outputs))
	eval(in, out) // grows the scratch
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		eval(in, out)
	}
}

// BenchmarkEngineR runs model R through the engine, b.N trials per run;
// ns/op is the cost of one trial (sampling, evaluation and bookkeeping).
func BenchmarkEngineR(b *testing.B) {
	c := compileR(b)
	for _, w := range []int{1, 0} {
		name := "workers=1"
		if w == 0 {
			name = "workers=all"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			if _, err := engine.Run(context.Background(), c.Model, engine.Options{Iterations: b.N, Seed: 1, Workers: w}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}

// BenchmarkRunR is a whole run as the CLI does it: 1,000,000 trials of R
// with the headline draws kept and every statistic summarised.
func BenchmarkRunR(b *testing.B) {
	c := compileR(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		res, err := c.Run(context.Background(), engine.Options{Iterations: 1_000_000, Seed: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
		res.Summarize()
	}
}

// handR is the fastest hand-written, allocation-free Go loop for model R
// (shared/bench/REFERENCE_MODEL.md) that we could write: one generator, the
// fastest samplers we have, each input drawn a column at a time (concrete
// types, no interface call per draw), and only NPV computed, in O(1) per
// category. The engine's per-trial cost is compared with it.
type handR struct {
	lic     [14]dist.LogNormal
	mig     [14]dist.ScaledBeta
	end     dist.UniformInt
	d       [14]float64
	swan    dist.LogNormal
	body    dist.LogNormal
	share   dist.Triangular
	cost    dist.Normal
	redund  dist.Uniform
	trans   dist.LogNormal
	disc    [11]float64
	L, C, E [14][handBlock]float64
	O, S    [handBlock]float64
	W, R, T [handBlock]float64
}

const handBlock = 1024

func newHandR() *handR {
	cats, err := rtest.Categories("testdata/reference_r_categories.csv")
	if err != nil || len(cats) != 14 {
		panic(fmt.Sprintf("reference R table: %v", err))
	}
	h := &handR{}
	for k, c := range cats {
		h.d[k] = c.Before - 1
		h.lic[k], _ = dist.LogNormalFromQuantiles(0.05, c.LicenceP5, 0.95, c.LicenceP95)
		h.mig[k], _ = dist.NewPERT(c.MigrationMin, c.MigrationMode, c.MigrationMax, 4)
	}
	h.end, _ = dist.NewUniformInt(1, 5)
	h.swan, _ = dist.LogNormalFromQuantiles(0.05, 1, 0.95, 4)
	h.body, _ = dist.LogNormalFromQuantiles(0.05, 0.9, 0.95, 1.6)
	h.share, _ = dist.NewTriangular(0.04, 0.08, 0.15)
	h.cost, _ = dist.NewNormal(45000, 3000)
	h.redund, _ = dist.NewUniform(20000, 40000)
	h.trans, _ = dist.LogNormalFromQuantiles(0.05, 15e6, 0.95, 45e6)
	for t := range h.disc {
		h.disc[t] = math.Pow(1.035, -float64(t))
	}
	return h
}

// block simulates handBlock trials and returns the sum of their NPVs.
func (h *handR) block(r *rand.Rand) float64 {
	for k := range h.L {
		h.lic[k].Fill(r, h.L[k][:])
		h.mig[k].Fill(r, h.C[k][:])
		h.end.Fill(r, h.E[k][:])
	}
	for i := range h.O {
		if r.Float64() < 0.17 {
			h.O[i] = 1 + h.swan.Sample(r)
		} else {
			h.O[i] = h.body.Sample(r)
		}
	}
	h.share.Fill(r, h.S[:])
	h.cost.Fill(r, h.W[:])
	h.redund.Fill(r, h.R[:])
	h.trans.Fill(r, h.T[:])
	// Each category's licence saving and migration cost are constant runs
	// (years E..10 and 1..E): their present values come from prefix sums of
	// the discount factors, O(1) per category.
	var cumD [12]float64
	for t, d := range h.disc {
		cumD[t+1] = cumD[t] + d
	}
	ramp := 0.0 // sum over t >= 1 of min(1, t/3) D(t)
	for t := 1; t <= 10; t++ {
		ramp += math.Min(1, float64(t)/3) * h.disc[t]
	}
	sum := 0.0
	for i := range handBlock {
		npv := 0.0
		for k := range h.L {
			E := int(h.E[k][i])
			npv += h.L[k][i]*h.d[k]*(cumD[11]-cumD[E]) - h.C[k][i]*h.d[k]*h.O[i]/float64(E)*(cumD[E+1]-cumD[1])
		}
		fr := 2400 * h.S[i]
		npv += fr*h.W[i]*ramp - (fr*h.R[i]+0.4*h.T[i])*h.disc[1] - 0.6*h.T[i]
		sum += npv
	}
	return sum
}

// TestHandLoopMatchesReference checks the benchmark loop itself against the
// reference answer (mean NPV within 4 MCSE at 200,000 trials, seed 3), so the
// speed comparison is between two correct implementations.
func TestHandLoopMatchesReference(t *testing.T) {
	rv := readReference(t)
	h := newHandR()
	r := rand.New(rand.NewPCG(3, 3))
	const n = 200 * handBlock
	sum := 0.0
	for i := 0; i < n; i += handBlock {
		sum += h.block(r)
	}
	if d := math.Abs(sum/n - rv.NPV.Mean); d > 4*rv.NPV.SD/math.Sqrt(n) {
		t.Errorf("hand loop mean NPV %.0f vs reference %.0f", sum/n, rv.NPV.Mean)
	}
}

// BenchmarkHandLoopR is the hand-written loop on one core.
func BenchmarkHandLoopR(b *testing.B) {
	h := newHandR()
	r := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	s := 0.0
	for i := 0; i < b.N; i += handBlock {
		s += h.block(r)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "trials/s")
	_ = s
}

// BenchmarkSummarizeR is the summaries of a 1,000,000-trial run of R
// (every statistic of the report, after the run).
func BenchmarkSummarizeR(b *testing.B) {
	c := compileR(b)
	res, err := c.Run(context.Background(), engine.Options{Iterations: 1_000_000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		res.Summarize()
	}
}
