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
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
