package lgr

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/model/dist"
)

// Validate checks the scenario's consistency and returns every problem at
// once (errors.Join), each prefixed by its key path, e.g.
// "successors[1].predecessors[0]: unknown predecessor "Ipswhich" (did you mean "Ipswich"?)".
func (s *Scenario) Validate() error {
	var errs []error
	add := func(path, format string, a ...any) {
		errs = append(errs, fielderr.New(path, format, a...))
	}
	rq := &rangeQueue{errs: &errs}
	if s.Horizon < 0 || s.Horizon > 100 {
		add("horizon", "must be between 1 and 100 years (got %d)", s.Horizon)
	}
	if s.OptimismBias < 0 || math.IsNaN(s.OptimismBias) || math.IsInf(s.OptimismBias, 0) {
		add("optimism_bias", "must be a non-negative fraction (got %v)", s.OptimismBias)
	}
	for i, b := range s.Discount {
		if !(b.Rate > MinDiscountRate && b.Rate <= MaxDiscountRate) {
			add(fmt.Sprintf("discount[%d].rate", i), "must be a rate above %g%% and at most %g%% (got %v)", 100*MinDiscountRate, 100*MaxDiscountRate, b.Rate)
		}
		if i > 0 && b.FromYear <= s.Discount[i-1].FromYear {
			add(fmt.Sprintf("discount[%d].from_year", i), "bands must be in increasing year order")
		}
		if i == 0 && b.FromYear != 0 {
			add("discount[0].from_year", "the first band must start at year 0 (got %d)", b.FromYear)
		}
	}
	if len(s.Predecessors) == 0 {
		add("predecessors", "at least one predecessor council is needed")
	}
	if len(s.Successors) == 0 {
		add("successors", "at least one successor council is needed")
	}
	preds := map[string]int{}
	var predNames []string
	for i, p := range s.Predecessors {
		path := fmt.Sprintf("predecessors[%d]", i)
		if strings.TrimSpace(p.Name) == "" {
			add(path+".name", "missing")
			continue
		}
		key := strings.ToLower(p.Name)
		if _, dup := preds[key]; dup {
			add(path+".name", "%q is used by two predecessors", p.Name)
		}
		preds[key] = i
		predNames = append(predNames, p.Name)
		switch p.Kind {
		case County, District, Unitary:
		default:
			add(path+".kind", "must be county, district or unitary (got %q)%s", p.Kind, suggest.Hint(string(p.Kind), []string{"county", "district", "unitary"}))
		}
		if !(p.Population > 0 && p.Population <= MaxPopulation) {
			add(path+".population", "must be a positive number of residents, at most %g (got %v)", MaxPopulation, p.Population)
		}
		nonNegative(rq, path+".net_expenditure", p.NetExpenditure)
		nonNegative(rq, path+".staff_fte", p.StaffFTE)
		nonNegative(rq, path+".back_office_fte", p.BackOfficeFTE)
		nonNegative(rq, path+".customer_contact_fte", p.CustomerContactFTE)
		if p.Councillors < 0 {
			add(path+".councillors", "must not be negative (got %d)", p.Councillors)
		}
	}
	lookupPred := func(path, name string) (int, bool) {
		i, ok := preds[strings.ToLower(name)]
		if !ok {
			add(path, "unknown predecessor %q%s", name, suggest.Hint(name, predNames))
		}
		return i, ok
	}
	succs := map[string]bool{}
	var succNames []string
	owner := map[int]string{} // non-county predecessor -> successor
	inSome := map[int]bool{}
	countyShares := map[int]float64{}
	sharedIn := map[int][]int{} // county -> successors giving it a share
	holders := map[int][]int{}  // county -> successors listing it
	for i, sc := range s.Successors {
		path := fmt.Sprintf("successors[%d]", i)
		if strings.TrimSpace(sc.Name) == "" {
			add(path+".name", "missing")
		}
		key := strings.ToLower(sc.Name)
		if succs[key] {
			add(path+".name", "%q is used by two successors", sc.Name)
		}
		succs[key] = true
		succNames = append(succNames, sc.Name)
		if len(sc.Predecessors) == 0 {
			add(path+".predecessors", "a successor must be formed from at least one predecessor")
		}
		here := map[int]bool{}
		for j, pn := range sc.Predecessors {
			pi, ok := lookupPred(fmt.Sprintf("%s.predecessors[%d]", path, j), pn)
			if !ok {
				continue
			}
			if here[pi] {
				add(fmt.Sprintf("%s.predecessors[%d]", path, j), "%q is listed twice in this successor", pn)
				continue
			}
			here[pi] = true
			inSome[pi] = true
			if s.Predecessors[pi].Kind == County {
				holders[pi] = append(holders[pi], i)
				continue
			}
			if prev, dup := owner[pi]; dup {
				add(fmt.Sprintf("%s.predecessors[%d]", path, j), "%q is already in successor %q: a district or unitary moves whole into one successor", pn, prev)
			}
			owner[pi] = sc.Name
		}
		for _, pn := range slices.Sorted(maps.Keys(sc.Shares)) {
			v := sc.Shares[pn]
			sp := fmt.Sprintf("%s.shares.%s", path, pn)
			pi, ok := lookupPred(sp, pn)
			if !ok {
				continue
			}
			if s.Predecessors[pi].Kind != County {
				add(sp, "only a county can be shared between successors")
			} else if !here[pi] {
				add(sp, "%q is not among this successor's predecessors; list it there to give it a share", pn)
			}
			sharedIn[pi] = append(sharedIn[pi], i)
			if !(v >= 0 && v <= 1) {
				add(sp, "must be a share in [0, 1] (got %v)", v)
			}
			countyShares[pi] += v
		}
		if sc.Councillors < 0 {
			add(path+".councillors", "must not be negative (got %d)", sc.Councillors)
		}
	}
	for pi := range s.Predecessors {
		tot, given := countyShares[pi]
		if !given {
			continue
		}
		if len(sharedIn[pi]) != len(holders[pi]) {
			add("successors", "county %q has a share in %d of the %d successors that hold it; give its share in every one of them, or in none (then shares follow population)", s.Predecessors[pi].Name, len(sharedIn[pi]), len(holders[pi]))
		} else if math.Abs(tot-1) > 1e-6 {
			add("successors", "the shares of county %q sum to %g; they must sum to 1", s.Predecessors[pi].Name, tot)
		}
	}
	for i, p := range s.Predecessors {
		if p.Name != "" && !inSome[i] {
			add(fmt.Sprintf("predecessors[%d]", i), "%q is in no successor", p.Name)
		}
	}
	cats := map[string]bool{}
	for i, c := range s.Systems {
		path := fmt.Sprintf("systems[%d]", i)
		if c.Name == "" {
			add(path+".name", "missing")
		}
		if cats[strings.ToLower(c.Name)] {
			add(path+".name", "category %q appears twice", c.Name)
		}
		cats[strings.ToLower(c.Name)] = true
		for _, pn := range slices.Sorted(maps.Keys(c.Counts)) {
			lookupPred(path+".counts."+pn, pn)
			if c.Counts[pn] < 0 {
				add(path+".counts."+pn, "must not be negative (got %d)", c.Counts[pn])
			}
		}
		for _, sn := range slices.Sorted(maps.Keys(c.Target)) {
			if !succs[strings.ToLower(sn)] {
				add(path+".target."+sn, "unknown successor %q%s", sn, suggest.Hint(sn, succNames))
			}
			if c.Target[sn] < 0 {
				add(path+".target."+sn, "must not be negative (got %d)", c.Target[sn])
			}
		}
		rowAt := map[[2]string]int{}
		for j, row := range c.Inventory {
			rp := fmt.Sprintf("%s.inventory[%d]", path, j)
			lookupPred(rp+".predecessor", row.Predecessor)
			if row.Licence == nil {
				add(rp+".licence", "missing (this system's annual licence cost)")
			}
			// Rows name systems: the same predecessor and product twice
			// (in any case) is one system given twice.
			if row.Product == "" {
				continue
			}
			key := [2]string{strings.ToLower(row.Predecessor), strings.ToLower(row.Product)}
			if i, dup := rowAt[key]; dup {
				add(rp+".product", "%s's %q is already inventory[%d] (%s's %q): give each system once", row.Predecessor, row.Product, i, c.Inventory[i].Predecessor, c.Inventory[i].Product)
				continue
			}
			rowAt[key] = j
		}
		if len(c.Inventory) > 0 && len(c.Counts) > 0 {
			add(path+".inventory", "give inventory rows or counts (per_kind), not both")
		}
		if c.Licence == nil && len(c.Inventory) == 0 {
			add(path+".licence", "missing (annual licence cost per system)")
		}
		if c.Migration == nil {
			add(path+".migration", "missing (one-off migration cost per system)")
		}
		// Years after vesting and durations: none may be negative.
		nonNegative(rq, path+".contract_end", c.ContractEnd)
		nonNegative(rq, path+".migration_years", c.MigrationYears)
		nonNegative(rq, path+".dual_running", c.DualRunning)
		for j, row := range c.Inventory {
			nonNegative(rq, fmt.Sprintf("%s.inventory[%d].contract_end", path, j), row.ContractEnd)
		}
	}
	for i, w := range s.Workforce {
		path := fmt.Sprintf("workforce[%d]", i)
		if w.Name == "" {
			add(path+".name", "missing")
		}
		if w.Reduction == nil {
			add(path+".reduction", "missing (share of FTE removed)")
		}
		fraction(rq, path+".reduction", w.Reduction)
		if w.CostPerFTE == nil {
			add(path+".cost_per_fte", "missing")
		}
		nonNegative(rq, path+".fte", w.FTE)
		nonNegative(rq, path+".cost_per_fte", w.CostPerFTE)
		nonNegative(rq, path+".redundancy_per_fte", w.RedundancyPerFTE)
		checkProfile(add, path+".redundancy_profile", w.RedundancyProfile, true)
		checkRamp(add, path+".ramp", w.Ramp)
	}
	if d := s.Democracy; d != nil {
		if d.Allowance == nil && d.ElectionSaving == nil {
			add("democracy", "give allowance and/or election_saving")
		}
		if d.Start < 0 || d.Start > 100 {
			add("democracy.start", "must be a year between 0 and 100 (got %d)", d.Start)
		}
		if d.CouncillorsBefore < 0 {
			add("democracy.councillors_before", "must not be negative (got %d)", d.CouncillorsBefore)
		}
		if d.CouncillorsAfter < 0 {
			add("democracy.councillors_after", "must not be negative (got %d)", d.CouncillorsAfter)
		}
	}
	for i, it := range s.Items {
		path := fmt.Sprintf("items[%d]", i)
		if it.Name == "" {
			add(path+".name", "missing")
		}
		if it.Amount == nil {
			add(path+".amount", "missing")
		}
		if it.Start < 0 || it.Start > 100 {
			add(path+".start", "must be a year between 0 and 100 (got %d)", it.Start)
		}
		if it.Successor != "" && !succs[strings.ToLower(it.Successor)] {
			add(path+".successor", "unknown successor %q%s", it.Successor, suggest.Hint(it.Successor, succNames))
		}
		checkProfile(add, path+".profile", it.Profile, !it.Recurring)
		checkRamp(add, path+".ramp", it.Ramp)
	}
	for i, r := range s.Risks {
		path := fmt.Sprintf("risks[%d]", i)
		if r.Name == "" {
			add(path+".name", "missing")
		}
		if !(r.Probability >= 0 && r.Probability <= 1) {
			add(path+".probability", "must be a probability in [0, 1] (got %v)", r.Probability)
		}
		if r.Year < 0 || r.Year > 100 {
			add(path+".year", "must be a year between 0 and 100 (got %d)", r.Year)
		}
		nonNegative(rq, path+".delay", r.Delay)
		if r.Hits != nil && len(r.Hits) == 0 {
			add(path+".hits", "is empty: name the lines whose savings it delays, or leave hits out to delay every saving")
		}
	}
	for i, q := range s.Quality {
		path := fmt.Sprintf("quality[%d]", i)
		if q.Name == "" {
			add(path+".name", "missing")
		}
		if q.Baseline == nil && len(q.Baselines) == 0 {
			add(path+".baseline", "missing")
		}
		for _, pn := range slices.Sorted(maps.Keys(q.Baselines)) {
			lookupPred(path+".baselines."+pn, pn)
		}
		if q.Effect == nil {
			add(path+".effect", "missing")
		}
		if q.ValuePerUnit != nil && q.ChannelShift != nil {
			add(path, "give value_per_unit or channel_shift, not both")
		}
		if cs := q.ChannelShift; cs != nil && (cs.ContactsPerYear == nil || cs.CostOffline == nil || cs.CostOnline == nil) {
			add(path+".channel_shift", "needs contacts_per_year, cost_offline and cost_online")
		}
		checkRamp(add, path+".ramp", q.Ramp)
	}
	positive(rq, "ramp_stretch", s.RampStretch)
	positive(rq, "migration_slip", s.MigrationSlip)
	baseNames := map[string]bool{}
	var baseList []string
	for i, b := range s.CostBases {
		path := fmt.Sprintf("cost_bases[%d]", i)
		if strings.TrimSpace(b.Name) == "" {
			add(path+".name", "missing")
		}
		if b.Amount == nil {
			add(path+".amount", "missing (the annual cost, £ a year)")
		}
		nonNegative(rq, path+".amount", b.Amount)
		baseNames[strings.ToLower(b.Name)] = true
		baseList = append(baseList, b.Name)
	}
	var catList []string
	for _, c := range s.Systems {
		catList = append(catList, c.Name)
	}
	for i, sv := range s.Savings {
		path := fmt.Sprintf("savings[%d]", i)
		if strings.TrimSpace(sv.Name) == "" {
			add(path+".name", "missing")
		}
		if len(sv.Base) == 0 && sv.Amount == nil {
			add(path+".base", "missing: name a cost base (cost_bases) or give amount")
		}
		if len(sv.Base) > 0 && sv.Amount != nil {
			add(path+".amount", "give base or amount, not both")
		}
		for j, b := range sv.Base {
			if !baseNames[strings.ToLower(b)] {
				add(fmt.Sprintf("%s.base[%d]", path, j), "unknown cost base %q%s", b, suggest.Hint(b, baseList))
			}
		}
		if sv.Reduction == nil {
			add(path+".reduction", "missing (share of the base saved at full effect)")
		}
		fraction(rq, path+".reduction", sv.Reduction)
		nonNegative(rq, path+".amount", sv.Amount)
		nonNegative(rq, path+".cost_to_achieve", sv.CostToAchieve)
		if !(sv.Scale >= 0 && sv.Scale <= MaxScale) {
			add(path+".scale", "must be a non-negative factor, at most %g (got %v)", MaxScale, sv.Scale)
		}
		for j, g := range sv.EnabledBy {
			if !cats[strings.ToLower(g)] {
				add(fmt.Sprintf("%s.enabled_by[%d]", path, j), "unknown system category %q%s", g, suggest.Hint(g, catList))
			}
		}
		if sv.Successor != "" && !succs[strings.ToLower(sv.Successor)] {
			add(path+".successor", "unknown successor %q%s", sv.Successor, suggest.Hint(sv.Successor, succNames))
		}
		checkProfile(add, path+".cost_profile", sv.CostProfile, true)
		checkRamp(add, path+".ramp", sv.Ramp)
	}
	uniqueNames(add, "cost_bases", len(s.CostBases), func(i int) string { return s.CostBases[i].Name })
	uniqueNames(add, "savings", len(s.Savings), func(i int) string { return s.Savings[i].Name })
	uniqueNames(add, "items", len(s.Items), func(i int) string { return s.Items[i].Name })
	uniqueNames(add, "risks", len(s.Risks), func(i int) string { return s.Risks[i].Name })
	uniqueNames(add, "quality", len(s.Quality), func(i int) string { return s.Quality[i].Name })
	uniqueNames(add, "workforce", len(s.Workforce), func(i int) string { return s.Workforce[i].Name })
	rq.flush()
	return errors.Join(errs...)
}

