package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func TestWriteJSONNonFinite(t *testing.T) {
	var b bytes.Buffer
	v := struct {
		A float64            `json:"a"`
		B []float64          `json:"b"`
		C map[string]float64 `json:"c,omitempty"`
		D string             `json:"-"`
	}{A: math.NaN(), B: []float64{1.5, math.Inf(1)}, D: "hidden"}
	if err := WriteJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(b.String()), "")
	if got != `{"a":null,"b":[1.5,null]}` {
		t.Errorf("got %s", got)
	}
}

func TestWriteJSONEmbedded(t *testing.T) {
	type inner struct {
		X int `json:"x"`
	}
	var b bytes.Buffer
	v := struct {
		A int `json:"a"`
		*inner
	}{1, &inner{2}}
	if err := WriteJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(b.String()), ""); got != `{"a":1,"x":2}` {
		t.Errorf("got %s", got)
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Money(54_731_068), "£54.7m"}, {Money(-2.94e9), "-£2.94bn"}, {Money(950_000), "£950k"}, {Money(math.NaN()), "n/a"},
		{Years(math.Inf(1)), "never"}, {Years(5), "5"}, {Years(5.25), "5.25"}, {Pct(0.9678), "96.8%"}, {Num(0.31390), "0.314"},
		{ordinal(93), "93rd"}, {ordinal(11), "11th"}, {ordinal(21), "21st"},
		// Rounding edges: the unit follows the rounded figure, and a mean
		// difference of -1e-11 (floating-point noise) is £0, not -£0.
		{Money(999_950), "£1.0m"}, {Money(-999_999_999), "-£1.00bn"}, {Money(999.7), "£1k"}, {Money(999_499), "£999k"},
		{Money(-1e-11), "£0"}, {Money(-0.49), "£0"}, {Money(-0.51), "-£1"}, {Money(0), "£0"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestErrorRounding: figures keep no more digits than their MCSE supports
// (to the MCSE's second significant figure), and never more than the
// compact format.
func TestErrorRounding(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{MoneyErr(54_731_068, 400e3), "£54.7m"}, {MoneyErr(54_731_068, 3e7), "£55m"}, {MoneyErr(54_731_068, 3e8), "£50m"},
		{MoneyErr(12_345_678, 4e6), "£12.3m"}, {MoneyErr(12_345_678, 4e7), "£12m"}, {MoneyErr(-870_000, 2e6), "-£900k"}, {MoneyErr(54_731_068, 0), "£54.7m"},
		{MoneyErr(2.94e9, 2e8), "£2.94bn"}, {MoneyErr(2.94e9, 2e9), "£2.9bn"}, {MoneyErr(math.NaN(), 1), "n/a"}, {MoneyErr(5e6, math.NaN()), "£5.0m"},
		{PctErr(0.5, 0.05), "50.0%"}, {PctErr(0.5, 0.2), "50%"}, {PctErr(0.9678, 0.001), "96.8%"},
		{NumErr(2.0153, 0.04), "2.015"}, {NumErr(2.0153, 0.4), "2.02"}, {NumErr(2.0153, 4), "2"}, {NumErr(1234, 40), "1234"}, {NumErr(1234, 400), "1230"},
		// An MCSE keeps two significant figures: a BCR's 0.00037 printed "0".
		{Err(0.00037), "0.00037"}, {Err(0.0051), "0.0051"}, {Err(0.042), "0.042"}, {Err(1.234), "1.2"}, {Err(12.34), "12"},
		{Err(0), "0"}, {Err(math.NaN()), "n/a"}, {Err(4321), "4321"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
