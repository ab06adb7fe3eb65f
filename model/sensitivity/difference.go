package sensitivity

import (
	"fmt"
	"reflect"

	"github.com/devolve-lgr/devolve/model/engine"
)

// Difference builds the model of output k of b minus output k of a, for
// switching values between two options. Its inputs are a's, then b's inputs
// that a lacks; an input both share by name is one input (common random
// numbers), unless their distributions differ, in which case b's keeps its
// own as "b:NAME" (in the same group as a's when grouping strips the prefix).
func Difference(a, b *engine.Model, k int) (*engine.Model, error) {
	if k < 0 || k >= len(a.Outputs) || k >= len(b.Outputs) || a.Outputs[k] != b.Outputs[k] {
		return nil, fmt.Errorf("sensitivity: output %d is not the same in both models", k)
	}
	d := &engine.Model{Outputs: []string{"diff:" + a.Outputs[k]}}
	d.Inputs = append(d.Inputs, a.Inputs...)
	at := map[string]int{}
	for i, in := range a.Inputs {
		at[in.Name] = i
	}
	bIdx := make([]int, len(b.Inputs))
	for j, in := range b.Inputs {
		if i, ok := at[in.Name]; ok && reflect.DeepEqual(a.Inputs[i].Dist, in.Dist) {
			bIdx[j] = i
			continue
		}
		name := in.Name
		if _, ok := at[name]; ok {
			name = "b:" + name
		}
		bIdx[j] = len(d.Inputs)
		d.Inputs = append(d.Inputs, engine.Input{Name: name, Dist: in.Dist})
	}
	nA := len(a.Inputs)
	d.NewBlockEval = func() engine.BlockEvalFunc {
		ea, eb := a.BlockEval(), b.BlockEval()
		oa, ob := make([][]float64, len(a.Outputs)), make([][]float64, len(b.Outputs))
		var bufA, bufB []float64
		xb := make([][]float64, len(b.Inputs))
		return func(in, out [][]float64) {
			n := len(out[0])
			if len(bufA) < n*len(oa) || len(bufB) < n*len(ob) {
				bufA, bufB = make([]float64, n*len(oa)), make([]float64, n*len(ob))
			}
			for j := range oa {
				oa[j] = bufA[j*n : (j+1)*n]
			}
			for j := range ob {
				ob[j] = bufB[j*n : (j+1)*n]
			}
			ea(in[:nA], oa)
			for j, i := range bIdx {
				xb[j] = in[i]
			}
			eb(xb, ob)
			for i := range out[0] {
				out[0][i] = ob[k][i] - oa[k][i]
			}
		}
	}
	return d, nil
}