func uniqueNames(add func(string, string, ...any), section string, n int, name func(int) string) {
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		k := strings.ToLower(name(i))
		if k != "" && seen[k] {
			add(fmt.Sprintf("%s[%d].name", section, i), "%q appears twice in %s", name(i), section)
		}
		seen[k] = true
	}
}

func checkProfile(add func(string, string, ...any), path string, p []float64, sumToOne bool) {
	if len(p) == 0 {
		return
	}
	tot := 0.0
	for i, v := range p {
		if !(v >= 0) || math.IsInf(v, 0) {
			add(fmt.Sprintf("%s[%d]", path, i), "must be a non-negative fraction (got %v)", v)
		}
		tot += v
	}
	if sumToOne && math.Abs(tot-1) > 1e-6 {
		add(path, "fractions must sum to 1 (got %g)", tot)
	}
}

func checkRamp(add func(string, string, ...any), path string, r Ramp) {
	if !(r.Years >= 0 && r.Years <= 1000) {
		add(path+".years", "must be positive (got %v)", r.Years)
	}
	if r.Start < 0 || r.Start > 100 {
		add(path+".start", "must be a year between 0 and 100 (got %d)", r.Start)
	}
	if len(r.Profile) > 1000 {
		add(path+".profile", "at most 1000 years (got %d)", len(r.Profile))
	}
	for i, v := range r.Profile {
		if !(v >= 0) || math.IsInf(v, 0) {
			add(fmt.Sprintf("%s.profile[%d]", path, i), "must be a non-negative fraction (got %v)", v)
		}
	}
}

