package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MaxBars is how many inputs a tornado or Sobol chart shows (the largest).
const MaxBars = 12

// Swing is one tornado bar: the output (£) with the input at its P10 (Low)
// and P90 (High), every other input at its median (Base).
type Swing struct {
	Name            string
	Low, High, Base float64
}

// Tornado draws the tornado chart of swings, given largest first, as
// horizontal bars about the base value; at most MaxBars are shown.
func Tornado(title, xlabel string, swings []Swing) *plot.Plot {
	p := newPlot(title, xlabel+", £m", "")
	p.X.Tick.Marker = moneyTicks{}
	swings = swings[:min(len(swings), MaxBars)]
	n := len(swings)
	labels := make([]string, n)
	const h = 0.35
	for i, s := range swings {
		y := float64(n - 1 - i)
		labels[n-1-i] = shorten(s.Name, labelRunes)
		if s.Low != s.Base {
			p.Add(filled(Orange, rect(math.Min(s.Base, s.Low), math.Max(s.Base, s.Low), y-h, y+h)))
		}
		if s.High != s.Base {
			p.Add(filled(Blue, rect(math.Min(s.Base, s.High), math.Max(s.Base, s.High), y-h, y+h)))
		}
	}
	if n > 0 {
		b := swings[0].Base
		p.Add(line(Grey, vg.Points(1), plotter.XYs{{X: b, Y: -0.6}, {X: b, Y: float64(n) - 0.4}}))
	}
	p.Y.Tick.Marker = labelTicks(labels)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	pad := 0.04 * (p.X.Max - p.X.Min)
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	p.Legend.Add("input at its P10", swatch{Orange})
	p.Legend.Add("input at its P90", swatch{Blue})
	p.Legend.Top = false
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}

// Index is one input's Sobol indices with their 95% intervals (across replicates).
type Index struct {
	Name                           string
	S1, S1Lo, S1Hi, ST, STLo, STHi float64
}

// pointErrs are points with horizontal error bars.
type pointErrs struct {
	plotter.XYs
	lo, hi []float64
}

func (e pointErrs) XError(i int) (float64, float64) {
	return e.XYs[i].X - e.lo[i], e.hi[i] - e.XYs[i].X
}

// Sobol draws first-order (S1) and total (ST) Sobol indices, each with its
// interval, for at most MaxBars inputs in the given order.
func Sobol(title string, idx []Index) *plot.Plot {
	p := newPlot(title, "share of the output's variance", "")
	idx = idx[:min(len(idx), MaxBars)]
	n := len(idx)
	labels := make([]string, n)
	s1 := pointErrs{make(plotter.XYs, n), make([]float64, n), make([]float64, n)}
	st := pointErrs{make(plotter.XYs, n), make([]float64, n), make([]float64, n)}
	for i, x := range idx {
		y := float64(n - 1 - i)
		labels[n-1-i] = shorten(x.Name, labelRunes)
		s1.XYs[i], s1.lo[i], s1.hi[i] = plotter.XY{X: x.S1, Y: y + 0.15}, x.S1Lo, x.S1Hi
		st.XYs[i], st.lo[i], st.hi[i] = plotter.XY{X: x.ST, Y: y - 0.15}, x.STLo, x.STHi
	}
	for k, pe := range []pointErrs{s1, st} {
		col, name := Blue, "first-order S1"
		var shape draw.GlyphDrawer = draw.CircleGlyph{}
		if k == 1 {
			col, name, shape = Orange, "total ST", draw.BoxGlyph{}
		}
		if n == 0 {
			break
		}
		eb, err := plotter.NewXErrorBars(pe)
		if err != nil {
			panic(fmt.Sprint("chart: ", err))
		}
		eb.Color = col
		eb.Width = vg.Points(1.5)
		sc, err := plotter.NewScatter(pe.XYs)
		if err != nil {
			panic(fmt.Sprint("chart: ", err))
		}
		sc.Color, sc.Shape, sc.Radius = col, shape, vg.Points(3.5)
		p.Add(eb, sc)
		p.Legend.Add(name+" with 95% interval", sc)
	}
	p.Add(line(Grey, vg.Points(0.5), plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(n) - 0.4}}))
	p.Y.Tick.Marker = labelTicks(labels)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Min = math.Min(p.X.Min, 0)
	p.X.Max += 0.04 * (p.X.Max - p.X.Min)
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}
