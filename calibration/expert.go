package calibration

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/notation"
)

// Quantile is one elicited point: the value at a percentile level in (0, 1).
type Quantile struct {
	P float64 `json:"level"`
	V float64 `json:"value"`
}

// ParseQuantiles reads "10:6m,50:9m,90:25m" (percentile:value).
func ParseQuantiles(s string) ([]Quantile, error) {
	var qs []Quantile
	for _, part := range strings.Split(s, ",") {
		lv, val, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("quantile %q: expected PERCENTILE:VALUE, e.g. 10:6m", part)
		}
		p, err := notation.ParseAmount(lv)
		if err != nil || !(p > 0 && p < 100) {
			return nil, fmt.Errorf("quantile %q: the percentile must be a number strictly between 0 and 100", part)
		}
		v, err := notation.ParseAmount(val)
		if err != nil {
			return nil, fmt.Errorf("quantile %q: %v", part, err)
		}
		qs = append(qs, Quantile{p / 100, v})
	}
	sort.Slice(qs, func(i, j int) bool { return qs[i].P < qs[j].P })
	for i := 1; i < len(qs); i++ {
		if qs[i].P == qs[i-1].P {
			return nil, fmt.Errorf("percentile %g given twice", 100*qs[i].P)
		}
		if !(qs[i].V > qs[i-1].V) {
			return nil, fmt.Errorf("quantiles must increase: P%g = %g is not above P%g = %g", 100*qs[i].P, qs[i].V, 100*qs[i-1].P, qs[i-1].V)
		}
	}
	if len(qs) < 2 {
		return nil, errors.New("give at least two quantiles")
	}
	return qs, nil
}

// Judgement is one distribution built from elicited quantiles, with how far
// it misses the points it was not fitted through exactly.
type Judgement struct {
	Family  string `json:"family"`
	Snippet string `json:"snippet"`
	// MaxError is the largest |Quantile(p) - v| / v over the elicited points.
	MaxError float64           `json:"max_relative_error"`
	Note     string            `json:"note,omitempty"`
	Dist     dist.Distribution `json:"-"`
}

// FromQuantiles turns elicited quantiles into candidate distributions:
// lognormal (values positive) and normal through the outermost two points;
// a metalog through all of them (three to five), bounded below when lower is
// given. Invalid candidates are reported with the reason instead.
func FromQuantiles(qs []Quantile, lower float64, bounded bool) ([]Judgement, []string) {
	var out []Judgement
	var notes []string
	lo, hi := qs[0], qs[len(qs)-1]
	check := func(j *Judgement) {
		for _, q := range qs {
			if e := math.Abs(j.Dist.Quantile(q.P)-q.V) / math.Max(math.Abs(q.V), 1e-12); e > j.MaxError {
				j.MaxError = e
			}
		}
	}
	// Levels and values exactly as given: %g wrote a level of 1e-7 as
	// "p1e-05" (not a key) and %.6g two close values alike (p10 equal to
	// p90), both invalid snippets.
	pct := func(p float64) string { return "p" + strconv.FormatFloat(100*p, 'f', -1, 64) }
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if lo.V > 0 {
		if d, err := dist.LogNormalFromQuantiles(lo.P, lo.V, hi.P, hi.V); err == nil {
			j := Judgement{Family: "lognormal", Dist: d, Snippet: fmt.Sprintf("{dist: lognormal, %s: %s, %s: %s}", pct(lo.P), num(lo.V), pct(hi.P), num(hi.V))}
			check(&j)
			out = append(out, j)
		}
	}
	za, zb := math.Sqrt2*math.Erfinv(2*lo.P-1), math.Sqrt2*math.Erfinv(2*hi.P-1)
	sd := (hi.V - lo.V) / (zb - za)
	if d, err := dist.NewNormal(lo.V-za*sd, sd); err == nil {
		j := Judgement{Family: "normal", Dist: d, Snippet: fmt.Sprintf("{dist: normal, %s: %s, %s: %s}", pct(lo.P), num(lo.V), pct(hi.P), num(hi.V))}
		check(&j)
		out = append(out, j)
	}
	if len(qs) >= 3 && len(qs) <= 5 {
		ps, xs := make([]float64, len(qs)), make([]float64, len(qs))
		var keys []string
		for i, q := range qs {
			ps[i], xs[i] = q.P, q.V
			keys = append(keys, fmt.Sprintf("%s: %s", pct(q.P), num(q.V)))
		}
		if bounded {
			keys = append(keys, fmt.Sprintf("lower: %s", num(lower)))
		}
		m, err := dist.NewMetalog(ps, xs, lower, bounded)
		if err != nil {
			notes = append(notes, err.Error())
		} else {
			j := Judgement{Family: "metalog", Dist: m, Snippet: "{dist: metalog, " + strings.Join(keys, ", ") + "}"}
			check(&j)
			out = append(out, j)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].MaxError < out[j].MaxError })
	for i := range out {
		out[i].Snippet = tidy(out[i].Snippet)
	}
	return out, notes
}

// eNumber matches a number in e-notation (compiled on first use).
var eNumber = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`-?[0-9.]+e[+-][0-9]+`) })

// tidy rewrites numbers in e-notation (6e+06) as plain numbers (6000000)
// so that snippets read as users write scenarios.
func tidy(s string) string {
	return eNumber().ReplaceAllStringFunc(s, func(m string) string {
		f, err := strconv.ParseFloat(m, 64)
		if err != nil || math.Abs(f) < 1 {
			return m
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	})
}

// FromThreePoints returns the PERT (lambda 4) for minimum, most likely and
// maximum values.
func FromThreePoints(min, mode, max float64) (Judgement, error) {
	d, err := dist.NewPERT(min, mode, max, dist.PERTLambda)
	if err != nil {
		return Judgement{}, err
	}
	return Judgement{Family: "pert", Dist: d, Snippet: tidy(fmt.Sprintf("{dist: pert, min: %.6g, mode: %.6g, max: %.6g}", min, mode, max))}, nil
}
