package chart

import (
	"fmt"

	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Quality draws one service-quality indicator by year: its P5-P95 band and
// median. cal is the calendar year of t = 0 (0 if unknown).
func Quality(q lgr.QualitySummary, cal int) *plot.Plot {
	dir := "higher is better"
	if q.LowerIsBetter {
		dir = "lower is better"
	}
	p := newPlot(lgr.Words(q.Name)+" (median, P5-P95)", "year", fmt.Sprintf("%s (%s)", q.Unit, dir))
	n := len(q.Years)
	band := make(plotter.XYs, 0, 2*n)
	med := make(plotter.XYs, n)
	for i, y := range q.Years {
		band = append(band, plotter.XY{X: float64(y.Year), Y: y.P95})
		med[i] = plotter.XY{X: float64(y.Year), Y: y.P50}
	}
	for i := n - 1; i >= 0; i-- {
		band = append(band, plotter.XY{X: float64(q.Years[i].Year), Y: q.Years[i].P5})
	}
	if n > 0 {
		ml := line(Green, vg.Points(2), med)
		p.Add(filled(alpha(Green, 0.2), band), ml)
	}
	p.X.Tick.Marker = yearTicks(cal, n, 4)
	return p
}
