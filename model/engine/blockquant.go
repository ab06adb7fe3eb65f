package engine

import (
	"math"
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
// The point e is the lower edge of the bucket of 1/256 of a binade (the
// bounded path's first-pass buckets, histBits) that holds the order
// statistic just below the estimate, so that the kept-draws path and the
// bounded path (which knows the buckets before it knows the values) count
// below the same point and give identical intervals. The bucket's width is
// a fraction of the value's level, not of the output's spread, so for an
// output whose spread is small against its level (y + 3000 with sd 1.5)
// the edge can sit far out in the distribution, where the design's factor
// differs: coverage of P95 fell to 0.88 there (an audit's measurement).
// The factor is therefore used only where the pooled CDF at the edge, F,
// is near the level p (nearLevel); elsewhere the order-statistic interval
// stands (wider, and conservative, never too narrow).
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

func (a *blockCDF) merge(b blockCDF) {
	a.blocks += b.blocks
	a.n += b.n
	a.s1 += b.s1
	a.s2 += b.s2
	a.snc += b.snc
	a.snn += b.snn
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
// key) of non-NaN value v; the point e of a level is that bucket's lower
// edge, and a value is below e when its bucket is lower.
func edgeBucket(v float64) uint64 { return orderKey(v) >> (64 - histBits) }

// countBelow adds to each acc[l] the block's count of values whose bucket
// is below edges[l] (col holds one block, no NaN; at most len(Levels)
// edges), in one pass over the block.
func countBelow(col []float64, edges []uint64, acc []blockCDF) {
	var cnt [len(Levels)]int
	edges = edges[:min(len(edges), len(cnt))]
	for _, v := range col {
		bk := orderKey(v) >> (64 - histBits)
		for l, e := range edges {
			// bk < e without a branch (which the order of the values
			// makes unpredictable): bucket and edge are below 2^63, so
			// bk - e wraps to a number with its top bit set exactly
			// when bk < e.
			cnt[l] += int((bk - e) >> 63)
		}
	}
	for l := range edges {
		acc[l].add(cnt[l], len(col))
	}
}

// blockCDFs counts x (values in trial order, blocks of BlockSize, no NaN)
// below each edge, block by block.
func blockCDFs(x []float64, edges []uint64) []blockCDF {
	acc := make([]blockCDF, len(edges))
	for s := 0; s < len(x); s += BlockSize {
		countBelow(x[s:min(s+BlockSize, len(x))], edges, acc)
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
// F, is near level p, so that the factor measured there is the factor at
// the percentile: within one independent-draws standard error
// sqrt(p (1 - p) / N), or within a tenth of min(p, 1 - p). The second
// keeps large runs narrowed: the point's offset from the level is fixed by
// the bucket's width while the standard error shrinks as 1/sqrt(N), so one
// standard error alone turned the factor off at about 10^6 trials for an
// output like R's NPV (an audit's finding).
func (a blockCDF) nearLevel(p float64) bool {
	if a.n == 0 {
		return false
	}
	N := float64(a.n)
	return math.Abs(float64(a.s1)/N-p) <= max(math.Sqrt(p*(1-p)/N), 0.1*min(p, 1-p))
}

// scaleIntervals replaces each level's interval in s by scaleInterval's
// and recomputes its MCSE.
func (s *Summary) scaleIntervals(acc []blockCDF) {
	for i := range Levels {
		s.PLo[i], s.PHi[i] = scaleInterval(s.Percentile(i), s.PLo[i], s.PHi[i], Levels[i], acc[i])
		s.PMCSE[i] = PercentileMCSE(s.PLo[i], s.PHi[i])
	}
}

// levelEdges returns, for each level in ps, the bucket of the order
// statistic of rank lowRank(n, p), read from the order statistics at (of
// ranks ranks, sorted).
func levelEdges(n int, ps []float64, ranks []int, at []float64) []uint64 {
	e := make([]uint64, len(ps))
	for i, p := range ps {
		j, _ := slices.BinarySearch(ranks, lowRank(n, p))
		e[i] = edgeBucket(at[j])
	}
	return e
}
