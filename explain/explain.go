package explain

import (
	"context"
	"errors"
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/model/sensitivity"
)

// Defaults of Options.
const (
	DefaultRankTrials   = 20_000  // trials of the run behind the rank correlations
	DefaultSobolN       = 1 << 14 // Sobol' base sample
	DefaultSwitchTrials = 10_000  // trials per switching-value evaluation
)

// Options say what Explain computes; the zero value of each field means
// the default named.
type Options struct {
	// Output is the model output explained; "" means "npv".
	Output string
	// Groups is the input grouping (lgr.GroupModes); "" means "category".
	Groups string
	// Which methods to compute.
	Tornado, Rank, Sobol, Switching bool
	// Seed and Workers (0: all cores) of every run.
	Seed    uint64
	Workers int
	// RankTrials, SobolN and SwitchTrials size the methods; 0 means
	// DefaultRankTrials, DefaultSobolN, DefaultSwitchTrials.
	RankTrials, SobolN, SwitchTrials int
}

func (o *Options) defaults() {
	if o.Output == "" {
		o.Output = "npv"
	}
	if o.Groups == "" {
		o.Groups = "category"
	}
	if o.RankTrials <= 0 {
		o.RankTrials = DefaultRankTrials
	}
	if o.SobolN <= 0 {
		o.SobolN = DefaultSobolN
	}
	if o.SwitchTrials <= 0 {
		o.SwitchTrials = DefaultSwitchTrials
	}
}

// Rank is one input's Spearman rank correlation with the output over a
// run, and its Monte Carlo standard error.
type Rank struct {
	Input          string
	Spearman, MCSE float64
}

// Result is what Explain computed; a method not asked for is nil.
type Result struct {
	Output, Groups string
	Seed           uint64
	// Fixed lists the inputs with fixed values, which no method varies.
	Fixed []string
	// Tornado is each group's swing, largest first.
	Tornado []sensitivity.Swing
	// Rank is every uncertain input's rank correlation over RankTrials
	// trials, in model order.
	Rank       []Rank
	RankTrials int
	// Sobol is each group's first-order and total indices with 95%
	// intervals across SobolReplicates independent replicates of SobolN
	// rows in all.
	Sobol                   []sensitivity.Index
	SobolN, SobolReplicates int
	// Switching is each group's switching value of the mean and median.
	Switching    []sensitivity.Switch
	SwitchTrials int
}

// NeedBytes is the memory Explain holds at its peak for c under opt, the
// larger of its two methods that keep draws (they run one after the
// other): the Sobol' design (sensitivity.SobolBytes, over opt.Groups'
// groups of the uncertain inputs) and the rank run (every input and the
// output kept, the output's mid-ranks, and one input's mid-ranks while they
// are made: two 16-byte sort keys and the 8-byte rank a trial). Garbage
// the collector has not yet reclaimed comes on top (Suffolk's Sobol' at
// N = 65,536: peak RSS 151 MB above a run at N = 1,024, against 105 MB
// counted here; the model's batch evaluations allocate a little per
// call): the memory guard's budget, half the limit, leaves room for it.
func NeedBytes(c *lgr.Compiled, opt Options) int64 {
	opt.defaults()
	d := len(c.Model.Inputs)
	var need int64
	if opt.Sobol {
		names, fixed := inputs(c.Model)
		key := func(n string) string { g, _ := lgr.GroupKey(opt.Groups, n); return g }
		g := len(sensitivity.GroupBy(names, key, fixed))
		need = sensitivity.SobolBytes(opt.SobolN, d, g)
	}
	if opt.Rank {
		need = max(need, int64(opt.RankTrials)*int64(8*(d+2)+40))
	}
	return need
}

