package engine

import (
	"math"
	"slices"
)

// Levels are the percentiles every Summary reports.
var Levels = [...]float64{0.05, 0.10, 0.50, 0.90, 0.95}

// Summary describes the distribution of one output over the trials.
type Summary struct {
	N    int
	Mean float64
	// MCSE is the Monte Carlo standard error of Mean: SD / sqrt(N).
	MCSE float64
	SD   float64
	// P5 ... P95 are percentiles by linear interpolation between order
	// statistics (Hyndman and Fan 1996, type 7; numpy's default).
	P5, P10, P50, P90, P95 float64
	// PLo[i] and PHi[i] bound the distribution-free 95% interval of the
	// percentile at Levels[i], two order statistics whose ranks come from
	// the binomial distribution (QuantileCIRanks); PMCSE[i] is the
	// percentile's Monte Carlo standard error read off it
	// (PercentileMCSE).
	PLo, PHi, PMCSE [len(Levels)]float64
}

// Percentile returns the summary's percentile at Levels[i].
func (s *Summary) Percentile(i int) float64 {
	return [...]float64{s.P5, s.P10, s.P50, s.P90, s.P95}[i]
}

// setPercentiles fills the percentiles and their intervals.
func (s *Summary) setPercentiles(q, lo, hi []float64) {
	s.P5, s.P10, s.P50, s.P90, s.P95 = q[0], q[1], q[2], q[3], q[4]
	for i := range Levels {
		s.PLo[i], s.PHi[i] = lo[i], hi[i]
		s.PMCSE[i] = PercentileMCSE(lo[i], hi[i])
	}
}

// Summarize computes the Summary of x without modifying it.
func Summarize(x []float64) Summary { return new(Scratch).Summarize(x) }

// Scratch is reusable working memory for summaries: computing many
// summaries with one Scratch touches fresh memory once, which matters on
// machines where first-touch page faults are slow (about 10 µs per 4 KiB
// page on this project's virtual machines). Not safe for concurrent use.
type Scratch struct {
	buf    []float64
	counts []int
	slot   []int32
}

func (s *Scratch) get(n int) []float64 {
	if cap(s.buf) < n {
		s.buf = make([]float64, n)
	}
	return s.buf[:n]
}

// nanSummary is the Summary of no values.
func nanSummary() Summary {
	nan := math.NaN()
	s := Summary{Mean: nan, MCSE: nan, SD: nan, P5: nan, P10: nan, P50: nan, P90: nan, P95: nan}
	for i := range Levels {
		s.PLo[i], s.PHi[i], s.PMCSE[i] = nan, nan, nan
	}
	return s
}

// Summarize is Summarize using the scratch buffer.
func (sc *Scratch) Summarize(x []float64) Summary {
	if len(x) == 0 {
		return nanSummary()
	}
	mean, sd := MeanSD(x)
	return sc.SummarizeMoments(x, mean, sd)
}

// SummarizeMoments is Summarize for x whose mean and sd (n-1) are already
// known, e.g. Result.Mean and Result.SD of a kept output: only the
// percentiles are computed from x.
func (sc *Scratch) SummarizeMoments(x []float64, mean, sd float64) Summary {
	if len(x) == 0 {
		return sc.Summarize(x)
	}
	s := Summary{N: len(x), Mean: mean, SD: sd, MCSE: sd / math.Sqrt(float64(len(x)))}
	q, lo, hi := sc.PercentilesCI(x, Levels[:])
	s.setPercentiles(q, lo, hi)
	return s
}

// MeanSD returns the mean and the standard deviation (n-1 denominator) of x,
// by two passes.
func MeanSD(x []float64) (mean, sd float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	mean = s / float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	m2 := 0.0
	for _, v := range x {
		d := v - mean
		m2 += d * d
	}
	return mean, math.Sqrt(m2 / float64(len(x)-1))
}

// Quantiles returns the type-7 quantiles of x at the levels ps (each in
// [0, 1]) without modifying x. It selects the needed order statistics in
// expected linear time rather than sorting.
func Quantiles(x []float64, ps []float64) []float64 { return new(Scratch).Quantiles(x, ps) }

// Quantiles32 is Quantiles for float32 data (e.g. Result.Sampled).
func (sc *Scratch) Quantiles32(x []float32, ps []float64) []float64 {
	q, _, _ := quantiles(sc, x, ps, false)
	return q
}

// Quantiles is Quantiles using the scratch buffer.
func (sc *Scratch) Quantiles(x []float64, ps []float64) []float64 {
	q, _, _ := quantiles(sc, x, ps, false)
	return q
}

// PercentilesCI returns the type-7 quantiles of x at the levels ps and the
// order statistics bounding each one's 95% distribution-free interval
// (QuantileCIRanks), in one selection pass.
func (sc *Scratch) PercentilesCI(x []float64, ps []float64) (q, lo, hi []float64) {
	return quantiles(sc, x, ps, true)
}

