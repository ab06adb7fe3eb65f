package lgr

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEmitCashMatchesEmitAny: emit's fast path for cashable lines
// (emitCash) leaves every accumulator bit for bit as the general loop
// (emitAny) does, for savings, one-off and recurring costs, runs starting
// before year 0 or ending past the horizon or empty, and negative, zero
// and non-finite values. Seed 1, 200 blocks of 37 trials each case.
func TestEmitCashMatchesEmitAny(t *testing.T) {
	const n, H = 37, 10
	cumD := make([]float64, H+2)
	for t := 1; t < len(cumD); t++ {
		cumD[t] = cumD[t-1] + math.Pow(1.035, -float64(t-1))
	}
	r := rand.New(rand.NewPCG(1, 0))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e300, -5e-324}
	value := func() float64 {
		if r.IntN(20) == 0 {
			return special[r.IntN(len(special))]
		}
		return (r.Float64() - 0.3) * 1e6
	}
	fresh := func(pre []float64) []float64 { // the same random start for both runs
		return append([]float64(nil), pre...)
	}
	for _, tc := range []struct {
		name   string
		sign   float64
		oneOff bool
	}{{"saving", 1, false}, {"one-off cost", -1, true}, {"recurring cost", -1, false}, {"saving counted one-off", 1, true}} {
		t.Run(tc.name, func(t *testing.T) {
			for blk := range 200 {
				from, to, v := make([]int, n), make([]int, n), make([]float64, n)
				for i := range n {
					from[i], to[i], v[i] = r.IntN(H+4)-2, r.IntN(H+4)-2, value()
					if r.IntN(4) == 0 {
						to[i] = H
					}
				}
				start := func(k int) []float64 {
					x := make([]float64, k)
					for i := range x {
						x[i] = value()
					}
					return x
				}
				pv0, side0, one0, diff0, diffB0 := start(n), start(n), start(n), start((H+1)*n), start((H+1)*n)
				mk := func() run {
					rn := run{pv: fresh(pv0), side: fresh(side0), diff: fresh(diff0), diffB: fresh(diffB0),
						cumD: cumD, sign: tc.sign, H: H, n: n}
					if tc.oneOff {
						rn.oneOff = fresh(one0)
					}
					return rn
				}
				fast, slow := mk(), mk()
				fast.emitCash(from, to, v)
				slow.emitAny(from, to, v)
				for name, pair := range map[string][2][]float64{"pv": {fast.pv, slow.pv}, "side": {fast.side, slow.side},
					"oneOff": {fast.oneOff, slow.oneOff}, "diff": {fast.diff, slow.diff}, "diffB": {fast.diffB, slow.diffB}} {
					for i := range pair[0] {
						a, b := pair[0][i], pair[1][i]
						if math.Float64bits(a) != math.Float64bits(b) && !(a != a && b != b) {
							t.Fatalf("block %d: %s[%d]: emitCash %v, emitAny %v", blk, name, i, a, b)
						}
					}
				}
			}
		})
	}
}
