package chart

import (
	"fmt"
	"math"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// FanLevels are the percentiles of a fan: P5, P25, P50, P75 and P95.
var FanLevels = []float64{0.05, 0.25, 0.50, 0.75, 0.95}

// FanSeries is one option's fan of cumulative net cash flow: Q[t] holds
// the FanLevels percentiles (£, real terms) of year t (t = 0 is the year
// before vesting).
type FanSeries struct {
	Name string
	// CalendarYear of t = 0 (0 if unknown: the axis then shows t).
	CalendarYear int
	Q            [][5]float64
	// Trials is the number of trials behind the percentiles.
	Trials int
}

// FanFromResult computes the fan of cumulative net cash flow of a run from
// its sampled trials (the first engine.DefaultSampleSize or fewer).
func FanFromResult(name string, r *lgr.Result) FanSeries {
	c := r.C
	f := FanSeries{Name: name, Trials: r.Raw.SampleN, CalendarYear: FirstYear(r)}
	sc := new(engine.Scratch)
	for t := 0; t < c.Years; t++ {
		q := sc.Quantiles32(r.Cumulative(t), FanLevels)
		f.Q = append(f.Q, [5]float64{q[0], q[1], q[2], q[3], q[4]})
	}
	return f
}

// FanFromYears is the fan of cumulative net cash flow of summed runs (a
// national run's years): its P5, P50 and P95 by year, without the P25-P75
// band (NaN), which the sums do not keep.
func FanFromYears(name string, years []lgr.YearFan, trials int) FanSeries {
	f := FanSeries{Name: name, Trials: trials}
	if len(years) > 0 && years[0].CalendarYear > 0 {
		f.CalendarYear = years[0].CalendarYear - years[0].Year
	}
	nan := math.NaN()
	for _, y := range years {
		c := y.Cumulative
		f.Q = append(f.Q, [5]float64{c.P5, nan, c.P50, nan, c.P95})
	}
	return f
}

// yearLabel is "2027/28" for calendar year 2027, or t when unknown.
func yearLabel(cal, t int) string {
	if cal == 0 {
		return fmt.Sprint(t)
	}
	y := cal + t
	return fmt.Sprintf("%d/%02d", y, (y+1)%100)
}

// yearTicks labels years, at most maxLabels of them.
func yearTicks(cal, years, maxLabels int) plot.ConstantTicks {
	var t plot.ConstantTicks
	step := (years + maxLabels - 1) / max(maxLabels, 1)
	step = max(step, 1)
	for i := 0; i < years; i++ {
		l := ""
		if i%step == 0 {
			l = yearLabel(cal, i)
		}
		t = append(t, plot.Tick{Value: float64(i), Label: l})
	}
	return t
}

// Fan draws the fan chart of cumulative net cash flow by year: for each
// series the P5-P95 band, the P25-P75 band (unless its percentiles are NaN:
// FanFromYears) and the median line; several series are overlaid in
// distinct colours (a comparison).
func Fan(title string, series []FanSeries) *plot.Plot {
	p := newPlot(title, "year (t = 0 is the year before vesting)", "cumulative net cash flow, £m")
	p.Y.Tick.Marker = moneyTicks{}
	years := 0
	for i, s := range series {
		col := Series[i%len(Series)]
		n := len(s.Q)
		years = max(years, n)
		band := func(lo, hi int) plotter.XYs {
			xys := make(plotter.XYs, 0, 2*n)
			for t := 0; t < n; t++ {
				xys = append(xys, plotter.XY{X: float64(t), Y: s.Q[t][hi]})
			}
			for t := n - 1; t >= 0; t-- {
				xys = append(xys, plotter.XY{X: float64(t), Y: s.Q[t][lo]})
			}
			return xys
		}
		hasInner := n > 0 && !math.IsNaN(s.Q[0][1])
		p.Add(filled(alpha(col, 0.18), band(0, 4)))
		if hasInner {
			p.Add(filled(alpha(col, 0.30), band(1, 3)))
		}
		med := make(plotter.XYs, n)
		for t := range med {
			med[t] = plotter.XY{X: float64(t), Y: s.Q[t][2]}
		}
		ml := line(col, vg.Points(2), med)
		p.Add(ml)
		name := s.Name
		if len(series) == 1 {
			name = "median"
		}
		p.Legend.Add(name, ml)
		if len(series) == 1 {
			if hasInner {
				p.Legend.Add("P25-P75", swatch{alpha(col, 0.45)})
			}
			p.Legend.Add("P5-P95", swatch{alpha(col, 0.18)})
		}
	}
	if len(series) > 1 {
		p.Legend.Add("bands: P25-P75, P5-P95", swatch{alpha(Grey, 0.3)})
	}
	p.Add(dashed(Grey, plotter.XYs{{X: 0, Y: 0}, {X: float64(max(years-1, 1)), Y: 0}}))
	cal := 0
	if len(series) > 0 {
		cal = series[0].CalendarYear
	}
	p.X.Tick.Marker = yearTicks(cal, years, 12)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}
