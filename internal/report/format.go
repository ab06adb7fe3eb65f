package report

import (
	"fmt"
	"math"
	"strings"
)

// Money formats pounds compactly: £54.7m, £950k, -£1.20bn; "never" is not
// money, so NaN prints as "n/a".
func Money(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	sign := ""
	if x < 0 {
		sign, x = "-", -x
	}
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%s£%.2fbn", sign, x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%s£%.1fm", sign, x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%s£%.0fk", sign, x/1e3)
	}
	return fmt.Sprintf("%s£%.0f", sign, x)
}

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
