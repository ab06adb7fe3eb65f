package lgr

import "github.com/devolve-lgr/devolve/model/dist"

// Kind is a predecessor council's type.
type Kind string

// Predecessor kinds.
const (
	County   Kind = "county"
	District Kind = "district"
	Unitary  Kind = "unitary"
)

// Scenario is one reorganisation option. Nil distributions take the defaults
// in defaults.go when compiled.
type Scenario struct {
	Name        string
	Description string
	// Horizon is the last year appraised (default 10): years 0..Horizon.
	Horizon int
	// VestingYear is the calendar year of vesting day, for labels only.
	VestingYear int
	// PriceBase names the price base of all money, e.g. "2025/26".
	PriceBase string
	// Discount is the real discount schedule; nil means GreenBookSTPR.
	Discount []DiscountBand
	// Inflation is the annual inflation rate (a fraction) that a cash view
	// of the lines by year assumes from the price base on (YearLines); nil
	// means DefaultInflation. InflationText states it as the scenario wrote
	// it. It changes no other figure: everything else is real.
	Inflation     dist.Distribution
	InflationText string
	// OptimismBias is a fixed uplift (fraction) on every one-off cost, on top
	// of the stochastic overruns; default 0 (see docs/MODEL.md).
	OptimismBias float64
	// ITOverrun multiplies IT one-off costs (migration, IT items); nil means
	// DefaultITOverrun.
	ITOverrun dist.Distribution
	// OtherOverrun multiplies non-IT one-off items; nil means DefaultOtherOverrun.
	OtherOverrun dist.Distribution
	// SavingsRealisation multiplies every recurring saving (licences
	// decommissioned, staff, democracy, recurring benefit items): the share
	// of the business case actually realised. Nil means DefaultSavingsRealisation.
	SavingsRealisation dist.Distribution
	// RampStretch stretches the time axis of every cost-base saving's ramp
	// (1: as planned; 2: twice as slow); one draw per trial, shared by all
	// savings of the scenario. Nil means DefaultRampStretch.
	RampStretch dist.Distribution
	// MigrationSlip multiplies the planned migration duration
	// (MigrationYears) of every system category that has one (schedule slip;
	// the cost is the same, spread over the longer time); a migration that
	// runs to a contract end does not slip. Nil means no slip.
	MigrationSlip dist.Distribution

	Predecessors []Predecessor
	Successors   []Successor
	Systems      []SystemCategory
	Workforce    []WorkforceFunction
	Democracy    *Democracy
	Items        []Item
	// CostBases are annual costs (£ a year, e.g. enabling-support staff) that
	// Savings reduce; Savings are reductions of them.
	CostBases []CostBase
	Savings   []Saving
	Risks     []Risk
	Quality   []Indicator
	// Correlations are rank correlations among inputs (correlate.go); nil
	// means independent inputs.
	Correlations []Correlation
	// CorrelationFix is "" (an inconsistent set of correlations is an
	// error) or CorrelationFixNearest.
	CorrelationFix string
	// Notes are the scenario's notes (a file's comments) by the key path
	// they annotate, keys lower-cased: "systems[0]", "savings[1].reduction",
	// "democracy.allowance". A note naming JUDGEMENT marks an input as
	// unsourced judgement (InputInfo). Nil: no notes.
	Notes map[string]string
}

// DiscountBand applies Rate (real, fraction) to years from FromYear onwards.
type DiscountBand struct {
	FromYear int
	Rate     float64
}

// Predecessor is a council abolished by the reorganisation.
type Predecessor struct {
	Name string
	Kind Kind
	// Population is the number of residents (> 0).
	Population float64
	// NetExpenditure is net revenue expenditure, £ a year (optional).
	NetExpenditure dist.Distribution
	// StaffFTE, BackOfficeFTE and CustomerContactFTE are full-time
	// equivalents (optional; observed or derived distributions).
	StaffFTE           dist.Distribution
	BackOfficeFTE      dist.Distribution
	CustomerContactFTE dist.Distribution
	// Councillors is the number of elected members.
	Councillors int
}

