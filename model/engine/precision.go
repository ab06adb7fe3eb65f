package engine

import (
	"fmt"
	"math"
	"slices"
)

// Statistic is what a precision rule targets.
type Statistic int

const (
	// StatMean is the mean of an output; its interval is mean ± 1.96 MCSE,
	// except under Latin hypercube or Sobol' sampling (MinSpreadBlocks
	// blocks or more), where it is the between-block interval with
	// Student's t and a correction for the block means' skewness
	// (docs/MODEL.md §8b). For a kept output with non-finite draws it is
	// the mean over the finite ones (Stop.Finite), mean ± 1.96 MCSE.
	StatMean Statistic = iota
	// StatQuantile is a percentile of an output; its interval is
	// distribution-free, between two order statistics (QuantileCIRanks).
	StatQuantile
	// StatProbAbove is the probability that an output exceeds a
	// threshold; its interval is Wilson's (WilsonInterval).
	StatProbAbove
)

// Precision is a stopping rule: the run stops at the first checkpoint at
// which the half-width of the statistic's 95% interval is at most Abs, or
// at most Rel times the statistic's absolute value. Exactly one of Abs and
// Rel is positive.
type Precision struct {
	// Output is the model output the statistic is of. With StatQuantile
	// it must be among Options.Keep, whose draws the interval is read
	// from (and Options.Percentiles must be KeptDraws).
	Output int
	Stat   Statistic
	// Level is the percentile's level in (0, 1) for StatQuantile.
	Level float64
	// Threshold is the value to exceed for StatProbAbove.
	Threshold float64
	// Abs is the target half-width in the output's units; Rel the target
	// half-width as a fraction of the statistic's absolute value.
	Abs, Rel float64
}

// StopRule names what ended a run.
type StopRule string

const (
	// StopIterations: the run did the trials it was asked for.
	StopIterations StopRule = "iterations"
	// StopPrecision: the precision rule's target was reached.
	StopPrecision StopRule = "precision"
	// StopMaxIterations: the precision rule's target was not reached
	// within Options.Iterations trials.
	StopMaxIterations StopRule = "max-iterations"
)

// Stop says why a run stopped. With a precision rule it also gives the
// rule's statistic at the stop, its 95% interval [Lo, Hi], the interval's
// half-width (Hi - Lo) / 2 and the target half-width (Abs, or Rel times
// |Estimate|), and the number of checkpoints evaluated.
type Stop struct {
	Rule                                StopRule
	Estimate, Lo, Hi, HalfWidth, Target float64
	// Checks counts the checkpoints looked at (for a mean under a
	// stratified design, those with MinSpreadBlocks blocks).
	Checks int
	// Finite is, for StatMean, the number of trials the mean is over. A
	// kept output with non-finite draws (a payback that never happens is
	// +Inf) has its mean, as KeptSummary's, over its finite draws alone,
	// with the independent-draws MCSE; Finite is then below the trials
	// run, and with fewer than two finite draws the estimate and interval
	// are NaN and the target is never met. An output not kept has its
	// mean over every trial (NaN if any draw is not finite).
	Finite int
}

// Checkpoints: the precision rule is evaluated after precisionFirstBlocks
// blocks, then each time the number of blocks has grown by a quarter
// (rounded down, at least one block). The checkpoints depend only on block
// counts, never on timing or the number of workers, so the same seed and
// rule stop at the same trial. Growing by a quarter bounds the overshoot
// past the first sufficient count to 25% while keeping the total cost of
// the checks (a pass over the kept draws for a percentile) to five times
// one pass.
const precisionFirstBlocks = 16

func nextCheck(b int) int { return b + max(1, b/4) }

// PercentileMethod chooses how a run finds the Keep outputs' percentiles.
type PercentileMethod int

const (
	// KeptDraws keeps every draw of every Keep output (8 bytes per trial
	// and output) and selects the percentiles from them.
	KeptDraws PercentileMethod = iota
	// SecondPass keeps no draws: the first pass counts each Keep output's
	// values in 2^20 buckets, then the blocks are regenerated (they are
	// deterministic) to collect only the values in the buckets holding a
	// wanted rank, which are then selected exactly. Where those buckets
	// hold more than CollectBytes, a further pass splits them first. The
	// percentiles are identical to KeptDraws'.
	SecondPass
	// Auto keeps draws when the run's trials fit in KeepLimit (or
	// DefaultKeptBytes) and uses SecondPass otherwise. With a precision rule
	// on a mean or probability, whose stop is not known in advance, it
	// keeps draws up to the limit while also counting for a second pass,
	// and uses whichever the stopped run needs.
	Auto
)

