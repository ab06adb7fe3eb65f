package sensitivity

import (
	"context"
	"errors"
	"math"
	"sync"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// ModelFunc adapts output k of an engine model to a Func that is safe for
// concurrent use (each goroutine borrows its own evaluator).
func ModelFunc(m *engine.Model, k int) Func {
	type ev struct {
		eval engine.EvalFunc
		out  []float64
	}
	pool := sync.Pool{New: func() any { return &ev{m.TrialEval(), make([]float64, len(m.Outputs))} }}
	return func(x []float64) float64 {
		e := pool.Get().(*ev)
		e.eval(x, e.out)
		v := e.out[k]
		pool.Put(e)
		return v
	}
}

// ModelBatch adapts output k of an engine model to a Batch that is safe for
// concurrent use: points go to the model's block evaluation as columns.
func ModelBatch(m *engine.Model, k int) Batch {
	type ev struct {
		eval    engine.BlockEvalFunc
		in, out [][]float64
		buf     []float64
	}
	d, nOut := len(m.Inputs), len(m.Outputs)
	pool := sync.Pool{New: func() any {
		return &ev{eval: m.BlockEval(), in: make([][]float64, d), out: make([][]float64, nOut)}
	}}
	return func(x, out []float64) {
		n := len(out)
		if n == 0 {
			return
		}
		e := pool.Get().(*ev)
		if len(e.buf) < (d+nOut)*n {
			e.buf = make([]float64, (d+nOut)*n)
		}
		for j := range e.in {
			col := e.buf[j*n : (j+1)*n]
			for i := range col {
				col[i] = x[i*d+j]
			}
			e.in[j] = col
		}
		for j := range e.out {
			e.out[j] = e.buf[(d+j)*n : (d+j+1)*n]
		}
		e.eval(e.in, e.out)
		copy(out, e.out[k])
		pool.Put(e)
	}
}

// Dists returns the model's input distributions in order.
func Dists(m *engine.Model) []dist.Distribution {
	ds := make([]dist.Distribution, len(m.Inputs))
	for i, in := range m.Inputs {
		ds[i] = in.Dist
	}
	return ds
}

// Switch is a switching value: the percentile of a group's inputs (all
// members at the same percentile) at which the output's mean, or its
// median, crosses zero. Found is false when it does not cross zero between
// the group's P1 and P99.
type Switch struct {
	Name string
	// Statistic is "mean" or "p50".
	Statistic string
	Found     bool
	// Percentile is in (0, 1); Value is the first member's value there.
	Percentile float64
	Value      float64
	// AtLow and AtHigh are the statistic with the group at P1 and P99.
	AtLow, AtHigh float64
}

// SwitchOptions configures SwitchingValues; zero values mean defaults.
type SwitchOptions struct {
	// Trials per evaluation (default 10,000) and bisection steps (default 10).
	Trials, Steps int
	Seed          uint64
	Workers       int
}

// SwitchingValues finds, for each group, where the mean and the median of
// output k cross zero as the group's inputs move together from their P1 to
// their P99, the other inputs varying as usual (common random numbers: the
// same seed for every evaluation). Bisection on the percentile.
func SwitchingValues(ctx context.Context, m *engine.Model, k int, groups []Group, opt SwitchOptions) ([]Switch, error) {
	if opt.Trials == 0 {
		opt.Trials = 10_000
	}
	if opt.Steps == 0 {
		opt.Steps = 10
	}
	if groups == nil {
		groups = singletons(len(m.Inputs))
	}
	eval := func(g Group, p float64) (mean, p50 float64, err error) {
		mm := *m
		mm.Inputs = append([]engine.Input(nil), m.Inputs...)
		for _, i := range g.Members {
			mm.Inputs[i].Dist = dist.Fixed{V: m.Inputs[i].Dist.Quantile(p)}
		}
		res, err := engine.Run(ctx, &mm, engine.Options{Iterations: opt.Trials, Seed: opt.Seed, Workers: opt.Workers, Keep: []int{k}})
		if err != nil {
			return 0, 0, err
		}
		q := engine.Quantiles(res.Kept[0], []float64{0.5})
		return res.Mean[k], q[0], nil
	}
	var out []Switch
	const lo, hi = 0.01, 0.99
	for _, g := range groups {
		mLo, pLo, err := eval(g, lo)
		if err != nil {
			return nil, err
		}
		mHi, pHi, err := eval(g, hi)
		if err != nil {
			return nil, err
		}
		for _, st := range []struct {
			name   string
			a, b   float64
			choose func(mean, p50 float64) float64
		}{{"mean", mLo, mHi, func(m, _ float64) float64 { return m }}, {"p50", pLo, pHi, func(_, p float64) float64 { return p }}} {
			sw := Switch{Name: g.Name, Statistic: st.name, AtLow: st.a, AtHigh: st.b}
			if (st.a > 0) != (st.b > 0) {
				a, b, fa := lo, hi, st.a
				for i := 0; i < opt.Steps; i++ {
					mid := (a + b) / 2
					mv, pv, err := eval(g, mid)
					if err != nil {
						return nil, err
					}
					if v := st.choose(mv, pv); (v > 0) == (fa > 0) {
						a, fa = mid, v
					} else {
						b = mid
					}
				}
				sw.Found = true
				sw.Percentile = (a + b) / 2
				sw.Value = m.Inputs[g.Members[0]].Dist.Quantile(sw.Percentile)
			}
			out = append(out, sw)
		}
	}
	return out, nil
}

// RankCorrelations returns the Spearman correlation of every input with
// output k over a run that kept its inputs (engine.Options.KeepInputs).
func RankCorrelations(res *engine.Result, output []float64) ([]float64, error) {
	if res.Inputs == nil {
		return nil, errors.New("sensitivity: the run did not keep its inputs")
	}
	rho := make([]float64, len(res.Inputs))
	ry := engine.MidRanks(output) // Spearman(x, output), output ranked once
	for j, x := range res.Inputs {
		rho[j] = pearson(engine.MidRanks(x), ry)
		if math.IsNaN(rho[j]) {
			rho[j] = 0
		}
	}
	return rho, nil
}
