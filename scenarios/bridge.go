package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"go.yaml.in/yaml/v3"
)

// bridgeFile is a published case for `devolve bridge` (scenarios/cases/bridge).
type bridgeFile struct {
	Name          string    `yaml:"name"`
	Source        string    `yaml:"source"`
	Measure       string    `yaml:"measure"`
	Published     string    `yaml:"published"`
	Recurring     string    `yaml:"recurring"`
	Ramp          any       `yaml:"ramp"`
	RampNote      string    `yaml:"ramp_note"`
	Realisation   float64   `yaml:"realisation"`
	OneOff        string    `yaml:"one_off"`
	OneOffProfile []float64 `yaml:"one_off_profile"`
	Overrun       float64   `yaml:"overrun"`
	Horizon       int       `yaml:"horizon"`
	DiscountRate  float64   `yaml:"discount_rate"`
	Devolve       struct {
		National  bool   `yaml:"national"`
		Area      string `yaml:"area"`
		Unitaries int    `yaml:"unitaries"`
	} `yaml:"devolve"`
}

// BridgeCases lists the shipped published cases (scenarios/cases/bridge).
func BridgeCases() []string {
	var out []string
	ents, _ := embedded.ReadDir("cases/bridge")
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return out
}

// LoadBridgeCase reads a shipped case by name, or a case file by path.
func LoadBridgeCase(name string) (*lgr.BridgeCase, *bridgeFile, error) {
	var data []byte
	var err error
	label := name
	if data, err = embedded.ReadFile(path.Join("cases/bridge", strings.TrimSuffix(name, ".yaml")+".yaml")); err != nil {
		data, err = inputfile.Read(name, MaxFileSize)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: no shipped case of that name (%s) and %w", name, strings.Join(BridgeCases(), ", "), err)
		}
	}
	var f bridgeFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", label, err)
	}
	c := &lgr.BridgeCase{RampNote: f.RampNote, Name: f.Name, Source: f.Source, Measure: f.Measure, Realisation: f.Realisation,
		OneOffProfile: f.OneOffProfile, Overrun: f.Overrun, Horizon: f.Horizon, DiscountRate: f.DiscountRate}
	var errs []string
	num := func(key, s string) float64 {
		v, err := dist.ParseAmount(s)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", key, err))
		}
		return v
	}
	c.Published, c.Recurring, c.OneOff = num("published", f.Published), num("recurring", f.Recurring), num("one_off", f.OneOff)
	if c.Horizon < 1 || c.Horizon > 100 {
		errs = append(errs, fmt.Sprintf("horizon: must be 1 to 100 years (got %d)", c.Horizon))
	}
	if !(c.Realisation > 0) || !(c.Overrun > 0) {
		errs = append(errs, "realisation and overrun: must be positive factors")
	}
	if f.Devolve.National == (f.Devolve.Area != "") {
		errs = append(errs, "devolve: give national: true or an area")
	}
	if f.Devolve.Unitaries < 1 || f.Devolve.Unitaries > 5 {
		errs = append(errs, "devolve.unitaries: must be 1 to 5")
	}
	switch r := f.Ramp.(type) {
	case string:
		if r != "back_solve" {
			errs = append(errs, fmt.Sprintf("ramp: a list of yearly shares from year 0, or back_solve (got %q)", r))
		}
	case []any:
		for i, v := range r {
			x, err := dist.Number(v)
			if err != nil || x < 0 || x > 1 {
				errs = append(errs, fmt.Sprintf("ramp[%d]: a share in [0, 1]", i))
			}
			c.Ramp = append(c.Ramp, x)
		}
	default:
		errs = append(errs, "ramp: a list of yearly shares from year 0, or back_solve")
	}
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("%s: %s", label, strings.Join(errs, "; "))
	}
	if f.Ramp == "back_solve" {
		if err := c.BackSolveFirstYear(); err != nil {
			return nil, nil, err
		}
		c.RampNote = fmt.Sprintf("not published: full effect from year 2, year-1 share %.3f back-solved to reproduce the figure", c.Ramp[1])
	}
	return c, &f, nil
}

// bridgeHorizon is the horizon of the runs behind a bridge: long enough
// for every saving to reach full effect.
const bridgeHorizon = 30

// RunBridge builds devolve's side of a bridge: the areas the case covers,
// each run twice on common random numbers (with and without overruns) to
// bridgeHorizon, summed trial by trial (deterministic: every input at its
// median).
func RunBridge(ctx context.Context, name string, iterations int, seed uint64, workers int, deterministic bool) (*lgr.Bridge, error) {
	c, f, err := LoadBridgeCase(name)
	if err != nil {
		return nil, err
	}
	var gens []*Generated
	var names []string
	if f.Devolve.National {
		areas, err := Areas()
		if err != nil {
			return nil, err
		}
		for _, a := range areas {
			if a.Reorganised {
				continue
			}
			g, err := BuildArea(a, AreaOptions{Unitaries: min(f.Devolve.Unitaries, len(a.Districts))})
			if err != nil {
				return nil, err
			}
			gens = append(gens, g)
			names = append(names, a.Name)
		}
	} else {
		a, err := FindArea(f.Devolve.Area)
		if err != nil {
			return nil, err
		}
		g, err := BuildArea(a, AreaOptions{Unitaries: f.Devolve.Unitaries})
		if err != nil {
			return nil, err
		}
		gens = append(gens, g)
		names = append(names, a.Name)
	}
	n := iterations
	if deterministic {
		n = 1
	}
	Y := bridgeHorizon + 1
	d := &lgr.BridgeDraws{Full: make([]float64, n), DevolveMeasure: "NPV over years 0-10, Green Book discounting"}
	mk := func() [][]float64 {
		m := make([][]float64, n)
		for i := range m {
			m[i] = make([]float64, Y)
		}
		return m
	}
	d.Raw, d.Realised, d.Cost0, d.Cost = mk(), mk(), mk(), mk()
	for gi, g := range gens {
		for pass := 0; pass < 2; pass++ {
			s := *g.Scenario
			s.Horizon = bridgeHorizon
			if pass == 1 {
				s.ITOverrun, s.OtherOverrun = dist.Fixed{V: 1}, dist.Fixed{V: 1}
			}
			cp, err := lgr.Compile(&s)
			if err != nil {
				return nil, err
			}
			if f.Devolve.National { // areas share the national uncertainties, as devolve national does
				cp = cp.ForArea(names[gi], true)
			}
			if d.Discount == nil {
				d.Horizon = 10
				d.Discount = cp.Discount[:d.Horizon+1]
			}
			var keep []int
			for t := 0; t < Y; t++ {
				keep = append(keep, cp.OutSavings+t, cp.OutNet+t)
			}
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
				res, err := engine.Run(ctx, cp.Model, engine.Options{Iterations: n, Seed: seed, Workers: workers, Keep: keep, KeepInputs: true})
				if err != nil {
					return nil, err
				}
				rows, R = res.Kept, res.Inputs[realIdx]
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
	return lgr.BuildBridge(c, d), nil
}
