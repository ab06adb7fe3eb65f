package sensitivity

import (
	"errors"

	"github.com/devolve-lgr/devolve/model/engine"
)

// GroupShare returns the Sobol indices of one group of a model's inputs
// (members, indices into m.Inputs) on output k, with 95% intervals: S1 is
// the share of the output's variance the group explains by itself (its
// closed first-order index), ST the share including its interactions with
// the other inputs (its total index). The other inputs form the second
// group. The inputs are taken as independent (the model's stated
// correlations are not induced); opt is as for SobolBatch, whose cost is
// 4 N evaluations here.
func GroupShare(m *engine.Model, k int, name string, members []int, opt SobolOptions) (Index, error) {
	if len(members) == 0 {
		return Index{}, errors.New("sensitivity: GroupShare of an empty group")
	}
	in := make([]bool, len(m.Inputs))
	for _, j := range members {
		if j >= 0 && j < len(in) {
			in[j] = true
		}
	}
	var rest []int
	for j, ok := range in {
		if !ok {
			rest = append(rest, j)
		}
	}
	opt.Groups = []Group{{Name: name, Members: members}}
	if len(rest) > 0 {
		opt.Groups = append(opt.Groups, Group{Name: "other inputs", Members: rest})
	}
	res, err := SobolBatch(ModelBatch(m, k), Dists(m), opt)
	if err != nil {
		return Index{}, err
	}
	return res.Indices[0], nil
}
