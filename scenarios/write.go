package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// Written is what writing a scenario built in code as a file (WriteYAML)
// needs beyond the scenario itself: how its values were written where the
// model's value does not say.
type Written struct {
	// Head is the file's opening comment, one entry a line.
	Head []string
	// Specs holds every distribution of the scenario in the scenario
	// notation (notation.FromSpec), by its key path in the file, lower case:
	// "systems[0].licence", "quality[1].baselines.north". A distribution's
	// parameters do not say how it was written ("1m to 2m" is a lognormal;
	// "15%" is 0.15), so a scenario built in code keeps the spec it built
	// each distribution from (package area does); WriteYAML does not check
	// that a spec reads back as the scenario's distribution.
	Specs map[string]any
	// PerKind gives, by index in Scenario.Systems, a category's systems per
	// kind of predecessor (county, district, unitary), written as per_kind
	// instead of counts per predecessor: a predecessor of that kind added
	// to the file by hand then gets its systems.
	PerKind map[int]map[string]int
}

// WriteYAML writes s as a scenario file that reads back (Load) as s: the
// keys of the file schema (schema.go; zero values left out), the
// distributions as w.Specs gives them, s.Notes as comments on the keys they
// annotate and w.Head as the file's opening comment. It returns an error
// naming the key path of every distribution without a spec.
func WriteYAML(s *lgr.Scenario, w Written) ([]byte, error) {
	wr := writer{w: w}
	f := wr.file(s)
	if len(wr.errs) > 0 {
		return nil, errors.Join(wr.errs...)
	}
	return encodeYAML(f, s.Notes, w.Head), nil
}

// writer converts a typed scenario to the file schema, collecting a
// problem for every distribution without a spec.
type writer struct {
	w    Written
	errs []error
}

// spec is the written form of the distribution d at key path path (nil
// for nil).
func (wr *writer) spec(path string, d dist.Distribution) any {
	if d == nil {
		return nil
	}
	v, ok := wr.w.Specs[path]
	if !ok {
		wr.errs = append(wr.errs, fielderr.New(path, "no written form for this distribution (Written.Specs)"))
	}
	return v
}

// file is the file form of s.
func (wr *writer) file(s *lgr.Scenario) *fileScenario {
	f := &fileScenario{Name: s.Name, Description: s.Description, VestingYear: s.VestingYear, PriceBase: s.PriceBase,
		CorrelationFix: s.CorrelationFix}
	if s.Horizon != 0 {
		f.Horizon = &s.Horizon
	}
	for _, b := range s.Discount {
		f.Discount = append(f.Discount, fileBand{FromYear: b.FromYear, Rate: b.Rate})
	}
	if s.OptimismBias != 0 {
		f.OptimismBias = s.OptimismBias
	}
	f.Inflation = wr.spec("inflation", s.Inflation)
	f.ITOverrun = wr.spec("it_overrun", s.ITOverrun)
	f.OtherOverrun = wr.spec("other_overrun", s.OtherOverrun)
	f.Realisation = wr.spec("savings_realisation", s.SavingsRealisation)
	f.RampStretch = wr.spec("ramp_stretch", s.RampStretch)
	f.Slip = wr.spec("migration_slip", s.MigrationSlip)
	wr.councils(f, s)
	for i, sy := range s.Systems {
		f.Systems = append(f.Systems, wr.system(i, sy))
	}
	for i, w := range s.Workforce {
		p := fmt.Sprintf("workforce[%d]", i)
		f.Workforce = append(f.Workforce, fileWorkforce{Name: w.Name, FTE: wr.spec(p+".fte", w.FTE),
			Reduction: wr.spec(p+".reduction", w.Reduction), CostPerFTE: wr.spec(p+".cost_per_fte", w.CostPerFTE),
			RedundancyPerFTE: wr.spec(p+".redundancy_per_fte", w.RedundancyPerFTE), Ramp: rampOf(w.Ramp),
			RedundancyProfile: w.RedundancyProfile})
	}
	if d := s.Democracy; d != nil {
		f.Democracy = &fileDemocracy{CouncillorsBefore: d.CouncillorsBefore, CouncillorsAfter: d.CouncillorsAfter,
			SeatsRemoved: wr.spec("democracy.seats_removed", d.SeatsRemoved), Allowance: wr.spec("democracy.allowance", d.Allowance),
			ElectionSaving: wr.spec("democracy.election_saving", d.ElectionSaving), Start: d.Start}
	}
	wr.money(f, s)
	for i, q := range s.Quality {
		f.Quality = append(f.Quality, wr.indicator(i, q))
	}
	for _, c := range s.Correlations {
		fc := fileCorrelation{Between: c.Between, Group: c.Group, Inputs: c.Inputs, Matrix: c.Matrix}
		if len(c.Between) > 0 || len(c.Group) > 0 {
			fc.Rank = &c.Rank
		}
		f.Correlations = append(f.Correlations, fc)
	}
	return f
}

// councils writes the predecessors and successors.
func (wr *writer) councils(f *fileScenario, s *lgr.Scenario) {
	for i, p := range s.Predecessors {
		path := fmt.Sprintf("predecessors[%d]", i)
		f.Predecessors = append(f.Predecessors, filePred{Name: p.Name, Kind: string(p.Kind), Population: p.Population,
			NetExpenditure: wr.spec(path+".net_expenditure", p.NetExpenditure), StaffFTE: wr.spec(path+".staff_fte", p.StaffFTE),
			BackOfficeFTE:      wr.spec(path+".back_office_fte", p.BackOfficeFTE),
			CustomerContactFTE: wr.spec(path+".customer_contact_fte", p.CustomerContactFTE), Councillors: p.Councillors})
	}
	for _, sc := range s.Successors {
		f.Successors = append(f.Successors, fileSucc{Name: sc.Name, Predecessors: sc.Predecessors, Shares: sc.Shares, Councillors: sc.Councillors})
	}
}