// DefaultKeptBytes is how much memory Auto lets kept draws take: 256 MiB,
// about 5.6 million trials of six outputs.
const DefaultKeptBytes = 256 << 20

func (p *Precision) validate(m *Model, opt *Options) error {
	if p.Output < 0 || p.Output >= len(m.Outputs) {
		return fmt.Errorf("engine: precision output index %d out of range", p.Output)
	}
	if (p.Abs > 0) == (p.Rel > 0) || p.Abs < 0 || p.Rel < 0 || math.IsNaN(p.Abs) || math.IsNaN(p.Rel) {
		return fmt.Errorf("engine: precision needs exactly one positive target, absolute or relative (got %g, %g)", p.Abs, p.Rel)
	}
	switch p.Stat {
	case StatMean, StatProbAbove:
	case StatQuantile:
		if !(p.Level > 0 && p.Level < 1) {
			return fmt.Errorf("engine: precision percentile level must be in (0, 1) (got %g)", p.Level)
		}
		if !slices.Contains(opt.Keep, p.Output) {
			return fmt.Errorf("engine: a precision rule on a percentile needs its output kept (Options.Keep)")
		}
		if opt.Percentiles != KeptDraws {
			return fmt.Errorf("engine: a precision rule on a percentile needs the kept draws (Percentiles: KeptDraws)")
		}
	default:
		return fmt.Errorf("engine: unknown precision statistic %d", p.Stat)
	}
	return nil
}

// check evaluates the precision rule on the trials done so far.
func (st *runState) check() (Stop, bool) {
	p := st.opt.Precision
	s := Stop{Rule: StopPrecision, Checks: st.res.Stop.Checks + 1}
	n := st.n
	switch p.Stat {
	case StatMean:
		if c := slices.Index(st.opt.Keep, p.Output); c >= 0 && st.kept[c].n < n {
			// Some draws are not finite (payback's "never"): the
			// statistic is the mean over the finite draws, as
			// KeptSummary reports it, with its independent-draws MCSE.
			k := st.kept[c]
			s.Finite = k.n
			s.Estimate, s.Lo, s.Hi = math.NaN(), math.NaN(), math.NaN()
			if k.n > 1 {
				half := z975 * math.Sqrt(k.m2/float64(k.n-1)) / math.Sqrt(float64(k.n))
				s.Estimate = k.mean
				s.Lo, s.Hi = k.mean-half, k.mean+half
			}
			break
		}
		s.Finite = n
		s.Estimate = st.mean[p.Output]
		se := 0.0
		if st.cn > 1 {
			se = math.Sqrt(st.m2[p.Output]/(st.cn-1)) / math.Sqrt(st.cn)
		}
		half := z975 * se
		s.Lo, s.Hi = s.Estimate-half, s.Estimate+half
		if lo, hi, ok := st.spread.meanInterval(p.Output, s.Estimate); ok {
			// Between blocks: t with B - 1 degrees of freedom and the
			// block means' skewness (sampling.go, docs/MODEL.md §8b).
			s.Lo, s.Hi = lo, hi
		} else if st.spread != nil {
			// Under a stratified design SD/sqrt(n) overstates the MCSE;
			// with too few blocks for their spread, no look counts.
			s.Checks--
		}
	case StatProbAbove:
		k := st.aboveCount[len(st.aboveCount)-1]
		s.Estimate = float64(k) / float64(n)
		s.Lo, s.Hi = WilsonInterval(k, n)
	case StatQuantile:
		c := slices.Index(st.opt.Keep, p.Output)
		x := st.res.Kept[c][:n]
		nan := st.kept[c].nan // NaN orders first; percentiles skip it
		m := n - nan
		if m == 0 {
			s.Estimate, s.Lo, s.Hi = math.NaN(), math.NaN(), math.NaN()
			break
		}
		ranks := levelRanks(m, []float64{p.Level}, true)
		shifted := make([]int, len(ranks))
		for i, r := range ranks {
			shifted[i] = r + nan
		}
		sc := &st.scratch
		at := orderStats(sc, x, shifted)
		q, lo, hi := fromRanks(m, []float64{p.Level}, ranks, at, true)
		s.Estimate, s.Lo, s.Hi = q[0], lo[0], hi[0]
		if st.spread != nil && nan == 0 && !fewValues(x) {
			// Under a stratified design, the between-block interval
			// (blockquant.go) where there are enough blocks.
			acc := blockCDFs(x, levelKeys(m, []float64{p.Level}, ranks, at))
			s.Lo, s.Hi = scaleInterval(s.Estimate, s.Lo, s.Hi, p.Level, acc[0])
		}
	}
	s.HalfWidth = (s.Hi - s.Lo) / 2
	s.Target = p.Abs
	if p.Rel > 0 {
		s.Target = p.Rel * math.Abs(s.Estimate)
	}
	// NaN or infinite widths never satisfy the rule.
	// A stop needs the target met at this checkpoint and the one before
	// (MinStopChecks, docs/MODEL.md §8b).
	met := s.Checks >= MinStopChecks-1 && s.HalfWidth <= s.Target
	prev := st.metPrev
	st.metPrev = met
	return s, met && prev && s.Checks >= MinStopChecks
}

