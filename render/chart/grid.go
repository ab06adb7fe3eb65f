package chart

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// WriteGrid renders plots in a grid of cols columns, each cell w by h, as
// one PNG or SVG.
func WriteGrid(out io.Writer, plots []*plot.Plot, cols int, format string, w, h vg.Length) error {
	if len(plots) == 0 {
		return fmt.Errorf("chart: no plots to draw")
	}
	cols = max(1, min(cols, len(plots)))
	rows := (len(plots) + cols - 1) / cols
	W, H := w*vg.Length(cols), h*vg.Length(rows)
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.New(W, H)}
	case "svg":
		c = vgsvg.New(W, H)
	default:
		return fmt.Errorf("chart: format must be png or svg (got %q)", format)
	}
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
		for k := 0; k < cols && r*cols+k < len(plots); k++ {
			grid[r][k] = plots[r*cols+k]
		}
	}
	dc := draw.New(c)
	canvases := plot.Align(grid, draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter, PadY: vg.Millimeter}, dc)
	for r := range grid {
		for k, p := range grid[r] {
			if p != nil {
				p.Draw(canvases[r][k])
			}
		}
	}
	_, err := c.WriteTo(out)
	return err
}
