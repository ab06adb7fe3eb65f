package lgr

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"unicode"
	"unicode/utf8"

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
// error naming every unknown input, non-finite value, value the input
// cannot take (dist.Possible: outside its support, or not one of a
// discrete input's values, so a yes/no input takes 0 or 1 only) and
// fraction given for a whole-number input (Unit.Whole).
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
			errs = append(errs, fmt.Errorf("fix %s: no such input (devolve run --out DIR --draws lists the input names)", shownName(n)))
		case math.IsNaN(v) || math.IsInf(v, 0):
			errs = append(errs, fmt.Errorf("fix %s: value must be finite (got %v)", n, v))
		case i < len(c.Inputs) && c.Inputs[i].Unit.Whole() && v != math.Trunc(v):
			errs = append(errs, fmt.Errorf("fix %s: must be a whole number (%s; got %v)", n, c.Inputs[i].Unit, v))
		case !dist.Possible(m.Inputs[i].Dist, v):
			d := m.Inputs[i].Dist
			errs = append(errs, fmt.Errorf("fix %s: %v %s: a fixed value must be one the input can take", n, v, describeSupport(d)))
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

// FixEach fixes, in each of cs, those inputs of values it has (Fix), so
// that options compared on common random numbers answer the same "what if"
// question: an input they share is fixed at the same value in all of them.
// A name that no option has is an error, as is a value one option's input
// cannot take (named with the option's position when there are several).
func FixEach(cs []*Compiled, values map[string]float64) ([]*Compiled, error) {
	out := make([]*Compiled, len(cs))
	found := map[string]bool{}
	var errs []error
	for i, c := range cs {
		mine := map[string]float64{}
		for n, v := range values {
			if slices.ContainsFunc(c.Model.Inputs, func(in engine.Input) bool { return in.Name == n }) {
				mine[n], found[n] = v, true
			}
		}
		f, err := c.Fix(mine)
		if err != nil {
			if len(cs) > 1 {
				err = fmt.Errorf("option %d: %w", i+1, err)
			}
			errs = append(errs, err)
		}
		out[i] = f
	}
	var missing []string
	for n := range values {
		if !found[n] {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	for _, n := range missing {
		errs = append(errs, fmt.Errorf("fix %s: no such input in any option (devolve run --out DIR --draws lists the input names)", shownName(n)))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// describeSupport says why a value is not one d takes: not one of its
// values (a yes/no input takes 0 or 1), or outside its range.
func describeSupport(d dist.Distribution) string {
	switch x := d.(type) {
	case dist.Bernoulli:
		return "is not one of the input's values (it takes 0 or 1)"
	case dist.UniformInt:
		return fmt.Sprintf("is not one of the input's values (the whole numbers %d to %d)", x.Min, x.Max)
	case dist.Fixed:
		return fmt.Sprintf("is not the input's value (it is fixed at %g)", x.V)
	case dist.Discrete:
		return "is not one of the input's values"
	}
	return fmt.Sprintf("is outside the input's range [%g, %g]", d.Quantile(0), d.Quantile(1))
}

// shownName is an input name as given to Fix, for a message: as it is
// when it is plain (printable, at most 80 bytes), else quoted with its
// control characters escaped and cut to 80 bytes, so that a name from a
// query string or a command line cannot reach a terminal or a page
// raw, nor fill the message.
func shownName(n string) string {
	const limit = 80
	plain := len(n) <= limit
	for _, r := range n {
		plain = plain && r != utf8.RuneError && unicode.IsPrint(r) && r != ' '
	}
	if plain {
		return n
	}
	if len(n) <= limit {
		return strconv.Quote(n)
	}
	return fmt.Sprintf("%s... (%d bytes)", strconv.Quote(n[:limit]), len(n))
}
