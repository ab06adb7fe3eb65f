package engine

import (
	"math"
	"math/bits"
	"slices"
)

// Percentile intervals under a stratified design (Latin hypercube or
// Sobol' blocks; docs/MODEL.md §8a).
//
// The order-statistic interval of a percentile (QuantileCIRanks) assumes
// independent draws: the number of draws below the percentile is then
// binomial, with variance n p (1 - p). Under a stratified design the
// blocks are independent replicates but the draws within a block are not,
// and the count below a point varies less than the binomial's (about half
// as much for R's P5 under Sobol'), so the interval is too wide and a
// precision rule on a percentile gains nothing from the design.
//
// The between-block interval measures that variance instead. With c_b
// the number of block b's n_b values below a point e, N = sum n_b and
// F = sum c_b / N (the pooled empirical CDF at e), the batch-means
// estimate over the B independent blocks is
//
//	V = B/(B-1) sum_b (c_b - n_b F)^2 / N^2
//
// (as for a mean, sampling.go: blockSpread). Against the independent-draws
// variance F (1 - F) / N its ratio gives the design's factor on the
// standard error of the empirical CDF, r = sqrt(V / (F (1 - F) / N)). By
// the usual linearisation (Woodruff 1952) a percentile's error is the
// empirical CDF's error divided by the density, so the percentile's
// standard error shrinks by the same factor: the order-statistic interval
// [lo, hi] around the estimate q becomes [q - r (q - lo), q + r (hi - q)].
//
// The point e is the order statistic x_(k) just below the estimate
// (k = lowRank(N, p)), and c_b counts block b's values strictly below it,
// so F = k/N for distinct values and the factor is measured at the
// percentile itself, whatever the output's level: adding a constant to
// the output leaves r unchanged (TestBlockPercentileShiftInvariant). Only
// ties can move F away from p (an atom at the percentile); the factor is
// then used only where F is within one independent-draws standard error
// of p (nearLevel), else the order-statistic interval stands (wider, and
// conservative). The kept-draws path counts below x_(k) directly; the
// bounded paths count below it once they have selected it
// (onepass.go: blockCDF; bounded.go: cdfCount), so all three give
// identical intervals.
//
// It applies with at least MinSpreadBlocks blocks to an output with no
// NaN value (whose blocks then all count every value); otherwise, and
// where F is 0 or 1, the order-statistic interval stands (an upper bound
// under a stratified design).

// blockCDF accumulates, in any order, the sums that V needs: integers, so
// the result does not depend on the number of workers.
type blockCDF struct {
	blocks, n int64
	s1, s2    int64 // sum c_b, sum c_b^2
	snc, snn  int64 // sum n_b c_b, sum n_b^2
}

func (a *blockCDF) add(c, nb int) {
	a.blocks++
	a.n += int64(nb)
	a.s1 += int64(c)
	a.s2 += int64(c) * int64(c)
	a.snc += int64(nb) * int64(c)
	a.snn += int64(nb) * int64(nb)
}

// ratio is r, the between-block standard error of the empirical CDF at
// the point over its independent-draws value; ok is false with fewer than
// MinSpreadBlocks blocks or where F is 0 or 1.
func (a blockCDF) ratio() (r float64, ok bool) {
	if a.blocks < MinSpreadBlocks || a.s1 == 0 || a.s1 == a.n {
		return 0, false
	}
	N, B := float64(a.n), float64(a.blocks)
	F := float64(a.s1) / N
	ss := float64(a.s2) - 2*F*float64(a.snc) + F*F*float64(a.snn)
	v := max(0, ss) * B / (B - 1) / (N * N)
	return math.Sqrt(v / (F * (1 - F) / N)), true
}

// edgeBucket is the first-pass bucket (histBits leading bits of the order
// key) of non-NaN value v.
func edgeBucket(v float64) uint64 { return orderKey(v) >> (64 - histBits) }

