package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/devolve-lgr/devolve/internal/fielderr"
)

// Fixed is a point mass at V.
type Fixed struct{ V float64 }

// NewFixed returns a point mass at v; v must be finite.
func NewFixed(v float64) (Fixed, error) { return Fixed{v}, finite("value", v) }

// Sample draws one value using r.
func (f Fixed) Sample(*rand.Rand) float64 { return f.V }

// Quantile returns the value with CDF equal to p.
func (f Fixed) Quantile(float64) float64 { return f.V }

// Mean returns E[X].
func (f Fixed) Mean() float64 { return f.V }

// CDF returns P(X <= x).
func (f Fixed) CDF(x float64) float64 {
	if x < f.V {
		return 0
	}
	return 1
}

// Uniform is the continuous uniform distribution on [Min, Max].
type Uniform struct{ Min, Max float64 }

// NewUniform checks min < max.
func NewUniform(min, max float64) (Uniform, error) {
	if err := firstErr(finite("min", min), finite("max", max)); err != nil {
		return Uniform{}, err
	}
	if !(max > min) {
		return Uniform{}, fielderr.New("max", "must be greater than min (got %g <= %g)", max, min)
	}
	return Uniform{min, max}, nil
}

// Sample draws one value using r.
func (u Uniform) Sample(r *rand.Rand) float64 { return u.Min + (u.Max-u.Min)*r.Float64() }

// Quantile returns the value with CDF equal to p.
func (u Uniform) Quantile(p float64) float64 { return u.Min + (u.Max-u.Min)*p }

// Mean returns E[X].
func (u Uniform) Mean() float64 { return (u.Min + u.Max) / 2 }

// CDF returns P(X <= x).
func (u Uniform) CDF(x float64) float64 {
	return math.Min(1, math.Max(0, (x-u.Min)/(u.Max-u.Min)))
}

// UniformInt is the discrete uniform distribution on the integers Min..Max.
type UniformInt struct{ Min, Max int }

// MaxUniformInt bounds a UniformInt's ends: 2^53, the largest magnitude up
// to which every integer is a float64 (so draws are exact), and small
// enough that max - min + 1 cannot overflow an int.
const MaxUniformInt = 1 << 53

// NewUniformInt checks min <= max and that both lie within ±MaxUniformInt.
func NewUniformInt(min, max int) (UniformInt, error) {
	if max < min {
		return UniformInt{}, fielderr.New("max", "must not be less than min (got %d < %d)", max, min)
	}
	if min < -MaxUniformInt || max > MaxUniformInt {
		return UniformInt{}, fmt.Errorf("min, max: must be within ±%d (got %d, %d)", MaxUniformInt, min, max)
	}
	return UniformInt{min, max}, nil
}

// Sample draws one value using r.
func (u UniformInt) Sample(r *rand.Rand) float64 {
	return float64(u.Min + r.IntN(u.Max-u.Min+1))
}

// Mean returns E[X].
func (u UniformInt) Mean() float64 { return float64(u.Min+u.Max) / 2 }

// CDF returns P(X <= x).
func (u UniformInt) CDF(x float64) float64 {
	n := float64(u.Max - u.Min + 1)
	k := math.Floor(x) - float64(u.Min) + 1
	return math.Min(1, math.Max(0, k/n))
}

// Quantile returns the value with CDF equal to p.
func (u UniformInt) Quantile(p float64) float64 {
	return uniformIntAt(p, float64(u.Max-u.Min+1), float64(u.Min))
}

// uniformIntAt is Quantile at p of the uniform integer on [min, min+n-1]
// given n and min as floats (FillFromUniform converts them once a column).
func uniformIntAt(p, n, min float64) float64 {
	k := math.Ceil(p*n) - 1
	if k < 0 {
		k = 0
	}
	return min + k
}

// Bernoulli is 1 with probability P, else 0.
type Bernoulli struct{ P float64 }

// NewBernoulli checks 0 <= p <= 1.
func NewBernoulli(p float64) (Bernoulli, error) {
	if !(p >= 0 && p <= 1) {
		return Bernoulli{}, fielderr.New("p", "must be a probability in [0, 1] (got %v)", p)
	}
	return Bernoulli{p}, nil
}

// Sample draws one value using r.
func (b Bernoulli) Sample(r *rand.Rand) float64 {
	if r.Float64() < b.P {
		return 1
	}
	return 0
}

// Mean returns E[X].
func (b Bernoulli) Mean() float64 { return b.P }

// CDF returns P(X <= x).
func (b Bernoulli) CDF(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x < 1:
		return 1 - b.P
	}
	return 1
}

// Quantile returns the value with CDF equal to p.
func (b Bernoulli) Quantile(p float64) float64 {
	if p <= 1-b.P {
		return 0
	}
	return 1
}

// Discrete takes Values[i] with probability Weights[i] (normalised).
type Discrete struct {
	values []float64 // sorted ascending
	cum    []float64 // cumulative probabilities, last = 1
}

// NewDiscrete checks that values and weights have equal, non-zero length, the
// weights are non-negative and sum to 1 (within 1e-9).
func NewDiscrete(values, weights []float64) (Discrete, error) {
	if len(values) == 0 || len(values) != len(weights) {
		return Discrete{}, fielderr.New("weights", "need one weight per value (got %d values, %d weights)", len(values), len(weights))
	}
	idx := make([]int, len(values))
	sum := 0.0
	for i := range values {
		idx[i] = i
		if err := finite(fmt.Sprintf("values[%d]", i), values[i]); err != nil {
			return Discrete{}, err
		}
		if !(weights[i] >= 0) || math.IsInf(weights[i], 0) {
			return Discrete{}, fielderr.New(fmt.Sprintf("weights[%d]", i), "must be a non-negative number (got %v)", weights[i])
		}
		sum += weights[i]
	}
	if math.Abs(sum-1) > 1e-9 {
		return Discrete{}, fielderr.New("weights", "must sum to 1 (got %g)", sum)
	}
	sort.SliceStable(idx, func(a, b int) bool { return values[idx[a]] < values[idx[b]] })
	d := Discrete{values: make([]float64, len(values)), cum: make([]float64, len(values))}
	c := 0.0
	for j, i := range idx {
		d.values[j] = values[i]
		c += weights[i] / sum
		d.cum[j] = c
	}
	d.cum[len(d.cum)-1] = 1
	return d, nil
}

// Sample draws one value using r.
func (d Discrete) Sample(r *rand.Rand) float64 { return d.Quantile(r.Float64()) }

// Quantile returns the value with CDF equal to p.
func (d Discrete) Quantile(p float64) float64 {
	for i, c := range d.cum {
		if p <= c {
			return d.values[i]
		}
	}
	return d.values[len(d.values)-1]
}

// CDF returns P(X <= x).
func (d Discrete) CDF(x float64) float64 {
	p := 0.0
	for i, v := range d.values {
		if v <= x {
			p = d.cum[i]
		}
	}
	return p
}

// Mean returns E[X].
func (d Discrete) Mean() float64 {
	m, prev := 0.0, 0.0
	for i, v := range d.values {
		m += v * (d.cum[i] - prev)
		prev = d.cum[i]
	}
	return m
}
