package corr

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PearsonOfRank returns the Pearson correlation rho of a bivariate normal
// pair whose Spearman rank correlation is r: rho = 2 sin(pi r / 6)
// (Pearson 1907). Iman-Conover builds normal scores with this correlation so
// that the draws' rank correlation is r (without it a target of 0.5 comes
// out as 0.483).
func PearsonOfRank(r float64) float64 { return 2 * math.Sin(math.Pi*r/6) }

// RankOfPearson is the inverse of PearsonOfRank: (6/pi) asin(rho/2).
func RankOfPearson(rho float64) float64 { return 6 / math.Pi * math.Asin(rho/2) }

// Cholesky overwrites the k x k symmetric matrix a (row-major, lower
// triangle read) with its lower Cholesky factor L (a = L L'), zeroing the
// upper triangle. It returns the first row at which a pivot is not
// positive (a is then not positive definite and is left part-factored), or
// -1.
func Cholesky(a []float64, k int) int {
	for j := 0; j < k; j++ {
		d := a[j*k+j]
		for p := 0; p < j; p++ {
			d -= a[j*k+p] * a[j*k+p]
		}
		if !(d > 1e-12) {
			return j
		}
		d = math.Sqrt(d)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			s := a[i*k+j]
			for p := 0; p < j; p++ {
				s -= a[i*k+p] * a[j*k+p]
			}
			a[i*k+j] = s / d
		}
		for i := 0; i < j; i++ {
			a[i*k+j] = 0
		}
	}
	return -1
}

// NotPDError reports a correlation matrix that is not positive definite:
// Inputs is a smallest set of rows (greedily minimal: dropping any one
// makes the rest valid) whose correlations cannot hold together.
type NotPDError struct {
	Inputs []int
}

func (e *NotPDError) Error() string {
	return fmt.Sprintf("corr: correlations among rows %v are inconsistent (the matrix is not positive definite)", e.Inputs)
}

// Check checks that r (k x k) is a correlation matrix: square, symmetric,
// unit diagonal, entries in [-1, 1], positive definite. A matrix that is
// only not positive definite gives a *NotPDError. It is CheckContext
// without a deadline.
func Check(r [][]float64) error { return CheckContext(context.Background(), r) }

// CheckContext is Check, stopping with ctx's error when ctx is done. A
// valid matrix costs one Cholesky factorisation (k^3/3 multiplications);
// an invalid one, besides, a search for a smallest inconsistent set among
// the n rows of the first leading block that fails: first the n^2/2
// triangles through its last row, then (if no triangle fails) greedy
// removal, n factorisations of at most n rows.
func CheckContext(ctx context.Context, r [][]float64) error {
	k := len(r)
	for i, row := range r {
		if len(row) != k {
			return fmt.Errorf("corr: row %d has %d entries, want %d", i, len(row), k)
		}
		if row[i] != 1 {
			return fmt.Errorf("corr: diagonal entry %d is %g, want 1", i, row[i])
		}
		for j, v := range row {
			if !(v >= -1 && v <= 1) {
				return fmt.Errorf("corr: entry (%d, %d) is %v, want a number in [-1, 1]", i, j, v)
			}
			if r[j][i] != v {
				return fmt.Errorf("corr: entries (%d, %d) and (%d, %d) differ", i, j, j, i)
			}
		}
	}
	all := make([]int, k)
	for i := range all {
		all[i] = i
	}
	scratch := make([]float64, k*k)
	// Cholesky stops at the first row whose pivot fails: rows 0..last are
	// the smallest leading block that is not positive definite.
	last := factorRows(r, all, scratch)
	if last < 0 {
		return nil
	}
	// Most inconsistencies are three targets that contradict each other
	// (any two inputs alone are consistent): look for a triangle through
	// the row that broke the factorisation.
	for p := 0; p < last; p++ {
		if p%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		for q := 0; q < p; q++ {
			tri := []int{q, p, last}
			if factorRows(r, tri, scratch) >= 0 {
				return &NotPDError{Inputs: tri}
			}
		}
	}
	// Otherwise drop rows greedily while the rest still fails.
	set := append([]int(nil), all[:last+1]...)
	trial := make([]int, 0, len(set))
	for i := 0; i < len(set); {
		if err := ctx.Err(); err != nil {
			return err
		}
		trial = append(append(trial[:0], set[:i]...), set[i+1:]...)
		if len(trial) >= 2 && factorRows(r, trial, scratch) >= 0 {
			set = append(set[:0], trial...)
		} else {
			i++
		}
	}
	return &NotPDError{Inputs: set}
}

