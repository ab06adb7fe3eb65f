package dist

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/devolve-lgr/devolve/internal/fielderr"
)

// Pareto is the Pareto (type I) distribution with minimum Xm and tail index
// Alpha: P(X > x) = (Xm/x)^Alpha for x >= Xm. Its mean is infinite when
// Alpha <= 1; truncate it to use it as an input.
type Pareto struct{ d distuv.Pareto }

// NewPareto checks xm > 0 and alpha > 0.
func NewPareto(xm, alpha float64) (Pareto, error) {
	if err := firstErr(finite("min", xm), finite("alpha", alpha)); err != nil {
		return Pareto{}, err
	}
	if !(xm > 0) {
		return Pareto{}, fielderr.New("min", "must be positive (got %g)", xm)
	}
	if !(alpha > 0) {
		return Pareto{}, fielderr.New("alpha", "must be positive (got %g)", alpha)
	}
	return Pareto{distuv.Pareto{Xm: xm, Alpha: alpha}}, nil
}

// Sample inverts the survival function: Xm * U^(-1/Alpha).
func (p Pareto) Sample(r *rand.Rand) float64 {
	return p.d.Xm * math.Pow(1-r.Float64(), -1/p.d.Alpha)
}

// Quantile returns the value with CDF equal to p.
func (p Pareto) Quantile(q float64) float64 { return p.d.Xm * math.Pow(1-q, -1/p.d.Alpha) }

// CDF returns P(X <= x).
func (p Pareto) CDF(x float64) float64 { return p.d.CDF(x) }

// Mean returns E[X].
func (p Pareto) Mean() float64 {
	if p.d.Alpha <= 1 {
		return math.Inf(1)
	}
	return p.d.Mean()
}
