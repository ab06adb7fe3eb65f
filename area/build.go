package area

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/notation"
	"github.com/devolve-lgr/devolve/scenarios"
)

// Ratios used to derive what the data do not publish (docs/MODEL.md §10).
// Each is a 90% interval; sources are docs/EVIDENCE.md sections unless stated.
const (
	// Cost per FTE including on-costs: reference model R's Normal(45k, 3k), widened.
	costPerFTELo, costPerFTEHi = 40e3, 50e3
	// County net current expenditure per resident (£28,713m / 19,243,800).
	countyNCEPerResident = 28_713_444e3 / 19_243_800
	// A derived pay bill's 90% interval: ±30% of the estimate (judgement).
	derivedPaySpread = 0.3
	// Residents per councillor before, across both tiers: Hertfordshire 526
	// councillors for 1.2m (§3c): 2,000-2,600.
	residentsPerCllrBeforeLo, residentsPerCllrBeforeHi = 2000, 2600
	// After, one unitary: Dorset 82 for 379k (4,600), Leicestershire about
	// 100 for 710k (7,100) (§3c, §4b). Two or more: Northamptonshire 170 for
	// about 750k at the time of its case (4,400; Census 2021's 798,600 gives
	// 4,700), BCP 76 for 400k (5,300) (§4b).
	residentsPerCllrOneLo, residentsPerCllrOneHi   = 4600, 7100
	residentsPerCllrManyLo, residentsPerCllrManyHi = 4400, 5300
	// Election saving per resident: Leicestershire £1.3m a year for 710k
	// (§3c), widened to £0.6-£1.9, scaled by the share of councils removed.
	electionPerResidentLo, electionPerResidentHi = 0.6, 1.9
	// Customer contacts per resident a year: Socitm 600m+ contacts for
	// English councils, 2011/12 (§7): 8-13.
	contactsPerResidentLo, contactsPerResidentHi = 8, 13
	// County-service disaggregation diseconomy, a share a year of the net
	// current expenditure of the county services that are split (every RSX
	// line but education, police, fire and rescue and public health, as the
	// cost base: schools' money passes through, police and fire are not
	// council functions here, public health is a ring-fenced grant) times
	// (K-1)/K: JUDGEMENT, not sourced. EVIDENCE.md has no per-service
	// estimate; PwC 2020's "at least £1.9bn" for splitting county services is
	// context, not calibration.
	disaggLo, disaggHi = 0.005, 0.02
	// Years of a removed post's cost paid per redundancy (excluding pension
	// strain): PERT(0.45, 0.8, 1.1), £20k/£36k/£50k over a £45k cost per
	// post (JUDGEMENT around Shropshire 2009, £6.7m for 182 posts, £37k,
	// calibration/data/README.md; Cornwall 2009, £47k per redundancy,
	// EVIDENCE.md §4a).
	redundancyYearsLo, redundancyYearsMode, redundancyYearsHi = 0.45, 0.8, 1.1
	// Share of the posts a staff saving removes that end in a redundancy
	// payment; the rest go by vacancies deleted, natural turnover and
	// redeployment into vacant posts: PERT(0.5, 0.6, 0.9). Somerset Council
	// cut 555 FTE posts in 2024-25 with 292 redundancies (0.53,
	// council-reported); Northumberland expected about 800 posts lost at its
	// 2009 merger, about 300 absorbed by vacancies (0.63, the council's
	// estimate at vesting); Birmingham's 2011-15 plan, 3,700 redundancies
	// against 475 by natural turnover (0.89, budget; not a reorganisation,
	// the high end). Councils' median labour turnover is 13.4% a year (LGA
	// workforce survey 2017/18, measured), which bounds what vacancies can
	// absorb in a two-year restructuring (EVIDENCE.md §4d).
	redundantShareLo, redundantShareMode, redundantShareHi = 0.5, 0.6, 0.9
)

// The cost to achieve of a staff saving, per £ of annual saving, is the
// product of the two PERTs above. It is written as one PERT fitted to that
// product, rounded to 0.01: the product of 10^6 draws has mean 0.501, sd
// 0.096, P5/P50/P95 0.352/0.496/0.670, and PERT(0.29, 0.48, 0.81) has
// 0.503, 0.097, 0.354/0.498/0.671 (least squares on the relative errors of
// the mean, P5 and P95; TestRedundancyShare checks it against the product).
// The PERT on the products of the bounds and modes, PERT(0.225, 0.48, 0.99),
// written before, was 4% high in the mean and 46% too wide in sd.
const ctaLo, ctaMode, ctaHi = "0.29", "0.48", "0.81"

// lnRange returns the 90% interval of a product/quotient of independent
// lognormal factors, each given by its own 90% interval: f = scale * prod
// num / prod den.
func lnRange(scale float64, num, den [][2]float64) (lo, hi float64) {
	mu, v := math.Log(scale), 0.0
	for _, r := range num {
		m, s := (math.Log(r[0])+math.Log(r[1]))/2, (math.Log(r[1])-math.Log(r[0]))/(2*dist.Z95)
		mu, v = mu+m, v+s*s
	}
	for _, r := range den {
		m, s := (math.Log(r[0])+math.Log(r[1]))/2, (math.Log(r[1])-math.Log(r[0]))/(2*dist.Z95)
		mu, v = mu-m, v+s*s
	}
	sd := math.Sqrt(v)
	return math.Exp(mu - dist.Z95*sd), math.Exp(mu + dist.Z95*sd)
}

// member is one predecessor of a generated scenario.
type member struct {
	Council
	successor int
}

// Integration strategies for a generated area (AreaOptions.Integration):
// how the core systems (finance and ERP, HR and payroll, CRM) are brought
// together (docs/MODEL.md §11c).
const (
	// Contract (the default): each system category migrates when its legacy
	// contracts end (uniform on years 1-5: DefaultContractEnd), as the
	// 2019-2023 unitaries did (EVIDENCE.md §4b: legacy revenues and benefits
	// and planning systems ran 2-2.5 years after vesting).
	Contract = "contract"
	// Connected: the core systems are consolidated onto one platform early
	// (migration over 1-2 years, planned, so subject to EVIDENCE.md §9's schedule
	// slip 1.1/1.4/2.0), legacy contracts bought out (exit fees), and the
	// transformation savings they enable start as soon as they are done.
	Connected = "connected"
	// Federated: legacy core systems are kept and bridged by integration
	// middleware, consolidation deferred until their contracts expire (years
	// 3-6), with 1-2 years of dual running.
	Federated = "federated"
)

// coreCategories are the systems the integration strategy applies to.
var coreCategories = map[string]bool{"finance_erp": true, "hr_payroll": true, "crm_contact_centre": true}

// Generated is an area scenario built from the shipped data: the typed
// scenario (scenarios.Loaded, run as it is, built directly as an
// lgr.Scenario) and, for --write, the same scenario as YAML with the source
// of every default as a comment (scenarios.WriteYAML).
type Generated struct {
	*scenarios.Loaded
	// Councils are the predecessor councils (the county first).
	Councils []string
	// StaffCost is the merging councils' staff cost base, £ a year cash
	// (RSX employees, C1, of every service line but education, police, fire
	// and public health); StaffCostDerived is the part estimated per
	// resident for councils without services data (within StaffCost).
	StaffCost, StaffCostDerived float64
	notes                       map[string]string
	// written is how --write writes the scenario (the distributions as
	// specified, per_kind counts, the opening comment); yaml is that file.
	written scenarios.Written
	yaml    []byte
}