// Explain computes the methods opt asks for on c's output opt.Output. It
// stops with ctx's error if cancelled; an unknown output or grouping is an
// error.
func Explain(ctx context.Context, c *lgr.Compiled, opt Options) (*Result, error) {
	opt.defaults()
	m := c.Model
	k := m.Output(opt.Output)
	if k < 0 {
		return nil, errors.New("explain: no output " + opt.Output)
	}
	if _, err := lgr.GroupKey(opt.Groups, "x"); err != nil {
		return nil, err
	}
	r := &Result{Output: opt.Output, Groups: opt.Groups, Seed: opt.Seed, Fixed: []string{}}
	names, fixed := inputs(m)
	for i, n := range names {
		if fixed(i) {
			r.Fixed = append(r.Fixed, n)
		}
	}
	key := func(n string) string { g, _ := lgr.GroupKey(opt.Groups, n); return g }
	groups := sensitivity.GroupBy(names, key, fixed)
	if len(groups) == 0 { // every input fixed: nothing to explain
		return r, nil
	}
	dists := sensitivity.Dists(m)
	if opt.Tornado {
		r.Tornado = sensitivity.Tornado(sensitivity.ModelFunc(m, k), dists, groups)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opt.Rank {
		res, err := engine.Run(ctx, m, engine.Options{Iterations: opt.RankTrials, Seed: opt.Seed, Workers: opt.Workers, Keep: []int{k}, KeepInputs: true})
		if err != nil {
			return nil, err
		}
		rho, err := sensitivity.RankCorrelations(res, res.Kept[0])
		if err != nil {
			return nil, err
		}
		r.RankTrials = opt.RankTrials
		for i, x := range rho {
			if !fixed(i) {
				r.Rank = append(r.Rank, Rank{Input: names[i], Spearman: x, MCSE: SpearmanMCSE(x, opt.RankTrials)})
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opt.Sobol {
		res, err := sensitivity.SobolBatch(sensitivity.ModelBatch(m, k), dists, sensitivity.SobolOptions{N: opt.SobolN, Seed: opt.Seed, Groups: groups, Workers: opt.Workers, Context: ctx})
		if err != nil {
			return nil, err
		}
		r.SobolN, r.SobolReplicates = res.RowsPerReplicate*res.Replicates, res.Replicates
		r.Sobol = res.Indices
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opt.Switching {
		sws, err := sensitivity.SwitchingValues(ctx, m, k, groups, sensitivity.SwitchOptions{Trials: opt.SwitchTrials, Seed: opt.Seed, Workers: opt.Workers})
		if err != nil {
			return nil, err
		}
		r.SwitchTrials, r.Switching = opt.SwitchTrials, sws
	}
	return r, nil
}

// Switching is where the preferred option between two changes, per
// input group, with each group named as people read it.
type Switching struct {
	Switches []sensitivity.Switch
	// Labels and Units give each group (Switch.Name, an internal key) its
	// label in plain words and its unit (its first input's), from what
	// the two scenarios registered with their inputs.
	Labels map[string]string
	Units  map[string]lgr.Unit
}

// SwitchingBetween finds, for each input group, where the mean and median
// of b's NPV minus a's cross zero (the value at which the preferred option
// changes), on common random numbers; b's own inputs are named "b:NAME".
func SwitchingBetween(ctx context.Context, a, b *lgr.Compiled, opt Options) (*Switching, error) {
	opt.defaults()
	d, err := sensitivity.Difference(a.Model, b.Model, a.OutNPV)
	if err != nil {
		return nil, err
	}
	names, fixed := inputs(d)
	key := func(n string) string { g, _ := lgr.GroupKey(opt.Groups, strings.TrimPrefix(n, "b:")); return g }
	groups := sensitivity.GroupBy(names, key, fixed)
	sws, err := sensitivity.SwitchingValues(ctx, d, 0, groups,
		sensitivity.SwitchOptions{Trials: opt.SwitchTrials, Seed: opt.Seed, Workers: opt.Workers})
	if err != nil {
		return nil, err
	}
	// The difference model's inputs are a's, then b's own (Difference):
	// each is registered with one of the two scenarios.
	info := func(k int) (lgr.InputInfo, bool) {
		if k < len(a.Model.Inputs) {
			if k < len(a.Inputs) {
				return a.Inputs[k], true
			}
			return lgr.InputInfo{}, false
		}
		return b.Input(strings.TrimPrefix(d.Inputs[k].Name, "b:"))
	}
	out := &Switching{Switches: sws, Labels: map[string]string{}, Units: map[string]lgr.Unit{}}
	for _, g := range groups {
		var labels []string
		for i, k := range g.Members {
			in, ok := info(k)
			if !ok {
				continue
			}
			labels = append(labels, in.Label)
			if i == 0 {
				out.Units[g.Name] = in.Unit
			}
		}
		out.Labels[g.Name] = lgr.GroupLabelOf(g.Name, labels)
	}
	return out, nil
}

// Swings is the tornado of c's NPV by single input: each uncertain input
// alone at its P10 and its P90, every other at its median; largest swing
// first.
func Swings(c *lgr.Compiled) []sensitivity.Swing {
	m := c.Model
	names, fixed := inputs(m)
	groups := sensitivity.GroupBy(names, func(n string) string { return n }, fixed)
	return sensitivity.Tornado(sensitivity.ModelFunc(m, c.OutNPV), sensitivity.Dists(m), groups)
}

// Input is what is known of one input's influence on NPV: its rank
// correlation over a run and its one-at-a-time swing (zero for a fixed
// input).
type Input struct {
	Name     string
	Fixed    bool
	Spearman float64
	// Low and High are NPV with the input alone at its P10 and P90;
	// Swing is |High - Low|.
	Low, High, Swing float64
}

// Inputs returns every input of c in model order with its influence on
// NPV, from res (a run of c that kept its inputs) and Swings.
func Inputs(c *lgr.Compiled, res *lgr.Result) ([]Input, error) {
	rho, err := sensitivity.RankCorrelations(res.Raw, res.Draws("npv"))
	if err != nil {
		return nil, err
	}
	byName := map[string]sensitivity.Swing{}
	for _, s := range Swings(c) {
		byName[s.Name] = s
	}
	names, fixed := inputs(c.Model)
	out := make([]Input, len(names))
	for i, n := range names {
		out[i] = Input{Name: n, Fixed: fixed(i)}
		if !out[i].Fixed {
			s := byName[n]
			out[i].Spearman, out[i].Low, out[i].High, out[i].Swing = rho[i], s.Low, s.High, s.Swing
		}
	}
	return out, nil
}

// SpearmanMCSE is the standard error of a Spearman correlation r from n
// trials: atanh(r) has variance 1.06/(n-3) (Fieller, Hartley and Pearson
// 1957), carried back to r by the delta method: (1 - r^2) sqrt(1.06/(n-3));
// NaN for n <= 3.
func SpearmanMCSE(r float64, n int) float64 {
	if n <= 3 {
		return math.NaN()
	}
	return (1 - r*r) * math.Sqrt(1.06/float64(n-3))
}

// inputs returns m's input names and a test for fixed inputs.
func inputs(m *engine.Model) ([]string, func(int) bool) {
	names := make([]string, len(m.Inputs))
	for i, in := range m.Inputs {
		names[i] = in.Name
	}
	return names, func(i int) bool { _, ok := m.Inputs[i].Dist.(dist.Fixed); return ok }
}
