package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"horizon", "predecessors", "successors", "systems"}
	for _, c := range []struct{ in, want string }{
		{"horizn", "horizon"},
		{"predecesors", "predecessors"},
		{"sytems", "systems"},
		{"zzzzzz", ""},
	} {
		if got := Closest(c.in, cands); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
