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

// dists returns the inputs' distributions, in input order.
func (m *Model) dists() []dist.Distribution {
	ds := make([]dist.Distribution, len(m.Inputs))
	for i, in := range m.Inputs {
		ds[i] = in.Dist
	}
	return ds
}

// EvalFunc maps one trial's input values (in model input order) to its
// output values (in model output order). It must be a pure function of in,
// must not allocate, and must not retain in or out.
type EvalFunc func(in, out []float64)

// BlockEvalFunc evaluates many trials at once, column by column: in[j][i] is
// trial i's value of input j and out[k][i] receives trial i's value of
// output k; every column has the same length (at most BlockSize when the
// engine calls it). Each trial's outputs must depend on that trial's inputs
// alone, exactly as with EvalFunc; it must not allocate once warmed up, and
// must not retain in or out.
type BlockEvalFunc func(in, out [][]float64)

// Model is a flat list of named inputs, named outputs and an evaluation,
// given trial by trial (NewEval), column by column (NewBlockEval) or both.
type Model struct {
	Inputs  []Input
	Outputs []string
	// NewEval returns a per-trial evaluation with its own scratch space.
	// Callers make one per goroutine, so the returned function need not be
	// safe for concurrent use.
	NewEval func() EvalFunc
	// NewBlockEval returns a column-wise evaluation with its own scratch
	// space. The engine uses it when set: a model with many outputs runs
	// several times faster when each step runs over a whole block of trials.
	NewBlockEval func() BlockEvalFunc
	// Correlation, if set, is a target rank correlation among inputs
	// (sampling.go); nil means independent inputs.
	Correlation *Correlation
}

// TrialEval returns a new per-trial evaluation: NewEval's, or else
// NewBlockEval's applied to columns of one trial.
func (m *Model) TrialEval() EvalFunc {
	if m.NewEval != nil {
		return m.NewEval()
	}
	be := m.NewBlockEval()
	inBuf, outBuf := make([]float64, len(m.Inputs)), make([]float64, len(m.Outputs))
	inCols, outCols := columns(inBuf, len(m.Inputs), 1), columns(outBuf, len(m.Outputs), 1)
	return func(in, out []float64) {
		copy(inBuf, in)
		be(inCols, outCols)
		copy(out, outBuf)
	}
}

// BlockEval returns a new column-wise evaluation: NewBlockEval's, or else
// NewEval's applied trial by trial.
func (m *Model) BlockEval() BlockEvalFunc {
	if m.NewBlockEval != nil {
		return m.NewBlockEval()
	}
	ev := m.NewEval()
	row, orow := make([]float64, len(m.Inputs)), make([]float64, len(m.Outputs))
	return func(in, out [][]float64) {
		for i := range out[0] {
			for j, c := range in {
				row[j] = c[i]
			}
			ev(row, orow)
			for k, c := range out {
				c[i] = orow[k]
			}
		}
	}
}

// columns cuts buf into k columns of n values each.
func columns(buf []float64, k, n int) [][]float64 {
	c := make([][]float64, k)
	for j := range c {
		c[j] = buf[j*n : (j+1)*n : (j+1)*n]
	}
	return c
}

// Validate checks that the model is well formed: at least one output,
// unique non-empty input names, non-nil distributions and evaluation.
func (m *Model) Validate() error {
	if m.NewEval == nil && m.NewBlockEval == nil {
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
	_, err := correlationGroups(m)
	return err
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
	m.TrialEval()(in, out)
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
