package study

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/notation"
	"github.com/devolve-lgr/devolve/scenarios"
)

// bridgeFile is a published case for `devolve bridge` (scenarios/cases/bridge),
// read with the scenario decoder: unknown keys and wrong types are errors at
// their key path (docs/SCENARIOS.md, "Published cases for devolve bridge").
type bridgeFile struct {
	Name          string        `key:"name"`
	Source        string        `key:"source"`
	Measure       string        `key:"measure"`
	Published     any           `key:"published"`
	Recurring     any           `key:"recurring"`
	Ramp          any           `key:"ramp"`
	RampNote      string        `key:"ramp_note"`
	Realisation   *float64      `key:"realisation"`
	OneOff        any           `key:"one_off"`
	OneOffProfile []float64     `key:"one_off_profile"`
	Overrun       *float64      `key:"overrun"`
	Horizon       *int          `key:"horizon"`
	DiscountRate  float64       `key:"discount_rate"`
	Devolve       *bridgeTarget `key:"devolve"`
}

// bridgeTarget says which devolve projection a case is bridged to.
type bridgeTarget struct {
	National  bool   `key:"national"`
	Area      string `key:"area"`
	Unitaries int    `key:"unitaries"`
}

// BridgeCases lists the shipped published cases (scenarios/cases/bridge).
func BridgeCases() []string {
	var out []string
	ents, _ := scenarios.Shipped().ReadDir("cases/bridge")
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return out
}

// bridgeTolerance is how closely a case's own arithmetic must reproduce its
// published figure: 0.1% of it, or £50,000 if more (rounding of the
// published inputs).
const bridgeTolerance = 1e-3

