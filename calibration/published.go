package calibration

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// PublishedCase is one published estimate of a reorganisation option
// (data/published_cases.csv): a business case, a consultant's or a
// government figure. Estimates, not outturns: they are placed in devolve's
// distributions for comparison, never fitted.
type PublishedCase struct {
	Area    string `json:"area"`
	Option  string `json:"option"`
	Author  string `json:"author"`
	Year    int    `json:"year"`
	Quality string `json:"quality"`
	Source  string `json:"source"`
	URL     string `json:"url"`
	// Figures holds the figures the case publishes, by devolve's headline
	// name: one_off_cost, steady_state_saving (the annual recurring
	// saving) and five_year_net (net over five years).
	Figures map[string]float64 `json:"figures"`
}

// publishedColumns maps the CSV's figure columns to headline names.
var publishedColumns = []struct{ col, name string }{
	{"one_off_cost_gbp", "one_off_cost"},
	{"annual_recurring_saving_gbp", "steady_state_saving"},
	{"net_5yr_gbp", "five_year_net"},
}

// PublishedCases reads data/published_cases.csv.
func PublishedCases() ([]PublishedCase, error) {
	rows, err := readCSV("published_cases.csv")
	if err != nil {
		return nil, err
	}
	var out []PublishedCase
	var errs []error
	for i, r := range rows {
		c := PublishedCase{Area: r["area"], Option: r["option"], Author: r["author"], Quality: r["quality"],
			Source: r["source"], URL: r["url"], Figures: map[string]float64{}}
		if y, err := strconv.Atoi(r["year"]); err == nil {
			c.Year = y
		} else {
			errs = append(errs, fmt.Errorf("published_cases.csv row %d (%s, %s): year %q is not a year", i+2, c.Area, c.Option, r["year"]))
		}
		for _, pc := range publishedColumns {
			s := r[pc.col]
			if s == "" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				errs = append(errs, fmt.Errorf("published_cases.csv row %d (%s, %s): %s %q is not a number", i+2, c.Area, c.Option, pc.col, s))
				continue
			}
			c.Figures[pc.name] = v
		}
		out = append(out, c)
	}
	return out, errors.Join(errs...)
}
