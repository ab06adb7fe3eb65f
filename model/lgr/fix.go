package lgr

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// Fix returns a copy of c in which each named input is fixed at the given
// value (same units as the input: pounds, fractions, years); c itself is
// unchanged. Every other input keeps its distribution and, since each input
// draws from its own stream, the same draws for a given seed: a run of the
// copy answers "what if this input were known to be v?" on common random
// numbers. An input correlated with the fixed one (Scenario.Correlations)
// keeps its own distribution: fixing does not condition it. It returns an
// error naming every unknown input or non-finite value.
func (c *Compiled) Fix(values map[string]float64) (*Compiled, error) {
	m := *c.Model
	m.Inputs = slices.Clone(c.Model.Inputs)
	names := make([]string, 0, len(values))
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		v := values[n]
		i := slices.IndexFunc(m.Inputs, func(in engine.Input) bool { return in.Name == n })
		switch {
		case i < 0:
			errs = append(errs, fmt.Errorf("fix %s: no such input (devolve run --out DIR --draws lists the input names)", n))
		case math.IsNaN(v) || math.IsInf(v, 0):
			errs = append(errs, fmt.Errorf("fix %s: value must be finite (got %v)", n, v))
		case outside(m.Inputs[i].Dist, v):
			d := m.Inputs[i].Dist
			errs = append(errs, fmt.Errorf("fix %s: %v is outside the input's range [%g, %g]: a fixed value must be one the input can take", n, v, d.Quantile(0), d.Quantile(1)))
		default:
			m.Inputs[i].Dist = dist.Fixed{V: v}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out := *c
	out.Model = &m
	return &out, nil
}

// outside reports whether v lies beyond the support of d (its 0 and 1
// quantiles), so that --fix cannot set, say, a reduction to 500% or a
// ramp stretch below zero that the scenario's validation would refuse.
func outside(d dist.Distribution, v float64) bool {
	lo, hi := d.Quantile(0), d.Quantile(1)
	return v < lo || v > hi
}
