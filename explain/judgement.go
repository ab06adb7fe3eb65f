package explain

import (
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/model/sensitivity"
)

// JudgementShare is how much of NPV's variance rests on the inputs the
// scenario marks JUDGEMENT: their Sobol indices as one group, with 95%
// intervals (sensitivity.GroupShare). S1 is the share they explain by
// themselves, ST the share with their interactions with other inputs.
type JudgementShare struct {
	// Inputs is the number of uncertain inputs; Judgement lists the key
	// paths of those marked JUDGEMENT.
	Inputs    int      `json:"inputs"`
	Judgement []string `json:"judgement_inputs"`
	S1        float64  `json:"s1"`
	S1Lo      float64  `json:"s1_lo"`
	S1Hi      float64  `json:"s1_hi"`
	ST        float64  `json:"st"`
	STLo      float64  `json:"st_lo"`
	STHi      float64  `json:"st_hi"`
	// Evaluations is the cost of the estimate (model evaluations).
	Evaluations int `json:"evaluations"`
}

// judgementN is the Sobol base sample for the judgement share: 4 x 8,192
// evaluations, intervals of about ±0.03.
const judgementN = 1 << 13

// Judgement estimates the share of NPV's variance resting on
// c's inputs marked JUDGEMENT; nil when none is marked.
func Judgement(c *lgr.Compiled, seed uint64) (*JudgementShare, error) {
	members := c.JudgementInputs()
	if len(members) == 0 {
		return nil, nil
	}
	j := &JudgementShare{}
	for _, in := range c.Model.Inputs {
		if _, fixed := in.Dist.(dist.Fixed); !fixed {
			j.Inputs++
		}
	}
	for _, k := range members {
		j.Judgement = append(j.Judgement, c.Inputs[k].Path)
	}
	ix, err := sensitivity.GroupShare(c.Model, c.OutNPV, "JUDGEMENT", members, sensitivity.SobolOptions{N: judgementN, Seed: seed})
	if err != nil {
		return nil, err
	}
	j.S1, j.S1Lo, j.S1Hi, j.ST, j.STLo, j.STHi = ix.S1, ix.S1Lo, ix.S1Hi, ix.ST, ix.STLo, ix.STHi
	j.Evaluations = 4 * judgementN
	return j, nil
}
