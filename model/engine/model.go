package engine

import (
	"fmt"

	"github.com/devolve-lgr/devolve/model/dist"
)

// Input is one named uncertain input of a Model.
type Input struct {
	// Name identifies the input; models that share a name share its draws.
	Name string
	// Dist is the input's distribution.
	Dist dist.Distribution
}

// EvalFunc maps one trial's input values (in model input order) to its
// output values (in model output order). It must be a pure function of in,
// must not allocate, and must not retain in or out.
type EvalFunc func(in, out []float64)

// Model is a flat list of named inputs, named outputs and an evaluation.
type Model struct {
	Inputs  []Input
	Outputs []string
	// NewEval returns an evaluation with its own scratch space. The runner
	// calls it once per worker, so the returned function need not be safe for
	// concurrent use.
	NewEval func() EvalFunc
}

// Validate checks that the model is well formed: at least one output,
// unique non-empty input names, non-nil distributions and evaluation.
func (m *Model) Validate() error {
	if m.NewEval == nil {
		return fmt.Errorf("engine: model has no evaluation")
	}
	if len(m.Outputs) == 0 {
		return fmt.Errorf("engine: model has no outputs")
	}
	seen := make(map[string]bool, len(m.Inputs))
	for i, in := range m.Inputs {
		if in.Name == "" {
			return fmt.Errorf("engine: input %d has no name", i)
		}
		if seen[in.Name] {
			return fmt.Errorf("engine: input name %q used twice", in.Name)
		}
		if in.Dist == nil {
			return fmt.Errorf("engine: input %q has no distribution", in.Name)
		}
		seen[in.Name] = true
	}
	return nil
}

// Output returns the index of the named output, or -1.
func (m *Model) Output(name string) int {
	for i, o := range m.Outputs {
		if o == name {
			return i
		}
	}
	return -1
}

// EvalAt evaluates the model once at the given input values (for a
// deterministic run, e.g. every input at its median).
func (m *Model) EvalAt(in []float64) []float64 {
	out := make([]float64, len(m.Outputs))
	m.NewEval()(in, out)
	return out
}

// Medians returns every input's median, the point at which a
// "deterministic" run evaluates the model.
func (m *Model) Medians() []float64 {
	v := make([]float64, len(m.Inputs))
	for i, in := range m.Inputs {
		v[i] = dist.Median(in.Dist)
	}
	return v
}