// factorRows factors the principal submatrix of r on rows idx in scratch
// (at least len(idx)^2 long) and returns Cholesky's answer: the first row
// (a position in idx) whose pivot fails, or -1 if it is positive definite.
func factorRows(r [][]float64, idx []int, scratch []float64) int {
	k := len(idx)
	a := scratch[:k*k]
	for i, p := range idx {
		for j, q := range idx {
			a[i*k+j] = r[p][q]
		}
	}
	return Cholesky(a, k)
}

// nearestFloor is the smallest eigenvalue Nearest leaves, so that the
// result has a Cholesky factor with room to spare.
const nearestFloor = 1e-6

// Nearest returns the correlation matrix nearest to r in the Frobenius norm
// among those with every eigenvalue at least 1e-6, by Higham's (2002)
// alternating projections with Dykstra's correction (Algorithm 3.3, W = I):
// project onto the matrices with eigenvalues >= 1e-6, then onto those with
// unit diagonal, until successive iterates agree to 1e-10; the result is
// rescaled to an exact unit diagonal. r must be symmetric with entries in
// [-1, 1]. It returns the number of iterations; an error after 10,000.
func Nearest(r [][]float64) ([][]float64, int, error) {
	return NearestContext(context.Background(), r)
}

// NearestContext is Nearest, stopping with ctx's error when ctx is done
// (it checks before every iteration).
func NearestContext(ctx context.Context, r [][]float64) ([][]float64, int, error) {
	k := len(r)
	y := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := 0; j <= i; j++ {
			y.SetSym(i, j, r[i][j])
		}
	}
	ds := mat.NewSymDense(k, nil)
	rr := mat.NewSymDense(k, nil)
	x := mat.NewSymDense(k, nil)
	var eig mat.EigenSym
	var vecs mat.Dense
	for it := 1; it <= 10000; it++ {
		if err := ctx.Err(); err != nil {
			return nil, it, err
		}
		// R = Y - dS; X = P_S(R); dS = X - R; Y = P_U(X).
		for i := 0; i < k; i++ {
			for j := 0; j <= i; j++ {
				rr.SetSym(i, j, y.At(i, j)-ds.At(i, j))
			}
		}
		if !eig.Factorize(rr, true) {
			return nil, it, errors.New("corr: eigendecomposition failed")
		}
		vals := eig.Values(nil)
		eig.VectorsTo(&vecs)
		for i := 0; i < k; i++ {
			for j := 0; j <= i; j++ {
				s := 0.0
				for l, lam := range vals {
					s += vecs.At(i, l) * math.Max(lam, nearestFloor) * vecs.At(j, l)
				}
				x.SetSym(i, j, s)
			}
		}
		diff, norm := 0.0, 0.0
		for i := 0; i < k; i++ {
			for j := 0; j <= i; j++ {
				ds.SetSym(i, j, x.At(i, j)-rr.At(i, j))
				v := x.At(i, j)
				if i == j {
					v = 1
				}
				d := v - y.At(i, j)
				diff += d * d
				norm += v * v
				y.SetSym(i, j, v)
			}
		}
		if math.Sqrt(diff) <= 1e-10*math.Sqrt(norm) {
			out := make([][]float64, k)
			for i := range out {
				out[i] = make([]float64, k)
			}
			// X is positive definite; rescale it to a unit diagonal.
			for i := 0; i < k; i++ {
				for j := 0; j < k; j++ {
					out[i][j] = x.At(i, j) / math.Sqrt(x.At(i, i)*x.At(j, j))
				}
				out[i][i] = 1
			}
			return out, it, nil
		}
	}
	return nil, 10000, errors.New("corr: nearest correlation matrix did not converge in 10,000 iterations")
}
