package chart

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Default sizes of a chart: 7 by 4 inches (672 by 384 pixels in PNG at the
// plot package's 96 dpi).
const (
	Width  = 7 * vg.Inch
	Height = 4 * vg.Inch
)

// Formats are the file formats Write accepts.
var Formats = []string{"png", "svg"}

// Write renders p as a PNG or SVG ("png", "svg") of the given size (zero
// means Width by Height).
func Write(w io.Writer, p *plot.Plot, format string, width, height vg.Length) error {
	if width == 0 {
		width = Width
	}
	if height == 0 {
		height = Height
	}
	switch format {
	case "png", "svg":
	default:
		return fmt.Errorf("chart: format must be png or svg (got %q)", format)
	}
	wt, err := p.WriterTo(width, height, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// Palette: GOV.UK-like colours, one per option of a comparison.
var (
	Blue   = color.RGBA{0x1d, 0x70, 0xb8, 0xff}
	Red    = color.RGBA{0xd4, 0x35, 0x1c, 0xff}
	Green  = color.RGBA{0x00, 0x70, 0x3c, 0xff}
	Orange = color.RGBA{0xf4, 0x77, 0x38, 0xff}
	Purple = color.RGBA{0x4c, 0x2c, 0x92, 0xff}
	Grey   = color.RGBA{0x50, 0x5a, 0x5f, 0xff}
	// Series is the colour order of overlaid options.
	Series = []color.RGBA{Blue, Orange, Green, Purple, Red, Grey}
)

// alpha returns c with its opacity scaled to a (premultiplied).
func alpha(c color.RGBA, a float64) color.RGBA {
	return color.RGBA{uint8(float64(c.R) * a), uint8(float64(c.G) * a), uint8(float64(c.B) * a), uint8(255 * a)}
}

// newPlot returns a plot with a title and light grid.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{0xdd}
	g.Horizontal.Color = color.Gray{0xdd}
	p.Add(g)
	return p
}

// millions formats an axis value in £m.
func millions(v float64) string {
	s := fmt.Sprintf("%.6g", v/1e6)
	if math.Abs(v) < 1e-9 {
		s = "0"
	}
	return s
}

// moneyTicks labels a money axis (values in pounds) in £m at nice steps.
type moneyTicks struct{}

func (moneyTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(min, max) {
		if t.Label != "" {
			t.Label = millions(t.Value)
		}
		out = append(out, t)
	}
	return out
}

// rect returns the four corners of a rectangle.
func rect(x0, x1, y0, y1 float64) plotter.XYs {
	return plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

// filled is a borderless filled polygon.
func filled(c color.Color, xys plotter.XYs) *plotter.Polygon {
	pg, err := plotter.NewPolygon(xys)
	if err != nil {
		panic("chart: " + err.Error()) // only for non-finite points, which callers exclude
	}
	pg.Color = c
	pg.LineStyle.Width = 0
	return pg
}

// line is a solid line through xys.
func line(c color.Color, width vg.Length, xys plotter.XYs) *plotter.Line {
	l, err := plotter.NewLine(xys)
	if err != nil {
		panic("chart: " + err.Error())
	}
	l.Color = c
	l.Width = width
	return l
}

// dashed is a dashed line through xys.
func dashed(c color.Color, xys plotter.XYs) *plotter.Line {
	l := line(c, vg.Points(1), xys)
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	return l
}

// labelTicks are category labels at integer positions.
func labelTicks(labels []string) plot.ConstantTicks {
	t := make(plot.ConstantTicks, len(labels))
	for i, l := range labels {
		t[i] = plot.Tick{Value: float64(i), Label: l}
	}
	return t
}

// Label joins head and tail into a category label that fits a chart's
// label width, shortening head (with an ellipsis) rather than tail: the
// part that says what is measured ("Cumbria 2023 (measured: Westmorland
// and…: savings, year 1") stays whole.
func Label(head, tail string) string {
	return shorten(head, max(labelRunes-len([]rune(tail)), 12)) + tail
}

// shorten trims a long label to n characters with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n - 1
	// End at a word where one ends in the last third, not mid-word.
	for i := n - 1; i > 2*n/3; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " :,") + "…"
}

// labelRunes is how long a bar's label may be before it is shortened: long
// enough for a line's or an input's label ("Enabling support restructure
// saving: cost to achieve" is 52).
const labelRunes = 56

// swatch is a legend entry drawn as a filled square.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.c, []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
}

// slug makes a file-name-safe form of a name.
func Slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
