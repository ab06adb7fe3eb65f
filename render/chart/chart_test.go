package chart

import (
	"bytes"
	"context"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/cmpimg"
	"gonum.org/v1/plot/vg"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// Golden images are small (3 by 2 inches, 288 by 192 pixels) and drawn from
// fixed data with the plot package's embedded fonts.
const goldenW, goldenH = 3 * vg.Inch, 2 * vg.Inch

// checkGolden compares a PNG rendering of f with testdata/NAME.png.
func checkGolden(t *testing.T, name string, f Figure) {
	t.Helper()
	if f.Grid == nil {
		f.W, f.H = goldenW, goldenH
	} else {
		f.W, f.H = goldenW/2, goldenH/2
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, "png"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".png")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (regenerate with go test ./render/chart -update)", err)
	}
	ok, err := cmpimg.Equal("png", buf.Bytes(), want)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		got := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(got, buf.Bytes(), 0o644)
		t.Errorf("%s differs from its golden image; this rendering is in %s (review, then regenerate with -update)", path, got)
	}
}

// normals are n seeded normal draws with the given mean and sd.
func normals(seed uint64, n int, mean, sd float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0))
	x := make([]float64, n)
	for i := range x {
		x[i] = mean + sd*r.NormFloat64()
	}
	return x
}

func fixedFan(name string, shift float64) FanSeries {
	f := FanSeries{Name: name, CalendarYear: 2027}
	for t := 0; t < 6; t++ {
		m := -20e6 + 10e6*float64(t) + shift
		w := 4e6 * float64(t+1)
		f.Q = append(f.Q, [5]float64{m - 2*w, m - w, m, m + w, m + 2*w})
	}
	return f
}

func TestGolden(t *testing.T) {
	quality := lgr.QualitySummary{Name: "days", Unit: "days", LowerIsBetter: true}
	for y := 0; y < 6; y++ {
		quality.Years = append(quality.Years, struct {
			Year int `json:"year"`
			lgr.Band
		}{y, lgr.Band{P5: 18 - float64(y)/2, P50: 20 - float64(y)/2, P95: 23 - float64(y)/3}})
	}
	for _, tc := range []struct {
		name string
		fig  Figure
	}{
		{"fan", Figure{Plot: Fan("fan", []FanSeries{fixedFan("A", 0)})}},
		{"fan-compare", Figure{Plot: Fan("compare", []FanSeries{fixedFan("A", 0), fixedFan("B", -15e6)})}},
		{"scurve", Figure{Plot: SCurve("S-curve", "NPV", []string{"A"}, [][]float64{normals(1, 2000, 30e6, 20e6)})}},
		{"histogram", Figure{Plot: Histogram("histogram", "NPV", normals(2, 2000, 30e6, 20e6))}},
		{"tornado", Figure{Plot: Tornado("tornado", "NPV", []Swing{{"savings", 10e6, 60e6, 35e6}, {"it", 45e6, 25e6, 35e6}, {"other", 33e6, 37e6, 35e6}})}},
		{"sobol", Figure{Plot: Sobol("sobol", []Index{{"savings", 0.6, 0.55, 0.65, 0.7, 0.64, 0.76}, {"it", 0.2, 0.15, 0.25, 0.25, 0.2, 0.3}})}},
		{"waterfall", Figure{Plot: Waterfall("waterfall", []Step{{"it", -20e6}, {"staff", -10e6}, {"saving", 50e6}})}},
		{"bridge", Figure{Plot: Bridge(&lgr.Bridge{Case: "case", Reproduced: 50e6, Devolve: 30e6, DevolveP5: 5e6, DevolveP95: 60e6,
			Steps: []lgr.BridgeStep{{Step: "savings: level", Mean: 10e6, P5: 0, P95: 20e6}, {Step: "costs (all)", Mean: -30e6, P5: -40e6, P95: -25e6}}})}},
		{"diff", Figure{Plot: DiffFan(lgr.PairSummary{A: "A", B: "B", Years: []lgr.YearDiff{
			{Year: 0, Band: lgr.Band{Mean: -1e6, P5: -3e6, P50: -1e6, P95: 1e6}}, {Year: 1, Band: lgr.Band{Mean: -5e6, P5: -12e6, P50: -4e6, P95: 0}},
			{Year: 2, Band: lgr.Band{Mean: -2e6, P5: -9e6, P50: -2e6, P95: 4e6}}}}, 2027)}},
		{"quality", Figure{Grid: []*plot.Plot{Quality(quality, 2027), Quality(quality, 0)}, Cols: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkGolden(t, tc.name, tc.fig) })
	}
}

