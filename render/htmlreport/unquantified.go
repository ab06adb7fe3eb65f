package htmlreport

// Unquantified lists what the model does not represent, as HM Treasury's
// uncertainty toolkit asks an appraisal to state beside its quantified
// ranges. Each is a known gap in devolve's model (docs/MODEL.md), not a
// judgement that the effect is small.
var Unquantified = []struct{ Topic, Text string }{
	{"Service demand", "Demand for services (adult and children's social care, homelessness, SEND) is held at today's level. Demographic growth, and any change in demand caused by reorganisation itself, is not modelled; these often move budgets by more than the reorganisation does."},
	{"Political and implementation risk", "The chance that the reorganisation is delayed, redesigned or abandoned (elections, legal challenge, ministerial decisions, shadow-authority capacity) is not modelled beyond the risks the scenario lists. The projections assume it goes ahead on the stated vesting date."},
	{"Inflation differences", "All money is in real terms at one price base. Costs that may rise faster or slower than general inflation (IT licences, pay awards, contract indexation) are not separately modelled."},
	{"Council tax harmonisation", "Equalising council tax across predecessor areas changes income and who pays; the model does not represent council tax income, harmonisation paths or the referendum limit."},
	{"Equal pay and pay harmonisation", "Harmonising terms and conditions across predecessor workforces, and any equal-pay claims that follow, can be costly; they are not in the model unless the scenario adds them as items."},
	{"Disaggregation of county services", "Where a county is split between successors, the costs of re-providing county-wide services (social care, education, highways) are only represented through the systems and items the scenario names."},
	{"Correlation between inputs", "Inputs are drawn independently except for the rank correlations the scenario states (listed with each option's assumptions) and inputs shared by name; other common causes (a tight labour market raising both redundancy costs and contractor rates) are not represented."},
	{"Model structure", "The ranges are conditional on the model's structure (which lines exist, how savings ramp, how overruns apply). Other plausible structures would give other ranges; back-tests against past reorganisations (devolve backtest) are the check on this."},
	{"Wider economic and social effects", "Effects on residents, local economies, democratic representation and service quality beyond the indicators the scenario lists are not valued."},
}
