package dist

import "math"

// FromUniform returns a draw of d made from one uniform u in [0, 1): the
// quantile F^-1(u) for every family except mixtures, which take the
// component whose cumulative-weight interval holds u and draw from it with u
// rescaled to [0, 1) (the composition method: a draw with exactly the
// mixture's distribution, monotone in u within each component). Shifted
// adds its shift to its base's FromUniform. The lognormal and the PERT/beta
// use their inverse tables (invert.go), so FromUniform(U) is exactly the
// draw Sample makes from U. Stratified designs (Latin hypercube, Sobol')
// turn their uniform points into draws this way. u is clamped to
// [2^-60, 1 - 2^-53] so that no quantile is infinite.
func FromUniform(d Distribution, u float64) float64 {
	u = math.Min(math.Max(u, 0x1p-60), 1-0x1p-53)
	switch x := d.(type) {
	case LogNormal:
		if iv := x.inv.get(); iv != nil {
			return iv.at(u)
		}
	case Mixture:
		lo := 0.0
		for i, c := range x.cum {
			if u < c || i == len(x.cum)-1 {
				w := c - lo
				v := 0.5
				if w > 0 {
					v = (u - lo) / w
				}
				return FromUniform(x.comps[i], v)
			}
			lo = c
		}
	case Shifted:
		return FromUniform(x.D, u) + x.Shift
	case Fixed:
		return x.V
	}
	return d.Quantile(u)
}

// FillFromUniform replaces each u[i] by FromUniform(d, u[i]).
func FillFromUniform(d Distribution, u []float64) {
	switch x := d.(type) {
	case LogNormal:
		if iv := x.inv.get(); iv != nil {
			if !iv.insideClamp() {
				clampUniforms(u)
			}
			iv.fill(u)
			return
		}
	case ScaledBeta:
		// Quantile's own rule: the table inside its range, the exact
		// inverse beyond.
		if iv := x.inv.get(); iv != nil {
			if !iv.insideClamp() {
				clampUniforms(u)
			}
			// The table up to the first uniform outside its range (one
			// in the outer 1e-13 of a tail), Quantile from there.
			k := iv.fillScaled(u, x.lo, x.hi-x.lo, true)
			for i, v := range u[k:] {
				u[k+i] = x.Quantile(clampUniform(v))
			}
			return
		}
	case Uniform:
		lo, span := x.Min, x.Max-x.Min
		for i, v := range u {
			u[i] = lo + span*clampUniform(v)
		}
		return
	case Fixed:
		for i := range u {
			u[i] = x.V
		}
		return
	case UniformInt:
		n, lo := float64(x.Max-x.Min+1), float64(x.Min)
		for i, v := range u {
			u[i] = uniformIntAt(clampUniform(v), n, lo)
		}
		return
	case Triangular:
		// Quantile's value (gonum's arithmetic) without its division
		// and range check per draw: the clamped uniform is in [0, 1].
		for i, v := range u {
			u[i] = x.at(clampUniform(v))
		}
		return
	case Normal:
		for i, v := range u {
			u[i] = x.Quantile(clampUniform(v))
		}
		return
	case Bernoulli:
		for i, v := range u {
			u[i] = x.Quantile(clampUniform(v))
		}
		return
	case Mixture:
		fillMixtureFromUniform(x, u)
		return
	}
	for i, v := range u {
		u[i] = FromUniform(d, v)
	}
}

// fillMixtureFromUniform replaces each u[i] by FromUniform(m, u[i]) with
// FromUniform's steps written out: the component whose cumulative-weight
// interval holds the clamped uniform, the uniform rescaled within it, and
// for a lognormal component (shifted or not) its table at the clamped
// rescaled uniform (plus the shift); any other component through
// FromUniform.
func fillMixtureFromUniform(m Mixture, u []float64) {
	type comp struct {
		iv      *inverse // nil: through FromUniform
		shifted bool
		shift   float64
	}
	var buf [4]comp
	if len(m.comps) > len(buf) || len(m.cum) != len(m.comps) {
		for i, v := range u {
			u[i] = FromUniform(m, v)
		}
		return
	}
	cs := buf[:len(m.comps)]
	for k, c := range m.comps {
		if s, ok := c.(Shifted); ok {
			if l, ok := s.D.(LogNormal); ok {
				cs[k] = comp{iv: l.inv.get(), shifted: true, shift: s.Shift}
			}
		} else if l, ok := c.(LogNormal); ok {
			cs[k] = comp{iv: l.inv.get()}
		}
	}
	last := len(m.cum) - 1
	for i, v := range u {
		v = clampUniform(v)
		lo, k := 0.0, last
		for j, c := range m.cum {
			if v < c || j == last {
				k = j
				break
			}
			lo = c
		}
		w := m.cum[k] - lo
		r := 0.5
		if w > 0 {
			r = (v - lo) / w
		}
		switch c := &cs[k]; {
		case c.iv == nil:
			u[i] = FromUniform(m.comps[k], r)
		case c.shifted:
			u[i] = c.iv.at(clampUniform(r)) + c.shift
		default:
			u[i] = c.iv.at(clampUniform(r))
		}
	}
}

// insideClamp reports whether the table's range of uniforms lies strictly
// inside clampUniforms' bounds at its lower end and within them at its
// upper end, so that clamping changes no draw the table makes: a uniform
// below 2^-60 and its clamped value are both below the table's start
// (the lower tail value), one above 1 - 2^-53 and its clamped value both at
// or past its end (the upper tail value), and NaN stays NaN.
func (iv *inverse) insideClamp() bool {
	return iv.seg[0].u0 > 0x1p-60 && iv.seg[len(iv.seg)-1].u0 <= 1-0x1p-53
}

// clampUniform is clampUniforms for one value (in the loop that uses it,
// rather than a pass of its own).
func clampUniform(v float64) float64 {
	if v < 0x1p-60 {
		v = 0x1p-60
	}
	if v > 1-0x1p-53 {
		v = 1 - 0x1p-53
	}
	return v
}

// clampUniforms clamps each u[i] to [2^-60, 1 - 2^-53] as FromUniform
// does (plain comparisons: math.Min and math.Max are calls on amd64; the
// same result, NaN included).
func clampUniforms(u []float64) {
	for i, v := range u {
		u[i] = clampUniform(v)
	}
}
