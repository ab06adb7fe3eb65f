package lgr

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"path"
	"slices"
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

// Limits on correlations, so that checking and inducing them stays fast
// and small whatever a file asks for. Iman-Conover reorders each block of
// engine.BlockSize (1,024) trials: with k inputs in one group it costs
// k^2 * 1,024 / 2 multiplications per block (33 million at k = 256, about
// 32,000 a trial), and the score correlation it factors is singular once k
// nears the block size, so a larger group cannot be induced faithfully.
const (
	// MaxCorrelatedGroup is the most inputs that correlations may link into
	// one connected group (inputs sharing an entry, directly or through
	// others).
	MaxCorrelatedGroup = 256
	// MaxCorrelatedInputs is the most inputs named in all correlations
	// together (the engine's target matrix holds their square: 8 MB).
	MaxCorrelatedInputs = 1024
	// maxPatternWork is the most (pattern, input name) comparisons the
	// patterns of correlations may ask for (about 2 s).
	maxPatternWork = 20_000_000
	// maxCorrelationErrors is the most problems reported about
	// correlations; the rest are counted.
	maxCorrelationErrors = 20
	// maxListed is the most inputs or pairs one message lists.
	maxListed = 12
)

// pairSource records where a pair's target was given.
type pairSource struct {
	rank float64
	path string
}

// corrEntry is one entry of correlations resolved to input indices.
type corrEntry struct {
	path    string
	members []int       // model input indices, distinct
	rank    float64     // between and group
	matrix  [][]float64 // the matrix form: matrix[a][b] for members a, b
}

