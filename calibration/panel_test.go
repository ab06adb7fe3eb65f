package calibration

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/notation"
	"go.yaml.in/yaml/v3"
)

// panelCSV: expert A gives P10 80, P50 100, P90 120 (weight 1), expert B
// P10 120, P50 150, P90 180 (weight 3). Symmetric quantiles give a
// three-term metalog with a3 = 0, M(y) = a1 + a2 ln(y/(1-y)): a logistic
// distribution with location a1 = P50 and scale a2 = (P90 - P50)/ln 9, so
// each expert's CDF is 1/(1 + exp(-(x - a1)/a2)) in closed form.
const panelCSV = `# illustrative
expert,quantity,percentile,value,weight
A,cost,10,80,1
A,cost,50,100,1
A,cost,90,120,1
B,cost,90,180,3
B,cost,10,120,3
B,cost,50,150,3
`

func logistic(x, loc, scale float64) float64 { return 1 / (1 + math.Exp(-(x-loc)/scale)) }

// TestPanelPoolByHand: the linear pool of the two experts above against
// the hand computation. Weights 1/4 and 3/4; pooled CDF(x) = 1/4 F_A(x) +
// 3/4 F_B(x) at five points (within 1e-9); pooled P5, P50, P95 against
// an independent bisection on that hand CDF (within 1e-6); mean 137.5;
// variance by the law of total variance with the logistic's variance
// (pi scale)^2/3; the snippet, read back by the scenario notation, is the
// same distribution.
func TestPanelPoolByHand(t *testing.T) {
	rows, err := ReadPanel(strings.NewReader(panelCSV))
	if err != nil {
		t.Fatal(err)
	}
	pq, err := PoolPanel(rows, PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pq) != 1 || len(pq[0].Experts) != 2 {
		t.Fatalf("got %+v", pq)
	}
	p := pq[0]
	sA, sB := 20/math.Log(9), 30/math.Log(9)
	hand := func(x float64) float64 { return 0.25*logistic(x, 100, sA) + 0.75*logistic(x, 150, sB) }
	for i, e := range p.Experts {
		if e.Family != "metalog" || math.Abs(e.Weight-[]float64{0.25, 0.75}[i]) > 1e-15 {
			t.Errorf("expert %s: %s, weight %g", e.Expert, e.Family, e.Weight)
		}
	}
	for _, x := range []float64{60, 100, 130, 150, 200} {
		if got, want := p.Pool.CDF(x), hand(x); math.Abs(got-want) > 1e-9 {
			t.Errorf("pooled CDF(%g) = %.12f, by hand %.12f", x, got, want)
		}
	}
	bisect := func(level float64) float64 {
		lo, hi := 0.0, 400.0
		for range 200 {
			mid := (lo + hi) / 2
			if hand(mid) < level {
				lo = mid
			} else {
				hi = mid
			}
		}
		return (lo + hi) / 2
	}
	for _, c := range []struct{ level, got float64 }{{0.05, p.P5}, {0.5, p.P50}, {0.95, p.P95}} {
		if want := bisect(c.level); math.Abs(c.got-want) > 1e-6 {
			t.Errorf("pooled P%g = %.9f, by bisection on the hand CDF %.9f", 100*c.level, c.got, want)
		}
	}
	within := 0.25*math.Pow(math.Pi*sA, 2)/3 + 0.75*math.Pow(math.Pi*sB, 2)/3
	between := 0.25*37.5*37.5 + 0.75*12.5*12.5
	if math.Abs(p.Mean-137.5) > 1e-9 || math.Abs(p.SD/math.Sqrt(within+between)-1) > 1e-6 {
		t.Errorf("pooled mean %.9f (want 137.5), sd %.9f (want %.9f)", p.Mean, p.SD, math.Sqrt(within+between))
	}
	if math.Abs(p.BetweenShare-between/(within+between)) > 1e-6 {
		t.Errorf("between-expert share %.6f, want %.6f", p.BetweenShare, between/(within+between))
	}
	if p.MedianLo != 100 && math.Abs(p.MedianLo-100) > 1e-9 || math.Abs(p.MedianHi-150) > 1e-9 {
		t.Errorf("median range %g to %g", p.MedianLo, p.MedianHi)
	}
	var spec any
	if err := yaml.Unmarshal([]byte(p.Snippet), &spec); err != nil {
		t.Fatalf("snippet %s: %v", p.Snippet, err)
	}
	d, err := notation.FromSpec(spec, nil)
	if err != nil {
		t.Fatalf("snippet %s: %v", p.Snippet, err)
	}
	for _, x := range []float64{60, 100, 130, 150, 200} {
		if got, want := d.CDF(x), hand(x); math.Abs(got-want) > 1e-6 {
			t.Errorf("snippet's CDF(%g) = %.9f, by hand %.9f (%s)", x, got, want, p.Snippet)
		}
	}
}