// suffolk runs the embedded default scenario for n trials with seed 1.
func suffolk(t *testing.T, n int) (*lgr.Result, lgr.Summary) {
	t.Helper()
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Run(context.Background(), engine.Options{Iterations: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return res, res.Summarize()
}

// The waterfall's steps (merged or not) add up to the mean NPV, which the
// engine computes from the trials' NPVs, not from the lines.
func TestWaterfallSumsToNPV(t *testing.T) {
	_, s := suffolk(t, 4096)
	steps := WaterfallSteps(s.ByLine)
	if len(steps) > maxWaterfallLines+1 {
		t.Errorf("%d steps, want at most %d", len(steps), maxWaterfallLines+1)
	}
	sum := 0.0
	for _, st := range steps {
		sum += st.Value
	}
	if d := math.Abs(sum - s.NPV.Mean); d > 1e-9*math.Abs(s.NPV.Mean) {
		t.Errorf("steps sum to %.2f, mean NPV %.2f", sum, s.NPV.Mean)
	}
}

// FanFromResult's percentiles lie between the neighbouring order statistics
// of the sampled cumulative cash flow, and its median is the summary's.
func TestFanFromResult(t *testing.T) {
	res, s := suffolk(t, 3000)
	f := FanFromResult("x", res)
	if len(f.Q) != len(s.Years) || f.Trials != 3000 || f.CalendarYear != s.Years[0].CalendarYear {
		t.Fatalf("fan has %d years, %d trials, from %d; summary %d years from %d", len(f.Q), f.Trials, f.CalendarYear, len(s.Years), s.Years[0].CalendarYear)
	}
	for yr, q := range f.Q {
		col := res.Raw.Sampled[2*yr+1]
		sorted := make([]float64, len(col))
		for i, v := range col {
			sorted[i] = float64(v)
		}
		slices.Sort(sorted)
		for k, p := range FanLevels {
			h := p * float64(len(sorted)-1)
			lo, hi := sorted[int(math.Floor(h))], sorted[int(math.Ceil(h))]
			if q[k] < lo || q[k] > hi {
				t.Errorf("year %d P%.0f = %g, outside order statistics [%g, %g]", yr, 100*p, q[k], lo, hi)
			}
		}
		if q[2] != s.Years[yr].Cumulative.P50 {
			t.Errorf("year %d median %g, summary %g", yr, q[2], s.Years[yr].Cumulative.P50)
		}
		if !(q[0] <= q[1] && q[1] <= q[2] && q[2] <= q[3] && q[3] <= q[4]) {
			t.Errorf("year %d percentiles not ordered: %v", yr, q)
		}
	}
}

func TestPPositive(t *testing.T) {
	res, s := suffolk(t, 2048)
	if got := PPositive(res.Draws("npv")); got != s.PNPVPositive {
		t.Errorf("PPositive %v, summary %v", got, s.PNPVPositive)
	}
	if got := PPositive([]float64{-1, 0, 1, 2}); got != 0.5 {
		t.Errorf("PPositive(-1,0,1,2) = %v, want 0.5 (zero is not positive)", got)
	}
}

// Every figure of a run, a comparison and a sensitivity analysis renders in
// both formats; SVGs are self-contained (no external references).
func TestFiguresRender(t *testing.T) {
	res, s := suffolk(t, 2048)
	figs := RunFigures("Suffolk", res, &s)
	figs = append(figs, CompareFigures([]string{"a", "b"}, []*lgr.Result{res, res})...)
	figs = append(figs, SensitivityFigures("npv", []Swing{{"a", 1, 2, 1.5}}, []Index{{"a", .5, .4, .6, .6, .5, .7}})...)
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	want := []string{"fan", "scurve", "histogram", "waterfall", "quality", "fan", "scurve", "tornado", "sobol"}
	if !slices.Equal(names, want) {
		t.Fatalf("figures %v, want %v", names, want)
	}
	dir := t.TempDir()
	for name, write := range Files(figs[:5], Formats...) {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 10 {
		t.Errorf("%d files written, want 10", len(ents))
	}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if len(b) < 1000 {
			t.Errorf("%s: only %d bytes", e.Name(), len(b))
		}
		if strings.HasSuffix(e.Name(), ".svg") {
			if !bytes.Contains(b, []byte("<svg")) || bytes.Contains(b, []byte("href=\"http")) {
				t.Errorf("%s: not a self-contained SVG", e.Name())
			}
		}
	}
	if err := figs[0].Write(&bytes.Buffer{}, "jpeg"); err == nil {
		t.Error("format jpeg accepted")
	}
}

// TestNationalFigures: a national run gives an area chart with a row per
// area, a totals chart and England's fan by year (P5-P95 and the median
// only: a national run keeps no P25-P75), all drawn; the fan against its
// golden image.
func TestNationalFigures(t *testing.T) {
	short := func(m float64) lgr.Short { return lgr.Short{Mean: m, P5: m / 2, P50: m, P95: 2 * m} }
	var years []lgr.YearFan
	for y, c := range []float64{-3e8, -5e8, -2e8, 3e8, 9e8, 1.6e9} {
		years = append(years, lgr.YearFan{Year: y, CalendarYear: 2027 + y,
			Cumulative: lgr.Band{Mean: c, P5: c - 2e8 - 1e8*float64(y), P50: c, P95: c + 2e8 + 2e8*float64(y)}})
	}
	n := &lgr.National{Config: "1 unitary per area",
		Areas: []lgr.AreaResult{{Area: "A", NPV: short(1e8)}, {Area: "B", NPV: short(-2e7)}},
		National: lgr.NationalTotals{NPV: short(8e7), OneOffCost: short(3e7), FiveYearNet: short(1e7), SteadyStateSaving: short(2e7),
			Years: years, FanTrials: 1000}}
	figs := NationalFigures(n)
	if len(figs) != 3 || figs[0].Name != "national-areas" || figs[1].Name != "national-total" || figs[2].Name != "national-fan" {
		t.Fatalf("figures %+v", figs)
	}
	for _, f := range figs {
		var b bytes.Buffer
		if err := f.Write(&b, "svg"); err != nil || !bytes.Contains(b.Bytes(), []byte("<svg")) {
			t.Errorf("%s: %v", f.Name, err)
		}
	}
	f := FanFromYears("England", years, 1000)
	if f.CalendarYear != 2027 || len(f.Q) != 6 || f.Q[4][0] != years[4].Cumulative.P5 || f.Q[4][4] != years[4].Cumulative.P95 || !math.IsNaN(f.Q[4][1]) {
		t.Errorf("fan %+v", f)
	}
	checkGolden(t, "fan-national", figs[2])
	n.National.Years = nil
	if figs := NationalFigures(n); len(figs) != 2 {
		t.Errorf("without years: %d figures", len(figs))
	}
}
