package dist

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/devolve-lgr/devolve/internal/fielderr"
)

// Normal is the normal distribution with mean Mu and standard deviation Sigma.
type Normal struct{ d distuv.Normal }

// NewNormal checks sigma > 0.
func NewNormal(mu, sigma float64) (Normal, error) {
	if err := firstErr(finite("mean", mu), finite("sd", sigma)); err != nil {
		return Normal{}, err
	}
	if !(sigma > 0) {
		return Normal{}, fielderr.New("sd", "must be positive (got %g)", sigma)
	}
	return Normal{distuv.Normal{Mu: mu, Sigma: sigma}}, nil
}

// NormalFrom90 returns the normal whose 5th and 95th percentiles are lo and hi.
func NormalFrom90(lo, hi float64) (Normal, error) {
	if !(hi > lo) {
		return Normal{}, fielderr.New("p95", "must be greater than p5 (got %g < %g)", hi, lo)
	}
	return NewNormal((lo+hi)/2, (hi-lo)/(2*Z95))
}

// Sample draws one value using r.
func (n Normal) Sample(r *rand.Rand) float64 { return n.d.Mu + n.d.Sigma*r.NormFloat64() }

// Quantile returns the value with CDF equal to p.
func (n Normal) Quantile(p float64) float64 { return n.d.Quantile(p) }

// CDF returns P(X <= x).
func (n Normal) CDF(x float64) float64 { return n.d.CDF(x) }

// Mean returns E[X].
func (n Normal) Mean() float64 { return n.d.Mu }

// Params returns the mean and standard deviation.
func (n Normal) Params() (mu, sigma float64) { return n.d.Mu, n.d.Sigma }

// LogNormal is exp(Normal(Mu, Sigma)).
type LogNormal struct {
	d distuv.LogNormal
	// inv is the numerical inverse CDF (invert.go) on the central
	// 1 - 2*invTail of the mass, built on first use; shared by copies.
	inv *lazyInverse
}

// NewLogNormal checks sigma > 0.
func NewLogNormal(mu, sigma float64) (LogNormal, error) {
	if err := firstErr(finite("mu", mu), finite("sigma", sigma)); err != nil {
		return LogNormal{}, err
	}
	if !(sigma > 0) {
		return LogNormal{}, fielderr.New("sigma", "must be positive (got %g)", sigma)
	}
	d := distuv.LogNormal{Mu: mu, Sigma: sigma}
	inv := cachedInverse("lognormal", mu, sigma, func() *inverse { return lognormalInverse(mu, sigma) })
	return LogNormal{d: d, inv: inv}, nil
}

// lognormalInverse builds the inverse table of LogNormal(mu, sigma) on the
// central 1 - 2*invTail of its mass.
func lognormalInverse(mu, sigma float64) *inverse {
	d := distuv.LogNormal{Mu: mu, Sigma: sigma}
	logSigma := math.Log(sigma)
	at := func(x float64) (f, F, df float64) {
		// distuv.LogNormal's Prob and CDF (gonum v0.17.0) written out with
		// log(x) and log(sigma) computed once: the same operations in the
		// same order, so the same bits (TestInverseMatchesReference).
		logx := math.Log(x)
		z := (logx - mu) / sigma
		f = math.Exp(-0.5*z*z - logx - logSigma - logRoot2Pi)
		F = 0.5 * math.Erfc(-(logx-mu)/(math.Sqrt2*sigma))
		df = -f * (1 + (logx-mu)/(sigma*sigma)) / x
		return f, F, df
	}
	return newInverse(d.CDF, at, d.Quantile(invTail), d.Quantile(1-invTail))
}

// logRoot2Pi is log(sqrt(2 pi)), as distuv defines it.
const logRoot2Pi = 0.91893853320467274178032973640561763986139747363778341281715154048276569592726039769474329863595419762200564662463433744

