package corr

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Target is a target rank-correlation matrix made ready for Iman-Conover:
// the lower Cholesky factor of the Pearson correlation of normal scores
// that gives it (PearsonOfRank, entry by entry). Immutable; share it.
type Target struct {
	k    int
	chol []float64 // k x k, row-major, lower
}

// NewTarget checks the k x k rank-correlation matrix rank (Check, after
// converting each entry with PearsonOfRank) and factors it. The error for a
// matrix that is not positive definite is a *NotPDError.
func NewTarget(rank [][]float64) (*Target, error) {
	k := len(rank)
	p := make([][]float64, k)
	for i, row := range rank {
		if len(row) != k {
			return nil, fmt.Errorf("corr: row %d has %d entries, want %d", i, len(row), k)
		}
		p[i] = make([]float64, k)
		for j, v := range row {
			p[i][j] = PearsonOfRank(v)
		}
		p[i][i] = rank[i][i]
	}
	if err := Check(p); err != nil {
		return nil, err
	}
	a := make([]float64, k*k)
	for i := range p {
		copy(a[i*k:], p[i])
	}
	Cholesky(a, k)
	return &Target{k: k, chol: a}, nil
}

// Size returns the number of columns the target correlates.
func (t *Target) Size() int { return t.k }

// Reorderer holds the scratch space of Iman-Conover for one goroutine.
type Reorderer struct {
	t      *Target
	n      int       // the length the scores were made for
	vdw    []float64 // centred van der Waerden scores for length n
	scores []float64 // k columns of n scores, then of the target scores
	e      []float64 // k x k: correlation of the scores, then its factor
	m      []float64 // k x k: chol * inverse(factor of e)
	pairs  []keyed
	sorted []float64
}

type keyed struct {
	v float64
	i int32
}

// NewReorderer returns scratch space for columns of at most maxN values.
func (t *Target) NewReorderer(maxN int) *Reorderer {
	return &Reorderer{t: t, vdw: make([]float64, 0, maxN), scores: make([]float64, t.k*maxN),
		e: make([]float64, t.k*t.k), m: make([]float64, t.k*t.k),
		pairs: make([]keyed, maxN), sorted: make([]float64, maxN)}
}

// Reorder permutes the values within each of the k columns cols[j] (all of
// the same length n, at most the reorderer's maxN) so that their rank
// correlation is the target's, by Iman and Conover's (1982) method:
//
//  1. S: k columns, each the van der Waerden scores Phi^-1(i/(n+1)),
//     i = 1..n, centred, in an independent random order (column j's order
//     drawn from r after reseed(j));
//  2. E = the correlation of S, E = F F' (Cholesky), and C = P P' the
//     target's normal-score correlation;
//  3. T = S (P F^-1)': T's correlation is exactly C;
//  4. each column j is rearranged so that its values have the ranks of T_j.
//
// Only the order of each column changes: its multiset of values (every
// marginal) is untouched. If E is singular (n too small for k columns),
// step 3 uses T = S P'. It does not allocate.
func (rd *Reorderer) Reorder(cols [][]float64, r *rand.Rand, reseed func(j int)) {
	k := rd.t.k
	if len(cols) != k {
		panic("corr: Reorder got the wrong number of columns")
	}
	n := len(cols[0])
	if n < 2 {
		return
	}
	if n != rd.n {
		rd.vdw = rd.vdw[:n]
		mean := 0.0
		for i := range rd.vdw {
			rd.vdw[i] = math.Sqrt2 * math.Erfinv(2*float64(i+1)/float64(n+1)-1)
			mean += rd.vdw[i]
		}
		mean /= float64(n)
		for i := range rd.vdw {
			rd.vdw[i] -= mean
		}
		rd.n = n
	}
	S := rd.scores[:k*n]
	for j := 0; j < k; j++ {
		reseed(j)
		col := S[j*n : (j+1)*n]
		copy(col, rd.vdw)
		for i := n - 1; i > 0; i-- {
			x := r.IntN(i + 1)
			col[i], col[x] = col[x], col[i]
		}
	}
	// E: correlation of the score columns (all have the same mean 0 and
	// the same sum of squares).
	ss := 0.0
	for _, v := range rd.vdw {
		ss += v * v
	}
	e := rd.e
	for i := 0; i < k; i++ {
		ci := S[i*n : (i+1)*n]
		for j := 0; j <= i; j++ {
			cj := S[j*n : (j+1)*n]
			s := 0.0
			for x := range ci {
				s += ci[x] * cj[x]
			}
			e[i*k+j] = s / ss
			e[j*k+i] = s / ss
		}
	}
	m := rd.m
	L := rd.t.chol
	if Cholesky(e, k) < 0 {
		// M = L F^-1, row by row: M[i][j] = (L[i][j] - sum_{p=j+1..i} M[i][p] F[p][j]) / F[j][j].
		for i := 0; i < k; i++ {
			for j := k - 1; j >= 0; j-- {
				if j > i {
					m[i*k+j] = 0
					continue
				}
				s := L[i*k+j]
				for p := j + 1; p <= i; p++ {
					s -= m[i*k+p] * e[p*k+j]
				}
				m[i*k+j] = s / e[j*k+j]
			}
		}
	} else {
		copy(m, L)
	}
	// T_j = sum_{l <= j} M[j][l] S_l, in place from the last column down.
	for j := k - 1; j >= 0; j-- {
		cj := S[j*n : (j+1)*n]
		d := m[j*k+j]
		for x := range cj {
			cj[x] *= d
		}
		for l := 0; l < j; l++ {
			c := m[j*k+l]
			if c == 0 {
				continue
			}
			cl := S[l*n : (l+1)*n]
			for x := range cj {
				cj[x] += c * cl[x]
			}
		}
	}
	pairs, sorted := rd.pairs[:n], rd.sorted[:n]
	for j, col := range cols {
		tj := S[j*n : (j+1)*n]
		for x, v := range tj {
			pairs[x] = keyed{v, int32(x)}
		}
		slices.SortFunc(pairs, func(a, b keyed) int { return cmp.Compare(a.v, b.v) })
		copy(sorted, col)
		slices.Sort(sorted)
		for rnk, p := range pairs {
			col[p.i] = sorted[rnk]
		}
	}
}
