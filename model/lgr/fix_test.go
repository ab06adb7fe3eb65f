package lgr_test

import (
	"context"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

// Fixing an input leaves the original untouched, makes every draw of that
// input the value, and keeps every other input's draws (common random
// numbers).
func TestFix(t *testing.T) {
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	name := "it_overrun"
	j := -1
	for i, in := range c.Model.Inputs {
		if in.Name == name {
			j = i
		}
	}
	if j < 0 {
		t.Fatalf("suffolk has no input %s", name)
	}
	f, err := c.Fix(map[string]float64{name: 1.7})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Model.Inputs[j].Dist.(dist.Fixed); ok {
		t.Fatal("Fix changed the original model")
	}
	opt := engine.Options{Iterations: 3000, Seed: 7, KeepInputs: true}
	a, err := c.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Raw.Inputs {
		for k := range a.Raw.Inputs[i] {
			want := a.Raw.Inputs[i][k]
			if i == j {
				want = 1.7
			}
			if b.Raw.Inputs[i][k] != want {
				t.Fatalf("input %s trial %d: %v, want %v", c.Model.Inputs[i].Name, k, b.Raw.Inputs[i][k], want)
			}
		}
	}
	// A larger overrun factor costs more in every trial.
	na, nb := a.Draws("one_off_cost"), b.Draws("one_off_cost")
	worse := 0
	for k := range na {
		if (b.Raw.Inputs[j][k] > a.Raw.Inputs[j][k]) == (nb[k] > na[k]) {
			worse++
		}
	}
	if worse < len(na)*99/100 {
		t.Errorf("one-off cost moved with the overrun factor in only %d of %d trials", worse, len(na))
	}

	_, err = c.Fix(map[string]float64{"nope": 1, name: math.NaN()})
	if err == nil || !strings.Contains(err.Error(), "nope: no such input") || !strings.Contains(err.Error(), "must be finite") {
		t.Errorf("bad fix: %v", err)
	}
}

// TestFixRefusesImpossibleValues (issue 19): the default IT overrun
// (lognormal body, Pareto tail truncated to [1.5, 8]) takes only positive
// values, so -2 is refused (its support was computed as [-2.2, 11.8]); a
// risk's "occurs" takes 0 or 1 (0.5 was taken as 1); a delay is a whole
// number of years.
func TestFixRefusesImpossibleValues(t *testing.T) {
	base, err := os.ReadFile("../../scenarios/reference-r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ld, err := scenarios.LoadBytes(append(base, "\nrisks:\n  - {name: slip, probability: 0.3, cost: 1m, delay: {dist: uniform, min: 0, max: 2}}\n"...), "yaml", "r-risks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	var occurs, delay string
	for _, in := range c.Inputs {
		if strings.HasSuffix(in.Name, ".occurs") && occurs == "" {
			occurs = in.Name
		}
		if strings.HasSuffix(in.Name, ".delay") && delay == "" {
			delay = in.Name
		}
	}
	if occurs == "" || delay == "" {
		t.Fatalf("no risk inputs: %q %q", occurs, delay)
	}
	for _, c2 := range []struct {
		name string
		v    float64
		want string // "" = accepted
	}{
		{"it_overrun", -2, "outside the input's range [0, +Inf]"},
		{"it_overrun", 0, "outside"},
		{"it_overrun", 1.7, ""},
		{"it_overrun", 7.5, ""},
		{occurs, 0.5, "whole number"},
		{occurs, 2, "not one of the input's values (it takes 0 or 1)"},
		{occurs, 1, ""},
		{occurs, 0, ""},
	} {
		_, err := c.Fix(map[string]float64{c2.name: c2.v})
		switch {
		case c2.want == "" && err != nil:
			t.Errorf("fix %s=%v refused: %v", c2.name, c2.v, err)
		case c2.want != "" && (err == nil || !strings.Contains(err.Error(), c2.want)):
			t.Errorf("fix %s=%v: got %v, want %q", c2.name, c2.v, err, c2.want)
		}
	}
	if _, err := c.Fix(map[string]float64{delay: 1.5}); err == nil || !strings.Contains(err.Error(), "whole number") {
		t.Errorf("fix %s=1.5: got %v", delay, err)
	}
}

// TestFixEach: an input two options share is fixed in both, one only the
// second has in the second alone; a name neither has is an error naming it.
func TestFixEach(t *testing.T) {
	var cs []*lgr.Compiled
	for _, n := range []string{"suffolk", "suffolk-two"} {
		ld, err := scenarios.Load(n)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ld.Compile()
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	has := func(c *lgr.Compiled, name string) int {
		return slices.IndexFunc(c.Model.Inputs, func(in engine.Input) bool { return in.Name == name })
	}
	only := ""
	for _, in := range cs[1].Model.Inputs {
		if _, ok := in.Dist.(dist.Fixed); !ok && has(cs[0], in.Name) < 0 {
			only = in.Name
			break
		}
	}
	if only == "" || has(cs[1], "it_overrun") < 0 || has(cs[0], "it_overrun") < 0 {
		t.Fatal("suffolk-two should share it_overrun with suffolk and have an uncertain input of its own")
	}
	v := cs[1].Model.Inputs[has(cs[1], only)].Dist.Quantile(0.4)
	fixed, err := lgr.FixEach(cs, map[string]float64{"it_overrun": 1.7, only: v})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range fixed {
		if d, ok := c.Model.Inputs[has(c, "it_overrun")].Dist.(dist.Fixed); !ok || d.V != 1.7 {
			t.Errorf("option %d: it_overrun is %v, want fixed at 1.7", i+1, c.Model.Inputs[has(c, "it_overrun")].Dist)
		}
	}
	if d, ok := fixed[1].Model.Inputs[has(fixed[1], only)].Dist.(dist.Fixed); !ok || d.V != v {
		t.Errorf("option 2: %s not fixed at %v", only, v)
	}
	if _, err := lgr.FixEach(cs, map[string]float64{"no_such_input": 1}); err == nil || !strings.Contains(err.Error(), "fix no_such_input: no such input in any option") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := lgr.FixEach(cs, map[string]float64{"it_overrun": math.Inf(1)}); err == nil || !strings.Contains(err.Error(), "option 2: fix it_overrun") {
		t.Errorf("non-finite value: %v", err)
	}
}

// TestFixShowsNamesSafely: a name Fix does not know is shown as given when
// plain, and otherwise quoted (control characters escaped) and cut to 80
// bytes: `serve` answers a query string's name with this message (issue 19,
// hostile: fix=%00%1b[31m=1 came back raw, and a 5,000-byte name whole).
func TestFixShowsNamesSafely(t *testing.T) {
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want string }{
		{"no_such_input", "fix no_such_input: no such input"},
		{"\x00\x1b[31m", `fix "\x00\x1b[31m": no such input`},
		{strings.Repeat("x", 5000), `fix "` + strings.Repeat("x", 80) + `"... (5000 bytes): no such input`},
	} {
		for _, f := range []func() error{
			func() error { _, err := c.Fix(map[string]float64{tc.name: 1}); return err },
			func() error { _, err := lgr.FixEach([]*lgr.Compiled{c}, map[string]float64{tc.name: 1}); return err },
		} {
			err := f()
			if err == nil || !strings.Contains(err.Error(), tc.want) || len(err.Error()) > 300 {
				t.Errorf("%.40q: %v; want %q", tc.name, err, tc.want)
			}
		}
	}
}
