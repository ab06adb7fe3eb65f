package dist

import (
	"math"
	"sync"
)

// invKey names an inverse table by its family and the parameters that fix
// it: a table is a pure function of them (a beta's is built on [0, 1], so
// its range is not part of the key).
type invKey struct {
	family string
	a, b   uint64 // math.Float64bits of the two parameters
}

// invCache shares inverse tables between distributions with the same
// parameters: a scenario loaded again, or the same PERT in many generated
// areas, builds its tables once a process. Tables are immutable once built.
// At most invCacheBytes of tables are kept; beyond that they are built
// afresh and not kept.
var invCache struct {
	sync.Mutex
	tables map[invKey]*inverse
	bytes  int
}

// invCacheBytes bounds invCache; a table costs about 100 bytes an interval
// and has at most invMaxIntervals intervals.
const invCacheBytes = 64 << 20

// cachedInverse returns the table for (family, a, b), building it with
// build when it is not kept.
func cachedInverse(family string, a, b float64, build func() *inverse) *inverse {
	k := invKey{family, math.Float64bits(a), math.Float64bits(b)}
	invCache.Lock()
	iv, ok := invCache.tables[k]
	invCache.Unlock()
	if ok {
		return iv
	}
	iv = build()
	size := 0
	if iv != nil {
		size = 100 * len(iv.c)
	}
	invCache.Lock()
	defer invCache.Unlock()
	if invCache.tables == nil {
		invCache.tables = make(map[invKey]*inverse)
	}
	if _, ok := invCache.tables[k]; !ok && invCache.bytes+size <= invCacheBytes {
		invCache.tables[k] = iv
		invCache.bytes += size
	}
	return iv
}
