package calibration

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat/distuv"
)

// Families are the families Fit knows, in the order they are tried.
var Families = []string{"normal", "lognormal", "gamma", "weibull", "exponential", "beta", "lognormal_mixture"}

// FitOptions configures Fit; zero values mean defaults.
type FitOptions struct {
	// Families to try; default all that the data allow.
	Families []string
	// Lower and Upper bound the beta family's range (required for beta).
	Lower, Upper float64
	HasRange     bool
	// Bootstrap resamples for the KS and AD p-values; default 200.
	Bootstrap int
	Seed      uint64
	// Context, if set, is checked in every optimiser evaluation and before
	// every bootstrap resample: once it is done, FitData returns its error
	// promptly.
	Context context.Context
}

// Fit is one family's maximum-likelihood fit with its goodness of fit.
type Fit struct {
	Family string             `json:"family"`
	Params map[string]float64 `json:"params"`
	// SE are standard errors from the observed information (inverse
	// Hessian of the negative log-likelihood at the optimum, by finite
	// differences with steps relative to each parameter); NaN (null in
	// JSON) where the Hessian is not positive definite, with a warning.
	SE     map[string]float64 `json:"se"`
	LogLik float64            `json:"loglik"`
	AIC    float64            `json:"aic"`
	BIC    float64            `json:"bic"`
	// KS and AD are the Kolmogorov-Smirnov and Anderson-Darling statistics;
	// KSP and ADP their parametric-bootstrap p-values (refitting each
	// resample, so they account for the estimated parameters).
	KS  float64 `json:"ks"`
	KSP float64 `json:"ks_p"`
	AD  float64 `json:"ad"`
	ADP float64 `json:"ad_p"`
	// Refits is how many bootstrap resamples were refitted (the
	// p-values' denominator less one); resamples whose refit failed are
	// left out and counted in Warnings.
	Refits  int               `json:"bootstrap_refits"`
	Snippet string            `json:"snippet"`
	Dist    dist.Distribution `json:"-"`
	// Warnings about this fit: missing standard errors, failed refits.
	Warnings []string `json:"warnings,omitempty"`
}

// Report is the result of fitting every family to one data set.
type Report struct {
	N        int      `json:"n"`
	Fits     []Fit    `json:"fits"`
	Warnings []string `json:"warnings"`
}

// family describes a parametric family for maximum likelihood.
type family struct {
	names []string
	// start guesses parameters from data; toTheta maps them to an
	// unconstrained vector, fromTheta back.
	start     func(x []float64) []float64
	toTheta   func(p []float64) []float64
	fromTheta func(t []float64) []float64
	logpdf    func(p []float64, x float64) float64
	build     func(p []float64) (dist.Distribution, error)
	// cdf, if set, is build(p).CDF without the sampling tables build
	// makes (a bootstrap refit needs only the CDF); it fails where build
	// fails.
	cdf     func(p []float64) (func(float64) float64, error)
	snippet func(p []float64) string
	// closed, if set, gives the MLE directly.
	closed func(x []float64) []float64
}

// cdfOf is the CDF of the family's distribution at parameters p.
func (f family) cdfOf(p []float64) (func(float64) float64, error) {
	if f.cdf != nil {
		return f.cdf(p)
	}
	d, err := f.build(p)
	if err != nil {
		return nil, err
	}
	return d.CDF, nil
}

func logs(t []float64) []float64 {
	o := make([]float64, len(t))
	for i, v := range t {
		o[i] = math.Log(v)
	}
	return o
}
func exps(t []float64) []float64 {
	o := make([]float64, len(t))
	for i, v := range t {
		o[i] = math.Exp(v)
	}
	return o
}

func meanVar(x []float64) (m, v float64) {
	for _, xi := range x {
		m += xi
	}
	m /= float64(len(x))
	for _, xi := range x {
		v += (xi - m) * (xi - m)
	}
	return m, v / float64(len(x))
}