// YAML is the generated scenario as a file a user can edit and run
// (scenarios.WriteYAML): every default's source as a comment.
func (g *Generated) YAML() []byte { return slices.Clone(g.yaml) }

// councilBase is one council's cost base by function group, £ a year cash
// (docs/MODEL.md §11b): staff (employees) and running expenses of every
// service line except education (schools), police, fire and rescue, and
// public health (ring-fenced grant); running expenses split into social
// care (placements, largely outside a reorganisation's reach) and the rest;
// net is the same service lines' net current expenditure (the base of county
// disaggregation).
type councilBase struct{ staff, care, other, net float64 }

// excludedServices are left out of the cost base.
var excludedServices = map[string]bool{"education": true, "police": true, "fire_rescue": true, "public_health": true, "total": true}

func baseOf(c Council) (councilBase, bool) {
	var b councilBase
	if len(c.Services) == 0 {
		return b, false
	}
	for svc, sp := range c.Services {
		if excludedServices[svc] {
			continue
		}
		b.staff += sp.Employees
		b.net += sp.Net
		if svc == "adult_social_care" || svc == "childrens_social_care" {
			b.care += sp.Running
		} else {
			b.other += sp.Running
		}
	}
	return b, true
}

var (
	perResidentOnce              sync.Once
	countyPerRes, districtPerRes councilBase
)

// perResident is the cost base per resident of the 21 areas' counties and
// districts (area/data), for a council with no services data.
func perResident() (county, district councilBase) {
	perResidentOnce.Do(func() {
		var cp, dp float64
		for _, a := range loadData().areas {
			if a.Reorganised {
				continue
			}
			if b, ok := baseOf(a.County); ok {
				countyPerRes.staff += b.staff
				countyPerRes.care += b.care
				countyPerRes.other += b.other
				countyPerRes.net += b.net
				cp += a.Population
			}
			for _, d := range a.Districts {
				if b, ok := baseOf(d); ok {
					districtPerRes.staff += b.staff
					districtPerRes.care += b.care
					districtPerRes.other += b.other
					districtPerRes.net += b.net
					dp += d.Population
				}
			}
		}
		for _, x := range []*float64{&countyPerRes.staff, &countyPerRes.care, &countyPerRes.other, &countyPerRes.net} {
			*x /= cp
		}
		for _, x := range []*float64{&districtPerRes.staff, &districtPerRes.care, &districtPerRes.other, &districtPerRes.net} {
			*x /= dp
		}
	})
	return countyPerRes, districtPerRes
}

// Cost-base shares and saving defaults of a generated area (docs/MODEL.md
// §11), each a 90% interval or PERT (min, mode, max), with its source.
const (
	// Enabling support (back office) share of the staff cost base: 15%-25%
	// (Wiltshire's predecessors spent 19% of budget on back office, EVIDENCE.md §4a).
	enablingShareLo, enablingShareHi = 0.15, 0.25
	// Customer contact share of staff: 3%-7%. JUDGEMENT: no published split;
	// Socitm's 600m contacts a year (EVIDENCE.md §7) at 2-4 minutes each is
	// 3-6% of local government staff time.
	contactShareLo, contactShareHi = 0.03, 0.07
	// Service delivery: the rest, 68%-82%.
	deliveryShareLo, deliveryShareHi = 0.68, 0.82
)

