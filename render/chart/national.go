package chart

import (
	"math"
	"sort"

	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Interval is one row of an interval chart: a P5-P95 bar (£) with its
// median (P50) and mean marked.
type Interval struct {
	Name               string
	P5, P50, P95, Mean float64
	// Outcome, if not NaN, is what happened, marked as a triangle: green
	// inside P5-P95, red outside (a back-test's realised figure).
	Outcome float64
}

// Intervals draws rows as horizontal P5-P95 bars, top to bottom, with the
// median as a tick, the mean as a dot (unless NaN), any outcome as a
// triangle, and zero marked. money says the values are pounds (£m ticks);
// else xlabel names their unit. height is the figure's, so that the legend
// of a chart with outcomes gets room of its own above the bars.
func Intervals(title, xlabel string, money bool, rows []Interval, height vg.Length) *plot.Plot {
	p := newPlot(title, xlabel, "")
	if money {
		p.X.Label.Text = xlabel + ", £m (bars: 90% of simulations)"
		p.X.Tick.Marker = moneyTicks{}
	}
	n := len(rows)
	labels := make([]string, n)
	const h = 0.3
	lo, hi := 0.0, 0.0
	outcomes, means := false, false
	for i, r := range rows {
		y := float64(n - 1 - i)
		labels[n-1-i] = shorten(r.Name, labelRunes)
		col := Blue
		if r.P50 < 0 {
			col = Red
		}
		p.Add(filled(alpha(col, 0.35), rect(r.P5, r.P95, y-h, y+h)))
		p.Add(line(col, vg.Points(2), plotter.XYs{{X: r.P50, Y: y - h}, {X: r.P50, Y: y + h}}))
		if !math.IsNaN(r.Mean) {
			means = true
			if s, err := plotter.NewScatter(plotter.XYs{{X: r.Mean, Y: y}}); err == nil {
				s.GlyphStyle.Color, s.GlyphStyle.Radius = Grey, vg.Points(2.5)
				p.Add(s)
			}
		}
		lo, hi = math.Min(lo, r.P5), math.Max(hi, r.P95)
		if !math.IsNaN(r.Outcome) {
			c := Green
			if r.Outcome < r.P5 || r.Outcome > r.P95 {
				c = Red
			}
			if s, err := plotter.NewScatter(plotter.XYs{{X: r.Outcome, Y: y}}); err == nil {
				s.GlyphStyle.Color, s.GlyphStyle.Radius, s.GlyphStyle.Shape = c, vg.Points(4), draw.PyramidGlyph{}
				p.Add(s)
			}
			lo, hi = math.Min(lo, r.Outcome), math.Max(hi, r.Outcome)
			outcomes = true
		}
	}
	p.Add(line(Grey, vg.Points(1), plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(n) - 0.4}}))
	p.Y.Tick.Marker = labelTicks(labels)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	pad := 0.04 * (hi - lo)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.Legend.Add("P5 to P95", swatch{alpha(Blue, 0.35)})
	if means {
		p.Legend.Add("median: the bar's mark; mean: the dot", swatch{Grey})
	} else {
		p.Legend.Add("median: the bar's mark", swatch{Grey})
	}
	if outcomes {
		p.Legend.Add("outcome inside the interval", swatch{Green})
		p.Legend.Add("outcome outside it", swatch{Red})
	}
	if outcomes {
		// The legend goes in rows of its own above the bars, clear of them.
		p.Y.Max += 0.75 * vg.Inch.Points() / (height.Points() / float64(n+1))
		p.Legend.Top = true
	}
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}

// NationalFigures are the charts of a national run: each area's NPV as an
// interval (largest median first), the national totals by measure, and
// England's cumulative net cash flow by year as a fan (P5-P95 and median,
// summed over areas trial by trial) when the run has its years.
func NationalFigures(n *lgr.National) []Figure {
	var areas []Interval
	for _, a := range n.Areas {
		areas = append(areas, Interval{a.Area, a.NPV.P5, a.NPV.P50, a.NPV.P95, a.NPV.Mean, math.NaN()})
	}
	sort.SliceStable(areas, func(i, j int) bool { return areas[i].P50 > areas[j].P50 })
	t := n.National
	totals := []Interval{
		{"NPV, 10 years", t.NPV.P5, t.NPV.P50, t.NPV.P95, t.NPV.Mean, math.NaN()},
		{"one-off cost", t.OneOffCost.P5, t.OneOffCost.P50, t.OneOffCost.P95, t.OneOffCost.Mean, math.NaN()},
		{"net over years 0-5, undiscounted", t.FiveYearNet.P5, t.FiveYearNet.P50, t.FiveYearNet.P95, t.FiveYearNet.Mean, math.NaN()},
		{"steady-state saving a year", t.SteadyStateSaving.P5, t.SteadyStateSaving.P50, t.SteadyStateSaving.P95, t.SteadyStateSaving.Mean, math.NaN()},
	}
	figs := []Figure{
		{Name: "national-areas", Title: "NPV over 10 years by area (" + n.Config + ")",
			Plot: Intervals("NPV by area, "+n.Config, "net present value", true, areas, Height*3/2), H: Height * 3 / 2},
		{Name: "national-total", Title: "England's totals (" + n.Config + "), summed area by area within each simulation",
			Plot: Intervals("England's totals, "+n.Config, "sum over areas", true, totals, Height)},
	}
	if len(t.Years) > 0 {
		figs = append(figs, Figure{Name: "national-fan",
			Title: "England's cumulative net cash flow by year (" + n.Config + "), undiscounted, summed area by area within each simulation",
			Plot:  Fan("England's cumulative net cash flow, "+n.Config, []FanSeries{FanFromYears("England", t.Years, t.FanTrials)})})
	}
	return figs
}
