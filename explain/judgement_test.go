package explain

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/scenarios"
)

// TestJudgementRecomputed: the judgement share of the shipped Suffolk
// scenario (with its own JUDGEMENT marks, then with the even-numbered
// inputs marked instead, then the odd-numbered: the group holding the
// savings realisation explains nearly all, the others little) is
// what a plain pick-freeze estimate finds, written here from the
// definitions with independent Monte Carlo draws (seed 7, 20 batches of
// 400 pairs): S1 = Cov(f(A), f(C)) / Var f, ST = E[(f(B) - f(C))^2] /
// (2 Var f), C taking the group's inputs from A and the rest from B. The
// two estimates must agree within 4 combined standard errors (the batch
// means' for this one, the printed 95% interval's for Judgement).
func TestJudgementRecomputed(t *testing.T) {
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.JudgementInputs()) == 0 {
		t.Fatal("suffolk marks no input JUDGEMENT: the first case tests nothing")
	}
	for _, marks := range []string{"as shipped", "even inputs", "odd inputs"} {
		for j := range c.Inputs {
			switch marks {
			case "even inputs":
				c.Inputs[j].Judgement = j%2 == 0
			case "odd inputs":
				c.Inputs[j].Judgement = j%2 == 1
			}
		}
		got, err := Judgement(c, 1)
		if err != nil {
			t.Fatal(err)
		}
		group := map[int]bool{}
		for _, j := range c.JudgementInputs() {
			group[j] = true
		}
		if len(got.Judgement) != len(group) {
			t.Fatalf("%s: %d judgement inputs listed, %d marked", marks, len(got.Judgement), len(group))
		}
		s1, s1se, st, stse := pickFreeze(c.Model, c.OutNPV, group)
		t.Logf("%s: %d of %d inputs; S1 %.4f [%.4f, %.4f], recomputed %.4f ± %.4f; ST %.4f [%.4f, %.4f], recomputed %.4f ± %.4f",
			marks, len(got.Judgement), got.Inputs, got.S1, got.S1Lo, got.S1Hi, s1, s1se, got.ST, got.STLo, got.STHi, st, stse)
		for _, q := range []struct {
			name              string
			est, lo, hi, want float64
			se                float64
		}{{"S1", got.S1, got.S1Lo, got.S1Hi, s1, s1se}, {"ST", got.ST, got.STLo, got.STHi, st, stse}} {
			tol := 4 * math.Hypot(q.se, (q.hi-q.lo)/(2*1.96))
			if math.Abs(q.est-q.want) > tol {
				t.Errorf("%s: %s %.4f, recomputed %.4f (tolerance %.4f)", marks, q.name, q.est, q.want, tol)
			}
		}
	}
}

// pickFreeze estimates the group's first-order and total Sobol indices
// on output k with plain Monte Carlo, inputs drawn independently, and
// their standard errors from 20 batch means.
func pickFreeze(m *engine.Model, k int, group map[int]bool) (s1, s1se, st, stse float64) {
	const batches, per = 20, 400
	r := rand.New(rand.NewPCG(7, 7))
	eval := m.TrialEval()
	nIn := len(m.Inputs)
	a, b, cc := make([]float64, nIn), make([]float64, nIn), make([]float64, nIn)
	out := make([]float64, len(m.Outputs))
	f := func(x []float64) float64 { eval(x, out); return out[k] }
	var bs1, bst []float64
	for range batches {
		var sa, sc, sac, sy, syy, sbc2 float64
		for range per {
			for j, in := range m.Inputs {
				a[j], b[j] = in.Dist.Sample(r), in.Dist.Sample(r)
				cc[j] = b[j]
				if group[j] {
					cc[j] = a[j]
				}
			}
			ya, yb, yc := f(a), f(b), f(cc)
			sa += ya
			sc += yc
			sac += ya * yc
			sy += (ya + yb) / 2
			syy += (ya*ya + yb*yb) / 2
			sbc2 += (yb - yc) * (yb - yc)
		}
		// Var f from f(A) and f(B) together; means from f(A) and f(C).
		n := float64(per)
		v := syy/n - (sy/n)*(sy/n)
		bs1 = append(bs1, (sac/n-(sa/n)*(sc/n))/v)
		bst = append(bst, sbc2/n/2/v)
	}
	mean1, sd1 := engine.MeanSD(bs1)
	meant, sdt := engine.MeanSD(bst)
	return mean1, sd1 / math.Sqrt(batches), meant, sdt / math.Sqrt(batches)
}
