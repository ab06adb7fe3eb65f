package chart

import (
	"cmp"
	"io"
	"slices"

	"github.com/devolve-lgr/devolve/model/lgr"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// Figure is a named chart ready to write: one plot, or a grid of plots.
type Figure struct {
	// Name is the file name without extension (fan, scurve, ...).
	Name string
	// Title describes the figure (e.g. for alt text).
	Title string
	Plot  *plot.Plot
	// Grid and Cols, when Grid is set, draw several plots in one image.
	Grid []*plot.Plot
	Cols int
	// W and H are the size (of each cell, for a grid); zero means Width
	// by Height.
	W, H vg.Length
}

// Write renders the figure as "png" or "svg".
func (f Figure) Write(w io.Writer, format string) error {
	if f.Grid != nil {
		cw, ch := f.W, f.H
		if cw == 0 {
			cw, ch = Width/2, Height*3/4
		}
		return WriteGrid(w, f.Grid, f.Cols, format, cw, ch)
	}
	return Write(w, f.Plot, format, f.W, f.H)
}

// RunFigures are the charts of one run: fan, S-curve and histogram of NPV,
// waterfall by line and service quality (when the scenario has indicators).
// For a deterministic (one-trial) run only the waterfall is drawn.
func RunFigures(name string, r *lgr.Result, s *lgr.Summary) []Figure {
	var figs []Figure
	npv := r.Draws("npv")
	if len(npv) > 1 {
		figs = append(figs,
			Figure{Name: "fan", Title: name + ": cumulative net cash flow by year",
				Plot: Fan(name+": cumulative net cash flow", []FanSeries{FanFromResult(name, r)})},
			Figure{Name: "scurve", Title: name + ": cumulative distribution of NPV",
				Plot: SCurve(name+": NPV, S-curve", "net present value", []string{name}, [][]float64{npv})},
			Figure{Name: "histogram", Title: name + ": distribution of NPV",
				Plot: Histogram(name+": NPV", "net present value", npv)})
	}
	figs = append(figs, Figure{Name: "waterfall", Title: name + ": present value of one-off costs and recurring savings by line",
		Plot: Waterfall(name+": present value by line", WaterfallSteps(s.ByLine)), H: Height * 5 / 4})
	if len(s.ServiceQuality) > 0 && len(npv) > 1 {
		cal := 0
		if len(s.Years) > 0 && s.Years[0].CalendarYear > 0 {
			cal = s.Years[0].CalendarYear
		}
		var ps []*plot.Plot
		for _, q := range s.ServiceQuality {
			ps = append(ps, Quality(q, cal))
		}
		// Two columns when the panels pair up; one wide column otherwise,
		// so that no cell is left empty and no title is cut.
		f := Figure{Name: "quality", Title: name + ": service-quality indicators by year", Grid: ps, Cols: 2}
		if len(ps)%2 == 1 {
			f.Cols, f.W, f.H = 1, Width, Height*3/4
		}
		figs = append(figs, f)
	}
	return figs
}

// CompareFigures are the charts of a comparison on common random numbers:
// the fans overlaid and the S-curves of NPV overlaid.
func CompareFigures(names []string, runs []*lgr.Result) []Figure {
	var fans []FanSeries
	var draws [][]float64
	for i, r := range runs {
		fans = append(fans, FanFromResult(names[i], r))
		draws = append(draws, r.Draws("npv"))
	}
	return []Figure{
		{Name: "fan", Title: "cumulative net cash flow by year, options overlaid", Plot: Fan("Cumulative net cash flow by option", fans)},
		{Name: "scurve", Title: "cumulative distribution of NPV by option", Plot: SCurve("NPV by option, S-curves", "net present value", names, draws)},
	}
}

// SensitivityFigures are the tornado and Sobol charts of an output (either
// may be empty and is then left out); Sobol indices are drawn largest total
// index first.
func SensitivityFigures(output string, swings []Swing, idx []Index) []Figure {
	var figs []Figure
	if len(swings) > 0 {
		figs = append(figs, Figure{Name: "tornado", Title: "tornado of " + output,
			Plot: Tornado("Tornado: "+output+" with one input group at its P10 or P90", output, swings)})
	}
	if len(idx) > 0 {
		idx = slices.Clone(idx)
		slices.SortStableFunc(idx, func(a, b Index) int { return cmp.Compare(b.ST, a.ST) })
		figs = append(figs, Figure{Name: "sobol", Title: "Sobol indices of " + output,
			Plot: Sobol("Sobol indices of "+output, idx)})
	}
	return figs
}

// FileWriter writes one output file's content.
type FileWriter func(io.Writer) error

// Files maps every figure to its file names in each format (fan.png,
// fan.svg, ...).
func Files(figs []Figure, formats ...string) map[string]FileWriter {
	m := map[string]FileWriter{}
	for _, f := range figs {
		for _, format := range formats {
			m[f.Name+"."+format] = func(w io.Writer) error { return f.Write(w, format) }
		}
	}
	return m
}