// TestPanelFallbacksAndWeights: equal weights without a weight column; an
// expert with two points gets the lognormal through them; one whose three
// points are too skewed for an unbounded metalog gets the closest other
// candidate; quantities are pooled separately, in file order.
func TestPanelFallbacksAndWeights(t *testing.T) {
	rows, err := ReadPanel(strings.NewReader(`Expert,Quantity,Percentile,Value
X,savings,10,2m,
X,savings,90,8m
Y,savings,10,1m
Y,savings,50,1.1m
Y,savings,90,100m
Z,savings,5,3m
Z,savings,50,4m
Z,savings,95,6m
X,delay,50,1
X,delay,90,3
`))
	if err != nil {
		t.Fatal(err)
	}
	pq, err := PoolPanel(rows, PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pq) != 2 || pq[0].Quantity != "savings" || pq[1].Quantity != "delay" {
		t.Fatalf("quantities %+v", pq)
	}
	fam := map[string]string{}
	for _, e := range pq[0].Experts {
		fam[e.Expert] = e.Family
		if math.Abs(e.Weight-1.0/3) > 1e-15 {
			t.Errorf("expert %s weight %g, want 1/3", e.Expert, e.Weight)
		}
	}
	if fam["X"] != "lognormal" || fam["Y"] == "metalog" || fam["Z"] != "metalog" {
		t.Errorf("families %v", fam)
	}
	x := pq[0].Experts[0]
	if math.Abs(x.Dist.Quantile(0.1)/2e6-1) > 1e-9 || math.Abs(x.Dist.Quantile(0.9)/8e6-1) > 1e-9 {
		t.Errorf("X's lognormal misses its points: P10 %g, P90 %g", x.Dist.Quantile(0.1), x.Dist.Quantile(0.9))
	}
	// The pool's CDF is the equal-weight mean of the experts' CDFs.
	for _, v := range []float64{1.5e6, 4e6, 9e6} {
		want := 0.0
		for _, e := range pq[0].Experts {
			want += e.Dist.CDF(v) / 3
		}
		if got := pq[0].Pool.CDF(v); math.Abs(got-want) > 1e-12 {
			t.Errorf("pooled CDF(%g) = %g, mean of the experts' %g", v, got, want)
		}
	}
}

// TestPanelErrors: every bad panel is an error naming the line, column,
// quantity or expert.
func TestPanelErrors(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"expert,quantity,value\nA,q,1\n", "no column percentile"},
		{"expert,quantity,percentile,value\nA,q,0,1\n", "line 2, column percentile"},
		{"expert,quantity,percentile,value\nA,q,10,abc\n", "line 2, column value"},
		{"expert,quantity,percentile,value,weight\nA,q,10,1,-1\n", "line 2, column weight"},
		{"expert,quantity,percentile,value\n,q,10,1\n", "line 2, column expert: empty"},
		{"expert,quantity,percentile,value\n", "no data rows"},
		{"", "empty file"},
	} {
		if _, err := ReadPanel(strings.NewReader(c.csv)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.csv, err, c.want)
		}
	}
	for _, c := range []struct{ csv, want string }{
		{"expert,quantity,percentile,value\nA,q,10,5\nA,q,90,4\n", `quantity "q", expert "A": values must increase`},
		{"expert,quantity,percentile,value\nA,q,10,5\n", "at least two percentiles"},
		{"expert,quantity,percentile,value,weight\nA,q,10,5,1\nA,q,90,6,2\n", "one weight per expert"},
		{"expert,quantity,percentile,value,weight\nA,q,10,5,0\nA,q,90,6,0\n", "weights are all zero"},
		{"expert,quantity,percentile,value\nA,q,10,5\nA,q,10,6\n", "percentile 10 given twice"},
	} {
		rows, err := ReadPanel(strings.NewReader(c.csv))
		if err == nil {
			_, err = PoolPanel(rows, PanelOptions{})
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.csv, err, c.want)
		}
	}
}

// TestPanelReference: {reference: "panel:FILE#QUANTITY"} is the panel's
// linear pool for that quantity (its CDF the weighted mean of the experts'
// CDFs, as PoolPanel gives it), and bad references are errors.
func TestPanelReference(t *testing.T) {
	d, err := Reference("panel:data/example_panel.csv#it_overrun")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("data/example_panel.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := ReadPanel(f)
	if err != nil {
		t.Fatal(err)
	}
	pooled, err := PoolPanel(rows, PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pooled {
		if p.Quantity != "it_overrun" {
			continue
		}
		for _, x := range []float64{1.1, 1.5, 2.5} {
			want := 0.0
			wsum := 0.0
			for _, e := range p.Experts {
				want += e.Weight * e.Dist.CDF(x)
				wsum += e.Weight
			}
			if got := d.CDF(x); math.Abs(got-want/wsum) > 1e-12 {
				t.Errorf("CDF(%v) = %v, weighted mean of the experts' %v", x, got, want/wsum)
			}
		}
	}
	for _, bad := range []string{"panel:data/example_panel.csv", "panel:data/example_panel.csv#it_overun", "panel:/dev/zero#x", "panel:nonexistent.csv#x"} {
		if _, err := Reference(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