// LogNormalFromQuantiles returns the lognormal with quantile pa at a and pb at b,
// e.g. (0.05, 15e6, 0.95, 45e6) for a 90% interval of £15m to £45m.
func LogNormalFromQuantiles(pa, a, pb, b float64) (LogNormal, error) {
	if !(a > 0) {
		return LogNormal{}, fmt.Errorf("lower percentile: must be positive for a lognormal (got %g)", a)
	}
	if !(pa > 0 && pa < 1 && pb > 0 && pb < 1 && pb > pa) {
		return LogNormal{}, fmt.Errorf("percentiles: need two distinct levels strictly between 0 and 100")
	}
	if !(b > a) {
		return LogNormal{}, fmt.Errorf("upper percentile: must be greater than the lower one (got %g < %g)", b, a)
	}
	za, zb := distuv.UnitNormal.Quantile(pa), distuv.UnitNormal.Quantile(pb)
	sigma := (math.Log(b) - math.Log(a)) / (zb - za)
	mu := math.Log(a) - za*sigma
	return NewLogNormal(mu, sigma)
}

// Sample draws one value using r, by numerical inversion (invert.go), or
// as exp of a normal draw if the inverse could not be built.
func (l LogNormal) Sample(r *rand.Rand) float64 {
	if iv := l.inv.get(); iv != nil {
		return iv.at(r.Float64())
	}
	return math.Exp(l.d.Mu + l.d.Sigma*r.NormFloat64())
}

// Quantile returns the value with CDF equal to p.
func (l LogNormal) Quantile(p float64) float64 { return l.d.Quantile(p) }

// CDF returns P(X <= x).
func (l LogNormal) CDF(x float64) float64 { return l.d.CDF(x) }

// Mean returns E[X].
func (l LogNormal) Mean() float64 { return l.d.Mean() }

// Params returns mu and sigma of the underlying normal.
func (l LogNormal) Params() (mu, sigma float64) { return l.d.Mu, l.d.Sigma }

// Triangular is the triangular distribution on [Min, Max] with mode Mode.
type Triangular struct {
	min, mode, max float64
	fc             float64 // CDF at the mode
	d              distuv.Triangle
}

// NewTriangular checks min <= mode <= max and min < max.
func NewTriangular(min, mode, max float64) (Triangular, error) {
	if err := firstErr(finite("min", min), finite("mode", mode), finite("max", max)); err != nil {
		return Triangular{}, err
	}
	if !(max > min) {
		return Triangular{}, fielderr.New("max", "must be greater than min (got %g <= %g)", max, min)
	}
	if mode < min || mode > max {
		return Triangular{}, fielderr.New("mode", "must lie between min and max (got %g outside [%g, %g])", mode, min, max)
	}
	return Triangular{min, mode, max, (mode - min) / (max - min), distuv.NewTriangle(min, max, mode, nil)}, nil
}

// Sample inverts the CDF (one uniform per draw).
func (t Triangular) Sample(r *rand.Rand) float64 { return t.at(r.Float64()) }

// at is the inverse CDF at u in [0, 1]: gonum's Triangle.Quantile's
// arithmetic, with the CDF at the mode computed once (fc).
func (t Triangular) at(u float64) float64 {
	if u < t.fc {
		return t.min + math.Sqrt(u*(t.max-t.min)*(t.mode-t.min))
	}
	return t.max - math.Sqrt((1-u)*(t.max-t.min)*(t.max-t.mode))
}

// Quantile returns the value with CDF equal to p.
func (t Triangular) Quantile(p float64) float64 { return t.d.Quantile(p) }

// CDF returns P(X <= x).
func (t Triangular) CDF(x float64) float64 { return t.d.CDF(x) }

// Mean returns E[X].
func (t Triangular) Mean() float64 { return (t.min + t.mode + t.max) / 3 }

