package lgr

import (
	"fmt"

	"github.com/devolve-lgr/devolve/model/engine"
)

// WithLineYears returns a copy of c whose model also outputs every line's
// flow in every year (OutLineYear+l*Years+t): a cost line's cost, a saving
// line's saving, in pounds at the scenario's price base, undiscounted, as
// positive amounts. The other outputs, their order and every trial's
// values are unchanged (the inputs and their streams are the same); a run
// that does not ask for lines pays nothing for them.
func (c *Compiled) WithLineYears() *Compiled {
	if c.OutLineYear >= 0 {
		return c
	}
	out := *c
	m := *c.Model
	m.Outputs = append([]string(nil), c.Model.Outputs...)
	out.OutLineYear = len(m.Outputs)
	for _, l := range c.Lines {
		for t := 0; t < c.Years; t++ {
			m.Outputs = append(m.Outputs, fmt.Sprintf("line:%s[%d]", l.Name, t))
		}
	}
	pl := *c.plan
	pl.oLY = out.OutLineYear
	m.NewBlockEval = func() engine.BlockEvalFunc { return pl.newEvaluator().eval }
	out.Model, out.plan = &m, &pl
	return &out
}

// LineYear returns the model output index of line l's flow in year t, or -1
// when c does not output lines (see WithLineYears).
func (c *Compiled) LineYear(l, t int) int {
	if c.OutLineYear < 0 {
		return -1
	}
	return c.OutLineYear + l*c.Years + t
}

// emitYears adds each trial's run of flow v[i] over years from[i]..to[i]
// (shifted by its delay, clipped to the horizon) to the line's by-year
// outputs as a difference array; lineYears sums it.
func (r *run) emitYears(from, to []int, v []float64) {
	n, H, ly, delay := r.n, r.H, r.ly, r.delay
	for i, x := range v[:n] {
		a, b := from[i], to[i]
		if delay != nil {
			a += delay[i]
			b += delay[i]
		}
		a, b = max(a, 0), min(b, H)
		if a > b {
			continue
		}
		ly[a][i] += x
		if b < H {
			ly[b+1][i] -= x
		}
	}
}

// lineYears completes the block's line-by-year outputs: run lines' difference
// arrays summed over years; the year-by-year lines' flows copied; profile
// lines' amounts times their profiles.
func (e *evaluator) lineYears(out [][]float64, n int) {
	years := e.years
	for _, l := range e.runLines {
		rows := out[e.oLY+l*years : e.oLY+(l+1)*years]
		for t := 1; t < years; t++ {
			prev, cur := rows[t-1][:n], rows[t][:n]
			for i := range cur {
				cur[i] += prev[i]
			}
		}
	}
	for _, l := range e.yearLines {
		rows := out[e.oLY+l*years : e.oLY+(l+1)*years]
		if f := e.flows[l]; f != nil {
			for t, row := range rows {
				copy(row[:n], f[t*n:t*n+n])
			}
			continue
		}
		a, g := e.amt[l][:n], e.prof[l]
		for t, row := range rows {
			for i, v := range a {
				row[i] = v * g[t]
			}
		}
	}
}
