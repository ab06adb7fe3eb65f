package scenarios

// The file schema, documented field by field in docs/SCENARIOS.md. Fields of
// type any hold a distribution in the scenario notation (notation.FromSpec).

type fileScenario struct {
	Extends      string          `key:"extends"`
	Name         string          `key:"name"`
	Description  string          `key:"description"`
	Horizon      *int            `key:"horizon"`
	VestingYear  int             `key:"vesting_year"`
	PriceBase    string          `key:"price_base"`
	DiscountRate *float64        `key:"discount_rate"`
	Discount     []fileBand      `key:"discount"`
	OptimismBias any             `key:"optimism_bias"`
	Inflation    any             `key:"inflation"`
	ITOverrun    any             `key:"it_overrun"`
	OtherOverrun any             `key:"other_overrun"`
	Realisation  any             `key:"savings_realisation"`
	RampStretch  any             `key:"ramp_stretch"`
	Slip         any             `key:"migration_slip"`
	Predecessors []filePred      `key:"predecessors"`
	Successors   []fileSucc      `key:"successors"`
	Systems      []fileSystem    `key:"systems"`
	Workforce    []fileWorkforce `key:"workforce"`
	Democracy    *fileDemocracy  `key:"democracy"`
	Items        []fileItem      `key:"items"`
	CostBases    []fileCostBase  `key:"cost_bases"`
	Savings      []fileSaving    `key:"savings"`
	Risks        []fileRisk      `key:"risks"`
	Quality      []fileIndicator `key:"quality"`
	// Correlations and CorrelationFix: lgr.Correlation (correlate.go).
	Correlations   []fileCorrelation `key:"correlations"`
	CorrelationFix string            `key:"correlation_fix"`
}

type fileCorrelation struct {
	Between []string    `key:"between"`
	Group   []string    `key:"group"`
	Rank    *float64    `key:"rank"`
	Inputs  []string    `key:"inputs"`
	Matrix  [][]float64 `key:"matrix"`
}

type fileBand struct {
	FromYear int     `key:"from_year"`
	Rate     float64 `key:"rate"`
}

type filePred struct {
	Name               string  `key:"name"`
	Kind               string  `key:"kind"`
	Population         float64 `key:"population"`
	NetExpenditure     any     `key:"net_expenditure"`
	StaffFTE           any     `key:"staff_fte"`
	BackOfficeFTE      any     `key:"back_office_fte"`
	CustomerContactFTE any     `key:"customer_contact_fte"`
	Councillors        int     `key:"councillors"`
}

type fileSucc struct {
	Name         string             `key:"name"`
	Predecessors []string           `key:"predecessors"`
	Shares       map[string]float64 `key:"shares"`
	Councillors  int                `key:"councillors"`
}

type fileSystem struct {
	Name           string          `key:"name"`
	Counts         map[string]int  `key:"counts"`
	Inventory      []fileInventory `key:"inventory"`
	PerKind        map[string]int  `key:"per_kind"`
	Target         map[string]int  `key:"target"`
	Licence        any             `key:"licence"`
	Migration      any             `key:"migration"`
	ContractEnd    any             `key:"contract_end"`
	MigrationYears any             `key:"migration_years"`
	DualRunning    any             `key:"dual_running"`
	ExitFee        any             `key:"exit_fee"`
	IT             *bool           `key:"it"`
	MigrationPer   string          `key:"migration_per"`
}

type fileInventory struct {
	Predecessor string `key:"predecessor"`
	Product     string `key:"product"`
	Licence     any    `key:"licence"`
	ContractEnd any    `key:"contract_end"`
}

// fileRamp: a ramp is linear over years, or a profile in one named form:
// cumulative shares (cumulative, or the older profile) or yearly increments
// (increments); one that does not reach 1 needs partial: true.
type fileRamp struct {
	Start      int       `key:"start"`
	Years      float64   `key:"years"`
	Profile    []float64 `key:"profile"`
	Cumulative []float64 `key:"cumulative"`
	Increments []float64 `key:"increments"`
	Partial    bool      `key:"partial"`
}

type fileCostBase struct {
	Name   string `key:"name"`
	Amount any    `key:"amount"`
	Source string `key:"source"`
}

type fileSaving struct {
	Name          string    `key:"name"`
	Base          []string  `key:"base"`
	Amount        any       `key:"amount"`
	Reduction     any       `key:"reduction"`
	Scale         any       `key:"scale"`
	Ramp          *fileRamp `key:"ramp"`
	EnabledBy     []string  `key:"enabled_by"`
	CostToAchieve any       `key:"cost_to_achieve"`
	CostProfile   []float64 `key:"cost_profile"`
	Successor     string    `key:"successor"`
	Source        string    `key:"source"`
}

type fileWorkforce struct {
	Name              string    `key:"name"`
	FTE               any       `key:"fte"`
	Reduction         any       `key:"reduction"`
	CostPerFTE        any       `key:"cost_per_fte"`
	RedundancyPerFTE  any       `key:"redundancy_per_fte"`
	Ramp              *fileRamp `key:"ramp"`
	RedundancyProfile []float64 `key:"redundancy_profile"`
}

type fileDemocracy struct {
	CouncillorsBefore int `key:"councillors_before"`
	CouncillorsAfter  int `key:"councillors_after"`
	SeatsRemoved      any `key:"seats_removed"`
	Allowance         any `key:"allowance"`
	ElectionSaving    any `key:"election_saving"`
	Start             int `key:"start"`
}

type fileItem struct {
	Name      string    `key:"name"`
	Kind      string    `key:"kind"`
	Amount    any       `key:"amount"`
	Recurring bool      `key:"recurring"`
	Start     int       `key:"start"`
	Profile   []float64 `key:"profile"`
	Ramp      *fileRamp `key:"ramp"`
	Cashable  *bool     `key:"cashable"`
	IT        bool      `key:"it"`
	Successor string    `key:"successor"`
}

type fileRisk struct {
	Name        string   `key:"name"`
	Probability *float64 `key:"probability"`
	Cost        any      `key:"cost"`
	Year        int      `key:"year"`
	Delay       any      `key:"delay"`
	Hits        []string `key:"hits"`
}

type fileIndicator struct {
	Name          string         `key:"name"`
	Unit          string         `key:"unit"`
	LowerIsBetter bool           `key:"lower_is_better"`
	Baseline      any            `key:"baseline"`
	Baselines     map[string]any `key:"baselines"`
	Effect        any            `key:"effect"`
	Ramp          *fileRamp      `key:"ramp"`
	Disruption    any            `key:"disruption"`
	ValuePerUnit  any            `key:"value_per_unit"`
	ChannelShift  *fileChannel   `key:"channel_shift"`
	Cashable      bool           `key:"cashable"`
}

type fileChannel struct {
	ContactsPerYear any `key:"contacts_per_year"`
	CostOffline     any `key:"cost_offline"`
	CostOnline      any `key:"cost_online"`
}