// system is system category i in the file's form: per_kind where
// Written.PerKind gives it, else counts per predecessor.
func (wr *writer) system(i int, sy lgr.SystemCategory) fileSystem {
	path := fmt.Sprintf("systems[%d]", i)
	fs := fileSystem{Name: sy.Name, Target: sy.Target,
		Licence: wr.spec(path+".licence", sy.Licence), Migration: wr.spec(path+".migration", sy.Migration),
		ContractEnd: wr.spec(path+".contract_end", sy.ContractEnd), MigrationYears: wr.spec(path+".migration_years", sy.MigrationYears),
		DualRunning: wr.spec(path+".dual_running", sy.DualRunning), ExitFee: wr.spec(path+".exit_fee", sy.ExitFee)}
	if pk, ok := wr.w.PerKind[i]; ok {
		fs.PerKind = pk
	} else if len(sy.Counts) > 0 {
		fs.Counts = maps.Clone(sy.Counts)
	}
	for j, row := range sy.Inventory {
		rp := fmt.Sprintf("%s.inventory[%d]", path, j)
		fs.Inventory = append(fs.Inventory, fileInventory{Predecessor: row.Predecessor, Product: row.Product,
			Licence: wr.spec(rp+".licence", row.Licence), ContractEnd: wr.spec(rp+".contract_end", row.ContractEnd)})
	}
	if sy.NotIT {
		fs.IT = new(bool)
	}
	if sy.PerConsolidation {
		fs.MigrationPer = "consolidation"
	}
	return fs
}

// money writes the items, cost bases, savings and risks.
func (wr *writer) money(f *fileScenario, s *lgr.Scenario) {
	for i, it := range s.Items {
		fi := fileItem{Name: it.Name, Kind: "cost", Amount: wr.spec(fmt.Sprintf("items[%d].amount", i), it.Amount),
			Recurring: it.Recurring, Start: it.Start, Profile: it.Profile, Ramp: rampOf(it.Ramp), IT: it.IT, Successor: it.Successor}
		if it.Benefit {
			fi.Kind = "benefit"
		}
		if it.NonCashable {
			fi.Cashable = new(bool)
		}
		f.Items = append(f.Items, fi)
	}
	for i, b := range s.CostBases {
		f.CostBases = append(f.CostBases, fileCostBase{Name: b.Name, Amount: wr.spec(fmt.Sprintf("cost_bases[%d].amount", i), b.Amount)})
	}
	for i, sv := range s.Savings {
		p := fmt.Sprintf("savings[%d]", i)
		fs := fileSaving{Name: sv.Name, Base: sv.Base, Amount: wr.spec(p+".amount", sv.Amount),
			Reduction: wr.spec(p+".reduction", sv.Reduction), Ramp: rampOf(sv.Ramp), EnabledBy: sv.EnabledBy,
			CostToAchieve: wr.spec(p+".cost_to_achieve", sv.CostToAchieve), CostProfile: sv.CostProfile, Successor: sv.Successor}
		if sv.Scale != 0 {
			fs.Scale = sv.Scale
		}
		f.Savings = append(f.Savings, fs)
	}
	for i, r := range s.Risks {
		p := fmt.Sprintf("risks[%d]", i)
		f.Risks = append(f.Risks, fileRisk{Name: r.Name, Probability: &r.Probability, Cost: wr.spec(p+".cost", r.Cost),
			Year: r.Year, Delay: wr.spec(p+".delay", r.Delay), Hits: r.Hits})
	}
}

// indicator is quality indicator i in the file's form.
func (wr *writer) indicator(i int, q lgr.Indicator) fileIndicator {
	p := fmt.Sprintf("quality[%d]", i)
	fi := fileIndicator{Name: q.Name, Unit: q.Unit, LowerIsBetter: q.LowerIsBetter,
		Baseline: wr.spec(p+".baseline", q.Baseline), Effect: wr.spec(p+".effect", q.Effect), Ramp: rampOf(q.Ramp),
		Disruption: wr.spec(p+".disruption", q.Disruption), ValuePerUnit: wr.spec(p+".value_per_unit", q.ValuePerUnit),
		Cashable: q.Cashable}
	for _, k := range slices.Sorted(maps.Keys(q.Baselines)) {
		if fi.Baselines == nil {
			fi.Baselines = map[string]any{}
		}
		fi.Baselines[k] = wr.spec(p+".baselines."+k, q.Baselines[k])
	}
	if cs := q.ChannelShift; cs != nil {
		fi.ChannelShift = &fileChannel{ContactsPerYear: wr.spec(p+".channel_shift.contacts_per_year", cs.ContactsPerYear),
			CostOffline: wr.spec(p+".channel_shift.cost_offline", cs.CostOffline),
			CostOnline:  wr.spec(p+".channel_shift.cost_online", cs.CostOnline)}
	}
	return fi
}

// rampOf is a ramp in the file's form: nil for the zero ramp (the
// default), a profile as cumulative shares, marked partial where it does
// not end at 1 or falls (as the reader requires, converter.ramp).
func rampOf(r lgr.Ramp) *fileRamp {
	if r.Start == 0 && r.Years == 0 && r.Profile == nil {
		return nil
	}
	fr := &fileRamp{Start: r.Start, Years: r.Years, Cumulative: r.Profile}
	for i, v := range r.Profile {
		if i > 0 && v < r.Profile[i-1] || i == len(r.Profile)-1 && math.Abs(v-1) > 1e-9 {
			fr.Partial = true
		}
	}
	return fr
}
