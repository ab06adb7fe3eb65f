package calibration

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/devolve-lgr/devolve/internal/inputfile"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/notation"
	"gonum.org/v1/gonum/integrate/quad"
)

// PanelOptions configures PoolPanel; the zero value means unbounded fits.
type PanelOptions struct {
	// Lower, with Bounded, bounds every expert's metalog below (as
	// --lower does for --quantiles).
	Lower   float64
	Bounded bool
	// Context, if set, is checked before each expert's fit: once it is
	// done, PoolPanel returns its error.
	Context context.Context
}

// MaxPanelJudgements is the most (quantity, expert) judgements a panel may
// give: each is fitted on its own (a few milliseconds), and a real panel
// (tens of experts, tens of quantities) gives a few hundred.
const MaxPanelJudgements = 2000

// PanelRow is one elicited point of a panel file: an expert's value for a
// quantity at a percentile level P in (0, 1), and the expert's weight (1
// when the file has no weight column).
type PanelRow struct {
	Line     int // the row's line in the file, for messages
	Expert   string
	Quantity string
	P, V     float64
	Weight   float64
}

// MaxPanelSize is the largest panel file read, in bytes: a panel of
// hundreds of experts, quantities and percentiles is well under 1 MiB.
const MaxPanelSize = 1 << 20

