package notation

import (
	"errors"
	"fmt"
	"github.com/devolve-lgr/devolve/model/dist"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/suggest"
)

// ParseAmount reads a number written as a user would: 1200000, "1,200,000",
// "£1.2m", "450k", "2.5bn", "-£3m", "15%" (= 0.15). A comma is read only as
// a thousands separator, between groups of three digits before any decimal
// point ("1,500", "1,200.5"); any other comma ("2,5%", "5,5m": a decimal
// comma?) is an error, never silently dropped. It returns an error for
// anything else, including NaN and infinities.
func ParseAmount(s string) (float64, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	if strings.Contains(t, ",") {
		if !thousandsRE().MatchString(t) {
			return 0, fmt.Errorf("cannot read %q as an amount: a comma may only separate thousands (1,500 or 1,200,000); write a decimal point (2.5, not 2,5)", s)
		}
		t = strings.ReplaceAll(t, ",", "")
	}
	t = strings.ReplaceAll(t, "_", "")
	neg := false
	if strings.HasPrefix(t, "-") {
		neg, t = true, strings.TrimSpace(t[1:])
	}
	t = strings.TrimPrefix(t, "£")
	mult := 1.0
	for _, suf := range []struct {
		s string
		m float64
	}{{"bn", 1e9}, {"b", 1e9}, {"m", 1e6}, {"k", 1e3}, {"%", 0.01}} {
		if strings.HasSuffix(t, suf.s) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, suf.s)), suf.m
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || t == "" || strings.ContainsAny(t, "naif") {
		return 0, fmt.Errorf("cannot read %q as an amount (expected e.g. 1200000, \"£1.2m\", \"450k\" or \"15%%\")", s)
	}
	v *= mult
	if neg {
		v = -v
	}
	return v, nil
}

// Number converts a scalar from a parsed scenario (int, float or amount
// string) to a finite float64.
func Number(v any) (float64, error) {
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case uint64:
		f = float64(x)
	case float64:
		f = x
	case float32:
		f = float64(x)
	case string:
		return ParseAmount(x)
	default:
		return 0, fmt.Errorf("expected a number, got %s", describe(v))
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("must be a finite number (got %v)", f)
	}
	return f, nil
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case map[string]any:
		return "a map"
	case []any:
		return "a list"
	case bool:
		return "a true/false value"
	}
	return fmt.Sprintf("%T", v)
}

// thousandsRE matches an amount whose commas all separate thousands: an
// optional sign and pound sign, 1 to 3 digits, then groups of a comma and
// three digits, then anything without a comma (a decimal part, a suffix).
// Compiled on first use, as are rangeRE and pctKey: start-up is paid by
// every command.
var thousandsRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^-?\s*£?\s*[0-9]{1,3}(,[0-9]{3})+([^,0-9][^,]*)?$`)
})

var rangeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(.+?)\s+to\s+(.+?)\s*$`) })

// Families lists the names accepted for the "dist" key.
var Families = []string{"fixed", "uniform", "uniform_int", "triangular", "pert", "normal",
	"lognormal", "beta", "gamma", "pareto", "bernoulli", "discrete", "mixture", "metalog"}

// Resolver looks up a named reference distribution ({reference: name}); it
// may be nil, in which case references are an error.
type Resolver func(name string) (dist.Distribution, error)

// FromSpec builds a distribution from the scenario notation: a bare number or
// amount string (a fixed value), a range string "15m to 45m" (lognormal with
// those 5th and 95th percentiles, or normal when the low end is not positive),
// or a map with a "dist" key and the family's parameters. Errors name the key
// relative to the spec, e.g. "p95: must be greater than p5".
func FromSpec(v any, ref Resolver) (dist.Distribution, error) {
	d, err := fromSpec(v, ref)
	if err != nil {
		return nil, err
	}
	if err := dist.CheckPlausible(d); err != nil {
		return nil, err
	}
	return d, nil
}

