package main

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/devolve-lgr/devolve/internal/browsertest"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/render/serve"
	"github.com/devolve-lgr/devolve/render/words"
	"github.com/devolve-lgr/devolve/scenarios"
)

// TestWhatIfLabelledInBrowser: the what-if page names its sliders in plain
// words with their unit, marks each slider's P10, median and P90, keeps
// the fan's axis fixed as a slider moves, and once an input is fixed shows
// the chance with the same input at its median beside it (fixing removes
// uncertainty, which alone moves the chance).
func TestWhatIfLabelledInBrowser(t *testing.T) {
	browsertest.Path(t)
	ld, err := scenarios.Load("suffolk")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serve.New(htmlreport.Scenario{Name: ld.Scenario.Name, Source: ld.Source, SHA256: ld.SHA256, Compiled: c},
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
