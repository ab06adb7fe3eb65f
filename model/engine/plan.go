package engine

import (
	"fmt"
	"runtime"
	"slices"

	"github.com/devolve-lgr/devolve/model/dist"
)

// Plan is a run with every default applied and the memory it will hold.
// NewPlan is the one place where a run's options are defaulted and
// checked; Run runs through it, so what a plan says is what the run does.
type Plan struct {
	// Options are the run's options with the defaults applied: Workers is
	// the number of goroutines that will run (at least 1, at most one a
	// block), SampleSize the trials Sample keeps, and Percentiles KeptDraws
	// or SecondPass (Auto resolved).
	Options
	// KeptTrials is how many trials' draws of the Keep outputs are kept
	// (Iterations, or fewer under Auto past its limit, 0 with SecondPass).
	KeptTrials int
	// Counting says the first pass also counts the Keep outputs for a
	// second pass.
	Counting bool
	// OnePass says the run places each percentile from a pilot (its first
	// sixteenth) and collects the values near it as it goes, so that a
	// second pass is needed only where the pilot's windows missed
	// (onepass.go): SecondPass runs of a known number of trials, at least
	// onePassMinBlocks blocks.
	OnePass bool
	// SampleN is the number of trials whose Sample outputs are kept.
	SampleN int
	// Blocks is the number of blocks of BlockSize trials.
	Blocks int
	// Memory is what the run holds, by what holds it.
	Memory Memory

	m      *Model
	above  []Threshold // Options.Above and the precision rule's threshold
	design *design
	// cores is how many goroutines build the inputs' inverse tables: the
	// workers asked for (GOMAXPROCS by default) before Workers is capped at
	// one a block, since a run of one block still has the cores to build
	// its tables on.
	cores int
}

// Memory is what a run holds, in bytes.
type Memory struct {
	// Kept is the Keep outputs' draws: 8 bytes a kept trial and output.
	Kept int64
	// Inputs is every input's draws with KeepInputs: 8 bytes a trial and
	// input.
	Inputs int64
	// Sampled is the Sample outputs' first SampleN trials: 4 bytes each.
	Sampled int64
	// Working is what does not grow with trials (an upper estimate): each
	// worker's block of inputs and outputs, the reductions of a round of
	// blocks, and the second pass's bucket counts (2^20 a Keep output,
	// shared and per worker). The values a second pass collects (at most
	// CollectBytes, usually a small share of it) are not counted.
	Working int64
	// Tables is the inputs' inverse tables (dist.TableBytes), each built
	// on its first draw: some 30 kB for each distinct lognormal or PERT,
	// so 20,000 inputs of distinct ranges hold 600 MB of them.
	Tables int64
}

// Total is the sum of m's parts, in bytes.
func (m Memory) Total() int64 { return m.Kept + m.Inputs + m.Sampled + m.Working + m.Tables }

// MemoryError is returned by NewPlan when a run would hold more than
// Options.MemoryLimit bytes, and by CheckMemory.
type MemoryError struct {
	Need, Limit int64 // bytes
	// Fixed is what of Need does not grow with the trials: the inputs'
	// inverse tables and the workers' blocks (Memory.Tables and Working).
	Fixed int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("would need %s of memory (limit %s)", FormatBytes(e.Need), FormatBytes(e.Limit))
}

