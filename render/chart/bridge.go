package chart

import (
	"math"
	"strings"

	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Bridge draws the waterfall from a published case's figure to devolve's
// (lgr.Bridge): the published figure, each step's mean change with its 90%
// interval across trials as a whisker, and devolve's mean with its 90%
// interval. Steps telescope, so the last running total is devolve's mean.
func Bridge(b *lgr.Bridge) *plot.Plot {
	p := newPlot("Bridge: "+b.Case+" to devolve", "£m (bars: means; whiskers: 90% intervals across trials)", "")
	p.X.Tick.Marker = moneyTicks{}
	n := len(b.Steps) + 2
	labels := make([]string, n)
	const h = 0.38
	y := func(i int) float64 { return float64(n - 1 - i) }
	whisker := func(lo, hi, yy float64) {
		p.Add(line(Grey, vg.Points(1.2), plotter.XYs{{X: lo, Y: yy}, {X: hi, Y: yy}}))
		for _, x := range []float64{lo, hi} {
			p.Add(line(Grey, vg.Points(1.2), plotter.XYs{{X: x, Y: yy - h/2}, {X: x, Y: yy + h/2}}))
		}
	}
	labels[n-1] = shorten("published: "+b.Measure, labelRunes)
	p.Add(filled(Grey, rect(math.Min(0, b.Reproduced), math.Max(0, b.Reproduced), y(0)-h, y(0)+h)))
	run := b.Reproduced
	for i, s := range b.Steps {
		yy := y(i + 1)
		name := s.Step
		if k := strings.IndexAny(name, ":("); k > 0 {
			name = strings.TrimSpace(name[:k])
		}
		labels[n-2-i] = shorten(name, labelRunes)
		col := Blue
		if s.Mean < 0 {
			col = Red
		}
		p.Add(filled(alpha(col, 0.85), rect(math.Min(run, run+s.Mean), math.Max(run, run+s.Mean), yy-h, yy+h)))
		whisker(run+s.P5, run+s.P95, yy)
		run += s.Mean
	}
	labels[0] = shorten("devolve: "+b.DevolveMeasure, labelRunes)
	p.Add(filled(Grey, rect(math.Min(0, b.Devolve), math.Max(0, b.Devolve), -h, h)))
	if b.DevolveP95 > b.DevolveP5 {
		whisker(b.DevolveP5, b.DevolveP95, 0)
	}
	p.Add(line(Grey, vg.Points(1), plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(n) - 0.4}}))
	p.Y.Tick.Marker = labelTicks(labels)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	pad := 0.04 * (p.X.Max - p.X.Min)
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	p.Legend.Add("raises the figure", swatch{alpha(Blue, 0.85)})
	p.Legend.Add("lowers it", swatch{alpha(Red, 0.85)})
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}

// BridgeFigure is the bridge chart as a figure named "bridge".
func BridgeFigure(b *lgr.Bridge) Figure {
	return Figure{Name: "bridge", Title: "bridge from " + b.Case + " (" + b.Measure + ") to devolve (" + b.DevolveMeasure + ")", Plot: Bridge(b), H: Height * 5 / 4, W: Width * 8 / 7}
}
