package chart

import (
	"strconv"

	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// DiffFan draws a pair's paired difference of net cash flow by year
// (B minus A, trial by trial on common random numbers): its P5-P95 band,
// median and mean. cal is the calendar year of t = 0 (0 if unknown).
func DiffFan(p lgr.PairSummary, cal int) *plot.Plot {
	pl := newPlot(shorten(p.B, 40)+" minus "+shorten(p.A, 40), "year (t = 0 is the year before vesting)", "difference in net cash flow, £m")
	pl.Y.Tick.Marker = moneyTicks{}
	n := len(p.Years)
	band := make(plotter.XYs, 0, 2*n)
	med, mean := make(plotter.XYs, n), make(plotter.XYs, n)
	for i, y := range p.Years {
		band = append(band, plotter.XY{X: float64(y.Year), Y: y.P95})
		med[i] = plotter.XY{X: float64(y.Year), Y: y.P50}
		mean[i] = plotter.XY{X: float64(y.Year), Y: y.Mean}
	}
	for i := n - 1; i >= 0; i-- {
		band = append(band, plotter.XY{X: float64(p.Years[i].Year), Y: p.Years[i].P5})
	}
	if n > 0 {
		ml := line(Purple, vg.Points(2), med)
		mn := dashed(Purple, mean)
		pl.Add(filled(alpha(Purple, 0.2), band), ml, mn)
		pl.Add(dashed(Grey, plotter.XYs{{X: 0, Y: 0}, {X: float64(max(n-1, 1)), Y: 0}}))
		pl.Legend.Add("median", ml)
		pl.Legend.Add("mean", mn)
		pl.Legend.Add("P5-P95 (paired)", swatch{alpha(Purple, 0.2)})
	}
	pl.X.Tick.Marker = yearTicks(cal, n, 12)
	pl.Legend.Top, pl.Legend.Left = false, true
	pl.Legend.TextStyle.Font.Size = vg.Points(9)
	return pl
}

// DiffFigures are the paired difference fans of a comparison, one per
// pair, named diff-1, diff-2, ...
func DiffFigures(c lgr.Comparison, cal int) []Figure {
	var figs []Figure
	for i, p := range c.Pairs {
		figs = append(figs, Figure{Name: "diff-" + strconv.Itoa(i+1), Title: "net cash flow by year, " + p.B + " minus " + p.A + ", paired on common random numbers",
			Plot: DiffFan(p, cal)})
	}
	return figs
}

// FirstYear is the calendar year of a run's t = 0 (0 if the scenario has
// no vesting year).
func FirstYear(r *lgr.Result) int {
	if vy := r.C.Scenario.VestingYear; vy > 0 {
		return vy - 1
	}
	return 0
}
