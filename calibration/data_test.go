package calibration

import (
	"regexp"
	"strconv"
	"testing"
)

// TestOutturnColumns checks what calibration/data/README.md promises of
// reorganisation_outturns.csv: the quality flags and measures come from the
// documented vocabulary, dates are YYYY or YYYY-MM, figures and populations
// are positive, and savings rows name their year after vesting and the basis
// of their projection.
func TestOutturnColumns(t *testing.T) {
	rows, err := readCSV("reorganisation_outturns.csv")
	if err != nil {
		t.Fatal(err)
	}
	quality := map[string]bool{"audited": true, "official": true, "reported": true, "vendor": true,
		"budgeted not realised": true, "uncertain": true}
	measure := map[string]bool{"one_off_cost": true, "savings": true, "savings_cumulative": true}
	date := regexp.MustCompile(`^(|\d{4}|\d{4}-(0[1-9]|1[0-2]))$`)
	for i, r := range rows {
		line := i + 2
		if !quality[r["quality"]] {
			t.Errorf("line %d: quality %q not in the README's vocabulary", line, r["quality"])
		}
		if !measure[r["measure"]] {
			t.Errorf("line %d: measure %q", line, r["measure"])
		}
		if !date.MatchString(r["date"]) {
			t.Errorf("line %d: date %q is not YYYY or YYYY-MM", line, r["date"])
		}
		for _, c := range []string{"projected_gbp", "realised_gbp", "population", "vesting_year"} {
			if v, err := strconv.ParseFloat(r[c], 64); err != nil || !(v > 0) {
				t.Errorf("line %d: %s %q", line, c, r[c])
			}
		}
		y, err := strconv.Atoi(r["year_after_vesting"])
		if r["measure"] == "one_off_cost" {
			if r["year_after_vesting"] != "" {
				t.Errorf("line %d: one-off cost with a year after vesting", line)
			}
		} else if err != nil || y < 1 {
			t.Errorf("line %d: savings row with year_after_vesting %q", line, r["year_after_vesting"])
		}
		switch b := r["basis"]; {
		case r["measure"] == "one_off_cost" && b != "":
			t.Errorf("line %d: one-off cost with basis %q", line, b)
		case r["measure"] != "one_off_cost" && b != "steady" && b != "same_year":
			t.Errorf("line %d: savings row with basis %q", line, b)
		}
		if r["projected_source"] == "" || r["realised_source"] == "" {
			t.Errorf("line %d: a figure without its source", line)
		}
	}
}

// TestPublishedCases checks that every number in published_cases.csv parses
// and every row names its source and a documented quality flag.
func TestPublishedCases(t *testing.T) {
	rows, err := readCSV("published_cases.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no published cases")
	}
	quality := map[string]bool{"official": true, "reported": true, "vendor": true, "uncertain": true}
	for i, r := range rows {
		line := i + 2
		for _, c := range []string{"one_off_cost_gbp", "annual_recurring_saving_gbp", "payback_years", "net_5yr_gbp", "year"} {
			if r[c] == "" {
				continue
			}
			if _, err := strconv.ParseFloat(r[c], 64); err != nil {
				t.Errorf("line %d: %s %q", line, c, r[c])
			}
		}
		if r["source"] == "" || r["url"] == "" || !quality[r["quality"]] {
			t.Errorf("line %d: source %q, url %q, quality %q", line, r["source"], r["url"], r["quality"])
		}
		if r["one_off_cost_gbp"] == "" && r["annual_recurring_saving_gbp"] == "" && r["net_5yr_gbp"] == "" && r["savings_breakdown"] == "" {
			t.Errorf("line %d (%s, %s): no figure at all", line, r["area"], r["option"])
		}
	}
}