// countBelow returns the block's count of values whose order key is below
// each of keys (col holds one block, no NaN; at most len(Levels) keys), in
// one pass over the block. A value is below a point exactly when its key
// is below the point's key (orderKey keeps the order, -0 and +0 alike).
func countBelow(col []float64, keys []uint64) (cnt [len(Levels)]int) {
	// Five points always, in registers: a missing point is key 0, which no
	// key is below.
	var _ [len(Levels) - 5]struct{} // len(Levels) == 5, or this fails to compile
	var _ [5 - len(Levels)]struct{}
	var e [len(Levels)]uint64
	copy(e[:], keys)
	var c0, c1, c2, c3, c4 uint64
	for _, v := range col {
		k := orderKey(v)
		// k < e without a branch (which the order of the values makes
		// unpredictable): the borrow of k - e.
		_, b0 := bits.Sub64(k, e[0], 0)
		_, b1 := bits.Sub64(k, e[1], 0)
		_, b2 := bits.Sub64(k, e[2], 0)
		_, b3 := bits.Sub64(k, e[3], 0)
		_, b4 := bits.Sub64(k, e[4], 0)
		c0, c1, c2, c3, c4 = c0+b0, c1+b1, c2+b2, c3+b3, c4+b4
	}
	return [len(Levels)]int{int(c0), int(c1), int(c2), int(c3), int(c4)}
}

// blockCDFs counts x (values in trial order, blocks of BlockSize, no NaN)
// below each point (an order key), block by block.
func blockCDFs(x []float64, keys []uint64) []blockCDF {
	acc := make([]blockCDF, len(keys))
	for s := 0; s < len(x); s += BlockSize {
		col := x[s:min(s+BlockSize, len(x))]
		cnt := countBelow(col, keys)
		for l := range keys {
			acc[l].add(cnt[l], len(col))
		}
	}
	return acc
}

// lowRank is the 0-based rank of the order statistic just below the
// type-7 estimate of the p-quantile of n values.
func lowRank(n int, p float64) int { return int(math.Floor(p * float64(n-1))) }

// scaleInterval is the between-block interval from the order-statistic
// interval [lo, hi] around estimate q of the p-quantile: unchanged where
// acc gives no ratio, its point is not near the level (nearLevel) or a
// bound is infinite.
func scaleInterval(q, lo, hi, p float64, acc blockCDF) (float64, float64) {
	r, ok := acc.ratio()
	if !ok || !acc.nearLevel(p) || math.IsInf(q, 0) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return lo, hi
	}
	return q - r*(q-lo), q + r*(hi-q)
}

// nearLevel reports whether the pooled empirical CDF at the counting point,
// F, is within one independent-draws standard error sqrt(p (1 - p) / N)
// of level p, so that the factor measured there is the factor at the
// percentile. Counting below the order statistic x_(k) gives F = k/N,
// within 1/N of p, unless values tie at x_(k).
func (a blockCDF) nearLevel(p float64) bool {
	if a.n == 0 {
		return false
	}
	N := float64(a.n)
	return math.Abs(float64(a.s1)/N-p) <= math.Sqrt(p*(1-p)/N)
}

// scaleIntervals replaces each level's interval in s by scaleInterval's
// and recomputes its MCSE.
func (s *Summary) scaleIntervals(acc []blockCDF) {
	for i := range Levels {
		s.PLo[i], s.PHi[i] = scaleInterval(s.Percentile(i), s.PLo[i], s.PHi[i], Levels[i], acc[i])
		s.PMCSE[i] = PercentileMCSE(s.PLo[i], s.PHi[i])
	}
}

// levelKeys returns, for each level in ps, the order key of the order
// statistic of rank lowRank(n, p), read from the order statistics at (of
// ranks ranks, sorted): the point below which blocks are counted.
func levelKeys(n int, ps []float64, ranks []int, at []float64) []uint64 {
	e := make([]uint64, len(ps))
	for i, p := range ps {
		j, _ := slices.BinarySearch(ranks, lowRank(n, p))
		e[i] = orderKey(at[j])
	}
	return e
}