func fromSpec(v any, ref Resolver) (dist.Distribution, error) {
	switch x := v.(type) {
	case string:
		if m := rangeRE().FindStringSubmatch(x); m != nil {
			lo, err := ParseAmount(m[1])
			if err != nil {
				return nil, err
			}
			hi, err := ParseAmount(m[2])
			if err != nil {
				return nil, err
			}
			if !(hi > lo) {
				return nil, fmt.Errorf("range %q: upper end must be greater than lower end", x)
			}
			if lo > 0 {
				return dist.LogNormalFromQuantiles(0.05, lo, 0.95, hi)
			}
			return dist.NormalFrom90(lo, hi)
		}
		f, err := ParseAmount(x)
		if err != nil {
			return nil, err
		}
		return dist.NewFixed(f)
	case map[string]any:
		return fromMap(x, ref)
	case nil:
		return nil, errors.New("missing value (expected a number or a distribution)")
	}
	f, err := Number(v)
	if err != nil {
		return nil, err
	}
	return dist.NewFixed(f)
}

var pctKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^p(\d{1,2}(\.\d+)?)$`) })

// specKeys are the keys allowed in a distribution map, by family.
var specKeys = map[string][]string{
	"fixed":       {"value"},
	"uniform":     {"min", "max"},
	"uniform_int": {"min", "max"},
	"triangular":  {"min", "mode", "max"},
	"pert":        {"min", "mode", "max", "lambda"},
	"normal":      {"mean", "sd", "pXX"},
	"lognormal":   {"mu", "sigma", "median", "pXX"},
	"beta":        {"alpha", "beta", "min", "max"},
	"gamma":       {"shape", "rate", "scale"},
	"pareto":      {"min", "alpha"},
	"metalog":     {"pXX", "median", "lower"},
	"bernoulli":   {"p"},
	"discrete":    {"values", "weights"},
	"mixture":     {"components", "weights"},
}

var commonKeys = []string{"dist", "truncate", "shift", "reference"}

func fromMap(m map[string]any, ref Resolver) (dist.Distribution, error) {
	if r, ok := m["reference"]; ok {
		name, _ := r.(string)
		if ref == nil || name == "" {
			return nil, fielderr.New("reference", "no reference distributions are available here")
		}
		d, err := ref(name)
		if err != nil {
			return nil, fielderr.Wrap("reference", err)
		}
		return d, nil
	}
	fam, _ := m["dist"].(string)
	fam = strings.ToLower(fam)
	allowed, ok := specKeys[fam]
	if !ok {
		if _, has := m["dist"]; !has {
			return nil, fielderr.New("dist", "missing (one of %s)", strings.Join(Families, ", "))
		}
		return nil, fielderr.New("dist", "unknown family %q%s", m["dist"], suggest.Hint(fam, Families))
	}
	var errs []error
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	known := append(append([]string{}, allowed...), commonKeys...)
	for _, k := range keys {
		if contains(known, k) || (contains(allowed, "pXX") && pctKey().MatchString(k)) {
			continue
		}
		errs = append(errs, fielderr.New(k, "unknown key for dist %s%s", fam, suggest.Hint(k, known)))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	num := func(k string) (float64, bool, error) {
		v, ok := m[k]
		if !ok {
			return 0, false, nil
		}
		f, err := Number(v)
		if err != nil {
			return 0, true, fielderr.Wrap(k, err)
		}
		return f, true, nil
	}
	need := func(ks ...string) ([]float64, error) {
		out := make([]float64, len(ks))
		for i, k := range ks {
			f, ok, err := num(k)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fielderr.New(k, "missing (dist %s needs %s)", fam, strings.Join(ks, ", "))
			}
			out[i] = f
		}
		return out, nil
	}
	d, err := build(fam, m, num, need, ref)
	if err != nil {
		return nil, err
	}
	if s, ok, err := num("shift"); err != nil {
		return nil, err
	} else if ok && s != 0 {
		d = dist.Shifted{D: d, Shift: s}
	}
	if tr, ok := m["truncate"]; ok {
		lst, isList := tr.([]any)
		if !isList || len(lst) != 2 {
			return nil, fielderr.New("truncate", "expected a list [lower, upper] (use null for no bound)")
		}
		bounds := [2]float64{math.Inf(-1), math.Inf(1)}
		for i, b := range lst {
			if b == nil {
				continue
			}
			f, err := Number(b)
			if err != nil {
				return nil, fielderr.Wrap(fmt.Sprintf("truncate[%d]", i), err)
			}
			bounds[i] = f
		}
		switch fam {
		case "fixed", "uniform_int", "bernoulli", "discrete":
			return nil, fielderr.New("truncate", "only continuous families can be truncated, not %s", fam)
		}
		return dist.NewTruncated(d, bounds[0], bounds[1])
	}
	return d, nil
}

func build(fam string, m map[string]any, num func(string) (float64, bool, error), need func(...string) ([]float64, error), ref Resolver) (dist.Distribution, error) {
	switch fam {
	case "fixed":
		p, err := need("value")
		if err != nil {
			return nil, err
		}
		return dist.NewFixed(p[0])
	case "uniform":
		p, err := need("min", "max")
		if err != nil {
			return nil, err
		}
		return dist.NewUniform(p[0], p[1])
	case "uniform_int":
		p, err := need("min", "max")
		if err != nil {
			return nil, err
		}
		if p[0] != math.Trunc(p[0]) || p[1] != math.Trunc(p[1]) {
			return nil, fielderr.New("min", "min and max must be whole numbers for uniform_int (got %g, %g)", p[0], p[1])
		}
		if math.Abs(p[0]) > dist.MaxUniformInt || math.Abs(p[1]) > dist.MaxUniformInt {
			return nil, fmt.Errorf("min, max: must be within ±%d for uniform_int (got %g, %g)", dist.MaxUniformInt, p[0], p[1])
		}
		return dist.NewUniformInt(int(p[0]), int(p[1]))
	case "triangular":
		p, err := need("min", "mode", "max")
		if err != nil {
			return nil, err
		}
		return dist.NewTriangular(p[0], p[1], p[2])
	case "pert":
		p, err := need("min", "mode", "max")
		if err != nil {
			return nil, err
		}
		lambda, ok, err := num("lambda")
		if err != nil {
			return nil, err
		}
		if !ok {
			lambda = dist.PERTLambda
		}
		return dist.NewPERT(p[0], p[1], p[2], lambda)
	case "normal":
		if _, ok := m["mean"]; ok {
			p, err := need("mean", "sd")
			if err != nil {
				return nil, err
			}
			return dist.NewNormal(p[0], p[1])
		}
		qs, err := percentiles(m, 2)
		if err != nil {
			return nil, err
		}
		za, zb := zOf(qs[0].p), zOf(qs[1].p)
		sigma := (qs[1].v - qs[0].v) / (zb - za)
		return dist.NewNormal(qs[0].v-za*sigma, sigma)
	case "lognormal":
		if _, ok := m["mu"]; ok {
			p, err := need("mu", "sigma")
			if err != nil {
				return nil, err
			}
			return dist.NewLogNormal(p[0], p[1])
		}
		qs, err := percentiles(m, 2)
		if err != nil {
			return nil, err
		}
		return dist.LogNormalFromQuantiles(qs[0].p, qs[0].v, qs[1].p, qs[1].v)
	case "beta":
		p, err := need("alpha", "beta")
		if err != nil {
			return nil, err
		}
		lo, okLo, err := num("min")
		if err != nil {
			return nil, err
		}
		hi, okHi, err := num("max")
		if err != nil {
			return nil, err
		}
		if !okLo {
			lo = 0
		}
		if !okHi {
			hi = 1
		}
		return dist.NewBeta(p[0], p[1], lo, hi)
	case "gamma":
		p, err := need("shape")
		if err != nil {
			return nil, err
		}
		rate, okR, err := num("rate")
		if err != nil {
			return nil, err
		}
		scale, okS, err := num("scale")
		if err != nil {
			return nil, err
		}
		switch {
		case okR && okS:
			return nil, fielderr.New("scale", "give rate or scale, not both")
		case okS:
			if !(scale > 0) {
				return nil, fielderr.New("scale", "must be positive (got %g)", scale)
			}
			rate = 1 / scale
		case !okR:
			return nil, fielderr.New("rate", "missing (dist gamma needs shape and rate or scale)")
		}
		return dist.NewGamma(p[0], rate)
	case "pareto":
		p, err := need("min", "alpha")
		if err != nil {
			return nil, err
		}
		return dist.NewPareto(p[0], p[1])
	case "metalog":
		qs, err := percentiles(m, 0)
		if err != nil {
			return nil, err
		}
		var ps, xs []float64
		for _, q := range qs {
			ps, xs = append(ps, q.p), append(xs, q.v)
		}
		lower, bounded, err := num("lower")
		if err != nil {
			return nil, err
		}
		return dist.NewMetalog(ps, xs, lower, bounded)
	case "bernoulli":
		p, err := need("p")
		if err != nil {
			return nil, err
		}
		return dist.NewBernoulli(p[0])
	case "discrete":
		vals, err := numList(m, "values")
		if err != nil {
			return nil, err
		}
		ws, err := numList(m, "weights")
		if err != nil {
			return nil, err
		}
		return dist.NewDiscrete(vals, ws)
	case "mixture":
		lst, ok := m["components"].([]any)
		if !ok || len(lst) == 0 {
			return nil, fielderr.New("components", "expected a non-empty list of distributions")
		}
		comps := make([]dist.Distribution, len(lst))
		var errs []error
		for i, c := range lst {
			d, err := FromSpec(c, ref)
			if err != nil {
				errs = append(errs, fielderr.Under(fmt.Sprintf("components[%d]", i), err))
				continue
			}
			comps[i] = d
		}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		ws, err := numList(m, "weights")
		if err != nil {
			return nil, err
		}
		return dist.NewMixture(comps, ws)
	}
	return nil, fmt.Errorf("dist: unknown family %q", fam)
}

type quantilePoint struct {
	p, v float64
	key  string // as written
}

// percentiles returns the pXX (and median) keys of m, sorted by level,
// checking each value and level; n > 0 requires exactly n of them,
// increasing.
// Keys are read in sorted order and equal levels ("p50" and "p50.0", or
// "median" and "p50") are an error, so the message is the same every run.
func percentiles(m map[string]any, n int) ([]quantilePoint, error) {
	var qs []quantilePoint
	for _, key := range slices.Sorted(maps.Keys(m)) {
		v := m[key]
		k := key
		if k == "median" {
			k = "p50"
		}
		mm := pctKey().FindStringSubmatch(k)
		if mm == nil {
			continue
		}
		p, _ := strconv.ParseFloat(mm[1], 64)
		f, err := Number(v)
		if err != nil {
			return nil, fielderr.Wrap(key, err)
		}
		if !(p > 0 && p < 100) {
			return nil, fielderr.New(key, "percentile level must be strictly between 0 and 100")
		}
		qs = append(qs, quantilePoint{p / 100, f, key})
	}
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].p < qs[j].p })
	for i := 1; i < len(qs); i++ {
		if qs[i].p == qs[i-1].p {
			return nil, fielderr.New(qs[i].key, "is the same percentile level as %s: give each level once", qs[i-1].key)
		}
	}
	if n == 0 {
		return qs, nil
	}
	if len(qs) != n {
		return nil, fmt.Errorf("percentiles: give exactly %d percentiles such as p5 and p95, or the family's parameters (got %d)", n, len(qs))
	}
	if !(qs[1].v > qs[0].v) {
		return nil, fielderr.New(qs[1].key, "must be greater than %s (got %g < %g)", qs[0].key, qs[1].v, qs[0].v)
	}
	return qs, nil
}

func zOf(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

func numList(m map[string]any, key string) ([]float64, error) {
	lst, ok := m[key].([]any)
	if !ok {
		return nil, fielderr.New(key, "expected a list of numbers")
	}
	out := make([]float64, len(lst))
	for i, v := range lst {
		f, err := Number(v)
		if err != nil {
			return nil, fielderr.Wrap(fmt.Sprintf("%s[%d]", key, i), err)
		}
		out[i] = f
	}
	return out, nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
