package lgr

// Headline is one of the six headline outputs (docs/MODEL.md §7,
// docs/OUTPUT.md). Its value is also its index among a compiled model's
// outputs and among a run's kept draws: the model's first outputs are the
// headlines in this order.
type Headline int

// The headline outputs, in model order.
const (
	NPV               Headline = iota // net present value, £
	OneOffCost                        // one-off costs, undiscounted, £
	SteadyStateSaving                 // net cash flow in the horizon year, £ a year
	PaybackYears                      // payback year (lgr.PaybackYear); +Inf if never
	FiveYearNet                       // net cash flow over years 0-5, £
	BCR                               // benefit-cost ratio; NaN without costs
)

// Headlines lists every headline output in model order.
var Headlines = []Headline{NPV, OneOffCost, SteadyStateSaving, PaybackYears, FiveYearNet, BCR}

// headlineNames are the output names, in model order: the one list of them.
var headlineNames = [...]string{"npv", "one_off_cost", "steady_state_saving", "payback_years", "five_year_net", "bcr"}

// String returns the output name (npv, one_off_cost, steady_state_saving,
// payback_years, five_year_net, bcr).
func (h Headline) String() string { return headlineNames[h] }

// HeadlineNames returns the headline output names in model order (a new
// slice).
func HeadlineNames() []string { return append([]string(nil), headlineNames[:]...) }

// ParseHeadline returns the headline output of the given name, and whether
// there is one.
func ParseHeadline(name string) (Headline, bool) {
	for i, n := range headlineNames {
		if n == name {
			return Headline(i), true
		}
	}
	return 0, false
}