// Successor is a new unitary council.
type Successor struct {
	Name string
	// Predecessors names the councils it is formed from. Districts and
	// unitaries move whole; a county may be split across successors.
	Predecessors []string
	// Shares gives, for a split county, this successor's share (fraction);
	// unset shares follow the population of the successor's other predecessors.
	Shares map[string]float64
	// Councillors after reorganisation (0: not modelled).
	Councillors int
}

// SystemCategory is one kind of back-office system (finance/ERP, HR, ...).
type SystemCategory struct {
	Name string
	// Counts gives systems per predecessor, by predecessor name. Inventory,
	// if set, lists the systems one by one instead (Counts is then ignored).
	Counts    map[string]int
	Inventory []InventoryRow
	// Target gives systems per successor after consolidation; a successor not
	// named gets one system if any of its predecessors has one.
	Target map[string]int
	// Licence is the annual licence and support cost of one system, £.
	Licence dist.Distribution
	// Migration is the one-off cost of migrating one system's data and users
	// into a target system, £ (before the IT overrun factor).
	Migration dist.Distribution
	// ContractEnd is the year (relative to vesting, >= 1) in which the old
	// contracts end and decommissioned systems stop costing licence fees.
	ContractEnd dist.Distribution
	// MigrationYears spreads migration cost evenly over years 1..MigrationYears;
	// nil means migration runs until ContractEnd.
	MigrationYears dist.Distribution
	// DualRunning delays licence savings by this many years after ContractEnd
	// while old and new systems run side by side (nil: 0).
	DualRunning dist.Distribution
	// ExitFee is a one-off fee per decommissioned system, paid in the
	// contract-end year (nil: none).
	ExitFee dist.Distribution
	// IT marks the migration and exit costs as IT (overrun applies); default true.
	NotIT bool
	// PerConsolidation makes Migration the cost of one consolidation project
	// (a successor bringing any of its sources onto its kept or new systems)
	// rather than of each migrated system: migration cost is then C times the
	// number of successors that migrate anything in the category, whatever
	// their number of sources. Published per-system costs are mostly whole
	// projects (Westmorland and Furness brought 3 revenues and benefits
	// systems into 1 for £312k; EVIDENCE.md §5c).
	PerConsolidation bool
}

// InventoryRow is one predecessor system of a category.
type InventoryRow struct {
	Predecessor string
	Product     string
	// Licence is this system's annual licence and support cost, £.
	Licence dist.Distribution
	// ContractEnd is the year its contract ends (nil: DefaultContractEnd).
	ContractEnd dist.Distribution
}

// Ramp describes how a recurring effect builds up: zero before Start, then
// either Profile[t-Start] (the last value holding), or min(1, (t-Start+1)/Years).
type Ramp struct {
	Start   int
	Years   float64
	Profile []float64
}

// WorkforceFunction is one staff group whose posts are reduced.
type WorkforceFunction struct {
	// Name: back_office, customer_contact, service_delivery, or any other.
	Name string
	// FTE before reorganisation; nil means the sum of the predecessors'
	// matching field (BackOfficeFTE, CustomerContactFTE, or StaffFTE minus both).
	FTE dist.Distribution
	// Reduction is the share of FTE removed (fraction).
	Reduction dist.Distribution
	// CostPerFTE is the annual cost of one FTE including on-costs, £.
	CostPerFTE dist.Distribution
	// RedundancyPerFTE is the one-off cost per FTE removed, £.
	RedundancyPerFTE dist.Distribution
	// Ramp phases the saving in; default Start 1, Years 3.
	Ramp Ramp
	// RedundancyProfile phases redundancy cost by year from year 1 (fractions
	// summing to 1); default all in year 1.
	RedundancyProfile []float64
}

// Democracy describes the change in elected members and elections.
type Democracy struct {
	// CouncillorsBefore and After default to the sums over predecessors and successors.
	CouncillorsBefore, CouncillorsAfter int
	// SeatsRemoved, if set, is the number of seats removed (a distribution,
	// for areas where the counts are derived) instead of Before - After.
	SeatsRemoved dist.Distribution
	// Allowance is the annual basic allowance and on-costs per councillor, £.
	Allowance dist.Distribution
	// ElectionSaving is the annual saving on running elections, £ (nil: none).
	ElectionSaving dist.Distribution
	// Start is the first year of savings (default 1).
	Start int
}