// correlation resolves the scenario's correlations against the compiled
// input names. It returns nil when there are none. Its work is linear in
// what the file gives (names, patterns times inputs, matrix entries) up to
// the expansion of groups into pairs, which MaxCorrelatedGroup and
// MaxCorrelatedInputs bound; ctx stops it.
func (c *compiler) correlation(ctx context.Context) (*engine.Correlation, []string) {
	s := c.s
	if len(s.Correlations) == 0 {
		return nil, nil
	}
	nerr := 0
	fail := func(e error) {
		if nerr < maxCorrelationErrors {
			c.errs = append(c.errs, e)
		}
		nerr++
	}
	defer func() {
		if nerr > maxCorrelationErrors {
			c.errs = append(c.errs, fielderr.New("correlations", "%d more problems not shown", nerr-maxCorrelationErrors))
		}
	}()
	switch s.CorrelationFix {
	case "", CorrelationFixNearest:
	default:
		fail(fielderr.New("correlation_fix", "must be nearest or absent (got %q)", s.CorrelationFix))
	}
	names := make([]string, len(c.inputs))
	for i, in := range c.inputs {
		names[i] = in.Name
	}
	work := 0
	matched := map[string][]int{}
	match := func(p, pattern string) []int {
		if i, ok := c.index[pattern]; ok && !strings.ContainsAny(pattern, `*?[\`) {
			return []int{i}
		}
		out, seen := matched[pattern]
		if !seen {
			if _, err := path.Match(pattern, ""); err != nil {
				fail(fielderr.New(p, "%q is not a valid pattern: %v", pattern, err))
				return nil
			}
			if work += len(names); work > maxPatternWork {
				if work-len(names) <= maxPatternWork {
					fail(fielderr.New(p, "the patterns of correlations ask for more than %d comparisons with the %d inputs' names: name inputs exactly, or use fewer patterns", maxPatternWork, len(names)))
				}
				return nil
			}
			for i, n := range names {
				if ok, _ := path.Match(pattern, n); ok || n == pattern {
					out = append(out, i)
				}
			}
			matched[pattern] = out
		}
		if len(out) == 0 {
			hint := ""
			if nerr < maxCorrelationErrors {
				hint = suggest.Hint(pattern, names)
			}
			fail(fielderr.New(p, "no input is named %q%s (inputs are named as devolve run --draws names them, e.g. items.<name>.amount, systems.<category>.migration; patterns may use *)", pattern, hint))
		}
		return out
	}
	rankOK := func(p string, r float64) bool {
		if !(r > -1 && r < 1) {
			fail(fielderr.New(p, "must be a rank correlation strictly between -1 and 1 (got %v)", r))
			return false
		}
		return true
	}
	var entries []corrEntry
	for k, e := range s.Correlations {
		if k%256 == 0 && ctx.Err() != nil {
			c.errs = append(c.errs, ctx.Err())
			return nil, nil
		}
		p := fmt.Sprintf("correlations[%d]", k)
		forms := 0
		for _, given := range []bool{len(e.Between) > 0, len(e.Group) > 0, len(e.Inputs) > 0 || len(e.Matrix) > 0} {
			if given {
				forms++
			}
		}
		if forms != 1 {
			fail(fielderr.New(p, "give exactly one of between (two inputs and a rank), group (inputs and a rank) or inputs with matrix"))
			continue
		}
		switch {
		case len(e.Between) > 0:
			if len(e.Between) != 2 {
				fail(fielderr.New(p+".between", "must name two inputs (got %d)", len(e.Between)))
				continue
			}
			var ij [2]int
			ok := rankOK(p+".rank", e.Rank)
			for a, n := range e.Between {
				m := match(fmt.Sprintf("%s.between[%d]", p, a), n)
				if len(m) > 1 {
					fail(fielderr.New(fmt.Sprintf("%s.between[%d]", p, a), "%q matches %d inputs (%s); between takes one input each side: use group for more", n, len(m), strings.Join(pick(names, m, 4), ", ")))
				}
				if len(m) != 1 {
					ok = false
					continue
				}
				ij[a] = m[0]
			}
			if ok && ij[0] == ij[1] {
				fail(fielderr.New(p+".between", "names the same input twice (%s)", names[ij[0]]))
				continue
			}
			if ok {
				entries = append(entries, corrEntry{path: p, members: ij[:], rank: e.Rank})
			}
		case len(e.Group) > 0:
			ok := rankOK(p+".rank", e.Rank)
			var members []int
			seen := map[int]bool{}
			for a, n := range e.Group {
				if a%256 == 0 && ctx.Err() != nil {
					c.errs = append(c.errs, ctx.Err())
					return nil, nil
				}
				for _, i := range match(fmt.Sprintf("%s.group[%d]", p, a), n) {
					if !seen[i] {
						seen[i] = true
						members = append(members, i)
					}
				}
			}
			if len(members) < 2 {
				if len(members) == 1 {
					fail(fielderr.New(p+".group", "matches only one input (%s); a group needs at least two", names[members[0]]))
				}
				continue
			}
			if ok {
				entries = append(entries, corrEntry{path: p, members: members, rank: e.Rank})
			}
		default:
			k := len(e.Inputs)
			if k < 2 || len(e.Matrix) != k {
				fail(fielderr.New(p+".matrix", "needs one row per input and at least two inputs (got %d inputs, %d rows)", k, len(e.Matrix)))
				continue
			}
			idx := make([]int, k)
			ok := true
			listed := map[int]bool{}
			for a, n := range e.Inputs {
				ip := fmt.Sprintf("%s.inputs[%d]", p, a)
				m := match(ip, n)
				if len(m) > 1 {
					fail(fielderr.New(ip, "%q matches %d inputs; the matrix form takes exact names", n, len(m)))
				}
				if len(m) != 1 {
					ok = false
					continue
				}
				idx[a] = m[0]
				if listed[m[0]] {
					fail(fielderr.New(ip, "%s is listed twice", n))
					ok = false
				}
				listed[m[0]] = true
			}
			for a, row := range e.Matrix {
				rp := fmt.Sprintf("%s.matrix[%d]", p, a)
				if len(row) != k {
					fail(fielderr.New(rp, "needs %d entries (got %d)", k, len(row)))
					ok = false
					continue
				}
				for b, v := range row {
					ep := fmt.Sprintf("%s[%d]", rp, b)
					switch {
					case a == b && v != 1:
						fail(fielderr.New(ep, "the diagonal must be 1 (got %v)", v))
						ok = false
					case a != b && !rankOK(ep, v):
						ok = false
					case a > b && len(e.Matrix[b]) == k && e.Matrix[b][a] != v:
						fail(fielderr.New(ep, "the matrix must be symmetric (%v here, %v at [%d][%d])", v, e.Matrix[b][a], b, a))
						ok = false
					}
				}
			}
			if ok {
				entries = append(entries, corrEntry{path: p, members: idx, matrix: e.Matrix})
			}
		}
	}
	// Connected groups of inputs, from the entries (linear in the names
	// given), before anything is expanded into pairs.
	parent := make([]int, len(names))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range entries {
		for _, i := range e.members[1:] {
			parent[find(i)] = find(e.members[0])
		}
	}
	size := map[int]int{}
	for _, e := range entries {
		for _, i := range e.members {
			size[find(i)] = 0
		}
	}
	involved := 0
	for i := range names {
		if _, ok := size[find(i)]; ok {
			size[find(i)]++
			involved++
		}
	}
	tooBig := map[int][]string{} // root -> entry paths
	for _, e := range entries {
		if r := find(e.members[0]); size[r] > MaxCorrelatedGroup {
			tooBig[r] = append(tooBig[r], e.path)
		}
	}
	for _, r := range slices.Sorted(maps.Keys(tooBig)) {
		paths := tooBig[r]
		more := ""
		if len(paths) > 4 {
			more = fmt.Sprintf(" and %d more", len(paths)-4)
			paths = paths[:4]
		}
		fail(fielderr.New(paths[0], "links %d inputs into one correlated group (through %s%s); at most %d inputs can be correlated together (Iman-Conover reorders blocks of %d trials)", size[r], strings.Join(paths, ", "), more, MaxCorrelatedGroup, engine.BlockSize))
	}
	if len(tooBig) > 0 {
		return nil, nil
	}
	if involved > MaxCorrelatedInputs {
		fail(fielderr.New("correlations", "name %d inputs in all; at most %d inputs can be correlated", involved, MaxCorrelatedInputs))
		return nil, nil
	}
	// Bounded now: every pair lies within one group of at most
	// MaxCorrelatedGroup inputs.
	pairs := map[[2]int]pairSource{}
	set := func(p string, i, j int, r float64) {
		if i == j {
			return
		}
		if i > j {
			i, j = j, i
		}
		if old, ok := pairs[[2]int{i, j}]; ok && old.rank != r {
			fail(fielderr.New(p, "%s ~ %s is given twice: %v at %s and %v here", names[i], names[j], old.rank, old.path, r))
			return
		}
		pairs[[2]int{i, j}] = pairSource{r, p}
	}
	for _, e := range entries {
		if e.matrix == nil {
			for a, i := range e.members {
				for _, j := range e.members[:a] {
					set(e.path, i, j, e.rank)
				}
			}
			continue
		}
		for a, i := range e.members {
			for b, j := range e.members[:a] {
				set(fmt.Sprintf("%s.matrix[%d][%d]", e.path, a, b), i, j, e.matrix[a][b])
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
	inputs := slices.Sorted(maps.Keys(in))
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
		err := corr.CheckContext(ctx, sub)
		if ctx.Err() != nil {
			c.errs = append(c.errs, ctx.Err())
			return nil, nil
		}
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
			fail(fielderr.New("correlations", "the rank correlations among %s cannot hold together (no valid correlation matrix has them; it would not be positive definite): %s. Change some of them, or set correlation_fix: nearest to use the nearest valid matrix",
				listed(who, "inputs"), listed(given, "pairs")))
			continue
		}
		fixed, _, err := corr.NearestContext(ctx, sub)
		if ctx.Err() != nil {
			c.errs = append(c.errs, ctx.Err())
			return nil, nil
		}
		if err != nil {
			fail(fielderr.New("correlation_fix", "%v", err))
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
		warnings = append(warnings, fmt.Sprintf("correlations: inconsistent targets replaced by the nearest valid matrix (correlation_fix: nearest; Higham 2002): %s", listed(changes, "changes")))
	}
	return ec, warnings
}

// listed joins at most maxListed of xs with "; " or ", ", saying how many
// more there are, so that no message grows with the size of a file.
func listed(xs []string, what string) string {
	sep := ", "
	if what != "inputs" {
		sep = "; "
	}
	if len(xs) <= maxListed {
		return strings.Join(xs, sep)
	}
	return fmt.Sprintf("%s%s... and %d more %s", strings.Join(xs[:maxListed], sep), sep, len(xs)-maxListed, what)
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
