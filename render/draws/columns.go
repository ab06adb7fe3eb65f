package draws

import "github.com/devolve-lgr/devolve/model/lgr"

// Headline names the six headline outputs kept for every trial, in the
// column order of draws.csv and draws.parquet.
var Headline = lgr.HeadlineNames()

// Columns returns the names and values of a run's per-trial columns: the
// six Headline outputs, then every model input in model order (named as in
// the scenario, e.g. systems.finance_erp.licence). Input columns are present
// only when the run kept its inputs (engine.Options.KeepInputs). The slices
// are the run's own, not copies.
func Columns(res *lgr.Result) (names []string, cols [][]float64) {
	for _, h := range lgr.Headlines {
		names = append(names, h.String())
		cols = append(cols, res.Headline(h))
	}
	for j, c := range res.Raw.Inputs {
		names = append(names, res.C.Model.Inputs[j].Name)
		cols = append(cols, c)
	}
	return names, cols
}