// BuildArea builds the scenario for an area reorganised as opt says, from
// the shipped data and the defaults above: a typed scenario, validated as
// any scenario file is (the YAML is only written for --write).
func BuildArea(a Area, opt AreaOptions) (*Generated, error) {
	d := loadData()
	if d.err != nil {
		return nil, d.err
	}
	switch opt.Integration {
	case "", Contract, Connected, Federated:
	default:
		return nil, fmt.Errorf("--integration: must be %s, %s or %s (got %q)", Contract, Connected, Federated, opt.Integration)
	}
	members, errs := areaMembers(d, a, opt.Add)
	var succNames []string
	if len(opt.Groups) > 0 {
		var gerrs []error
		succNames, gerrs = assignGroups(members, a, opt.Groups)
		errs = append(errs, gerrs...)
	} else {
		var err error
		if succNames, err = assignBalanced(members, a, opt.Unitaries); err != nil {
			return nil, err
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	b := newBuilder(a, opt, members, succNames)
	b.header()
	b.structure()
	b.systems()
	removed, nCouncils := b.democracy()
	b.costBases(removed)
	scale := 0.0
	if b.k > 1 {
		// JUDGEMENT: consolidation savings in proportion to the councils removed.
		scale = math.Round(1000*removed/(nCouncils-1)) / 1000
	}
	b.staffSavings(scale)
	b.otherSavings(scale)
	b.items(removed)
	b.quality()
	return b.finish()
}

// areaMembers are the area's districts and the unitaries opt adds (by
// name; an unknown name is an error naming the nearest).
func areaMembers(d dataset, a Area, add []string) ([]member, []error) {
	var members []member
	for _, c := range a.Districts {
		members = append(members, member{Council: c})
	}
	var errs []error
	for _, name := range add {
		u, ok := d.unitaries[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			var names []string
			for _, v := range d.unitaries {
				names = append(names, v.Name)
			}
			sort.Strings(names)
			errs = append(errs, fmt.Errorf("--add: no unitary council %q%s", name, suggest.Hint(name, names)))
			continue
		}
		members = append(members, member{Council: u})
	}
	return members, errs
}

// assignGroups puts each member into its named group (--group) and
// returns the successors' names: every member in exactly one group.
func assignGroups(members []member, a Area, groups []Group) ([]string, []error) {
	idx := map[string]int{}
	for i, m := range members {
		idx[strings.ToLower(m.Name)] = i
	}
	var succNames []string
	var errs []error
	assigned := map[int]string{}
	for gi, g := range groups {
		succNames = append(succNames, g.Name)
		for _, mn := range g.Members {
			i, ok := idx[strings.ToLower(mn)]
			if !ok {
				var names []string
				for _, m := range members {
					names = append(names, m.Name)
				}
				errs = append(errs, fmt.Errorf("--group %s: %q is not a district of %s or an added unitary%s", g.Name, mn, a.Name, suggest.Hint(mn, names)))
				continue
			}
			if prev, dup := assigned[i]; dup {
				errs = append(errs, fmt.Errorf("--group %s: %q is already in group %s", g.Name, mn, prev))
				continue
			}
			assigned[i] = g.Name
			members[i].successor = gi
		}
	}
	for i, m := range members {
		if _, ok := assigned[i]; !ok {
			errs = append(errs, fmt.Errorf("--group: %s is in no group", m.Name))
		}
	}
	return succNames, errs
}

// assignBalanced splits the members into k successors of balanced
// population, largest first into the smallest (not geography: name real
// proposals with --group), and returns the successors' names.
func assignBalanced(members []member, a Area, k int) ([]string, error) {
	if k < 1 || k > 5 || k > len(members) {
		return nil, fmt.Errorf("--unitaries: must be between 1 and %d for %s (got %d)", min(5, len(members)), a.Name, k)
	}
	sort.SliceStable(members, func(i, j int) bool { return members[i].Population > members[j].Population })
	pop := make([]float64, k)
	for i := range members {
		s := 0
		for j := range pop {
			if pop[j] < pop[s] {
				s = j
			}
		}
		members[i].successor = s
		pop[s] += members[i].Population
	}
	var succNames []string
	for s := 0; s < k; s++ {
		if k == 1 {
			succNames = append(succNames, a.Name+" Council")
		} else {
			succNames = append(succNames, fmt.Sprintf("%s %c", a.Name, 'A'+s))
		}
	}
	return succNames, nil
}

// builder holds one generated area while BuildArea fills in its scenario,
// section by section.
type builder struct {
	a         Area
	opt       AreaOptions
	strategy  string // opt.Integration, Contract when empty
	members   []member
	succNames []string
	k         int // successors
	county    Council
	totalPop  float64 // the county's residents and any added unitaries'
	// cpr and dpr are the per-resident cost bases of counties and
	// districts; obs and der the area's cost base, observed and derived
	// (per resident, for councils without services data).
	cpr, dpr, obs, der councilBase
	derivedNames       []string
	yearList           []string // RSX years of the observed data
	g                  *Generated
	s                  *lgr.Scenario
	errs               []error // specs that do not read (a bug)
}

func (b *builder) note(path, text string) { b.g.notes[path] = text }

// dist is the distribution spec (scenario notation, notation.FromSpec)
// stands for, at key path path; --write writes spec there, so the file
// reads back as the distribution built.
func (b *builder) dist(path string, spec any) dist.Distribution {
	d, err := notation.FromSpec(spec, nil)
	if err != nil {
		b.errs = append(b.errs, fielderr.Under(path, err))
		return nil
	}
	b.g.written.Specs[path] = spec
	return d
}

// newBuilder sums the area's population and cost base: observed where the
// services data has the council, else per-resident averages (with a ±30%
// 90% range, derivedPaySpread).
func newBuilder(a Area, opt AreaOptions, members []member, succNames []string) *builder {
	b := &builder{a: a, opt: opt, strategy: opt.Integration, members: members, succNames: succNames, k: len(succNames),
		county: a.County, totalPop: a.Population, s: &lgr.Scenario{},
		g: &Generated{notes: map[string]string{}, written: scenarios.Written{Specs: map[string]any{}, PerKind: map[int]map[string]int{}}}}
	if b.strategy == "" {
		b.strategy = Contract
	}
	for _, m := range members {
		if m.Kind == "unitary" {
			b.totalPop += m.Population
		}
	}
	if b.county.NetExpenditure == 0 {
		b.county.NetExpenditure = countyNCEPerResident * a.Population
	}
	b.cpr, b.dpr = perResident()
	cpr, dpr := b.cpr, b.dpr
	b.addBase(b.county, cpr, a.Population)
	years := map[string]bool{}
	if b.county.ServicesYear != "" {
		years[b.county.ServicesYear] = true
	}
	for _, m := range members {
		per := dpr
		if m.Kind == "unitary" {
			per = councilBase{cpr.staff + dpr.staff, cpr.care + dpr.care, cpr.other + dpr.other, cpr.net + dpr.net}
		}
		b.addBase(m.Council, per, m.Population)
		if m.ServicesYear != "" {
			years[m.ServicesYear] = true
		}
	}
	for y := range years {
		b.yearList = append(b.yearList, y)
	}
	sort.Strings(b.yearList)
	b.g.StaffCost, b.g.StaffCostDerived = b.obs.staff+b.der.staff, b.der.staff
	b.g.Councils = append(b.g.Councils, b.county.Name)
	for _, m := range members {
		b.g.Councils = append(b.g.Councils, m.Name)
	}
	return b
}

// addBase adds council c's cost base: observed, or per resident x pop.
func (b *builder) addBase(c Council, per councilBase, pop float64) {
	if cb, ok := baseOf(c); ok {
		b.obs.staff, b.obs.care, b.obs.other = b.obs.staff+cb.staff, b.obs.care+cb.care, b.obs.other+cb.other
		return
	}
	b.der.staff, b.der.care, b.der.other = b.der.staff+per.staff*pop, b.der.care+per.care*pop, b.der.other+per.other*pop
	b.derivedNames = append(b.derivedNames, c.Name)
}

// baseRange is the 90% range of share x (observed o + derived dv), the
// derived part widened by ±30%.
func baseRange(o, dv float64, share [2]float64) string {
	tot := o + dv
	num := [][2]float64{share}
	if dv > 0 {
		w := derivedPaySpread * dv / tot
		num = append(num, [2]float64{1 - w, 1 + w})
	}
	lo, hi := lnRange(tot, num, nil)
	return rangeSpec(lo, hi)
}

// header writes the title, the description, the file's opening comment
// (what is observed and what derived) and the horizon, vesting year and
// price base.
func (b *builder) header() {
	a, k := b.a, b.k
	title := fmt.Sprintf("%s, %d unitar%s", a.Name, k, map[bool]string{true: "y", false: "ies"}[k == 1])
	if len(b.opt.Groups) > 0 {
		title += " (named groups)"
	}
	if b.strategy != Contract {
		title += ", " + b.strategy + " integration"
	}
	b.g.written.Head = []string{
		title + ": generated by `devolve area` from the shipped data (area/data/README.md)",
		"and the defaults in area/build.go (docs/MODEL.md §10-11); edit freely.",
		"Observed: populations (Census 2021); net expenditure (MHCLG revenue outturn); staff and",
		fmt.Sprintf("running expenses by service line (MHCLG RSX %s, cash), excluding education, police, fire", strings.Join(b.yearList, ", ")),
		"and public health. Derived, as 90% ranges: cost bases by function, seats removed,",
		"election savings, contacts.",
	}
	if len(b.derivedNames) > 0 {
		b.g.written.Head = append(b.g.written.Head, fmt.Sprintf("No services data for %s: per-resident averages of the 21 areas, ±30%%.", strings.Join(b.derivedNames, ", ")))
	}
	b.s.Name = title
	var parts []string
	for s, n := range b.succNames {
		parts = append(parts, fmt.Sprintf("%s (%s)", n, strings.Join(b.memberNames(s), ", ")))
	}
	b.s.Description = fmt.Sprintf("%s County Council and its %d districts (%.0f residents) become %s.", a.Name, len(a.Districts), a.Population, strings.Join(parts, "; "))
	// Prices: the cost bases, the largest inputs, are RSX 2022-23 cash, and
	// nothing is uplifted, so the price base is 2022/23 (net expenditure,
	// 2023-24, and EVIDENCE.md §9's 2020-2025 ranges are taken as they are).
	b.s.Horizon, b.s.VestingYear, b.s.PriceBase = 10, 2028, "2022/23"
	if a.Reorganised {
		b.s.VestingYear = 2023
	}
	b.note("price_base", "RSX 2022-23 cash, not uplifted (net expenditure 2023-24 and EVIDENCE.md §9's 2020-2025 ranges taken as they are)")
}

// memberNames are the names of successor s's members (not the county).
func (b *builder) memberNames(s int) []string {
	var ms []string
	for _, m := range b.members {
		if m.successor == s {
			ms = append(ms, m.Name)
		}
	}
	return ms
}

// structure writes the predecessors and the successors.
func (b *builder) structure() {
	county := b.county
	b.pred(county.Name, "county", county.Population, county.NetExpenditure)
	for _, m := range b.members {
		b.pred(m.Name, m.Kind, m.Population, m.NetExpenditure)
	}
	for s, n := range b.succNames {
		b.s.Successors = append(b.s.Successors, lgr.Successor{Name: n, Predecessors: append([]string{county.Name}, b.memberNames(s)...)})
	}
}

// pred adds a predecessor; its net expenditure (£ a year) when positive.
func (b *builder) pred(name, kind string, pop, net float64) {
	p := lgr.Predecessor{Name: name, Kind: lgr.Kind(kind), Population: pop}
	if net > 0 {
		p.NetExpenditure = b.dist(fmt.Sprintf("predecessors[%d].net_expenditure", len(b.s.Predecessors)), exact(net))
	}
	b.s.Predecessors = append(b.s.Predecessors, p)
}

// systems writes the systems, one per council running the service, with
// EVIDENCE.md §9's suggested ranges and the integration strategy's timing.
func (b *builder) systems() {
	strategy := b.strategy
	b.note("systems", "one per council running the service; EVIDENCE.md §9 suggested ranges, migration priced per consolidation project (Westmorland and Furness: 3 revenues and benefits systems into 1 for £312k; ERP: ledgers onto one continuing ERP per successor, £1m/£3m/£6m); integration: "+strategy)
	for i, sc := range coreSystems {
		path := fmt.Sprintf("systems[%d]", i)
		sy := b.system(i, sc)
		var notes []string
		if coreCategories[sc.name] {
			switch strategy {
			case Connected:
				sy.ContractEnd = b.dist(path+".contract_end", uniformInt(1, 2))
				sy.MigrationYears = b.dist(path+".migration_years", uniformInt(1, 2))
				sy.ExitFee = b.dist(path+".exit_fee", pert("10k", "50k", "150k"))
				notes = append(notes, "connected: consolidated early, contracts ended and migrated in years 1-2, legacy contracts bought out (timing and exit fee: JUDGEMENT)")
			case Federated:
				sy.ContractEnd = b.dist(path+".contract_end", uniformInt(3, 6))
				sy.DualRunning = b.dist(path+".dual_running", uniformInt(1, 2))
				notes = append(notes, "federated: kept and bridged until contracts expire in years 3-6, then 1-2 years' dual running (JUDGEMENT)")
			}
		}
		if sc.source != "" {
			notes = append(notes, sc.source)
		}
		if len(notes) > 0 {
			b.note(path, strings.Join(notes, "; "))
		}
		b.s.Systems = append(b.s.Systems, sy)
	}
	if strategy == Connected {
		b.s.MigrationSlip = b.dist("migration_slip", pert("1.1", "1.4", "2.0"))
		b.note("migration_slip", "EVIDENCE.md §9 schedule slip for IT consolidation 1.1/1.4/2.0 (planned migrations slip)")
	}
}

// system is category sc as system i: one system per predecessor of the
// kinds running the service (written per kind, so a predecessor added to
// the file gets its own), migrated per consolidation project, at the
// category's licence and migration cost.
func (b *builder) system(i int, sc systemDefault) lgr.SystemCategory {
	counts := map[string]int{}
	for _, p := range b.s.Predecessors {
		if n, ok := sc.kinds[string(p.Kind)]; ok {
			counts[p.Name] = n
		}
	}
	b.g.written.PerKind[i] = sc.kinds
	path := fmt.Sprintf("systems[%d]", i)
	return lgr.SystemCategory{Name: sc.name, Counts: counts, PerConsolidation: true,
		Licence: b.dist(path+".licence", sc.licence), Migration: b.dist(path+".migration", sc.migration)}
}

// optDist is dist, nil for a nil spec.
func (b *builder) optDist(path string, spec any) dist.Distribution {
	if spec == nil {
		return nil
	}
	return b.dist(path, spec)
}

// democracy writes the seats removed, allowances and election savings and
// returns the councils removed and the councils before.
func (b *builder) democracy() (removed, nCouncils float64) {
	totalPop := b.totalPop
	after := [2]float64{residentsPerCllrOneLo, residentsPerCllrOneHi}
	if b.k > 1 {
		after = [2]float64{residentsPerCllrManyLo, residentsPerCllrManyHi}
	}
	seatsLo := math.Max(1, totalPop/residentsPerCllrBeforeHi-totalPop/after[0])
	seatsHi := math.Max(seatsLo+1, totalPop/residentsPerCllrBeforeLo-totalPop/after[1])
	nCouncils = float64(len(b.members) + 1)
	removed = nCouncils - float64(b.k)
	frac := removed / nCouncils
	b.s.Democracy = &lgr.Democracy{SeatsRemoved: b.dist("democracy.seats_removed", fmt.Sprintf("%.0f to %.0f", seatsLo, seatsHi)),
		Allowance:      b.dist("democracy.allowance", "3k to 10k"),
		ElectionSaving: b.dist("democracy.election_saving", rangeSpec(math.Max(1, totalPop*electionPerResidentLo*frac), totalPop*electionPerResidentHi*frac))}
	b.note("democracy.seats_removed", "residents per councillor before 2,000-2,600 (Hertfordshire), after per EVIDENCE.md §3c, §4b")
	b.note("democracy.allowance", "Dorset, BCP: saving per seat removed (§4b)")
	b.note("democracy.election_saving", "Leicestershire £1.3m a year for 710k (§3c), scaled by councils removed")
	return removed, nCouncils
}

// costBases writes the cost bases the savings business cases count
// (docs/MODEL.md §11b-c).
func (b *builder) costBases(removed float64) {
	obs, der := b.obs, b.der
	for i, cb := range []struct {
		name   string
		amount any
	}{
		{"enabling_support_staff", baseRange(obs.staff, der.staff, [2]float64{enablingShareLo, enablingShareHi})},
		{"customer_contact_staff", baseRange(obs.staff, der.staff, [2]float64{contactShareLo, contactShareHi})},
		{"service_delivery_staff", baseRange(obs.staff, der.staff, [2]float64{deliveryShareLo, deliveryShareHi})},
		{"third_party_spend", baseRange(obs.other, der.other, [2]float64{1, 1})},
		{"top_teams", scaledPert(removed, 0.4e6, 0.6e6, 0.9e6)},
		{"accommodation", scaledPert(removed, 0.1e6, 0.3e6, 0.8e6)},
	} {
		b.s.CostBases = append(b.s.CostBases, lgr.CostBase{Name: cb.name, Amount: b.dist(fmt.Sprintf("cost_bases[%d].amount", i), cb.amount)})
	}
	b.note("cost_bases[0]", fmt.Sprintf("staff £%s (RSX employees) x 15-25%% enabling support (JUDGEMENT informed by Wiltshire: back office 19%% of the predecessors' budget, not their staff, EVIDENCE.md §4a)", amount(obs.staff+der.staff)))
	b.note("cost_bases[1]", "staff x 3-7% customer contact (JUDGEMENT: no published split)")
	b.note("cost_bases[2]", "staff x 68-82% service delivery (the rest)")
	b.note("cost_bases[3]", fmt.Sprintf("running expenses outside social care (RSX C2); social care running £%s excluded", amount(obs.care+der.care)))
	b.note("cost_bases[4]", fmt.Sprintf("%.0f top teams removed x £0.4m/0.6m/0.9m: Leicestershire EY £4.8m for 7 (§3c), North Yorkshire £3.8m for 7 (§4b)", removed))
	b.note("cost_bases[5]", fmt.Sprintf("%.0f council headquarters released x £0.1m/0.3m/0.8m a year (JUDGEMENT)", removed))
}

// saving adds sv with its reduction and cost to achieve (nil: none) as
// specified.
func (b *builder) saving(sv lgr.Saving, reduction, costToAchieve any) {
	path := fmt.Sprintf("savings[%d]", len(b.s.Savings))
	sv.Reduction = b.dist(path+".reduction", reduction)
	sv.CostToAchieve = b.optDist(path+".cost_to_achieve", costToAchieve)
	b.s.Savings = append(b.s.Savings, sv)
}

// genericRamp is the linear four-year savings ramp (lgr.GenericSavingsPhasing,
// JUDGEMENT: no case's own plan), stretched by ramp_stretch.
func genericRamp() lgr.Ramp {
	return lgr.Ramp{Start: 1, Profile: slices.Clone(lgr.GenericSavingsPhasing)}
}

// staffCase is one published business case's planned saving on staff below
// the top teams, a share of its area's staff cost base (the base of section
// 11b: RSX employees of every line but education, police, fire and public
// health), with the case id and area it comes from (docs/MODEL.md §11c).
// Shares are our arithmetic on the case's own lines and its area's RSX
// staff base, brought back to the case's year by the NJC pay awards since:
// *estimates*, and rough.
type staffCase struct {
	id, area string
	lo, hi   float64
	note     string
}

// staffCases are the cases the generated staff-saving rates are drawn from.
// Each is an estimate (a business case), none an outturn; the realisation
// factor R, fitted to measured outcomes, scales whatever they plan.
var staffCases = []staffCase{
	{"somerset-2020", "Somerset", 0.071, 0.071,
		"One Somerset (Somerset CC, 2020): £9.4m a year from posts below the top team (339 posts in all, senior £2.9m apart) over Somerset's £145.0m staff base (RSX 2022-23) less the 2020-22 pay awards, £133m"},
	{"leicestershire-2014", "Leicestershire", 0.055, 0.078,
		"EY for Leicestershire CC (2014): middle management £9.7m and service integration £3.3m a year, £13.0m, up to £18.5m with half of 'back office and property' (£11m), over Leicestershire's £301.4m staff base (RSX 2023-24) less the 2014-23 pay awards (x 1.274), £237m"},
	{"surrey-2020", "Surrey", 0.086, 0.086,
		"PwC for Surrey CC (2020), one unitary: customer contact 10%, enabling support 18%, service delivery 6% of staff and non-staff cost, at the middle function shares (5%, 20%, 75%): 8.6% of staff"},
}

// Relative reduction rates by function (service delivery 1): enabling
// support 3.3, from Leicestershire 2014 (back office and property £11m
// against service integration £3.3m a year: one case, an estimate); customer
// contact 2.15, JUDGEMENT, half-way. A function's one-unitary rate is the total
// share T times its weight over the weights averaged at the middle function
// shares (enabling 20%, contact 5%, delivery 75%).
const (
	enablingWeight, contactWeight, deliveryWeight = 3.3, 2.15, 1.0
	// staffSpreadMin is the least relative half-width of T's PERT either side
	// of its mode (JUDGEMENT: the three cases span -26%/+15% of their mean).
	staffSpreadMin = 0.15
)

// staffReduction is the total one-unitary reduction T of staff below the
// top teams, PERT(lo, mode, hi): the cases' lowest share, the mean of their
// mid-points and their highest share, widened to at least staffSpreadMin
// of the mode either side; cases of the held-out areas are left out. It
// returns the cases used.
func staffReduction(holdOut []string) (lo, mode, hi float64, used []staffCase) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range staffCases {
		if slices.ContainsFunc(holdOut, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), c.area) }) {
			continue
		}
		used = append(used, c)
		lo, hi = math.Min(lo, c.lo), math.Max(hi, c.hi)
		mode += (c.lo + c.hi) / 2
	}
	mode /= float64(len(used))
	lo, hi = math.Min(lo, mode*(1-staffSpreadMin)), math.Max(hi, mode*(1+staffSpreadMin))
	return lo, mode, hi, used
}

