package engine

import (
	"math"
	"math/rand/v2"
)

// RankShortfall is a correlated pair of inputs whose rank correlation, as
// the engine induces it, misses its target: a discrete input's ties (a
// Bernoulli takes two values) cap the rank correlation any reordering can
// reach, and Iman-Conover reorders, never changes, the draws.
type RankShortfall struct {
	// A and B are indices into Model.Inputs.
	A, B int
	// Target is the requested rank (Spearman) correlation; Reached the
	// one measured over ReachTrials trials (midranks for ties).
	Target, Reached float64
}

// ReachTrials is how many trials RankShortfalls measures: eight blocks,
// where a Spearman correlation's standard error is at most 1/sqrt(8192)
// = 0.011.
const ReachTrials = 8 * BlockSize

// ReachTolerance is how far the reached correlation may fall from its
// target before RankShortfalls reports the pair: 0.05, over four standard
// errors at ReachTrials; Iman-Conover on continuous inputs comes within
// 0.02 (TestCorrelationTargets).
const ReachTolerance = 0.05

// RankShortfalls draws ReachTrials trials of m's inputs (plain Monte
// Carlo, seed 1, correlation induced as in Run) and returns every pair
// with a non-zero target whose Spearman correlation misses it by more
// than ReachTolerance, in the order of Model.Correlation. A model without
// correlation has none; a constant input's pairs are not reported.
func RankShortfalls(m *Model) ([]RankShortfall, error) {
	c := m.Correlation
	if c == nil {
		return nil, nil
	}
	d, err := newDesign(m, MonteCarlo, nil)
	if err != nil {
		return nil, err
	}
	nIn := len(m.Inputs)
	pcg := newLonePCG()
	w := &worker{m: m, d: d, pcg: pcg, rng: rand.New(pcg), draws: make([]float64, BlockSize*nIn), in: make([][]float64, nIn)}
	w.newGroupScratch()
	seeds := inputSeeds(1, m.Inputs)
	cols := map[int][]float64{}
	for _, j := range c.Inputs {
		cols[j] = make([]float64, 0, ReachTrials)
	}
	for b := range ReachTrials / BlockSize {
		w.fillInputs(seeds, uint64(b), BlockSize)
		for j := range cols {
			cols[j] = append(cols[j], w.in[j]...)
		}
	}
	ranks := map[int][]float64{}
	for j, x := range cols {
		ranks[j] = MidRanks(x)
	}
	var out []RankShortfall
	for p := range c.Inputs {
		for q := p + 1; q < len(c.Inputs); q++ {
			target := c.Rank[p][q]
			if target == 0 {
				continue
			}
			a, b := c.Inputs[p], c.Inputs[q]
			got := pearson(ranks[a], ranks[b])
			// A constant input (NaN) has no rank correlation to reach.
			if !math.IsNaN(got) && math.Abs(got-target) > ReachTolerance {
				out = append(out, RankShortfall{A: a, B: b, Target: target, Reached: got})
			}
		}
	}
	return out, nil
}

// pearson is the correlation of x and y (NaN if either is constant).
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i] / n
		my += y[i] / n
	}
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}