// PercentilesCI32 is PercentilesCI for float32 data.
func (sc *Scratch) PercentilesCI32(x []float32, ps []float64) (q, lo, hi []float64) {
	return quantiles(sc, x, ps, true)
}

// levelRanks returns the sorted, unique 0-based ranks among n values that
// the type-7 quantiles at ps need, and with ci those of their intervals.
func levelRanks(n int, ps []float64, ci bool) []int {
	ranks := make([]int, 0, 4*len(ps))
	for _, p := range ps {
		h := p * float64(n-1)
		lo := int(math.Floor(h))
		ranks = append(ranks, lo, min(lo+1, n-1))
		if ci {
			l, u := QuantileCIRanks(n, p)
			ranks = append(ranks, l, u)
		}
	}
	slices.Sort(ranks)
	return slices.Compact(ranks)
}

// fromRanks computes the type-7 quantiles at ps of n values whose order
// statistic of rank ranks[i] is at[i], and with ci their intervals.
func fromRanks(n int, ps []float64, ranks []int, at []float64, ci bool) (q, lo, hi []float64) {
	value := func(r int) float64 { i, _ := slices.BinarySearch(ranks, r); return at[i] }
	q = make([]float64, len(ps))
	if ci {
		lo, hi = make([]float64, len(ps)), make([]float64, len(ps))
	}
	for i, p := range ps {
		h := p * float64(n-1)
		l := int(math.Floor(h))
		u := min(l+1, n-1)
		a, b := value(l), value(u)
		switch {
		case a == b || math.IsInf(a, 0) || math.IsInf(b, 0):
			q[i] = a
			if h-float64(l) > 0 && math.IsInf(b, 0) {
				q[i] = b
			}
		default:
			q[i] = a + (h-float64(l))*(b-a)
		}
		if ci {
			rl, ru := QuantileCIRanks(n, p)
			lo[i], hi[i] = value(rl), value(ru)
		}
	}
	return q, lo, hi
}

// quantiles computes type-7 quantiles of x at the levels ps, and with ci
// the bounds of their 95% intervals.
func quantiles[F float32 | float64](sc *Scratch, x []F, ps []float64, ci bool) (q, lo, hi []float64) {
	n := len(x)
	if n == 0 {
		q = make([]float64, len(ps))
		for i := range q {
			q[i] = math.NaN()
		}
		if ci {
			lo, hi = slices.Clone(q), slices.Clone(q)
		}
		return q, lo, hi
	}
	ranks := levelRanks(n, ps, ci)
	return fromRanks(n, ps, ranks, orderStats(sc, x, ranks), ci)
}

// histBuckets is how many equal-width buckets orderStats sorts values into
// before selecting within the few buckets that hold the wanted ranks.
const histBuckets = 4096

