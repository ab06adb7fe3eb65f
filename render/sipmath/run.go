package sipmath

import (
	"fmt"

	"github.com/devolve-lgr/devolve/model/lgr"
)

// RunOutputs are the headline outputs a run's library holds, in order.
// Payback years are left out: a whole number of years, +Inf where a trial
// never pays back, is not a continuous quantity a metalog can carry.
var RunOutputs = []Output{
	{Name: "npv", Description: "net present value over the horizon", Units: "GBP, real, discounted"},
	{Name: "one_off_cost", Description: "one-off costs, undiscounted", Units: "GBP, real", Positive: true},
	{Name: "steady_state_saving", Description: "net cash flow in the horizon year", Units: "GBP a year, real"},
	{Name: "five_year_net", Description: "net cash flow over years 0-5", Units: "GBP, real"},
	{Name: "bcr", Description: "benefit-cost ratio: PV savings / PV costs", Units: "ratio", Positive: true},
}

// FromRun fits the library of a run's RunOutputs. It returns an error
// when the run kept no draws (engine.SecondPass) or has fewer than
// MinTrials trials (a deterministic run has one).
func FromRun(m Manifest, res *lgr.Result) (*Library, error) {
	outs, err := runOutputs("", res)
	if err != nil {
		return nil, err
	}
	return New(m, outs)
}

// FromRuns fits one library to several options run on common random
// numbers (devolve compare): option k's outputs are named "NAME: npv",
// "NAME: one_off_cost", ..., and the copula couples all of them, so a
// consumer compares the options trial by trial.
func FromRuns(m Manifest, names []string, runs []*lgr.Result) (*Library, error) {
	var outs []Output
	for k, res := range runs {
		o, err := runOutputs(names[k]+": ", res)
		if err != nil {
			return nil, err
		}
		outs = append(outs, o...)
	}
	return New(m, outs)
}

// runOutputs are a run's RunOutputs with their draws, names prefixed.
func runOutputs(prefix string, res *lgr.Result) ([]Output, error) {
	outs := make([]Output, len(RunOutputs))
	for i, o := range RunOutputs {
		o.Draws = res.Draws(o.Name)
		if o.Draws == nil {
			return nil, fmt.Errorf("sipmath: the run kept no draws of %s (use --exact-percentiles=kept)", o.Name)
		}
		o.Name = prefix + o.Name
		outs[i] = o
	}
	return outs, nil
}
