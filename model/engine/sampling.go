package engine

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/model/corr"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/qmc"
	"gonum.org/v1/gonum/stat/distuv"
)

// Sampling is how a block's input draws are made.
type Sampling int

const (
	// MonteCarlo draws every input independently from its own stream:
	// plain Monte Carlo.
	MonteCarlo Sampling = iota
	// LatinHypercube makes each block an independent Latin hypercube
	// design: each input's draws in a block hit each of the block's n
	// equal-probability strata exactly once (qmc.LatinHypercube, then
	// dist.FromUniform).
	LatinHypercube
	// Sobol makes each block an independently Owen-scrambled Sobol'
	// design (qmc.ScrambledSobol; inputs past qmc.MaxSobolDims use a Latin
	// hypercube).
	Sobol
)

// DefaultSampling is the method devolve's commands use unless told
// otherwise: Owen-scrambled Sobol' points, which on reference model R cut
// the variance of the mean NPV about 209 times (172 to 295 over five sets
// of 100 seeds) and of its P5 about 2 times against plain Monte Carlo at
// equal trials, at 1.2 to 1.3 times the cost per trial (README, measured
// with scripts/varred -first). Options' zero value remains MonteCarlo.
const DefaultSampling = Sobol

// SamplingNames are the names ParseSampling accepts, in Sampling order.
var SamplingNames = []string{"mc", "lhs", "sobol"}

// String returns the method's name: mc, lhs or sobol.
func (s Sampling) String() string {
	if s >= 0 && int(s) < len(SamplingNames) {
		return SamplingNames[s]
	}
	return fmt.Sprintf("Sampling(%d)", int(s))
}

// ParseSampling reads a method name: mc, lhs or sobol.
func ParseSampling(name string) (Sampling, error) {
	for i, n := range SamplingNames {
		if strings.EqualFold(name, n) {
			return Sampling(i), nil
		}
	}
	return 0, fmt.Errorf("must be one of %s (got %q)", strings.Join(SamplingNames, ", "), name)
}

// Correlation is a target rank (Spearman) correlation among some of a
// model's inputs. The engine induces it in every block by Iman-Conover
// (corr.Reorderer): each input's draws in the block are reordered, never
// changed, so every marginal is exactly what it is without correlation.
type Correlation struct {
	// Inputs are distinct indices into Model.Inputs.
	Inputs []int
	// Rank is the len(Inputs) x len(Inputs) target: symmetric, unit
	// diagonal, entries in [-1, 1], and (after corr.PearsonOfRank) positive
	// definite.
	Rank [][]float64
}

// corrGroup is one connected group of correlated inputs, ordered by name
// so that two models with the same group reorder it identically (common
// random numbers survive correlation).
type corrGroup struct {
	inputs []int
	target *corr.Target
}

// correlationGroups splits c into its connected components (inputs linked
// by a non-zero target) and prepares each. A group that is not positive
// definite gives a *corr.NotPDError whose Inputs are model input indices.
func correlationGroups(m *Model) ([]corrGroup, error) {
	c := m.Correlation
	if c == nil {
		return nil, nil
	}
	k := len(c.Inputs)
	if len(c.Rank) != k {
		return nil, fmt.Errorf("engine: correlation matrix has %d rows for %d inputs", len(c.Rank), k)
	}
	seen := map[int]bool{}
	for _, j := range c.Inputs {
		if j < 0 || j >= len(m.Inputs) {
			return nil, fmt.Errorf("engine: correlated input index %d out of range", j)
		}
		if seen[j] {
			return nil, fmt.Errorf("engine: input %q correlated twice", m.Inputs[j].Name)
		}
		seen[j] = true
	}
	for i, row := range c.Rank {
		if len(row) != k {
			return nil, fmt.Errorf("engine: correlation row %d has %d entries, want %d", i, len(row), k)
		}
	}
	var groups []corrGroup
	var errs []error
	for _, mem := range c.Groups() {
		sort.Slice(mem, func(a, b int) bool { return m.Inputs[c.Inputs[mem[a]]].Name < m.Inputs[c.Inputs[mem[b]]].Name })
		sub := make([][]float64, len(mem))
		g := corrGroup{inputs: make([]int, len(mem))}
		for a, p := range mem {
			g.inputs[a] = c.Inputs[p]
			sub[a] = make([]float64, len(mem))
			for b, q := range mem {
				sub[a][b] = c.Rank[p][q]
			}
		}
		t, err := corr.NewTarget(sub)
		if err != nil {
			var npd *corr.NotPDError
			if errors.As(err, &npd) {
				in := make([]int, len(npd.Inputs))
				for a, p := range npd.Inputs {
					in[a] = g.inputs[p]
				}
				errs = append(errs, &corr.NotPDError{Inputs: in})
				continue
			}
			errs = append(errs, err)
			continue
		}
		g.target = t
		groups = append(groups, g)
	}
	return groups, errors.Join(errs...)
}

