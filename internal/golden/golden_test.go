package golden

import (
	"math"
	"strings"
	"testing"
)

func TestRound(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"5.4418861982604004e+07", "54418861.98"},
		{"489665.99839731917", "489665.9984"},
		{"7", "7"},
		{"3000", "3000"},
		{"-0.0", "0"},
		{"1e-300", "1e-300"},
		{"-1.5e+21", "-1.5e+21"},
		{"0.1234567890123", "0.123456789"},
		{"123456789012345", "123456789000000"},
	} {
		if got := Round(tc.in); got != tc.want {
			t.Errorf("Round(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestJSONKeepsOrderAndRounds(t *testing.T) {
	got, err := JSON([]byte(`{"b": 1.00000000001, "a": [1, 2.5, null, "x", {}], "c": {"d": true, "e": []}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2.5,\n    null,\n    \"x\",\n    {}\n  ],\n  \"c\": {\n    \"d\": true,\n    \"e\": []\n  }\n}\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if a, _ := JSON([]byte(`{"x": 0.30000000000000004}`)); string(a) != "{\n  \"x\": 0.3\n}\n" {
		t.Errorf("0.1+0.2 not rounded: %s", a)
	}
	if _, err := JSON([]byte(`{"x": 1} {}`)); err == nil {
		t.Error("trailing value accepted")
	}
	if _, err := JSON([]byte(`{"x": `)); err == nil {
		t.Error("truncated JSON accepted")
	}
}

func TestDiff(t *testing.T) {
	want := "a\nb\nc\nd\ne\nf\ng\nh\n"
	got := "a\nb\nc\nd\nE\nf\ng\nh\n"
	d := Diff("w", "g", want, got)
	exp := "--- w\n+++ g\n@@ -2,4 +2,4 @@\n  b\n  c\n  d\n- e\n+ E\n  f\n  g\n  h\n"
	if d != exp {
		t.Errorf("diff:\n%s\nwant:\n%s", d, exp)
	}
	if Diff("w", "g", want, want) != "" {
		t.Error("equal texts differ")
	}
	long := strings.Repeat("x\n", 50)
	if d := Diff("w", "g", "", long); !strings.Contains(d, "... 30 more lines") {
		t.Errorf("long diff not cut:\n%s", d)
	}
}

// recorder is a T that records what it is told.
type recorder struct{ errs []string }

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, f) }
func (r *recorder) Fatalf(f string, a ...any) { r.errs = append(r.errs, f) }

func TestCheckJSON(t *testing.T) {
	path := t.TempDir() + "/x.golden.json"
	r := &recorder{}
	CheckJSON(r, path, []byte(`{"npv": 54418861.982604004}`), true)
	CheckJSON(r, path, []byte(`{"npv": 54418861.98260401}`), false) // below the precision
	if len(r.errs) != 0 {
		t.Fatalf("unexpected failures: %v", r.errs)
	}
	CheckJSON(r, path, []byte(`{"npv": 54418862.1}`), false)
	if len(r.errs) != 1 {
		t.Errorf("a change at the 9th digit passed: %v", r.errs)
	}
}

// TestDump: equal values dump alike; a float's last bit, a map entry, a
// nil against an empty slice and an interface's dynamic type each show;
// an opaque pointer is not followed.
func TestDump(t *testing.T) {
	type cache struct{ n int }
	type inner struct {
		F float64
		c *cache
	}
	type outer struct {
		I  any
		M  map[string]int
		S  []int
		In inner
	}
	base := func() outer {
		return outer{I: 1.5, M: map[string]int{"b": 2, "a": 1}, S: []int{}, In: inner{F: 0.1, c: &cache{1}}}
	}
	if d := FirstDiff(Dump(base(), "cache"), Dump(base(), "cache")); d != "" {
		t.Fatalf("equal values differ: %s", d)
	}
	other := base()
	other.In.c = &cache{2}
	if d := FirstDiff(Dump(base(), "cache"), Dump(other, "cache")); d != "" {
		t.Errorf("an opaque pointer was followed: %s", d)
	}
	if FirstDiff(Dump(base()), Dump(other)) == "" {
		t.Error("without opaque, a pointer's target did not show")
	}
	for name, change := range map[string]func(o *outer){
		"last bit":     func(o *outer) { o.In.F = math.Nextafter(0.1, 1) },
		"map entry":    func(o *outer) { o.M["c"] = 0 },
		"nil slice":    func(o *outer) { o.S = nil },
		"dynamic type": func(o *outer) { o.I = float32(1.5) },
	} {
		o := base()
		change(&o)
		if FirstDiff(Dump(base(), "cache"), Dump(o, "cache")) == "" {
			t.Errorf("%s: no difference", name)
		}
	}
}
