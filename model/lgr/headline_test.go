package lgr

import (
	"context"
	"fmt"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// TestHeadlineAccessors: each Headline names its model output and its kept
// draws, ParseHeadline inverts String, and Net and Cumulative return the
// sampled net[t] and cumulative[t] (checked against the outputs' means
// over a run whose trials all sample).
func TestHeadlineAccessors(t *testing.T) {
	s := tiny()
	s.Workforce[0].Reduction = dist.Uniform{Min: 0.05, Max: 0.15}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(Headlines) != len(headlineNames) {
		t.Fatalf("%d headlines, %d names", len(Headlines), len(headlineNames))
	}
	for i, h := range Headlines {
		if int(h) != i || c.Model.Outputs[c.Out(h)] != h.String() {
			t.Errorf("headline %d: output %q, want %q", i, c.Model.Outputs[c.Out(h)], h)
		}
		if g, ok := ParseHeadline(h.String()); !ok || g != h {
			t.Errorf("ParseHeadline(%q) = %v, %v", h, g, ok)
		}
	}
	if _, ok := ParseHeadline("net[0]"); ok {
		t.Error("ParseHeadline accepted net[0]")
	}
	res, err := c.Run(context.Background(), engine.Options{Iterations: 50, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	mean := func(x []float32) float64 {
		s := 0.0
		for _, v := range x {
			s += float64(v)
		}
		return s / float64(len(x))
	}
	for _, h := range Headlines {
		x := res.Headline(h)
		if len(x) != 50 || &x[0] != &res.Draws(h.String())[0] {
			t.Fatalf("%s: %d draws, or not those Draws returns", h, len(x))
		}
	}
	if m := res.Raw.Mean[c.Out(NPV)]; abs(mean32(res.Headline(NPV))-m) > 1e-6*abs(m) {
		t.Errorf("NPV draws' mean %g, output mean %g", mean32(res.Headline(NPV)), m)
	}
	for y := 0; y < c.Years; y++ {
		for _, tc := range []struct {
			name string
			x    []float32
		}{{fmt.Sprintf("net[%d]", y), res.Net(y)}, {fmt.Sprintf("cumulative[%d]", y), res.Cumulative(y)}} {
			want := res.Raw.Mean[c.Model.Output(tc.name)]
			if got := mean(tc.x); abs(got-want) > 1e-5*max(1, abs(want)) {
				t.Errorf("%s: sampled mean %g, output mean %g", tc.name, got, want)
			}
		}
	}
}

func mean32(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
