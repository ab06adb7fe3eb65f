package lgr

import (
	"errors"
	"fmt"
	"math"
	"path"
	"sort"
	"strings"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/suggest"
	"github.com/devolve-lgr/devolve/model/corr"
	"github.com/devolve-lgr/devolve/model/engine"
)

// Correlation is one entry of a scenario's correlations: a rank (Spearman)
// correlation between inputs named as `devolve run --draws` names them
// (items.<name>.amount, systems.<category>.migration, ...). Names may be
// patterns with * (path.Match: systems.*.migration). Exactly one form:
//
//   - Between: two inputs (each name or pattern matching exactly one), Rank;
//   - Group: names or patterns; every pair of the inputs they match, Rank;
//   - Inputs and Matrix: a full matrix over the named inputs (exact names).
type Correlation struct {
	Between []string
	Group   []string
	Rank    float64
	Inputs  []string
	Matrix  [][]float64
}

// CorrelationFixNearest is the value of Scenario.CorrelationFix that
// replaces an inconsistent set of correlations by the nearest valid one
// (Higham 2002) with a warning, instead of an error.
const CorrelationFixNearest = "nearest"

// pairSource records where a pair's target was given.
type pairSource struct {
	rank float64
	path string
}

// correlation resolves the scenario's correlations against the compiled
// input names. It returns nil when there are none.
func (c *compiler) correlation() (*engine.Correlation, []string) {
	s := c.s
	if len(s.Correlations) == 0 {
		return nil, nil
	}
	switch s.CorrelationFix {
	case "", CorrelationFixNearest:
	default:
		c.errs = append(c.errs, fielderr.New("correlation_fix", "must be nearest or absent (got %q)", s.CorrelationFix))
	}
	names := make([]string, len(c.inputs))
	for i, in := range c.inputs {
		names[i] = in.Name
	}
	match := func(p, pattern string) []int {
		var out []int
		for i, n := range names {
			if ok, _ := path.Match(pattern, n); ok || n == pattern {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			if _, err := path.Match(pattern, ""); err != nil {
				c.errs = append(c.errs, fielderr.New(p, "%q is not a valid pattern: %v", pattern, err))
			} else {
				c.errs = append(c.errs, fielderr.New(p, "no input is named %q%s (inputs are named as devolve run --draws names them, e.g. items.<name>.amount, systems.<category>.migration; patterns may use *)", pattern, suggest.Hint(pattern, names)))
			}
		}
		return out
	}
	rankOK := func(p string, r float64) bool {
		if !(r > -1 && r < 1) {
			c.errs = append(c.errs, fielderr.New(p, "must be a rank correlation strictly between -1 and 1 (got %v)", r))
			return false
		}
		return true
	}
	pairs := map[[2]int]pairSource{}
	set := func(p string, i, j int, r float64) {
		if i == j {
			return
		}
		if i > j {
			i, j = j, i
		}
		if old, ok := pairs[[2]int{i, j}]; ok && old.rank != r {
			c.errs = append(c.errs, fielderr.New(p, "%s ~ %s is given twice: %v at %s and %v here", names[i], names[j], old.rank, old.path, r))
			return
		}
		pairs[[2]int{i, j}] = pairSource{r, p}
	}
	for k, e := range s.Correlations {
		p := fmt.Sprintf("correlations[%d]", k)
		forms := 0
		for _, given := range []bool{len(e.Between) > 0, len(e.Group) > 0, len(e.Inputs) > 0 || len(e.Matrix) > 0} {
			if given {
				forms++
			}
		}
		if forms != 1 {
			c.errs = append(c.errs, fielderr.New(p, "give exactly one of between (two inputs and a rank), group (inputs and a rank) or inputs with matrix"))
			continue
		}
		switch {
		case len(e.Between) > 0:
			if len(e.Between) != 2 {
				c.errs = append(c.errs, fielderr.New(p+".between", "must name two inputs (got %d)", len(e.Between)))
				continue
			}
			var ij [2]int
			ok := rankOK(p+".rank", e.Rank)
			for a, n := range e.Between {
				m := match(fmt.Sprintf("%s.between[%d]", p, a), n)
				if len(m) > 1 {
					c.errs = append(c.errs, fielderr.New(fmt.Sprintf("%s.between[%d]", p, a), "%q matches %d inputs (%s); between takes one input each side: use group for more", n, len(m), strings.Join(pick(names, m, 4), ", ")))
				}
				if len(m) != 1 {
					ok = false
					continue
				}
				ij[a] = m[0]
			}
			if ok && ij[0] == ij[1] {
				c.errs = append(c.errs, fielderr.New(p+".between", "names the same input twice (%s)", names[ij[0]]))
				continue
			}
			if ok {
				set(p, ij[0], ij[1], e.Rank)
			}
		case len(e.Group) > 0:
			ok := rankOK(p+".rank", e.Rank)
			var members []int
			seen := map[int]bool{}
			for a, n := range e.Group {
				for _, i := range match(fmt.Sprintf("%s.group[%d]", p, a), n) {
					if !seen[i] {
						seen[i] = true
						members = append(members, i)
					}
				}
			}
			if len(members) < 2 {
				if len(members) == 1 {
					c.errs = append(c.errs, fielderr.New(p+".group", "matches only one input (%s); a group needs at least two", names[members[0]]))
				}
				continue
			}
			if ok {
				for a, i := range members {
					for _, j := range members[:a] {
						set(p, i, j, e.Rank)
					}
				}
			}
		default:
			k := len(e.Inputs)
			if k < 2 || len(e.Matrix) != k {
				c.errs = append(c.errs, fielderr.New(p+".matrix", "needs one row per input and at least two inputs (got %d inputs, %d rows)", k, len(e.Matrix)))
				continue
			}
			idx := make([]int, k)
			ok := true
			for a, n := range e.Inputs {
				ip := fmt.Sprintf("%s.inputs[%d]", p, a)
				m := match(ip, n)
				if len(m) > 1 {
					c.errs = append(c.errs, fielderr.New(ip, "%q matches %d inputs; the matrix form takes exact names", n, len(m)))
				}
				if len(m) != 1 {
					ok = false
					continue
				}
				idx[a] = m[0]
				for b := 0; b < a; b++ {
					if idx[b] == idx[a] {
						c.errs = append(c.errs, fielderr.New(ip, "%s is listed twice", n))
						ok = false
					}
				}
			}
			for a, row := range e.Matrix {
				rp := fmt.Sprintf("%s.matrix[%d]", p, a)
				if len(row) != k {
					c.errs = append(c.errs, fielderr.New(rp, "needs %d entries (got %d)", k, len(row)))
					ok = false
					continue
				}
				for b, v := range row {
					ep := fmt.Sprintf("%s[%d]", rp, b)
					switch {
					case a == b && v != 1:
						c.errs = append(c.errs, fielderr.New(ep, "the diagonal must be 1 (got %v)", v))
						ok = false
					case a != b && !rankOK(ep, v):
						ok = false
					case a > b && len(e.Matrix[b]) == k && e.Matrix[b][a] != v:
						c.errs = append(c.errs, fielderr.New(ep, "the matrix must be symmetric (%v here, %v at [%d][%d])", v, e.Matrix[b][a], b, a))
						ok = false
					}
				}
			}
			if ok {
				for a := range idx {
					for b := 0; b < a; b++ {
						set(fmt.Sprintf("%s.matrix[%d][%d]", p, a, b), idx[a], idx[b], e.Matrix[a][b])
					}
				}
			}
		}
	}
	if len(pairs) == 0 {
		return nil, nil
	}
	// The involved inputs, in model order, and the full target.
	in := map[int]int{}
	for ij := range pairs {
		in[ij[0]], in[ij[1]] = 0, 0
	}
	var inputs []int
	for i := range in {
		inputs = append(inputs, i)
	}
	sort.Ints(inputs)
	for a, i := range inputs {
		in[i] = a
	}
	k := len(inputs)
	rank := make([][]float64, k)
	for a := range rank {
		rank[a] = make([]float64, k)
		rank[a][a] = 1
	}
	for ij, ps := range pairs {
		a, b := in[ij[0]], in[ij[1]]
		rank[a][b], rank[b][a] = ps.rank, ps.rank
	}
	ec := &engine.Correlation{Inputs: inputs, Rank: rank}
	var warnings []string
	for _, g := range ec.Groups() {
		sub := make([][]float64, len(g))
		for a, p := range g {
			sub[a] = make([]float64, len(g))
			for b, q := range g {
				sub[a][b] = corr.PearsonOfRank(rank[p][q])
			}
			sub[a][a] = 1
		}
		err := corr.Check(sub)
		var npd *corr.NotPDError
		if !errors.As(err, &npd) {
			continue
		}
		if s.CorrelationFix != CorrelationFixNearest {
			var who, given []string
			for a, x := range npd.Inputs {
				who = append(who, names[inputs[g[x]]])
				for _, y := range npd.Inputs[:a] {
					i, j := min(inputs[g[x]], inputs[g[y]]), max(inputs[g[x]], inputs[g[y]])
					if ps, ok := pairs[[2]int{i, j}]; ok {
						given = append(given, fmt.Sprintf("%s ~ %s %v (%s)", names[i], names[j], ps.rank, ps.path))
					}
				}
			}
			sort.Strings(given)
			c.errs = append(c.errs, fielderr.New("correlations", "the rank correlations among %s cannot hold together (no valid correlation matrix has them; it would not be positive definite): %s. Change some of them, or set correlation_fix: nearest to use the nearest valid matrix",
				strings.Join(who, ", "), strings.Join(given, "; ")))
			continue
		}
		fixed, _, err := corr.Nearest(sub)
		if err != nil {
			c.errs = append(c.errs, fielderr.New("correlation_fix", "%v", err))
			continue
		}
		var changes []string
		for a, p := range g {
			for b := 0; b < a; b++ {
				q := g[b]
				r := corr.RankOfPearson(fixed[a][b])
				if math.Abs(r-rank[p][q]) >= 0.005 {
					changes = append(changes, fmt.Sprintf("%s ~ %s %.2f -> %.2f", names[inputs[q]], names[inputs[p]], rank[p][q], r))
				}
				rank[p][q], rank[q][p] = r, r
			}
		}
		warnings = append(warnings, fmt.Sprintf("correlations: inconsistent targets replaced by the nearest valid matrix (correlation_fix: nearest; Higham 2002): %s", strings.Join(changes, "; ")))
	}
	return ec, warnings
}

// pick returns the names of up to n of the indices, with "..." if more.
func pick(names []string, idx []int, n int) []string {
	var out []string
	for i, x := range idx {
		if i == n {
			return append(out, "...")
		}
		out = append(out, names[x])
	}
	return out
}