// FormatBytes writes a byte count for people: "1.5 GB", "240 MB", "12 kB"
// (powers of 1000).
func FormatBytes(b int64) string {
	switch x := float64(b); {
	case x >= 1e9:
		return fmt.Sprintf("%.1f GB", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.0f MB", x/1e6)
	default:
		return fmt.Sprintf("%.0f kB", x/1e3)
	}
}

// CheckMemory returns a *MemoryError when plans, held at once, need more
// than limit bytes; limit 0 means no limit.
func CheckMemory(limit int64, plans ...*Plan) error {
	var need, fixed int64
	for _, p := range plans {
		need += p.Memory.Total()
		fixed += p.Memory.Tables + p.Memory.Working
	}
	if limit > 0 && need > limit {
		return &MemoryError{Need: need, Limit: limit, Fixed: fixed}
	}
	return nil
}

// NewPlan checks opt against m and applies the defaults: the errors Run
// would return, before anything is allocated, and a *MemoryError when the
// run would hold more than opt.MemoryLimit.
func NewPlan(m *Model, opt Options) (*Plan, error) {
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
	for _, a := range opt.Above {
		if a.Output < 0 || a.Output >= nOut {
			return nil, fmt.Errorf("engine: output index %d out of range", a.Output)
		}
	}
	// keptCap is how many trials' draws of the Keep outputs are kept;
	// counting says whether the first pass also counts them for a second
	// pass. Auto keeps up to KeepLimit and counts as well when a
	// precision rule might run past it, deciding at the stop.
	keptCap, counting := opt.Iterations, false
	switch opt.Percentiles {
	case SecondPass:
		keptCap, counting = 0, true
		if opt.KeepInputs {
			return nil, fmt.Errorf("engine: KeepInputs keeps every draw; it cannot be combined with SecondPass")
		}
	case Auto:
		limit := opt.KeepLimit
		if limit <= 0 {
			limit = DefaultKeptBytes / (8 * max(1, len(opt.Keep)))
		}
		switch p := opt.Precision; {
		case opt.Iterations <= limit || opt.KeepInputs || p != nil && p.Stat == StatQuantile:
		case p == nil:
			keptCap, counting = 0, true
		default:
			keptCap, counting = limit, true
		}
		opt.Percentiles = KeptDraws
		if keptCap == 0 {
			opt.Percentiles = SecondPass
		}
	}
	above := slices.Clone(opt.Above)
	if p := opt.Precision; p != nil {
		if err := p.validate(m, &opt); err != nil {
			return nil, err
		}
		if p.Stat == StatProbAbove {
			above = append(above, Threshold{p.Output, p.Threshold})
		}
	}
	nWorkers := opt.Workers
	if nWorkers <= 0 {
		nWorkers = runtime.GOMAXPROCS(0)
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
	cores := nWorkers
	nWorkers = min(nWorkers, nBlocks)
	d, err := newDesign(m, opt.Sampling, opt.DesignOrder)
	if err != nil {
		return nil, err
	}
	opt.Workers = nWorkers
	p := &Plan{Options: opt, KeptTrials: keptCap, Counting: counting, SampleN: sampleN, Blocks: nBlocks,
		m: m, above: above, design: d, cores: cores,
		OnePass: counting && keptCap == 0 && opt.Precision == nil && nBlocks >= onePassMinBlocks && len(opt.Keep) > 0}
	p.Memory = planMemory(p, nIn, nOut)
	if err := CheckMemory(opt.MemoryLimit, p); err != nil {
		return nil, err
	}
	return p, nil
}

// planMemory counts what the run will allocate (run.go: Run, newWorker,
// newBoundedState).
func planMemory(p *Plan, nIn, nOut int) Memory {
	var mem Memory
	mem.Kept = 8 * int64(len(p.Keep)) * int64(p.KeptTrials)
	if p.KeepInputs {
		mem.Inputs = 8 * int64(nIn) * int64(p.Iterations)
	}
	mem.Sampled = 4 * int64(len(p.Sample)) * int64(p.SampleN)
	// A worker: a block of draws and of outputs, the column views over
	// them, and the correlation groups' reordering scratch (at most a
	// block of every input).
	perWorker := 8*int64(BlockSize)*int64(2*nIn+nOut) + 48*int64(nIn+nOut)
	// A round: each block's moments of every output (mean, m2), of each
	// kept output (keptMoments, 48 bytes) and its threshold counts.
	rounds := int64(min(roundBlocks, p.Blocks)) * (16*int64(nOut) + 48*int64(len(p.Keep)) + 8*int64(len(p.above)))
	mem.Working = int64(p.Workers)*perWorker + rounds
	mem.Tables = dist.TableBytes(p.m.dists())
	if p.Counting {
		buckets := int64(1) << histBits
		mem.Working += int64(len(p.Keep)) * buckets * (8 + 4*int64(p.Workers))
	}
	if p.OnePass {
		// Each block's counts below up to one window a level (the values
		// collected, at most CollectBytes, are not counted, as for the
		// second pass).
		mem.Working += int64(len(p.Keep)) * 2 * int64(len(Levels)) * int64(p.Blocks)
	}
	return mem
}

// DefaultIterations is the trials a run of one scenario makes unless told
// otherwise (devolve run, compare, report): 100,000. Every output states
// its Monte Carlo standard errors, so a user can tell whether it is enough.
const DefaultIterations = 100_000

// Defaults are the options devolve's commands, its report and its what-if
// page start from, so that one seed gives one figure everywhere: seed 1,
// DefaultIterations trials, DefaultSampling, every core. Flags override
// them; Options' own zero value stays plain Monte Carlo.
func Defaults() Options {
	return Options{Iterations: DefaultIterations, Seed: 1, Sampling: DefaultSampling}
}
