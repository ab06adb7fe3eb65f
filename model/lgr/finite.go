package lgr

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/devolve-lgr/devolve/model/dist"
)

// NonFiniteError reports a headline output that is NaN or infinite in some
// trials, and the input that most likely produced it. Such a result is not
// an answer: it comes from inputs whose draws overflow (a beta with tiny
// shapes, a gamma with a tiny rate, a lognormal with mu 800), and is an
// invalid-input error, not a number to print or rank.
type NonFiniteError struct {
	// Output is the headline output's name (npv, one_off_cost, ...).
	Output string
	// Trials is how many trials gave a non-finite value, of Iterations
	// (-1: some, when the draws were not kept).
	Trials, Iterations int
	// Input names the first model input whose draws are non-finite or
	// beyond ±dist.MaxMagnitude, or that alone makes the output non-finite
	// at its extremes; "" when no single input does.
	Input string
	// Path is Input's key path as written in the scenario file
	// (InputInfo.Path), which the message names; "" when Input is "".
	Path string
	// Why describes what is wrong with Input.
	Why string
}

func (e *NonFiniteError) Error() string {
	msg := fmt.Sprintf("%s is not a finite number in %d of %d trials", e.Output, e.Trials, e.Iterations)
	if e.Trials < 0 {
		msg = fmt.Sprintf("%s is not a finite number in some of %d trials", e.Output, e.Iterations)
	}
	if e.Input == "" {
		return msg + "; no single input explains it (check the scale of the inputs)"
	}
	where := e.Path
	if where == "" {
		where = e.Input
	}
	return fmt.Sprintf("%s: %s; %s", where, e.Why, msg)
}

// CheckFinite returns a *NonFiniteError when any headline output (NPV,
// one-off cost, steady-state saving, five-year net, or a NaN payback) is
// not finite in some trial; nil otherwise. It reads the counts of NaN and
// infinite draws that a run keeps beside the draws (Raw.KeptMoments) and
// scans the draws only where those find some: a Result changed by hand
// must keep its counts in step (or nil them).
func (r *Result) CheckFinite() error {
	c := r.C
	for _, h := range Headlines {
		// Payback may be +Inf (never within the horizon) and the
		// benefit-cost ratio NaN (no costs): only a NaN payback is checked.
		if h == BCR {
			continue
		}
		must, i, k := h != PaybackYears, int(h), c.Out(h)
		if i >= len(r.Raw.Kept) || len(r.Raw.Kept[i]) == 0 {
			// Draws not kept (second-pass percentiles): a non-finite
			// draw makes the mean non-finite.
			if must && k < len(r.Raw.Mean) && (math.IsNaN(r.Raw.Mean[k]) || math.IsInf(r.Raw.Mean[k], 0)) {
				e := &NonFiniteError{Output: c.Model.Outputs[k], Trials: -1, Iterations: r.Raw.Iterations}
				e.Input, e.Why = r.culprit(-1, k)
				e.Path = c.pathOf(e.Input)
				return e
			}
			continue
		}
		// The run counted each kept output's NaN and infinite draws as it
		// went (engine.Result.KeptMoments): where those counts cover the
		// kept draws and find none, no scan is needed.
		if km := r.Raw.KeptMoments; i < len(km) && km[i].N+km[i].NaN+km[i].Inf+km[i].NInf == len(r.Raw.Kept[i]) &&
			km[i].NaN == 0 && (!must || km[i].Inf+km[i].NInf == 0) {
			continue
		}
		bad, first := 0, -1
		for t, v := range r.Raw.Kept[i] {
			if math.IsNaN(v) || (must && math.IsInf(v, 0)) {
				if first < 0 {
					first = t
				}
				bad++
			}
		}
		if bad == 0 {
			continue
		}
		e := &NonFiniteError{Output: c.Model.Outputs[k], Trials: bad, Iterations: len(r.Raw.Kept[i])}
		e.Input, e.Why = r.culprit(first, k)
		e.Path = c.pathOf(e.Input)
		return e
	}
	return nil
}

// culprit finds the input behind a non-finite output k (first seen in
// trial t): from the kept draws if there are any, else from each input's
// own draws, else by setting each input alone to its extremes.
func (r *Result) culprit(t, k int) (string, string) {
	m := r.C.Model
	bad := func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > dist.MaxMagnitude }
	if t >= 0 && len(r.Raw.Inputs) == len(m.Inputs) {
		for j, in := range m.Inputs {
			if x := r.Raw.Inputs[j][t]; bad(x) {
				return in.Name, fmt.Sprintf("drew %g", x)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, in := range m.Inputs {
		if err := dist.CheckPlausible(in.Dist); err != nil {
			return in.Name, err.Error()
		}
		for i := 0; i < 4096; i++ {
			if x := in.Dist.Sample(rng); bad(x) {
				return in.Name, fmt.Sprintf("drew %g", x)
			}
		}
	}
	med := m.Medians()
	for j, in := range m.Inputs {
		for _, p := range []float64{1e-6, 1 - 1e-6} {
			x := append([]float64(nil), med...)
			x[j] = in.Dist.Quantile(p)
			if out := m.EvalAt(x); math.IsNaN(out[k]) || math.IsInf(out[k], 0) {
				return in.Name, fmt.Sprintf("at its %.4g percentile (%g) alone makes %s %g", 100*p, x[j], m.Outputs[k], out[k])
			}
		}
	}
	return "", ""
}

// pathOf is the key path of the model input named name ("" for "").
func (c *Compiled) pathOf(name string) string {
	in, _ := c.Input(name)
	return in.Path
}