// ScaledBeta is Lo + (Hi-Lo) * Beta(Alpha, Beta). PERT is a ScaledBeta.
type ScaledBeta struct {
	lo, hi float64
	d      distuv.Beta
	ga, gb gammaConst
	// inv is the numerical inverse CDF of Beta(alpha, beta) when both are
	// at least 1, built on first use; shared by copies.
	inv *lazyInverse
}

// NewBeta checks alpha, beta > 0 and lo < hi.
func NewBeta(alpha, beta, lo, hi float64) (ScaledBeta, error) {
	if err := firstErr(finite("alpha", alpha), finite("beta", beta), finite("min", lo), finite("max", hi)); err != nil {
		return ScaledBeta{}, err
	}
	if !(alpha > 0) {
		return ScaledBeta{}, fielderr.New("alpha", "must be positive (got %g)", alpha)
	}
	if !(beta > 0) {
		return ScaledBeta{}, fielderr.New("beta", "must be positive (got %g)", beta)
	}
	if !(hi > lo) {
		return ScaledBeta{}, fielderr.New("max", "must be greater than min (got %g <= %g)", hi, lo)
	}
	d := distuv.Beta{Alpha: alpha, Beta: beta}
	b := ScaledBeta{lo: lo, hi: hi, d: d, ga: newGammaConst(alpha), gb: newGammaConst(beta)}
	if alpha >= 1 && beta >= 1 {
		// Every PERT: the density is finite and positive inside (0, 1).
		b.inv = cachedInverse("beta", alpha, beta, func() *inverse { return betaInverse(alpha, beta) })
	}
	return b, nil
}

// betaInverse builds the inverse table of Beta(alpha, beta) on [0, 1], both
// shapes at least 1.
func betaInverse(alpha, beta float64) *inverse {
	d := distuv.Beta{Alpha: alpha, Beta: beta}
	lab, _ := math.Lgamma(alpha + beta)
	la, _ := math.Lgamma(alpha)
	lb, _ := math.Lgamma(beta)
	logC := lab - la - lb
	at := func(x float64) (f, F, df float64) {
		// distuv.Beta's Prob (gonum v0.17.0) written out with its three
		// log-gammas computed once: the same operations in the same
		// order, so the same bits (TestInverseMatchesReference).
		if x >= 0 && x <= 1 {
			var lx, l1mx float64
			if alpha != 1 {
				lx = (alpha - 1) * math.Log(x)
			}
			if beta != 1 {
				l1mx = (beta - 1) * math.Log(1-x)
			}
			f = math.Exp(logC + lx + l1mx)
		}
		s := 0.0
		if alpha != 1 {
			s += (alpha - 1) / x
		}
		if beta != 1 {
			s -= (beta - 1) / (1 - x)
		}
		return f, d.CDF(x), f * s
	}
	return newInverse(d.CDF, at, 0, 1)
}

// PERTLambda is the default Beta-PERT shape parameter (Malcolm et al. 1959;
// Vose, Risk Analysis, 3rd ed., 2008, §9.1.4).
const PERTLambda = 4.0

// NewPERT returns the Beta-PERT(min, mode, max) with shape lambda (use
// PERTLambda for the classic PERT): alpha = 1 + lambda (mode-min)/(max-min),
// beta = 1 + lambda (max-mode)/(max-min).
func NewPERT(min, mode, max, lambda float64) (ScaledBeta, error) {
	if err := firstErr(finite("min", min), finite("mode", mode), finite("max", max), finite("lambda", lambda)); err != nil {
		return ScaledBeta{}, err
	}
	if !(max > min) {
		return ScaledBeta{}, fielderr.New("max", "must be greater than min (got %g <= %g)", max, min)
	}
	if mode < min || mode > max {
		return ScaledBeta{}, fielderr.New("mode", "must lie between min and max (got %g outside [%g, %g])", mode, min, max)
	}
	if !(lambda > 0) {
		return ScaledBeta{}, fielderr.New("lambda", "must be positive (got %g)", lambda)
	}
	span := max - min
	return NewBeta(1+lambda*(mode-min)/span, 1+lambda*(max-mode)/span, min, max)
}