// design is what a run's blocks share for making their draws.
type design struct {
	sampling Sampling
	// sobol[j] is input j's unscrambled Sobol' design (nil: Latin
	// hypercube, past the shipped dimensions).
	sobol  [][]uint16
	groups []corrGroup
	// fixed[j]: input j is a point mass (dist.Fixed), set without drawing.
	fixed []bool
}

// newDesign prepares the run's sampling. Under Sobol, the inputs named in
// order take the first dimensions in that order, and the model's other
// inputs the dimensions after, in model order.
func newDesign(m *Model, s Sampling, order []string) (*design, error) {
	d := &design{sampling: s, fixed: make([]bool, len(m.Inputs))}
	for j, in := range m.Inputs {
		_, d.fixed[j] = in.Dist.(dist.Fixed)
	}
	switch s {
	case MonteCarlo, LatinHypercube:
	case Sobol:
		dim := map[string]int{}
		for _, n := range order {
			if _, ok := dim[n]; !ok {
				dim[n] = len(dim)
			}
		}
		next := len(dim)
		d.sobol = make([][]uint16, len(m.Inputs))
		for j, in := range m.Inputs {
			k, ok := dim[in.Name]
			if !ok {
				k = next
				next++
			}
			if k >= qmc.MaxSobolDims {
				continue
			}
			d.sobol[j] = make([]uint16, BlockSize)
			if err := qmc.SobolDesign(k, d.sobol[j]); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("engine: unknown sampling method %d", int(s))
	}
	var err error
	d.groups, err = correlationGroups(m)
	return d, err
}

// Stream constants: each (input, block) has independent streams for plain
// draws, for a design's uniforms and for Iman-Conover's scores.
const (
	streamMC     = 0xda942042e4dd58b5
	streamDesign = 0x8bb84b93962eacc9
	streamScores = 0x4b33a62ed433d4a3
)

// fillInputs draws every input's column for the block's n trials, then
// induces the correlations.
func (w *worker) fillInputs(seeds []uint64, block uint64, n int) {
	d := w.d
	bs := splitmix(block)
	for j, in := range w.m.Inputs {
		col := w.draws[j*BlockSize : j*BlockSize+n : j*BlockSize+n]
		w.in[j] = col
		switch {
		case d.fixed[j]:
			// A point mass draws nothing under any sampling: its design's
			// uniforms would all map to its value, and each input's
			// streams are its own, so no other input's draws change.
			dist.FillFromUniform(in.Dist, col)
			continue
		case d.sampling == MonteCarlo:
			w.pcg.Seed(seeds[j], bs^streamMC)
			if dist.FillPCG(in.Dist, w.pcg, col) {
				continue
			}
			if f, ok := in.Dist.(dist.Filler); ok {
				f.Fill(w.rng, col)
				continue
			}
			dd := in.Dist
			for i := range col {
				col[i] = dd.Sample(w.rng)
			}
			continue
		case d.sampling == Sobol && d.sobol[j] != nil:
			w.pcg.Seed(seeds[j], bs^streamDesign)
			qmc.ScrambledSobolPCG(w.pcg, d.sobol[j][:n], col)
		default:
			w.pcg.Seed(seeds[j], bs^streamDesign)
			qmc.LatinHypercube(w.rng, col)
		}
		dist.FillFromUniform(in.Dist, col)
	}
	for g := range d.groups {
		grp := &d.groups[g]
		cols := w.gcols[g]
		for a, j := range grp.inputs {
			cols[a] = w.in[j]
		}
		w.reorder[g].Reorder(cols, w.rng, func(a int) { w.pcg.Seed(seeds[grp.inputs[a]], bs^streamScores) })
	}
}

// newGroupScratch gives a worker its Iman-Conover scratch space.
func (w *worker) newGroupScratch() {
	w.reorder = make([]*corr.Reorderer, len(w.d.groups))
	w.gcols = make([][][]float64, len(w.d.groups))
	for g, grp := range w.d.groups {
		w.reorder[g] = grp.target.NewReorderer(BlockSize)
		w.gcols[g] = make([][]float64, len(grp.inputs))
	}
}

// Groups returns the connected groups of c: sets of positions in c.Inputs
// linked by non-zero targets, each in increasing order, groups in order of
// their first member. Inputs correlated with nothing are left out.
func (c *Correlation) Groups() [][]int {
	k := len(c.Inputs)
	parent := make([]int, k)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := 0; i < k && i < len(c.Rank); i++ {
		for j := 0; j < i && j < len(c.Rank[i]); j++ {
			if c.Rank[i][j] != 0 || (i < len(c.Rank[j]) && c.Rank[j][i] != 0) {
				parent[find(i)] = find(j)
			}
		}
	}
	members := map[int][]int{}
	var roots []int
	for i := 0; i < k; i++ {
		r := find(i)
		if members[r] == nil {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	var out [][]int
	for _, r := range roots {
		if len(members[r]) >= 2 {
			out = append(out, members[r])
		}
	}
	return out
}

// MinSpreadBlocks is the fewest blocks from which the standard error of a
// mean is taken from the spread between blocks (Result.MeanMCSE): with
// B blocks the estimate has B-1 degrees of freedom, and at 30 the 97.5%
// point of Student's t (2.045) is within 4% of the normal 1.96 used for
// intervals.
const MinSpreadBlocks = 30

// blockSpread accumulates, in block order, what the standard error of the
// overall mean needs when blocks are independent replicates of a
// stratified design: the trials within a block are not independent, so
// SD/sqrt(n) does not apply, but the block means are. With block sizes
// n_b, block means m_b, N = sum n_b and overall mean M,
//
//	Var(M) = sum_b (n_b/N)^2 Var(m_b),  estimated by
//	V = B/(B-1) sum_b (n_b/N)^2 (m_b - M)^2
//
// (batch means; each m_b unbiased for the true mean). Sums are shifted by
// the first block's mean, so that outputs far from zero lose nothing to
// cancellation.
type blockSpread struct {
	blocks int
	n      float64   // N
	w2, w3 float64   // sum n_b^2, sum n_b^3
	w4     float64   // sum n_b^4
	shift  []float64 // first block's means
	s1, s2 []float64 // sum n_b^2 d_b and sum n_b^2 d_b^2, d_b = m_b - shift
	// t1, t2, t3 are sum n_b^3 d_b^j for j = 1, 2, 3 and u1 ... u4 sum
	// n_b^4 d_b^j for j = 1 ... 4: the third and fourth moments the mean's
	// interval needs (meanInterval).
	t1, t2, t3     []float64
	u1, u2, u3, u4 []float64
}

func newBlockSpread(nOut int) *blockSpread {
	f := func() []float64 { return make([]float64, nOut) }
	return &blockSpread{shift: f(), s1: f(), s2: f(), t1: f(), t2: f(), t3: f(),
		u1: f(), u2: f(), u3: f(), u4: f()}
}

func (bs *blockSpread) add(b *blockMoments) {
	if bs.blocks == 0 {
		copy(bs.shift, b.mean)
	}
	nb := float64(b.n)
	w2 := nb * nb
	bs.blocks++
	bs.n += nb
	bs.w2 += w2
	w3 := w2 * nb
	bs.w3 += w3
	w4 := w3 * nb
	bs.w4 += w4
	for k, m := range b.mean {
		d := m - bs.shift[k]
		bs.s1[k] += w2 * d
		bs.s2[k] += w2 * d * d
		bs.t1[k] += w3 * d
		bs.t2[k] += w3 * d * d
		bs.t3[k] += w3 * d * d * d
		bs.u1[k] += w4 * d
		bs.u2[k] += w4 * d * d
		bs.u3[k] += w4 * d * d * d
		bs.u4[k] += w4 * d * d * d * d
	}
}

// standardError is output k's between-block standard error of the mean,
// given the overall mean; ok is false with fewer than MinSpreadBlocks
// blocks (or no spread accumulated).
func (bs *blockSpread) standardError(k int, mean float64) (float64, bool) {
	if bs == nil || bs.blocks < MinSpreadBlocks {
		return 0, false
	}
	D := mean - bs.shift[k]
	ss := bs.s2[k] - 2*D*bs.s1[k] + D*D*bs.w2
	B := float64(bs.blocks)
	return math.Sqrt(max(0, ss)*B/(B-1)) / bs.n, true
}

// meanInterval is output k's 95% interval for the mean from the spread
// between blocks, given the overall mean M (docs/MODEL.md §8b): Student's
// t on the batch-means standard error SE, with Willink's (2005) correction
// for the skewness of the block means,
//
//	[M - G(t) SE, M - G(-t) SE],  G(z) = (cbrt(1 + 6a(z - a)) - 1) / (2a),
//	a = sum n_b^3 (m_b - M)^3 / (6 (sum n_b^2 (m_b - M)^2)^(3/2))
//
// (a is the estimated skewness of M over six; with B equal blocks it is
// the block means' sample skewness over 6 sqrt(B), and G(z) -> z as
// a -> 0). A right-skewed output (a > 0) has a low mean when its standard
// error is low, so its symmetric interval misses mostly below the true
// mean; the correction moves the interval up. t has the degrees of
// freedom of a chi-square matched to the variance of the block means'
// sample variance, Var(s^2)/sigma^4 = 2/(B-1) + k/B with k their excess
// kurtosis (estimated, floored at 0):
//
//	nu = 2 / (2/(B-1) + k/B),  k = B sum n_b^4 (m_b - M)^4 / (sum n_b^2 (m_b - M)^2)^2 - 3
//
// so nu = B - 1 for normal block means, and fewer where a few heavy blocks
// make SE uncertain. ok is false where standardError's is.
func (bs *blockSpread) meanInterval(k int, mean float64) (lo, hi float64, ok bool) {
	se, ok := bs.standardError(k, mean)
	if !ok {
		return 0, 0, false
	}
	D := mean - bs.shift[k]
	ss := max(0, bs.s2[k]-2*D*bs.s1[k]+D*D*bs.w2)
	c3 := bs.t3[k] - 3*D*bs.t2[k] + 3*D*D*bs.t1[k] - D*D*D*bs.w3
	c4 := bs.u4[k] - 4*D*bs.u3[k] + 6*D*D*bs.u2[k] - 4*D*D*D*bs.u1[k] + D*D*D*D*bs.w4
	B := float64(bs.blocks)
	a, kurt := 0.0, 0.0
	if ss > 0 {
		a = c3 / (6 * ss * math.Sqrt(ss))
		kurt = max(0, B*c4/(ss*ss)-3)
	}
	t := studentT975(2 / (2/(B-1) + kurt/B))
	return mean - willinkG(t, a)*se, mean - willinkG(-t, a)*se, true
}

// willinkG is Willink's (2005) transformation of a Student quantile z for
// the skewness parameter a (meanInterval); z itself where a is 0.
func willinkG(z, a float64) float64 {
	if a == 0 {
		return z
	}
	return (math.Cbrt(1+6*a*(z-a)) - 1) / (2 * a)
}

// studentT975 is the 0.975 quantile of Student's t with nu degrees of
// freedom (gonum's distuv).
func studentT975(nu float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.Quantile(0.975)
}

// standardErrors is standardError for every output.
func (bs *blockSpread) standardErrors(mean []float64) ([]float64, bool) {
	if bs == nil || bs.blocks < MinSpreadBlocks {
		return nil, false
	}
	se := make([]float64, len(mean))
	for k, m := range mean {
		se[k], _ = bs.standardError(k, m)
	}
	return se, true
}