func families(lo, hi float64) map[string]family {
	return map[string]family{
		"normal": {names: []string{"mean", "sd"},
			closed: func(x []float64) []float64 { m, v := meanVar(x); return []float64{m, math.Sqrt(v)} },
			logpdf: func(p []float64, x float64) float64 { return distuv.Normal{Mu: p[0], Sigma: p[1]}.LogProb(x) },
			build:  func(p []float64) (dist.Distribution, error) { return dist.NewNormal(p[0], p[1]) },
			snippet: func(p []float64) string {
				return fmt.Sprintf("{dist: normal, mean: %.6g, sd: %.6g}", p[0], p[1])
			}},
		"lognormal": {names: []string{"mu", "sigma"},
			closed: func(x []float64) []float64 { m, v := meanVar(logs(x)); return []float64{m, math.Sqrt(v)} },
			logpdf: func(p []float64, x float64) float64 { return distuv.LogNormal{Mu: p[0], Sigma: p[1]}.LogProb(x) },
			build:  func(p []float64) (dist.Distribution, error) { return dist.NewLogNormal(p[0], p[1]) },
			cdf: func(p []float64) (func(float64) float64, error) {
				// dist.NewLogNormal's checks; its CDF is distuv's.
				if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || !(p[1] > 0) || math.IsInf(p[1], 0) {
					return nil, fmt.Errorf("lognormal: mu %g, sigma %g", p[0], p[1])
				}
				return distuv.LogNormal{Mu: p[0], Sigma: p[1]}.CDF, nil
			},
			snippet: func(p []float64) string {
				return fmt.Sprintf("{dist: lognormal, mu: %.6g, sigma: %.6g}   # median %.6g", p[0], p[1], math.Exp(p[0]))
			}},
		"exponential": {names: []string{"rate"},
			closed: func(x []float64) []float64 { m, _ := meanVar(x); return []float64{1 / m} },
			logpdf: func(p []float64, x float64) float64 { return distuv.Exponential{Rate: p[0]}.LogProb(x) },
			build:  func(p []float64) (dist.Distribution, error) { return dist.NewGamma(1, p[0]) },
			snippet: func(p []float64) string {
				return fmt.Sprintf("{dist: gamma, shape: 1, rate: %.6g}   # exponential", p[0])
			}},
		"gamma": {names: []string{"shape", "rate"},
			start: func(x []float64) []float64 {
				m, v := meanVar(x)
				return []float64{m * m / v, m / v}
			},
			toTheta: logs, fromTheta: exps,
			logpdf: func(p []float64, x float64) float64 { return distuv.Gamma{Alpha: p[0], Beta: p[1]}.LogProb(x) },
			build:  func(p []float64) (dist.Distribution, error) { return dist.NewGamma(p[0], p[1]) },
			snippet: func(p []float64) string {
				return fmt.Sprintf("{dist: gamma, shape: %.6g, rate: %.6g}", p[0], p[1])
			}},
		"weibull": {names: []string{"shape", "scale"},
			start: func(x []float64) []float64 {
				m, v := meanVar(logs(x))
				k := 1.2825 / math.Sqrt(v) // pi/sqrt(6) / sd(log x)
				return []float64{k, math.Exp(m + 0.5772/k)}
			},
			toTheta: logs, fromTheta: exps,
			logpdf: func(p []float64, x float64) float64 { return distuv.Weibull{K: p[0], Lambda: p[1]}.LogProb(x) },
			build: func(p []float64) (dist.Distribution, error) {
				return weibull{distuv.Weibull{K: p[0], Lambda: p[1]}}, nil
			},
			snippet: func(p []float64) string {
				return fmt.Sprintf("# no weibull family in scenarios; its quantiles: {dist: metalog, p10: %.6g, p50: %.6g, p90: %.6g, lower: 0}",
					distuv.Weibull{K: p[0], Lambda: p[1]}.Quantile(0.1), distuv.Weibull{K: p[0], Lambda: p[1]}.Quantile(0.5), distuv.Weibull{K: p[0], Lambda: p[1]}.Quantile(0.9))
			}},
		"beta": {names: []string{"alpha", "beta"},
			start: func(x []float64) []float64 {
				u := make([]float64, len(x))
				for i, v := range x {
					u[i] = (v - lo) / (hi - lo)
				}
				m, v := meanVar(u)
				c := math.Max(m*(1-m)/v-1, 0.5)
				return []float64{m * c, (1 - m) * c}
			},
			toTheta: logs, fromTheta: exps,
			logpdf: func(p []float64, x float64) float64 {
				return distuv.Beta{Alpha: p[0], Beta: p[1]}.LogProb((x-lo)/(hi-lo)) - math.Log(hi-lo)
			},
			build: func(p []float64) (dist.Distribution, error) { return dist.NewBeta(p[0], p[1], lo, hi) },
			snippet: func(p []float64) string {
				return fmt.Sprintf("{dist: beta, alpha: %.6g, beta: %.6g, min: %.6g, max: %.6g}", p[0], p[1], lo, hi)
			}},
		"lognormal_mixture": {names: []string{"weight1", "mu1", "sigma1", "mu2", "sigma2"},
			closed: emLogMixture,
			logpdf: func(p []float64, x float64) float64 {
				a := p[0] * math.Exp(distuv.LogNormal{Mu: p[1], Sigma: p[2]}.LogProb(x))
				b := (1 - p[0]) * math.Exp(distuv.LogNormal{Mu: p[3], Sigma: p[4]}.LogProb(x))
				return math.Log(a + b)
			},
			build: func(p []float64) (dist.Distribution, error) {
				a, err := dist.NewLogNormal(p[1], p[2])
				if err != nil {
					return nil, err
				}
				b, err := dist.NewLogNormal(p[3], p[4])
				if err != nil {
					return nil, err
				}
				return dist.NewMixture([]dist.Distribution{a, b}, []float64{p[0], 1 - p[0]})
			},
			snippet: func(p []float64) string {
				return fmt.Sprintf("{dist: mixture, weights: [%.6g, %.6g], components: [{dist: lognormal, mu: %.6g, sigma: %.6g}, {dist: lognormal, mu: %.6g, sigma: %.6g}]}",
					p[0], 1-p[0], p[1], p[2], p[3], p[4])
			}},
	}
}