// Sample draws one value using r: by numerical inversion when both shapes
// are at least 1 (invert.go), else as a ratio of two gamma draws.
func (b ScaledBeta) Sample(r *rand.Rand) float64 {
	if iv := b.inv.get(); iv != nil {
		return b.lo + (b.hi-b.lo)*iv.at(r.Float64())
	}
	x := b.ga.sample(r)
	y := b.gb.sample(r)
	return b.lo + (b.hi-b.lo)*x/(x+y)
}

// Quantile returns the value with CDF equal to p.
//
// Where the inverse table covers p (all but 1e-13 of each tail), it is used:
// |CDF(Quantile(p)) - p| <= 1e-10 (1e-11 at the table's midpoints, up to
// 5e-11 measured between; invert.go), Quantile(U) is exactly what
// Sample draws from the uniform U, and it is over 100 times faster than the
// inverse incomplete beta function (BenchmarkPERTQuantile), which answers
// beyond the table.
func (b ScaledBeta) Quantile(p float64) float64 {
	if iv := b.inv.get(); iv != nil && p >= iv.seg[0].u0 && p < iv.seg[iv.intervals()].u0 {
		return b.lo + (b.hi-b.lo)*iv.at(p)
	}
	return b.lo + (b.hi-b.lo)*b.d.Quantile(p)
}

// CDF returns P(X <= x).
func (b ScaledBeta) CDF(x float64) float64 {
	return b.d.CDF((x - b.lo) / (b.hi - b.lo))
}

// Mean returns E[X].
func (b ScaledBeta) Mean() float64 { return b.lo + (b.hi-b.lo)*b.d.Mean() }

// Gamma is the gamma distribution with shape Alpha and rate Beta.
type Gamma struct {
	d distuv.Gamma
	g gammaConst
}

// NewGamma checks shape, rate > 0.
func NewGamma(shape, rate float64) (Gamma, error) {
	if err := firstErr(finite("shape", shape), finite("rate", rate)); err != nil {
		return Gamma{}, err
	}
	if !(shape > 0) {
		return Gamma{}, fielderr.New("shape", "must be positive (got %g)", shape)
	}
	if !(rate > 0) {
		return Gamma{}, fielderr.New("rate", "must be positive (got %g)", rate)
	}
	return Gamma{distuv.Gamma{Alpha: shape, Beta: rate}, newGammaConst(shape)}, nil
}

// Sample draws one value using r.
func (g Gamma) Sample(r *rand.Rand) float64 { return g.g.sample(r) / g.d.Beta }

// Quantile returns the value with CDF equal to p.
func (g Gamma) Quantile(p float64) float64 { return g.d.Quantile(p) }

// CDF returns P(X <= x).
func (g Gamma) CDF(x float64) float64 { return g.d.CDF(x) }

// Mean returns E[X].
func (g Gamma) Mean() float64 { return g.d.Mean() }

// gammaConst holds the constants of the Marsaglia and Tsang (2000) sampler
// for Gamma(a, 1): "A simple method for generating gamma variables", ACM
// TOMS 26(3). For a < 1 it draws Gamma(a+1) * U^(1/a) (same paper, §6).
type gammaConst struct {
	d, c, invA float64
	small      bool
}

func newGammaConst(a float64) gammaConst {
	g := gammaConst{small: a < 1, invA: 1 / a}
	if g.small {
		a++
	}
	g.d = a - 1.0/3
	g.c = 1 / math.Sqrt(9*g.d)
	return g
}

func (g *gammaConst) sample(r *rand.Rand) float64 {
	scale := 1.0
	if g.small {
		scale = math.Pow(r.Float64(), g.invA)
	}
	d, c := g.d, g.c
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return scale * d * v
		}
	}
}
