package engine

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultCollectBytes bounds what SecondPass collects at once: 8 bytes a
// value, and 4 more for a value of a region holding a between-block
// counting point (cdfCount), which keeps its block. Past it, the wanted
// buckets are split by a further pass before values are collected. A
// billion trials of reference model R collected about 220 MB of values in
// the second pass and needed no third (peak RSS 350 MB, measured before
// the blocks were kept; with them, at most half as much again where every
// region holds such a point).
const DefaultCollectBytes = 512 << 20

// histBits is how many leading bits of a value's order key (orderKey) the
// first pass counts by: 2^20 buckets, each 1/256 of a binade wide
// (sign, 11 exponent bits and 8 mantissa bits), whatever the range.
const histBits = 20

// splitBits is how many further key bits each splitting pass counts by.
const splitBits = 12

// maxDistinct is how many distinct values an output may take for
// SecondPass to count each value apart (payback years, constants) instead
// of bucketing: such an output needs no second pass.
const maxDistinct = 32

// orderKey maps a non-NaN float64 to a uint64 in the same order (-0 and +0
// to the same key): the sign bit is flipped for positive values and every
// bit for negative ones.
func orderKey(v float64) uint64 {
	if v == 0 {
		v = 0 // -0 to +0
	}
	b := math.Float64bits(v)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}

// fromOrderKey inverts orderKey.
func fromOrderKey(k uint64) float64 {
	if k>>63 != 0 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// distinctCounter counts the values of an output while it has at most
// maxDistinct distinct values.
type distinctCounter struct {
	vals   [maxDistinct]float64
	counts [maxDistinct]uint64
	n      int
	over   bool
}

func (d *distinctCounter) add(v float64, c uint64) {
	if d.over {
		return
	}
	for i := 0; i < d.n; i++ {
		if d.vals[i] == v {
			d.counts[i] += c
			return
		}
	}
	if d.n == maxDistinct {
		d.over = true
		return
	}
	d.vals[d.n], d.counts[d.n] = v, c
	d.n++
}

// boundedState is SecondPass's first-pass state: per worker and kept
// output, a bucket count (uint32, flushed into the run's uint64 totals
// before it could overflow) and a distinct-value counter.
type boundedState struct {
	mu       sync.Mutex
	hist     [][]uint64          // [kept output][bucket]
	distinct []distinctCounter   // [kept output]
	wHist    [][][]uint32        // [worker][kept output][bucket]
	wDist    [][]distinctCounter // [worker][kept output]
	wCount   []int               // trials counted since the worker's last flush
}

func newBoundedState(nKept, nWorkers int) *boundedState {
	bs := &boundedState{hist: make([][]uint64, nKept), distinct: make([]distinctCounter, nKept),
		wHist: make([][][]uint32, nWorkers), wDist: make([][]distinctCounter, nWorkers), wCount: make([]int, nWorkers)}
	for c := range bs.hist {
		bs.hist[c] = make([]uint64, 1<<histBits)
	}
	for w := range bs.wHist {
		bs.wHist[w] = make([][]uint32, nKept)
		for c := range bs.wHist[w] {
			bs.wHist[w][c] = make([]uint32, 1<<histBits)
		}
		bs.wDist[w] = make([]distinctCounter, nKept)
	}
	return bs
}

// observe counts worker wi's current block of each kept output.
func (bs *boundedState) observe(wi int, wk *worker, keep []int, n int) {
	for c, k := range keep {
		h := bs.wHist[wi][c]
		d := &bs.wDist[wi][c]
		for _, v := range wk.out[k] {
			if v != v {
				continue
			}
			h[orderKey(v)>>(64-histBits)]++
			if !d.over {
				if v == 0 {
					v = 0 // -0 counted as +0, whichever worker saw it first
				}
				d.add(v, 1)
			}
		}
	}
	if bs.wCount[wi] += n; bs.wCount[wi] > math.MaxUint32-BlockSize {
		bs.flush(wi)
	}
}

// flush adds worker wi's counts to the totals and clears them. Sums of
// counts do not depend on the order of flushes.
func (bs *boundedState) flush(wi int) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for c, h := range bs.wHist[wi] {
		tot := bs.hist[c]
		for b, v := range h {
			tot[b] += uint64(v)
		}
		clear(h)
		d := &bs.wDist[wi][c]
		if d.over {
			bs.distinct[c].over = true
		}
		for i := 0; i < d.n; i++ {
			bs.distinct[c].add(d.vals[i], d.counts[i])
		}
		*d = distinctCounter{over: d.over}
	}
	bs.wCount[wi] = 0
}

