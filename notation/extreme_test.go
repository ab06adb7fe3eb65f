package notation

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// TestUniformIntRange: ends beyond ±2^53 are refused, from the scenario
// notation and from the constructor (a range of ±9e18 overflowed IntN's
// argument and panicked; ±1e300 silently became MinInt64); the widest
// accepted range draws inside it.
func TestUniformIntRange(t *testing.T) {
	for _, c := range [][2]float64{{-9e18, 9e18}, {-1e300, 1e300}, {0, 1e16}, {-1e16, 0}} {
		if _, err := FromSpec(map[string]any{"dist": "uniform_int", "min": c[0], "max": c[1]}, nil); err == nil {
			t.Errorf("uniform_int %v accepted", c)
		}
	}
	if _, err := dist.NewUniformInt(math.MinInt64, math.MaxInt64); err == nil {
		t.Error("dist.NewUniformInt(MinInt64, MaxInt64) accepted")
	}
	u, err := FromSpec(map[string]any{"dist": "uniform_int", "min": -dist.MaxUniformInt, "max": dist.MaxUniformInt}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	dst := make([]float64, 1000)
	u.(dist.Filler).Fill(r, dst)
	for _, x := range dst {
		if !(x >= -dist.MaxUniformInt && x <= dist.MaxUniformInt) || x != math.Trunc(x) {
			t.Fatalf("drew %g", x)
		}
		if y := u.Sample(r); !(y >= -dist.MaxUniformInt && y <= dist.MaxUniformInt) {
			t.Fatalf("drew %g", y)
		}
	}
}
