package main

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/devolve-lgr/devolve/internal/browsertest"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/render/serve"
	"github.com/devolve-lgr/devolve/render/words"
)

// TestWhatIfLabelledInBrowser: the what-if page names its sliders in plain
// words with their unit, marks each slider's P10, median and P90, keeps
// the fan's axis fixed as a slider moves, and once an input is fixed shows
// the chance with the same input at its median beside it (fixing removes
// uncertainty, which alone moves the chance).
func TestWhatIfLabelledInBrowser(t *testing.T) {
	browsertest.Path(t)
	srv, err := serve.New(pageScenario(t, "suffolk"),
		serve.Options{Run: engine.Options{Seed: 1, Iterations: 4096, Sampling: engine.DefaultSampling}, Version: version, Command: "devolve run suffolk"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	b := browsertest.New(t, 1200, 1000, 90*time.Second)
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#s0")); err != nil {
		t.Fatal(err)
	}
	d := srv.Drivers()[0]
	label, err := chromedp.Run(b.Ctx, chromedp.Text(`label[for="s0"]`))
	if err != nil {
		t.Fatal(err)
	}
	if label != d.Label || strings.Contains(label, ".") {
		t.Errorf("slider label %q, want %q", label, d.Label)
	}
	marks, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`Array.from(document.getElementById('s0').nextElementSibling.querySelectorAll('span')).map(s => s.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"P10", "median", "P90", words.Value(d.Min, d.Unit), words.Value(d.Max, d.Unit)}; !slices.Equal(marks, want) {
		t.Errorf("slider marks %q, want %q", marks, want)
	}
	ticks := chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#fan svg text')).map(e => e.textContent)`)
	before, err := chromedp.Run(b.Ctx, ticks)
	if err != nil {
		t.Fatal(err)
	}
	// Fix the top driver a little below its median.
	target := d.Median - 0.1*(d.Median-d.Min)
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const el = document.getElementById('s0'); el.value = '%g'; el.dispatchEvent(new Event('input', {bubbles: true})); return el.value; })()`, target))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`document.body.dataset.seq === '1' && document.body.dataset.state === 'ready'`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the page did not redraw: %v", err)
	}
	after, err := chromedp.Run(b.Ctx, ticks)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Errorf("the fan's axis text changed when a slider moved:\nbefore %q\nafter  %q", before, after)
	}
	val, err := chromedp.Run(b.Ctx, chromedp.Text("#v0"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(val, "fixed at ") || strings.Contains(val, "e+") {
		t.Errorf("slider value %q, want 'fixed at' and a figure in its unit", val)
	}
	res, err := srv.Evaluate(b.Ctx, map[string]float64{d.Name: d.Median})
	if err != nil {
		t.Fatal(err)
	}
	note, err := chromedp.Run(b.Ctx, chromedp.Text("#fixnote"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "fixed at their medians instead, the chance is "+res.PNPVText) {
		t.Errorf("note %q does not give the chance with the input at its median (%s)", note, res.PNPVText)
	}
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}

// TestWhatIfTwoOptionsInBrowser: two options side by side on common random
// numbers: each has its fan (on one fixed axis) and chance of a positive
// NPV, and the page says how often the second beats the first, which must
// equal lgr.Compare on runs made independently of the server; a slider
// fixes the shared input in both and the paired figure follows.
func TestWhatIfTwoOptionsInBrowser(t *testing.T) {
	browsertest.Path(t)
	const trials = 4096
	var scs []htmlreport.Scenario
	for _, n := range []string{"suffolk", "suffolk-two"} {
		scs = append(scs, pageScenario(t, n))
	}
	// The runs devolve compare makes: one design order for both options.
	opt := engine.Options{Iterations: trials, Seed: 1, Sampling: engine.DefaultSampling}
	var runs []*lgr.Result
	for _, sc := range scs {
		o := opt
		o.DesignOrder = lgr.DesignOrder(scs[0].Compiled, scs[1].Compiled)
		r, err := sc.Compiled.Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	want := lgr.Compare([]string{scs[0].Name, scs[1].Name}, []string{"a", "b"}, runs).Pairs[0].PBBetter
	srv, err := serve.New(scs[0], serve.Options{Run: opt, Version: version, Command: "devolve compare suffolk suffolk-two", Compare: &scs[1]})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	b := browsertest.New(t, 1400, 1000, 90*time.Second)
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#fanB svg")); err != nil {
		t.Fatal(err)
	}
	pb, err := chromedp.Run(b.Ctx, chromedp.Text("#pbetter"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pb, report.Pct(want)+" of ") {
		t.Errorf("paired line %q, want P(B better) %s (lgr.Compare on independent runs)", pb, report.Pct(want))
	}
	sizes, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[][3]float64](
		`['#fan svg', '#fanB svg'].map(q => { const r = document.querySelector(q).getBoundingClientRect(); return [r.width, r.height, r.top]; })`))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sizes {
		if !(s[0] > 200 && s[1] > 100) {
			t.Errorf("fan %d renders at %.0f x %.0f", i, s[0], s[1])
		}
	}
	// Side by side on one line, whatever the length of the names above them.
	if len(sizes) == 2 && math.Abs(sizes[0][2]-sizes[1][2]) > 1 {
		t.Errorf("the fans' tops are at %.0f and %.0f px", sizes[0][2], sizes[1][2])
	}
	title, err := chromedp.Run(b.Ctx, chromedp.Text("h1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := scs[0].Name + " against " + scs[1].Name; title != want {
		t.Errorf("title %q, want %q", title, want)
	}
	d := srv.Drivers()[0]
	target := d.Min + 0.8*(d.Max-d.Min)
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const el = document.getElementById('s0'); el.value = '%g'; el.dispatchEvent(new Event('input', {bubbles: true})); return el.value; })()`, target)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`document.body.dataset.seq === '1' && document.body.dataset.state === 'ready'`,
		chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the page did not redraw: %v", err)
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.Evaluate(b.Ctx, map[string]float64{d.Name: x})
	if err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(b.Ctx, chromedp.Text("#pbetter"))
	if err != nil {
		t.Fatal(err)
	}
	if res.B == nil || after != res.B.PBetterText {
		t.Errorf("after the move the page says %q, the server %+v", after, res.B)
	}
	shot, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	checkShot(t, shot, "whatif-two.png")
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