// region is a range of order keys sharing their leading depth bits
// (prefix) that holds count values of one output, below which lie base
// values.
type region struct {
	prefix uint64
	depth  int
	base   uint64
	count  uint64
	vals   []float64 // collected values
	blk    []uint32  // their blocks, for a region holding a counting point (cdfCount); else nil
	filled atomic.Int64
}

// target is one wanted rank of one output and where it stands.
type target struct {
	rank  uint64
	reg   *region // nil once resolved
	value float64
}

// secondPass finds the exact order statistics of every kept output for
// the summaries, from the first pass's counts and as many further passes
// over the regenerated blocks as needed.
func (st *runState) secondPass(ctx context.Context) error {
	bs := st.bounded
	for wi := range bs.wHist {
		bs.flush(wi)
	}
	bs.wHist = nil // the per-worker counts are no longer needed
	res := st.res
	nKept := len(st.opt.Keep)
	ranks := make([][]int, nKept)
	targets := make([][]*target, nKept)
	regions := make([][]*region, nKept) // unresolved, sorted by prefix
	for c := range nKept {
		m := res.KeptMoments[c]
		nonNaN := res.Iterations - m.NaN
		if nonNaN == 0 {
			continue
		}
		ranks[c] = levelRanks(nonNaN, Levels[:], true)
		for _, r := range ranks[c] {
			targets[c] = append(targets[c], &target{rank: uint64(r)})
		}
		if d := &bs.distinct[c]; !d.over {
			// Few distinct values: each rank is read off their counts.
			idx := make([]int, d.n)
			for i := range idx {
				idx[i] = i
			}
			slices.SortFunc(idx, func(a, b int) int { return cmpFloat(d.vals[a], d.vals[b]) })
			for _, t := range targets[c] {
				cum := uint64(0)
				for _, i := range idx {
					if cum += d.counts[i]; t.rank < cum {
						t.value = d.vals[i]
						break
					}
				}
			}
			continue
		}
		regions[c] = locate(targets[c], bs.hist[c], 0, 0, histBits, nil)
	}
	// Under a stratified design, the between-block intervals need every
	// block's count below each level's order statistic just below the
	// estimate (blockquant.go): the target of rank lowRank.
	if st.spread != nil && st.spread.blocks >= MinSpreadBlocks {
		st.cdf = newCDFCount(nKept)
		for c := range nKept {
			m := res.KeptMoments[c]
			nonNaN := res.Iterations - m.NaN
			if m.NaN > 0 || nonNaN == 0 || !bs.distinct[c].over {
				continue
			}
			st.cdf.at[c] = make([]*target, len(Levels))
			for i, p := range Levels {
				j, _ := slices.BinarySearch(ranks[c], lowRank(nonNaN, p))
				st.cdf.at[c][i] = targets[c][j]
			}
		}
	}
	bs.hist = nil
	if op := st.onepass; op != nil {
		// What the run collected in its windows resolves most ranks, and
		// the blocks' counts below most points, with no further pass.
		for c := range regions {
			regions[c] = op.resolve(c, targets[c], regions[c])
		}
		if st.cdf != nil {
			for c, ts := range st.cdf.at {
				for i, t := range ts {
					if t.reg != nil {
						continue
					}
					if acc, ok := op.blockCDF(c, orderKey(t.value), st.blocks, res.Iterations); ok {
						st.cdf.acc[c][i] = &acc
					}
				}
			}
		}
		st.onepass = nil
	}
	budget := st.opt.CollectBytes
	if budget <= 0 {
		budget = DefaultCollectBytes
	}
	for {
		bytes, some := uint64(0), false
		for _, rs := range regions {
			for _, r := range rs {
				bytes += 8 * r.count
				if st.cdf.holds(r) {
					bytes += 4 * r.count // each value's block
				}
				some = true
			}
		}
		if !some {
			if st.cdf.pending() { // nothing to collect: a pass to count the blocks
				res.Passes++
				st.cdf.start(st.blocks)
				if err := st.forBlocks(ctx, 0, st.blocks, func(wi int, wk *worker, b, n int) { st.cdf.observe(wk, st.opt.Keep, b) }); err != nil {
					return err
				}
				st.cdf.finish(st.blocks, res.Iterations)
			}
			break
		}
		res.Passes++
		if bytes <= uint64(budget) {
			// The last pass: collect, count the blocks below each point
			// (below its region, for a point not yet selected), select.
			st.cdf.start(st.blocks)
			if err := st.collect(ctx, regions); err != nil {
				return err
			}
			for c, rs := range regions {
				for _, r := range rs {
					selectRegion(r, targets[c])
				}
			}
			st.cdf.finish(st.blocks, res.Iterations)
			break
		}
		var err error
		if regions, err = st.split(ctx, targets, regions); err != nil {
			return err
		}
	}
	res.summaries = make([]Summary, nKept)
	for c := range nKept {
		m := res.KeptMoments[c]
		at := make([]float64, len(targets[c]))
		for i, t := range targets[c] {
			at[i] = t.value
		}
		res.summaries[c] = summaryFrom(m, res.Iterations-m.NaN, ranks[c], at)
		if st.cdf != nil && st.cdf.at[c] != nil {
			res.summaries[c].scaleIntervals(st.cdf.total(c))
		}
	}
	return nil
}