// MinStopChecks is the fewest checkpoints a precision rule looks at
// before it may stop, and a stop needs the target met at two successive
// checkpoints (the correction for sequential looks). The first stop is
// thus at the sixth checkpoint (47 blocks, 48,128 trials); under Latin
// hypercube or Sobol' sampling a rule on a mean counts only checkpoints
// with MinSpreadBlocks blocks (so at least 90 blocks). Measured on a
// right-skewed output under Sobol' (TestPrecisionCoverageSequential,
// docs/MODEL.md §8b): stopping at the first checkpoint that met the
// target, runs that stopped at 31 blocks covered the mean in 22 of 41 and
// all runs in 0.897; with the minimum alone 0.927; with the minimum and
// two successive checkpoints 0.943 (300 seeds, binomial sd 0.013), 0.931
// over 4,000 seeds, 0.944 with the interval's skewness and kurtosis
// corrections (blockSpread.meanInterval).
const MinStopChecks = 6

// KeptSummary returns the summary of output Options.Keep[i]: mean, sd and
// MCSE over its finite values, percentiles (with their intervals and
// MCSE) over its values other than NaN. With KeptDraws it is computed from
// Kept[i] using sc; with SecondPass it was found by the run.
//
// Under Latin hypercube or Sobol' sampling (with enough blocks) the MCSE of
// the mean is the between-block one (Result.MeanMCSE), except for an output
// with non-finite values, whose MCSE stays SD/sqrt(N) over its N finite
// values (an upper bound there); percentile intervals are the
// between-block ones (blockquant.go) for an output with no NaN value, else
// those of independent draws (an upper bound).
func (r *Result) KeptSummary(sc *Scratch, i int) Summary {
	s := r.keptSummary(sc, i)
	// An output with non-finite values (payback's "never") has no
	// between-block MCSE; its mean over the finite values keeps the
	// independent-draws MCSE, an upper bound under LHS and Sobol'.
	if r.keptMCSE != nil && !math.IsNaN(r.keptMCSE[i]) {
		s.MCSE = r.keptMCSE[i]
	}
	return s
}

func (r *Result) keptSummary(sc *Scratch, i int) Summary {
	if r.summaries != nil {
		return r.summaries[i]
	}
	x := r.Kept[i]
	var m Moments
	if r.KeptMoments != nil {
		m = r.KeptMoments[i]
	} else {
		m = MomentsOf(x)
	}
	nonNaN := len(x) - m.NaN
	ranks := levelRanks(max(nonNaN, 1), Levels[:], true)
	shifted := make([]int, len(ranks))
	for j, rk := range ranks {
		shifted[j] = rk + m.NaN
	}
	var at []float64
	if nonNaN > 0 {
		at = orderStats(sc, x, shifted)
	}
	s := summaryFrom(m, nonNaN, ranks, at)
	if r.stratified && m.NaN == 0 && nonNaN > 0 && !fewValues(x) {
		s.scaleIntervals(blockCDFs(x, levelKeys(nonNaN, Levels[:], ranks, at)))
	}
	return s
}

// summaryFrom builds a Summary from finite moments and the order
// statistics at ranks among nonNaN values.
func summaryFrom(m Moments, nonNaN int, ranks []int, at []float64) Summary {
	if nonNaN == 0 {
		s := nanSummary()
		s.Mean, s.SD = m.Mean, m.SD
		return s
	}
	s := Summary{N: m.N, Mean: m.Mean, SD: m.SD, MCSE: m.SD / math.Sqrt(float64(m.N))}
	q, lo, hi := fromRanks(nonNaN, Levels[:], ranks, at, true)
	s.setPercentiles(q, lo, hi)
	return s
}

// MomentsOf computes the Moments of x directly, as Run does for a kept
// output (for results not made by Run).
func MomentsOf(x []float64) Moments {
	var km keptMoments
	for _, v := range x {
		var b keptMoments
		switch {
		case v != v:
			b.nan = 1
		case math.IsInf(v, 1):
			b.inf = 1
		case math.IsInf(v, -1):
			b.ninf = 1
		default:
			b.n, b.mean = 1, v
		}
		km = mergeKept(km, b)
	}
	return km.moments()
}
