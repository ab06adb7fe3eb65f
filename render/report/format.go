package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/render/words"
)

// Money formats pounds compactly: £54.7m, £950k, -£1.20bn; NaN prints as
// "n/a" (words.Money, the one home of money formats).
func Money(x float64) string { return words.Money(x) }

// Pct formats a probability as a percentage.
func Pct(p float64) string { return fmt.Sprintf("%.1f%%", 100*p) }

// Years formats a payback year, NaN meaning "never within the horizon".
func Years(y float64) string {
	if math.IsNaN(y) || math.IsInf(y, 0) {
		return "never"
	}
	if y == float64(int(y)) {
		return fmt.Sprintf("%d", int(y))
	}
	return fmt.Sprintf("%.2f", y)
}

// Num formats a plain number with up to 3 significant decimals.
func Num(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if math.Abs(x) >= 1000 {
		return fmt.Sprintf("%.0f", x)
	}
	s := fmt.Sprintf("%.3f", x)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// Err formats a Monte Carlo standard error (or another error figure) to
// two significant figures, so that a small one never prints as 0
// (0.00037, not Num's "0"); NaN prints as "n/a", zero as "0".
func Err(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	if x == 0 || math.IsInf(x, 0) || math.Abs(x) >= 100 {
		return Num(x)
	}
	d := 1 - int(math.Floor(math.Log10(math.Abs(x))))
	return strconv.FormatFloat(x, 'f', max(d, 0), 64)
}

// supportedDecimals is how many decimals of a figure in units of unit its
// Monte Carlo standard error supports: the last digit shown sits at the
// MCSE's second significant figure (negative: round to tens, hundreds, ...).
// ok is false when mcse is zero, negative or not finite (no cap).
func supportedDecimals(mcse, unit float64) (d int, ok bool) {
	if !(mcse > 0) || math.IsInf(mcse, 0) {
		return 0, false
	}
	return -(int(math.Floor(math.Log10(mcse/unit))) - 1), true
}

// roundTo rounds x (in units) to d decimals, d possibly negative.
func roundTo(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// MoneyErr formats x like Money, but with no more digits than its Monte
// Carlo standard error mcse supports (to the MCSE's second significant
// figure): £54.7m ± £0.4m stays "£54.7m", £54.7m ± £30m prints "£55m",
// ± £300m "£50m". NaN prints as "n/a"; a zero or unknown mcse as Money.
func MoneyErr(x, mcse float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Money(x)
	}
	ax := math.Abs(x)
	unit, suffix, d0 := 1.0, "", 0
	switch {
	case ax >= 1e9:
		unit, suffix, d0 = 1e9, "bn", 2
	case ax >= 1e6:
		unit, suffix, d0 = 1e6, "m", 1
	case ax >= 1e3:
		unit, suffix, d0 = 1e3, "k", 0
	}
	d, ok := supportedDecimals(mcse, unit)
	if !ok || d >= d0 {
		return Money(x)
	}
	v := roundTo(x/unit, d)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s£%.*f%s", sign, max(d, 0), v, suffix)
}

// PctErr formats a probability like Pct, with no more decimals than its
// Monte Carlo standard error supports.
func PctErr(p, mcse float64) string {
	d, ok := supportedDecimals(100*mcse, 1)
	if math.IsNaN(p) || !ok || d >= 1 {
		return Pct(p)
	}
	return fmt.Sprintf("%.*f%%", max(d, 0), roundTo(100*p, d))
}

// NumErr formats a plain number like Num, with no more decimals than its
// Monte Carlo standard error supports.
func NumErr(x, mcse float64) string {
	d, ok := supportedDecimals(mcse, 1)
	if math.IsNaN(x) || math.IsInf(x, 0) || !ok || d >= 3 || (math.Abs(x) >= 1000 && d >= 0) {
		return Num(x)
	}
	return Num(roundTo(x, d))
}
