package calibration

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
)

// Prices: the one deflator series devolve ships for historical figures
// (docs/MODEL.md, "Measured outcomes"). Business-case claims are in the
// pounds of the year each case was written and outturns in the cash of the
// years measured; both are restated in PriceBase prices before one is set
// against the other.

// PriceBase names the prices that measured savings and the claims set
// against them are stated in: financial year 2024-25, as the calendar-2024
// GDP deflator (= 100) of GDPDeflatorSource.
const PriceBase = "2024-25"

// PriceBaseYear is the calendar year whose deflator is 100 in
// data/gdp_deflator.csv; financial year 2024-25 begins in it.
const PriceBaseYear = 2024

// GDPDeflatorSource names the series in data/gdp_deflator.csv.
const GDPDeflatorSource = "HM Treasury, GDP deflators at market prices, and money GDP (December 2025 Quarterly National Accounts), calendar years, 2024 = 100"

var (
	deflatorOnce sync.Once
	deflatorIdx  map[int]float64
	deflatorErr  error
)

// GDPDeflator returns data/gdp_deflator.csv: the GDP deflator at market
// prices by calendar year, 2024 = 100 (GDPDeflatorSource). It is read
// once; the map is shared, do not modify it.
func GDPDeflator() (map[int]float64, error) {
	deflatorOnce.Do(func() {
		rows, err := readCSV("gdp_deflator.csv")
		if err != nil {
			deflatorErr = err
			return
		}
		deflatorIdx = make(map[int]float64, len(rows))
		for i, r := range rows {
			y, err1 := strconv.Atoi(r["calendar_year"])
			v, err2 := strconv.ParseFloat(r["index_2024"], 64)
			if err1 != nil || err2 != nil || !(v > 0) || math.IsInf(v, 0) {
				deflatorErr = fmt.Errorf("gdp_deflator.csv row %d: calendar_year must be a year and index_2024 a positive number (got %q, %q)", i+2, r["calendar_year"], r["index_2024"])
				return
			}
			deflatorIdx[y] = v
		}
		if deflatorIdx[PriceBaseYear] != 100 {
			deflatorErr = fmt.Errorf("gdp_deflator.csv: %d must be 100 (got %g)", PriceBaseYear, deflatorIdx[PriceBaseYear])
		}
	})
	return deflatorIdx, deflatorErr
}

// RealFactor is the factor that restates pounds of calendar year y (or of
// the financial year that begins in it: April to December are nine of its
// twelve months) in PriceBase prices: deflator(PriceBaseYear) /
// deflator(y). It is an error for a year outside the series.
func RealFactor(y int) (float64, error) {
	d, err := GDPDeflator()
	if err != nil {
		return 0, err
	}
	v, ok := d[y]
	if !ok {
		return 0, fmt.Errorf("no GDP deflator for %d (data/gdp_deflator.csv covers fewer years)", y)
	}
	return d[PriceBaseYear] / v, nil
}

// financialYearStart returns the calendar year a financial year "2009-10"
// begins in.
func financialYearStart(fy string) (int, error) {
	head, _, ok := strings.Cut(fy, "-")
	y, err := strconv.Atoi(head)
	if !ok || err != nil {
		return 0, fmt.Errorf("financial year %q: want YYYY-YY", fy)
	}
	return y, nil
}

// InPricesOf restates x, in PriceBase prices, in the prices of calendar
// year y (or of the financial year beginning in it): x / RealFactor(y).
func InPricesOf(x float64, y int) (float64, error) {
	f, err := RealFactor(y)
	if err != nil {
		return 0, err
	}
	return x / f, nil
}

// PriceBaseStart returns the calendar year a scenario's price base
// ("2022/23" or "2022-23") begins in.
func PriceBaseStart(pb string) (int, error) {
	return financialYearStart(strings.ReplaceAll(pb, "/", "-"))
}
