package dist

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Metalog is Keelin's (2016) metalog distribution, fitted exactly through k
// = 3, 4 or 5 quantiles: its quantile function is
//
//	M(y) = a1 + a2 L + a3 (y-1/2) L + a4 (y-1/2) + a5 (y-1/2)^2,  L = ln(y/(1-y)),
//
// or, with a lower bound b ("log metalog"), b + exp(M(y)). Keelin, "The
// Metalog Distributions", Decision Analysis 13(4), 2016, eq. 6-8.
type Metalog struct {
	a      []float64
	lower  float64
	bound  bool
	mean   float64
	lo, hi float64 // Quantile(1e-9), Quantile(1-1e-9), for CDF inversion
}

// NewMetalog fits a metalog through the points (p[i], x[i]), levels in (0,
// 1). With bounded, values must exceed lower and the fit is on ln(x -
// lower). It returns an error when the fit is not a valid distribution (its
// quantile function not increasing everywhere), which happens when the
// quantiles are too skewed for so few terms.
func NewMetalog(p, x []float64, lower float64, bounded bool) (Metalog, error) {
	k := len(p)
	if k < 3 || k > 5 || len(x) != k {
		return Metalog{}, fmt.Errorf("metalog: needs 3 to 5 quantiles (got %d)", k)
	}
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(i, j int) bool { return p[idx[i]] < p[idx[j]] })
	A := mat.NewDense(k, k, nil)
	z := mat.NewVecDense(k, nil)
	for r, i := range idx {
		if !(p[i] > 0 && p[i] < 1) {
			return Metalog{}, fmt.Errorf("metalog: quantile level %g must be strictly between 0 and 1", p[i])
		}
		if r > 0 && !(x[i] > x[idx[r-1]]) {
			return Metalog{}, fmt.Errorf("metalog: quantiles must increase with their level (P%g = %g is not above P%g = %g)", 100*p[i], x[i], 100*p[idx[r-1]], x[idx[r-1]])
		}
		v := x[i]
		if bounded {
			if !(v > lower) {
				return Metalog{}, fmt.Errorf("metalog: P%g = %g is not above the lower bound %g", 100*p[i], v, lower)
			}
			v = math.Log(v - lower)
		}
		row := basis(p[i], k)
		for c := 0; c < k; c++ {
			A.Set(r, c, row[c])
		}
		z.SetVec(r, v)
	}
	var a mat.VecDense
	if err := a.SolveVec(A, z); err != nil {
		return Metalog{}, fmt.Errorf("metalog: the quantiles give a singular system: %v", err)
	}
	m := Metalog{a: make([]float64, k), lower: lower, bound: bounded}
	for i := range m.a {
		m.a[i] = a.AtVec(i)
	}
	// Validity: the quantile function must increase on (0, 1) (Keelin 2016, §4).
	for i := 1; i < 4000; i++ {
		y := float64(i) / 4000
		if m.density(y) <= 0 {
			return Metalog{}, errors.New("metalog: these quantiles do not give a valid distribution (its quantile function turns down); give more quantiles, a lower bound, or use a lognormal")
		}
	}
	m.lo, m.hi = m.Quantile(1e-9), m.Quantile(1-1e-9)
	const n = 4096
	for i := 0; i < n; i++ {
		m.mean += m.Quantile((float64(i) + 0.5) / n)
	}
	m.mean /= n
	return m, nil
}

func basis(y float64, k int) []float64 {
	L := math.Log(y / (1 - y))
	c := y - 0.5
	b := []float64{1, L, c * L, c, c * c}
	return b[:k]
}

// density returns dM/dy of the unbounded part (its sign decides validity).
func (m Metalog) density(y float64) float64 {
	L := math.Log(y / (1 - y))
	c := y - 0.5
	inv := 1 / (y * (1 - y))
	d := []float64{0, inv, L + c*inv, 1, 2 * c}
	s := 0.0
	for i, a := range m.a {
		s += a * d[i]
	}
	return s
}

// Quantile is the metalog quantile function.
func (m Metalog) Quantile(y float64) float64 {
	y = math.Min(math.Max(y, 1e-12), 1-1e-12)
	s := 0.0
	for i, b := range basis(y, len(m.a)) {
		s += m.a[i] * b
	}
	if m.bound {
		return m.lower + math.Exp(s)
	}
	return s
}

// CDF inverts Quantile numerically.
func (m Metalog) CDF(x float64) float64 {
	if x <= m.lo {
		return 0
	}
	if x >= m.hi {
		return 1
	}
	a, b := 1e-9, 1-1e-9
	for i := 0; i < 100; i++ {
		mid := (a + b) / 2
		if m.Quantile(mid) < x {
			a = mid
		} else {
			b = mid
		}
	}
	return (a + b) / 2
}

// Sample draws by inverse transform (one uniform per draw).
func (m Metalog) Sample(r *rand.Rand) float64 { return m.Quantile(r.Float64()) }

// Mean is computed by the midpoint rule on the quantile function.
func (m Metalog) Mean() float64 { return m.mean }

// Coefficients returns a1..ak.
func (m Metalog) Coefficients() []float64 { return append([]float64(nil), m.a...) }
