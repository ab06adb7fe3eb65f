package sensitivity

import (
	"math"
	"sort"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/model/engine"
)

// Swing is one tornado bar: the output with the group at its P10 (Low) and
// P90 (High), every other input at its median (Base).
type Swing struct {
	Name            string
	Low, High, Base float64
	// Swing is |High - Low|.
	Swing float64
}

// Tornado swings each group from its P10 to its P90 with the other inputs at
// their medians, and returns the bars sorted by swing, largest first.
func Tornado(f Func, dists []dist.Distribution, groups []Group) []Swing {
	if groups == nil {
		groups = singletons(len(dists))
	}
	med := make([]float64, len(dists))
	for i, d := range dists {
		med[i] = d.Quantile(0.5)
	}
	base := f(med)
	x := make([]float64, len(dists))
	var out []Swing
	for _, g := range groups {
		at := func(p float64) float64 {
			copy(x, med)
			for _, m := range g.Members {
				x[m] = dists[m].Quantile(p)
			}
			return f(x)
		}
		lo, hi := at(0.1), at(0.9)
		out = append(out, Swing{g.Name, lo, hi, base, math.Abs(hi - lo)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Swing > out[j].Swing })
	return out
}

func singletons(d int) []Group {
	g := make([]Group, d)
	for i := range g {
		g[i] = Group{Name: itoa(i), Members: []int{i}}
	}
	return g
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// Spearman returns the rank correlation of x and y (average ranks for ties).
func Spearman(x, y []float64) float64 {
	rx, ry := engine.MidRanks(x), engine.MidRanks(y)
	return pearson(rx, ry)
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// GroupBy groups input names by key(name), in order of first appearance,
// leaving out inputs for which skip returns true (e.g. fixed inputs).
func GroupBy(names []string, key func(string) string, skip func(int) bool) []Group {
	// Never nil: when every input is skipped the answer is no groups, not
	// the callers' default of one group per input (which listed phantom
	// inputs "0", "1", ... for a scenario with nothing uncertain).
	out := []Group{}
	at := map[string]int{}
	for i, n := range names {
		if skip != nil && skip(i) {
			continue
		}
		k := key(n)
		g, ok := at[k]
		if !ok {
			g = len(out)
			at[k] = g
			out = append(out, Group{Name: k})
		}
		out[g].Members = append(out[g].Members, i)
	}
	return out
}
