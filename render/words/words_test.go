package words

import (
	"math"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/lgr"
)

// TestValue: each unit has its own format, and none prints an exponent or
// puts a £ sign on a count.
func TestValue(t *testing.T) {
	for _, c := range []struct {
		x    float64
		u    lgr.Unit
		want string
	}{
		{7.0145e6, lgr.Pounds, "£7.0m"},
		{125e3, lgr.PoundsPerYear, "£125k a year"},
		{0.075, lgr.Share, "7.5%"},
		{1.1, lgr.Multiplier, "×1.10"},
		{3, lgr.YearAfterVesting, "year 3"},
		{1, lgr.Years, "1 year"},
		{2.5, lgr.Years, "2.5 years"},
		{7.3e6, lgr.ContactsPerYear, "7.3 million contacts a year"},
		{1240.4, lgr.FTE, "1,240 FTE"},
		{190, lgr.Seats, "190 seats"},
		{0.8, lgr.PoundsPerPound, "£0.80 per £1 of annual saving"},
		{4.5, lgr.PoundsPerContact, "£4.5 a contact"},
		{62, lgr.Unit("% of contacts"), "62 % of contacts"},
		{1, lgr.Happens, "happens"},
		{1.5e12, lgr.FTE, "1,500 billion FTE"},
	} {
		got := Value(c.x, c.u)
		if got != c.want {
			t.Errorf("Value(%g, %q) = %q, want %q", c.x, c.u, got, c.want)
		}
		if strings.Contains(got, "e+") || strings.Contains(got, "e-") && !strings.Contains(got, "le") {
			t.Errorf("Value(%g, %q) = %q has an exponent", c.x, c.u, got)
		}
	}
	for _, x := range []float64{1e20, 1e-9, -3e15, 0.000123} {
		for _, s := range []string{Number(x), Count(x), Money(x)} {
			if strings.Contains(s, "e+") || strings.Contains(s, "e-0") {
				t.Errorf("%g printed %q", x, s)
			}
		}
	}
}

// TestDescribe: a lognormal with median £100k is described with that
// median, and its P5 and P95 from the analytic quantiles exp(mu ± 1.645 sigma).
func TestDescribe(t *testing.T) {
	d, _ := dist.NewLogNormal(math.Log(100e3), 0.5)
	p5, p95 := math.Exp(math.Log(100e3)-1.6448536*0.5), math.Exp(math.Log(100e3)+1.6448536*0.5)
	want := "lognormal: P5 " + Money(p5) + ", median £100k, P95 " + Money(p95)
	if got := Describe(d, lgr.Pounds); got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if got := Describe(dist.Fixed{V: 0.2}, lgr.Share); got != "fixed at 20%" {
		t.Errorf("fixed: %q", got)
	}
}

// TestBasis: the NPV sentence names the horizon, the rate and the price base.
func TestBasis(t *testing.T) {
	s := &lgr.Scenario{PriceBase: "2024/25"}
	got := Basis(s, 10)
	for _, w := range []string{"year 10", "3.5% a year", "2024/25 prices", "net present value"} {
		if !strings.Contains(got, w) {
			t.Errorf("Basis = %q: no %q", got, w)
		}
	}
	s.Discount = []lgr.DiscountBand{{FromYear: 0, Rate: 0.06}}
	if got := Basis(s, 10); !strings.Contains(got, "6% a year") {
		t.Errorf("Basis at 6%%: %q", got)
	}
}