// Limits on scenario values beyond which the model's sums lose meaning.
const (
	// MaxPopulation bounds a predecessor's residents (England has 57 million).
	MaxPopulation = 1e9
	// MinDiscountRate and MaxDiscountRate bound a real discount rate: near
	// -100% the discount factors overflow.
	MinDiscountRate = -0.5
	MaxDiscountRate = 1.0
	// MaxScale bounds a saving's scale: it scales a one-unitary percentage
	// for an option, so anything near it is a typing slip (a scale of 1e300
	// on a £1e15 base made every output infinite).
	MaxScale = 1000.0
)

// lowQ and highQ are the quantile levels at which an input's range is
// checked against its domain.
const lowQ, highQ = 1e-6, 1 - 1e-6

// rangeQueue holds Validate's range checks (nonNegative, positive,
// fraction) until the end. They read quantiles, and a PERT's quantile
// builds its inverse table (some 0.5 ms; the run then reuses it), so the
// tables they need are first built in parallel (dist.BuildQuantileTables),
// and then the checks run, in order, each error in the place among the
// others where its check was called.
type rangeQueue struct {
	errs   *[]error
	checks []rangeCheck
}

// rangeCheck is one range check: its place in the errors, its
// distribution, and the check itself.
type rangeCheck struct {
	at    int
	d     dist.Distribution
	check func(d dist.Distribution) error
}