// staffLine is one function's staff saving: its weight (relative reduction
// rate), half restructuring and half transformation enabled by the systems
// in enabledBy; why says where the weight comes from.
type staffLine struct {
	name, base string
	weight     float64
	enabledBy  []string
	why        string
}

// staffLines are the staff savings by function (docs/MODEL.md §11c).
var staffLines = []staffLine{
	{"enabling_support", "enabling_support_staff", enablingWeight, []string{"finance_erp", "hr_payroll"},
		"Leicestershire 2014: back office and property £11m against service integration £3.3m a year"},
	{"customer_contact", "customer_contact_staff", contactWeight, []string{"crm_contact_centre"},
		"JUDGEMENT: half-way between service delivery and enabling support"},
	{"service_delivery", "service_delivery_staff", deliveryWeight, []string{"revenues_benefits", "planning_building_control", "housing", "waste_street_services"},
		"the reference"},
}

// staffSavings writes the staff savings. Each is half restructuring (fewer
// managers, merged teams: from vesting, not waiting for systems) and half
// transformation enabled by consolidated systems. JUDGEMENT informed by
// EY's 2014 Leicestershire case, where management was 46% of the £31.4m a
// year (EVIDENCE.md §3c), and by North Yorkshire and Somerset saving in
// years 1-2 while still on legacy systems (§4b).
func (b *builder) staffSavings(scale float64) {
	// Redundancy per £ of annual staff saving: years per redundancy x the
	// share of removed posts that are redundancies, written as the PERT
	// fitted to that product (docs/MODEL.md §11c, TestRedundancyShare).
	cta := pert(ctaLo, ctaMode, ctaHi)
	half := func(lo, mode, hi float64) map[string]any {
		pc := func(x float64) string { return strconv.FormatFloat(x*100/2, 'f', -1, 64) + "%" }
		return pert(pc(lo), pc(mode), pc(hi))
	}
	// One-unitary staff reduction T from business cases (the case's own area
	// held out when it is checked), split by function weight.
	tLo, tMode, tHi, used := staffReduction(b.opt.HoldOut)
	var ids []string
	for _, c := range used {
		ids = append(ids, c.id)
	}
	mean := (enablingShareLo+enablingShareHi)/2*enablingWeight + (contactShareLo+contactShareHi)/2*contactWeight + (deliveryShareLo+deliveryShareHi)/2*deliveryWeight
	for _, l := range staffLines {
		i := len(b.s.Savings)
		lo, mode, hi := tLo*l.weight/mean, tMode*l.weight/mean, tHi*l.weight/mean
		b.saving(lgr.Saving{Name: l.name + "_restructure", Base: []string{l.base}, Scale: scale,
			Ramp: lgr.Ramp{Start: 1, Profile: []float64{0.5, 1}}, CostProfile: []float64{0.6, 0.4}}, half(lo, mode, hi), cta)
		b.saving(lgr.Saving{Name: l.name + "_transformation", Base: []string{l.base}, Scale: scale,
			Ramp: genericRamp(), EnabledBy: l.enabledBy, CostProfile: []float64{0.6, 0.4}}, half(lo, mode, hi), cta)
		b.note(fmt.Sprintf("savings[%d].reduction", i), fmt.Sprintf("one-unitary total staff reduction T = PERT(%.1f%%, %.1f%%, %.1f%%) from business cases (sources: %s), x function weight %g (%s) / %.4g (the weights averaged at the middle function shares), half here", 100*tLo, 100*tMode, 100*tHi, strings.Join(ids, ", "), l.weight, l.why, mean))
		b.note(fmt.Sprintf("savings[%d].ramp", i), "restructuring from vesting: half in year 1, stretched by ramp_stretch (JUDGEMENT drawing on no case's claim, checked against the measured savings pooled by years since vesting: year 1 at 0.60 of the claim (se 0.19, 12 councils) against 0.84 (0.19) over years 2-5, about 0.7 of the later level, 0.65 without North Yorkshire and Somerset; docs/MODEL.md \"The ramp, measured\")")
		b.note(fmt.Sprintf("savings[%d].cost_profile", i), "redundancy paid 60% in the saving's first year, 40% in the next (JUDGEMENT)")
		b.note(fmt.Sprintf("savings[%d].enabled_by", i+1), "transformation waits for these systems' migration")
		b.note(fmt.Sprintf("savings[%d].ramp", i+1), "linear over 4 years (lgr.GenericSavingsPhasing, JUDGEMENT: no case's own plan), stretched by ramp_stretch")
	}
	b.note("savings[0]", "staff savings: half restructuring from vesting, half transformation enabled by systems (JUDGEMENT: EY Leicestershire 2014, management 46% of savings, EVIDENCE.md §3c)")
	b.note("savings[0].cost_to_achieve", "redundancy per £ of annual saving: £20k/£36k/£50k per redundancy over a £45k cost per post (JUDGEMENT; Shropshire 2009 £37k, calibration/data/README.md; Cornwall 2009 £47k, EVIDENCE.md §4a; pension strain not counted) x 0.5/0.6/0.9 of removed posts made redundant, the rest by vacancies and turnover (Somerset 2024-25 292 redundancies for 555 posts; Northumberland 2009 about 500 of 800; Birmingham 2011 plan 0.89; EVIDENCE.md §4d); the product written as the PERT fitted to its mean, P5 and P95 (docs/MODEL.md §11c)")
	if scale != 0 {
		b.note("savings[0].scale", fmt.Sprintf("JUDGEMENT: one-unitary percentages x councils removed / (councils - 1) = %v", scale))
	}
}