// orderStats returns the ranks[k]-th smallest value of x for each k (ranks
// sorted, unique, within [0, len(x))), without modifying x. One pass finds
// the range, a second counts values per equal-width bucket, a third copies
// out only the values in buckets holding a wanted rank, and those are
// selected exactly. Bucket numbers never decrease as values increase, so
// the buckets are ordered ranges and the answer is exact. NaN and infinite
// values are counted apart; NaN orders first, as in slices.Sort. Whole
// numbers over a short range are counted one value per bucket, with no
// third pass.
func orderStats[F float32 | float64](sc *Scratch, x []F, ranks []int) []float64 {
	n := len(x)
	lo, hi := math.Inf(1), math.Inf(-1)
	nNaN, nNegInf, nPosInf := 0, 0, 0
	for _, f := range x {
		v := float64(f)
		if v >= -math.MaxFloat64 && v <= math.MaxFloat64 { // finite
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
			continue
		}
		switch {
		case v != v:
			nNaN++
		case v < 0:
			nNegInf++
		default:
			nPosInf++
		}
	}
	// Every finite value an integer? (A loop of its own, which most
	// outputs leave at their first value, keeps the loop above tight.)
	whole := true
	for _, f := range x {
		if v := float64(f); v >= -math.MaxFloat64 && v <= math.MaxFloat64 && v != math.Trunc(v) {
			whole = false
			break
		}
	}
	at := make([]float64, len(ranks))
	below := nNaN + nNegInf // values ordered before the finite ones
	finite := n - below - nPosInf
	if cap(sc.counts) < histBuckets {
		sc.counts, sc.slot = make([]int, histBuckets+1), make([]int32, histBuckets)
	}
	counts, slot := sc.counts[:histBuckets+1], sc.slot[:histBuckets]
	clear(counts)
	scale := histBuckets / (hi - lo)
	if math.IsInf(scale, 0) || scale == 0 {
		scale = 0 // a range too wide or too narrow for doubles: one bucket
	}
	// Whole numbers spanning fewer than histBuckets values (years, counts)
	// get one bucket per value: every bucket then holds a single value and
	// the order statistics are read off the counts.
	counting := whole && hi-lo < histBuckets
	if counting {
		scale = 1
	}
	// v - lo can overflow to +Inf when the range is wider than the largest
	// double (scale is then 0 and the product NaN): such values, like
	// everything else in a one-bucket histogram, go to bucket 0.
	bucket := func(v float64) int {
		f := (v - lo) * scale
		if !(f > 0) {
			return 0
		}
		if f >= histBuckets-1 { // min(f, histBuckets-1) without min's NaN and signed-zero care (f > 0 here)
			return histBuckets - 1
		}
		return int(f)
	}
	for _, f := range x {
		if v := float64(f); v >= lo && v <= hi {
			counts[bucket(v)+1]++
		}
	}
	for b := 1; b <= histBuckets; b++ {
		counts[b] += counts[b-1] // counts[b]: finite values in buckets below b
	}
	// Mark the buckets holding a wanted finite rank; note how many values
	// of unmarked buckets lie below each.
	for b := range slot {
		slot[b] = -1
	}
	var want []int // ranks among the copied values
	var wantAt []int
	marked := 0
	skipped := 0 // values in unmarked buckets below the current one
	b := 0
	for k, r := range ranks {
		switch {
		case r < nNaN:
			at[k] = math.NaN()
			continue
		case r < below:
			at[k] = math.Inf(-1)
			continue
		case r >= below+finite:
			at[k] = math.Inf(1)
			continue
		case lo == hi:
			at[k] = lo
			continue
		}
		fr := r - below // rank among finite values
		for counts[b+1] <= fr {
			if slot[b] < 0 {
				skipped += counts[b+1] - counts[b]
			}
			b++
		}
		if counting {
			at[k] = lo + float64(b)
			continue
		}
		if slot[b] < 0 {
			slot[b] = int32(marked)
			marked++
		}
		want = append(want, fr-skipped)
		wantAt = append(wantAt, k)
	}
	if len(want) == 0 {
		return at
	}
	m := 0
	for b := range slot {
		if slot[b] >= 0 {
			m += counts[b+1] - counts[b]
		}
	}
	buf := sc.get(m)[:0]
	for _, f := range x {
		if v := float64(f); v >= lo && v <= hi && slot[bucket(v)] >= 0 {
			buf = append(buf, v)
		}
	}
	selectRanks(buf, 0, len(buf), slices.Compact(slices.Clone(want)))
	for i, k := range wantAt {
		at[k] = buf[want[i]]
	}
	return at
}

// selectRanks rearranges x[lo:hi] so that x[r] holds the r-th smallest value
// for each r in ranks (sorted, all within [lo, hi)).
func selectRanks(x []float64, lo, hi int, ranks []int) { selectRanksWith(x, nil, lo, hi, ranks) }

// selectRanksWith is selectRanks that moves blk[i] (the block of value
// x[i]; nil: none) with x[i].
func selectRanksWith(x []float64, blk []uint32, lo, hi int, ranks []int) {
	for len(ranks) > 0 {
		if hi-lo <= 32 {
			if blk == nil {
				slices.Sort(x[lo:hi])
				return
			}
			for i := lo + 1; i < hi; i++ { // insertion sort of the pairs
				for j := i; j > lo && x[j] < x[j-1]; j-- {
					x[j], x[j-1] = x[j-1], x[j]
					blk[j], blk[j-1] = blk[j-1], blk[j]
				}
			}
			return
		}
		// Median-of-three pivot, three-way partition (robust to ties).
		a, b, c := x[lo], x[lo+(hi-lo)/2], x[hi-1]
		pivot := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch v := x[i]; {
			case v < pivot:
				x[lt], x[i] = x[i], x[lt]
				if blk != nil {
					blk[lt], blk[i] = blk[i], blk[lt]
				}
				lt++
				i++
			case v > pivot:
				gt--
				x[gt], x[i] = x[i], x[gt]
				if blk != nil {
					blk[gt], blk[i] = blk[i], blk[gt]
				}
			default:
				i++
			}
		}
		// ranks in [lt, gt) are settled; recurse on the smaller side, loop on the other.
		k := 0
		for k < len(ranks) && ranks[k] < lt {
			k++
		}
		m := k
		for m < len(ranks) && ranks[m] < gt {
			m++
		}
		left, right := ranks[:k], ranks[m:]
		if len(left) > 0 && len(right) > 0 {
			if lt-lo < hi-gt {
				selectRanksWith(x, blk, lo, lt, left)
				lo, ranks = gt, right
			} else {
				selectRanksWith(x, blk, gt, hi, right)
				hi, ranks = lt, left
			}
		} else if len(left) > 0 {
			hi, ranks = lt, left
		} else {
			lo, ranks = gt, right
		}
	}
}
