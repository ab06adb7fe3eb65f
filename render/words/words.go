// Package words turns devolve's figures into what a person reads: numbers
// formatted by their unit (£54.7m, 7.5%, 1,240 FTE, year 3), distributions
// described by their percentiles ("lognormal: P5 £60k, median £125k, P95
// £700k") and the sentence that says what an NPV is and on what basis it
// was computed. Every presentation package (tables, pages, workbooks,
// charts) formats through it, so a figure reads the same everywhere.
package words

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// Money formats pounds compactly: £54.7m, £950k, -£1.20bn; NaN prints as
// "n/a".
func Money(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if math.IsInf(x, 1) {
		return "unbounded"
	}
	if math.IsInf(x, -1) {
		return "-unbounded"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	// The unit is chosen on the rounded figure (999,950 is £1.0m, not
	// £1000k), and a figure that rounds to £0 has no sign.
	switch {
	case x >= 999.995e6:
		return fmt.Sprintf("%s£%.2fbn", sign, x/1e9)
	case x >= 999.5e3:
		return fmt.Sprintf("%s£%.1fm", sign, x/1e6)
	case x >= 999.5:
		return fmt.Sprintf("%s£%.0fk", sign, x/1e3)
	}
	if v := fmt.Sprintf("%.0f", x); v != "0" {
		return sign + "£" + v
	}
	return "£0"
}

// Count formats a count of things (staff, seats, contacts): 1,240;
// 12.5 thousand is written 12,500; 7.3 million; fractions below 100 keep
// one decimal. Never a £ sign, never an exponent.
func Count(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	ax := math.Abs(x)
	switch {
	case ax >= 999.5e9:
		return thousands(int64(math.Round(x/1e9))) + " billion"
	case ax >= 999.5e6:
		return trim(fmt.Sprintf("%.2f", x/1e9)) + " billion"
	case ax >= 999.5e3:
		return trim(fmt.Sprintf("%.1f", x/1e6)) + " million"
	case ax >= 100 || x == math.Round(x):
		return thousands(int64(math.Round(x)))
	}
	return trim(fmt.Sprintf("%.1f", x))
}

// thousands writes n with commas: 1,234,567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// trim removes trailing zeros after a decimal point.
func trim(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Number formats a plain number with up to 3 significant decimals and no
// exponent: 0.0123, 4.2, 1,234.
func Number(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	if math.Abs(x) >= 1000 {
		return Count(x)
	}
	if x != 0 && math.Abs(x) < 0.01 {
		return trim(strconv.FormatFloat(x, 'f', 4, 64))
	}
	return trim(fmt.Sprintf("%.3g", x))
}

// Percent formats a fraction as a percentage: 0.075 is "7.5%".
func Percent(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	if math.Abs(x) < 0.001 && x != 0 {
		return trim(fmt.Sprintf("%.3f", 100*x)) + "%"
	}
	return trim(fmt.Sprintf("%.1f", 100*x)) + "%"
}

// Value formats x in unit u: £54.7m, £125k a year, 7.5%, ×1.10, year 3,
// 2.5 years, 1,240 FTE, 190 seats; an indicator's own unit follows the
// number ("62 % of contacts").
func Value(x float64, u lgr.Unit) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	switch u {
	case lgr.Pounds:
		return Money(x)
	case lgr.PoundsPerYear:
		return Money(x) + " a year"
	case lgr.PoundsPerContact:
		return "£" + trim(fmt.Sprintf("%.2f", x)) + " a contact"
	case lgr.PoundsPerPound:
		return "£" + fmt.Sprintf("%.2f", x) + " per £1 of annual saving"
	case lgr.Share:
		return Percent(x)
	case lgr.Multiplier:
		return "×" + fmt.Sprintf("%.2f", x)
	case lgr.YearAfterVesting:
		return "year " + trim(fmt.Sprintf("%.1f", x))
	case lgr.Years:
		v := trim(fmt.Sprintf("%.1f", x))
		if v == "1" {
			return "1 year"
		}
		return v + " years"
	case lgr.Happens:
		if x >= 0.5 {
			return "happens"
		}
		return "does not happen"
	case lgr.FTE, lgr.Seats, lgr.ContactsPerYear:
		return Count(x) + " " + string(u)
	case "":
		return Number(x)
	}
	return Number(x) + " " + string(u)
}

// Describe states a distribution in words, by its family and its own 5th,
// 50th and 95th percentiles in unit u (from its quantile function, not from
// draws): "PERT: P5 £73k, median £164k, P95 £469k a year".
func Describe(d dist.Distribution, u lgr.Unit) string {
	if f, ok := d.(dist.Fixed); ok {
		return "fixed at " + Value(f.V, u)
	}
	if b, ok := d.(dist.Bernoulli); ok {
		return "happens with probability " + Percent(b.P)
	}
	p5, p50, p95 := d.Quantile(0.05), d.Quantile(0.5), d.Quantile(0.95)
	return fmt.Sprintf("%s: P5 %s, median %s, P95 %s", Family(d), Value(p5, u), Value(p50, u), Value(p95, u))
}

// Family names a distribution's family in plain words.
func Family(d dist.Distribution) string {
	switch d.(type) {
	case dist.Fixed:
		return "fixed"
	case dist.Uniform:
		return "uniform"
	case dist.UniformInt:
		return "whole numbers, equally likely"
	case dist.Bernoulli:
		return "yes or no"
	case dist.Normal:
		return "normal"
	case dist.LogNormal:
		return "lognormal"
	case dist.Triangular:
		return "triangular"
	case dist.ScaledBeta:
		return "PERT (beta)"
	case dist.Gamma:
		return "gamma"
	case dist.Pareto:
		return "Pareto"
	case dist.Discrete:
		return "listed values"
	case dist.Metalog:
		return "metalog (fitted to percentiles)"
	case dist.Mixture:
		return "mixture"
	case dist.Truncated:
		return "truncated"
	case dist.Shifted:
		return "shifted"
	}
	t := fmt.Sprintf("%T", d)
	return strings.ToLower(t[strings.LastIndex(t, ".")+1:])
}

// Basis says in one sentence what NPV means and on what basis it was
// computed: the discount rate, the price base and the horizon.
func Basis(s *lgr.Scenario, horizon int) string {
	rate := "HM Treasury's Green Book rate of 3.5% a year"
	if len(s.Discount) > 0 && !(len(s.Discount) == len(lgr.GreenBookSTPR) && s.Discount[0] == lgr.GreenBookSTPR[0]) {
		var parts []string
		for i, b := range s.Discount {
			if b.FromYear > horizon {
				break
			}
			if i == 0 {
				parts = append(parts, Percent(b.Rate)+" a year")
			} else {
				parts = append(parts, fmt.Sprintf("%s from year %d", Percent(b.Rate), b.FromYear))
			}
		}
		rate = strings.Join(parts, ", ")
	}
	prices := "constant prices"
	if s.PriceBase != "" {
		prices = s.PriceBase + " prices"
	}
	return fmt.Sprintf("NPV (net present value) is the sum of the savings minus the costs of every year from "+
		"vesting (year 0) to year %d, each discounted to year 0 at %s, in real terms at %s; "+
		"a positive NPV means the savings outweigh the costs over that period.", horizon, rate, prices)
}