// otherSavings writes procurement, senior management and property.
func (b *builder) otherSavings(scale float64) {
	n0 := len(b.s.Savings)
	b.saving(lgr.Saving{Name: "procurement", Base: []string{"third_party_spend"}, Scale: scale, Ramp: genericRamp(),
		EnabledBy: []string{"finance_erp"}}, pert("0.5%", "1.5%", "3%"), nil)
	b.saving(lgr.Saving{Name: "senior_management", Base: []string{"top_teams"}, Ramp: lgr.Ramp{Start: 1, Profile: []float64{1}}},
		"100%", pert("0.8", "1.2", "2"))
	b.saving(lgr.Saving{Name: "property", Base: []string{"accommodation"}, Ramp: lgr.Ramp{Start: 2, Profile: []float64{0.5, 1}}}, "100%", nil)
	b.note(fmt.Sprintf("savings[%d].reduction", n0), "JUDGEMENT from: Bury procurement business case £3m a year on £200m third-party spend (1.5%); The MJ: 1-2%")
	b.note(fmt.Sprintf("savings[%d].ramp", n0), "linear over 4 years (lgr.GenericSavingsPhasing), stretched by ramp_stretch; waits for the finance system (JUDGEMENT: one purchasing ledger)")
	b.note(fmt.Sprintf("savings[%d].ramp", n0+1), "top teams go at vesting: one council has one chief executive and one statutory officer of each kind from its first day (structural, not a case's claim)")
	b.note(fmt.Sprintf("savings[%d].cost_to_achieve", n0+1), "senior exit packages, 0.8-2 years' cost (JUDGEMENT)")
	b.note(fmt.Sprintf("savings[%d]", n0+2), "offices released from year 2 (JUDGEMENT); relocation costed in items")
}