// LoadBridgeCase reads a shipped case by name, or a case file by path, and
// checks it: every error names the file (fielderr.FileError) and the key
// path as written (fielderr.FieldError), all at once.
func LoadBridgeCase(name string) (*lgr.BridgeCase, *bridgeFile, error) {
	var data []byte
	var err error
	label := name
	if strings.ContainsAny(name, `/\`) {
		err = errors.New("a path") // never look a path up among the shipped cases
	} else {
		data, err = scenarios.Shipped().ReadFile(path.Join("cases/bridge", strings.TrimSuffix(name, ".yaml")+".yaml"))
	}
	if err != nil {
		data, err = inputfile.Read(name, scenarios.MaxFileSize)
		if err != nil {
			return nil, nil, fielderr.InFile(name, fmt.Errorf("no shipped case of that name (%s) and %w", strings.Join(BridgeCases(), ", "), err))
		}
	} else {
		label = "embedded:cases/bridge/" + strings.TrimSuffix(name, ".yaml")
	}
	var f bridgeFile
	decodeErrs, err := scenarios.Decode(data, "yaml", &f)
	if err != nil {
		return nil, nil, fielderr.InFile(label, err)
	}
	// Every problem at once: a key that failed to decode is left zero, and
	// what the checks below say of it is covered by the decoder's error.
	errs := decodeErrs
	fail := func(path, format string, a ...any) {
		if e := fielderr.New(path, format, a...); !scenarios.Covered(e, decodeErrs) {
			errs = append(errs, e)
		}
	}
	num := func(key string, v any) float64 {
		if v == nil {
			fail(key, "missing")
			return 0
		}
		x, err := notation.Number(v)
		if err != nil {
			fail(key, "%v", err)
		} else if math.Abs(x) > dist.MaxMagnitude {
			fail(key, "must be within ±%g (got %g)", dist.MaxMagnitude, x)
		}
		return x
	}
	factor := func(key string, v *float64) float64 {
		if v == nil {
			fail(key, "missing (1 if the case applies none)")
			return 1
		}
		if !(*v > 0 && *v <= 100) {
			fail(key, "must be a positive factor, at most 100 (got %v)", *v)
		}
		return *v
	}
	c := &lgr.BridgeCase{RampNote: f.RampNote, Name: f.Name, Source: f.Source, Measure: f.Measure,
		OneOffProfile: f.OneOffProfile, DiscountRate: f.DiscountRate}
	c.Published, c.Recurring, c.OneOff = num("published", f.Published), num("recurring", f.Recurring), num("one_off", f.OneOff)
	c.Realisation, c.Overrun = factor("realisation", f.Realisation), factor("overrun", f.Overrun)
	switch {
	case f.Horizon == nil:
		fail("horizon", "missing (the last year the published figure counts)")
	case *f.Horizon < 1 || *f.Horizon > 100:
		fail("horizon", "must be 1 to 100 years (got %d)", *f.Horizon)
	default:
		c.Horizon = *f.Horizon
	}
	if !(c.DiscountRate > lgr.MinDiscountRate && c.DiscountRate <= lgr.MaxDiscountRate) {
		fail("discount_rate", "must be a rate above %g%% and at most %g%% (got %v)", 100*lgr.MinDiscountRate, 100*lgr.MaxDiscountRate, c.DiscountRate)
	}
	tot := 0.0
	for i, v := range c.OneOffProfile {
		if !(v >= 0 && v <= 1) {
			fail(fmt.Sprintf("one_off_profile[%d]", i), "must be a share in [0, 1] (got %v)", v)
		}
		tot += v
	}
	if len(c.OneOffProfile) == 0 {
		fail("one_off_profile", "missing: the one-off cost's shares by year from year 0, e.g. [0.3, 0.5, 0.2]")
	} else if math.Abs(tot-1) > 1e-6 {
		fail("one_off_profile", "shares must sum to 1 (got %g)", tot)
	}
	switch t := f.Devolve; {
	case t == nil:
		fail("devolve", "missing: {national: true, unitaries: K} or {area: NAME, unitaries: K}")
	case t.National && t.Area != "":
		fail("devolve", "give national: true or an area, not both")
	case !t.National && t.Area == "":
		fail("devolve", "give national: true or an area (area: NAME)")
	case t.Unitaries < 1 || t.Unitaries > 5:
		fail("devolve.unitaries", "must be 1 to 5 (got %d)", t.Unitaries)
	case t.Area != "":
		a, err := area.FindArea(t.Area)
		if err != nil {
			fail("devolve.area", "%v", err)
		} else if t.Unitaries > len(a.Districts) {
			fail("devolve.unitaries", "%s has %d districts, so at most %d unitaries (got %d)", a.Name, len(a.Districts), min(5, len(a.Districts)), t.Unitaries)
		}
	}
	switch r := f.Ramp.(type) {
	case string:
		if r != "back_solve" {
			fail("ramp", "a list of yearly shares from year 0, or back_solve (got %q)", r)
		}
	case []any:
		if len(r) == 0 {
			fail("ramp", "empty: give yearly shares from year 0 (the last holds), or back_solve")
		}
		for i, v := range r {
			x, err := notation.Number(v)
			if err != nil || x < 0 || x > 1 {
				fail(fmt.Sprintf("ramp[%d]", i), "must be a share in [0, 1] (got %v)", v)
			}
			c.Ramp = append(c.Ramp, x)
		}
	case nil:
		fail("ramp", "missing: yearly shares from year 0 (the last holds), or back_solve")
	default:
		fail("ramp", "a list of yearly shares from year 0, or back_solve")
	}
	if len(errs) == 0 && f.Ramp == "back_solve" {
		if err := c.BackSolveFirstYear(); err != nil {
			fail("ramp", "%v", err)
		} else {
			c.RampNote = fmt.Sprintf("not published: full effect from year 2, year-1 share %.3f back-solved to reproduce the figure", c.Ramp[1])
		}
	}
	if len(errs) == 0 {
		if h := c.Headline(); math.Abs(h-c.Published) > max(bridgeTolerance*math.Abs(c.Published), 5e4) {
			fail("published", "the case's own assumptions give %s, not %s: a bridge starts from the published figure reproduced (fix the assumptions, or write ramp: back_solve)", fmtGBP(h), fmtGBP(c.Published))
		}
	}
	if len(errs) > 0 {
		return nil, nil, fielderr.InFile(label, errors.Join(errs...))
	}
	return c, &f, nil
}

// fmtGBP writes pounds in millions for messages.
func fmtGBP(x float64) string { return fmt.Sprintf("£%.1fm", x/1e6) }

// bridgeHorizon is the horizon of the runs behind a bridge: long enough
// for every saving to reach full effect.
const bridgeHorizon = 30

// RunBridge builds devolve's side of a bridge: the areas the case covers,
// each run twice on common random numbers (with and without overruns) to
// bridgeHorizon, summed trial by trial (deterministic: every input at its
// median). opt gives the runs' iterations, seed, workers, sampling and
// memory limit (the command starts from engine.Defaults); the memory of
// one area's run and of the sums is checked before any runs. lines, if
// set, also asks for the case's and devolve's costs and savings by year
// (Bridge.CaseYears, Bridge.YearLines: devolve's as planned, summed over
// areas line by line), over years 0 to the longer of the case's horizon
// and devolve's measure; not with deterministic.
func RunBridge(ctx context.Context, name string, opt engine.Options, deterministic bool, lines *lgr.LinesView) (*lgr.Bridge, error) {
	if lines != nil && deterministic {
		return nil, errors.New("bridge: lines by year need a simulation (not with --deterministic)")
	}
	c, f, err := LoadBridgeCase(name)
	if err != nil {
		return nil, err
	}
	var gens []*area.Generated
	var names []string
	if f.Devolve.National {
		areas, err := area.Areas()
		if err != nil {
			return nil, err
		}
		for _, a := range areas {
			if a.Reorganised {
				continue
			}
			g, err := area.BuildArea(a, area.AreaOptions{Unitaries: min(f.Devolve.Unitaries, len(a.Districts))})
			if err != nil {
				return nil, err
			}
			gens = append(gens, g)
			names = append(names, a.Name)
		}
	} else {
		a, err := area.FindArea(f.Devolve.Area)
		if err != nil {
			return nil, err
		}
		g, err := area.BuildArea(a, area.AreaOptions{Unitaries: f.Devolve.Unitaries})
		if err != nil {
			return nil, err
		}
		gens = append(gens, g)
		names = append(names, a.Name)
	}
	n := opt.Iterations
	if deterministic {
		n = 1
	}
	H := max(bridgeHorizon, c.Horizon) // the draws must cover the case's years too
	Y := H + 1
	// compile builds area gi's scenario for pass 0 (as planned) or pass 1
	// (no overruns).
	compile := func(gi, pass int) (*lgr.Compiled, error) {
		s := *gens[gi].Scenario
		s.Horizon = H
		if pass == 1 {
			s.ITOverrun, s.OtherOverrun = dist.Fixed{V: 1}, dist.Fixed{V: 1}
		}
		cp, err := lgr.Compile(&s)
		if err != nil {
			return nil, err
		}
		if lines != nil && pass == 0 {
			cp = cp.WithLineYears()
		}
		if f.Devolve.National { // areas share the national uncertainties, as devolve national does
			return cp.ForArea(names[gi], lgr.ShareAll())
		}
		return cp, nil
	}
	// keep: savings and net cash flow by year; both passes of an area give
	// an input the same Sobol' dimension (pass 0's order; areas of a
	// national case ordered as devolve national orders them), so they run
	// on common random numbers.
	keepOf := func(cp *lgr.Compiled) []int {
		var keep []int
		for t := 0; t < Y; t++ {
			keep = append(keep, cp.OutSavings+t, cp.OutNet+t)
		}
		return keep
	}
	runOpt := func(cp *lgr.Compiled, order []string) engine.Options {
		o := opt
		o.Iterations, o.Keep, o.KeepInputs = n, keepOf(cp), true
		o.DesignOrder = order
		if cp.OutLineYear >= 0 { // lines by year: sampled as a Result of cp summarises them
			o.Sample = cp.Sampled()
		}
		return o
	}
	orders := make([][]string, len(gens))
	lineNames := map[string]bool{}
	if !deterministic {
		var most int64
		for gi := range gens {
			cp, err := compile(gi, 0)
			if err != nil {
				return nil, err
			}
			orders[gi] = lgr.DesignOrder(cp)
			if f.Devolve.National { // as devolve national orders its areas
				orders[gi] = lgr.AreaDesignOrder(lgr.SharedInputs, cp, gi, len(gens))
			}
			o := runOpt(cp, orders[gi])
			o.MemoryLimit = 0
			p, err := engine.NewPlan(cp.Model, o)
			if err != nil {
				return nil, err
			}
			most = max(most, p.Memory.Total())
			if lines != nil && f.Devolve.National { // the areas' sums (one area's are its run's)
				for _, ln := range cp.Lines {
					lineNames[ln.Name] = true
				}
			}
		}
		// The sums: Raw, Realised, Cost0 and Cost (n rows of Y years, each
		// row with its 24-byte header) and Full; with lines, every line's
		// flows by year for the fan trials.
		need := most + 4*int64(n)*(8*int64(Y)+24) + 8*int64(n) + 4*int64(len(lineNames))*int64(Y)*int64(min(n, engine.DefaultSampleSize))
		if opt.MemoryLimit > 0 && need > opt.MemoryLimit {
			return nil, &engine.MemoryError{Need: need, Limit: opt.MemoryLimit}
		}
	}
	d := &lgr.BridgeDraws{Full: make([]float64, n), DevolveMeasure: "NPV over years 0-10, Green Book discounting"}
	mk := func() [][]float64 {
		m := make([][]float64, n)
		for i := range m {
			m[i] = make([]float64, Y)
		}
		return m
	}
	d.Raw, d.Realised, d.Cost0, d.Cost = mk(), mk(), mk(), mk()
	var sum *lgr.LineSum // a national case's lines by year, summed over areas
	var one *lgr.YearLines
	if lines != nil {
		sum = lgr.NewLineSum(*lines)
	}
	for gi := range gens {
		for pass := 0; pass < 2; pass++ {
			cp, err := compile(gi, pass)
			if err != nil {
				return nil, err
			}
			if d.Discount == nil {
				d.Horizon = 10
				d.Discount = cp.Discount[:d.Horizon+1]
			}
			keep := keepOf(cp)
			realIdx := -1
			for j, in := range cp.Model.Inputs {
				if in.Name == "savings_realisation" {
					realIdx = j
				}
			}
			var rows [][]float64
			var R []float64
			if deterministic {
				in := cp.Model.Medians()
				out := cp.Model.EvalAt(in)
				for _, k := range keep {
					rows = append(rows, []float64{out[k]})
				}
				R = []float64{in[realIdx]}
			} else {
				res, err := engine.Run(ctx, cp.Model, runOpt(cp, orders[gi]))
				if err != nil {
					return nil, err
				}
				rows, R = res.Kept, res.Inputs[realIdx]
				if lines != nil && pass == 0 {
					r := &lgr.Result{C: cp, Raw: res}
					if f.Devolve.National {
						err = sum.Add(names[gi], r)
					} else { // one area: by its successors, as devolve run gives them
						one, err = r.Lines(*lines)
					}
					if err != nil {
						return nil, err
					}
				}
			}
			for i := 0; i < n; i++ {
				for t := 0; t < Y; t++ {
					sv, net := rows[2*t][i], rows[2*t+1][i]
					if pass == 0 {
						d.Realised[i][t] += sv
						d.Raw[i][t] += sv / R[i]
						d.Cost[i][t] += sv - net
					} else {
						d.Cost0[i][t] += sv - net
					}
				}
				if pass == 0 {
					d.Full[i] += rows[2*(Y-1)][i] / R[i]
				}
			}
		}
	}
	b := lgr.BuildBridge(c, d)
	if lines != nil {
		last := max(c.Horizon, d.Horizon)
		if f.Devolve.National {
			if one, err = sum.YearLines(); err != nil {
				return nil, err
			}
		}
		b.YearLines, b.CaseYears = one.Upto(last), c.ByYear(last)
	}
	return b, nil
}
