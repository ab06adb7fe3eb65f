package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/model/dist"
)

// Ratios used to derive what the data do not publish (docs/MODEL.md §10).
// Each is a 90% interval; sources are DOMAIN.md sections unless stated.
const (
	// Back-office share of the pay bill: Wiltshire's predecessors spent 19%
	// of budget on back office (§4a); 90% interval 15%-25%.
	backOfficeShareLo, backOfficeShareHi = 0.15, 0.25
	// Cost per FTE including on-costs: reference model R's Normal(45k, 3k), widened.
	costPerFTELo, costPerFTEHi = 40e3, 50e3
	// Pay bill per resident where a council has no finance row: the 21
	// areas' county pay bills excluding education (£4,933m) and district pay
	// bills (£2,750m) over their 19,243,800 residents (scenarios/data).
	countyPayPerResident   = 4_933_346e3 / 19_243_800
	districtPayPerResident = 2_749_705e3 / 19_140_000
	// County net current expenditure per resident (£28,713m / 19,243,800).
	countyNCEPerResident = 28_713_444e3 / 19_243_800
	// A derived pay bill's 90% interval: ±30% of the estimate (judgement).
	derivedPaySpread = 0.3
	// Residents per councillor before, across both tiers: Hertfordshire 526
	// councillors for 1.2m (§3c): 2,000-2,600.
	residentsPerCllrBeforeLo, residentsPerCllrBeforeHi = 2000, 2600
	// After, one unitary: Dorset 82 for 379k (4,600), Leicestershire about
	// 100 for 710k (7,100) (§3c, §4b). Two or more: Northamptonshire 170 for
	// 750k (4,400), BCP 76 for 400k (5,300) (§4b).
	residentsPerCllrOneLo, residentsPerCllrOneHi   = 4600, 7100
	residentsPerCllrManyLo, residentsPerCllrManyHi = 4400, 5300
	// Election saving per resident: Leicestershire £1.3m a year for 710k
	// (§3c), widened to £0.6-£1.9, scaled by the share of councils removed.
	electionPerResidentLo, electionPerResidentHi = 0.6, 1.9
	// Customer contacts per resident a year: Socitm 600m+ contacts for
	// English councils, 2011/12 (§7): 8-13.
	contactsPerResidentLo, contactsPerResidentHi = 8, 13
	// County-service disaggregation diseconomy, a share of county net
	// expenditure a year times (K-1)/K: JUDGEMENT, not sourced. DOMAIN.md has
	// no per-service estimate; PwC 2020's "at least £1.9bn" for splitting
	// county services is context, not calibration.
	disaggLo, disaggHi = 0.005, 0.02
)

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
	derivedPay bool
	successor  int
}

