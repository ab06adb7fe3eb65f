package engine

import (
	"cmp"
	"math"
	"slices"
	"sync/atomic"
)

// The bounded path in one pass where possible (docs/MODEL.md §8c).
//
// SecondPass finds each kept output's order statistics exactly by counting
// every value in 2^20 buckets during the run, then regenerating every
// block to collect the values of the buckets that hold a wanted rank. The
// second generation costs as much as the first. When the number of trials
// is known in advance (no precision rule), a pilot avoids most of it: the
// first pilotBlocks(blocks) blocks are run and counted as usual, and from
// their bucket counts each level's percentile is placed with a margin wide
// enough that the final percentile, and every order statistic its value
// and interval need, lie within it with overwhelming probability
// (onePassSlack pilot standard errors). The rest of the run then collects,
// besides the counts, every value in the buckets those windows span (and,
// for the between-block intervals, each block's count of values below
// each window); the pilot's blocks are then generated once more to
// collect theirs. At the end the counts say exactly which bucket holds
// each wanted rank; a rank in a collected bucket is selected from it
// exactly as SecondPass would (the same values, so the same answer); a
// rank the windows missed, or all of them if the windows held more than
// CollectBytes, falls back to SecondPass's further passes. Results are
// identical either way (TestOnePassMatchesSecondPass).

// onePassMinBlocks is the fewest blocks a run needs for the one-pass
// path (its pilot is then at least 16 blocks).
const onePassMinBlocks = 256

// onePassSlack is how many pilot standard errors of the estimated CDF a
// window reaches on each side of a level, beyond the final run's own 95%
// interval. A variable so a test can make every window miss (a negative
// value puts each window 0.3 away from its level).
var onePassSlack = 5.0

// pilotBlocks is the pilot's length: a sixteenth of the blocks, which
// are generated twice.
func pilotBlocks(blocks int) int { return blocks / 16 }

// window is a range of first-pass buckets [lo, hi] whose values are
// collected, and, under a stratified design, each block's count of values
// in buckets below lo.
type window struct {
	lo, hi uint64
	below  []uint16 // [block]; nil unless stratified
}

// onePass is the run's collection for one-pass percentiles.
type onePass struct {
	pilot   int        // blocks of the pilot
	windows [][]window // [kept output], sorted, disjoint
	vals    [][]chunks // [worker][kept output]
	budget  int64      // values that may be collected in all
	used    atomic.Int64
	over    atomic.Bool // more than budget: every output falls back
}

// chunkLen is the length of one chunk of collected values.
const chunkLen = 1 << 14

// chunk is up to chunkLen collected values and, under a stratified
// design, their blocks (else blk is nil): 12 or 8 bytes a value.
type chunk struct {
	v   []float64
	blk []uint32
}

// chunks holds collected values in chunks of chunkLen: growing never
// copies, so it leaves no garbage behind (a doubling slice would let the
// heap grow to twice what is live before a collection).
type chunks []chunk

func (ch *chunks) add(v float64, b uint32, withBlock bool) {
	n := len(*ch)
	if n == 0 || len((*ch)[n-1].v) == chunkLen {
		c := chunk{v: make([]float64, 0, chunkLen)}
		if withBlock {
			c.blk = make([]uint32, 0, chunkLen)
		}
		*ch = append(*ch, c)
		n++
	}
	last := &(*ch)[n-1]
	last.v = append(last.v, v)
	if withBlock {
		last.blk = append(last.blk, b)
	}
}

func (ch chunks) len() int {
	if len(ch) == 0 {
		return 0
	}
	return (len(ch)-1)*chunkLen + len(ch[len(ch)-1].v)
}

func newOnePass(nWorkers, nKept, blocks, budgetBytes int) *onePass {
	op := &onePass{pilot: pilotBlocks(blocks), windows: make([][]window, nKept),
		vals: make([][]chunks, nWorkers), budget: int64(budgetBytes / 12)}
	for w := range op.vals {
		op.vals[w] = make([]chunks, nKept)
	}
	return op
}

// plan sets each kept output's windows from the pilot's bucket counts
// (bs, flushed): for each level p, from the bucket holding the pilot's
// rank (p - d)(m - 1) to that holding (p + d)(m - 1), with
// d = onePassSlack sqrt(p(1-p)/m) + 3 sqrt(p(1-p)/N) (m pilot values other
// than NaN, N trials in all), merged where they touch. Outputs of at most
// maxDistinct values so far need none. blocks is the run's block count;
// stratified asks for the counts below each window.
func (op *onePass) plan(bs *boundedState, n, blocks int, stratified bool) {
	for c, hist := range bs.hist {
		if !bs.distinct[c].over {
			continue // few values need no collection (their counts say all)
		}
		var m uint64
		for _, v := range hist {
			m += v
		}
		if m < 2 {
			continue
		}
		// The wanted ranks of the pilot, two a level, and their buckets.
		type want struct {
			rank uint64
			i    int
		}
		var wants []want
		for _, p := range Levels {
			sd := math.Sqrt(p * (1 - p))
			d := onePassSlack*sd/math.Sqrt(float64(m)) + 3*sd/math.Sqrt(float64(n))
			if onePassSlack < 0 { // tests: every window away from its level
				p, d = math.Mod(p+0.3, 1), 0
			}
			lo := uint64(math.Floor(max(0, p-d) * float64(m-1)))
			hi := uint64(math.Ceil(min(1, p+d) * float64(m-1)))
			wants = append(wants, want{lo, len(wants)}, want{hi, len(wants) + 1})
		}
		slices.SortFunc(wants, func(a, b want) int { return cmp.Compare(a.rank, b.rank) })
		bucket := make([]uint64, len(wants))
		cum, b := uint64(0), 0
		for _, w := range wants {
			for cum+hist[b] <= w.rank {
				cum += hist[b]
				b++
			}
			bucket[w.i] = uint64(b)
		}
		var ws []window
		for i := 0; i < len(bucket); i += 2 {
			ws = append(ws, window{lo: bucket[i], hi: bucket[i+1]})
		}
		slices.SortFunc(ws, func(a, b window) int { return cmp.Compare(a.lo, b.lo) })
		merged := ws[:1]
		for _, w := range ws[1:] {
			last := &merged[len(merged)-1]
			if w.lo <= last.hi+1 {
				last.hi = max(last.hi, w.hi)
				continue
			}
			merged = append(merged, w)
		}
		if stratified {
			for i := range merged {
				merged[i].below = make([]uint16, blocks)
			}
		}
		op.windows[c] = merged
	}
}

