package qmc

import "math/rand/v2"

// LatinHypercube sets u to one column of a Latin hypercube design of
// n = len(u) points: u[i] = (perm[i] + V_i)/n, with perm a uniform random
// permutation of 0..n-1 and V_i independent uniforms on [0, 1), all drawn
// from r. Each of the n strata [k/n, (k+1)/n) holds exactly one point, and
// each u[i] is uniform on [0, 1). It does not allocate.
func LatinHypercube(r *rand.Rand, u []float64) {
	n := len(u)
	// Fisher-Yates over the values: u[i] holds the stratum index.
	for i := range u {
		u[i] = float64(i)
	}
	for i := n - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		u[i], u[j] = u[j], u[i]
	}
	inv := 1 / float64(n)
	for i := range u {
		u[i] = (u[i] + r.Float64()) * inv
	}
}
