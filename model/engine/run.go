package engine

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/devolve-lgr/devolve/model/corr"
	"github.com/devolve-lgr/devolve/model/dist"
)

// BlockSize is the number of trials in a block, the unit of work and of
// random-stream derivation. Changing it changes every result: do not.
const BlockSize = 1024

// DefaultSampleSize is how many leading trials' draws are kept for the
// outputs named in Options.Sample when Options.SampleSize is zero.
const DefaultSampleSize = 100_000

// Options configures Run. The zero value of each field means its default.
type Options struct {
	// Iterations is the number of trials (required, > 0); with Precision,
	// the most trials to run.
	Iterations int
	// Seed selects the random streams.
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Keep lists outputs whose every draw is kept in Result.Kept (float64)
	// and summarised by Result.KeptSummary.
	Keep []int
	// Sample lists outputs whose draws are kept for the first SampleSize
	// trials in Result.Sampled (float32), e.g. per-year fans.
	Sample []int
	// SampleSize caps Sample; 0 means DefaultSampleSize.
	SampleSize int
	// KeepInputs keeps every input draw for every trial in Result.Inputs.
	KeepInputs bool
	// Above lists thresholds whose exceedances are counted in
	// Result.Above: the number of trials in which output Above[i].Output
	// is greater than Above[i].Value.
	Above []Threshold
	// Precision, if set, stops the run once the 95% interval of a chosen
	// statistic is narrow enough (or at Iterations trials).
	Precision *Precision
	// MemoryLimit is the most bytes the run may hold (Plan.Memory.Total);
	// 0 means no limit. NewPlan (and so Run) returns a *MemoryError past
	// it, before anything is allocated.
	MemoryLimit int64
	// Percentiles chooses how the Keep outputs' percentiles are found:
	// KeptDraws (the default) keeps every draw; SecondPass keeps none and
	// finds the same percentiles exactly by regenerating the blocks, in
	// memory that does not grow with Iterations.
	Percentiles PercentileMethod
	// CollectBytes bounds the memory SecondPass collects values into; 0
	// means DefaultCollectBytes.
	CollectBytes int
	// KeepLimit is the most trials whose draws Auto keeps; 0 means as many
	// as fit in DefaultKeptBytes.
	KeepLimit int
	// Progress, if set, is called from worker goroutines with the number of
	// trials generated so far, counting each pass of SecondPass (so up to
	// twice Iterations, more if a splitting pass is needed).
	Progress func(done int)
	// Sampling is how each block's draws are made; the zero value is plain
	// Monte Carlo (sampling.go).
	Sampling Sampling
	// DesignOrder, under Sobol sampling, names the inputs that take the
	// design's first dimensions, in order (the model's other inputs follow
	// in model order). Runs of different models given the same DesignOrder
	// draw identical values for inputs they share by name.
	DesignOrder []string
}

// Threshold names an output and a value; see Options.Above.
type Threshold struct {
	Output int
	Value  float64
}

// Result holds what a run computed. Slices are indexed like Options.Keep,
// Options.Sample and the model's outputs and inputs.
type Result struct {
	// Iterations is the number of trials run: Options.Iterations, or
	// fewer when a precision rule stopped the run.
	Iterations int
	Seed       uint64
	// Mean and SD (n-1 denominator) of every output over all trials.
	Mean, SD []float64
	// Kept[i] holds every trial's value of output Options.Keep[i] (nil
	// with SecondPass).
	Kept [][]float64
	// KeptMoments[i] are the moments of output Options.Keep[i] over its
	// finite values, with the counts of the others.
	KeptMoments []Moments
	// Above[i] counts the trials exceeding Options.Above[i].
	Above []int
	// Sampled[i] holds the first SampleN trials' values of output Options.Sample[i].
	Sampled [][]float32
	SampleN int
	// Inputs[j] holds every trial's draw of input j (only with KeepInputs).
	Inputs [][]float64
	// Stop says why the run stopped and, with a precision rule, what
	// precision it achieved.
	Stop Stop
	// Passes is how many times each block was generated: 1, or more with
	// SecondPass (whose one-pass path, Plan.OnePass, reports 1 while
	// generating its pilot's sixteenth of the blocks twice).
	Passes int
	// MeanMCSE, under Latin hypercube or Sobol' sampling with at least
	// MinSpreadBlocks blocks, is every output's Monte Carlo standard error
	// of the mean from the spread between the independent blocks
	// (sampling.go); nil otherwise, when SD/sqrt(n) is the MCSE.
	MeanMCSE []float64
	// keptMCSE is MeanMCSE for the Keep outputs (NaN where an output has
	// non-finite values).
	keptMCSE []float64
	// summaries are the Keep outputs' summaries found by SecondPass.
	summaries []Summary
	// stratified: the run's blocks are independent replicates of a Latin
	// hypercube or Sobol' design, at least MinSpreadBlocks of them, so
	// percentile intervals come from the spread between blocks
	// (blockquant.go).
	stratified bool
}

