package lgr_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
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
