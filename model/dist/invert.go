package dist

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Numerical inversion of a continuous CDF by quintic Hermite interpolation:
// the HINV method of Hörmann and Leydold, "Continuous random variate
// generation by fast numerical inversion", ACM TOMACS 13(4), 2003 (the
// method behind UNU.RAN's HINV). On each interval [u_j, u_j+1] of the CDF's
// range, x(u) is the degree-5 polynomial matching x, dx/du = 1/f(x) and
// d2x/du2 = -f'(x)/f(x)^3 at both ends; intervals are halved (in x) until
// the u-error |F(x(u)) - u| at each interval's midpoint is at
// most invUTol. A draw is then one uniform, a guide-table lookup and a
// polynomial: several times cheaper than exact rejection samplers, and
// monotone in the uniform.

// invUTol is the u-error allowed at the midpoints: UNU.RAN's default
// u-resolution for numerical inversion is 1e-10; we take ten times less.
const invUTol = 1e-11

// invTail is the probability mass cut from each end of an unbounded or
// zero-density end of the support: draws beyond it return the cut point.
const invTail = 1e-13

// invMaxIntervals bounds the table; newInverse reports failure beyond it.
const invMaxIntervals = 1 << 14

// inverse is a numerical inverse CDF (immutable once built). It holds
// what a draw reads and nothing else: about 80 bytes an interval, some
// 30 kB for a lognormal or a PERT (350 to 400 intervals).
type inverse struct {
	guide []int32 // guide[k]: the interval holding U = k/len(guide)
	// seg packs what a draw reads of interval j into one 64-byte cache
	// line: its start u_j, 1/width 1/(u_j+1 - u_j) and polynomial in
	// t = (U-u_j)/(u_j+1 - u_j); seg[n] (n = len(seg)-1 intervals) is a
	// sentinel whose start is the end of the last interval, so the guide
	// search needs no bounds test.
	seg []invSeg
	xlo float64 // value for U below seg[0].u0
	xhi float64 // value for U at or above seg[n].u0
}

// invSeg is one interval of an inverse as at reads it.
type invSeg struct {
	u0, inv float64
	c       [6]float64
}

// lazyInverse builds an inverse on first use, once, whichever goroutine
// asks first. A distribution holds its table this way so that reading and
// checking a scenario builds none (a file of 20,000 distinct lognormals
// took 1.9 GB to validate), and a run builds only those it draws from.
// The nil *lazyInverse has no table.
type lazyInverse struct {
	once  sync.Once
	build func() *inverse
	iv    *inverse
	done  atomic.Pointer[inverse] // iv, once built (for built)
}

// lazy returns a lazyInverse that will build with build.
func lazy(build func() *inverse) *lazyInverse { return &lazyInverse{build: build} }

// get returns the inverse, building it on the first call; nil if there is
// none or it could not be built.
func (l *lazyInverse) get() *inverse {
	if l == nil {
		return nil
	}
	l.once.Do(func() {
		l.iv = l.build()
		l.build = nil
		l.done.Store(l.iv)
	})
	return l.iv
}

// built returns the inverse if it has been built, without building it.
func (l *lazyInverse) built() *inverse { return l.done.Load() }

// invNode is a knot: x, its CDF value and the first two derivatives of
// x(u) there.
type invNode struct{ x, u, d1, d2 float64 }

// newInverse builds the inverse of cdf on [a, b]. at gives, at x, the
// density f, the CDF F and the density's derivative df, together so that a
// family computes their common terms once (newInverse asks for each knot
// once). The density must be positive inside (a, b); where it is zero at
// an end, that end is cut at invTail mass. It returns nil if the tolerance
// cannot be met within invMaxIntervals intervals.
func newInverse(cdf func(float64) float64, at func(x float64) (f, F, df float64), a, b float64) *inverse {
	node := func(x float64) (invNode, bool) {
		f, F, df := at(x)
		if !(f > 0) || math.IsInf(f, 0) {
			return invNode{}, false
		}
		return invNode{x, F, 1 / f, -df / (f * f * f)}, true
	}
	pdf := func(x float64) float64 {
		f, _, _ := at(x)
		return f
	}
	// Cut each end where the density vanishes at invTail mass (bisection
	// on the CDF).
	cut := func(inner, outer float64, mass func(x float64) float64) float64 {
		for range 200 {
			mid := inner + (outer-inner)/2
			if mid == inner || mid == outer {
				break
			}
			if mass(mid) > invTail {
				inner = mid
			} else {
				outer = mid
			}
		}
		return inner
	}
	if f := pdf(a); !(f > 0) || math.IsInf(f, 0) {
		a = cut((a+b)/2, a, cdf)
	}
	if f := pdf(b); !(f > 0) || math.IsInf(f, 0) {
		b = cut((a+b)/2, b, func(x float64) float64 { return 1 - cdf(x) })
	}
	na, ok1 := node(a)
	nb, ok2 := node(b)
	if !ok1 || !ok2 || !(nb.u > na.u) {
		return nil
	}
	iv := &inverse{xlo: a, xhi: b}
	// The intervals accepted so far, in order; room for the 350 to 400 of
	// a lognormal or PERT (the table gets a copy of the right size).
	segs := make([]invSeg, 0, 512)
	// Depth-first refinement from left to right, starting from 16 equal
	// intervals in x.
	const start = 16
	stack := make([]invNode, 0, 64)
	stack = append(stack, nb)
	for k := start - 1; k >= 1; k-- {
		n, ok := node(a + (b-a)*float64(k)/start)
		if !ok {
			return nil
		}
		stack = append(stack, n)
	}
	left := na
	for len(stack) > 0 {
		right := stack[len(stack)-1]
		c := hermite5(left, right)
		if !invOK(&c, left, right, cdf) {
			mid, ok := node(left.x + (right.x-left.x)/2)
			if !ok || mid.x <= left.x || mid.x >= right.x || len(segs) >= invMaxIntervals {
				return nil
			}
			stack = append(stack, mid)
			continue
		}
		segs = append(segs, invSeg{left.u, 1 / (right.u - left.u), c})
		left = right
		stack = stack[:len(stack)-1]
	}
	n := len(segs)
	iv.seg = make([]invSeg, n+1)
	copy(iv.seg, segs)
	iv.seg[n].u0 = nb.u
	iv.guide = make([]int32, 4*n)
	j := 0
	for k := range iv.guide {
		g := float64(k) / float64(len(iv.guide))
		for j+1 < n && iv.seg[j+1].u0 <= g {
			j++
		}
		iv.guide[k] = int32(j)
	}
	return iv
}

