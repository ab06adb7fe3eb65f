package calibration

import (
	"embed"
	"fmt"
	"strconv"

	"github.com/devolve-lgr/devolve/internal/csvdata"
	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
)

//go:embed data/*.csv
var dataFS embed.FS

// Outturn is one projected-versus-realised figure of a past reorganisation.
type Outturn struct {
	Case string `json:"case"`
	// Measure is one_off_cost or savings.
	Measure string `json:"measure"`
	// Year is, for savings, the year after vesting of the realised figure.
	Year                int     `json:"year_after_vesting,omitempty"`
	Projected, Realised float64 `json:"-"`
	ProjectedGBP        float64 `json:"projected_gbp"`
	RealisedGBP         float64 `json:"realised_gbp"`
	ProjectedSource     string  `json:"projected_source"`
	RealisedSource      string  `json:"realised_source"`
	Quality             string  `json:"quality"`
}

// Outturns reads data/reorganisation_outturns.csv.
func Outturns() ([]Outturn, error) {
	rows, err := readCSV("reorganisation_outturns.csv")
	if err != nil {
		return nil, err
	}
	var out []Outturn
	for i, r := range rows {
		o := Outturn{Case: r["case"], Measure: r["measure"], ProjectedSource: r["projected_source"],
			RealisedSource: r["realised_source"], Quality: r["quality"]}
		var e1, e2 error
		o.Projected, e1 = strconv.ParseFloat(r["projected_gbp"], 64)
		o.Realised, e2 = strconv.ParseFloat(r["realised_gbp"], 64)
		if e1 != nil || e2 != nil {
			return nil, fmt.Errorf("reorganisation_outturns.csv row %d: bad number", i+2)
		}
		o.ProjectedGBP, o.RealisedGBP = o.Projected, o.Realised
		if y := r["year_after_vesting"]; y != "" {
			o.Year, _ = strconv.Atoi(y)
		}
		out = append(out, o)
	}
	return out, nil
}

func readCSV(name string) ([]map[string]string, error) {
	return csvdata.Read(dataFS, "data/"+name)
}

// SavingsPhasing is the share of steady-state savings reached in years 1, 2,
// 3, 4 after vesting in generated scenarios: DOMAIN.md's default phasing
// 10/40/40/10, cumulated.
var SavingsPhasing = []float64{0.1, 0.5, 0.9, 1.0}

// BacktestRow is where one realised figure fell in devolve's predictive
// distribution for it.
type BacktestRow struct {
	Outturn
	// Ratio is realised / projected.
	Ratio float64 `json:"ratio"`
	// Predictive names the distribution of the ratio.
	Predictive string `json:"predictive"`
	// Percentile of the realised ratio in it, and whether it lies inside the
	// central 90% interval.
	Percentile float64 `json:"percentile"`
	Inside90   bool    `json:"inside_90"`
}

// Backtest places each outturn in devolve's default predictive distribution:
// a one-off cost's ratio in the non-IT overrun factor (lgr.DefaultOtherOverrun);
// a saving's ratio at year y in the savings-realisation factor
// (lgr.DefaultSavingsRealisation) times SavingsPhasing[y-1].
func Backtest(rows []Outturn) ([]BacktestRow, float64) {
	var out []BacktestRow
	inside := 0
	for _, o := range rows {
		r := BacktestRow{Outturn: o, Ratio: o.Realised / o.Projected}
		var d dist.Distribution
		x := r.Ratio
		switch o.Measure {
		case "one_off_cost":
			d = lgr.DefaultOtherOverrun()
			r.Predictive = "non-IT overrun: lognormal, median 1.05, P90 1.5"
		case "savings":
			d = lgr.DefaultSavingsRealisation()
			y := min(max(o.Year, 1), len(SavingsPhasing))
			x /= SavingsPhasing[y-1]
			r.Predictive = fmt.Sprintf("realisation PERT(0.5, 0.85, 1.3) x phasing %.1f (year %d)", SavingsPhasing[y-1], y)
		default:
			continue
		}
		r.Percentile = d.CDF(x)
		r.Inside90 = r.Percentile >= 0.05 && r.Percentile <= 0.95
		if r.Inside90 {
			inside++
		}
		out = append(out, r)
	}
	return out, float64(inside) / float64(len(out))
}