// Moments are the count, mean and sd (n-1) of an output's finite values,
// and the counts of its NaN, +Inf and -Inf values.
type Moments struct {
	N              int
	Mean, SD       float64
	NaN, Inf, NInf int
}

// blockMoments are one block's count, mean and sum of squared deviations
// per output.
type blockMoments struct {
	n    int
	mean []float64
	m2   []float64
}

// keptMoments are one block's (or the combined) finite moments of a kept
// output.
type keptMoments struct {
	n, nan, inf, ninf int
	mean, m2          float64
}

// roundBlocks is how many blocks run between two reductions: block
// moments are combined in block order at the end of each round, so memory
// for them is bounded by the round, not the run.
const roundBlocks = 256

// runState is a run in progress: the blocks done so far and their
// reductions, combined in block order.
type runState struct {
	m       *Model
	opt     *Options
	above   []Threshold // opt.Above and the precision rule's threshold
	res     *Result
	seeds   []uint64
	workers []*worker
	blocks  int // blocks done
	n       int // trials done
	// combined moments of every output, and of the kept outputs
	cn         float64
	mean, m2   []float64
	kept       []keptMoments
	aboveCount []int
	// per-round buffers, one entry per block of the round
	rMoments []blockMoments
	rKept    [][]keptMoments
	rAbove   [][]int
	done     atomic.Int64
	bounded  *boundedState
	// cdf counts blocks for the bounded path's between-block percentile
	// intervals (nil: not needed)
	cdf *cdfCount
	// onepass collects the values near each percentile in the run itself
	// (onepass.go; nil: not used)
	onepass *onePass
	// between-block spread of the block means, for the standard error of
	// a mean under a stratified design (sampling.go: blockSpread)
	spread  *blockSpread
	scratch Scratch // for the precision rule's percentile checks
	metPrev bool
}

// Run simulates opt.Iterations trials of m (or, with opt.Precision, until
// the precision is reached). It stops early with ctx's error if ctx is
// cancelled. It runs through NewPlan, so a plan's defaults and memory are
// the run's.
func Run(ctx context.Context, m *Model, opt Options) (*Result, error) {
	p, err := NewPlan(m, opt)
	if err != nil {
		return nil, err
	}
	return p.Run(ctx)
}