// add queues check of d (nothing if d is nil), holding its place among the
// errors.
func (q *rangeQueue) add(d dist.Distribution, check func(d dist.Distribution) error) {
	if d == nil {
		return
	}
	q.checks = append(q.checks, rangeCheck{len(*q.errs), d, check})
	*q.errs = append(*q.errs, nil) // errors.Join drops the places left nil
}

// flush builds the tables the queued checks read, then runs them.
func (q *rangeQueue) flush() {
	ds := make([]dist.Distribution, len(q.checks))
	for i, c := range q.checks {
		ds[i] = c.d
	}
	dist.BuildQuantileTables(ds, runtime.GOMAXPROCS(0))
	for _, c := range q.checks {
		(*q.errs)[c.at] = c.check(c.d)
	}
	q.checks = nil
}

// nonNegative reports a distribution that can draw negative values (FTE,
// cost per FTE, expenditure).
func nonNegative(q *rangeQueue, path string, d dist.Distribution) {
	q.add(d, func(d dist.Distribution) error {
		if v := d.Quantile(lowQ); v < 0 {
			return fielderr.New(path, "must not be negative (its values reach %g)", v)
		}
		return nil
	})
}

// positive reports a distribution that can draw zero or negative values (a
// factor on time: ramp stretch, migration slip).
func positive(q *rangeQueue, path string, d dist.Distribution) {
	q.add(d, func(d dist.Distribution) error {
		if v := d.Quantile(lowQ); !(v > 0) {
			return fielderr.New(path, "must be a positive factor (its values reach %g)", v)
		}
		return nil
	})
}

// fraction reports a distribution that can draw values outside [0, 1] (a
// share removed).
func fraction(q *rangeQueue, path string, d dist.Distribution) {
	q.add(d, func(d dist.Distribution) error {
		if lo, hi := d.Quantile(lowQ), d.Quantile(highQ); lo < 0 || hi > 1 {
			return fielderr.New(path, "must be a fraction between 0 and 100%% (its values range over %g to %g)", lo, hi)
		}
		return nil
	})
}