// weibull adapts distuv.Weibull (gonum has the family; scenarios do not).
type weibull struct{ d distuv.Weibull }

// Sample draws one value using r.
func (w weibull) Sample(r *rand.Rand) float64 { return w.d.Quantile(r.Float64()) }

// Quantile returns the value with CDF equal to p.
func (w weibull) Quantile(p float64) float64 { return w.d.Quantile(p) }

// CDF returns P(X <= x).
func (w weibull) CDF(x float64) float64 { return w.d.CDF(x) }

// Mean returns E[X].
func (w weibull) Mean() float64 { return w.d.Mean() }

// emLogMixture fits a two-component normal mixture to log x by EM
// (Dempster, Laird and Rubin 1977), the lower and upper thirds as starting
// components; 1,000 iterations at most.
func emLogMixture(x []float64) []float64 {
	y := logs(x)
	s := append([]float64(nil), y...)
	sort.Float64s(s)
	n := len(s)
	m1, _ := meanVar(s[:max(2, n/3)])
	m2, _ := meanVar(s[n-max(2, n/3):])
	_, v := meanVar(s)
	p := []float64{0.5, m1, math.Sqrt(v) / 2, m2, math.Sqrt(v) / 2}
	r := make([]float64, n)
	prev := math.Inf(-1)
	for it := 0; it < 1000; it++ {
		ll := 0.0
		for i, yi := range y {
			a := p[0] * distuv.Normal{Mu: p[1], Sigma: p[2]}.Prob(yi)
			b := (1 - p[0]) * distuv.Normal{Mu: p[3], Sigma: p[4]}.Prob(yi)
			r[i] = a / (a + b)
			ll += math.Log(a + b)
		}
		var w, s1, s2 float64
		for i, yi := range y {
			w += r[i]
			s1 += r[i] * yi
			s2 += (1 - r[i]) * yi
		}
		w2 := float64(n) - w
		if w < 1e-9 || w2 < 1e-9 {
			break
		}
		mu1, mu2 := s1/w, s2/w2
		var q1, q2 float64
		for i, yi := range y {
			q1 += r[i] * (yi - mu1) * (yi - mu1)
			q2 += (1 - r[i]) * (yi - mu2) * (yi - mu2)
		}
		floor := 1e-3 * math.Sqrt(v)
		p = []float64{w / float64(n), mu1, math.Max(math.Sqrt(q1/w), floor), mu2, math.Max(math.Sqrt(q2/w2), floor)}
		if math.Abs(ll-prev) < 1e-10*math.Abs(ll) {
			break
		}
		prev = ll
	}
	if p[1] > p[3] { // body first, tail second
		p = []float64{1 - p[0], p[3], p[4], p[1], p[2]}
	}
	return p
}