// intervals returns the number of intervals of iv.
func (iv *inverse) intervals() int { return len(iv.seg) - 1 }

// hermite5 returns the monomial coefficients in t in [0, 1] of the quintic
// matching x and its first two derivatives in u at both knots.
func hermite5(l, r invNode) [6]float64 {
	h := r.u - l.u
	p0, p1 := l.x, r.x
	m0, m1 := h*l.d1, h*r.d1
	a0, a1 := h*h*l.d2, h*h*r.d2
	return [6]float64{
		p0,
		m0,
		a0 / 2,
		-10*p0 - 6*m0 - 1.5*a0 + 10*p1 - 4*m1 + 0.5*a1,
		15*p0 + 8*m0 + 1.5*a0 - 15*p1 + 7*m1 - a1,
		-6*p0 - 3*m0 - 0.5*a0 + 6*p1 - 3*m1 + 0.5*a1,
	}
}

func poly5(c *[6]float64, t float64) float64 {
	return c[0] + t*(c[1]+t*(c[2]+t*(c[3]+t*(c[4]+t*c[5]))))
}

// invMonoSteps is how many equal steps in t invOK checks the polynomial
// increases over. Seven interior points (as before) missed a dip just
// inside the first interval of a narrow lognormal's lower tail (at u =
// 3.3e-13 the draw fell 1.3e-5 below the cut point); 64 steps cost
// polynomial evaluations only, no CDF.
const invMonoSteps = 64

// invOK checks an interval's polynomial: its u-error at the midpoint is at
// most invUTol (as in HINV; TestInverseUError measures the error between,
// up to 5e-11), and it increases from l.x to r.x (to rounding) over
// invMonoSteps steps. Both must hold; the u-error is checked first, as it
// is what fails on almost every interval that is split (all but 1 to 4 of
// the 300 to 375 split in each of R's PERTs' and five lognormals' tables),
// and those then need no steps.
func invOK(c *[6]float64, l, r invNode, cdf func(float64) float64) bool {
	if !(math.Abs(cdf(poly5(c, 0.5))-(l.u+r.u)/2) <= invUTol) {
		return false
	}
	// The monomial coefficients come from differences of nearly equal
	// terms (10 p1 - 10 p0, ...), so poly5 is exact to some tens of ulps
	// of the interval's values, not 1: allow 64.
	slack := 64 * 0x1p-52 * max(math.Abs(l.x), math.Abs(r.x))
	// Steps 1 to 63 three at a time: the three polynomials do not wait on
	// each other (a third less time), and are checked in order as alone.
	lo, hi := l.x-slack, r.x+slack
	for k := 1; k < invMonoSteps; k += 3 {
		t := float64(k) / invMonoSteps
		x0 := poly5(c, t)
		x1 := poly5(c, t+1.0/invMonoSteps)
		x2 := poly5(c, t+2.0/invMonoSteps)
		if x0 < lo || x0 > hi || x1 < x0-slack || x1 > hi || x2 < x1-slack || x2 > hi {
			return false
		}
		lo = x2 - slack
	}
	return true
}

// invOK takes invMonoSteps-1 steps three at a time.
var _ [0]struct{} = [(invMonoSteps - 1) % 3]struct{}{}