// items writes the one-off and recurring items: the transition programme,
// federated bridging, relocation and, with more than one successor, county
// disaggregation and the successors' own ERPs.
func (b *builder) items(removed float64) {
	// One transition programme for the area, per resident: PERT(£7.50, £15,
	// £33.75), the programme's own cost, without redundancy (costed with each
	// saving) and without IT (costed per system consolidated). EVIDENCE.md
	// §9 (ranges): £20/£40/£80 per resident in all
	// (Cumbria £37, Dorset and BCP £32 per head); less redundancy, £15/£25/£45
	// (Cornwall £42.6m of which £21.9m redundancy, so £39 per head without it,
	// §4a); less IT, at EVIDENCE.md §9's IT share of transition cost 25%/40%/50%:
	// £15 x 0.5, £25 x 0.6, £45 x 0.75. The share is of the whole cost and is
	// applied here to the part without redundancy, so some IT may remain.
	b.item(lgr.Item{Name: "transition_programme", Start: 0, Profile: slices.Clone(transitionPhasing)}, scaledPert(b.totalPop, 7.5, 15, 33.75))
	b.note("items[0]", "£7.50/£15/£33.75 per resident, without redundancy or IT (costed per line and per system): EVIDENCE.md §9 per-resident range £20/£40/£80, less redundancy to £15/£25/£45 (JUDGEMENT from Cornwall's £39/head without it, §4a), less IT at EVIDENCE.md §9's 25%/40%/50% share; spent a third a year in years 0-2 (JUDGEMENT drawing on no case's plan; North Yorkshire had spent £6m of £16.9m allocated, 36%, by vesting, §4b)")
	for s, n := range b.succNames {
		if b.strategy == Federated {
			b.item(lgr.Item{Name: fmt.Sprintf("integration_bridging_%d", s+1), IT: true, Start: 0, Profile: []float64{0.4, 0.2, 0.2, 0.2}, Successor: n},
				pert("0.5m", "1.5m", "4m"))
			b.note(fmt.Sprintf("items[%d]", len(b.s.Items)-1), "federated: integration middleware and interface support (JUDGEMENT)")
		}
	}
	b.item(lgr.Item{Name: "relocation", Start: 1, Profile: []float64{1}}, scaledPert(removed, 0.15e6, 0.35e6, 1e6))
	b.note(fmt.Sprintf("items[%d]", len(b.s.Items)-1), "per council removed, £0.15m/£0.35m/£1m in year 1: Northamptonshire's relocation £1.7m for 6 councils removed, £0.28m each (EVIDENCE.md §4b)")
	if b.k > 1 {
		b.splitItems()
	}
	// No separate legacy-systems risk: its evidence (legacy systems ran 2-2.5
	// years in Dorset, North Yorkshire and Somerset, EVIDENCE.md §4b) is the
	// evidence of the contract-end range and of the connected strategy's
	// slip; a 50% delay of 1-2 years on top counted it twice (until this
	// revision). A user adds one under risks: (docs/SCENARIOS.md).
}

