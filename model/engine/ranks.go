package engine

import "math"

// MidRanks returns the ranks of x (1-based), ties given their average rank
// (midranks), as Spearman's rank correlation uses them. The order comes
// from a least-significant-digit radix sort of the values' bits (11 bits a
// pass, passes where every value shares the digit skipped), so ranking a
// kept column of a run costs a few linear passes rather than a comparison
// sort; ties are decided by ==, so -0 and +0 tie and each NaN ranks alone.
func MidRanks(x []float64) []float64 {
	type keyAt struct {
		k uint64 // the value's bits, ordered as the values are
		i int    // its position in x
	}
	a, b := make([]keyAt, len(x)), make([]keyAt, len(x))
	for i, v := range x {
		u := math.Float64bits(v)
		if u>>63 == 1 {
			u = ^u // negative: larger magnitude first
		} else {
			u |= 1 << 63
		}
		a[i] = keyAt{u, i}
	}
	const bits = 11
	var count [1 << bits]int
	for shift := 0; shift < 64 && len(a) > 1; shift += bits {
		clear(count[:])
		for _, e := range a {
			count[(e.k>>shift)&(1<<bits-1)]++
		}
		if count[(a[0].k>>shift)&(1<<bits-1)] == len(a) {
			continue // one digit for every value: the order stands
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, e := range a {
			d := (e.k >> shift) & (1<<bits - 1)
			b[count[d]] = e
			count[d]++
		}
		a, b = b, a
	}
	r := make([]float64, len(x))
	for i := 0; i < len(a); {
		j := i
		for j+1 < len(a) && x[a[j+1].i] == x[a[i].i] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[a[k].i] = avg
		}
		i = j + 1
	}
	return r
}
