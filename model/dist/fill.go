package dist

import (
	"math"
	"math/rand/v2"
)

// Filler is implemented by families that draw many values faster in one
// call than through Sample one at a time (the engine fills a block's column
// of an input this way). Fill must draw exactly what len(dst) calls of
// Sample would, in the same order, so results do not depend on which path
// the engine takes.
type Filler interface {
	// Fill sets every element of dst to a draw.
	Fill(r *rand.Rand, dst []float64)
}

// Fill implements Filler.
func (f Fixed) Fill(_ *rand.Rand, dst []float64) {
	for i := range dst {
		dst[i] = f.V
	}
}

// Fill implements Filler.
func (u Uniform) Fill(r *rand.Rand, dst []float64) {
	for i := range dst {
		dst[i] = u.Min + (u.Max-u.Min)*r.Float64()
	}
}

// Fill implements Filler.
func (u UniformInt) Fill(r *rand.Rand, dst []float64) {
	k := u.Max - u.Min + 1
	for i := range dst {
		dst[i] = float64(u.Min + r.IntN(k))
	}
}

// Fill implements Filler.
func (d Normal) Fill(r *rand.Rand, dst []float64) {
	for i := range dst {
		dst[i] = d.d.Mu + d.d.Sigma*r.NormFloat64()
	}
}

// Fill implements Filler.
func (l LogNormal) Fill(r *rand.Rand, dst []float64) {
	if iv := l.inv; iv != nil {
		for i := range dst {
			dst[i] = iv.at(r.Float64())
		}
		return
	}
	mu, sigma := l.d.Mu, l.d.Sigma
	for i := range dst {
		dst[i] = math.Exp(mu + sigma*r.NormFloat64())
	}
}

// Fill implements Filler.
func (t Triangular) Fill(r *rand.Rand, dst []float64) {
	for i := range dst {
		dst[i] = t.Sample(r)
	}
}

// Fill implements Filler.
func (b ScaledBeta) Fill(r *rand.Rand, dst []float64) {
	ga, gb := b.ga, b.gb
	lo, span := b.lo, b.hi-b.lo
	if iv := b.inv; iv != nil {
		for i := range dst {
			dst[i] = lo + span*iv.at(r.Float64())
		}
		return
	}
	for i := range dst {
		x := ga.sample(r)
		y := gb.sample(r)
		dst[i] = lo + span*x/(x+y)
	}
}
