package study

import (
	"context"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/calibration"
)

// TestPlace checks a figure's placement against hand-counted draws.
func TestPlace(t *testing.T) {
	x := make([]float64, 100)
	for i := range x {
		x[99-i] = float64(i + 1) // 100 .. 1, unsorted on purpose
	}
	for _, c := range []struct {
		v, pct float64
		inside bool
	}{
		{50.5, 0.50, true},   // 50 draws below
		{50, 0.495, true},    // 49 below, one tie counts half
		{0, 0, false},        // below every draw
		{101, 1, false},      // above every draw
		{5.95, 0.05, true},   // P5 of 1..100 (type 7) is 5.95
		{5.9, 0.05, false},   // 5 below, just under P5
		{95.06, 0.95, false}, // just over P95 (95.05)
	} {
		p := place(x, c.v)
		if math.Abs(p.Percentile-c.pct) > 1e-12 || p.Inside90 != c.inside {
			t.Errorf("place(%g): percentile %g inside %v, want %g %v", c.v, p.Percentile, p.Inside90, c.pct, c.inside)
		}
	}
	if p := place(x, 1); math.Abs(p.P5-5.95) > 1e-12 || p.P50 != 50.5 || math.Abs(p.P95-95.05) > 1e-12 {
		t.Errorf("quantiles %g %g %g, want 5.95 50.5 95.05", p.P5, p.P50, p.P95)
	}
}

// TestPlacePublished: every published figure from 2019 on for an option
// devolve can build is placed (none dropped silently), at its published
// value, in a distribution whose interval it is inside exactly when the
// row says so.
func TestPlacePublished(t *testing.T) {
	rows, err := PlacePublished(context.Background(), 2000, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := calibration.PublishedCases()
	if err != nil {
		t.Fatal(err)
	}
	// Counted here from the CSV by the rule PlacePublished documents.
	option := regexp.MustCompile(`^[1-5] unitar(y|ies)( \(.*\))?$`)
	want := map[string]float64{}
	for _, c := range cases {
		if c.Year < 2019 || !option.MatchString(c.Option) || strings.HasPrefix(c.Area, "England") || strings.HasPrefix(c.Area, "Oxfordshire") {
			continue
		}
		for m, v := range c.Figures {
			want[c.Area+"|"+c.Option+"|"+c.Author+"|"+m] = v
		}
	}
	if len(rows) != len(want) || len(rows) < 30 {
		t.Errorf("%d rows placed, want %d (at least 30)", len(rows), len(want))
	}
	for _, r := range rows {
		k := r.Area + "|" + r.Option + "|" + r.Author + "|" + r.Measure
		if v, ok := want[k]; !ok || v != r.Published {
			t.Errorf("%s: published %g, CSV %g (%v)", k, r.Published, v, ok)
		}
		if in := r.Published >= r.P5 && r.Published <= r.P95; in != r.Inside90 || !(r.P5 <= r.P50 && r.P50 <= r.P95) {
			t.Errorf("%s: P5 %g P50 %g P95 %g, published %g, inside %v", k, r.P5, r.P50, r.P95, r.Published, r.Inside90)
		}
	}
}