// item adds the cost it, of amount as specified.
func (b *builder) item(it lgr.Item, amount any) {
	it.Amount = b.dist(fmt.Sprintf("items[%d].amount", len(b.s.Items)), amount)
	b.s.Items = append(b.s.Items, it)
}

// splitItems writes what splitting the county into k > 1 successors costs:
// lost economies of scale in county services, and the successors that
// leave the hosted county ERP for their own.
func (b *builder) splitItems() {
	k := b.k
	share := float64(k-1) / float64(k)
	split := b.cpr.net * b.a.Population
	if cb, ok := baseOf(b.county); ok {
		split = cb.net
	}
	b.item(lgr.Item{Name: "county_disaggregation", Recurring: true, Ramp: lgr.Ramp{Start: 1, Years: 1}}, rangeSpec(split*share*disaggLo, split*share*disaggHi))
	b.note(fmt.Sprintf("items[%d]", len(b.s.Items)-1), fmt.Sprintf("JUDGEMENT (not sourced): county services split %d ways lose economies of scale, 0.5-2%% a year x (K-1)/K of the split services' net expenditure £%s (RSX, without education, police, fire and public health)", k, amount(split)))
	// The successors share the county's ERP (one hosts it) and the
	// others build their own later: Cumbria's finance, HR and payroll
	// were still hosted for both councils in June 2024, North
	// Northamptonshire expects its own IT by March 2027, about six years
	// after vesting (EVIDENCE.md §4b).
	b.item(lgr.Item{Name: "erp_own_successor", IT: true, Start: 2, Profile: []float64{0.25, 0.25, 0.25, 0.25}}, scaledPertSpec(float64(k-1), erpNew))
	b.note(fmt.Sprintf("items[%d]", len(b.s.Items)-1), fmt.Sprintf("%d successor(s) leave the hosted county ERP for their own, x £3m/£6m/£25m (EVIDENCE.md §9 ERP range), years 2-5: Cumbria's finance, HR and payroll still hosted in June 2024, North Northamptonshire's own IT by 2027 (§4b; timing JUDGEMENT)", k-1))
}

// quality writes the service-quality indicators. Housing Benefit new
// claims: GB mean 19-21 calendar days, 2021-2024 (DWP, Housing Benefit
// speed of processing statistics). Major planning applications decided
// within 13 weeks or the agreed time: 83%-88% (DLUHC, Planning
// Applications in England). Effects and dips are judgement; the dips
// reflect EVIDENCE.md §7.
func (b *builder) quality() {
	totalPop := b.totalPop
	b.s.Quality = []lgr.Indicator{
		{Name: "contacts_online", Unit: "share of contacts", Baseline: b.dist("quality[0].baseline", pert("0.55", "0.66", "0.75")),
			Effect:     b.dist("quality[0].effect", pert("0.0", "0.05", "0.10")),
			Disruption: b.dist("quality[0].disruption", map[string]any{"dist": "uniform", "min": 0.0, "max": 0.03}),
			ChannelShift: &lgr.ChannelShift{ContactsPerYear: b.dist("quality[0].channel_shift.contacts_per_year", rangeSpec(totalPop*contactsPerResidentLo, totalPop*contactsPerResidentHi)),
				CostOffline: b.dist("quality[0].channel_shift.cost_offline", pert("1.28", "2.83", "5.57")),
				CostOnline:  b.dist("quality[0].channel_shift.cost_online", pert("0.09", "0.15", "0.56"))}},
		{Name: "housing_benefit_new_claim_days", Unit: "days", LowerIsBetter: true, Baseline: b.dist("quality[1].baseline", pert("17", "20", "24")),
			Effect: b.dist("quality[1].effect", pert("-2", "0", "3")), Disruption: b.dist("quality[1].disruption", map[string]any{"dist": "uniform", "min": 0.0, "max": 6.0})},
		{Name: "major_planning_on_time", Unit: "share of major applications", Baseline: b.dist("quality[2].baseline", pert("0.80", "0.86", "0.90")),
			Effect: b.dist("quality[2].effect", pert("-0.04", "0", "0.02")), Disruption: b.dist("quality[2].disruption", map[string]any{"dist": "uniform", "min": 0.0, "max": 0.08})},
	}
	b.note("quality[0].baseline", "Socitm 2011/12 66% online (§7)")
	b.note("quality[0].channel_shift", "Socitm costs per contact: telephone and web (§7); contacts 8-13 per resident a year (Socitm 600m+ contacts a year, §7)")
	b.note("quality[0].effect", "JUDGEMENT: +0 to +10 points online after integration")
	b.note("quality[0].disruption", "JUDGEMENT: up to 3 points lost while systems migrate")
	b.note("quality[1].effect", "JUDGEMENT, sign from evidence: no lasting change most likely, 2 days better to 3 worse after integration, a decline in 55% (no merger measured a gain; Dorset ran dual benefits systems over two years, §7)")
	b.note("quality[2].effect", "JUDGEMENT, sign from evidence: no lasting change most likely, 4 points worse to 2 better after integration, a decline in 58% (no merger measured a gain; Somerset's backlog two years on, Buckinghamshire slower in year one, §7)")
	b.note("quality[1].baseline", "DWP speed of processing: 19-21 days (GB)")
	b.note("quality[1].disruption", "JUDGEMENT: while systems migrate (Dorset dual systems, §7)")
	b.note("quality[2].baseline", "DLUHC planning statistics: 83%-88%")
	b.note("quality[2].disruption", "JUDGEMENT: Somerset backlog, Buckinghamshire (§7)")
}

// finish validates the built scenario (lgr.Scenario.Validate, as a file's
// is), writes its YAML (scenarios.WriteYAML) and hashes it.
func (b *builder) finish() (*Generated, error) {
	g := b.g
	label := fmt.Sprintf("area:%s/%d", b.a.Name, b.k)
	if b.strategy != Contract {
		label += "/" + b.strategy
	}
	s := b.s
	s.Notes = g.notes
	errs := b.errs
	if err := s.Validate(); err != nil {
		errs = append(errs, err)
	}
	var err error
	if len(errs) == 0 {
		g.yaml, err = scenarios.WriteYAML(s, g.written)
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("generated scenario for %s is invalid (a bug): %w", b.a.Name, fielderr.InFile(label, err))
	}
	sum := sha256.Sum256(g.yaml)
	g.Loaded = &scenarios.Loaded{Scenario: s, Source: label, SHA256: hex.EncodeToString(sum[:])}
	return g, nil
}

