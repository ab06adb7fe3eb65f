package calibration

// QualityFinding is what is known about one service-quality effect of a
// past reorganisation: a fact with its original reference and its kind,
// never a number devolve made up. docs/EVIDENCE.md §7 lists these; they are few
// and mostly negative or neutral, and none measures the size of an effect.
type QualityFinding struct {
	// Indicator is the generated scenarios' indicator it bears on
	// (major_planning_on_time, housing_benefit_new_claim_days,
	// contacts_online), or "" for service quality in general.
	Indicator string `json:"indicator"`
	Case      string `json:"case"`
	Finding   string `json:"finding"`
	// Sign is the direction of the effect found: -1 worse, 0 no change or
	// no outcome measured, +1 better.
	Sign int `json:"sign"`
	// Kind is the evidence's kind: council-reported, reported (press or
	// consultancy), audited.
	Kind   string `json:"kind"`
	Source string `json:"source"`
}

// QualityFindings are the measured or reported service effects of mergers
// (docs/EVIDENCE.md §7 and §4b-c, as published).
var QualityFindings = []QualityFinding{
	{"major_planning_on_time", "Somerset 2023",
		"planning backlog: emergency measures in July 2025; the council blamed multiple IT systems still in operation more than two years after vesting",
		-1, "council-reported", "https://www.wsfp.co.uk/news/council-launches-emergency-measures-to-clear-planning-backlog-816499"},
	{"major_planning_on_time", "Buckinghamshire 2020",
		"planning decisions slower in the first year; five legacy local plans still in force",
		-1, "reported", "Bell Cornwell, https://www.bell-cornwell.co.uk/news/buckinghamshire-council/"},
	{"housing_benefit_new_claim_days", "Dorset 2019",
		"ran multiple council tax and benefits systems for over two years (no processing-time figure published)",
		0, "council-reported", "Runnymede LGR proposal, case studies, https://www.runnymede.gov.uk/surrey-lgr/implementation-transformation-%E2%80%93-plan-delivering-maximising-benefits-lgr/5"},
	{"", "New South Wales 2016",
		"the Auditor-General found mergers had not delivered the promised efficiencies and different inherited service levels persisted",
		0, "audited", "https://weeklytimes.com.au/nsw-auditor-general-delivers-damning-report-on-failed-forced-mergers/"},
}

// QualityFindingsFor returns the findings that bear on indicator, then the
// general ones.
func QualityFindingsFor(indicator string) []QualityFinding {
	var out, general []QualityFinding
	for _, f := range QualityFindings {
		switch f.Indicator {
		case indicator:
			out = append(out, f)
		case "":
			general = append(general, f)
		}
	}
	return append(out, general...)
}
