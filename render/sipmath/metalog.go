package sipmath

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// MaxTerms is the most metalog terms a fit uses (the SIPmath 3.0 standard
// stores up to 16 a-coefficients).
const MaxTerms = 16

// basis returns the k metalog basis functions at probability y (Keelin,
// "The Metalog Distributions", Decision Analysis 13(4), 2016, eq. 6-8):
// 1, L, (y-1/2)L, (y-1/2), then (y-1/2)^m for odd j >= 5 (m = (j-1)/2) and
// (y-1/2)^m L for even j >= 6 (m = j/2 - 1), where L = ln(y/(1-y)).
func basis(y float64, k int, dst []float64) []float64 {
	L := math.Log(y / (1 - y))
	c := y - 0.5
	dst = dst[:0]
	for j := 1; j <= k; j++ {
		var b float64
		switch {
		case j == 1:
			b = 1
		case j == 2:
			b = L
		case j == 3:
			b = c * L
		case j == 4:
			b = c
		case j%2 == 1:
			b = math.Pow(c, float64((j-1)/2))
		default:
			b = math.Pow(c, float64(j/2-1)) * L
		}
		dst = append(dst, b)
	}
	return dst
}

// quantile evaluates the metalog with coefficients a at probability y.
func quantile(a []float64, y float64) float64 {
	var buf [MaxTerms]float64
	s := 0.0
	for j, b := range basis(y, len(a), buf[:0]) {
		s += a[j] * b
	}
	return s
}

// slope is dM/dy, the reciprocal of the density at M(y).
func slope(a []float64, y float64) float64 {
	L := math.Log(y / (1 - y))
	c := y - 0.5
	inv := 1 / (y * (1 - y))
	s := 0.0
	// cm1 is c^(m-1) for the power m of terms j >= 5 (m = 2 for j = 5, 6).
	cm1 := c
	for i, ai := range a {
		j := i + 1
		var d float64
		switch {
		case j == 1:
		case j == 2:
			d = inv
		case j == 3:
			d = L + c*inv
		case j == 4:
			d = 1
		case j%2 == 1: // c^m, m = (j-1)/2
			m := float64((j - 1) / 2)
			d = m * cm1
		default: // c^m L, m = j/2 - 1, the same m as term j-1
			m := float64(j/2 - 1)
			d = m*cm1*L + cm1*c*inv
			cm1 *= c
		}
		s += ai * d
	}
	return s
}

// feasible reports whether the metalog's quantile function increases on
// (0, 1), checked on a grid of 10,000 interior points and in both tails
// down to 1e-9 (Keelin 2016, section 4: a metalog is a distribution only
// where M'(y) > 0).
func feasible(a []float64) bool {
	for i := 1; i < 10000; i++ {
		if !(slope(a, float64(i)/10000) > 0) {
			return false
		}
	}
	for e := 5.0; e <= 9; e++ {
		y := math.Pow(10, -e)
		if !(slope(a, y) > 0) || !(slope(a, 1-y) > 0) {
			return false
		}
	}
	return true
}

// Fit is a metalog fitted to a sample's quantiles.
type Fit struct {
	// A holds the a-coefficients (len(A) terms).
	A []float64
	// Log marks a log metalog bounded below at 0: the quantile function is
	// exp(M(y)) (Keelin 2016, eq. 11 with lower bound 0).
	Log bool
	// MaxError is the largest |quantile(p) - sample quantile(p)| over the
	// fitting grid, in the sample's units.
	MaxError float64
}

// Quantile evaluates the fitted quantile function at probability y.
func (f Fit) Quantile(y float64) float64 {
	m := quantile(f.A, y)
	if f.Log {
		return math.Exp(m)
	}
	return m
}

// Slope is the fitted quantile function's derivative at y, the reciprocal
// of the density there.
func (f Fit) Slope(y float64) float64 {
	if f.Log {
		return math.Exp(quantile(f.A, y)) * slope(f.A, y)
	}
	return slope(f.A, y)
}

// fitBest fits an unbounded metalog and, when positive, a log metalog
// (bounded below at 0) to the points (p[i], q[i]), and returns the one
// with the smaller largest error in q's units.
func fitBest(p, q []float64, positive bool) (Fit, error) {
	f, err := fitQuantiles(p, q, false)
	if !positive || slices.Min(q) <= 0 {
		return f, err
	}
	g, gerr := fitQuantiles(p, q, true)
	switch {
	case gerr != nil:
		return f, err
	case err != nil || g.MaxError < f.MaxError:
		return g, nil
	}
	return f, nil
}

// errNoFit is returned when no number of terms gives a feasible metalog.
var errNoFit = errors.New("sipmath: no feasible metalog fits these draws")

// fitQuantiles fits metalogs of 2 to MaxTerms terms by least squares
// through the points (p[i], q[i]) (Keelin 2016, eq. 7; with log, through
// (p[i], ln q[i]): a log metalog bounded below at 0) and returns
// the feasible fit of fewest terms whose largest error is within 5% of the
// smallest largest error of any feasible fit.
func fitQuantiles(p, q []float64, log bool) (Fit, error) {
	m := len(p)
	z := slices.Clone(q)
	if log {
		for i := range z {
			z[i] = math.Log(z[i])
		}
	}
	var fits []Fit
	best := math.Inf(1)
	row := make([]float64, 0, MaxTerms)
	for k := 2; k <= min(MaxTerms, m); k++ {
		Y := mat.NewDense(m, k, nil)
		for i, pi := range p {
			Y.SetRow(i, basis(pi, k, row))
		}
		var a mat.VecDense
		if err := a.SolveVec(Y, mat.NewVecDense(m, slices.Clone(z))); err != nil {
			continue
		}
		f := Fit{A: make([]float64, k), Log: log}
		for j := range f.A {
			f.A[j] = a.AtVec(j)
		}
		if !feasible(f.A) {
			continue
		}
		for i, pi := range p {
			f.MaxError = math.Max(f.MaxError, math.Abs(f.Quantile(pi)-q[i]))
		}
		fits = append(fits, f)
		best = math.Min(best, f.MaxError)
	}
	for _, f := range fits {
		if f.MaxError <= 1.05*best {
			return f, nil
		}
	}
	return Fit{}, errNoFit
}

// cdfAt inverts the fitted quantile function: the probability y with
// Quantile(y) = x, by bisection.
func (f Fit) cdfAt(x float64) float64 {
	lo, hi := 1e-12, 1-1e-12
	for i := 0; i < 200 && hi-lo > 1e-15; i++ {
		mid := (lo + hi) / 2
		if f.Quantile(mid) < x {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