// StaffFTE is the 90% interval of the full-time equivalent posts a staff
// cost base of cost £ a year pays for (derived £ of it estimated per
// resident), times share (a function's 90% share of the staff, {1, 1} for
// all): cost over the cost per FTE, £40k-£50k including on-costs (reference
// model R's Normal(45k, 3k), widened), the derived part widened by ±30%
// (docs/MODEL.md §11b), as a product of lognormal factors. mid is the
// interval's geometric centre.
func StaffFTE(cost, derived float64, share [2]float64) (mid, lo, hi float64) {
	num := [][2]float64{share}
	if derived > 0 && cost > 0 {
		w := derivedPaySpread * derived / cost
		num = append(num, [2]float64{1 - w, 1 + w})
	}
	lo, hi = lnRange(cost, num, [][2]float64{{costPerFTELo, costPerFTEHi}})
	return math.Sqrt(lo * hi), lo, hi
}

// CostPerFTE is the cost of one full-time post including on-costs, £ a
// year: the lognormal whose 90% interval is £40k-£50k (reference model R's
// Normal(45k, 3k), widened), as StaffFTE uses it.
func CostPerFTE() dist.Distribution {
	lo, hi := math.Log(costPerFTELo), math.Log(costPerFTEHi)
	d, _ := dist.NewLogNormal((lo+hi)/2, (hi-lo)/(2*dist.Z95))
	return d
}

// FunctionShares are the 90% shares of the staff cost base by function in
// a generated area (docs/MODEL.md §11b): enabling support 15%-25%, customer
// contact 3%-7%, service delivery 68%-82%.
var FunctionShares = []struct {
	Name  string
	Share [2]float64
}{
	{"enabling_support", [2]float64{enablingShareLo, enablingShareHi}},
	{"customer_contact", [2]float64{contactShareLo, contactShareHi}},
	{"service_delivery", [2]float64{deliveryShareLo, deliveryShareHi}},
}

func pert(lo, mode, hi string) map[string]any {
	return map[string]any{"dist": "pert", "min": lo, "mode": mode, "max": hi}
}

func uniformInt(lo, hi int) map[string]any {
	return map[string]any{"dist": "uniform_int", "min": lo, "max": hi}
}

// scaledPert is PERT(lo, mode, hi) x n, written in exact amounts.
func scaledPert(n, lo, mode, hi float64) any {
	if n <= 0 {
		return "0"
	}
	return pert(exact(n*lo), exact(n*mode), exact(n*hi))
}

// rangeSpec writes a 90% range "lo to hi" in exact amounts (a fixed
// amount when they are equal).
func rangeSpec(lo, hi float64) string {
	if lo == hi {
		return exact(lo)
	}
	return fmt.Sprintf("%s to %s", exact(lo), exact(hi))
}

type systemDefault struct {
	name               string
	kinds              map[string]int
	licence, migration any
	// source notes a default that is not one of EVIDENCE.md §9's ranges as given.
	source string
}

// transitionPhasing is the transition programme's spend by year from year 0
// (the year before vesting): a third a year in years 0-2. JUDGEMENT drawing
// on no case's own plan (until issue 20 item 3 it was EVIDENCE.md §9's
// 30/50/20%, one 2025 proposal's, Surrey County Council's); North
// Yorkshire's £6m spent of £16.9m allocated by vesting (36%, §4b) is
// consistent with it.
var transitionPhasing = []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}

// erpNew is a new ERP for a 300-600k unitary, EVIDENCE.md §9: PERT(£3m,
// £6m, £25m) (Cheshire East £5.9m, Leicester £2m, Surrey £22.4m + 14%).
var erpNew = [3]float64{3e6, 6e6, 25e6}

// scaledPertSpec is scaledPert with its three points given together.
func scaledPertSpec(n float64, p [3]float64) any { return scaledPert(n, p[0], p[1], p[2]) }

var (
	lobLicence  = pert("20k", "75k", "200k")
	coreMig     = pert("200k", "350k", "1m")
	smallMig    = pert("50k", "150k", "400k")
	allKinds    = map[string]int{"county": 1, "district": 1, "unitary": 1}
	localKinds  = map[string]int{"district": 1, "unitary": 1}
	countyKinds = map[string]int{"county": 1, "unitary": 1}
)

// coreSystems are the consolidated categories of a generated scenario, with
// EVIDENCE.md §9's suggested ranges ("Suggested default parameter ranges"). Its
// migration costs are per system consolidated, whole projects (Westmorland
// and Furness brought 3 revenues and benefits systems into 1 for £312k;
// Cheshire East's ERP £5.9m; Surrey CC's £22.4m), so generated systems use
// migration_per: consolidation: one project per successor, however many
// predecessors' systems it takes in. ERP: £3m/£6m/£25m at a 300-600k
// unitary, the tail left to the IT overrun factor as EVIDENCE.md §9 advises.
var coreSystems = []systemDefault{
	{"finance_erp", allKinds, pert("60k", "125k", "700k"), pert("1m", "3m", "6m"),
		"licence JUDGEMENT between EVIDENCE.md §9's district (Chorley's finance system £125k a year) and large-ERP (Surrey's SAP support £700k) figures; migration: the predecessors' ledgers brought onto one continuing ERP per successor, £1m/£3m/£6m (North Yorkshire's finance workstream £3.4m, mostly IT; LGSS £3.32m to upgrade and extend one Oracle ERP to a second county; at most a full replacement, Cheshire East £5.9m: EVIDENCE.md §4b, §5c), not a new ERP each (§9's £3m/£6m/£25m, kept for a successor leaving a hosted ERP)"},
	{"hr_payroll", allKinds, lobLicence, coreMig, ""},
	{"revenues_benefits", localKinds, lobLicence, coreMig, ""},
	{"planning_building_control", localKinds, lobLicence, coreMig, ""},
	{"waste_street_services", allKinds, lobLicence, smallMig, ""},
	{"housing", localKinds, lobLicence, coreMig, ""},
	{"crm_contact_centre", allKinds, lobLicence, smallMig, ""},
	{"document_records", allKinds, lobLicence, smallMig, ""},
	{"gis_gazetteer", allKinds, lobLicence, smallMig, ""},
	{"licensing_env_health", localKinds, lobLicence, smallMig, ""},
	{"elections_registration", localKinds, lobLicence, smallMig, ""},
	{"social_care", countyKinds, pert("300k", "700k", "1.5m"), coreMig,
		"licence: EVIDENCE.md §9's county or large-system range (JUDGEMENT: no social care figure)"},
}

// amount writes pounds compactly for prose (notes): 1.02bn, 70.7m, 450k,
// to 4 significant digits.
func amount(x float64) string { return amountDigits(x, 4) }

// amountDigits writes pounds with a bn, m or k suffix to digits
// significant digits.
func amountDigits(x float64, digits int) string {
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%.*gbn", digits, x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.*gm", digits, x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.*gk", digits, x/1e3)
	}
	return fmt.Sprintf("%.*g", digits, x)
}

// exact writes pounds for a scenario value: as compactly as amount, with
// as many significant digits as it takes for the amount to read back
// (notation.ParseAmount) as exactly x, else as a plain number (which
// always does). A generated scenario keeps its values at full precision,
// and its YAML reads back as the scenario it was built as.
func exact(x float64) string {
	for digits := 4; digits <= 17; digits++ {
		s := amountDigits(x, digits)
		if v, err := notation.ParseAmount(s); err == nil && v == x {
			return s
		}
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