func negLogLik(f family, x []float64) func(p []float64) float64 {
	return func(p []float64) float64 {
		s := 0.0
		for _, xi := range x {
			s -= f.logpdf(p, xi)
		}
		if math.IsNaN(s) {
			return math.Inf(1)
		}
		return s
	}
}

// mle returns the maximum-likelihood parameters. A numerical fit whose
// optimiser stops for any reason other than convergence (an iteration
// limit, a failure) is an error, as is a non-finite optimum.
// Once ctx is done every evaluation is +Inf, so the optimiser stops at
// once (a fit on millions of values otherwise ran for a minute after
// Ctrl-C).
func mle(ctx context.Context, f family, x []float64) ([]float64, error) {
	var p []float64
	if f.closed != nil {
		p = f.closed(x)
	} else {
		nll := negLogLik(f, x)
		obj := func(t []float64) float64 {
			if ctx.Err() != nil {
				return math.Inf(1)
			}
			return nll(f.fromTheta(t))
		}
		res, err := optimize.Minimize(optimize.Problem{Func: obj}, f.toTheta(f.start(x)), &optimize.Settings{MajorIterations: 2000}, &optimize.NelderMead{})
		if res == nil {
			return nil, fmt.Errorf("the optimiser failed: %v", err)
		}
		if err != nil || !converged(res.Status) {
			return nil, fmt.Errorf("the optimiser did not converge (%v)", res.Status)
		}
		p = f.fromTheta(res.X)
	}
	for _, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("the fitted parameters are not finite (%v)", p)
		}
	}
	return p, nil
}

// converged reports whether an optimize status means a converged optimum.
func converged(s optimize.Status) bool {
	switch s {
	case optimize.Success, optimize.FunctionConvergence, optimize.GradientThreshold,
		optimize.StepConvergence, optimize.MethodConverge, optimize.FunctionThreshold:
		return true
	}
	return false
}

// seStep is the finite-difference step of standardErrors' second pass, in
// units of each parameter's standard error: there the log-likelihood's
// curvature is about 1, so the truncation error (order seStep^2) and the
// rounding error (order 1e-16 |loglik| / seStep^2) are both below 1e-6
// for any sample this package fits.
const seStep = 1e-2