// collect adds block b's values (outs[keep[c]] for kept output c) that
// fall in the windows to worker wi's collection, and counts those below
// each window. Past the budget, collection stops for good.
func (op *onePass) collect(wi int, outs [][]float64, keep []int, b int) {
	if op.over.Load() {
		return
	}
	for c, ws := range op.windows {
		if len(ws) == 0 {
			continue
		}
		col := outs[keep[c]]
		dst := &op.vals[wi][c]
		start := dst.len()
		withBlock := ws[0].below != nil
		// at[k]: values past k windows' lower ends, so below window j
		// are at[0] + ... + at[j].
		var at [len(Levels) + 1]int
		for _, v := range col {
			if v != v {
				continue
			}
			bk := edgeBucket(v)
			k := 0
			for k < len(ws) && ws[k].lo <= bk {
				k++
			}
			at[k]++
			if k > 0 && bk <= ws[k-1].hi {
				dst.add(v, uint32(b), withBlock)
			}
		}
		if withBlock {
			run := 0
			for j := range ws {
				run += at[j]
				ws[j].below[b] = uint16(run)
			}
		}
		if op.used.Add(int64(dst.len()-start)) > op.budget {
			op.over.Store(true)
			return
		}
	}
}

// inWindow returns the window of output c holding bucket bk, or nil.
func (op *onePass) inWindow(c int, bk uint64) *window {
	for i := range op.windows[c] {
		if w := &op.windows[c][i]; w.lo <= bk && bk <= w.hi {
			return w
		}
	}
	return nil
}

// resolve fills every depth-histBits region of output c whose bucket lies
// in a window with its values (exactly r.count of them), so the region's
// targets are selected as SecondPass's collect would, and returns the
// regions left for further passes.
func (op *onePass) resolve(c int, targets []*target, regions []*region) []*region {
	if op.over.Load() {
		return regions
	}
	var left []*region
	for _, r := range regions {
		if r.depth != histBits || op.inWindow(c, r.prefix) == nil {
			left = append(left, r)
			continue
		}
		r.vals = make([]float64, 0, r.count)
		for _, wv := range op.vals {
			for _, ch := range wv[c] {
				for _, v := range ch.v {
					if edgeBucket(v) == r.prefix {
						r.vals = append(r.vals, v)
					}
				}
			}
		}
		if uint64(len(r.vals)) != r.count {
			panic("engine: one-pass collection missed values of a collected bucket")
		}
		selectRegion(r, targets)
	}
	return left
}

// selectRegion selects the ranks of the targets in region r from its
// collected values (keeping each value's block beside it, if r.blk), and
// resolves them.
func selectRegion(r *region, targets []*target) {
	var want []int
	for _, t := range targets {
		if t.reg == r {
			want = append(want, int(t.rank-r.base))
		}
	}
	selectRanksWith(r.vals, r.blk, 0, len(r.vals), slices.Compact(want))
	for _, t := range targets {
		if t.reg == r {
			t.value, t.reg = r.vals[t.rank-r.base], nil
		}
	}
	if r.blk == nil { // else cdfCount.finish still counts them
		r.vals = nil
	}
}

// fewValues says whether x takes at most maxDistinct distinct values
// (counting -0 as +0, skipping NaN), as SecondPass's distinct counter
// decides: such outputs keep the order-statistic interval and need no
// collection.
func fewValues(x []float64) bool {
	var d distinctCounter
	for _, v := range x {
		if v != v {
			continue
		}
		if v == 0 {
			v = 0
		}
		d.add(v, 1)
		if d.over {
			return false
		}
	}
	return true
}

// blockCDF is output c's between-block counts below the point of order
// key e (a value the collection holds: blockquant.go), from the window
// holding e's bucket: each block's count below the window plus its
// collected values below e. ok is false when no window holds it (or the
// collection was abandoned).
func (op *onePass) blockCDF(c int, e uint64, blocks, iterations int) (blockCDF, bool) {
	if op.over.Load() {
		return blockCDF{}, false
	}
	w := op.inWindow(c, e>>(64-histBits))
	if w == nil || w.below == nil {
		return blockCDF{}, false
	}
	cnt := make([]int, blocks)
	for b, v := range w.below {
		cnt[b] = int(v)
	}
	for _, wv := range op.vals {
		for _, ch := range wv[c] {
			for k, v := range ch.v {
				if key := orderKey(v); key>>(64-histBits) >= w.lo && key < e {
					cnt[ch.blk[k]]++
				}
			}
		}
	}
	var acc blockCDF
	for b, k := range cnt {
		acc.add(k, min(BlockSize, iterations-b*BlockSize))
	}
	return acc, true
}