// cdfCount finds, for the bounded path, every block's count of each kept
// output's values below each level's point x_(k) (blockquant.go). The
// one-pass collection gives most counts at once (onePass.blockCDF). The
// others are counted in the run's last pass: below x_(k) where it is
// known, else below the lower end of the region holding it, whose values
// are collected with their blocks and, once x_(k) is selected, counted
// below it (4 bytes more a collected value of such a region, and 2 bytes
// a block for each point counted).
type cdfCount struct {
	at  [][]*target   // [kept output][level]: the target of rank lowRank; nil output: not counted
	acc [][]*blockCDF // [kept output][level]: the counts, once known
	// The last pass's state, for points whose counts are not yet known.
	keys  [][]uint64   // [kept output][level]: order key counted below
	reg   [][]*region  // [kept output][level]: the region holding x_(k), or nil
	below [][][]uint16 // [kept output][level][block]: counts below keys; nil: not counted
}

func newCDFCount(nKept int) *cdfCount {
	cc := &cdfCount{at: make([][]*target, nKept), acc: make([][]*blockCDF, nKept),
		keys: make([][]uint64, nKept), reg: make([][]*region, nKept), below: make([][][]uint16, nKept)}
	for c := range cc.acc {
		cc.acc[c] = make([]*blockCDF, len(Levels))
	}
	return cc
}

// pending reports whether some point's counts are not yet known.
func (cc *cdfCount) pending() bool {
	if cc == nil {
		return false
	}
	for c, ts := range cc.at {
		for i := range ts {
			if cc.acc[c][i] == nil {
				return true
			}
		}
	}
	return false
}

// holds reports whether region r holds a point whose counts are not yet
// known, so that its values are collected with their blocks.
func (cc *cdfCount) holds(r *region) bool {
	if cc == nil {
		return false
	}
	for c, ts := range cc.at {
		for i, t := range ts {
			if cc.acc[c][i] == nil && t.reg == r {
				return true
			}
		}
	}
	return false
}

// start sets up the counting in the next pass (over blocks blocks): for
// each point not yet counted, the key below which to count, and the
// region whose values need their blocks.
func (cc *cdfCount) start(blocks int) {
	if cc == nil {
		return
	}
	for c, ts := range cc.at {
		for i, t := range ts {
			if cc.acc[c][i] != nil {
				continue
			}
			if cc.keys[c] == nil {
				cc.keys[c] = make([]uint64, len(Levels))
				cc.reg[c] = make([]*region, len(Levels))
				cc.below[c] = make([][]uint16, len(Levels))
			}
			if r := t.reg; r != nil {
				// Keys below the region's: prefix bits below r.prefix.
				cc.keys[c][i], cc.reg[c][i] = r.prefix<<(64-r.depth), r
			} else {
				cc.keys[c][i] = orderKey(t.value)
			}
			cc.below[c][i] = make([]uint16, blocks)
		}
	}
}

// observe counts block b of every output with points to count, from
// worker wk's current block.
func (cc *cdfCount) observe(wk *worker, keep []int, b int) {
	if cc == nil {
		return
	}
	for c, keys := range cc.keys {
		if keys == nil {
			continue
		}
		cnt := countBelow(wk.out[keep[c]], keys)
		for i, bl := range cc.below[c] {
			if bl != nil {
				bl[b] = uint16(cnt[i])
			}
		}
	}
}

// finish adds, for each point whose region was collected, the region's
// values below the now selected x_(k) to their blocks' counts, and sums
// the counts (iterations trials in blocks blocks).
func (cc *cdfCount) finish(blocks, iterations int) {
	if cc == nil {
		return
	}
	for c, bls := range cc.below {
		for i, bl := range bls {
			if bl == nil {
				continue
			}
			if r := cc.reg[c][i]; r != nil {
				e := orderKey(cc.at[c][i].value)
				for k, v := range r.vals {
					if orderKey(v) < e {
						bl[r.blk[k]]++
					}
				}
			}
			var acc blockCDF
			for b, k := range bl {
				acc.add(int(k), min(BlockSize, iterations-b*BlockSize))
			}
			cc.acc[c][i] = &acc
		}
	}
	for c, rs := range cc.reg {
		for _, r := range rs {
			if r != nil { // two points may share a region: released after both
				r.vals, r.blk = nil, nil
			}
		}
		cc.keys[c], cc.reg[c], cc.below[c] = nil, nil, nil
	}
}

