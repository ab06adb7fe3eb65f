package scenarios

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/sensitivity"
)

// delayedYAML exercises what the shipped scenarios do not: a risk delaying
// year-by-year lines (workforce, items, quality), an inventory, exit fees,
// democracy and two successors.
const delayedYAML = `predecessors:
  - {name: Shire, kind: county, population: 300000, back_office_fte: 400 to 600}
  - {name: Town, kind: district, population: 100000, back_office_fte: 60 to 90}
  - {name: Vale, kind: district, population: 90000, back_office_fte: 50 to 80}
successors:
  - {name: North, predecessors: [Town]}
  - {name: South, predecessors: [Shire, Vale]}
systems:
  - name: finance
    migration: 100k to 400k
    exit_fee: 10k to 50k
    inventory:
      - {predecessor: Shire, product: SAP, licence: 700k, contract_end: 1 to 4}
      - {predecessor: Town, product: Unit4, licence: 90k to 140k, contract_end: 2}
      - {predecessor: Vale, product: Unit4, licence: 80k to 150k}
  - {name: waste, per_kind: {county: 1, district: 1, unitary: 1}, licence: 20k to 60k, migration: 30k to 90k, contract_end: {dist: uniform_int, min: 1, max: 4}}
workforce:
  - name: back_office
    reduction: {dist: pert, min: 5%, mode: 8%, max: 15%}
    cost_per_fte: {dist: normal, mean: 45k, sd: 3k}
    redundancy_per_fte: 20k to 40k
items:
  - {name: transition, kind: cost, amount: 5m to 15m, start: 0, profile: [0.6, 0.4]}
  - {name: shared_services, kind: saving, recurring: true, amount: 1m to 3m, start: 2}
democracy: {seats_removed: 20 to 40, allowance: 3k to 10k, election_saving: 100k to 300k}
risks:
  - {name: slip, probability: 0.4, delay: {dist: uniform_int, min: 1, max: 3}, hits: [workforce., items., quality., systems.finance]}
  - {name: breach, probability: 0.1, cost: 1m to 5m, year: 2}
quality:
  - name: online
    unit: share of contacts
    baseline: {dist: pert, min: 0.55, mode: 0.66, max: 0.75}
    effect: {dist: pert, min: 0.0, mode: 0.05, max: 0.10}
    disruption: {dist: uniform, min: 0, max: 0.03}
    value_per_unit: 1m to 2m
`

// TestBlockEvalMatchesTrialEval: evaluating a whole block at once gives,
// bit for bit, what evaluating its trials one at a time gives, for every
// shipped scenario and one that delays year-by-year lines. 1,500 trials:
// one full block and one partial block.
func TestBlockEvalMatchesTrialEval(t *testing.T) {
	lds := map[string]*Loaded{}
	for _, name := range Embedded() {
		ld, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		lds[name] = ld
	}
	ld, err := LoadBytes([]byte(delayedYAML), "yaml", "delayed")
	if err != nil {
		t.Fatal(err)
	}
	lds["delayed"] = ld
	for name, ld := range lds {
		t.Run(name, func(t *testing.T) {
			c, err := ld.Compile()
			if err != nil {
				t.Fatal(err)
			}
			m := c.Model
			all := make([]int, len(m.Outputs))
			for k := range all {
				all[k] = k
			}
			res, err := engine.Run(context.Background(), m, engine.Options{Iterations: 1500, Seed: 11, Keep: all, KeepInputs: true})
			if err != nil {
				t.Fatal(err)
			}
			eval := m.TrialEval()
			in, out := make([]float64, len(m.Inputs)), make([]float64, len(m.Outputs))
			for i := 0; i < res.Iterations; i++ {
				for j := range in {
					in[j] = res.Inputs[j][i]
				}
				eval(in, out)
				for k, v := range out {
					got := res.Kept[k][i]
					if got != v && !(math.IsNaN(got) && math.IsNaN(v)) {
						t.Fatalf("trial %d, %s: block %v, trial by trial %v", i, m.Outputs[k], got, v)
					}
				}
			}
		})
	}
}

// TestSobolBatchMatchesPointwise: Sobol indices of R's NPV from the block
// evaluation (SobolBatch, ModelBatch) equal, bit for bit, those from one
// point at a time (Sobol, ModelFunc). N = 256, seed 4.
func TestSobolBatchMatchesPointwise(t *testing.T) {
	ld, err := Load("reference-r")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	opt := sensitivity.SobolOptions{N: 256, Seed: 4}
	dists := sensitivity.Dists(c.Model)
	a, err := sensitivity.Sobol(sensitivity.ModelFunc(c.Model, c.OutNPV), dists, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sensitivity.SobolBatch(sensitivity.ModelBatch(c.Model, c.OutNPV), dists, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("batch and pointwise Sobol differ:\n%+v\n%+v", a.Indices[:3], b.Indices[:3])
	}
}