// Run simulates the planned trials. It stops early with ctx's error if ctx
// is cancelled.
func (p *Plan) Run(ctx context.Context) (*Result, error) {
	m, opt := p.m, p.Options
	nOut, nIn := len(m.Outputs), len(m.Inputs)
	keptCap, counting, above, nWorkers, sampleN, nBlocks, d := p.KeptTrials, p.Counting, slices.Clone(p.above), opt.Workers, p.SampleN, p.Blocks, p.design
	// The inverse tables the inputs draw from, built on the cores asked for
	// while the run allocates, and before its first block (left to the
	// first draw, the workers would wait for each table in turn).
	var tables sync.WaitGroup
	tables.Go(func() { dist.BuildTables(m.dists(), p.cores) })
	res := &Result{Iterations: opt.Iterations, Seed: opt.Seed, SampleN: sampleN, Passes: 1,
		Mean: make([]float64, nOut), SD: make([]float64, nOut)}
	if keptCap > 0 {
		res.Kept = keptColumns[float64](len(opt.Keep), keptCap)
	}
	res.Sampled = keptColumns[float32](len(opt.Sample), sampleN)
	if opt.KeepInputs {
		res.Inputs = keptColumns[float64](nIn, opt.Iterations)
	}
	st := &runState{m: m, opt: &opt, above: above, res: res, seeds: inputSeeds(opt.Seed, m.Inputs),
		mean: make([]float64, nOut), m2: make([]float64, nOut),
		kept: make([]keptMoments, len(opt.Keep)), aboveCount: make([]int, len(above))}
	rb := min(roundBlocks, nBlocks)
	st.rMoments = make([]blockMoments, rb)
	st.rKept = make([][]keptMoments, rb)
	st.rAbove = make([][]int, rb)
	for i := range rb {
		st.rMoments[i] = blockMoments{mean: make([]float64, nOut), m2: make([]float64, nOut)}
		st.rKept[i] = make([]keptMoments, len(opt.Keep))
		st.rAbove[i] = make([]int, len(above))
	}
	for range nWorkers {
		st.workers = append(st.workers, newWorker(m, d, nIn, nOut))
	}
	tables.Wait()
	if opt.Sampling != MonteCarlo {
		st.spread = newBlockSpread(nOut)
	}
	if counting {
		st.bounded = newBoundedState(len(opt.Keep), nWorkers)
	}

	if p.OnePass {
		budget := opt.CollectBytes
		if budget <= 0 {
			budget = DefaultCollectBytes
		}
		op := newOnePass(nWorkers, len(opt.Keep), nBlocks, budget)
		if err := st.advance(ctx, op.pilot); err != nil {
			return nil, err
		}
		for wi := range st.workers {
			st.bounded.flush(wi)
		}
		op.plan(st.bounded, opt.Iterations, nBlocks, st.spread != nil)
		st.onepass = op
	}
	if opt.Precision == nil {
		if err := st.advance(ctx, nBlocks); err != nil {
			return nil, err
		}
		res.Stop = Stop{Rule: StopIterations}
	} else {
		for b := precisionFirstBlocks; ; b = nextCheck(b) {
			b = min(b, nBlocks)
			if err := st.advance(ctx, b); err != nil {
				return nil, err
			}
			stop, reached := st.check()
			res.Stop = stop
			if reached {
				break
			}
			if b == nBlocks {
				res.Stop.Rule = StopMaxIterations
				break
			}
		}
	}
	if st.n > keptCap {
		res.Kept = nil // Auto past its limit: the second pass finds the percentiles
	} else {
		st.bounded = nil
	}
	st.finish()
	if op := st.onepass; op != nil {
		// The pilot's blocks, generated again to collect their values
		// in the windows.
		err := st.forBlocks(ctx, 0, op.pilot, func(wi int, wk *worker, b, n int) { op.collect(wi, wk.out, opt.Keep, b) })
		if err != nil {
			return nil, err
		}
	}
	if st.bounded != nil {
		if err := st.secondPass(ctx); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// advance runs blocks up to (not including) block to, round by round,
// and folds each round's reductions into the run's in block order.
func (st *runState) advance(ctx context.Context, to int) error {
	opt := st.opt
	for st.blocks < to {
		from := st.blocks
		end := min(from+roundBlocks, to)
		err := st.forBlocks(ctx, from, end, func(wi int, wk *worker, b, n int) {
			start := b * BlockSize
			i := b - from
			wk.moments(&st.rMoments[i], n)
			wk.keptMoments(st.rKept[i], opt.Keep)
			wk.countAbove(st.rAbove[i], st.above)
			if st.bounded != nil {
				st.bounded.observe(wi, wk, opt.Keep, n)
			}
			if op := st.onepass; op != nil {
				op.collect(wi, wk.out, opt.Keep, b)
			}
			wk.scatter(st.res, opt, start, n)
		})
		if err != nil {
			return err
		}
		for i := range end - from {
			st.fold(i)
		}
		st.blocks = end
	}
	return nil
}

// forBlocks runs blocks [from, to) on the run's workers, calling fn after
// each block is evaluated with the worker's index, the worker (holding the
// block's draws and outputs), the block number and its trial count.
func (st *runState) forBlocks(ctx context.Context, from, to int, fn func(wi int, wk *worker, b, n int)) error {
	var next atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	for wi, wk := range st.workers[:min(len(st.workers), to-from)] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if ctx.Err() != nil {
					return
				}
				b := int(next.Add(1) - 1)
				if b >= to {
					return
				}
				n := min(BlockSize, st.opt.Iterations-b*BlockSize)
				wk.runBlock(st.seeds, uint64(b), n)
				fn(wi, wk, b, n)
				if st.opt.Progress != nil {
					st.opt.Progress(int(st.done.Add(int64(n))))
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// fold merges round block i into the combined moments and counts (Chan,
// Golub and LeVeque 1979), in block order.
func (st *runState) fold(i int) {
	b := &st.rMoments[i]
	nb := float64(b.n)
	tot := st.cn + nb
	for k := range st.mean {
		d := b.mean[k] - st.mean[k]
		st.mean[k] += d * nb / tot
		st.m2[k] += b.m2[k] + d*d*st.cn*nb/tot
	}
	st.cn = tot
	st.n += b.n
	for c, bk := range st.rKept[i] {
		st.kept[c] = mergeKept(st.kept[c], bk)
	}
	for a, v := range st.rAbove[i] {
		st.aboveCount[a] += v
	}
	if st.spread != nil {
		st.spread.add(b)
	}
}

// mergeKept adds b's finite moments to a's, with exactly fold's
// arithmetic (Chan et al. 1979), so an output with no non-finite value
// gets bit for bit the mean and sd of Result.Mean and Result.SD.
func mergeKept(a, b keptMoments) keptMoments {
	out := keptMoments{n: a.n + b.n, nan: a.nan + b.nan, inf: a.inf + b.inf, ninf: a.ninf + b.ninf,
		mean: a.mean, m2: a.m2}
	if b.n == 0 {
		return out
	}
	na, nb := float64(a.n), float64(b.n)
	tot := na + nb
	d := b.mean - a.mean
	out.mean += d * nb / tot
	out.m2 += b.m2 + d*d*na*nb/tot
	return out
}

// finish writes the combined reductions into the result.
func (st *runState) finish() {
	res := st.res
	res.Iterations = st.n
	for k := range st.mean {
		res.Mean[k] = st.mean[k]
		res.SD[k] = 0
		if st.cn > 1 {
			res.SD[k] = math.Sqrt(st.m2[k] / (st.cn - 1))
		}
	}
	res.KeptMoments = make([]Moments, len(st.kept))
	for c, km := range st.kept {
		res.KeptMoments[c] = km.moments()
	}
	if se, ok := st.spread.standardErrors(st.mean); ok {
		res.stratified = true
		res.MeanMCSE = se
		res.keptMCSE = make([]float64, len(st.opt.Keep))
		for c, k := range st.opt.Keep {
			// Non-finite values make the block means meaningless.
			if km := res.KeptMoments[c]; km.NaN+km.Inf+km.NInf == 0 {
				res.keptMCSE[c] = se[k]
			} else {
				res.keptMCSE[c] = math.NaN()
			}
		}
	}
	res.Above = slices.Clone(st.aboveCount[:len(st.opt.Above)])
	for i := range res.Kept {
		res.Kept[i] = res.Kept[i][:st.n:st.n]
	}
	for j := range res.Inputs {
		res.Inputs[j] = res.Inputs[j][:st.n:st.n]
	}
	if res.SampleN > st.n {
		res.SampleN = st.n
		for i := range res.Sampled {
			res.Sampled[i] = res.Sampled[i][:st.n:st.n]
		}
	}
}

func (km keptMoments) moments() Moments {
	m := Moments{N: km.n, NaN: km.nan, Inf: km.inf, NInf: km.ninf, Mean: math.NaN(), SD: math.NaN()}
	if km.n > 0 {
		m.Mean, m.SD = km.mean, 0
	}
	if km.n > 1 {
		m.SD = math.Sqrt(km.m2 / float64(km.n-1))
	}
	return m
}

// keptColumns returns k columns of n values cut from one allocation, which
// is advised to use huge pages (huge_linux.go).
func keptColumns[F float32 | float64](k, n int) [][]F {
	all := make([]F, k*n)
	adviseHuge(all)
	c := make([][]F, k)
	for i := range c {
		c[i] = all[i*n : (i+1)*n : (i+1)*n]
	}
	return c
}

// inputSeeds hashes each input name with the run seed.
func inputSeeds(seed uint64, inputs []Input) []uint64 {
	s := make([]uint64, len(inputs))
	for j, in := range inputs {
		h := fnv.New64a()
		h.Write([]byte(in.Name))
		s[j] = splitmix(seed ^ splitmix(h.Sum64()))
	}
	return s
}

// splitmix is the SplitMix64 finaliser (Steele, Lea and Flood 2014), used to
// decorrelate seeds derived from small integers.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// worker owns the scratch space of one goroutine. Draws and outputs are
// stored column by column (input-major, output-major), so each input's
// block of draws is filled in one call and the evaluation, the moments and
// the kept copies all run over contiguous memory.
type worker struct {
	m     *Model
	d     *design
	eval  BlockEvalFunc
	pcg   *rand.PCG
	rng   *rand.Rand
	draws []float64   // [input*BlockSize + trial]
	outs  []float64   // [output*BlockSize + trial]
	in    [][]float64 // the current block's input columns
	out   [][]float64 // the current block's output columns
	inC   [][]float64 // the current chunk's input columns
	outC  [][]float64 // the current chunk's output columns
	// Iman-Conover scratch, one per correlated group (sampling.go).
	reorder []*corr.Reorderer
	gcols   [][][]float64
}

func newWorker(m *Model, d *design, nIn, nOut int) *worker {
	pcg := newLonePCG()
	w := &worker{m: m, d: d, eval: m.BlockEval(), pcg: pcg, rng: rand.New(pcg),
		draws: make([]float64, BlockSize*nIn), outs: make([]float64, BlockSize*nOut),
		in: make([][]float64, nIn), out: make([][]float64, nOut),
		inC: make([][]float64, nIn), outC: make([][]float64, nOut)}
	w.newGroupScratch()
	return w
}

// lonePCG is a generator alone on its cache lines. A worker's generator
// state is written at every draw; two workers' 16-byte generators
// allocated side by side would share a 64-byte line, which the two cores
// would then pass back and forth at every draw (false sharing: it made
// the generator loops 2 to 4 times slower with two workers than with one).
type lonePCG struct {
	_   [cacheLine]byte
	pcg rand.PCG
	_   [cacheLine]byte
}

// cacheLine is the size of a cache line on amd64 and arm64 (the padding
// needs only to be at least that).
const cacheLine = 64

// newLonePCG returns a generator (seeded 0, 0) on cache lines of its own.
func newLonePCG() *rand.PCG {
	l := &lonePCG{}
	l.pcg.Seed(0, 0)
	return &l.pcg
}

// runBlock draws every input for the block's n trials, input by input, each
// from its own (seed, block, input) streams (fillInputs, sampling.go), then
// evaluates the block.
func (w *worker) runBlock(seeds []uint64, block uint64, n int) {
	w.fillInputs(seeds, block, n)
	// Evaluate in chunks small enough that a chunk's inputs, outputs and
	// the evaluation's scratch stay in a core's cache.
	for s := 0; s < n; s += evalChunk {
		e := min(s+evalChunk, n)
		for j := range w.in {
			w.inC[j] = w.in[j][s:e:e]
		}
		for k := range w.out {
			w.outC[k] = w.outs[k*BlockSize+s : k*BlockSize+e : k*BlockSize+e]
		}
		w.eval(w.inC, w.outC)
	}
	for k := range w.out {
		w.out[k] = w.outs[k*BlockSize : k*BlockSize+n : k*BlockSize+n]
	}
}

// evalChunk is how many trials one call of the block evaluation gets.
const evalChunk = 128

// moments writes the block's per-output mean and M2 into bm, in one pass
// over each column with sums shifted by its first value (so that a column
// far from zero loses no precision to cancellation).
//
// Four columns go through one loop together: each column's sums are added
// in trial order exactly as alone (so the figures do not change), but the
// four columns' additions do not wait on each other.
func (w *worker) moments(bm *blockMoments, n int) {
	bm.n = n
	nf := float64(n)
	k := 0
	for ; k+3 < len(w.out); k += 4 {
		c0, c1, c2, c3 := w.out[k][:n], w.out[k+1][:n], w.out[k+2][:n], w.out[k+3][:n]
		h0, h1, h2, h3 := c0[0], c1[0], c2[0], c3[0]
		var a0, a1, a2, a3, b0, b1, b2, b3 float64
		for i := range c0 {
			d0, d1, d2, d3 := c0[i]-h0, c1[i]-h1, c2[i]-h2, c3[i]-h3
			a0 += d0
			a1 += d1
			a2 += d2
			a3 += d3
			b0 += d0 * d0
			b1 += d1 * d1
			b2 += d2 * d2
			b3 += d3 * d3
		}
		bm.mean[k], bm.m2[k] = h0+a0/nf, max(0, b0-a0*a0/nf)
		bm.mean[k+1], bm.m2[k+1] = h1+a1/nf, max(0, b1-a1*a1/nf)
		bm.mean[k+2], bm.m2[k+2] = h2+a2/nf, max(0, b2-a2*a2/nf)
		bm.mean[k+3], bm.m2[k+3] = h3+a3/nf, max(0, b3-a3*a3/nf)
	}
	for ; k < len(w.out); k++ {
		col := w.out[k]
		shift := col[0]
		s1, s2 := 0.0, 0.0
		for _, v := range col {
			d := v - shift
			s1 += d
			s2 += d * d
		}
		bm.mean[k] = shift + s1/nf
		bm.m2[k] = max(0, s2-s1*s1/nf)
	}
}

// keptMoments writes the block's moments of each kept output's finite
// values into km, shifted by the first finite value as in moments (so a
// column with no non-finite value gets exactly moments' figures).
func (w *worker) keptMoments(km []keptMoments, keep []int) {
	for c, k := range keep {
		col := w.out[k]
		var m keptMoments
		shift, s1, s2 := 0.0, 0.0, 0.0
		for _, v := range col {
			if v >= -math.MaxFloat64 && v <= math.MaxFloat64 {
				if m.n == 0 {
					shift = v
				}
				m.n++
				d := v - shift
				s1 += d
				s2 += d * d
				continue
			}
			switch {
			case v != v:
				m.nan++
			case v > 0:
				m.inf++
			default:
				m.ninf++
			}
		}
		if m.n > 0 {
			nf := float64(m.n)
			m.mean = shift + s1/nf
			m.m2 = max(0, s2-s1*s1/nf)
		}
		km[c] = m
	}
}

// countAbove counts the block's trials exceeding each threshold.
func (w *worker) countAbove(counts []int, above []Threshold) {
	for a, th := range above {
		c := 0
		for _, v := range w.out[th.Output] {
			if v > th.Value {
				c++
			}
		}
		counts[a] = c
	}
}

// scatter copies the block's kept draws into the result at offset start.
func (w *worker) scatter(res *Result, opt *Options, start, n int) {
	for c := range res.Kept {
		if start+n <= len(res.Kept[c]) { // past an Auto run's limit, nothing is kept
			copy(res.Kept[c][start:start+n], w.out[opt.Keep[c]])
		}
	}
	if start < res.SampleN {
		m := min(n, res.SampleN-start)
		for c, k := range opt.Sample {
			dst := res.Sampled[c][start : start+m]
			for i, v := range w.out[k][:m] {
				dst[i] = float32(v)
			}
		}
	}
	for j := range res.Inputs {
		copy(res.Inputs[j][start:start+n], w.in[j])
	}
}