// total is kept output c's counts, level by level (integer sums: the same
// whatever the workers).
func (cc *cdfCount) total(c int) []blockCDF {
	t := make([]blockCDF, len(Levels))
	for i, a := range cc.acc[c] {
		if a != nil {
			t[i] = *a
		}
	}
	return t
}

// cmpFloat orders non-NaN floats.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// locate places each unresolved target in the bucket of hist (buckets of
// bits further key bits below prefix, whose first value has rank base)
// holding its rank, and returns the new regions, sorted. A region whose
// key is complete (depth 64) is a single value: its targets are resolved.
func locate(ts []*target, hist []uint64, prefix uint64, base uint64, depth int, parent *region) []*region {
	var out []*region
	cum := base
	b := 0
	for _, t := range ts {
		if t.reg != parent {
			continue
		}
		for cum+hist[b] <= t.rank {
			cum += hist[b]
			b++
		}
		p := prefix<<(depth-regionDepth(parent)) | uint64(b)
		if depth == 64 {
			t.reg, t.value = nil, fromOrderKey(p)
			continue
		}
		if n := len(out); n == 0 || out[n-1].prefix != p {
			out = append(out, &region{prefix: p, depth: depth, base: cum, count: hist[b]})
		}
		t.reg = out[len(out)-1]
	}
	return out
}

func regionDepth(r *region) int {
	if r == nil {
		return 0
	}
	return r.depth
}

// split regenerates every block and counts the values of each region by
// its next splitBits key bits, then narrows each target to its sub-bucket.
func (st *runState) split(ctx context.Context, targets [][]*target, regions [][]*region) ([][]*region, error) {
	nW := len(st.workers)
	counts := make([][][][]uint64, nW) // [worker][kept][region][sub-bucket]
	bits := make([][]int, len(regions))
	for c, rs := range regions {
		bits[c] = make([]int, len(rs))
		for i, r := range rs {
			bits[c][i] = min(splitBits, 64-r.depth)
		}
	}
	for w := range counts {
		counts[w] = make([][][]uint64, len(regions))
		for c, rs := range regions {
			counts[w][c] = make([][]uint64, len(rs))
			for i := range rs {
				counts[w][c][i] = make([]uint64, 1<<bits[c][i])
			}
		}
	}
	err := st.forBlocks(ctx, 0, st.blocks, func(wi int, wk *worker, b, n int) {
		for c, rs := range regions {
			if len(rs) == 0 {
				continue
			}
			for _, v := range wk.out[st.opt.Keep[c]] {
				if v != v {
					continue
				}
				key := orderKey(v)
				for i, r := range rs {
					if key>>(64-r.depth) == r.prefix {
						counts[wi][c][i][key<<r.depth>>(64-bits[c][i])]++
						break
					}
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([][]*region, len(regions))
	for c, rs := range regions {
		for i, r := range rs {
			hist := counts[0][c][i]
			for w := 1; w < nW; w++ {
				for b, v := range counts[w][c][i] {
					hist[b] += v
				}
			}
			out[c] = append(out[c], locate(targets[c], hist, r.prefix, r.base, r.depth+bits[c][i], r)...)
		}
	}
	return out, nil
}

// collect regenerates every block and copies the values of each region
// into it (with their blocks where the between-block counts need them),
// and counts the blocks for cdfCount.
func (st *runState) collect(ctx context.Context, regions [][]*region) error {
	for _, rs := range regions {
		for _, r := range rs {
			r.vals = make([]float64, r.count)
			if st.cdf.holds(r) {
				r.blk = make([]uint32, r.count)
			}
		}
	}
	return st.forBlocks(ctx, 0, st.blocks, func(wi int, wk *worker, b, n int) {
		st.cdf.observe(wk, st.opt.Keep, b)
		for c, rs := range regions {
			if len(rs) == 0 {
				continue
			}
			for _, v := range wk.out[st.opt.Keep[c]] {
				if v != v {
					continue
				}
				key := orderKey(v)
				for _, r := range rs {
					if key>>(64-r.depth) == r.prefix {
						i := r.filled.Add(1) - 1
						r.vals[i] = v
						if r.blk != nil {
							r.blk[i] = uint32(b)
						}
						break
					}
				}
			}
		}
	})
}