// standardErrors inverts the observed information at p. The Hessian is
// taken in scaled coordinates p_i + s_i d_i, so that the step is relative
// to each parameter rather than absolute: first s_i = |p_i| (1 where p_i is
// 0) with a step of 1e-4, then s_i = the first pass's standard error with
// a step of seStep. An absolute step (gonum's default, about 1e-4) is
// meaningless for data in the hundreds of thousands: it gave NaN for
// values near 5e5 and an exponential rate's SE 36 times too large. NaN
// where the information is not positive definite.
func standardErrors(f family, x, p []float64) []float64 {
	k := len(p)
	nll := negLogLik(f, x)
	pass := func(scale []float64, step float64) []float64 {
		q := make([]float64, k)
		g := func(d []float64) float64 {
			for i := range q {
				q[i] = p[i] + scale[i]*d[i]
			}
			return nll(q)
		}
		h := mat.NewSymDense(k, nil)
		fd.Hessian(h, g, make([]float64, k), &fd.Settings{Formula: fd.Central, Step: step})
		se := make([]float64, k)
		var ch mat.Cholesky
		var inv mat.SymDense
		if !ch.Factorize(h) || ch.InverseTo(&inv) != nil {
			for i := range se {
				se[i] = math.NaN()
			}
			return se
		}
		for i := range se {
			se[i] = scale[i] * math.Sqrt(inv.At(i, i))
		}
		return se
	}
	scale := make([]float64, k)
	for i, v := range p {
		scale[i] = math.Abs(v)
		if scale[i] == 0 {
			scale[i] = 1
		}
	}
	se := pass(scale, 1e-4)
	for _, v := range se {
		if !(v > 0) || math.IsInf(v, 0) {
			return se
		}
	}
	return pass(se, seStep)
}

// ksAD returns the KS and Anderson-Darling statistics of sorted data s
// against cdf.
func ksAD(s []float64, cdf func(float64) float64) (ks, ad float64) {
	n := float64(len(s))
	for i, x := range s {
		f := cdf(x)
		ks = math.Max(ks, math.Max(f-float64(i)/n, float64(i+1)/n-f))
	}
	for i := range s {
		fi := math.Min(math.Max(cdf(s[i]), 1e-300), 1-1e-16)
		fj := math.Min(math.Max(cdf(s[len(s)-1-i]), 1e-300), 1-1e-16)
		ad += float64(2*i+1) * (math.Log(fi) + math.Log1p(-fj))
	}
	ad = -n - ad/n
	return ks, ad
}

// FitData fits every requested family that the data allow.
func FitData(x []float64, opt FitOptions) (*Report, error) {
	if len(x) < 3 {
		return nil, fmt.Errorf("too few points to fit a distribution (got %d, need at least 3)", len(x))
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("value %d is %v: every value must be a finite number", i+1, v)
		}
	}
	if _, v := meanVar(x); v == 0 {
		return nil, errors.New("all values are equal: there is no spread to fit")
	}
	names := opt.Families
	if len(names) == 0 {
		names = Families
	}
	nb := opt.Bootstrap
	if nb == 0 {
		nb = 200
	}
	fams := families(opt.Lower, opt.Upper)
	rep := &Report{N: len(x), Warnings: []string{}}
	positive := true
	inRange := opt.HasRange
	for _, v := range x {
		positive = positive && v > 0
		inRange = inRange && v > opt.Lower && v < opt.Upper
	}
	sorted := append([]float64(nil), x...)
	sort.Float64s(sorted)
	explicit := len(opt.Families) > 0
	var errs []error
	for _, name := range names {
		f, ok := fams[name]
		if !ok {
			return nil, fmt.Errorf("unknown family %q (use %s)", name, strings.Join(Families, ", "))
		}
		skip := ""
		switch {
		case name != "normal" && name != "beta" && !positive:
			skip = fmt.Sprintf("%s needs positive values", name)
		case name == "beta" && !opt.HasRange:
			skip = "beta needs a range (--lower and --upper)"
		case name == "beta" && !inRange:
			skip = fmt.Sprintf("beta: values must lie strictly inside [%g, %g]", opt.Lower, opt.Upper)
		case name == "lognormal_mixture" && len(x) < 10:
			skip = "lognormal_mixture needs at least 10 points"
		}
		if skip != "" {
			if explicit {
				errs = append(errs, errors.New(skip))
			} else {
				rep.Warnings = append(rep.Warnings, "skipped "+skip)
			}
			continue
		}
		ctx := opt.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fit, err := fitOne(ctx, name, f, x, sorted, nb, opt.Seed)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		rep.Fits = append(rep.Fits, *fit)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(rep.Fits) == 0 {
		return nil, errors.New("no family could be fitted to these data")
	}
	sort.SliceStable(rep.Fits, func(i, j int) bool { return rep.Fits[i].AIC < rep.Fits[j].AIC })
	if len(x) < 20 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("only %d points: too few to tell families apart; prefer the family the evidence argues for, not the best AIC", len(x)))
	}
	if len(rep.Fits) > 1 && rep.Fits[1].AIC-rep.Fits[0].AIC < 2 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s and %s are within 2 AIC of each other: the data do not distinguish them", rep.Fits[0].Family, rep.Fits[1].Family))
	}
	return rep, nil
}

