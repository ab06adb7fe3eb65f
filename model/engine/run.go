package engine

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/devolve-lgr/devolve/model/corr"
)

// BlockSize is the number of trials in a block, the unit of work and of
// random-stream derivation. Changing it changes every result: do not.
const BlockSize = 1024

// DefaultSampleSize is how many leading trials' draws are kept for the
// outputs named in Options.Sample when Options.SampleSize is zero.
const DefaultSampleSize = 100_000

// Options configures Run. The zero value of each field means its default.
type Options struct {
	// Iterations is the number of trials (required, > 0).
	Iterations int
	// Seed selects the random streams.
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Keep lists outputs whose every draw is kept in Result.Kept (float64).
	Keep []int
	// Sample lists outputs whose draws are kept for the first SampleSize
	// trials in Result.Sampled (float32), e.g. per-year fans.
	Sample []int
	// SampleSize caps Sample; 0 means DefaultSampleSize.
	SampleSize int
	// KeepInputs keeps every input draw for every trial in Result.Inputs.
	KeepInputs bool
	// Progress, if set, is called from worker goroutines with the number of
	// trials completed so far.
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

// Result holds what a run computed. Slices are indexed like Options.Keep,
// Options.Sample and the model's outputs and inputs.
type Result struct {
	Iterations int
	Seed       uint64
	// Mean and SD (n-1 denominator) of every output over all trials.
	Mean, SD []float64
	// Kept[i] holds every trial's value of output Options.Keep[i].
	Kept [][]float64
	// Sampled[i] holds the first SampleN trials' values of output Options.Sample[i].
	Sampled [][]float32
	SampleN int
	// Inputs[j] holds every trial's draw of input j (only with KeepInputs).
	Inputs [][]float64
}

// blockMoments are one block's count, mean and sum of squared deviations
// per output.
type blockMoments struct {
	n    int
	mean []float64
	m2   []float64
}

// Run simulates opt.Iterations trials of m. It stops early with ctx's error
// if ctx is cancelled.
func Run(ctx context.Context, m *Model, opt Options) (*Result, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if opt.Iterations <= 0 {
		return nil, fmt.Errorf("engine: iterations must be positive (got %d)", opt.Iterations)
	}
	nOut, nIn := len(m.Outputs), len(m.Inputs)
	for _, k := range append(append([]int{}, opt.Keep...), opt.Sample...) {
		if k < 0 || k >= nOut {
			return nil, fmt.Errorf("engine: output index %d out of range", k)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sampleN := opt.SampleSize
	if sampleN <= 0 {
		sampleN = DefaultSampleSize
	}
	if len(opt.Sample) == 0 {
		sampleN = 0
	}
	sampleN = min(sampleN, opt.Iterations)
	nBlocks := (opt.Iterations + BlockSize - 1) / BlockSize
	if workers > nBlocks {
		workers = nBlocks
	}

	res := &Result{Iterations: opt.Iterations, Seed: opt.Seed, SampleN: sampleN,
		Mean: make([]float64, nOut), SD: make([]float64, nOut)}
	res.Kept = keptColumns[float64](len(opt.Keep), opt.Iterations)
	res.Sampled = keptColumns[float32](len(opt.Sample), sampleN)
	if opt.KeepInputs {
		res.Inputs = keptColumns[float64](nIn, opt.Iterations)
	}
	moments := make([]blockMoments, nBlocks)
	seeds := inputSeeds(opt.Seed, m.Inputs)
	d, err := newDesign(m, opt.Sampling, opt.DesignOrder)
	if err != nil {
		return nil, err
	}

	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := newWorker(m, d, nIn, nOut)
			for {
				if ctx.Err() != nil {
					return
				}
				b := int(next.Add(1) - 1)
				if b >= nBlocks {
					return
				}
				start := b * BlockSize
				n := min(BlockSize, opt.Iterations-start)
				wk.runBlock(seeds, uint64(b), n)
				moments[b] = wk.moments(n)
				wk.scatter(res, &opt, start, n)
				if opt.Progress != nil {
					opt.Progress(int(done.Add(int64(n))))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	combine(moments, res)
	return res, nil
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
	pcg := rand.NewPCG(0, 0)
	w := &worker{m: m, d: d, eval: m.BlockEval(), pcg: pcg, rng: rand.New(pcg),
		draws: make([]float64, BlockSize*nIn), outs: make([]float64, BlockSize*nOut),
		in: make([][]float64, nIn), out: make([][]float64, nOut),
		inC: make([][]float64, nIn), outC: make([][]float64, nOut)}
	w.newGroupScratch()
	return w
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

// moments returns the block's per-output mean and M2, in one pass over
// each column with sums shifted by its first value (so that a column far
// from zero loses no precision to cancellation).
func (w *worker) moments(n int) blockMoments {
	bm := blockMoments{n: n, mean: make([]float64, len(w.out)), m2: make([]float64, len(w.out))}
	for k, col := range w.out {
		shift := col[0]
		s1, s2 := 0.0, 0.0
		for _, v := range col {
			d := v - shift
			s1 += d
			s2 += d * d
		}
		bm.mean[k] = shift + s1/float64(n)
		bm.m2[k] = max(0, s2-s1*s1/float64(n))
	}
	return bm
}

// scatter copies the block's kept draws into the result at offset start.
func (w *worker) scatter(res *Result, opt *Options, start, n int) {
	for c, k := range opt.Keep {
		copy(res.Kept[c][start:start+n], w.out[k])
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

// combine merges block moments in block order (Chan, Golub and LeVeque 1979).
func combine(blocks []blockMoments, res *Result) {
	nOut := len(res.Mean)
	n := 0.0
	mean := make([]float64, nOut)
	m2 := make([]float64, nOut)
	for _, b := range blocks {
		nb := float64(b.n)
		tot := n + nb
		for k := 0; k < nOut; k++ {
			d := b.mean[k] - mean[k]
			mean[k] += d * nb / tot
			m2[k] += b.m2[k] + d*d*n*nb/tot
		}
		n = tot
	}
	for k := range mean {
		res.Mean[k] = mean[k]
		if n > 1 {
			res.SD[k] = math.Sqrt(m2[k] / (n - 1))
		}
	}
}
