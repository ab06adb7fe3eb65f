package engine

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// wideModel has k inputs (uniform) and k+1 outputs: each input and their sum.
func wideModel(k int) *Model {
	m := &Model{}
	for i := range k {
		u, _ := dist.NewUniform(0, float64(i+1))
		m.Inputs = append(m.Inputs, Input{Name: string(rune('a'+i%26)) + string(rune('a'+i/26)), Dist: u})
		m.Outputs = append(m.Outputs, m.Inputs[i].Name)
	}
	m.Outputs = append(m.Outputs, "sum")
	m.NewEval = func() EvalFunc {
		return func(in, out []float64) {
			s := 0.0
			for i, x := range in {
				out[i] = x
				s += x
			}
			out[k] = s
		}
	}
	return m
}

// TestPlanMemoryIsTheRuns: the plan's kept, input and sampled bytes are the
// result's slices exactly, and the run allocates (runtime.MemStats, an
// independent count) no more than the plan's total and at least its
// trial-proportional part.
func TestPlanMemoryIsTheRuns(t *testing.T) {
	m := wideModel(40)
	for _, opt := range []Options{
		{Iterations: 200_000, Seed: 1, Keep: []int{0, 40}, KeepInputs: true, Workers: 2},
		{Iterations: 100_000, Seed: 2, Keep: []int{40}, Sample: []int{1, 2, 3}, Workers: 3, Sampling: Sobol},
		{Iterations: 300_000, Seed: 3, Keep: []int{40, 1}, Percentiles: SecondPass, Workers: 2},
	} {
		p, err := NewPlan(m, opt)
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := p.Run(context.Background())
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		var kept, inputs, sampled int64
		for _, x := range res.Kept {
			kept += 8 * int64(len(x))
		}
		for _, x := range res.Inputs {
			inputs += 8 * int64(len(x))
		}
		for _, x := range res.Sampled {
			sampled += 4 * int64(len(x))
		}
		if kept != p.Memory.Kept || inputs != p.Memory.Inputs || sampled != p.Memory.Sampled {
			t.Errorf("%+v: result holds kept %d, inputs %d, sampled %d bytes; plan says %+v", opt, kept, inputs, sampled, p.Memory)
		}
		alloc := int64(after.TotalAlloc - before.TotalAlloc)
		if grow := p.Memory.Kept + p.Memory.Inputs + p.Memory.Sampled; alloc < grow || alloc > p.Memory.Total()+p.Memory.Total()/4+1<<20 {
			t.Errorf("%+v: the run allocated %d bytes; the plan says %d (%d growing with trials)", opt, alloc, p.Memory.Total(), grow)
		}
	}
}

// TestPlanMemoryLimit: past MemoryLimit, NewPlan and Run refuse with a
// *MemoryError carrying the figure, before allocating; within it they run.
func TestPlanMemoryLimit(t *testing.T) {
	m := wideModel(10)
	opt := Options{Iterations: 100_000, Seed: 1, KeepInputs: true, Keep: []int{10}}
	p, err := NewPlan(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	need := p.Memory.Total()
	if want := int64(8 * 100_000 * (10 + 1)); need < want {
		t.Fatalf("plan needs %d bytes, less than the %d kept", need, want)
	}
	opt.MemoryLimit = need - 1
	_, err = Run(context.Background(), m, opt)
	var me *MemoryError
	if !errors.As(err, &me) || me.Need != need || me.Limit != need-1 {
		t.Fatalf("Run with a limit 1 byte short: %v", err)
	}
	opt.MemoryLimit = need
	if _, err := Run(context.Background(), m, opt); err != nil {
		t.Fatal(err)
	}
	if err := CheckMemory(2*need-1, p, p); err == nil {
		t.Error("CheckMemory: two plans fit in less than twice one")
	}
}