// Item is any other cost or benefit (programme team, shadow authority,
// branding, closedown, property, procurement, ...).
type Item struct {
	Name string
	// Benefit is true for a saving or income, false for a cost.
	Benefit bool
	// Amount: for a one-off item the total, for a recurring item the annual
	// amount at full effect, £.
	Amount dist.Distribution
	// Recurring items use Ramp; one-off items spread Amount by Profile from Start.
	Recurring bool
	Start     int
	Profile   []float64
	Ramp      Ramp
	// NonCashable items are reported but left out of net, NPV and payback.
	NonCashable bool
	// IT applies the IT overrun factor to a one-off cost instead of OtherOverrun.
	IT bool
	// Successor attributes the item to one successor; default by population.
	Successor string
}

// CostBase is a named annual cost, £ a year, from data or given as an
// amount: the base that savings are a share of (docs/MODEL.md §5a).
type CostBase struct {
	Name   string
	Amount dist.Distribution
}

// Saving is a recurring saving stated as business cases state it: a share
// (Reduction, uncertain) of one or more cost bases, times Scale, phased in by
// Ramp, starting only once every system category in EnabledBy has finished
// migrating (docs/MODEL.md §5a). A delayed or slipped migration, or a risk
// hitting an enabling system, delays it and shortens it within the horizon.
type Saving struct {
	Name string
	// Base names cost bases whose amounts are summed; or Amount gives the
	// base directly (one of the two).
	Base   []string
	Amount dist.Distribution
	// Reduction is the share of the base saved at full effect (fraction).
	Reduction dist.Distribution
	// Scale multiplies the saving (0 means 1): how a one-unitary percentage
	// is scaled for this option.
	Scale float64
	// Ramp is cumulative (Profile) or linear (Years) from Start (default 1),
	// stretched by the scenario's RampStretch.
	Ramp Ramp
	// EnabledBy names system categories whose migration must finish first:
	// the saving starts no earlier than the year after the last of them ends.
	EnabledBy []string
	// CostToAchieve is a one-off cost as a multiple of the annual saving at
	// full effect (e.g. redundancy), spread by CostProfile from the year the
	// saving starts (nil: none; default profile all in that year).
	CostToAchieve dist.Distribution
	CostProfile   []float64
	// Successor attributes the saving to one successor; default by population.
	Successor string
}

// Risk is an event in the risk register.
type Risk struct {
	Name string
	// Probability that the event happens (in [0, 1]).
	Probability float64
	// Cost is the one-off cost if it happens, £ (nil: none), paid in Year (default 1).
	Cost dist.Distribution
	Year int
	// Delay is how many years the savings it hits slip if it happens (nil: 0).
	Delay dist.Distribution
	// Hits lists line-name prefixes whose savings slip (default: all savings).
	Hits []string
}

// Indicator is a service-quality measure.
type Indicator struct {
	Name string
	Unit string
	// LowerIsBetter flips the direction of the disruption dip.
	LowerIsBetter bool
	// Baseline is the value before reorganisation; Baselines, if set, gives
	// it per predecessor and the baseline is their population-weighted mean.
	Baseline  dist.Distribution
	Baselines map[string]dist.Distribution
	// Effect is the change at full effect (in Unit; signed).
	Effect dist.Distribution
	// Ramp phases the effect in; default Start 1, Years 3.
	Ramp Ramp
	// Disruption is the worsening (in Unit, >= 0 meaning worse) in each year
	// in which any system migration is under way (nil: none).
	Disruption dist.Distribution
	// ValuePerUnit is the annual value, £, of a one-unit change (signed);
	// or ChannelShift computes it. Nil and no ChannelShift: no money value.
	ValuePerUnit dist.Distribution
	ChannelShift *ChannelShift
	// Cashable counts the money value in net, NPV and payback (default false).
	Cashable bool
}

// ChannelShift values a change in the share of contacts made online:
// value per unit share = ContactsPerYear * (CostOffline - CostOnline).
type ChannelShift struct {
	ContactsPerYear, CostOffline, CostOnline dist.Distribution
}
