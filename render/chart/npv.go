package chart

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// sCurvePoints is how many points of the empirical CDF are drawn.
const sCurvePoints = 400

// PPositive is the share of draws above zero, the P(NPV > 0) the charts
// mark (the same rule as the run summary's p_npv_positive).
func PPositive(draws []float64) float64 {
	pos := 0
	for _, v := range draws {
		if v > 0 {
			pos++
		}
	}
	return float64(pos) / float64(len(draws))
}

// SCurve draws the S-curve (empirical cumulative distribution) of an
// output's draws (£) for one or more options, with zero and P(value > 0)
// marked.
func SCurve(title, xlabel string, names []string, draws [][]float64) *plot.Plot {
	p := newPlot(title, xlabel+", £m (axis: central 99% of draws)", "probability the outcome is at most x")
	p.X.Tick.Marker = moneyTicks{}
	lo, hi := math.Inf(1), math.Inf(-1)
	// The axis spans the central 99% of every option's draws (and zero
	// when the draws straddle it), not the extremes: a long tail would
	// otherwise squeeze the curves into a corner.
	axLo, axHi := math.Inf(1), math.Inf(-1)
	for k, d := range draws {
		s := slices.DeleteFunc(slices.Clone(d), math.IsNaN)
		slices.Sort(s)
		n := len(s)
		if n == 0 {
			continue
		}
		col := Series[k%len(Series)]
		m := min(n, sCurvePoints)
		xys := make(plotter.XYs, 0, m+1)
		for j := 0; j <= m; j++ {
			i := min(n-1, j*(n-1)/max(m, 1))
			xys = append(xys, plotter.XY{X: s[i], Y: float64(i+1) / float64(n)})
		}
		l := line(col, vg.Points(2), xys)
		p.Add(l)
		pp := PPositive(s)
		label := fmt.Sprintf("P(> 0) = %.1f%%", 100*pp)
		if len(draws) > 1 {
			label = names[k] + ": " + label
		}
		p.Legend.Add(label, l)
		lo, hi = math.Min(lo, s[0]), math.Max(hi, s[n-1])
		axLo, axHi = math.Min(axLo, s[(n-1)/200]), math.Max(axHi, s[(n-1)-(n-1)/200])
		if s[0] <= 0 && s[n-1] >= 0 {
			p.Add(dashed(col, plotter.XYs{{X: s[0], Y: 1 - pp}, {X: 0, Y: 1 - pp}}))
		}
	}
	if lo <= 0 && hi >= 0 {
		p.Add(dashed(Grey, plotter.XYs{{X: 0, Y: 0}, {X: 0, Y: 1}}))
	}
	p.Y.Min, p.Y.Max = 0, 1
	if axHi > axLo {
		if lo <= 0 && hi >= 0 {
			axLo, axHi = math.Min(axLo, 0), math.Max(axHi, 0)
		}
		pad := 0.03 * (axHi - axLo)
		p.X.Min, p.X.Max = axLo-pad, axHi+pad
	}
	// Bottom right: S-curves climb from the bottom left to the top right,
	// so the bottom right holds no curve (the top left did, for an option
	// whose draws are mostly low).
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}

// histBins is the number of histogram bins.
const histBins = 50

// Histogram draws the distribution of an output's draws (in pounds) over
// its central 99% (P0.5 to P99.5), bars below zero in red.
func Histogram(title, xlabel string, draws []float64) *plot.Plot {
	p := newPlot(title, xlabel+", £m (central 99% of draws)", "share of trials, %")
	p.X.Tick.Marker = moneyTicks{}
	s := slices.DeleteFunc(slices.Clone(draws), math.IsNaN)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return p
	}
	lo, hi := s[int(0.005*float64(n-1))], s[int(0.995*float64(n-1))]
	if !(hi > lo) {
		lo, hi = lo-0.5, lo+0.5
	}
	w := (hi - lo) / histBins
	counts := make([]int, histBins)
	for _, v := range s {
		if v < lo || v > hi {
			continue
		}
		counts[min(histBins-1, int((v-lo)/w))]++
	}
	for b, c := range counts {
		if c == 0 {
			continue
		}
		x0 := lo + float64(b)*w
		col := Blue
		if x0+w/2 < 0 {
			col = Red
		}
		p.Add(filled(alpha(col, 0.8), rect(x0, x0+w*0.95, 0, 100*float64(c)/float64(n))))
	}
	p.Y.Min = 0
	p.Legend.Add("below zero", swatch{alpha(Red, 0.8)})
	p.Legend.Add("above zero", swatch{alpha(Blue, 0.8)})
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}
