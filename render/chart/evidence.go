package chart

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// CounterfactualLine is one counterfactual path of an outcome (£ cash by
// financial year, aligned with OutcomePanel.Years; NaN where none).
type CounterfactualLine struct {
	Name   string // "synthetic control", "difference-in-differences"
	Values []float64
}

// OutcomePanel is one outcome of a reorganised council: its actual
// spending and counterfactuals, £ cash, by financial year.
type OutcomePanel struct {
	Title  string    // the outcome
	Years  []string  // financial years, "2009-10"
	Vest   int       // index in Years of the first year after vesting
	Actual []float64 // £ cash, NaN where no return
	Lines  []CounterfactualLine
}

// Counterfactual draws one outcome's actual spending (solid) against its
// counterfactuals (dashed), with a vertical rule at vesting; money in £m.
func Counterfactual(p OutcomePanel) *plot.Plot {
	pl := newPlot(p.Title, "financial year", "£m, cash")
	pl.Y.Tick.Marker = moneyTicks{}
	pl.X.Tick.Marker = sparseLabels(p.Years, 6)
	lo, hi := 0.0, 0.0
	first := true
	add := func(vals []float64) plotter.XYs {
		var xys plotter.XYs
		for i, v := range vals {
			if v != v { // NaN: a gap
				continue
			}
			xys = append(xys, plotter.XY{X: float64(i), Y: v})
			if first || v < lo {
				lo = v
			}
			if first || v > hi {
				hi = v
			}
			first = false
		}
		return xys
	}
	if xys := add(p.Actual); len(xys) > 0 {
		l := line(Blue, vg.Points(2), xys)
		pl.Add(l)
		pl.Legend.Add("actual", l)
	}
	for i, c := range p.Lines {
		if xys := add(c.Values); len(xys) > 0 {
			l := dashed(Series[(i+1)%len(Series)], xys)
			pl.Add(l)
			pl.Legend.Add(c.Name, l)
		}
	}
	if !first {
		x := float64(p.Vest) - 0.5
		pl.Add(line(Grey, vg.Points(0.75), plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}}))
	}
	pl.Legend.Top = true
	pl.Legend.Left = true
	return pl
}

// sparseLabels labels at most n of the categories.
func sparseLabels(labels []string, n int) plot.ConstantTicks {
	t := labelTicks(labels)
	step := max((len(labels)+n-1)/max(n, 1), 1)
	for i := range t {
		if i%step != 0 {
			t[i].Label = ""
		}
	}
	return t
}

// EvidenceFigure is one successor's chart: a panel per outcome, side by
// side, named by the successor's slug.
func EvidenceFigure(successor string, panels []OutcomePanel) Figure {
	var ps []*plot.Plot
	for _, p := range panels {
		ps = append(ps, Counterfactual(p))
	}
	return Figure{Name: "evidence-" + Slug(successor), Title: successor + ": actual spending against counterfactuals",
		Grid: ps, Cols: len(ps), W: Width * 3 / 4, H: Height}
}
