package dist

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/devolve-lgr/devolve/internal/pcgpair"
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
	if iv := l.inv.get(); iv != nil {
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
	if iv := b.inv.get(); iv != nil {
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

// FillPCG sets dst to exactly the draws that Fill(rand.New(src), dst), or
// len(dst) calls of Sample with that generator, would make, and reports
// whether it could. For the families whose draws take one uniform each
// (lognormal and PERT/beta by their inverse tables, uniform, triangular,
// Bernoulli, discrete, truncated), for uniform integers, and for mixtures
// of up to four components that draw one uniform each, it reads the
// concrete generator a column at a time and then transforms the column:
// no interface call per draw, and the generator's serial chain runs apart
// from the transform's independent work. For any other family it returns
// false without touching dst or src.
func FillPCG(d Distribution, src *rand.PCG, dst []float64) bool {
	switch x := d.(type) {
	case LogNormal:
		iv := x.inv.get()
		if iv == nil {
			return false
		}
		uniforms(src, dst)
		iv.fill(dst)
	case ScaledBeta:
		iv := x.inv.get()
		if iv == nil {
			return false
		}
		uniforms(src, dst)
		iv.fillScaled(dst, x.lo, x.hi-x.lo, false)
	case Uniform:
		uniforms(src, dst)
		lo, span := x.Min, x.Max-x.Min
		for i, v := range dst {
			dst[i] = lo + span*v
		}
	case Triangular:
		uniforms(src, dst)
		for i, u := range dst {
			dst[i] = x.at(u)
		}
	case UniformInt:
		uniformInts(src, x.Min, x.Max-x.Min+1, dst)
	case Bernoulli:
		uniforms(src, dst)
		for i, u := range dst {
			dst[i] = 0
			if u < x.P {
				dst[i] = 1
			}
		}
	case Discrete, Truncated:
		uniforms(src, dst)
		for i, u := range dst {
			dst[i] = d.Quantile(u)
		}
	case Fixed:
		x.Fill(nil, dst)
	case Mixture:
		return fillMixture(x, src, dst)
	default:
		return false
	}
	return true
}

// fillMixture is FillPCG for a mixture of at most four components that
// each draw from one uniform (lognormal or PERT/beta by their tables,
// uniform, or one of these shifted): for each draw, the uniform that picks
// the component and then the component's own uniform, as Sample reads
// them. It reports false, touching nothing, for any other mixture.
func fillMixture(m Mixture, src *rand.PCG, dst []float64) bool {
	var buf [4]oneUniform
	if len(m.comps) > len(buf) || len(m.cum) != len(m.comps) {
		return false
	}
	cs := buf[:len(m.comps)]
	for i, c := range m.comps {
		var ok bool
		if cs[i], ok = asOneUniform(c); !ok {
			return false
		}
	}
	if len(dst) == 0 {
		return true
	}
	last := len(cs) - 1
	// Draw i reads words 2i and 2i+1: two chains of the generator's
	// states, a for the even words and b for the odd (pcgpair).
	ah, al := pcgpair.Step(pcgpair.State(src))
	bh, bl := pcgpair.Step(ah, al)
	for i := range dst {
		if i > 0 {
			ah, al = pcgpair.Step2(ah, al)
			bh, bl = pcgpair.Step2(bh, bl)
		}
		u := float64(pcgpair.Out(ah, al)<<11>>11) / (1 << 53)
		k := last
		for j, c := range m.cum {
			if u < c {
				k = j
				break
			}
		}
		dst[i] = cs[k].at(float64(pcgpair.Out(bh, bl)<<11>>11) / (1 << 53))
	}
	pcgpair.SetState(src, bh, bl)
	return true
}

// oneUniform is a distribution whose Sample reads one uniform u, as
// fillMixture draws it: its table's value at u (kind ouTable), lo plus
// span times it (ouScaledTable), or lo plus span times u (ouUniform),
// plus shift if shifted: the arithmetic of each family's Sample.
type oneUniform struct {
	kind            uint8
	shifted         bool
	iv              *inverse
	lo, span, shift float64
}

const (
	ouTable = iota
	ouScaledTable
	ouUniform
)

func (c *oneUniform) at(u float64) float64 {
	var x float64
	switch c.kind {
	case ouTable:
		x = c.iv.at(u)
	case ouScaledTable:
		x = c.lo + c.span*c.iv.at(u)
	default:
		x = c.lo + c.span*u
	}
	if c.shifted {
		x += c.shift
	}
	return x
}

// asOneUniform describes d as a oneUniform, if its Sample reads one
// uniform (LogNormal.Sample, ScaledBeta.Sample with their tables,
// Uniform.Sample, and Shifted.Sample of one of these).
func asOneUniform(d Distribution) (oneUniform, bool) {
	var c oneUniform
	if s, ok := d.(Shifted); ok {
		c.shifted, c.shift, d = true, s.Shift, s.D
	}
	switch x := d.(type) {
	case LogNormal:
		c.kind, c.iv = ouTable, x.inv.get()
	case ScaledBeta:
		c.kind, c.iv, c.lo, c.span = ouScaledTable, x.inv.get(), x.lo, x.hi-x.lo
	case Uniform:
		return oneUniform{kind: ouUniform, shifted: c.shifted, shift: c.shift, lo: x.Min, span: x.Max - x.Min}, true
	default:
		return c, false
	}
	return c, c.iv != nil
}

// uniforms sets dst to what successive rand.New(src).Float64() calls
// return, reading the generator two words at a time (pcgpair).
func uniforms(src *rand.PCG, dst []float64) { pcgpair.Float64s(src, dst) }

// uniformInts sets dst to min plus what successive rand.New(src).IntN(k)
// calls return: the same multiply-and-reject steps as math/rand/v2's
// uint64n (Lemire 2019), which gives the same values on 32- and 64-bit
// machines. (Reading the generator two words at a time, as uniforms does,
// measured no faster here: docs/PERFORMANCE.md, session 6, the per-trial cost.)
func uniformInts(src *rand.PCG, min, k int, dst []float64) {
	n := uint64(k)
	if n&(n-1) == 0 {
		for i := range dst {
			dst[i] = float64(min + int(src.Uint64()&(n-1)))
		}
		return
	}
	thresh := -n % n
	for i := range dst {
		hi, lo := bits.Mul64(src.Uint64(), n)
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
		dst[i] = float64(min + int(hi))
	}
}

// fillScaled replaces us[i] by lo + span*iv.at(us[i]) (ScaledBeta's
// Sample on uniform us[i]) in one pass, and returns len(us); with
// stopOutside, it stops at the first uniform outside the table's range
// (leaving it and the rest as they were) and returns its index. The loop
// is inverse.fill's with the scaling in it (TestFillPCGMatchesSample and
// TestFillFromUniformMatchesFromUniform check it against at).
func (iv *inverse) fillScaled(us []float64, lo, span float64, stopOutside bool) int {
	seg, guide := iv.seg, iv.guide
	n := len(seg) - 1
	ulo, uhi := seg[0].u0, seg[n].u0
	g := len(guide)
	gf := float64(g)
	for i, U := range us {
		switch {
		case !(U >= ulo):
			if stopOutside {
				return i
			}
			us[i] = lo + span*iv.xlo
		case U >= uhi:
			if stopOutside {
				return i
			}
			us[i] = lo + span*iv.xhi
		default:
			j := int(guide[min(int(U*gf), g-1)])
			for U >= seg[j+1].u0 {
				j++
			}
			s := &seg[j]
			us[i] = lo + span*poly5(&s.c, (U-s.u0)*s.inv)
		}
	}
	return len(us)
}