// BuildArea writes the scenario for an area reorganised as opt says: YAML a
// user can edit, built from the shipped data and the ratios above.
func BuildArea(a Area, opt AreaOptions) ([]byte, error) {
	d := loadData()
	if d.err != nil {
		return nil, d.err
	}
	var members []member
	for _, c := range a.Districts {
		members = append(members, member{Council: c})
	}
	var errs []error
	for _, name := range opt.Add {
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
	// Successors.
	var succNames []string
	switch {
	case len(opt.Groups) > 0:
		idx := map[string]int{}
		for i, m := range members {
			idx[strings.ToLower(m.Name)] = i
		}
		assigned := map[int]string{}
		for gi, g := range opt.Groups {
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
	default:
		k := opt.Unitaries
		if k < 1 || k > 5 || k > len(members) {
			return nil, fmt.Errorf("--unitaries: must be between 1 and %d for %s (got %d)", min(5, len(members)), a.Name, k)
		}
		// Largest first into the smallest successor: balanced populations
		// (not geography: name real proposals with --group).
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
		for s := 0; s < k; s++ {
			if k == 1 {
				succNames = append(succNames, a.Name+" Council")
			} else {
				succNames = append(succNames, fmt.Sprintf("%s %c", a.Name, 'A'+s))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	k := len(succNames)
	totalPop := a.Population
	for _, m := range members {
		if m.Kind == "unitary" {
			totalPop += m.Population
		}
	}
	county := a.County
	countyDerived := county.PayBill == 0
	if countyDerived {
		county.PayBill = countyPayPerResident * a.Population
		county.NetExpenditure = countyNCEPerResident * a.Population
	}
	for i := range members {
		if members[i].PayBill == 0 {
			members[i].derivedPay = true
			per := districtPayPerResident
			if members[i].Kind == "unitary" {
				per = countyPayPerResident + districtPayPerResident
			}
			members[i].PayBill = per * members[i].Population
		}
	}
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	rng := func(lo, hi float64) string { return fmt.Sprintf("%s to %s", amount(lo), amount(hi)) }
	backOffice := func(pay float64, derived bool) string {
		num := [][2]float64{{backOfficeShareLo, backOfficeShareHi}}
		if derived {
			num = append(num, [2]float64{1 - derivedPaySpread, 1 + derivedPaySpread})
		}
		lo, hi := lnRange(pay, num, [][2]float64{{costPerFTELo, costPerFTEHi}})
		return fmt.Sprintf("%.0f to %.0f", lo, hi)
	}
	title := fmt.Sprintf("%s, %d unitar%s", a.Name, k, map[bool]string{true: "y", false: "ies"}[k == 1])
	if len(opt.Groups) > 0 {
		title += " (named groups)"
	}
	w("# %s: generated by `devolve area` from the shipped data (scenarios/data/README.md)\n", title)
	w("# and the ratios in scenarios/build.go; edit freely. Observed: populations (Census 2021),\n")
	w("# net expenditure and pay bills (MHCLG revenue outturn, mostly 2023-24, cash). Derived,\n")
	w("# as 90%% ranges: back-office FTE (pay bill x 15-25%% / £40k-£50k per FTE)")
	if countyDerived {
		w(";\n# the county's pay bill and net expenditure (per-resident averages of the 21 areas)")
	}
	w(";\n# seats removed; election savings; contacts. See docs/MODEL.md §10.\n")
	w("name: %s\n", title)
	var parts []string
	for s, n := range succNames {
		var ms []string
		for _, m := range members {
			if m.successor == s {
				ms = append(ms, m.Name)
			}
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", n, strings.Join(ms, ", ")))
	}
	w("description: %q\n", fmt.Sprintf("%s County Council and its %d districts (%.0f residents) become %s.", a.Name, len(a.Districts), a.Population, strings.Join(parts, "; ")))
	w("horizon: 10\nvesting_year: 2028\nprice_base: 2025/26\n\npredecessors:\n")
	w("  - {name: %s, kind: county, population: %.0f, net_expenditure: %s, back_office_fte: %s}\n",
		yamlName(county.Name), county.Population, amount(county.NetExpenditure), backOffice(county.PayBill, countyDerived))
	for _, m := range members {
		ne := ""
		if m.NetExpenditure > 0 {
			ne = ", net_expenditure: " + amount(m.NetExpenditure)
		}
		w("  - {name: %s, kind: %s, population: %.0f%s, back_office_fte: %s}\n", yamlName(m.Name), m.Kind, m.Population, ne, backOffice(m.PayBill, m.derivedPay))
	}
	w("\nsuccessors:\n")
	for s, n := range succNames {
		names := []string{yamlName(county.Name)}
		for _, m := range members {
			if m.successor == s {
				names = append(names, yamlName(m.Name))
			}
		}
		w("  - name: %s\n    predecessors: [%s]\n", yamlName(n), strings.Join(names, ", "))
	}
	w("\n# Core systems, one per council running the service; DOMAIN.md suggested ranges.\nsystems:\n")
	for _, sc := range coreSystems {
		w("  - {name: %s, per_kind: {%s}, licence: %s, migration: %s}\n", sc.name, sc.kinds, sc.licence, sc.migration)
	}
	w("\nworkforce:\n")
	w("  - name: back_office\n    reduction: {dist: pert, min: 12%%, mode: 15%%, max: 18%%}      # DOMAIN.md back-office reduction 12/15/18%%\n")
	w("    cost_per_fte: {dist: normal, mean: 45k, sd: 3k}\n    redundancy_per_fte: {dist: pert, min: 20k, mode: 35k, max: 50k}   # Cornwall 2009 £47k (§4a)\n")
	w("    ramp: {start: 1, profile: [0.1, 0.5, 0.9, 1.0]}              # DOMAIN.md phasing 10/40/40/10\n    redundancy_profile: [0.6, 0.4]\n")
	after := [2]float64{residentsPerCllrOneLo, residentsPerCllrOneHi}
	if k > 1 {
		after = [2]float64{residentsPerCllrManyLo, residentsPerCllrManyHi}
	}
	seatsLo := math.Max(1, totalPop/residentsPerCllrBeforeHi-totalPop/after[0])
	seatsHi := math.Max(seatsLo+1, totalPop/residentsPerCllrBeforeLo-totalPop/after[1])
	nCouncils := float64(len(members) + 1)
	frac := (nCouncils - float64(k)) / nCouncils
	w("\ndemocracy:\n  seats_removed: %.0f to %.0f\n", seatsLo, seatsHi)
	w("  allowance: 3k to 10k                       # Dorset, BCP: saving per seat removed (§4b)\n")
	w("  election_saving: %s\n", rng(math.Max(1, totalPop*electionPerResidentLo*frac), totalPop*electionPerResidentHi*frac))
	w("\nitems:\n")
	for s, n := range succNames {
		w("  - {name: transition_programme_%d, kind: cost, amount: {dist: pert, min: 6m, mode: 12m, max: 27m}, start: 0, profile: [0.3, 0.5, 0.2], successor: %s}\n", s+1, yamlName(n))
	}
	if k > 1 {
		share := float64(k-1) / float64(k)
		w("  # JUDGEMENT (not sourced): county services split %d ways lose economies of scale.\n", k)
		w("  - {name: county_disaggregation, kind: cost, recurring: true, amount: %s, ramp: {start: 1, years: 1}}\n",
			rng(county.NetExpenditure*share*disaggLo, county.NetExpenditure*share*disaggHi))
	}
	w("\nrisks:\n  - {name: legacy_systems_persist, probability: 0.5, delay: {dist: uniform_int, min: 1, max: 2}, hits: [systems.]}   # §4b\n")
	w("\nquality:\n  - name: contacts_online\n    unit: share of contacts\n")
	w("    baseline: {dist: pert, min: 0.55, mode: 0.66, max: 0.75}   # Socitm 2011/12 66%% online (§7)\n")
	w("    effect: {dist: pert, min: 0.0, mode: 0.05, max: 0.10}      # judgement\n")
	w("    disruption: {dist: uniform, min: 0, max: 0.03}            # judgement\n")
	w("    channel_shift:\n      contacts_per_year: %s\n", rng(totalPop*contactsPerResidentLo, totalPop*contactsPerResidentHi))
	w("      cost_offline: {dist: pert, min: 1.28, mode: 2.83, max: 5.57}   # Socitm telephone (§7)\n")
	w("      cost_online: {dist: pert, min: 0.09, mode: 0.15, max: 0.56}    # Socitm web (§7)\n")
	// Housing Benefit new claims: GB mean 19-21 calendar days, 2021-2024 (DWP,
	// Housing Benefit speed of processing statistics, quarterly releases on
	// GOV.UK). Major planning applications decided within 13 weeks or the
	// agreed time: 83%-88% of district-level decisions, 2016-2022 (DLUHC,
	// Planning Applications in England). Effects and dips are judgement; the
	// dips reflect DOMAIN.md §7: Somerset's planning backlog blamed on legacy
	// IT two years on, Buckinghamshire's slower planning in year one, Dorset's
	// dual revenues and benefits systems for over two years.
	w("  - name: housing_benefit_new_claim_days\n    unit: days\n    lower_is_better: true\n")
	w("    baseline: {dist: pert, min: 17, mode: 20, max: 24}           # DWP speed of processing: 19-21 days (GB)\n")
	w("    effect: {dist: pert, min: -3, mode: -1, max: 1}              # judgement: one revenues and benefits service\n")
	w("    disruption: {dist: uniform, min: 0, max: 6}                  # judgement: while systems migrate (Dorset, §7)\n")
	w("  - name: major_planning_on_time\n    unit: share of major applications\n")
	w("    baseline: {dist: pert, min: 0.80, mode: 0.86, max: 0.90}   # DLUHC planning statistics: 83%%-88%%\n")
	w("    effect: {dist: pert, min: -0.02, mode: 0.01, max: 0.04}    # judgement\n")
	w("    disruption: {dist: uniform, min: 0, max: 0.08}            # judgement: Somerset backlog, Buckinghamshire (§7)\n")
	return b.Bytes(), nil
}

type systemDefault struct{ name, kinds, licence, migration string }

const (
	lobLicence  = "{dist: pert, min: 20k, mode: 75k, max: 200k}"
	coreMig     = "{dist: pert, min: 200k, mode: 350k, max: 1m}"
	smallMig    = "{dist: pert, min: 50k, mode: 150k, max: 400k}"
	allKinds    = "county: 1, district: 1, unitary: 1"
	localKinds  = "district: 1, unitary: 1"
	countyKinds = "county: 1, unitary: 1"
)

// coreSystems are the consolidated categories of a generated scenario, with
// DOMAIN.md's suggested ranges ("Suggested default parameter ranges").
var coreSystems = []systemDefault{
	{"finance_erp", allKinds, "{dist: pert, min: 60k, mode: 125k, max: 700k}", "{dist: pert, min: 600k, mode: 1.2m, max: 2.4m}"},
	{"hr_payroll", allKinds, lobLicence, coreMig},
	{"revenues_benefits", localKinds, lobLicence, coreMig},
	{"planning_building_control", localKinds, lobLicence, coreMig},
	{"waste_street_services", allKinds, lobLicence, smallMig},
	{"housing", localKinds, lobLicence, coreMig},
	{"crm_contact_centre", allKinds, lobLicence, smallMig},
	{"document_records", allKinds, lobLicence, smallMig},
	{"gis_gazetteer", allKinds, lobLicence, smallMig},
	{"licensing_env_health", localKinds, lobLicence, smallMig},
	{"elections_registration", localKinds, lobLicence, smallMig},
	{"social_care", countyKinds, "{dist: pert, min: 300k, mode: 700k, max: 1.5m}", coreMig},
}

// amount writes pounds compactly for YAML: 1.02bn, 70.7m, 450k.
func amount(x float64) string {
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%.4gbn", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.4gm", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.4gk", x/1e3)
	}
	return fmt.Sprintf("%.4g", x)
}

// yamlName quotes a council name when YAML needs it.
func yamlName(s string) string {
	if strings.ContainsAny(s, ":,'[]{}#&*!|>%@`\"") {
		return fmt.Sprintf("%q", s)
	}
	return s
}
