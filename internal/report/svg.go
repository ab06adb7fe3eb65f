package report

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// FanSVG draws the fan chart of cumulative net cash flow by year: the 90%
// band (P5 to P95), the median, and the net cash flow's median as bars, as
// a self-contained SVG for reports.
func FanSVG(w io.Writer, r *RunReport) error {
	ys := r.Summary.Years
	if len(ys) == 0 {
		return fmt.Errorf("report: no years to chart")
	}
	const (
		width, height         = 720.0, 420.0
		left, right, top, bot = 80.0, 20.0, 50.0, 50.0
	)
	lo, hi := 0.0, 0.0
	for _, y := range ys {
		lo = math.Min(lo, math.Min(y.Cumulative.P5, y.Net.P50))
		hi = math.Max(hi, math.Max(y.Cumulative.P95, y.Net.P50))
	}
	step := niceStep((hi - lo) / 6)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	n := float64(len(ys) - 1)
	pad := (width - left - right) / (n + 1) / 2 // half a year's width at each end
	px := func(t float64) float64 { return left + pad + (width-left-right-2*pad)*t/math.Max(n, 1) }
	py := func(v float64) float64 { return top + (height-top-bot)*(hi-v)/(hi-lo) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="15" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(r.Scenario+": cumulative net cash flow"))
	fmt.Fprintf(&b, `<text x="%.0f" y="40" fill="#555">real £, %s prices; band P5-P95, line P50 (%d trials); bars: net cash flow P50 by year</text>`+"\n",
		left, html.EscapeString(orDash(r.PriceBase)), r.Summary.FanTrials)
	for v := lo; v <= hi+step/2; v += step {
		y := py(v)
		stroke := "#ddd"
		if math.Abs(v) < step/1e6 {
			stroke = "#333"
		}
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>`+"\n", left, width-right, y, y, stroke)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y+4, Money(v))
	}
	barW := pad
	for i, y := range ys {
		x := px(float64(i))
		y0, y1 := py(0), py(y.Net.P50)
		fill := "#9ecae1"
		if y.Net.P50 < 0 {
			fill = "#fcae91"
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x-barW/2, math.Min(y0, y1), barW, math.Abs(y1-y0), fill)
		label := fmt.Sprint(y.Year)
		if y.CalendarYear > 0 {
			label = fmt.Sprintf("%d/%02d", y.CalendarYear, (y.CalendarYear+1)%100)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x, height-bot+18, label)
	}
	var band, med strings.Builder
	for i, y := range ys {
		fmt.Fprintf(&band, "%.1f,%.1f ", px(float64(i)), py(y.Cumulative.P95))
		fmt.Fprintf(&med, "%.1f,%.1f ", px(float64(i)), py(y.Cumulative.P50))
	}
	for i := len(ys) - 1; i >= 0; i-- {
		fmt.Fprintf(&band, "%.1f,%.1f ", px(float64(i)), py(ys[i].Cumulative.P5))
	}
	fmt.Fprintf(&b, `<polygon points="%s" fill="#3182bd" fill-opacity="0.25" stroke="none"/>`+"\n", strings.TrimSpace(band.String()))
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#08519c" stroke-width="2.5"/>`+"\n", strings.TrimSpace(med.String()))
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#555">year (t = 0 is the year before vesting)</text>`+"\n", (left+width-right)/2, height-10)
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// niceStep rounds a raw axis step to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if !(raw > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}