// ReadPanel reads a panel CSV file: a header naming the columns expert,
// quantity, percentile and value (any order, case-insensitive) and an
// optional weight column, then one row per expert, quantity and
// percentile. Percentiles are in (0, 100); values and weights are numbers
// or amounts ("6m"). Lines starting with '#' are comments. Errors name the
// line and column.
func ReadPanel(r io.Reader) ([]PanelRow, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file: expected a header with expert, quantity, percentile, value")
	}
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("line 1: column %q given twice", h)
		}
		col[h] = i
	}
	var missing []string
	for _, k := range []string{"expert", "quantity", "percentile", "value"} {
		if _, ok := col[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("line 1: no column %s (the header must name expert, quantity, percentile, value and optionally weight; got %s)", strings.Join(missing, ", "), inputfile.Excerpt(strings.Join(head, ", ")))
	}
	wcol, hasWeight := col["weight"]
	var rows []PanelRow
	var errs []error
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		cell := func(k string) string {
			if i := col[k]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := PanelRow{Line: line, Expert: cell("expert"), Quantity: cell("quantity"), Weight: 1}
		bad := func(k, format string, a ...any) {
			errs = append(errs, fmt.Errorf("line %d, column %s: %s", line, k, fmt.Sprintf(format, a...)))
		}
		if row.Expert == "" {
			bad("expert", "empty")
		}
		if row.Quantity == "" {
			bad("quantity", "empty")
		}
		if p, err := strconv.ParseFloat(strings.TrimSuffix(cell("percentile"), "%"), 64); err != nil || !(p > 0 && p < 100) {
			bad("percentile", "must be a number strictly between 0 and 100 (got %q)", cell("percentile"))
		} else {
			row.P = p / 100
		}
		if v, err := notation.ParseAmount(cell("value")); err != nil {
			bad("value", "%v", err)
		} else if math.IsNaN(v) || math.IsInf(v, 0) {
			bad("value", "must be finite (got %q)", cell("value"))
		} else {
			row.V = v
		}
		if hasWeight {
			s := ""
			if wcol < len(rec) {
				s = strings.TrimSpace(rec[wcol])
			}
			if w, err := strconv.ParseFloat(s, 64); err != nil || !(w >= 0) || math.IsInf(w, 0) {
				bad("weight", "must be a non-negative number (got %q)", s)
			} else {
				row.Weight = w
			}
		}
		rows = append(rows, row)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(rows) == 0 {
		return nil, errors.New("no data rows")
	}
	return rows, nil
}

// ExpertFit is one expert's judgement of one quantity, fitted.
type ExpertFit struct {
	Expert string `json:"expert"`
	// Weight is the expert's share of the pool (the weights normalised to
	// sum to 1 over the quantity's experts).
	Weight float64 `json:"weight"`
	// Points are the expert's elicited points, by level.
	Points []Quantile `json:"points"`
	Judgement
	// P5, P50, P95, Mean and SD describe the fitted distribution.
	P5   float64 `json:"p5"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

// PooledQuantity is the linear opinion pool of a panel's judgements of one
// quantity: the mixture of the experts' fitted distributions with their
// weights (SHELF's linear pool; O'Hagan et al. 2006, Uncertain
// Judgements, §9.2), whose CDF at x is the weighted mean of the experts'
// CDFs at x.
type PooledQuantity struct {
	Quantity string      `json:"quantity"`
	Experts  []ExpertFit `json:"experts"`
	// Pool is the pooled distribution.
	Pool dist.Mixture `json:"-"`
	// P5 .. P95, Mean and SD describe the pool; Mean = sum w_i mean_i and
	// Var = sum w_i (sd_i^2 + (mean_i - Mean)^2).
	P5   float64 `json:"p5"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// BetweenShare is the share of the pool's variance that is
	// disagreement between the experts, sum w_i (mean_i - Mean)^2 / Var:
	// 0 when they agree on the mean, near 1 when each is sure and they
	// differ.
	BetweenShare float64 `json:"between_share"`
	// MedianLo and MedianHi are the lowest and highest expert medians.
	MedianLo float64 `json:"median_lo"`
	MedianHi float64 `json:"median_hi"`
	// Snippet is the pool in the scenario notation: a mixture of the
	// experts' snippets.
	Snippet string `json:"snippet"`
}

// PoolPanel groups the rows by quantity (in order of first appearance)
// and, per quantity, fits each expert's judgement and pools them. An
// expert's fit is the metalog through all their points when there are 3
// to 5 and it is a valid distribution, otherwise the candidate of
// FromQuantiles that misses their points least (with two points, the
// lognormal when they are positive, else the normal). Each expert needs at
// least two distinct increasing points per quantity and one weight; the
// weights of a quantity's experts must not all be zero.
func PoolPanel(rows []PanelRow, opt PanelOptions) ([]PooledQuantity, error) {
	type key struct{ q, e string }
	var quantities []string
	experts := map[string][]string{}
	pts := map[key][]PanelRow{}
	for _, r := range rows {
		k := key{r.Quantity, r.Expert}
		if _, ok := experts[r.Quantity]; !ok {
			quantities = append(quantities, r.Quantity)
		}
		if _, ok := pts[k]; !ok {
			experts[r.Quantity] = append(experts[r.Quantity], r.Expert)
		}
		pts[k] = append(pts[k], r)
	}
	if len(pts) > MaxPanelJudgements {
		return nil, fmt.Errorf("the panel gives %d judgements (expert and quantity pairs); at most %d are pooled", len(pts), MaxPanelJudgements)
	}
	ctx := opt.Context
	if ctx == nil {
		ctx = context.Background()
	}
	var out []PooledQuantity
	var errs []error
	for _, q := range quantities {
		pq := PooledQuantity{Quantity: q}
		var comps []dist.Distribution
		var weights []float64
		var snippets []string
		total := 0.0
		for _, e := range experts[q] {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rs := pts[key{q, e}]
			where := fmt.Sprintf("quantity %q, expert %q", q, e)
			w := rs[0].Weight
			for _, r := range rs[1:] {
				if r.Weight != w {
					errs = append(errs, fmt.Errorf("%s: line %d gives weight %g, line %d gives %g: one weight per expert", where, rs[0].Line, w, r.Line, r.Weight))
				}
			}
			qs := make([]Quantile, len(rs))
			for i, r := range rs {
				qs[i] = Quantile{r.P, r.V}
			}
			sort.SliceStable(qs, func(i, j int) bool { return qs[i].P < qs[j].P })
			if err := checkQuantiles(qs); err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", where, err))
				continue
			}
			j, err := bestJudgement(qs, opt)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", where, err))
				continue
			}
			mean, sd := momentsOf(j.Dist)
			pq.Experts = append(pq.Experts, ExpertFit{Expert: e, Weight: w, Points: qs, Judgement: j,
				P5: j.Dist.Quantile(0.05), P50: j.Dist.Quantile(0.5), P95: j.Dist.Quantile(0.95), Mean: mean, SD: sd})
			comps = append(comps, j.Dist)
			weights = append(weights, w)
			snippets = append(snippets, j.Snippet)
			total += w
		}
		if len(pq.Experts) != len(experts[q]) {
			continue
		}
		if !(total > 0) {
			errs = append(errs, fmt.Errorf("quantity %q: the experts' weights are all zero", q))
			continue
		}
		for i := range weights {
			weights[i] /= total
			pq.Experts[i].Weight = weights[i]
		}
		pool, err := dist.NewMixture(comps, weights)
		if err != nil {
			errs = append(errs, fmt.Errorf("quantity %q: %v", q, err))
			continue
		}
		pq.Pool = pool
		pq.P5, pq.P50, pq.P95 = pool.Quantile(0.05), pool.Quantile(0.5), pool.Quantile(0.95)
		var within, between float64
		for _, ef := range pq.Experts {
			pq.Mean += ef.Weight * ef.Mean
		}
		pq.MedianLo, pq.MedianHi = math.Inf(1), math.Inf(-1)
		for _, ef := range pq.Experts {
			within += ef.Weight * ef.SD * ef.SD
			between += ef.Weight * (ef.Mean - pq.Mean) * (ef.Mean - pq.Mean)
			pq.MedianLo, pq.MedianHi = math.Min(pq.MedianLo, ef.P50), math.Max(pq.MedianHi, ef.P50)
		}
		pq.SD = math.Sqrt(within + between)
		if within+between > 0 {
			pq.BetweenShare = between / (within + between)
		}
		ws := make([]string, len(weights))
		for i, w := range weights {
			// 12 significant digits: the weights still sum to 1 within
			// the scenario loader's 1e-9.
			ws[i] = strconv.FormatFloat(w, 'g', 12, 64)
		}
		pq.Snippet = "{dist: mixture, weights: [" + strings.Join(ws, ", ") + "], components: [" + strings.Join(snippets, ", ") + "]}"
		out = append(out, pq)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// checkQuantiles requires at least two points, distinct levels and
// values increasing with the level.
func checkQuantiles(qs []Quantile) error {
	if len(qs) < 2 {
		return fmt.Errorf("give at least two percentiles (got %d)", len(qs))
	}
	for i := 1; i < len(qs); i++ {
		if qs[i].P == qs[i-1].P {
			return fmt.Errorf("percentile %g given twice", 100*qs[i].P)
		}
		if !(qs[i].V > qs[i-1].V) {
			return fmt.Errorf("values must increase with the percentile: P%g = %g is not above P%g = %g", 100*qs[i].P, qs[i].V, 100*qs[i-1].P, qs[i-1].V)
		}
	}
	return nil
}

// bestJudgement is the metalog through every point when it is valid,
// otherwise FromQuantiles' closest candidate.
func bestJudgement(qs []Quantile, opt PanelOptions) (Judgement, error) {
	js, notes := FromQuantiles(qs, opt.Lower, opt.Bounded)
	for _, j := range js {
		if j.Family == "metalog" {
			return j, nil
		}
	}
	if len(js) == 0 {
		return Judgement{}, fmt.Errorf("no distribution fits these points (%s)", strings.Join(notes, "; "))
	}
	if len(qs) == 2 { // both pass exactly through two points: prefer the lognormal
		for _, j := range js {
			if j.Family == "lognormal" {
				return j, nil
			}
		}
	}
	return js[0], nil
}

// momentsOf returns the mean (d.Mean(), or from the quantile function when
// that is not finite) and the standard deviation of d from its quantile
// function, E[(X-mean)^2] = integral over (0, 1) of (Q(u)-mean)^2 du, by 64 panels of
// 20-point Gauss-Legendre in t = logit(u) on [-27.6, 27.6] (u within
// 1e-12 of the ends, where the samplers stop), plus the clamped ends'
// mass: the same rule as the metalog's mean (model/dist).
func momentsOf(d dist.Distribution) (mean, sd float64) {
	const clamp = 1e-12
	T := math.Log((1 - clamp) / clamp)
	m1 := func(t float64) float64 {
		u, u1 := 1/(1+math.Exp(-t)), 1/(1+math.Exp(t))
		return d.Quantile(u) * u * u1
	}
	const panels = 64
	integrate := func(f func(float64) float64) float64 {
		s := 0.0
		for i := 0; i < panels; i++ {
			a := -T + 2*T*float64(i)/panels
			b := -T + 2*T*float64(i+1)/panels
			s += quad.Fixed(f, a, b, 20, quad.Legendre{}, 0)
		}
		return s
	}
	lo, hi := d.Quantile(clamp), d.Quantile(1-clamp)
	mean = d.Mean()
	if math.IsNaN(mean) || math.IsInf(mean, 0) {
		mean = integrate(m1) + clamp*(lo+hi)
	}
	m2 := func(t float64) float64 {
		u, u1 := 1/(1+math.Exp(-t)), 1/(1+math.Exp(t))
		x := d.Quantile(u) - mean
		return x * x * u * u1
	}
	v := integrate(m2) + clamp*((lo-mean)*(lo-mean)+(hi-mean)*(hi-mean))
	return mean, math.Sqrt(v)
}
