package engine

import (
	"context"
	"testing"
)

// TestOnePassMatchesSecondPass: a SecondPass run long enough for the pilot
// (300 blocks and a part) finds its percentiles in one pass, and its
// summaries (percentiles, intervals, between-block intervals under Sobol')
// equal a kept-draws run's bit for bit, for 1, 2 and 7 workers, on outputs
// with NaN, infinite, few and constant values and an atom at the median; and when the windows miss
// (onePassSlack -1: each window 0.3 away from its level) or hold more than CollectBytes,
// the fallback passes give the same summaries.
func TestOnePassMatchesSecondPass(t *testing.T) {
	m := awkwardModel(t)
	keep := []int{0, 1, 2, 3, 4, 5}
	sc := new(Scratch)
	const n = 300*BlockSize + 77
	for _, sm := range []Sampling{MonteCarlo, Sobol} {
		ref, err := Run(context.Background(), m, Options{Iterations: n, Seed: 5, Sampling: sm, Keep: keep})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name    string
			slack   float64
			collect int
			passes  int // 0: more than 1
		}{{"windows hold every rank", onePassSlack, 0, 1}, {"windows miss", -1, 0, 0}, {"over the collection budget", onePassSlack, 64 << 10, 0}} {
			for _, w := range []int{1, 2, 7} {
				saved := onePassSlack
				onePassSlack = c.slack
				p, err := NewPlan(m, Options{Iterations: n, Seed: 5, Sampling: sm, Keep: keep, Workers: w,
					Percentiles: SecondPass, CollectBytes: c.collect})
				if err != nil {
					t.Fatal(err)
				}
				if !p.OnePass {
					t.Fatal("a 301-block SecondPass run does not use the one-pass path")
				}
				res, err := p.Run(context.Background())
				onePassSlack = saved
				if err != nil {
					t.Fatal(err)
				}
				if (c.passes == 1) != (res.Passes == 1) {
					t.Errorf("%v %s workers=%d: %d passes", sm, c.name, w, res.Passes)
				}
				for i := range keep {
					if a, b := res.KeptSummary(sc, i), ref.KeptSummary(sc, i); !sameSummary(a, b) {
						t.Errorf("%v %s workers=%d output %d:\n one pass %+v\n kept     %+v", sm, c.name, w, keep[i], a, b)
					}
				}
			}
		}
	}
}
