package scenarios

import (
	"fmt"
	"strings"
)

// KeyPathOf returns the key path, as written in the scenario file, of a
// model input name such as "systems.finance.licence" (systems[0].licence)
// or "items.programme.amount" (items[2].amount); names that are already
// key paths (it_overrun) and names it cannot place are returned unchanged.
func (l *Loaded) KeyPathOf(input string) string {
	s := l.Scenario
	if s == nil {
		return input
	}
	sections := []struct {
		key  string
		n    int
		name func(int) string
	}{
		{"predecessors", len(s.Predecessors), func(i int) string { return s.Predecessors[i].Name }},
		{"systems", len(s.Systems), func(i int) string { return s.Systems[i].Name }},
		{"workforce", len(s.Workforce), func(i int) string { return s.Workforce[i].Name }},
		{"items", len(s.Items), func(i int) string { return s.Items[i].Name }},
		{"risks", len(s.Risks), func(i int) string { return s.Risks[i].Name }},
		{"quality", len(s.Quality), func(i int) string { return s.Quality[i].Name }},
	}
	for _, sec := range sections {
		rest, ok := strings.CutPrefix(input, sec.key+".")
		if !ok {
			continue
		}
		best, bestLen := -1, -1
		for i := 0; i < sec.n; i++ {
			name := sec.name(i)
			if strings.HasPrefix(strings.ToLower(rest), strings.ToLower(name)+".") && len(name) > bestLen {
				best, bestLen = i, len(name)
			}
		}
		if best >= 0 {
			return fmt.Sprintf("%s[%d].%s", sec.key, best, rest[bestLen+1:])
		}
	}
	return input
}
