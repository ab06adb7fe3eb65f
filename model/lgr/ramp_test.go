package lgr

import (
	"math"
	"testing"
)

func TestRampShare(t *testing.T) {
	cum := []float64{0.1, 0.5, 0.9, 1.0} // EVIDENCE.md §9 10/40/40/10, cumulated
	for _, c := range []struct {
		name string
		x    float64
		want float64
	}{
		{"before the start", -1, 0},
		{"at the start", 0, 0},
		{"half of year 1", 0.5, 0.05},
		{"year 1 (knot)", 1, 0.1},
		{"year 1.5: 0.1 + 0.5*0.4", 1.5, 0.3},
		{"year 2 (knot)", 2, 0.5},
		{"year 2 at T=0.8: x=2.5", 2 / 0.8, 0.7},
		{"year 3.25: 0.9 + 0.25*0.1", 3.25, 0.925},
		{"last knot", 4, 1},
		{"after the last knot", 10, 1},
		{"year 2 at T=2: x=1", 2.0 / 2, 0.1},
		{"year 3 at T=1.5: x=2", 3 / 1.5, 0.5},
		{"year 1 at T=3: x=1/3", 1.0 / 3, 0.1 / 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := RampShare(cum, c.x); math.Abs(got-c.want) > 1e-15 {
				t.Errorf("RampShare(%v, %v) = %v, hand %v", cum, c.x, got, c.want)
			}
		})
	}
	// T = 1 reproduces the profile at whole years.
	for y := 1; y <= len(cum); y++ {
		if got := RampShare(cum, float64(y)); got != cum[y-1] {
			t.Errorf("year %d at T=1: %v, want cum[%d] = %v", y, got, y-1, cum[y-1])
		}
	}
	// A profile that does not end at 1 holds its last value.
	if got := RampShare([]float64{0.2, 0.6}, 7); got != 0.6 {
		t.Errorf("held last value: %v, want 0.6", got)
	}
	if got := RampShare(cum, math.NaN()); !math.IsNaN(got) {
		t.Errorf("NaN x gives %v, want NaN", got)
	}
	if a := testing.AllocsPerRun(100, func() { RampShare(cum, 2.3) }); a != 0 {
		t.Errorf("RampShare allocates %v times", a)
	}
}

func TestRampShareEmptyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("RampShare(nil, 1) did not panic")
		}
	}()
	RampShare(nil, 1)
}
