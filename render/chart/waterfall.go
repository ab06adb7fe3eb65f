package chart

import (
	"fmt"
	"math"
	"sort"

	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// maxWaterfallLines is how many lines a waterfall shows before merging the
// smallest into "other costs" and "other savings".
const maxWaterfallLines = 14

// Step is one bar of a waterfall: a signed present value (£; costs
// negative) added to the running total.
type Step struct {
	Name  string
	Value float64
}

// WaterfallSteps orders the cashable lines of a run for a waterfall: one-off
// costs, then recurring costs, then savings, each largest first, with the
// smallest merged so that at most maxWaterfallLines remain. The steps sum to
// the mean NPV (present values are means over every trial); non-cashable
// lines, which do not count in NPV, are left out.
func WaterfallSteps(lines []lgr.LineSummary) []Step {
	var oneOff, recurring, saving []Step
	for _, l := range lines {
		if !l.Cashable {
			continue
		}
		name := l.Label
		if name == "" {
			name = l.Name
		}
		switch {
		case l.Kind == "saving":
			saving = append(saving, Step{name, l.PVMean})
		case l.OneOff:
			oneOff = append(oneOff, Step{name, -l.PVMean})
		default:
			recurring = append(recurring, Step{name, -l.PVMean})
		}
	}
	all := [][]Step{oneOff, recurring, saving}
	for _, g := range all {
		sort.SliceStable(g, func(i, j int) bool { return math.Abs(g[i].Value) > math.Abs(g[j].Value) })
	}
	// Keep the largest lines overall; merge the rest by sign.
	var mags []float64
	for _, g := range all {
		for _, s := range g {
			mags = append(mags, math.Abs(s.Value))
		}
	}
	cut := 0.0
	if len(mags) > maxWaterfallLines {
		sort.Sort(sort.Reverse(sort.Float64Slice(mags)))
		cut = mags[maxWaterfallLines-3] // three bars are kept for the merged rest
	}
	var out []Step
	for k, g := range all {
		other, nOther := Step{}, 0
		for _, s := range g {
			if math.Abs(s.Value) >= cut {
				out = append(out, s)
			} else {
				other.Value += s.Value
				nOther++
			}
		}
		if nOther > 0 {
			other.Name = fmt.Sprintf("other %s (%d lines)", []string{"one-off costs", "recurring costs", "savings"}[k], nOther)
			out = append(out, other)
		}
	}
	return out
}

// Waterfall draws the steps as a horizontal waterfall from zero, top to
// bottom, ending in a total bar (the mean NPV).
func Waterfall(title string, steps []Step) *plot.Plot {
	p := newPlot(title, "present value, £m (mean over trials)", "")
	p.X.Tick.Marker = moneyTicks{}
	n := len(steps) + 1
	labels := make([]string, n)
	const h = 0.38
	run := 0.0
	for i, s := range steps {
		y := float64(n - 1 - i)
		labels[n-1-i] = shorten(s.Name, labelRunes)
		col := Blue
		if s.Value < 0 {
			col = Red
		}
		p.Add(filled(col, rect(math.Min(run, run+s.Value), math.Max(run, run+s.Value), y-h, y+h)))
		next := run + s.Value
		if i < len(steps)-1 {
			p.Add(line(Grey, vg.Points(0.5), plotter.XYs{{X: next, Y: y - h}, {X: next, Y: y - 1 + h}}))
		}
		run = next
	}
	labels[0] = "NPV (total)"
	p.Add(filled(Grey, rect(math.Min(0, run), math.Max(0, run), -h, h)))
	p.Add(line(Grey, vg.Points(1), plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(n) - 0.4}}))
	p.Y.Tick.Marker = labelTicks(labels)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	pad := 0.04 * (p.X.Max - p.X.Min)
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	p.Legend.Top = true
	p.Legend.Add("cost", swatch{Red})
	p.Legend.Add("saving", swatch{Blue})
	p.Legend.Add("NPV", swatch{Grey})
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	return p
}