// at returns the inverse CDF at U in [0, 1).
func (iv *inverse) at(U float64) float64 {
	seg := iv.seg
	n := len(seg) - 1
	if !(U >= seg[0].u0) {
		return iv.xlo
	}
	if U >= seg[n].u0 {
		return iv.xhi
	}
	g := len(iv.guide)
	j := int(iv.guide[min(int(U*float64(g)), g-1)])
	for U >= seg[j+1].u0 { // ends by j = n-1: U < seg[n].u0
		j++
	}
	s := &seg[j]
	return poly5(&s.c, (U-s.u0)*s.inv)
}

// fill replaces every us[i] by at(us[i]); the loop holds at's body so that
// draws overlap.
func (iv *inverse) fill(us []float64) {
	seg, guide := iv.seg, iv.guide
	n := len(seg) - 1
	lo, hi := seg[0].u0, seg[n].u0
	g := len(guide)
	gf := float64(g)
	for i, U := range us {
		switch {
		case !(U >= lo):
			us[i] = iv.xlo
		case U >= hi:
			us[i] = iv.xhi
		default:
			j := int(guide[min(int(U*gf), g-1)])
			for U >= seg[j+1].u0 {
				j++
			}
			s := &seg[j]
			us[i] = poly5(&s.c, (U-s.u0)*s.inv)
		}
	}
}

// TableEstimate is what an inverse table not yet built is counted as, in
// bytes: 80 bytes an interval (a 64-byte segment and four guide entries),
// and 500 intervals. Measured: lognormals of sigma 1e-4 to 3 take 346 to
// 396 intervals (sigma 5: 458, 8: 564), betas of shapes 1 to 100 at most
// 386 (TestTableEstimate).
const TableEstimate = 80 * 500

// bytes is what iv holds.
func (iv *inverse) bytes() int64 {
	return int64(len(iv.seg))*int64(unsafe.Sizeof(invSeg{})) + 4*int64(len(iv.guide))
}

// TableBytes is what the inverse tables of ds hold once built, in bytes:
// a built table its size, one not yet built TableEstimate, each table
// counted once however many distributions share it (inputs written alike
// share one). Distributions that draw without a table count nothing.
func TableBytes(ds []Distribution) int64 {
	var n int64
	for _, l := range tablesOf(ds, tablesAll) {
		if iv := l.built(); iv != nil {
			n += iv.bytes()
		} else {
			n += TableEstimate
		}
	}
	return n
}

// BuildTables builds the inverse tables that draws from ds read and that
// are not built yet, each once, on up to workers goroutines at a time (the
// caller's among them); it returns when all are built. A table is the
// same whichever goroutine builds it. A run calls it before its first
// block: left to the first draw, a run's workers would each reach the
// same input's table at the start of their first block and wait for it
// in turn, so the tables were built one after another (docs/PERFORMANCE.md,
// issue 18). It builds only what the distributions draw from (a mixture's
// components: its column fill reads all of their tables); a table reached
// only through a Truncated is left to its first use, since a truncated
// lognormal draws through its quantile function, not its table.
func BuildTables(ds []Distribution, workers int) { buildTables(tablesOf(ds, tablesDrawn), workers) }

// BuildQuantileTables builds, as BuildTables does, the inverse tables that
// the Quantile methods of ds read: a PERT's or beta's (its Quantile reads
// its table), also inside a mixture, a shift or a truncation; not a
// lognormal's, whose Quantile does not read its table. A scenario's range
// checks call it before they read quantiles, so that the tables those
// reads would build one after another are built in parallel.
func BuildQuantileTables(ds []Distribution, workers int) {
	buildTables(tablesOf(ds, tablesQuantile), workers)
}

func buildTables(todo []*lazyInverse, workers int) {
	todo = slices.DeleteFunc(todo, func(l *lazyInverse) bool { return l.built() != nil })
	workers = min(workers, len(todo))
	var next atomic.Int64
	build := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(todo) {
				return
			}
			todo[i].get()
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(build)
	}
	build()
	wg.Wait()
}

// Which tables tablesOf returns: all (what TableBytes counts), those draws
// read (not under a Truncated), or those Quantile reads (not a
// lognormal's).
const (
	tablesAll = iota
	tablesDrawn
	tablesQuantile
)

// tablesOf returns the tables of ds of the given kind (tablesAll,
// tablesDrawn, tablesQuantile), each once, in the order first met.
func tablesOf(ds []Distribution, kind int) []*lazyInverse {
	seen := map[*lazyInverse]bool{}
	var out []*lazyInverse
	add := func(l *lazyInverse) {
		if l != nil && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	var walk func(d Distribution)
	walk = func(d Distribution) {
		switch x := d.(type) {
		case LogNormal:
			if kind != tablesQuantile {
				add(x.inv)
			}
		case ScaledBeta:
			add(x.inv)
		case Mixture:
			for _, c := range x.comps {
				walk(c)
			}
		case Shifted:
			walk(x.D)
		case Truncated:
			if kind != tablesDrawn {
				walk(x.d)
			}
		}
	}
	for _, d := range ds {
		walk(d)
	}
	return out
}
