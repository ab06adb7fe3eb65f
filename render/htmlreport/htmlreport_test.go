package htmlreport

import (
	"bytes"
	"context"
	"encoding/xml"
	"github.com/devolve-lgr/devolve/render/report"
	"io"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/scenarios"
)

func TestHeadlineByHand(t *testing.T) {
	inf := math.Inf(1)
	// Ten trials: payback years 1,2,2,3,3,3,4,5,8,never; NPV -1, 0 and eight positive.
	pb := []float64{1, 2, 2, 3, 3, 3, 4, 5, 8, inf}
	npv := []float64{-1, 0, 1, 2, 3, 4, 5, 6, 7, 8}
	h := NewHeadline("X", npv, pb, 10, 2027)
	// By year 5, 8 of 10 have paid back; by year 8, 9 of 10 = 90%.
	if h.PaybackBy != 8 || h.PPaybackBy != 0.9 || h.PPaybackHorizon != 0.9 || h.PNPVPositive != 0.8 {
		t.Errorf("headline %+v", h)
	}
	s := strings.Join(h.Sentences(), " ")
	for _, want := range []string{"a 90% chance that X pays back its costs by 2035/36 (year 8)", "positive in 80% of 10 simulations"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q lacks %q", s, want)
		}
	}
	// Fewer than 90% ever pay back: the sentence says so instead.
	h = NewHeadline("Y", npv, []float64{1, 2, inf, inf, inf, inf, inf, inf, inf, inf}, 10, 0)
	if h.PaybackBy != -1 || !strings.Contains(h.Sentences()[0], "in 20% of simulations; in the rest") {
		t.Errorf("headline %+v: %q", h, h.Sentences()[0])
	}
}

func TestChance(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want string
	}{{0, "0%"}, {0.004, "less than 1%"}, {0.9, "90%"}, {0.919, "91%"}, {0.995, "more than 99%"}, {1, "100%"}, {0.29, "29%"}} {
		if got := Chance(c.p); got != c.want {
			t.Errorf("Chance(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}

// build reports on embedded scenarios with a few thousand trials.
func build(t *testing.T, names ...string) *Report {
	t.Helper()
	var scs []Scenario
	for _, n := range names {
		ld, err := scenarios.Load(n)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ld.Compile()
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, Scenario{Name: ld.Scenario.Name, Source: ld.Source, SHA256: ld.SHA256, Compiled: c})
	}
	r, err := Build(context.Background(), scs, Options{Run: engine.Options{Iterations: 4096, Seed: 3}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The headline agrees with the run's own summary, computed separately.
func TestHeadlineMatchesSummary(t *testing.T) {
	r := build(t, "suffolk")
	o := r.Options[0]
	h, s := o.Headline, o.Summary
	if h.PNPVPositive != s.PNPVPositive || h.NPV50 != s.NPV.P50 || h.NPV5 != s.NPV.P5 || h.NPV95 != s.NPV.P95 {
		t.Errorf("headline %+v, summary NPV %+v P>0 %v", h, s.NPV, s.PNPVPositive)
	}
	if h.Trials != 4096 || h.Horizon != len(s.Years)-1 {
		t.Errorf("trials %d horizon %d", h.Trials, h.Horizon)
	}
	if math.Abs(h.PPaybackHorizon-(1-s.PaybackYears.PNever)) > 1e-12 {
		t.Errorf("P(pay back) %v, summary P(never) %v", h.PPaybackHorizon, s.PaybackYears.PNever)
	}
	// The assumptions log has every input once; its largest swing leads.
	if len(o.Assumptions) != len(o.Compiled.Model.Inputs) {
		t.Errorf("%d assumptions, %d inputs", len(o.Assumptions), len(o.Compiled.Model.Inputs))
	}
	for i := 1; i < len(o.Assumptions); i++ {
		a, b := o.Assumptions[i-1], o.Assumptions[i]
		if !a.Fixed && !b.Fixed && a.Swing < b.Swing {
			t.Errorf("assumptions not sorted by swing at %d", i)
		}
	}
	// Every positive swing comes with a rank correlation of matching sign
	// for the two largest (NPV rises or falls with the input both ways).
	for _, a := range o.Assumptions[:2] {
		if (a.High-a.Low)*a.Spearman <= 0 {
			t.Errorf("%s: swing %v to %v but Spearman %v", a.Name, a.Low, a.High, a.Spearman)
		}
	}
}

// The page is self-contained: no scripts, stylesheets, fonts or images
// from anywhere else, and every chart inline.
func TestWriteSelfContained(t *testing.T) {
	r := build(t, "suffolk", "suffolk-two")
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "<link", "@import", "url(", "<img", "<iframe"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, m := range regexp.MustCompile(`(?:href|src)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("external reference %q", m[1])
		}
	}
	if n := strings.Count(page, `<svg class="chart"`); n != 2*6+3 {
		t.Errorf("%d inline charts, want 15", n)
	}
	for _, want := range []string{"Uncertainties not quantified", "Council tax harmonisation", "Assumptions log", "it_overrun",
		"Comparison on common random numbers", r.Options[0].SHA256, "chance that Suffolk, 1 unitary pays back",
		"Costs and savings by year", report.Money(r.Options[1].YearLines.Years[1].Costs.Mean)} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// Stated correlations are listed with the assumptions.
func TestCorrelationsListed(t *testing.T) {
	base, err := os.ReadFile("../../scenarios/reference-r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ld, err := scenarios.LoadBytes(append(base, []byte("\ncorrelations:\n  - between: [it_overrun, other_overrun]\n    rank: 0.6\n")...), "yaml", "r-correlated.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), []Scenario{{Name: "R", Source: ld.Source, Compiled: c}}, Options{Run: engine.Options{Iterations: 2048, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Options[0].Correlations
	if len(got) != 1 || got[0].Rank != 0.6 || got[0].A == got[0].B {
		t.Fatalf("correlations %+v", got)
	}
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Stated rank correlations") || !strings.Contains(b.String(), "&#43;0.60") {
		t.Error("page does not list the stated correlation")
	}
}

// Names with markup characters stay text: the inline SVG is well-formed XML.
func TestInlineSVGEscapes(t *testing.T) {
	f := chart.Figure{Name: "fan", Title: `a<b&"c`, Plot: chart.Fan(`Tom & Jerry <x>`,
		[]chart.FanSeries{{Name: "a<b", Q: [][5]float64{{1, 2, 3, 4, 5}, {2, 3, 4, 5, 6}}}})}
	s, err := InlineSVG(f)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%v in %.300s", err, s)
		}
	}
}