// fitOne fits one family by maximum likelihood with a parametric bootstrap
// of nb resamples; it returns ctx's error once ctx is done (checked in the
// optimiser and before every resample).
func fitOne(ctx context.Context, name string, f family, x, sorted []float64, nb int, seed uint64) (*Fit, error) {
	p, err := mle(ctx, f, x)
	if err != nil {
		return nil, err
	}
	d, err := f.build(p)
	if err != nil {
		return nil, err
	}
	ll := -negLogLik(f, x)(p)
	if math.IsInf(ll, 0) || math.IsNaN(ll) {
		return nil, errors.New("the likelihood is not finite at the fit")
	}
	k, n := float64(len(p)), float64(len(x))
	fit := &Fit{Family: name, Params: map[string]float64{}, SE: map[string]float64{}, LogLik: ll,
		AIC: 2*k - 2*ll, BIC: k*math.Log(n) - 2*ll, Dist: d, Snippet: tidy(f.snippet(p))}
	se := standardErrors(f, x, p)
	var noSE []string
	for i, nm := range f.names {
		fit.Params[nm] = p[i]
		fit.SE[nm] = se[i]
		if math.IsNaN(se[i]) {
			noSE = append(noSE, nm)
		}
	}
	if len(noSE) > 0 {
		fit.Warnings = append(fit.Warnings, fmt.Sprintf("no standard error for %s: the observed information is not positive definite at the fit", strings.Join(noSE, ", ")))
	}
	fit.KS, fit.AD = ksAD(sorted, d.CDF)
	// Parametric bootstrap: simulate from the fit, refit, recompute.
	r := rand.New(rand.NewPCG(seed, 0xf17))
	y := make([]float64, len(x))
	geKS, geAD, refits := 0, 0, 0
	for b := 0; b < nb; b++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i := range y {
			y[i] = d.Sample(r)
		}
		sort.Float64s(y)
		pb, err := mle(ctx, f, y)
		if err != nil {
			continue
		}
		cdf, err := f.cdfOf(pb)
		if err != nil {
			continue
		}
		// Only resamples that were refitted count, in the numerator and
		// the denominator alike: counting a failed refit in the
		// denominator alone biased the p-values.
		refits++
		ks, ad := ksAD(y, cdf)
		if ks >= fit.KS {
			geKS++
		}
		if ad >= fit.AD {
			geAD++
		}
	}
	fit.Refits = refits
	fit.KSP = float64(geKS+1) / float64(refits+1)
	fit.ADP = float64(geAD+1) / float64(refits+1)
	if refits < nb {
		fit.Warnings = append(fit.Warnings, fmt.Sprintf("%d of %d bootstrap refits failed; the p-values use the %d that succeeded", nb-refits, nb, refits))
	}
	return fit, nil
}
