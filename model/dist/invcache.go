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
	tables map[invKey]*lazyInverse
	bytes  int
}

// invCacheBytes bounds invCache, each table counted as TableEstimate
// (it is built on its first draw, and its size known only then).
const invCacheBytes = 64 << 20

// cachedInverse returns the (lazily built) table for (family, a, b): the
// one kept for them, or a new one that build will build on first use.
func cachedInverse(family string, a, b float64, build func() *inverse) *lazyInverse {
	k := invKey{family, math.Float64bits(a), math.Float64bits(b)}
	invCache.Lock()
	defer invCache.Unlock()
	if l, ok := invCache.tables[k]; ok {
		return l
	}
	l := lazy(build)
	if invCache.tables == nil {
		invCache.tables = make(map[invKey]*lazyInverse)
	}
	if invCache.bytes+TableEstimate <= invCacheBytes {
		invCache.tables[k] = l
		invCache.bytes += TableEstimate
	}
	return l
}
